//! A desired document decoded completely (every certificate and CRL parsed, every thumbprint
//! checked) before anything touches a store.

use std::collections::BTreeMap;

use pki::{Certificate, Crl, PrivateKey, StatusCode, Thumbprint, ValidationOptions};
use serde_json::Value;

use crate::contract::{DesiredPki, ErrorCode, ItemError, Section};

/// The default `expiryWarningDays`: OPC 10000-12 §7.8.3 `CertificateExpirationAlarm`'s
/// default `ExpirationLimit` of two weeks.
pub const DEFAULT_EXPIRY_WARNING_DAYS: u32 = 14;

/// A decoded desired document. Names are the twin's map keys (`null` entries are absent).
#[derive(Debug, Clone, Default)]
pub struct Desired {
    /// The CA-signed certificate for the application's current key.
    pub application_cert: Option<Certificate>,
    /// The trusted peer store.
    pub trusted: BTreeMap<String, Certificate>,
    /// The trusted issuer store.
    pub issuers: BTreeMap<String, Certificate>,
    /// CRLs, installed next to the certificates of their issuers.
    pub crls: BTreeMap<String, Crl>,
    /// Rejected certificates to trust.
    pub approve_rejected: Vec<Thumbprint>,
    /// The policy knobs that were set.
    pub policy: PolicyKnobs,
    /// `expiryWarningDays`, when set.
    pub expiry_warning_days: Option<u32>,
    /// cert-agent: the module to restart after an own-certificate change.
    pub restart_module: Option<String>,
}

/// The validation policy knobs of a desired document, each `None` when not set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyKnobs {
    /// `rejectUnknownRevocationStatus`.
    pub reject_unknown_revocation: Option<bool>,
    /// `rejectSha1SignedCertificates`.
    pub reject_sha1: Option<bool>,
    /// `minimumCertificateKeySize`.
    pub min_key_bits: Option<u32>,
}

impl PolicyKnobs {
    /// `base` (the module's command line) with the knobs that are set.
    #[must_use]
    pub fn over(self, base: &ValidationOptions) -> ValidationOptions {
        ValidationOptions {
            reject_unknown_revocation: self
                .reject_unknown_revocation
                .unwrap_or(base.reject_unknown_revocation),
            reject_sha1: self.reject_sha1.unwrap_or(base.reject_sha1),
            min_key_bits: self.min_key_bits.unwrap_or(base.min_key_bits),
        }
    }
}

impl Desired {
    /// Reads and decodes a desired section; the first refused item is returned.
    pub fn parse(value: Option<&Value>, section: Section) -> Result<Self, ItemError> {
        Self::decode(&DesiredPki::from_twin(value, section)?)
    }

    /// Decodes a document's certificates, CRLs and thumbprints.
    pub fn decode(doc: &DesiredPki) -> Result<Self, ItemError> {
        let application_cert = doc
            .application_cert
            .as_deref()
            .map(|text| certificate("applicationCert", text))
            .transpose()?;
        let mut approve_rejected = Vec::new();
        for (name, approve) in &doc.approve_rejected {
            let item = format!("approveRejected.{name}");
            let thumbprint: Thumbprint = name.parse().map_err(|e: pki::ThumbprintParseError| {
                ItemError::new(item, ErrorCode::BadInvalidArgument, e.to_string())
            })?;
            if *approve == Some(true) {
                approve_rejected.push(thumbprint);
            }
        }
        Ok(Self {
            application_cert,
            trusted: entries("trusted", &doc.trusted, certificate)?,
            issuers: entries("issuers", &doc.issuers, certificate)?,
            crls: entries("crls", &doc.crls, crl)?,
            approve_rejected,
            policy: PolicyKnobs {
                reject_unknown_revocation: doc.reject_unknown_revocation_status,
                reject_sha1: doc.reject_sha1_signed_certificates,
                min_key_bits: doc.minimum_certificate_key_size,
            },
            expiry_warning_days: doc.expiry_warning_days,
            restart_module: doc.restart_module.clone(),
        })
    }

    /// The warning limit of the expiry report.
    #[must_use]
    pub fn warning_days(&self) -> u32 {
        self.expiry_warning_days
            .unwrap_or(DEFAULT_EXPIRY_WARNING_DAYS)
    }
}

fn certificate(item: &str, text: &str) -> Result<Certificate, ItemError> {
    Certificate::from_text(text).map_err(|e| {
        not_decoded(
            item,
            text,
            format!("not a base64 DER or PEM certificate: {e}"),
        )
    })
}

fn crl(item: &str, text: &str) -> Result<Crl, ItemError> {
    Crl::from_text(text)
        .map_err(|e| not_decoded(item, text, format!("not a base64 DER or PEM CRL: {e}")))
}

/// Why `text` did not decode: a private key pasted in place of a certificate or CRL is refused
/// as the key it is (never echoed), anything else as an invalid certificate.
fn not_decoded(item: &str, text: &str, message: String) -> ItemError {
    if PrivateKey::is_key_material(text) {
        return ItemError::new(
            item,
            ErrorCode::Status(StatusCode::BadSecurityChecksFailed),
            "a private key was given where a certificate or CRL belongs: private keys never \
             travel through twins; the application keeps its own key and reports a CSR for the \
             CA to sign",
        );
    }
    ItemError::new(
        item,
        ErrorCode::Status(StatusCode::BadCertificateInvalid),
        message,
    )
}

fn entries<T>(
    section: &str,
    texts: &BTreeMap<String, Option<String>>,
    decode: fn(&str, &str) -> Result<T, ItemError>,
) -> Result<BTreeMap<String, T>, ItemError> {
    let mut out = BTreeMap::new();
    for (name, text) in texts {
        if let Some(text) = text {
            out.insert(name.clone(), decode(&format!("{section}.{name}"), text)?);
        }
    }
    Ok(out)
}
