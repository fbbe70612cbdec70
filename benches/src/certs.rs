//! The benchmarks' PKI: one CA (an `opc-vault` vault), a CRL, and a CA-signed certificate for
//! every server and for the load client, in the form each one reads: our directory stores for
//! `opc-plc` and `opc-load`, PEM files and trust folders for asyncua, node-opcua's certificate
//! manager folder. Every server trusts the CA (with its CRL) and nothing else, and the client
//! checks each server's chain, host and URI: the security of a production set-up, not a test
//! shortcut.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use opc_vault::{CertType, InitOptions, SignOptions, Vault};
use pki::{
    Certificate, Crl, Operation, PlanOptions, PrivateKey, SelfSignedSpec, Store, StoreLayout,
};
use time::OffsetDateTime;

/// The host name in every certificate (with the IP address [`HOST_IP`]).
pub const HOST_NAME: &str = "localhost";
/// The address every server listens on and the client dials.
pub const HOST_IP: &str = "127.0.0.1";
/// The OPC PLC's application URI with `--ph localhost`.
pub const PLC_URI: &str = "urn:OpcPlc:localhost";
/// The asyncua peer's application URI.
pub const ASYNCUA_URI: &str = "urn:bench:asyncua";
/// The node-opcua peer's application URI.
pub const NODE_OPCUA_URI: &str = "urn:bench:node-opcua";
/// The load client's application URI.
pub const CLIENT_URI: &str = "urn:bench:opc-load";

/// The CA and every identity, written below one folder.
#[derive(Debug)]
pub struct Fixture {
    /// The folder.
    pub dir: PathBuf,
    /// The CA's certificate.
    pub ca: Certificate,
    /// The CA's CRL (empty).
    pub crl: Crl,
    /// The vault (for the twin benchmarks' certificates).
    pub vault: Vault,
    /// The working directory of `opc-plc`: its store is `pki/` below it (the default paths).
    pub plc_dir: PathBuf,
    /// The load client's store root.
    pub client_store: PathBuf,
    /// asyncua's files.
    pub asyncua: PemPeer,
    /// node-opcua's files.
    pub node_opcua: PemPeer,
}

/// A peer's certificate and key as PEM files, and its trust folders.
#[derive(Debug, Clone)]
pub struct PemPeer {
    /// Certificate (PEM).
    pub certificate: PathBuf,
    /// Private key (PKCS#8 PEM, 0600).
    pub private_key: PathBuf,
    /// Trusted CA certificates (asyncua: `trusted_dir`; node-opcua: its manager's root).
    pub trusted_dir: PathBuf,
    /// CRLs of the trusted CAs (asyncua's `crl_dir`; node-opcua: `trusted/crl` below the root).
    pub crl_dir: PathBuf,
}

impl Fixture {
    /// Creates the CA and every identity in `dir` (which must not hold a vault yet).
    pub fn create(dir: &Path, now: OffsetDateTime) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let vault = Vault::init(&dir.join("vault"), &InitOptions::default(), now)
            .context("creating the benchmarks' CA")?;
        let state = vault.read()?;
        let ca = state.root.clone();
        let crl = state
            .crl(state.issuer_role())
            .cloned()
            .context("the vault has no CRL")?;

        let plc_dir = dir.join("opc-plc");
        let (cert, key) = issue(&vault, "OpcPlc", PLC_URI, now)?;
        write_store(&plc_dir.join("pki"), cert, key, &ca, &crl, now)?;

        let client_store = dir.join("opc-load");
        let (cert, key) = issue(&vault, "OpcLoad", CLIENT_URI, now)?;
        write_store(&client_store, cert, key, &ca, &crl, now)?;

        let asyncua = {
            let root = dir.join("asyncua");
            let (cert, key) = issue(&vault, "AsyncuaPeer", ASYNCUA_URI, now)?;
            write_pem_peer(
                &root,
                &root.join("trusted"),
                &root.join("crl"),
                &cert,
                &key,
                &ca,
                &crl,
            )?
        };
        let node_opcua = {
            // node-opcua's certificate manager: <root>/trusted/certs and <root>/trusted/crl.
            let root = dir.join("node-opcua");
            let (cert, key) = issue(&vault, "NodeOpcuaPeer", NODE_OPCUA_URI, now)?;
            let mut peer = write_pem_peer(
                &root,
                &root.join("pki/trusted/certs"),
                &root.join("pki/trusted/crl"),
                &cert,
                &key,
                &ca,
                &crl,
            )?;
            peer.trusted_dir = root.join("pki");
            peer
        };
        Ok(Self {
            dir: dir.to_owned(),
            ca,
            crl,
            vault,
            plc_dir,
            client_store,
            asyncua,
            node_opcua,
        })
    }
}

/// A new key and the CA's certificate for it (server and client use, host name and address).
pub fn issue(
    vault: &Vault,
    name: &str,
    uri: &str,
    now: OffsetDateTime,
) -> Result<(Certificate, PrivateKey)> {
    let spec = SelfSignedSpec::new(
        &format!("CN={name}"),
        uri,
        vec![HOST_NAME.to_owned(), HOST_IP.to_owned()],
    );
    let (self_signed, key) = pki::create_self_signed(&spec, now)?;
    let csr = pki::create_csr(&self_signed, &key, None, None)?;
    let signed = vault.sign(
        &csr,
        &SignOptions {
            application_uri: Some(uri.to_owned()),
            cert_type: CertType::Both,
            years: None,
        },
        now,
    )?;
    Ok((signed.certificate, key))
}

/// A directory store (OPC 10000-12 Annex F) holding `cert` and `key` as the application
/// certificate, the CA as trusted with its CRL.
pub fn write_store(
    root: &Path,
    cert: Certificate,
    key: PrivateKey,
    ca: &Certificate,
    crl: &Crl,
    now: OffsetDateTime,
) -> Result<Store> {
    std::fs::create_dir_all(root)?;
    let store = Store::open(StoreLayout::under(root))?;
    store
        .transact(
            vec![
                Operation::AddTrusted(vec![ca.clone()]),
                Operation::UpdateCrl(crl.clone()),
                Operation::UpdateApplicationCertificate {
                    cert,
                    key: Some(key),
                },
            ],
            &PlanOptions::new(now),
        )
        .with_context(|| format!("writing the store {}", root.display()))?;
    Ok(store)
}

fn write_pem_peer(
    root: &Path,
    trusted_dir: &Path,
    crl_dir: &Path,
    cert: &Certificate,
    key: &PrivateKey,
    ca: &Certificate,
    crl: &Crl,
) -> Result<PemPeer> {
    std::fs::create_dir_all(trusted_dir)?;
    std::fs::create_dir_all(crl_dir)?;
    let pem = |c: &Certificate| -> Result<Vec<u8>> { Ok(c.x509().to_pem()?) };
    let certificate = root.join("cert.pem");
    let private_key = root.join("key.pem");
    std::fs::write(&certificate, pem(cert)?)?;
    write_private(&private_key, &key.to_pkcs8_pem()?)?;
    std::fs::write(trusted_dir.join("ca.pem"), pem(ca)?)?;
    std::fs::write(crl_dir.join("ca.der"), crl.der())?;
    Ok(PemPeer {
        certificate,
        private_key,
        trusted_dir: trusted_dir.to_owned(),
        crl_dir: crl_dir.to_owned(),
    })
}

/// Writes a key file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}
