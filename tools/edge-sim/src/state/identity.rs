//! Identities of the simulated hub: the edge device, its modules and the `iothubowner` policy.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hub_proto::sas::KeyError;
use hub_proto::{DeviceId, ModuleId, SharedAccessKey};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Length of generated symmetric keys in bytes (IoT Hub generates 32-byte keys).
const KEY_BYTES: usize = 32;

/// .NET ticks (100 ns) between 0001-01-01 and the Unix epoch: generation ids look like IoT
/// Hub's, which are tick counts.
const UNIX_EPOCH_TICKS: i128 = 621_355_968_000_000_000;

/// A primary and a secondary symmetric key, base64 as IoT Hub shows them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SymmetricKeys {
    /// The primary key, base64.
    pub primary_key: String,
    /// The secondary key, base64.
    pub secondary_key: String,
}

impl SymmetricKeys {
    /// Two fresh random keys.
    pub fn generate() -> Result<Self, openssl::error::ErrorStack> {
        Ok(Self {
            primary_key: random_key()?,
            secondary_key: random_key()?,
        })
    }

    /// Both keys decoded, primary first, for signature checks.
    pub fn decoded(&self) -> Result<Vec<SharedAccessKey>, KeyError> {
        Ok(vec![
            SharedAccessKey::from_base64(&self.primary_key)?,
            SharedAccessKey::from_base64(&self.secondary_key)?,
        ])
    }

    /// The primary key decoded.
    pub fn primary(&self) -> Result<SharedAccessKey, KeyError> {
        SharedAccessKey::from_base64(&self.primary_key)
    }
}

impl std::fmt::Debug for SymmetricKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKeys(<redacted>)")
    }
}

fn random_key() -> Result<String, openssl::error::ErrorStack> {
    let mut bytes = [0_u8; KEY_BYTES];
    openssl::rand::rand_bytes(&mut bytes)?;
    Ok(BASE64.encode(bytes))
}

/// A generation id for an identity created at `now`, in IoT Hub's tick format.
#[must_use]
pub fn generation_id(now: OffsetDateTime) -> String {
    (now.unix_timestamp_nanos() / 100 + UNIX_EPOCH_TICKS).to_string()
}

/// The edge device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceIdentity {
    /// The device id.
    pub device_id: DeviceId,
    /// Its generation id.
    pub generation_id: String,
    /// Its keys.
    pub keys: SymmetricKeys,
}

/// A shared access policy of the hub (`iothubowner`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// The policy name, the `skn` of its tokens.
    pub name: String,
    /// Its keys.
    pub keys: SymmetricKeys,
}

/// A module identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleIdentity {
    /// The device the module belongs to.
    pub device_id: DeviceId,
    /// The module id.
    pub module_id: ModuleId,
    /// The generation id (`IOTEDGE_MODULEGENERATIONID`).
    pub generation_id: String,
    /// `managedBy` (`iotEdge` for modules created from a deployment).
    #[serde(default)]
    pub managed_by: Option<String>,
    /// The module's keys.
    pub keys: SymmetricKeys,
    /// Identity record version; the identity's etag derives from it.
    #[serde(default = "one")]
    pub version: u64,
}

fn one() -> u64 {
    1
}

impl ModuleIdentity {
    /// A new identity with fresh keys.
    pub fn generate(
        device_id: DeviceId,
        module_id: ModuleId,
        now: OffsetDateTime,
    ) -> Result<Self, openssl::error::ErrorStack> {
        Ok(Self {
            device_id,
            module_id,
            generation_id: generation_id(now),
            managed_by: None,
            keys: SymmetricKeys::generate()?,
            version: 1,
        })
    }

    /// The identity's etag (base64 of the record version, like IoT Hub's).
    #[must_use]
    pub fn etag(&self) -> String {
        BASE64.encode(self.version.to_be_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_32_random_bytes_and_differ() {
        let keys = SymmetricKeys::generate().unwrap();
        assert_eq!(BASE64.decode(&keys.primary_key).unwrap().len(), KEY_BYTES);
        assert_ne!(keys.primary_key, keys.secondary_key);
        assert_eq!(keys.decoded().unwrap().len(), 2);
    }

    #[test]
    fn generation_ids_are_dotnet_ticks() {
        let epoch = OffsetDateTime::UNIX_EPOCH;
        assert_eq!(generation_id(epoch), "621355968000000000");
    }
}
