//! Reading a store from disk into [`StoreContents`].

use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::{StoreError, StoreKind, StoreLayout};
use crate::cert::Certificate;
use crate::crl::Crl;
use crate::key::PrivateKey;

/// A certificate file in a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    /// The file's path.
    pub file: PathBuf,
    /// The parsed certificate.
    pub cert: Certificate,
}

/// A CRL file in a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCrl {
    /// The file's path.
    pub file: PathBuf,
    /// The parsed CRL.
    pub crl: Crl,
}

/// A certificate of the own store with its private key file, when one was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnCertificate {
    /// The certificate file.
    pub file: PathBuf,
    /// The parsed certificate.
    pub cert: Certificate,
    /// The private key file with the same base name (`.pfx`, else `.pem`, else `.key`), if present.
    pub key_file: Option<PathBuf>,
}

/// A file in a store that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableFile {
    /// The file's path.
    pub file: PathBuf,
    /// Why it was skipped.
    pub reason: String,
}

/// Everything a store holds, each list sorted by file name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreContents {
    /// `own/certs`, with their keys from `own/private`.
    pub own: Vec<OwnCertificate>,
    /// `trusted/certs`.
    pub trusted: Vec<StoredCertificate>,
    /// `trusted/crl`.
    pub trusted_crls: Vec<StoredCrl>,
    /// `issuer/certs`.
    pub issuer: Vec<StoredCertificate>,
    /// `issuer/crl`.
    pub issuer_crls: Vec<StoredCrl>,
    /// `rejected/certs`.
    pub rejected: Vec<StoredCertificate>,
    /// Files that did not parse (listed, never fatal).
    pub unreadable: Vec<UnreadableFile>,
}

impl StoreContents {
    /// The active application certificate: among own certificates with a key, the one issued
    /// last (a store holding several is ambiguous, OPC PLC issue #348; the newest wins).
    #[must_use]
    pub fn application_certificate(&self) -> Option<&OwnCertificate> {
        self.own
            .iter()
            .filter(|o| o.key_file.is_some())
            .max_by_key(|o| o.cert.not_before())
            .or_else(|| self.own.iter().max_by_key(|o| o.cert.not_before()))
    }

    /// The certificates of a trust list.
    #[must_use]
    pub fn certificates(&self, kind: StoreKind) -> &[StoredCertificate] {
        match kind {
            StoreKind::Trusted => &self.trusted,
            StoreKind::Issuer => &self.issuer,
            StoreKind::Rejected => &self.rejected,
            StoreKind::Own => &[],
        }
    }

    /// The CRLs of a trust list.
    #[must_use]
    pub fn crls(&self, kind: StoreKind) -> &[StoredCrl] {
        match kind {
            StoreKind::Trusted => &self.trusted_crls,
            StoreKind::Issuer => &self.issuer_crls,
            _ => &[],
        }
    }
}

const CERT_EXTENSIONS: &[&str] = &["der", "cer", "crt", "pem"];
/// In order of preference: the .NET stack tries `<name>.pfx` before `<name>.pem`
/// (docs/reference/dotnet-directory-store.md, "Finding the certificate and its key").
const KEY_EXTENSIONS: &[&str] = &["pfx", "pem", "key"];
const CRL_EXTENSIONS: &[&str] = &["crl"];

pub(crate) fn read(layout: &StoreLayout) -> Result<StoreContents, StoreError> {
    let mut contents = StoreContents::default();
    let mut unreadable = Vec::new();

    let private = layout.private();
    let key_files = list_files(&private, KEY_EXTENSIONS, &mut unreadable)?;
    for file in list_files(
        &layout.certs(StoreKind::Own),
        CERT_EXTENSIONS,
        &mut unreadable,
    )? {
        if let Some(cert) = read_cert(&file, &mut unreadable) {
            let stem = file.file_stem().map(OsStr::to_owned);
            let key_file = KEY_EXTENSIONS.iter().find_map(|ext| {
                key_files
                    .iter()
                    .find(|k| {
                        k.file_stem().map(OsStr::to_owned) == stem
                            && k.extension() == Some(OsStr::new(ext))
                    })
                    .cloned()
            });
            contents.own.push(OwnCertificate {
                file,
                cert,
                key_file,
            });
        }
    }
    contents.trusted = read_certs(&layout.certs(StoreKind::Trusted), &mut unreadable)?;
    contents.trusted_crls = read_crls(&layout.crls(StoreKind::Trusted), &mut unreadable)?;
    contents.issuer = read_certs(&layout.certs(StoreKind::Issuer), &mut unreadable)?;
    contents.issuer_crls = read_crls(&layout.crls(StoreKind::Issuer), &mut unreadable)?;
    contents.rejected = read_certs(&layout.certs(StoreKind::Rejected), &mut unreadable)?;
    contents.unreadable = unreadable;
    Ok(contents)
}

fn read_certs(
    dir: &Path,
    unreadable: &mut Vec<UnreadableFile>,
) -> Result<Vec<StoredCertificate>, StoreError> {
    Ok(list_files(dir, CERT_EXTENSIONS, unreadable)?
        .into_iter()
        .filter_map(|file| {
            read_cert(&file, unreadable).map(|cert| StoredCertificate { file, cert })
        })
        .collect())
}

fn read_crls(
    dir: &Path,
    unreadable: &mut Vec<UnreadableFile>,
) -> Result<Vec<StoredCrl>, StoreError> {
    let mut out = Vec::new();
    for file in list_files(dir, CRL_EXTENSIONS, unreadable)? {
        match fs::read(&file)
            .map_err(|e| e.to_string())
            .and_then(|b| Crl::from_der_or_pem(&b).map_err(|e| why_not(&b, &e.to_string())))
        {
            Ok(crl) => out.push(StoredCrl { file, crl }),
            Err(reason) => unreadable.push(UnreadableFile { file, reason }),
        }
    }
    Ok(out)
}

fn read_cert(file: &Path, unreadable: &mut Vec<UnreadableFile>) -> Option<Certificate> {
    match fs::read(file)
        .map_err(|e| e.to_string())
        .and_then(|b| Certificate::from_der_or_pem(&b).map_err(|e| why_not(&b, &e.to_string())))
    {
        Ok(cert) => Some(cert),
        Err(reason) => {
            unreadable.push(UnreadableFile {
                file: file.to_path_buf(),
                reason,
            });
            None
        }
    }
}

/// Why a file that does not parse is skipped: `error`, unless it holds a private key (which
/// never belongs in a certificate or CRL folder, and is said so).
fn why_not(bytes: &[u8], error: &str) -> String {
    if PrivateKey::is_key_bytes(bytes) {
        "a private key, which does not belong in a certificate or CRL folder".to_owned()
    } else {
        error.to_owned()
    }
}

/// Regular files in `dir` with one of `extensions` (case-insensitive), sorted; hidden files
/// are ignored, and anything else that is not a regular file is reported as unreadable.
fn list_files(
    dir: &Path,
    extensions: &[&str],
    unreadable: &mut Vec<UnreadableFile>,
) -> Result<Vec<PathBuf>, StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) if e.kind() == ErrorKind::NotADirectory => {
            return Err(StoreError::NotADirectory {
                path: dir.to_path_buf(),
            });
        }
        Err(e) => return Err(StoreError::io("list a store folder", dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io("list a store folder", dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let wanted = path
            .extension()
            .and_then(OsStr::to_str)
            .is_some_and(|ext| extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)));
        if !wanted {
            continue;
        }
        let file_type = entry
            .file_type()
            .map_err(|e| StoreError::io("inspect a store file", &path, e))?;
        // Follow symlinks (Kubernetes secret mounts are symlinks) but refuse folders.
        let is_file = file_type.is_file() || (file_type.is_symlink() && path.is_file());
        if is_file {
            files.push(path);
        } else {
            unreadable.push(UnreadableFile {
                file: path,
                reason: "a directory where a file is expected".to_owned(),
            });
        }
    }
    files.sort();
    Ok(files)
}
