//! Parsed X.509 certificates with the fields OPC UA trust decisions need.

use std::fmt;
use std::net::IpAddr;

use openssl::x509::X509;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

use crate::input::{self, DecodeError, MAX_CERTIFICATE_BYTES};
use crate::name;
use crate::thumbprint::Thumbprint;

/// Key usage bits (RFC 5280 §4.2.1.3), as a set.
// One bool per bit mirrors the RFC's named bits; a bitflags type would add a dependency for nothing.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyUsage {
    /// digitalSignature
    pub digital_signature: bool,
    /// nonRepudiation (contentCommitment)
    pub non_repudiation: bool,
    /// keyEncipherment
    pub key_encipherment: bool,
    /// dataEncipherment
    pub data_encipherment: bool,
    /// keyCertSign
    pub key_cert_sign: bool,
    /// cRLSign
    pub crl_sign: bool,
}

/// Extended key usage purposes OPC UA cares about (RFC 5280 §4.2.1.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExtendedKeyUsage {
    /// id-kp-serverAuth
    pub server_auth: bool,
    /// id-kp-clientAuth
    pub client_auth: bool,
    /// anyExtendedKeyUsage
    pub any: bool,
}

/// The digest of a certificate's signature, as far as policy checks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureDigest {
    /// MD5 or SHA-1: rejected by policy when SHA-1 rejection is on.
    Weak,
    /// SHA-256 or stronger (including RSA-PSS and ECDSA with SHA-2).
    Strong,
}

/// A parsed certificate: the DER, an openssl handle for crypto, and the decoded fields.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    x509: X509,
    thumbprint: Thumbprint,
    subject: String,
    issuer: String,
    subject_der: Vec<u8>,
    issuer_der: Vec<u8>,
    common_name: Option<String>,
    serial: Vec<u8>,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    basic_constraints: Option<(bool, Option<u32>)>,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Option<ExtendedKeyUsage>,
    application_uris: Vec<String>,
    dns_names: Vec<String>,
    ip_addresses: Vec<IpAddr>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    key_bits: u32,
    signature_digest: SignatureDigest,
    self_signed: bool,
    unknown_critical_extension: Option<String>,
}

impl Certificate {
    /// Parses exactly one certificate from DER.
    pub fn from_der(der: &[u8]) -> Result<Self, DecodeError> {
        input::check_size(der, "certificate", MAX_CERTIFICATE_BYTES)?;
        if input::is_pem(der) {
            return Err(DecodeError::InvalidDer {
                what: "certificate",
                reason: "PEM text where DER was expected".to_owned(),
            });
        }
        let (rest, _) = X509Certificate::from_der(der).map_err(|e| invalid(&e.to_string()))?;
        if !rest.is_empty() {
            return Err(invalid(&format!("{} bytes of trailing data", rest.len())));
        }
        Self::parse_one(der)
    }

    /// Parses a certificate given as DER or PEM (the first `CERTIFICATE` block).
    pub fn from_der_or_pem(bytes: &[u8]) -> Result<Self, DecodeError> {
        input::check_size(bytes, "certificate", MAX_CERTIFICATE_BYTES)?;
        if input::is_pem(bytes) {
            let blocks = input::pem_blocks(bytes, "certificate", "CERTIFICATE")?;
            // pem_blocks never returns an empty list.
            let first = blocks.first().map_or(&[][..], Vec::as_slice);
            return Self::from_der(first);
        }
        Self::from_der(bytes)
    }

    /// Parses a certificate from twin or command-line text: base64 of DER or PEM, or PEM text.
    pub fn from_text(text: &str) -> Result<Self, DecodeError> {
        let bytes = input::text_to_bytes(text, "certificate", MAX_CERTIFICATE_BYTES)?;
        Self::from_der_or_pem(&bytes)
    }

    /// Parses a chain as OPC UA sends it: DER certificates concatenated, leaf first.
    pub fn chain_from_der(bytes: &[u8]) -> Result<Vec<Self>, DecodeError> {
        if bytes.is_empty() {
            return Err(DecodeError::Empty {
                what: "certificate",
            });
        }
        let mut chain = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let (after, _) =
                X509Certificate::from_der(rest).map_err(|e| invalid(&e.to_string()))?;
            let used = rest.len() - after.len();
            chain.push(Self::parse_one(&rest[..used])?);
            rest = after;
            if chain.len() > 16 {
                return Err(invalid("more than 16 certificates in the chain"));
            }
        }
        Ok(chain)
    }

    fn parse_one(der: &[u8]) -> Result<Self, DecodeError> {
        let (_, parsed) = X509Certificate::from_der(der).map_err(|e| invalid(&e.to_string()))?;
        let x509 = X509::from_der(der).map_err(|e| invalid(&e.to_string()))?;
        let public_key = x509.public_key().map_err(|e| invalid(&e.to_string()))?;

        let mut cert = Self {
            der: der.to_vec(),
            thumbprint: Thumbprint::of(der),
            subject: name::dotnet_name(parsed.subject()),
            issuer: name::dotnet_name(parsed.issuer()),
            subject_der: parsed.subject().as_raw().to_vec(),
            issuer_der: parsed.issuer().as_raw().to_vec(),
            common_name: name::common_name(parsed.subject()),
            serial: trim_serial(parsed.raw_serial()),
            not_before: to_datetime(parsed.validity().not_before.timestamp()),
            not_after: to_datetime(parsed.validity().not_after.timestamp()),
            basic_constraints: None,
            key_usage: None,
            extended_key_usage: None,
            application_uris: Vec::new(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            subject_key_id: None,
            authority_key_id: None,
            key_bits: public_key.bits(),
            signature_digest: signature_digest(
                &parsed.signature_algorithm.algorithm.to_id_string(),
            ),
            self_signed: false,
            unknown_critical_extension: None,
            x509,
        };
        for ext in parsed.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::BasicConstraints(bc) => {
                    cert.basic_constraints = Some((bc.ca, bc.path_len_constraint));
                }
                ParsedExtension::KeyUsage(ku) => {
                    cert.key_usage = Some(KeyUsage {
                        digital_signature: ku.digital_signature(),
                        non_repudiation: ku.non_repudiation(),
                        key_encipherment: ku.key_encipherment(),
                        data_encipherment: ku.data_encipherment(),
                        key_cert_sign: ku.key_cert_sign(),
                        crl_sign: ku.crl_sign(),
                    });
                }
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    cert.extended_key_usage = Some(ExtendedKeyUsage {
                        server_auth: eku.server_auth,
                        client_auth: eku.client_auth,
                        any: eku.any,
                    });
                }
                ParsedExtension::SubjectAlternativeName(san) => {
                    for general in &san.general_names {
                        match general {
                            GeneralName::URI(uri) => cert.application_uris.push((*uri).to_owned()),
                            GeneralName::DNSName(dns) => cert.dns_names.push((*dns).to_owned()),
                            GeneralName::IPAddress(bytes) => {
                                if let Some(ip) = ip_from_bytes(bytes) {
                                    cert.ip_addresses.push(ip);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                ParsedExtension::SubjectKeyIdentifier(kid) => {
                    cert.subject_key_id = Some(kid.0.to_vec());
                }
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    cert.authority_key_id = aki.key_identifier.as_ref().map(|k| k.0.to_vec());
                }
                ParsedExtension::UnsupportedExtension { .. }
                | ParsedExtension::ParseError { .. }
                    if ext.critical =>
                {
                    cert.unknown_critical_extension = Some(ext.oid.to_id_string());
                }
                _ => {}
            }
        }
        cert.self_signed =
            cert.subject_der == cert.issuer_der && cert.x509.verify(&public_key).unwrap_or(false);
        Ok(cert)
    }

    /// The DER encoding.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The PEM encoding.
    #[must_use]
    pub fn pem(&self) -> String {
        let body = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &self.der);
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        for line in body.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }

    /// The openssl handle (for signature checks and TLS/OPC UA stacks).
    #[must_use]
    pub fn x509(&self) -> &X509 {
        &self.x509
    }

    /// SHA-1 thumbprint of the DER.
    #[must_use]
    pub fn thumbprint(&self) -> Thumbprint {
        self.thumbprint
    }

    /// Subject in .NET form, e.g. `CN=OpcPlc`.
    #[must_use]
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Issuer in .NET form.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// DER of the subject name (for exact name matching).
    #[must_use]
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }

    /// DER of the issuer name.
    #[must_use]
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer_der
    }

    /// The subject's common name as .NET reads it (the last `CN` in DER order), if any.
    #[must_use]
    pub fn common_name(&self) -> Option<&str> {
        self.common_name.as_deref()
    }

    /// The stem of store file names, by the .NET directory store's rule (see `name::file_stem`).
    #[must_use]
    pub fn file_stem(&self) -> String {
        name::file_stem(self.common_name.as_deref())
    }

    /// The serial number's big-endian magnitude, without leading zeros.
    #[must_use]
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// Start of the validity period.
    #[must_use]
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    /// End of the validity period.
    #[must_use]
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// True when `now` lies within the validity period.
    #[must_use]
    pub fn is_valid_at(&self, now: OffsetDateTime) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    /// True when basicConstraints says `CA:TRUE`.
    #[must_use]
    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    /// The basicConstraints path length limit, if any.
    #[must_use]
    pub fn path_len(&self) -> Option<u32> {
        self.basic_constraints.and_then(|(_, len)| len)
    }

    /// The key usage extension, if present.
    #[must_use]
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.key_usage
    }

    /// The extended key usage extension, if present.
    #[must_use]
    pub fn extended_key_usage(&self) -> Option<ExtendedKeyUsage> {
        self.extended_key_usage
    }

    /// URIs of the `subjectAltName` (the first is the OPC UA `ApplicationUri`).
    #[must_use]
    pub fn application_uris(&self) -> &[String] {
        &self.application_uris
    }

    /// The `ApplicationUri`: the first URI of the `subjectAltName` (OPC 10000-6 §6.2.2).
    #[must_use]
    pub fn application_uri(&self) -> Option<&str> {
        self.application_uris.first().map(String::as_str)
    }

    /// DNS names of the subjectAltName.
    #[must_use]
    pub fn dns_names(&self) -> &[String] {
        &self.dns_names
    }

    /// IP addresses of the subjectAltName.
    #[must_use]
    pub fn ip_addresses(&self) -> &[IpAddr] {
        &self.ip_addresses
    }

    /// The subjectKeyIdentifier, if present.
    #[must_use]
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.as_deref()
    }

    /// The authorityKeyIdentifier's keyIdentifier, if present.
    #[must_use]
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }

    /// Public key size in bits.
    #[must_use]
    pub fn key_bits(&self) -> u32 {
        self.key_bits
    }

    /// Strength class of the signature digest.
    #[must_use]
    pub fn signature_digest(&self) -> SignatureDigest {
        self.signature_digest
    }

    /// True when subject equals issuer and the certificate verifies with its own key.
    #[must_use]
    pub fn is_self_signed(&self) -> bool {
        self.self_signed
    }

    /// The OID of a critical extension this parser does not understand, if any
    /// (RFC 5280 §4.2: such a certificate must be rejected).
    #[must_use]
    pub fn unknown_critical_extension(&self) -> Option<&str> {
        self.unknown_critical_extension.as_deref()
    }

    /// True when `issuer` could have signed this certificate: names match and, when both carry
    /// key identifiers, they match too. The signature is checked by [`Self::is_signed_by`].
    #[must_use]
    pub fn names_issuer(&self, issuer: &Certificate) -> bool {
        if self.issuer_der != issuer.subject_der {
            return false;
        }
        match (&self.authority_key_id, &issuer.subject_key_id) {
            (Some(aki), Some(ski)) => aki == ski,
            _ => true,
        }
    }

    /// True when this certificate's signature verifies with `issuer`'s public key.
    #[must_use]
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        issuer
            .x509
            .public_key()
            .and_then(|key| self.x509.verify(&key))
            .unwrap_or(false)
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject)
            .field("thumbprint", &self.thumbprint)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

fn invalid(reason: &str) -> DecodeError {
    DecodeError::InvalidDer {
        what: "certificate",
        reason: reason.to_owned(),
    }
}

pub(crate) fn to_datetime(timestamp: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(timestamp).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub(crate) fn trim_serial(raw: &[u8]) -> Vec<u8> {
    let skip = raw.iter().take_while(|b| **b == 0).count();
    raw[skip..].to_vec()
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

fn signature_digest(oid: &str) -> SignatureDigest {
    const WEAK: &[&str] = &[
        "1.2.840.113549.1.1.4", // md5WithRSAEncryption
        "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
        "1.2.840.10045.4.1",    // ecdsa-with-SHA1
        "1.2.840.10040.4.3",    // dsa-with-sha1
        "1.3.14.3.2.29",        // sha1WithRSASignature (OIW)
    ];
    if WEAK.contains(&oid) {
        SignatureDigest::Weak
    } else {
        SignatureDigest::Strong
    }
}
