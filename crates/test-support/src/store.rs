//! Pre-filled OPC UA directory stores ([`TestStore`]) and [`snapshot`]s of them.
//!
//! Files are written with `std::fs`, never through `pki`, so a fixture cannot share a bug with
//! the code it tests.

use std::collections::BTreeMap;
use std::fs::{self, DirBuilder, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use openssl::x509::{X509, X509Crl, X509Ref};
use tempfile::TempDir;

use crate::cert::{Issued, common_name};
use crate::thumbprint;

/// Sub-directories of a store (OPC 10000-12 Annex F; the .NET stack's layout).
const STORE_DIRS: [&str; 7] = [
    "own/certs",
    "own/private",
    "trusted/certs",
    "trusted/crl",
    "issuer/certs",
    "issuer/crl",
    "rejected/certs",
];

/// Mode of store directories: only the owner may list or change a PKI.
const DIR_MODE: u32 = 0o700;
/// Mode of certificate and CRL files.
const PUBLIC_FILE_MODE: u32 = 0o644;
/// Mode of private key files.
const PRIVATE_FILE_MODE: u32 = 0o600;

/// A pre-filled OPC UA directory store (OPC 10000-12 Annex F / .NET layout) in its own temp
/// dir, deleted on drop.
#[derive(Debug)]
pub struct TestStore {
    dir: TempDir,
}

impl TestStore {
    /// An empty store: `own/{certs,private}`, `trusted/{certs,crl}`, `issuer/{certs,crl}` and
    /// `rejected/certs`, every directory mode 0700.
    #[must_use]
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("pki-store-")
            .tempdir()
            .expect("creating a temp dir failed");
        set_mode(dir.path(), DIR_MODE);
        for sub in STORE_DIRS {
            let path = dir.path().join(sub);
            DirBuilder::new()
                .recursive(true)
                .mode(DIR_MODE)
                .create(&path)
                .expect("creating a store directory failed");
            // The umask may have masked bits off; set the parent and the leaf explicitly.
            set_mode(
                path.parent().expect("store sub-directory has a parent"),
                DIR_MODE,
            );
            set_mode(&path, DIR_MODE);
        }
        Self { dir }
    }

    /// The store's root directory.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Adds an own certificate: `own/certs/<CN> [<THUMB>].der` and its key as unencrypted
    /// PKCS#8 PEM in `own/private/<CN> [<THUMB>].pem` (mode 0600).
    #[must_use]
    pub fn with_own(self, issued: &Issued) -> Self {
        let stem = cert_file_stem(&issued.cert);
        write_file(
            &self.path().join("own/certs").join(format!("{stem}.der")),
            &issued.der(),
            PUBLIC_FILE_MODE,
        );
        write_file(
            &self.path().join("own/private").join(format!("{stem}.pem")),
            &issued.key_pem_pkcs8(),
            PRIVATE_FILE_MODE,
        );
        self
    }

    /// Adds a trusted certificate: `trusted/certs/<CN> [<THUMB>].der`.
    #[must_use]
    pub fn with_trusted(self, cert: &X509) -> Self {
        self.with_cert("trusted/certs", cert)
    }

    /// Adds an issuer certificate: `issuer/certs/<CN> [<THUMB>].der`.
    #[must_use]
    pub fn with_issuer(self, cert: &X509) -> Self {
        self.with_cert("issuer/certs", cert)
    }

    /// Adds a rejected certificate: `rejected/certs/<CN> [<THUMB>].der`.
    #[must_use]
    pub fn with_rejected(self, cert: &X509) -> Self {
        self.with_cert("rejected/certs", cert)
    }

    /// Adds a CRL (DER) to `trusted/crl/<issuer CN> [<THUMB of the DER>].crl`.
    #[must_use]
    pub fn with_trusted_crl(self, der: &[u8]) -> Self {
        self.with_crl("trusted/crl", der)
    }

    /// Adds a CRL (DER) to `issuer/crl/<issuer CN> [<THUMB of the DER>].crl`.
    #[must_use]
    pub fn with_issuer_crl(self, der: &[u8]) -> Self {
        self.with_crl("issuer/crl", der)
    }

    fn with_cert(self, sub: &str, cert: &X509) -> Self {
        let der = cert.to_der().expect("certificate DER encoding failed");
        let file = format!("{}.der", cert_file_stem(cert));
        write_file(&self.path().join(sub).join(file), &der, PUBLIC_FILE_MODE);
        self
    }

    fn with_crl(self, sub: &str, der: &[u8]) -> Self {
        write_file(
            &self.path().join(sub).join(crl_file_name(der)),
            der,
            PUBLIC_FILE_MODE,
        );
        self
    }
}

impl Default for TestStore {
    fn default() -> Self {
        Self::new()
    }
}

/// The stem the .NET directory store gives a file for a certificate whose CN is `common_name`
/// (`DirectoryCertificateStore.GetFileName`, docs/reference/dotnet-directory-store.md): the
/// trimmed CN, in quotes when it holds `/`, `,` or `=`, then each of `< > : " / \ | ? *`
/// replaced with `+`. Nothing else changes; an empty CN gives an empty stem.
#[must_use]
pub fn dotnet_file_stem(common_name: &str) -> String {
    let cn = common_name.trim();
    let quoted = if cn.contains(['/', ',', '=']) {
        let open = if cn.starts_with('"') { "" } else { "\"" };
        let close = if cn.ends_with('"') { "" } else { "\"" };
        format!("{open}{cn}{close}")
    } else {
        cn.to_owned()
    };
    quoted
        .chars()
        .map(|c| if "<>:\"/\\|?*".contains(c) { '+' } else { c })
        .collect()
}

/// The store file name of `cert` without extension: `<CN> [<THUMB>]`.
#[must_use]
pub fn cert_file_stem(cert: &X509Ref) -> String {
    let der = cert.to_der().expect("certificate DER encoding failed");
    format!(
        "{} [{}]",
        dotnet_file_stem(&common_name(cert.subject_name())),
        thumbprint(&der)
    )
}

/// The store file name of a CRL given as DER: `<issuer CN> [<THUMB of the DER>].crl`.
#[must_use]
pub fn crl_file_name(der: &[u8]) -> String {
    let crl = X509Crl::from_der(der).expect("not a DER CRL");
    format!(
        "{} [{}].crl",
        dotnet_file_stem(&common_name(crl.issuer_name())),
        thumbprint(der)
    )
}

/// Every regular file under `root` (relative path -> (bytes, unix permission bits)), to assert a
/// store is byte-for-byte unchanged.
///
/// Directories themselves are not listed (an empty new directory goes unnoticed), and symbolic
/// links are not followed.
#[must_use]
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut files = BTreeMap::new();
    collect(root, root, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, (Vec<u8>, u32)>) {
    for entry in fs::read_dir(dir).expect("reading a directory failed") {
        let path = entry.expect("reading a directory entry failed").path();
        let meta = fs::symlink_metadata(&path).expect("reading file metadata failed");
        if meta.is_dir() {
            collect(root, &path, files);
        } else if meta.is_file() {
            let bytes = fs::read(&path).expect("reading a file failed");
            let relative = path
                .strip_prefix(root)
                .expect("walked path is under root")
                .to_path_buf();
            files.insert(relative, (bytes, meta.permissions().mode() & 0o7777));
        }
    }
}

/// Writes `bytes` to `path` with exactly `mode`; the file never exists with a wider mode.
fn write_file(path: &Path, bytes: &[u8], mode: u32) {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
        .expect("creating a store file failed");
    file.write_all(bytes).expect("writing a store file failed");
    set_mode(path, mode);
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, Permissions::from_mode(mode)).expect("chmod failed");
}

#[cfg(test)]
mod tests {
    use openssl::pkey::PKey;

    use super::*;
    use crate::{Ca, CaSpec, LeafSpec, self_signed};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn new_store_has_the_annex_f_directories_with_mode_0700() {
        let store = TestStore::new();
        assert_eq!(mode(store.path()), 0o700);
        for sub in STORE_DIRS {
            let path = store.path().join(sub);
            assert!(path.is_dir(), "{sub}");
            assert_eq!(mode(&path), 0o700, "{sub}");
            assert_eq!(mode(path.parent().unwrap()), 0o700, "{sub}");
        }
        assert!(snapshot(store.path()).is_empty());
    }

    #[test]
    fn with_own_writes_cert_and_pkcs8_key_with_mode_0600() {
        let own =
            self_signed(LeafSpec::server("My Server", "urn:test", "localhost").key_bits(1024));
        let store = TestStore::new().with_own(&own);
        let stem = format!("My Server [{}]", own.thumbprint());

        let cert = store.path().join("own/certs").join(format!("{stem}.der"));
        let key = store.path().join("own/private").join(format!("{stem}.pem"));
        assert_eq!(fs::read(&cert).unwrap(), own.der());
        assert_eq!(mode(&cert), 0o644);
        assert_eq!(mode(&key), 0o600);
        let pem = fs::read(&key).unwrap();
        assert!(pem.starts_with(b"-----BEGIN PRIVATE KEY-----"));
        assert!(
            PKey::private_key_from_pem(&pem)
                .unwrap()
                .public_eq(&own.key)
        );
    }

    #[test]
    fn certificates_and_crls_land_in_their_directories() {
        let root = Ca::root_with(CaSpec::new("Root: CA/1").key_bits(1024));
        let leaf = root.leaf(LeafSpec::client("Client", "urn:client").key_bits(1024));
        let crl = root.crl(&[&leaf.cert]);
        let store = TestStore::new()
            .with_trusted(root.cert())
            .with_issuer(root.cert())
            .with_rejected(&leaf.cert)
            .with_trusted_crl(&crl)
            .with_issuer_crl(&crl);

        let root_file = format!("+Root+ CA+1+ [{}].der", root.thumbprint());
        let crl_file = format!("+Root+ CA+1+ [{}].crl", thumbprint(&crl));
        let leaf_file = format!("Client [{}].der", leaf.thumbprint());
        let files = snapshot(store.path());
        let expected: Vec<PathBuf> = vec![
            Path::new("issuer/certs").join(&root_file),
            Path::new("issuer/crl").join(&crl_file),
            Path::new("rejected/certs").join(&leaf_file),
            Path::new("trusted/certs").join(&root_file),
            Path::new("trusted/crl").join(&crl_file),
        ];
        assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected);
        assert_eq!(files[&expected[1]], (crl.clone(), 0o644));
        assert_eq!(files[&expected[3]], (root.der(), 0o644));
    }

    #[test]
    fn snapshot_notices_changed_bytes_and_modes() {
        let own = self_signed(LeafSpec::client("c", "urn:c").key_bits(1024));
        let store = TestStore::new().with_own(&own);
        let before = snapshot(store.path());
        assert_eq!(before, snapshot(store.path()));

        let cert = store
            .path()
            .join("own/certs")
            .join(format!("{}.der", cert_file_stem(&own.cert)));
        set_mode(&cert, 0o600);
        assert_ne!(before, snapshot(store.path()));
        set_mode(&cert, 0o644);
        assert_eq!(before, snapshot(store.path()));
        fs::write(&cert, b"changed").unwrap();
        assert_ne!(before, snapshot(store.path()));
    }

    #[test]
    fn file_names_follow_the_dotnet_rule() {
        assert_eq!(dotnet_file_stem("a<b>c:d*e?f\"g|h\\i"), "a+b+c+d+e+f+g+h+i");
        assert_eq!(dotnet_file_stem(" Plain Name.1 "), "Plain Name.1");
        // Values with `/`, `,` or `=` come out of .NET's DN parser in quotes.
        assert_eq!(dotnet_file_stem("a/b"), "+a+b+");
        assert_eq!(dotnet_file_stem("Contoso, Ltd"), "+Contoso, Ltd+");
        assert_eq!(dotnet_file_stem(""), "");
    }
}
