//! A fleet module's first start: a self-signed application certificate in a new store, as
//! `opc-plc` creates one (`pki::create_self_signed`'s profile: SHA-256, valid from yesterday for
//! 12 months, the key usages of OPC 10000-6 §6.2.2 plus keyCertSign, EKU serverAuth +
//! clientAuth, SAN `urn:<device>:<module>` and the device id as DNS name).
//!
//! The one difference: the RSA key is the fleet's **shared key of the module kind** (one per
//! configured module), not a fresh one per module. Generating 2,000 RSA-2048 keys takes minutes
//! on two cores; a shared key makes 1,000 devices start in seconds. Every certificate is still
//! its own (serial, subject, SAN, so its own thumbprint), every CSR names its module, and the
//! CA signs it as it would a real one; only the public key repeats across devices, which no
//! part of the provisioning flow looks at (docs/edge-sim.md, Fleets).

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509NameBuilder};
use pki::{Certificate, PrivateKey};
use time::{Duration, OffsetDateTime};

/// Why a certificate could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// openssl failed.
    #[error("openssl failed while creating a fleet certificate")]
    OpenSsl(#[from] ErrorStack),
    /// The new certificate did not parse back.
    #[error("the created certificate does not parse")]
    Parse(#[from] pki::DecodeError),
}

/// A module kind's shared RSA key.
pub(crate) fn generate_key() -> Result<PKey<Private>, ErrorStack> {
    PKey::from_rsa(openssl::rsa::Rsa::generate(2048)?)
}

/// The application URI of a fleet module: `urn:<device>:<module>`.
#[must_use]
pub fn application_uri(device: &str, module: &str) -> String {
    format!("urn:{device}:{module}")
}

/// A self-signed application certificate `CN=<module>, O=<device>` for `key`, and the key as
/// the store takes it.
pub(crate) fn self_signed(
    key: &PKey<Private>,
    device: &str,
    module: &str,
    now: OffsetDateTime,
) -> Result<(Certificate, PrivateKey), CertError> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("O", device)?;
    name.append_entry_by_text("CN", module)?;
    let name = name.build();
    let not_before = now - Duration::days(1);
    let not_after = pki::add_months(not_before, 12);
    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(159, MsbOption::MAYBE_ZERO, false)?;
    let serial = Asn1Integer::from_bn(&serial)?;
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
    let san = SubjectAlternativeName::new()
        .uri(&application_uri(device, module))
        .dns(device)
        .build(&builder.x509v3_context(None, None))?;
    builder.append_extension(san)?;
    builder.sign(key, MessageDigest::sha256())?;
    let der = builder.build().to_der()?;
    Ok((
        Certificate::from_der(&der)?,
        PrivateKey::from_pkey(key.clone()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_modules_sharing_a_key_get_their_own_certificates() {
        let key = generate_key().unwrap();
        let now = OffsetDateTime::now_utc();
        let (a, ka) = self_signed(&key, "plant-0001", "opcplc", now).unwrap();
        let (b, _) = self_signed(&key, "plant-0002", "opcplc", now).unwrap();
        assert_ne!(a.thumbprint(), b.thumbprint());
        assert_eq!(a.application_uri(), Some("urn:plant-0001:opcplc"));
        assert!(ka.matches(&a) && ka.matches(&b));
        assert_eq!(a.subject(), a.issuer());
    }
}
