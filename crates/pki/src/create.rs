//! Creating the application's own credentials on the device: a self-signed application
//! instance certificate (OPC 10000-6 §6.2.2) and a PKCS#10 request for the CA.

use std::net::IpAddr;

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::stack::Stack;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509NameBuilder, X509ReqBuilder};
use time::{Duration, OffsetDateTime};

use crate::cert::Certificate;
use crate::key::PrivateKey;

/// Why a certificate or CSR could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The subject is not `CN=...[, O=...]` or a plain name.
    #[error("invalid subject name '{0}'")]
    Subject(String),
    /// The key size is not one OPC UA policies accept.
    #[error("unsupported RSA key size {0} (use 2048, 3072 or 4096)")]
    KeySize(u32),
    /// openssl failed.
    #[error("openssl failed while creating the certificate or request")]
    OpenSsl(#[from] ErrorStack),
    /// The new certificate did not parse back (should not happen).
    #[error("the created certificate does not parse")]
    Parse(#[from] crate::DecodeError),
}

/// What a self-signed application certificate says about the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfSignedSpec {
    /// Subject, e.g. `CN=OpcPlc` or just `OpcPlc` (taken as the CN).
    pub subject: String,
    /// `ApplicationUri`, the SAN URI.
    pub application_uri: String,
    /// Host names and IP addresses for the SAN.
    pub dns_names: Vec<String>,
    /// RSA key size (the OPC PLC's 2048).
    pub key_bits: u32,
    /// Validity in months from yesterday (the OPC PLC's 12).
    pub lifetime_months: u32,
}

impl SelfSignedSpec {
    /// The OPC PLC's defaults: 2048-bit key, 12 months.
    #[must_use]
    pub fn new(subject: &str, application_uri: &str, dns_names: Vec<String>) -> Self {
        Self {
            subject: subject.to_owned(),
            application_uri: application_uri.to_owned(),
            dns_names,
            key_bits: 2048,
            lifetime_months: 12,
        }
    }
}

/// A new RSA key of `bits` (2048, 3072 or 4096) from OpenSSL's CSPRNG.
pub fn generate_rsa_key(bits: u32) -> Result<PrivateKey, CreateError> {
    if !matches!(bits, 2048 | 3072 | 4096) {
        return Err(CreateError::KeySize(bits));
    }
    Ok(PrivateKey::from_pkey(PKey::from_rsa(Rsa::generate(bits)?)?))
}

/// Creates a self-signed application certificate and its new key: RSA, SHA-256, valid from
/// yesterday for `lifetime_months`, SAN URI + DNS names, the key usages of OPC 10000-6 §6.2.2
/// (plus keyCertSign, so the certificate verifies itself, as the .NET stack does) and EKU
/// serverAuth + clientAuth.
pub fn create_self_signed(
    spec: &SelfSignedSpec,
    now: OffsetDateTime,
) -> Result<(Certificate, PrivateKey), CreateError> {
    if !matches!(spec.key_bits, 2048 | 3072 | 4096) {
        return Err(CreateError::KeySize(spec.key_bits));
    }
    let key = PKey::from_rsa(Rsa::generate(spec.key_bits)?)?;
    let cert = create_self_signed_for_key(spec, &key, now)?;
    Ok((cert, PrivateKey::from_pkey(key)))
}

/// [`create_self_signed`]'s certificate for an existing `key` (whose size is then the
/// certificate's; `spec.key_bits` is not used): the same profile, so a simulator that shares
/// one key among many stores (edge-sim's fleets) issues exactly what a module would.
pub fn create_self_signed_for_key(
    spec: &SelfSignedSpec,
    key: &PKey<Private>,
    now: OffsetDateTime,
) -> Result<Certificate, CreateError> {
    let name = build_name(&spec.subject)?;
    let not_before = now - Duration::days(1);
    let not_after = add_months(not_before, spec.lifetime_months);

    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    let serial = random_serial()?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(key)?;
    let (start, end) = (
        Asn1Time::from_unix(not_before.unix_timestamp())?,
        Asn1Time::from_unix(not_after.unix_timestamp())?,
    );
    builder.set_not_before(&start)?;
    builder.set_not_after(&end)?;
    builder.append_extension(BasicConstraints::new().critical().build()?)?;
    builder.append_extension(
        KeyUsage::new()
            .critical()
            .digital_signature()
            .non_repudiation()
            .key_encipherment()
            .data_encipherment()
            .key_cert_sign()
            .build()?,
    )?;
    builder.append_extension(
        ExtendedKeyUsage::new()
            .server_auth()
            .client_auth()
            .build()?,
    )?;
    let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(None, None))?;
    builder.append_extension(ski)?;
    let aki = AuthorityKeyIdentifier::new()
        .keyid(true)
        .build(&builder.x509v3_context(None, None))?;
    builder.append_extension(aki)?;
    let san =
        san(&spec.application_uri, &spec.dns_names).build(&builder.x509v3_context(None, None))?;
    builder.append_extension(san)?;
    builder.sign(key, MessageDigest::sha256())?;
    let der = builder.build().to_der()?;
    Ok(Certificate::from_der(&der)?)
}

/// Creates a PKCS#10 request (DER) for the existing key, with the certificate's subject and a
/// SAN of the `ApplicationUri` and DNS names (by default those of the certificate).
pub fn create_csr(
    cert: &Certificate,
    key: &PrivateKey,
    application_uri: Option<&str>,
    dns_names: Option<&[String]>,
) -> Result<Vec<u8>, CreateError> {
    create_csr_with_subject(cert, key, None, application_uri, dns_names)
}

/// [`create_csr`] asking for `subject` (`CN=x, O=y` in .NET order, or a plain name taken as
/// the CN) instead of the certificate's when given: OPC UA `CreateSigningRequest`'s
/// `subjectName`.
pub fn create_csr_with_subject(
    cert: &Certificate,
    key: &PrivateKey,
    subject: Option<&str>,
    application_uri: Option<&str>,
    dns_names: Option<&[String]>,
) -> Result<Vec<u8>, CreateError> {
    let uri = application_uri
        .or(cert.application_uri())
        .unwrap_or_default();
    let mut names: Vec<String> = match dns_names {
        Some(names) => names.to_vec(),
        None => cert.dns_names().to_vec(),
    };
    if dns_names.is_none() {
        names.extend(cert.ip_addresses().iter().map(ToString::to_string));
    }
    let mut builder = X509ReqBuilder::new()?;
    builder.set_version(0)?;
    match subject {
        Some(subject) => builder.set_subject_name(build_name(subject)?.as_ref())?,
        None => builder.set_subject_name(cert.x509().subject_name())?,
    }
    builder.set_pubkey(key.pkey())?;
    let mut extensions = Stack::new()?;
    extensions.push(san(uri, &names).build(&builder.x509v3_context(None))?)?;
    builder.add_extensions(&extensions)?;
    builder.sign(key.pkey(), MessageDigest::sha256())?;
    Ok(builder.build().to_der()?)
}

fn san(uri: &str, names: &[String]) -> SubjectAlternativeName {
    let mut san = SubjectAlternativeName::new();
    if !uri.is_empty() {
        san.uri(uri);
    }
    for name in names {
        if name.parse::<IpAddr>().is_ok() {
            san.ip(name);
        } else {
            san.dns(name);
        }
    }
    san
}

/// Builds a name from `.NET` display order (`CN=x, O=y`): DER order is the reverse.
fn build_name(subject: &str) -> Result<openssl::x509::X509Name, CreateError> {
    let mut parts = Vec::new();
    for part in subject.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((key, value)) if !value.trim().is_empty() => {
                let key = match key.trim().to_ascii_uppercase().as_str() {
                    "S" => "ST".to_owned(),
                    other => other.to_owned(),
                };
                parts.push((key, value.trim().trim_matches('"').to_owned()));
            }
            None if parts.is_empty() => parts.push(("CN".to_owned(), part.to_owned())),
            _ => return Err(CreateError::Subject(subject.to_owned())),
        }
    }
    if parts.is_empty() {
        return Err(CreateError::Subject(subject.to_owned()));
    }
    let mut name = X509NameBuilder::new()?;
    for (key, value) in parts.iter().rev() {
        name.append_entry_by_text(key, value)
            .map_err(|_| CreateError::Subject(subject.to_owned()))?;
    }
    Ok(name.build())
}

fn random_serial() -> Result<Asn1Integer, ErrorStack> {
    let mut serial = BigNum::new()?;
    // 127 random bits with the top bit clear: positive, and at most 16 bytes (RFC 5280 §4.1.2.2).
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;
    serial.to_asn1_integer()
}

/// Adds calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29), like .NET `AddMonths`;
/// `at` itself if the result is past the year 9999.
#[must_use]
pub fn add_months(at: OffsetDateTime, months: u32) -> OffsetDateTime {
    let total = i64::from(at.year()) * 12 + i64::from(u8::from(at.month())) - 1 + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(9999);
    let month = time::Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(time::Month::January);
    let day = at.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day).map_or(at, |date| at.replace_date(date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn months_are_added_like_dotnet() {
        assert_eq!(
            add_months(datetime!(2026-01-31 10:00 UTC), 1),
            datetime!(2026-02-28 10:00 UTC)
        );
        assert_eq!(
            add_months(datetime!(2026-11-26 10:00 UTC), 12),
            datetime!(2027-11-26 10:00 UTC)
        );
        // A year after a leap day is Feb 28 (opc-vault's lifetimes in years).
        assert_eq!(
            add_months(datetime!(2028-02-29 10:00 UTC), 12),
            datetime!(2029-02-28 10:00 UTC)
        );
    }

    #[test]
    fn self_signed_certificate_has_the_opc_ua_profile() {
        let now = datetime!(2026-11-27 12:00 UTC);
        let spec = SelfSignedSpec::new(
            "CN=OpcPlc",
            "urn:OpcPlc:plc1",
            vec!["plc1".into(), "127.0.0.1".into()],
        );
        let (cert, key) = create_self_signed(&spec, now).unwrap();
        assert_eq!(cert.subject(), "CN=OpcPlc");
        assert!(cert.is_self_signed());
        assert!(!cert.is_ca());
        assert_eq!(cert.application_uri(), Some("urn:OpcPlc:plc1"));
        assert_eq!(cert.dns_names(), ["plc1".to_owned()]);
        assert_eq!(
            cert.ip_addresses(),
            ["127.0.0.1".parse::<IpAddr>().unwrap()]
        );
        assert_eq!(cert.not_before(), datetime!(2026-11-26 12:00 UTC));
        assert_eq!(cert.not_after(), datetime!(2027-11-26 12:00 UTC));
        assert_eq!(cert.key_bits(), 2048);
        let ku = cert.key_usage().unwrap();
        assert!(
            ku.digital_signature
                && ku.non_repudiation
                && ku.key_encipherment
                && ku.data_encipherment
        );
        let eku = cert.extended_key_usage().unwrap();
        assert!(eku.server_auth && eku.client_auth);
        assert!(key.matches(&cert));
    }

    #[test]
    fn csr_carries_subject_and_san_and_is_signed_by_the_key() {
        let now = datetime!(2026-11-27 12:00 UTC);
        let spec = SelfSignedSpec::new(
            "CN=OpcPlc, O=Contoso",
            "urn:OpcPlc:plc1",
            vec!["plc1".into()],
        );
        let (cert, key) = create_self_signed(&spec, now).unwrap();
        assert_eq!(cert.subject(), "CN=OpcPlc, O=Contoso");
        let der = create_csr(&cert, &key, None, None).unwrap();
        let req = openssl::x509::X509Req::from_der(&der).unwrap();
        assert!(req.verify(key.pkey()).unwrap());
        let text = String::from_utf8(req.to_text().unwrap()).unwrap();
        assert!(text.contains("URI:urn:OpcPlc:plc1"), "{text}");
        assert!(text.contains("DNS:plc1"), "{text}");
        assert!(
            text.contains("CN = OpcPlc") || text.contains("CN=OpcPlc"),
            "{text}"
        );
    }

    #[test]
    fn a_csr_may_ask_for_another_subject_and_a_generated_key() {
        let now = datetime!(2026-11-27 12:00 UTC);
        let spec = SelfSignedSpec::new("CN=OpcPlc", "urn:OpcPlc:plc1", vec![]);
        let (cert, _) = create_self_signed(&spec, now).unwrap();
        let key = generate_rsa_key(2048).unwrap();
        assert_eq!(key.bits(), 2048);
        assert!(!key.matches(&cert));
        let der =
            create_csr_with_subject(&cert, &key, Some("CN=Plc2, O=Contoso"), None, None).unwrap();
        let req = openssl::x509::X509Req::from_der(&der).unwrap();
        assert!(req.verify(key.pkey()).unwrap());
        let text = String::from_utf8(req.to_text().unwrap()).unwrap();
        assert!(text.contains("Plc2") && text.contains("Contoso"), "{text}");
        assert!(text.contains("URI:urn:OpcPlc:plc1"), "{text}");
        assert!(matches!(
            create_csr_with_subject(&cert, &key, Some("CN="), None, None),
            Err(CreateError::Subject(_))
        ));
        assert!(matches!(
            generate_rsa_key(1024),
            Err(CreateError::KeySize(1024))
        ));
    }

    #[test]
    fn bad_subjects_and_key_sizes_are_refused() {
        let now = datetime!(2026-11-27 12:00 UTC);
        let mut spec = SelfSignedSpec::new("CN=", "urn:x", vec![]);
        assert!(matches!(
            create_self_signed(&spec, now),
            Err(CreateError::Subject(_))
        ));
        spec.subject = "CN=x".into();
        spec.key_bits = 1000;
        assert!(matches!(
            create_self_signed(&spec, now),
            Err(CreateError::KeySize(1000))
        ));
    }
}
