//! The desired `pki` section (ARCHITECTURE §4.1) and a cert-agent store (§4.2), parsed and
//! decoded completely before anything touches a store.

use std::collections::BTreeMap;

use pki::{Certificate, Crl, Thumbprint};
use serde_json::{Map, Value};

/// Which document is parsed: a module's own `pki`, or one of cert-agent's `stores.<name>`
/// (which may also approve rejected certificates and name a module to restart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `properties.desired.pki` of `opc-plc` and `opc-client`.
    OwnPki,
    /// `properties.desired.stores.<name>` of `cert-agent`.
    AgentStore,
}

/// One refused item of a desired document: where (`trusted.vaultCa`), an OPC UA status name,
/// and a message for the operator. Reported as `pki.error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{item}: {code}: {message}")]
pub struct ItemError {
    /// The property path inside the section (`applicationCert`, `crls.vaultCa`, …).
    pub item: String,
    /// The OPC UA status code name that best describes it.
    pub code: String,
    /// What is wrong, in words.
    pub message: String,
}

impl ItemError {
    pub(crate) fn new(item: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            item: item.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The decoded desired document. Names are the twin's map keys (a `null` entry is absent).
#[derive(Debug, Clone, Default)]
pub struct DesiredPki {
    /// The CA-signed certificate for the module's current key.
    pub application_cert: Option<Certificate>,
    /// The trusted peer store.
    pub trusted: BTreeMap<String, Certificate>,
    /// The trusted issuer store.
    pub issuers: BTreeMap<String, Certificate>,
    /// CRLs, installed next to the certificates of their issuers.
    pub crls: BTreeMap<String, Crl>,
    /// `rejectUnknownRevocationStatus`, when set.
    pub reject_unknown_revocation_status: Option<bool>,
    /// cert-agent: rejected certificates to move to the trusted store.
    pub approve_rejected: Vec<Thumbprint>,
    /// cert-agent: the module to restart after an own-certificate change.
    pub restart_module: Option<String>,
}

const OWN_KEYS: &[&str] = &[
    "applicationCert",
    "trusted",
    "issuers",
    "crls",
    "rejectUnknownRevocationStatus",
];
const AGENT_KEYS: &[&str] = &["approveRejected", "restartModule"];

/// Property names that look like a key and are refused with the reason, not as unknown.
const KEY_NAMES: &[&str] = &["privateKey", "key", "pfx", "privateKeyPassword"];

impl DesiredPki {
    /// Parses a desired section. `None` or `null` is the empty document (the twin manages no
    /// entry). Every item is decoded and checked here; the first refused one is returned.
    pub fn parse(value: Option<&Value>, section: Section) -> Result<Self, ItemError> {
        let object = match value {
            None | Some(Value::Null) => return Ok(Self::default()),
            Some(Value::Object(object)) => object,
            Some(other) => {
                return Err(ItemError::new(
                    "",
                    "BadTypeMismatch",
                    format!("the section must be a JSON object, not {}", kind(other)),
                ));
            }
        };
        let mut desired = Self::default();
        for (name, value) in object {
            if name.starts_with('$') {
                continue; // `$version` and other service members.
            }
            match name.as_str() {
                "applicationCert" => {
                    desired.application_cert = match value {
                        Value::Null => None,
                        Value::String(text) => Some(certificate(name, text)?),
                        other => return Err(type_error(name, "a string", other)),
                    };
                }
                "trusted" => desired.trusted = entries(name, value, certificate)?,
                "issuers" => desired.issuers = entries(name, value, certificate)?,
                "crls" => desired.crls = entries(name, value, crl)?,
                "rejectUnknownRevocationStatus" => {
                    desired.reject_unknown_revocation_status = match value {
                        Value::Null => None,
                        Value::Bool(b) => Some(*b),
                        other => return Err(type_error(name, "true or false", other)),
                    };
                }
                "approveRejected" if section == Section::AgentStore => {
                    desired.approve_rejected = approvals(name, value)?;
                }
                "restartModule" if section == Section::AgentStore => {
                    desired.restart_module = match value {
                        Value::Null => None,
                        Value::String(module) if !module.trim().is_empty() => {
                            Some(module.trim().to_owned())
                        }
                        other => return Err(type_error(name, "a module name", other)),
                    };
                }
                other if KEY_NAMES.contains(&other) => {
                    return Err(ItemError::new(
                        name.clone(),
                        "BadSecurityChecksFailed",
                        "private keys never travel through twins: the module keeps its own key \
                         and reports a CSR (reported pki.csr) for the CA to sign",
                    ));
                }
                other => {
                    let mut known = OWN_KEYS.to_vec();
                    if section == Section::AgentStore {
                        known.extend_from_slice(AGENT_KEYS);
                    }
                    return Err(ItemError::new(
                        other,
                        "BadInvalidArgument",
                        format!("unknown property; expected one of {}", known.join(", ")),
                    ));
                }
            }
        }
        Ok(desired)
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
        "BadTypeMismatch",
        format!("expected {expected}, found {}", kind(found)),
    )
}

fn certificate(item: &str, text: &str) -> Result<Certificate, ItemError> {
    Certificate::from_text(text).map_err(|e| {
        ItemError::new(
            item,
            "BadCertificateInvalid",
            format!("not a base64 DER or PEM certificate: {e}"),
        )
    })
}

fn crl(item: &str, text: &str) -> Result<Crl, ItemError> {
    Crl::from_text(text).map_err(|e| {
        ItemError::new(
            item,
            "BadCertificateInvalid",
            format!("not a base64 DER or PEM CRL: {e}"),
        )
    })
}

/// A map of named entries: `{ "<name>": "<text>" }`, `null` entries skipped.
fn entries<T>(
    section: &str,
    value: &Value,
    decode: fn(&str, &str) -> Result<T, ItemError>,
) -> Result<BTreeMap<String, T>, ItemError> {
    let map: &Map<String, Value> = match value {
        Value::Null => return Ok(BTreeMap::new()),
        Value::Object(map) => map,
        other => return Err(type_error(section, "an object of named entries", other)),
    };
    let mut out = BTreeMap::new();
    for (name, entry) in map {
        let item = format!("{section}.{name}");
        hub_proto::twin::validate_property_name(name)
            .map_err(|e| ItemError::new(item.clone(), "BadInvalidArgument", e.to_string()))?;
        match entry {
            Value::Null => {}
            Value::String(text) => {
                out.insert(name.clone(), decode(&item, text)?);
            }
            other => return Err(type_error(&item, "a string", other)),
        }
    }
    Ok(out)
}

/// `approveRejected`: `{ "<THUMBPRINT>": true }`; `false` and `null` approve nothing.
fn approvals(section: &str, value: &Value) -> Result<Vec<Thumbprint>, ItemError> {
    let map = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Object(map) => map,
        other => return Err(type_error(section, "an object of thumbprints", other)),
    };
    let mut out = Vec::new();
    for (name, entry) in map {
        let item = format!("{section}.{name}");
        let thumbprint: Thumbprint = name.parse().map_err(|e: pki::ThumbprintParseError| {
            ItemError::new(item.clone(), "BadInvalidArgument", e.to_string())
        })?;
        match entry {
            Value::Bool(true) => out.push(thumbprint),
            Value::Bool(false) | Value::Null => {}
            other => return Err(type_error(&item, "true or false", other)),
        }
    }
    Ok(out)
}
