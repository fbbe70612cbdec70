//! [`ModuleIdentity`]: the service API's module identity (the SDK's `Module` model).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A module identity (`GET /devices/{d}/modules/{m}`): ids, generation, etag and the
/// symmetric keys. Lenient like [`crate::ModuleTwin`]: unnamed members are kept in
/// [`ModuleIdentity::other`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleIdentity {
    /// The module id.
    #[serde(default)]
    pub module_id: String,
    /// The device id.
    #[serde(default)]
    pub device_id: String,
    /// Changes when the identity is deleted and created again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    /// The identity's etag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Who manages the module (`IotEdge` for deployed modules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    /// `Connected` or `Disconnected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_state: Option<String>,
    /// How the module authenticates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// Every other member, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ModuleIdentity {
    /// The primary symmetric key (base64), for a SAS module.
    #[must_use]
    pub fn primary_key(&self) -> Option<&str> {
        self.symmetric_key()?.primary_key.as_deref()
    }

    /// The secondary symmetric key (base64), for a SAS module.
    #[must_use]
    pub fn secondary_key(&self) -> Option<&str> {
        self.symmetric_key()?.secondary_key.as_deref()
    }

    fn symmetric_key(&self) -> Option<&SymmetricKey> {
        self.authentication.as_ref()?.symmetric_key.as_ref()
    }
}

/// `authentication` of a module identity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authentication {
    /// `sas`, `selfSigned`, `certificateAuthority` or `none`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The keys of a `sas` module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symmetric_key: Option<SymmetricKey>,
    /// Every other member (`x509Thumbprint`), as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A module's two symmetric keys (base64). Debug output hides them.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SymmetricKey {
    /// The primary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<String>,
    /// The secondary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_key: Option<String>,
}

impl fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |k: &Option<String>| k.as_ref().map(|_| "<redacted>");
        f.debug_struct("SymmetricKey")
            .field("primary_key", &shown(&self.primary_key))
            .field("secondary_key", &shown(&self.secondary_key))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An identity as edge-sim's service API sends it (`devices_modules.rs`).
    fn edge_sim_identity() -> Value {
        json!({
            "moduleId": "opcplc",
            "managedBy": "IotEdge",
            "deviceId": "edge-sim",
            "generationId": "638000000000000000",
            "etag": "AAAAAAAAAAE=",
            "connectionState": "Disconnected",
            "connectionStateUpdatedTime": "0001-01-01T00:00:00Z",
            "lastActivityTime": "0001-01-01T00:00:00Z",
            "cloudToDeviceMessageCount": 0,
            "authentication": {
                "symmetricKey": {"primaryKey": "cHJpbWFyeQ==", "secondaryKey": "c2Vjb25kYXJ5"},
                "x509Thumbprint": {"primaryThumbprint": null, "secondaryThumbprint": null},
                "type": "sas"
            }
        })
    }

    #[test]
    fn identity_parses_with_its_keys_and_serializes_back() {
        let sent = edge_sim_identity();
        let identity: ModuleIdentity = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(identity.module_id, "opcplc");
        assert_eq!(
            identity.generation_id.as_deref(),
            Some("638000000000000000")
        );
        assert_eq!(identity.managed_by.as_deref(), Some("IotEdge"));
        assert_eq!(identity.primary_key(), Some("cHJpbWFyeQ=="));
        assert_eq!(identity.secondary_key(), Some("c2Vjb25kYXJ5"));
        assert_eq!(serde_json::to_value(&identity).unwrap(), sent);
    }

    #[test]
    fn debug_output_hides_the_keys() {
        let identity: ModuleIdentity = serde_json::from_value(edge_sim_identity()).unwrap();
        let debug = format!("{identity:?}");
        assert!(!debug.contains("cHJpbWFyeQ=="), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
    }

    #[test]
    fn an_identity_without_keys_has_none() {
        let identity: ModuleIdentity =
            serde_json::from_value(json!({"moduleId": "m", "managedBy": null})).unwrap();
        assert_eq!(identity.primary_key(), None);
        assert_eq!(identity.managed_by, None);
    }
}
