//! Building the vault's certificates with OpenSSL: the self-signed root, the issuing
//! intermediate, application certificates (the OPC 10000-6 §6.2.2 profile) and CRLs.

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, PKeyRef, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509Name, X509NameBuilder};
use pki::{Certificate, CrlBuilder};
use time::{Duration, OffsetDateTime};

use crate::csr::CertificateRequest;
use crate::error::VaultError;
use crate::model::{CertType, IssuedRecord};

/// The RSA key sizes a CA may have.
pub const KEY_SIZES: [u32; 3] = [2048, 3072, 4096];

/// How far certificates are back-dated, for devices whose clocks run a little behind.
const BACKDATE: Duration = Duration::hours(1);

/// A CA certificate with its private key.
#[derive(Clone)]
pub struct CaKeyPair {
    /// The certificate.
    pub cert: Certificate,
    /// The key.
    pub key: PKey<Private>,
}

impl std::fmt::Debug for CaKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaKeyPair")
            .field("cert", &self.cert)
            .finish_non_exhaustive()
    }
}

/// A new RSA key of `bits` (2048, 3072 or 4096).
pub fn generate_key(bits: u32) -> Result<PKey<Private>, VaultError> {
    if !KEY_SIZES.contains(&bits) {
        return Err(VaultError::Invalid(format!(
            "unsupported RSA key size {bits}: use 2048, 3072 or 4096"
        )));
    }
    Rsa::generate(bits)
        .and_then(PKey::from_rsa)
        .map_err(VaultError::openssl("generating an RSA key"))
}

/// A 20-byte random positive serial number (RFC 5280 §4.1.2.2; OPC Vault's length).
pub fn random_serial() -> Result<[u8; 20], VaultError> {
    let mut serial = [0u8; 20];
    openssl::rand::rand_bytes(&mut serial).map_err(VaultError::openssl("drawing a serial"))?;
    // Positive (top bit clear) and exactly 20 bytes long (first byte not zero).
    serial[0] &= 0x7f;
    if serial[0] == 0 {
        serial[0] = 0x01;
    }
    Ok(serial)
}

/// Upper-case hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })
}

/// Parses a subject in display order (`CN=OPC Vault CA, O=Contoso`; a plain name is the CN)
/// into a name whose DER order is the reverse, as the .NET stack and `pki` show names.
pub fn subject_name(subject: &str) -> Result<X509Name, VaultError> {
    let invalid = || {
        VaultError::Invalid(format!(
            "invalid subject '{subject}': expected CN=<name>[, O=<organization>, …]"
        ))
    };
    let mut parts = Vec::new();
    for part in subject.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((key, value)) if !value.trim().is_empty() && !key.trim().is_empty() => {
                let key = match key.trim().to_ascii_uppercase().as_str() {
                    "S" => "ST".to_owned(),
                    other => other.to_owned(),
                };
                parts.push((key, value.trim().trim_matches('"').to_owned()));
            }
            None if parts.is_empty() => parts.push(("CN".to_owned(), part.to_owned())),
            _ => return Err(invalid()),
        }
    }
    if !parts.iter().any(|(key, _)| key == "CN") {
        return Err(invalid());
    }
    let mut name = X509NameBuilder::new().map_err(VaultError::openssl("building a name"))?;
    for (key, value) in parts.iter().rev() {
        name.append_entry_by_text(key, value)
            .map_err(|_| invalid())?;
    }
    Ok(name.build())
}

fn asn1_time(at: OffsetDateTime) -> Result<Asn1Time, VaultError> {
    Asn1Time::from_unix(at.unix_timestamp()).map_err(VaultError::openssl("encoding a time"))
}

fn serial_integer(serial: &[u8]) -> Result<Asn1Integer, VaultError> {
    BigNum::from_slice(serial)
        .and_then(|bn| bn.to_asn1_integer())
        .map_err(VaultError::openssl("encoding a serial"))
}

fn parsed(cert: &X509) -> Result<Certificate, VaultError> {
    let der = cert
        .to_der()
        .map_err(VaultError::openssl("encoding a certificate"))?;
    Certificate::from_der(&der).map_err(|e| {
        VaultError::Invalid(format!(
            "the certificate just built does not parse back: {e}"
        ))
    })
}

/// The start and end of a new certificate under `issuer` (`None` for a root): back-dated an
/// hour (not before the issuer), `years` long, capped by the issuer's `notAfter`.
fn validity(
    now: OffsetDateTime,
    years: u32,
    issuer: Option<&Certificate>,
) -> Result<(OffsetDateTime, OffsetDateTime), VaultError> {
    let now = now.truncate_to_second();
    let mut not_before = now - BACKDATE;
    let mut not_after = pki::add_months(now, years.saturating_mul(12));
    if let Some(issuer) = issuer {
        not_before = not_before.max(issuer.not_before());
        not_after = not_after.min(issuer.not_after());
        if not_after <= now {
            return Err(VaultError::CaExpired {
                subject: issuer.subject().to_owned(),
                not_after: issuer.not_after(),
            });
        }
    }
    Ok((not_before, not_after))
}

fn builder_for(
    subject: &openssl::x509::X509NameRef,
    issuer: &openssl::x509::X509NameRef,
    public: &PKeyRef<impl openssl::pkey::HasPublic>,
    (not_before, not_after): (OffsetDateTime, OffsetDateTime),
) -> Result<X509Builder, VaultError> {
    let build = || -> Result<X509Builder, openssl::error::ErrorStack> {
        let mut builder = X509::builder()?;
        builder.set_version(2)?;
        builder.set_subject_name(subject)?;
        builder.set_issuer_name(issuer)?;
        builder.set_pubkey(public)?;
        Ok(builder)
    };
    let mut builder = build().map_err(VaultError::openssl("building a certificate"))?;
    let serial = serial_integer(&random_serial()?)?;
    builder
        .set_serial_number(&serial)
        .map_err(VaultError::openssl("building a certificate"))?;
    let (start, end) = (asn1_time(not_before)?, asn1_time(not_after)?);
    builder
        .set_not_before(&start)
        .map_err(VaultError::openssl("setting the validity"))?;
    builder
        .set_not_after(&end)
        .map_err(VaultError::openssl("setting the validity"))?;
    Ok(builder)
}

/// A self-signed root CA: `CA:TRUE` (critical), keyCertSign and cRLSign (critical), SKI,
/// SHA-256, valid for `years` from an hour ago.
pub fn create_root(
    subject: &str,
    key: PKey<Private>,
    years: u32,
    now: OffsetDateTime,
) -> Result<CaKeyPair, VaultError> {
    let name = subject_name(subject)?;
    let mut builder = builder_for(&name, &name, &key, validity(now, years, None)?)?;
    let sign = |builder: &mut X509Builder| -> Result<(), openssl::error::ErrorStack> {
        builder.append_extension(BasicConstraints::new().critical().ca().build()?)?;
        builder.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()?,
        )?;
        let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(None, None))?;
        builder.append_extension(ski)?;
        builder.sign(&key, MessageDigest::sha256())
    };
    sign(&mut builder).map_err(VaultError::openssl("signing the root CA"))?;
    Ok(CaKeyPair {
        cert: parsed(&builder.build())?,
        key,
    })
}

/// An issuing intermediate CA under `root`: `CA:TRUE, pathlen:0` (critical), keyCertSign and
/// cRLSign (critical), AKI, SKI, SHA-256, valid for `years` capped by the root.
pub fn create_intermediate(
    root: &CaKeyPair,
    subject: &str,
    key: PKey<Private>,
    years: u32,
    now: OffsetDateTime,
) -> Result<CaKeyPair, VaultError> {
    let name = subject_name(subject)?;
    let root_x509 = root.cert.x509();
    let mut builder = builder_for(
        &name,
        root_x509.subject_name(),
        &key,
        validity(now, years, Some(&root.cert))?,
    )?;
    let sign = |builder: &mut X509Builder| -> Result<(), openssl::error::ErrorStack> {
        builder.append_extension(BasicConstraints::new().critical().ca().pathlen(0).build()?)?;
        builder.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()?,
        )?;
        let ski =
            SubjectKeyIdentifier::new().build(&builder.x509v3_context(Some(root_x509), None))?;
        builder.append_extension(ski)?;
        let aki = AuthorityKeyIdentifier::new()
            .keyid(true)
            .build(&builder.x509v3_context(Some(root_x509), None))?;
        builder.append_extension(aki)?;
        builder.sign(&root.key, MessageDigest::sha256())
    };
    sign(&mut builder).map_err(VaultError::openssl("signing the issuing CA"))?;
    Ok(CaKeyPair {
        cert: parsed(&builder.build())?,
        key,
    })
}

/// An application instance certificate for `csr` from `issuer` (OPC 10000-6 §6.2.2): the
/// CSR's subject and subjectAltName (URI, DNS names, IP addresses), keyUsage
/// digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment (critical), EKU by
/// `cert_type`, `CA:FALSE` (critical), SKI, AKI, a 20-byte random serial, SHA-256, valid for
/// `years` from an hour ago, capped by the issuer's `notAfter`.
pub fn create_application_certificate(
    issuer: &CaKeyPair,
    csr: &CertificateRequest,
    cert_type: CertType,
    years: u32,
    now: OffsetDateTime,
) -> Result<Certificate, VaultError> {
    let public = csr.public_key()?;
    let issuer_x509 = issuer.cert.x509();
    let mut builder = builder_for(
        csr.subject(),
        issuer_x509.subject_name(),
        &public,
        validity(now, years, Some(&issuer.cert))?,
    )?;
    let sign = |builder: &mut X509Builder| -> Result<(), openssl::error::ErrorStack> {
        builder.append_extension(BasicConstraints::new().critical().build()?)?;
        builder.append_extension(
            KeyUsage::new()
                .critical()
                .digital_signature()
                .non_repudiation()
                .key_encipherment()
                .data_encipherment()
                .build()?,
        )?;
        let mut eku = ExtendedKeyUsage::new();
        if matches!(cert_type, CertType::Server | CertType::Both) {
            eku.server_auth();
        }
        if matches!(cert_type, CertType::Client | CertType::Both) {
            eku.client_auth();
        }
        builder.append_extension(eku.build()?)?;
        let ski =
            SubjectKeyIdentifier::new().build(&builder.x509v3_context(Some(issuer_x509), None))?;
        builder.append_extension(ski)?;
        let aki = AuthorityKeyIdentifier::new()
            .keyid(true)
            .build(&builder.x509v3_context(Some(issuer_x509), None))?;
        builder.append_extension(aki)?;
        let mut san = SubjectAlternativeName::new();
        for uri in csr.uris() {
            san.uri(uri);
        }
        for dns in csr.dns_names() {
            san.dns(dns);
        }
        for ip in csr.ip_addresses() {
            san.ip(&ip.to_string());
        }
        let san = san.build(&builder.x509v3_context(Some(issuer_x509), None))?;
        builder.append_extension(san)?;
        builder.sign(&issuer.key, MessageDigest::sha256())
    };
    sign(&mut builder).map_err(VaultError::openssl("signing the application certificate"))?;
    parsed(&builder.build())
}

/// A CRL of `ca` listing every revoked certificate of `issued` that it issued.
pub fn create_crl<'a>(
    ca: &CaKeyPair,
    revoked: impl IntoIterator<Item = &'a IssuedRecord>,
    number: u64,
    this_update: OffsetDateTime,
    next_update: OffsetDateTime,
) -> Result<Vec<u8>, VaultError> {
    let mut builder = CrlBuilder::new(ca.cert.x509(), &ca.key, this_update)
        .next_update(next_update)
        .crl_number(number);
    for record in revoked {
        let serial = serial_bytes(&record.serial)?;
        builder = builder.revoke_serial_for(
            &serial,
            record.revoked_at.unwrap_or(this_update),
            record.reason.map_or(
                pki::CrlReason::Unspecified,
                crate::model::RevocationReason::crl_reason,
            ),
        );
    }
    builder.sign().map_err(|source| VaultError::Crl {
        subject: ca.cert.subject().to_owned(),
        source,
    })
}

/// The bytes of an upper-case hex serial.
fn serial_bytes(hex: &str) -> Result<Vec<u8>, VaultError> {
    let invalid = || VaultError::Invalid(format!("'{hex}' is not a hexadecimal serial number"));
    if !hex.len().is_multiple_of(2) {
        return Err(invalid());
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(hex.get(i..i + 2).ok_or_else(invalid)?, 16).map_err(|_| invalid())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn serials_are_twenty_positive_bytes_and_round_trip_through_hex() {
        for _ in 0..64 {
            let serial = random_serial().unwrap();
            assert!(serial[0] != 0 && serial[0] < 0x80);
            assert_eq!(serial_bytes(&hex(&serial)).unwrap(), serial);
        }
        assert!(serial_bytes("ABC").is_err());
        assert!(serial_bytes("ZZ").is_err());
    }

    #[test]
    fn subjects_are_read_in_display_order_and_need_a_common_name() {
        let name = subject_name("CN=OPC Vault CA, O=Contoso, C=DE").unwrap();
        let entries: Vec<String> = name
            .entries()
            .map(|e| e.data().to_string().unwrap())
            .collect();
        assert_eq!(entries, ["DE", "Contoso", "OPC Vault CA"]);
        assert!(subject_name("Plain Name").is_ok());
        assert!(subject_name("O=Contoso").is_err());
        assert!(subject_name("CN=").is_err());
        assert!(subject_name("CN=x, garbage").is_err());
        assert!(subject_name("CN=x, XX=y").is_err());
    }

    #[test]
    fn key_sizes_other_than_the_opc_ua_ones_are_refused() {
        assert!(matches!(generate_key(1024), Err(VaultError::Invalid(_))));
    }
}
