//! The desired documents: `properties.desired.pki` of `opc-plc` and `opc-client`, and
//! `properties.desired.stores.<storeName>` of `cert-agent` (docs/architecture.md §4).
//!
//! [`DesiredPki`] is the document as text, as a CA tool or an operator writes it (serialise it
//! into a patch) and as a module receives it ([`DesiredPki::from_twin`], which names the
//! refused property precisely: the twin has no schema a generic deserialiser could report
//! against). Decoding the certificates and CRLs inside it is `crate::decode`'s job.

use std::collections::BTreeMap;

use pki::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::{ErrorCode, ItemError};

/// The twin property of a module's own PKI.
pub const PKI_PROPERTY: &str = "pki";

/// The twin property of cert-agent's stores.
pub const STORES_PROPERTY: &str = "stores";

/// Which document is read: a module's own `pki`, or one of cert-agent's `stores.<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `properties.desired.pki` of `opc-plc` and `opc-client`: the module validates its peers
    /// itself, so the validation policy knobs apply.
    OwnPki,
    /// `properties.desired.stores.<name>` of `cert-agent`: the app validates with its own
    /// policy (knobs refused), and a module may be named to restart after an own-certificate
    /// change.
    AgentStore,
}

/// cert-agent's `properties.desired.stores`: store name -> its document (`null` in a patch
/// removes the store from the twin's care).
pub type DesiredStores = BTreeMap<String, Option<DesiredPki>>;

/// One desired PKI document, every certificate and CRL as text (base64 DER or PEM). Maps are
/// keyed by names the operator chooses; a `null` entry (in a patch) removes that entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DesiredPki {
    /// The CA-signed certificate for the application's current key (sign its reported CSR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_cert: Option<String>,
    /// The trusted peer store.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub trusted: BTreeMap<String, Option<String>>,
    /// The trusted issuer store.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub issuers: BTreeMap<String, Option<String>>,
    /// CRLs, installed next to every certificate of their issuer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub crls: BTreeMap<String, Option<String>>,
    /// Rejected certificates to trust, by thumbprint (`true`); removing the entry takes the
    /// trust back.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub approve_rejected: BTreeMap<String, Option<bool>>,
    /// Refuse peers whose CA has no CRL (own `pki` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_unknown_revocation_status: Option<bool>,
    /// Refuse SHA-1 signed peer certificates (own `pki` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_sha1_signed_certificates: Option<bool>,
    /// The smallest RSA key a peer certificate may have, in bits (own `pki` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_certificate_key_size: Option<u32>,
    /// How many days before a certificate expires the report warns (default 14, OPC 10000-12
    /// §7.8.3 `CertificateExpirationAlarm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_warning_days: Option<u32>,
    /// The module to restart after its own certificate changed (`stores` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_module: Option<String>,
}

/// The largest `expiryWarningDays` accepted (ten years).
pub const MAX_EXPIRY_WARNING_DAYS: u32 = 3650;

/// The accepted range of `minimumCertificateKeySize`: the command line's (`--mks`).
pub const KEY_SIZE_RANGE: std::ops::RangeInclusive<u32> = pki::KEY_SIZE_RANGE;

/// Property names that look like a key and are refused with the reason, not as unknown.
const KEY_NAMES: &[&str] = &["privateKey", "key", "pfx", "privateKeyPassword"];

/// The properties of a section, in documentation order.
const PROPERTIES: &[&str] = &[
    "applicationCert",
    "trusted",
    "issuers",
    "crls",
    "approveRejected",
    "rejectUnknownRevocationStatus",
    "rejectSha1SignedCertificates",
    "minimumCertificateKeySize",
    "expiryWarningDays",
    "restartModule",
];

/// The validation policy knobs: only a module that validates its peers itself applies them.
pub const POLICY_PROPERTIES: &[&str] = &[
    "rejectUnknownRevocationStatus",
    "rejectSha1SignedCertificates",
    "minimumCertificateKeySize",
];

impl DesiredPki {
    /// Reads a section of a desired twin: `None` or `null` is the empty document. Refuses the
    /// first property of the wrong type, an unknown property, a policy knob or `restartModule`
    /// where `section` does not allow it, and anything that looks like a private key.
    /// Service members (`$version`) are ignored.
    pub fn from_twin(value: Option<&Value>, section: Section) -> Result<Self, ItemError> {
        let object = match value {
            None | Some(Value::Null) => return Ok(Self::default()),
            Some(Value::Object(object)) => object,
            Some(other) => {
                return Err(ItemError::new(
                    "",
                    ErrorCode::BadTypeMismatch,
                    format!("the section must be a JSON object, not {}", kind(other)),
                ));
            }
        };
        let mut desired = Self::default();
        for (name, value) in object {
            if name.starts_with('$') {
                continue;
            }
            match name.as_str() {
                "applicationCert" => desired.application_cert = optional(name, value, text)?,
                "trusted" => desired.trusted = entries(name, value, text)?,
                "issuers" => desired.issuers = entries(name, value, text)?,
                "crls" => desired.crls = entries(name, value, text)?,
                "approveRejected" => {
                    desired.approve_rejected = entries(name, value, flag)?;
                }
                knob if POLICY_PROPERTIES.contains(&knob) && section == Section::AgentStore => {
                    return Err(ItemError::new(
                        knob,
                        ErrorCode::BadNotSupported,
                        format!(
                            "{knob} is not applicable to a cert-agent store: the application \
                             validates its peers with its own policy; set it in the \
                             application's configuration"
                        ),
                    ));
                }
                "rejectUnknownRevocationStatus" => {
                    desired.reject_unknown_revocation_status = optional(name, value, flag)?;
                }
                "rejectSha1SignedCertificates" => {
                    desired.reject_sha1_signed_certificates = optional(name, value, flag)?;
                }
                "minimumCertificateKeySize" => {
                    desired.minimum_certificate_key_size =
                        optional(name, value, |item, v| number(item, v, &KEY_SIZE_RANGE))?;
                }
                "expiryWarningDays" => {
                    desired.expiry_warning_days = optional(name, value, |item, v| {
                        number(item, v, &(0..=MAX_EXPIRY_WARNING_DAYS))
                    })?;
                }
                "restartModule" if section == Section::AgentStore => {
                    desired.restart_module = optional(name, value, module_name)?;
                }
                other if KEY_NAMES.contains(&other) => {
                    return Err(ItemError::new(
                        other,
                        ErrorCode::Status(StatusCode::BadSecurityChecksFailed),
                        "private keys never travel through twins: the application keeps its \
                         own key and reports a CSR for the CA to sign",
                    ));
                }
                other => {
                    let known: Vec<&str> = PROPERTIES
                        .iter()
                        .copied()
                        .filter(|p| section == Section::AgentStore || *p != "restartModule")
                        .filter(|p| section == Section::OwnPki || !POLICY_PROPERTIES.contains(p))
                        .collect();
                    return Err(ItemError::new(
                        other,
                        ErrorCode::BadInvalidArgument,
                        format!("unknown property; expected one of {}", known.join(", ")),
                    ));
                }
            }
        }
        Ok(desired)
    }

    /// The document as a JSON object (for a twin patch).
    #[must_use]
    pub fn to_twin(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_error(item: &str, expected: &str, found: &Value) -> ItemError {
    ItemError::new(
        item,
        ErrorCode::BadTypeMismatch,
        format!("expected {expected}, found {}", kind(found)),
    )
}

fn optional<T>(
    item: &str,
    value: &Value,
    read: impl Fn(&str, &Value) -> Result<T, ItemError>,
) -> Result<Option<T>, ItemError> {
    match value {
        Value::Null => Ok(None),
        other => read(item, other).map(Some),
    }
}

fn text(item: &str, value: &Value) -> Result<String, ItemError> {
    match value {
        Value::String(text) => Ok(text.clone()),
        other => Err(type_error(item, "a string (base64 DER or PEM)", other)),
    }
}

fn flag(item: &str, value: &Value) -> Result<bool, ItemError> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(type_error(item, "true or false", other)),
    }
}

fn number(
    item: &str,
    value: &Value,
    range: &std::ops::RangeInclusive<u32>,
) -> Result<u32, ItemError> {
    let Value::Number(n) = value else {
        return Err(type_error(item, "a whole number", value));
    };
    match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
        Some(n) if range.contains(&n) => Ok(n),
        _ => Err(ItemError::new(
            item,
            ErrorCode::BadInvalidArgument,
            format!(
                "{n} is out of range: expected a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        )),
    }
}

fn module_name(item: &str, value: &Value) -> Result<String, ItemError> {
    match value {
        Value::String(name) => hub_proto::ModuleId::new(name.trim())
            .map(|id| id.to_string())
            .map_err(|e| ItemError::new(item, ErrorCode::BadInvalidArgument, e.to_string())),
        other => Err(type_error(item, "a module name", other)),
    }
}

/// A map of named entries (`{ "<name>": <value> }`): names follow the twin's property-name
/// rules; `null` entries are kept as `None`.
fn entries<T>(
    section: &str,
    value: &Value,
    read: impl Fn(&str, &Value) -> Result<T, ItemError>,
) -> Result<BTreeMap<String, Option<T>>, ItemError> {
    let map = match value {
        Value::Null => return Ok(BTreeMap::new()),
        Value::Object(map) => map,
        other => return Err(type_error(section, "an object of named entries", other)),
    };
    let mut out = BTreeMap::new();
    for (name, entry) in map {
        let item = format!("{section}.{name}");
        hub_proto::twin::validate_property_name(name).map_err(|e| {
            ItemError::new(item.clone(), ErrorCode::BadInvalidArgument, e.to_string())
        })?;
        out.insert(name.clone(), optional(&item, entry, &read)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    fn full() -> DesiredPki {
        DesiredPki {
            application_cert: Some("cert".into()),
            trusted: BTreeMap::from([("ca".into(), Some("x".into()))]),
            issuers: BTreeMap::from([("ca".into(), Some("x".into()))]),
            crls: BTreeMap::from([("ca".into(), Some("y".into()))]),
            approve_rejected: BTreeMap::from([("AB".into(), Some(true))]),
            reject_unknown_revocation_status: Some(false),
            reject_sha1_signed_certificates: Some(true),
            minimum_certificate_key_size: Some(2048),
            expiry_warning_days: Some(30),
            restart_module: Some("opcplc".into()),
        }
    }

    #[test]
    fn every_property_a_writer_serialises_is_read_back_by_the_module() {
        let own = DesiredPki {
            restart_module: None,
            ..full()
        };
        let value = Value::Object(own.to_twin());
        assert_eq!(
            DesiredPki::from_twin(Some(&value), Section::OwnPki).unwrap(),
            own
        );
        let store = DesiredPki {
            reject_unknown_revocation_status: None,
            reject_sha1_signed_certificates: None,
            minimum_certificate_key_size: None,
            ..full()
        };
        let value = Value::Object(store.to_twin());
        assert_eq!(
            DesiredPki::from_twin(Some(&value), Section::AgentStore).unwrap(),
            store
        );
        // serde agrees with the hand-written reader on every name.
        let value = serde_json::to_value(full()).unwrap();
        assert_eq!(serde_json::from_value::<DesiredPki>(value).unwrap(), full());
    }

    #[test]
    fn refusals_name_the_property_and_the_status() {
        let cases = [
            (
                json!({"trusted": {"ca": 5}}),
                Section::OwnPki,
                "trusted.ca",
                ErrorCode::BadTypeMismatch,
            ),
            (
                json!({"issuer": {}}),
                Section::OwnPki,
                "issuer",
                ErrorCode::BadInvalidArgument,
            ),
            (
                json!({"privateKey": "x"}),
                Section::AgentStore,
                "privateKey",
                ErrorCode::Status(StatusCode::BadSecurityChecksFailed),
            ),
            (
                json!({"restartModule": "plc"}),
                Section::OwnPki,
                "restartModule",
                ErrorCode::BadInvalidArgument,
            ),
            (
                json!({"rejectSha1SignedCertificates": true}),
                Section::AgentStore,
                "rejectSha1SignedCertificates",
                ErrorCode::BadNotSupported,
            ),
            (
                json!({"minimumCertificateKeySize": 512}),
                Section::OwnPki,
                "minimumCertificateKeySize",
                ErrorCode::BadInvalidArgument,
            ),
            (
                json!({"minimumCertificateKeySize": "2048"}),
                Section::OwnPki,
                "minimumCertificateKeySize",
                ErrorCode::BadTypeMismatch,
            ),
            (
                json!({"expiryWarningDays": -1}),
                Section::OwnPki,
                "expiryWarningDays",
                ErrorCode::BadInvalidArgument,
            ),
            (
                json!({"approveRejected": {"AB": "yes"}}),
                Section::OwnPki,
                "approveRejected.AB",
                ErrorCode::BadTypeMismatch,
            ),
            (
                json!({"crls": {"a b": "x"}}),
                Section::OwnPki,
                "crls.a b",
                ErrorCode::BadInvalidArgument,
            ),
            (
                json!({"restartModule": "$edge Agent"}),
                Section::AgentStore,
                "restartModule",
                ErrorCode::BadInvalidArgument,
            ),
            (json!([1]), Section::OwnPki, "", ErrorCode::BadTypeMismatch),
        ];
        for (doc, section, item, code) in cases {
            let err = DesiredPki::from_twin(Some(&doc), section).unwrap_err();
            assert_eq!((err.item.as_str(), err.code), (item, code), "{doc}: {err}");
        }
    }

    #[test]
    fn an_absent_or_null_section_is_the_empty_document_and_service_members_are_ignored() {
        assert_eq!(
            DesiredPki::from_twin(None, Section::OwnPki).unwrap(),
            DesiredPki::default()
        );
        assert_eq!(
            DesiredPki::from_twin(Some(&Value::Null), Section::OwnPki).unwrap(),
            DesiredPki::default()
        );
        let doc = json!({"$version": 4, "crls": {"ca": null}});
        let read = DesiredPki::from_twin(Some(&doc), Section::OwnPki).unwrap();
        assert_eq!(read.crls, BTreeMap::from([("ca".to_owned(), None)]));
    }
}
