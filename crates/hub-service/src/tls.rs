//! The TLS side: which certificates verify the hub ([`TlsTrust`]) and the OpenSSL connector.
//!
//! OpenSSL (through `tokio-openssl`), not rustls: edge-sim's servers, its CLI and the `pki`
//! crate already build on it, and [`TlsTrust::System`] is OpenSSL's default verify paths
//! (`SSL_CERT_FILE`/`SSL_CERT_DIR` or the distribution's bundle) with no root-store crate
//! to add. The server certificate must name the host (`X509_VERIFY_PARAM_set1_host`, or the
//! IP address), which `ConnectConfiguration::into_ssl` turns on together with SNI.

use openssl::ssl::{SslConnector, SslMethod, SslVersion};
use openssl::x509::X509;
use openssl::x509::store::X509StoreBuilder;

use crate::error::ConfigError;

/// The certificates that verify the hub's server certificate.
#[derive(Clone, PartialEq, Eq)]
pub enum TlsTrust {
    /// The platform's roots (OpenSSL's default verify paths), for a real IoT Hub.
    System,
    /// Only these PEM CA certificates (one or more), e.g. edge-sim's dev CA
    /// (`Running::ca_pem()`, `<state>/certs/edge-device-ca.cert.pem`).
    CaPem(String),
}

impl std::fmt::Debug for TlsTrust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::System => f.write_str("System"),
            Self::CaPem(pem) => write!(f, "CaPem({} bytes)", pem.len()),
        }
    }
}

/// A connector that trusts `trust`, for TLS 1.2 and later (IoT Hub's minimum).
pub(crate) fn connector(trust: TlsTrust) -> Result<SslConnector, ConfigError> {
    let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(ConfigError::Tls)?;
    builder
        .set_min_proto_version(Some(SslVersion::TLS1_2))
        .map_err(ConfigError::Tls)?;
    if let TlsTrust::CaPem(pem) = trust {
        let certificates = X509::stack_from_pem(pem.as_bytes()).map_err(ConfigError::Tls)?;
        if certificates.is_empty() {
            return Err(ConfigError::NoCaCertificate);
        }
        let mut store = X509StoreBuilder::new().map_err(ConfigError::Tls)?;
        for certificate in certificates {
            store.add_cert(certificate).map_err(ConfigError::Tls)?;
        }
        // Replaces the store the builder filled from the default verify paths: only the
        // given CAs are trusted.
        builder.set_cert_store(store.build());
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_a_certificate_is_refused() {
        assert!(matches!(
            connector(TlsTrust::CaPem("not a pem".to_owned())),
            Err(ConfigError::NoCaCertificate | ConfigError::Tls(_))
        ));
        assert!(matches!(
            connector(TlsTrust::CaPem(String::new())),
            Err(ConfigError::NoCaCertificate | ConfigError::Tls(_))
        ));
    }

    #[test]
    fn system_roots_build_a_connector() {
        assert!(connector(TlsTrust::System).is_ok());
    }

    #[test]
    fn debug_output_does_not_print_the_pem() {
        let trust = TlsTrust::CaPem("-----BEGIN CERTIFICATE-----".to_owned());
        assert_eq!(format!("{trust:?}"), "CaPem(27 bytes)");
    }
}
