//! A fleet module's first start: a self-signed application certificate in a new store, made by
//! `pki::create_self_signed_for_key`, so with exactly the profile `opc-plc` gets from
//! `pki::create_self_signed` (SHA-256, valid from yesterday for 12 months, the key usages of
//! OPC 10000-6 §6.2.2 plus keyCertSign, EKU serverAuth + clientAuth), subject
//! `CN=<module>, O=<device>`, SAN `urn:<device>:<module>` and the device id as DNS name.
//!
//! The one difference: the RSA key is the fleet's **shared key of the module kind** (one per
//! configured module), not a fresh one per module. Generating 2,000 RSA-2048 keys takes minutes
//! on two cores; a shared key makes 1,000 devices start in seconds. Every certificate is still
//! its own (serial, subject, SAN, so its own thumbprint), every CSR names its module, and the
//! CA signs it as it would a real one; only the public key repeats across devices, which no
//! part of the provisioning flow looks at (docs/edge-sim.md, Fleets).

use openssl::error::ErrorStack;
use openssl::pkey::{PKey, Private};
use pki::{Certificate, PrivateKey, SelfSignedSpec};
use time::OffsetDateTime;

/// Why a certificate could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// openssl failed.
    #[error("openssl failed while creating a fleet certificate")]
    OpenSsl(#[from] ErrorStack),
    /// `pki` could not create it.
    #[error("the fleet certificate could not be created")]
    Create(#[from] pki::CreateError),
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
    let spec = SelfSignedSpec::new(
        &format!("CN={module}, O={device}"),
        &application_uri(device, module),
        vec![device.to_owned()],
    );
    let certificate = pki::create_self_signed_for_key(&spec, key, now)?;
    Ok((certificate, PrivateKey::from_pkey(key.clone())))
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
