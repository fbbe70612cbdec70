//! The TLS client configuration: the edge CA as the only trust anchor.
//!
//! rustls with an explicit `ring` provider, so nothing depends on a process-wide default
//! provider being installed (another crate in the process may enable a second one). The
//! server name checked is the MQTT host, i.e. the gateway host name (docs/reference/iot-edge.md
//! §2.2 step 4).

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::error::TlsError;

/// A client configuration trusting exactly the certificates in `ca_pem`.
///
/// Certificates rustls cannot use as trust anchors are skipped (a trust bundle may hold
/// more than the edge CA); at least one must remain.
pub(crate) fn client_config(ca_pem: &str) -> Result<Arc<ClientConfig>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(ca_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(TlsError::Pem)?;
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(certs);
    if ignored > 0 {
        tracing::warn!(
            ignored,
            "skipping unusable certificates of the trust bundle"
        );
    }
    if added == 0 {
        return Err(TlsError::NoCertificate);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Rustls)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_without_certificates_is_refused() {
        assert!(matches!(client_config(""), Err(TlsError::NoCertificate)));
        assert!(matches!(
            client_config("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            Err(TlsError::NoCertificate)
        ));
    }
}
