//! The simulator's dev PKI: a CA, the hub's server certificate and workload-issued module
//! server certificates, plus the TLS acceptor for the MQTT and HTTPS listeners.
//!
//! Created on first start under `<state>/certs/` and reused afterwards (key files `0600`), like
//! iotedgehubdev's dev CA chain. RSA 2048 and SHA-256 through openssl. The CA is what modules
//! receive as the workload trust bundle and what SDKs take as `server_verification_cert`.

use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use hub_proto::workload::{CertificateResponse, PrivateKey};
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509NameBuilder};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::state::write_atomic;

/// File name of the dev CA certificate (the `EdgeModuleCACertificateFile`).
pub const CA_CERT_FILE: &str = "edge-device-ca.cert.pem";
const CA_KEY_FILE: &str = "edge-device-ca.key.pem";
const SERVER_CERT_FILE: &str = "edge-hub-server.cert.pem";
const SERVER_KEY_FILE: &str = "edge-hub-server.key.pem";

const RSA_BITS: u32 = 2048;
const CA_DAYS: u32 = 3650;
const SERVER_DAYS: u32 = 365;
/// Lifetime of workload-issued server certificates (edgelet's default is 90 days).
const WORKLOAD_CERT_DAYS: u32 = 90;

/// Why the dev PKI could not be loaded, created or used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A certificate or key file could not be read or written.
    #[error("cannot access {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// openssl refused an operation (bad PEM, key generation, signing, acceptor setup).
    #[error("openssl operation failed")]
    Openssl(#[from] ErrorStack),
    /// The current time cannot be expressed for a certificate.
    #[error("cannot format a certificate time")]
    Time(#[source] time::error::Format),
}

/// The dev CA and the hub's server certificate.
pub struct DevPki {
    dir: PathBuf,
    ca_cert: X509,
    ca_key: PKey<Private>,
    ca_pem: String,
    server_cert: X509,
    server_key: PKey<Private>,
}

impl std::fmt::Debug for DevPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevPki")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl DevPki {
    /// Loads the PKI from `dir`, creating what is missing. A new server certificate names
    /// `server_names` (DNS names or IP addresses) as SANs.
    pub fn load_or_create(dir: &Path, server_names: &[String]) -> Result<Self, TlsError> {
        fs::create_dir_all(dir).map_err(|source| TlsError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let ca_cert_path = dir.join(CA_CERT_FILE);
        let ca_key_path = dir.join(CA_KEY_FILE);
        let (ca_cert, ca_key, created_ca) = if ca_cert_path.exists() && ca_key_path.exists() {
            let cert = X509::from_pem(&read(&ca_cert_path)?)?;
            let key = PKey::private_key_from_pem(&read(&ca_key_path)?)?;
            (cert, key, false)
        } else {
            let key = rsa_key()?;
            let cert = build_ca(&key)?;
            write(&ca_key_path, &key.private_key_to_pem_pkcs8()?, 0o600)?;
            write(&ca_cert_path, &cert.to_pem()?, 0o644)?;
            (cert, key, true)
        };
        let server_cert_path = dir.join(SERVER_CERT_FILE);
        let server_key_path = dir.join(SERVER_KEY_FILE);
        let (server_cert, server_key) =
            if !created_ca && server_cert_path.exists() && server_key_path.exists() {
                let cert = X509::from_pem(&read(&server_cert_path)?)?;
                let key = PKey::private_key_from_pem(&read(&server_key_path)?)?;
                (cert, key)
            } else {
                let key = rsa_key()?;
                let names: Vec<&str> = server_names.iter().map(String::as_str).collect();
                let cn = names.first().copied().unwrap_or("localhost");
                let cert = build_leaf(&ca_cert, &ca_key, &key, cn, &names, SERVER_DAYS)?;
                write(&server_key_path, &key.private_key_to_pem_pkcs8()?, 0o600)?;
                write(&server_cert_path, &cert.to_pem()?, 0o644)?;
                (cert, key)
            };
        let ca_pem = String::from_utf8_lossy(&ca_cert.to_pem()?).into_owned();
        Ok(Self {
            dir: dir.to_owned(),
            ca_cert,
            ca_key,
            ca_pem,
            server_cert,
            server_key,
        })
    }

    /// The CA certificate, PEM.
    #[must_use]
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The path of the CA certificate file.
    #[must_use]
    pub fn ca_path(&self) -> PathBuf {
        self.dir.join(CA_CERT_FILE)
    }

    /// A TLS acceptor (TLS 1.2 and 1.3, Mozilla intermediate ciphers) presenting the hub's
    /// server certificate.
    pub fn acceptor(&self) -> Result<SslAcceptor, TlsError> {
        let mut builder = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server())?;
        builder.set_private_key(&self.server_key)?;
        builder.set_certificate(&self.server_cert)?;
        builder.check_private_key()?;
        Ok(builder.build())
    }

    /// Issues a server certificate as the workload API does: SANs `common_name` (DNS or IP)
    /// and `module_id` (DNS), EKU serverAuth, a fresh PKCS#8 key, the chain leaf first.
    pub fn issue_server_certificate(
        &self,
        common_name: &str,
        module_id: &str,
        now: OffsetDateTime,
    ) -> Result<CertificateResponse, TlsError> {
        let key = rsa_key()?;
        let cert = build_leaf(
            &self.ca_cert,
            &self.ca_key,
            &key,
            common_name,
            &[common_name, module_id],
            WORKLOAD_CERT_DAYS,
        )?;
        let expiration = (now + time::Duration::days(i64::from(WORKLOAD_CERT_DAYS)))
            .replace_nanosecond(0)
            .unwrap_or(now)
            .format(&Rfc3339)
            .map_err(TlsError::Time)?;
        let mut chain = String::from_utf8_lossy(&cert.to_pem()?).into_owned();
        chain.push_str(&self.ca_pem);
        Ok(CertificateResponse {
            private_key: PrivateKey {
                kind: "key".to_owned(),
                bytes: String::from_utf8_lossy(&key.private_key_to_pem_pkcs8()?).into_owned(),
            },
            certificate: chain,
            expiration,
        })
    }
}

/// The machine's host name as the kernel reports it, lower-cased; `None` when unknown.
#[must_use]
pub fn machine_hostname() -> Option<String> {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    fs::read(path).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })
}

fn write(path: &Path, bytes: &[u8], mode: u32) -> Result<(), TlsError> {
    write_atomic(path, bytes, mode).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })
}

fn rsa_key() -> Result<PKey<Private>, ErrorStack> {
    PKey::from_rsa(Rsa::generate(RSA_BITS)?)
}

fn serial() -> Result<Asn1Integer, ErrorStack> {
    let mut bn = BigNum::new()?;
    bn.rand(127, MsbOption::MAYBE_ZERO, false)?;
    bn.to_asn1_integer()
}

fn builder(subject_cn: &str, days: u32, key: &PKey<Private>) -> Result<X509Builder, ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", subject_cn)?;
    let name = name.build();
    let mut b = X509Builder::new()?;
    b.set_version(2)?;
    let serial = serial()?;
    b.set_serial_number(&serial)?;
    b.set_subject_name(&name)?;
    b.set_pubkey(key)?;
    // An hour of slack for clocks that lag behind.
    let not_before = Asn1Time::from_unix(OffsetDateTime::now_utc().unix_timestamp() - 3600)?;
    b.set_not_before(&not_before)?;
    let not_after = Asn1Time::days_from_now(days)?;
    b.set_not_after(&not_after)?;
    Ok(b)
}

fn build_ca(key: &PKey<Private>) -> Result<X509, ErrorStack> {
    let cn = "edge-sim dev CA";
    let mut b = builder(cn, CA_DAYS, key)?;
    let mut issuer = X509NameBuilder::new()?;
    issuer.append_entry_by_text("CN", cn)?;
    b.set_issuer_name(&issuer.build())?;
    b.append_extension(BasicConstraints::new().critical().ca().build()?)?;
    b.append_extension(
        KeyUsage::new()
            .critical()
            .key_cert_sign()
            .crl_sign()
            .digital_signature()
            .build()?,
    )?;
    let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None))?;
    b.append_extension(ski)?;
    b.sign(key, MessageDigest::sha256())?;
    Ok(b.build())
}

fn build_leaf(
    ca_cert: &X509,
    ca_key: &PKey<Private>,
    key: &PKey<Private>,
    cn: &str,
    names: &[&str],
    days: u32,
) -> Result<X509, ErrorStack> {
    let mut b = builder(cn, days, key)?;
    b.set_issuer_name(ca_cert.subject_name())?;
    b.append_extension(BasicConstraints::new().critical().build()?)?;
    b.append_extension(
        KeyUsage::new()
            .critical()
            .digital_signature()
            .key_encipherment()
            .build()?,
    )?;
    b.append_extension(ExtendedKeyUsage::new().server_auth().build()?)?;
    let mut san = SubjectAlternativeName::new();
    let mut seen = Vec::new();
    for name in names.iter().filter(|n| !n.is_empty()) {
        if seen.contains(name) {
            continue;
        }
        seen.push(*name);
        if name.parse::<IpAddr>().is_ok() {
            san.ip(name);
        } else {
            san.dns(name);
        }
    }
    let san = san.build(&b.x509v3_context(Some(ca_cert), None))?;
    b.append_extension(san)?;
    let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(Some(ca_cert), None))?;
    b.append_extension(ski)?;
    let aki = AuthorityKeyIdentifier::new()
        .keyid(false)
        .build(&b.x509v3_context(Some(ca_cert), None))?;
    b.append_extension(aki)?;
    b.sign(ca_key, MessageDigest::sha256())?;
    Ok(b.build())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn names() -> Vec<String> {
        vec!["localhost".to_owned(), "127.0.0.1".to_owned()]
    }

    #[test]
    fn pki_is_created_once_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let first = DevPki::load_or_create(dir.path(), &names()).unwrap();
        let second = DevPki::load_or_create(dir.path(), &names()).unwrap();
        assert_eq!(first.ca_pem(), second.ca_pem());
        let mode = fs::metadata(dir.path().join(CA_KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(second.acceptor().is_ok());
    }

    #[test]
    fn server_certificate_names_localhost_and_loopback_and_chains_to_the_ca() {
        let dir = tempfile::tempdir().unwrap();
        let pki = DevPki::load_or_create(dir.path(), &names()).unwrap();
        let ca_key = pki.ca_cert.public_key().unwrap();
        assert!(pki.server_cert.verify(&ca_key).unwrap());
        let sans: Vec<String> = pki
            .server_cert
            .subject_alt_names()
            .unwrap()
            .iter()
            .map(|n| {
                n.dnsname()
                    .map(str::to_owned)
                    .or_else(|| n.ipaddress().map(|ip| format!("{ip:?}")))
                    .unwrap()
            })
            .collect();
        assert_eq!(sans, ["localhost", "[127, 0, 0, 1]"]);
    }

    #[test]
    fn workload_certificate_names_common_name_and_module() {
        let dir = tempfile::tempdir().unwrap();
        let pki = DevPki::load_or_create(dir.path(), &names()).unwrap();
        let res = pki
            .issue_server_certificate("opcplc.local", "opcplc", OffsetDateTime::now_utc())
            .unwrap();
        let chain = X509::stack_from_pem(res.certificate.as_bytes()).unwrap();
        assert_eq!(chain.len(), 2);
        let sans: Vec<&str> = chain[0]
            .subject_alt_names()
            .unwrap()
            .iter()
            .filter_map(|n| n.dnsname())
            .map(|s| s.to_owned().leak() as &str)
            .collect();
        assert_eq!(sans, ["opcplc.local", "opcplc"]);
        assert!(
            res.private_key
                .bytes
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        assert_eq!(res.private_key.kind, "key");
    }
}
