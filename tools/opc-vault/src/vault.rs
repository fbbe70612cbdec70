//! [`Vault`]: the vault folder and every operation on it, each under the vault's lock.
//!
//! ```text
//! <vault>/config.json              subjects, key sizes, lifetimes (written once by init)
//! <vault>/index.json               issued certificates and the current CRL numbers (the commit point)
//! <vault>/ca/root.der              root CA certificate
//! <vault>/ca/root.key.pem          its key, PKCS#8 PEM, 0600
//! <vault>/ca/issuing.der           issuing intermediate (when init --intermediate)
//! <vault>/ca/issuing.key.pem       its key, 0600
//! <vault>/crl/<root|issuing>-<n>.crl   the current CRL of each CA, n its cRLNumber
//! <vault>/certs/<SERIAL>.der       every issued certificate
//! <vault>/.lock                    the advisory lock (flock)
//! ```
//!
//! Folders are `0700`, files `0600`. Every file is written atomically (`fsio`), and a
//! change writes its new files first and `index.json` last: a crash leaves the old index
//! (plus an unreferenced file, overwritten or removed by the next run) or the new one.

use std::fs;
use std::path::{Path, PathBuf};

use openssl::pkey::{PKey, Private};
use pki::{Certificate, Crl};
use time::{Duration, OffsetDateTime};

use crate::csr::CertificateRequest;
use crate::error::VaultError;
use crate::fsio::{self, FILE_MODE, VaultLock};
use crate::issue::{self, CaKeyPair};
use crate::model::{
    CaConfig, CaRole, CertStatus, CertType, CrlState, CrlStates, FORMAT, Index, IssuedRecord,
    RevocationReason, VaultConfig,
};

/// The vault folder when neither `--vault` nor `OPC_VAULT` names one.
pub const DEFAULT_VAULT_DIR: &str = ".opc-vault";
/// The configuration file.
pub const CONFIG_FILE: &str = "config.json";
/// The index of issued certificates and CRL numbers.
pub const INDEX_FILE: &str = "index.json";
/// The lock file.
pub const LOCK_FILE: &str = ".lock";

/// The longest lifetime accepted for any certificate, in years.
const MAX_YEARS: u32 = 50;
/// The longest CRL period accepted, in days.
const MAX_CRL_DAYS: u32 = 366;

/// How `init` sets a vault up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOptions {
    /// The RSA key size of the CAs (2048, 3072 or 4096).
    pub key_bits: u32,
    /// The root's subject.
    pub subject: String,
    /// The root's lifetime in years.
    pub ca_years: u32,
    /// The issuing intermediate, if one is wanted.
    pub intermediate: Option<IntermediateOptions>,
    /// The default lifetime of application certificates in years.
    pub cert_years: u32,
    /// The default period of CRLs in days.
    pub crl_days: u32,
}

impl Default for InitOptions {
    /// A 2048-bit root `CN=OPC Vault CA` for 10 years, no intermediate, application
    /// certificates for 1 year, CRLs for 7 days.
    fn default() -> Self {
        Self {
            key_bits: 2048,
            subject: "CN=OPC Vault CA".to_owned(),
            ca_years: 10,
            intermediate: None,
            cert_years: 1,
            crl_days: 7,
        }
    }
}

/// The issuing intermediate of `init --intermediate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntermediateOptions {
    /// Its subject.
    pub subject: String,
    /// Its lifetime in years (capped by the root's).
    pub years: u32,
}

impl Default for IntermediateOptions {
    /// `CN=OPC Vault Issuing CA` for 5 years.
    fn default() -> Self {
        Self {
            subject: "CN=OPC Vault Issuing CA".to_owned(),
            years: 5,
        }
    }
}

/// How `sign` issues a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// The `ApplicationUri` the CSR must carry, when known.
    pub application_uri: Option<String>,
    /// Server, client or both.
    pub cert_type: CertType,
    /// The lifetime in years (default: the vault's `certYears`), capped by the issuing CA.
    pub years: Option<u32>,
}

impl Default for SignOptions {
    fn default() -> Self {
        Self {
            application_uri: None,
            cert_type: CertType::Both,
            years: None,
        }
    }
}

/// A certificate the vault just issued.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The certificate.
    pub certificate: Certificate,
    /// Its index entry.
    pub record: IssuedRecord,
}

/// The outcome of a revocation.
#[derive(Debug, Clone)]
pub struct Revocation {
    /// The index entry after the revocation.
    pub record: IssuedRecord,
    /// True when it was revoked before (nothing changed).
    pub already_revoked: bool,
    /// The CRL issued for it (none when nothing changed).
    pub crl: Option<IssuedCrl>,
}

/// A CRL the vault issued.
#[derive(Debug, Clone)]
pub struct IssuedCrl {
    /// Its CA.
    pub role: CaRole,
    /// The CRL.
    pub crl: Crl,
}

/// Everything the vault holds, read under a shared lock (no keys).
#[derive(Debug, Clone)]
pub struct VaultState {
    /// `config.json`.
    pub config: VaultConfig,
    /// `index.json`.
    pub index: Index,
    /// The root CA.
    pub root: Certificate,
    /// The issuing CA, if any.
    pub issuing: Option<Certificate>,
    /// The current CRL of each CA, root first.
    pub crls: Vec<IssuedCrl>,
}

impl VaultState {
    /// The CA that signs application certificates: the intermediate if there is one.
    #[must_use]
    pub fn issuer_role(&self) -> CaRole {
        if self.issuing.is_some() {
            CaRole::Issuing
        } else {
            CaRole::Root
        }
    }

    /// The CA certificates, root first.
    #[must_use]
    pub fn cas(&self) -> Vec<(CaRole, &Certificate)> {
        std::iter::once((CaRole::Root, &self.root))
            .chain(self.issuing.as_ref().map(|c| (CaRole::Issuing, c)))
            .collect()
    }

    /// The current CRL of `role`.
    #[must_use]
    pub fn crl(&self, role: CaRole) -> Option<&Crl> {
        self.crls.iter().find(|c| c.role == role).map(|c| &c.crl)
    }
}

/// A vault folder. Cheap to clone: every operation takes the vault's lock, reads what it
/// needs and commits, so clones in threads (or separate processes) serialise on the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vault {
    dir: PathBuf,
}

fn check_years(what: &str, years: u32) -> Result<(), VaultError> {
    if (1..=MAX_YEARS).contains(&years) {
        Ok(())
    } else {
        Err(VaultError::Invalid(format!(
            "{what} must be from 1 to {MAX_YEARS} years, not {years}"
        )))
    }
}

fn check_crl_days(days: u32) -> Result<(), VaultError> {
    if (1..=MAX_CRL_DAYS).contains(&days) {
        Ok(())
    } else {
        Err(VaultError::Invalid(format!(
            "the CRL period must be from 1 to {MAX_CRL_DAYS} days, not {days}"
        )))
    }
}

fn key_pem(key: &PKey<Private>) -> Result<Vec<u8>, VaultError> {
    key.private_key_to_pem_pkcs8()
        .map_err(VaultError::openssl("encoding a CA key"))
}

/// When a CRL issued at `now` by `ca` is due: `days` later, not after the CA expires (unless
/// the CA has expired already).
fn next_update(ca: &Certificate, now: OffsetDateTime, days: u32) -> OffsetDateTime {
    let next = now + Duration::days(i64::from(days));
    if ca.not_after() > now {
        next.min(ca.not_after())
    } else {
        next
    }
}

impl Vault {
    /// Creates a vault in `dir` (which must not exist or be empty): the root CA (and the
    /// intermediate), their keys, an empty CRL of each (number 1), the index and the config.
    /// Everything is written into a temp folder next to `dir` that is renamed into place, so
    /// a crash leaves no half vault; a vault or other files in `dir` are never overwritten.
    pub fn init(
        dir: &Path,
        options: &InitOptions,
        now: OffsetDateTime,
    ) -> Result<Self, VaultError> {
        if !issue::KEY_SIZES.contains(&options.key_bits) {
            return Err(VaultError::Invalid(format!(
                "unsupported RSA key size {}: use 2048, 3072 or 4096",
                options.key_bits
            )));
        }
        check_years("the root CA's lifetime", options.ca_years)?;
        check_years("the certificate lifetime", options.cert_years)?;
        check_crl_days(options.crl_days)?;
        issue::subject_name(&options.subject)?;
        if let Some(intermediate) = &options.intermediate {
            check_years("the issuing CA's lifetime", intermediate.years)?;
            issue::subject_name(&intermediate.subject)?;
        }
        if dir_has_entries(dir)? {
            return Err(VaultError::Exists {
                path: dir.to_path_buf(),
            });
        }
        let now = now.truncate_to_second();
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                VaultError::Invalid(format!("{} cannot be a vault folder", dir.display()))
            })?;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| VaultError::io("create", &parent, e))?;
        let staging = parent.join(format!(".{name}.init-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| VaultError::io("remove", &staging, e))?;
        }
        let written = write_new_vault(&staging, options, now);
        let renamed = written.and_then(|()| match fs::rename(&staging, dir) {
            Ok(()) => Ok(()),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::DirectoryNotEmpty | std::io::ErrorKind::AlreadyExists
                ) =>
            {
                Err(VaultError::Exists {
                    path: dir.to_path_buf(),
                })
            }
            Err(e) => Err(VaultError::io("rename the new vault to", dir, e)),
        });
        if let Err(e) = renamed {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        fsio::sync_dir(&parent)?;
        Ok(Self {
            dir: dir.to_path_buf(),
        })
    }

    /// The vault in `dir`; fails when it holds none.
    pub fn open(dir: &Path) -> Result<Self, VaultError> {
        if !dir.join(CONFIG_FILE).is_file() {
            return Err(VaultError::NotAVault {
                path: dir.to_path_buf(),
            });
        }
        Ok(Self {
            dir: dir.to_path_buf(),
        })
    }

    /// The vault folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads the whole vault (certificates, CRLs, index, config) under a shared lock.
    pub fn read(&self) -> Result<VaultState, VaultError> {
        let _lock = VaultLock::shared(&self.dir.join(LOCK_FILE))?;
        self.load_state()
    }

    /// Issues an application certificate for the CSR (PEM, DER or base64 of either): its
    /// signature must verify, it must carry a URI (equal to `options.application_uri` when
    /// given); recorded in the index before it is returned.
    pub fn sign(
        &self,
        csr: &[u8],
        options: &SignOptions,
        now: OffsetDateTime,
    ) -> Result<Signed, VaultError> {
        let request = CertificateRequest::parse(csr)?;
        if let Some(uri) = &options.application_uri {
            request.check_uri(uri)?;
        }
        let _lock = self.write_lock()?;
        let now = now.truncate_to_second();
        let config = self.load_config()?;
        let years = options.years.unwrap_or(config.cert_years);
        check_years("the certificate lifetime", years)?;
        let mut index = self.load_index()?;
        let role = if config.issuing.is_some() {
            CaRole::Issuing
        } else {
            CaRole::Root
        };
        let issuer = self.load_ca(role)?;
        let certificate = loop {
            let candidate = issue::create_application_certificate(
                &issuer,
                &request,
                options.cert_type,
                years,
                now,
            )?;
            let serial = issue::hex(candidate.serial());
            if index.certificates.iter().all(|r| r.serial != serial) {
                break candidate;
            }
        };
        let record = IssuedRecord {
            serial: issue::hex(certificate.serial()),
            thumbprint: certificate.thumbprint().to_string(),
            subject: certificate.subject().to_owned(),
            application_uri: request.application_uri().to_owned(),
            cert_type: options.cert_type,
            issuer: role,
            not_before: certificate.not_before(),
            not_after: certificate.not_after(),
            issued_at: now,
            status: CertStatus::Valid,
            revoked_at: None,
            reason: None,
        };
        fsio::write_atomic(&self.dir.join(record.file()), certificate.der(), FILE_MODE)?;
        index.certificates.push(record.clone());
        self.commit_index(&index)?;
        Ok(Signed {
            certificate,
            record,
        })
    }

    /// Revokes the issued certificate with this serial number or thumbprint and issues a new
    /// CRL of its CA (higher `cRLNumber`) listing it. Revoking it again changes nothing.
    pub fn revoke(
        &self,
        serial_or_thumbprint: &str,
        reason: RevocationReason,
        now: OffsetDateTime,
    ) -> Result<Revocation, VaultError> {
        let _lock = self.write_lock()?;
        let now = now.truncate_to_second();
        let config = self.load_config()?;
        let mut index = self.load_index()?;
        let Some(found) = index.find(serial_or_thumbprint).cloned() else {
            return Err(VaultError::NotFound(serial_or_thumbprint.to_owned()));
        };
        if found.status == CertStatus::Revoked {
            return Ok(Revocation {
                record: found,
                already_revoked: true,
                crl: None,
            });
        }
        let mut record = found;
        record.status = CertStatus::Revoked;
        record.revoked_at = Some(now);
        record.reason = Some(reason);
        for entry in &mut index.certificates {
            if entry.serial == record.serial {
                *entry = record.clone();
            }
        }
        let crl = self.issue_crl(&mut index, record.issuer, config.crl_days, now)?;
        self.commit_index(&index)?;
        self.remove_old_crls(&index)?;
        Ok(Revocation {
            record,
            already_revoked: false,
            crl: Some(crl),
        })
    }

    /// Issues a new CRL for every CA (each with the next `cRLNumber`), valid for `days`
    /// (default: the vault's `crlDays`).
    pub fn issue_crls(
        &self,
        days: Option<u32>,
        now: OffsetDateTime,
    ) -> Result<Vec<IssuedCrl>, VaultError> {
        self.renew_crls(days, now, |_| true)
    }

    /// Issues new CRLs for the CAs whose current CRL has less than half of its period left
    /// ([`CrlState::is_stale`]); returns them (none when every CRL is fresh).
    pub fn refresh_crls(&self, now: OffsetDateTime) -> Result<Vec<IssuedCrl>, VaultError> {
        self.renew_crls(None, now, |state| state.is_stale(now))
    }

    fn renew_crls(
        &self,
        days: Option<u32>,
        now: OffsetDateTime,
        due: impl Fn(&CrlState) -> bool,
    ) -> Result<Vec<IssuedCrl>, VaultError> {
        let _lock = self.write_lock()?;
        let now = now.truncate_to_second();
        let config = self.load_config()?;
        let days = days.unwrap_or(config.crl_days);
        check_crl_days(days)?;
        let mut index = self.load_index()?;
        let roles: Vec<CaRole> = index
            .crls
            .iter()
            .filter(|(_, state)| due(state))
            .map(|(role, _)| role)
            .collect();
        if roles.is_empty() {
            return Ok(Vec::new());
        }
        let mut issued = Vec::new();
        for role in roles {
            issued.push(self.issue_crl(&mut index, role, days, now)?);
        }
        self.commit_index(&index)?;
        self.remove_old_crls(&index)?;
        Ok(issued)
    }

    /// Writes the next CRL of `role` and records it in `index` (not yet committed).
    fn issue_crl(
        &self,
        index: &mut Index,
        role: CaRole,
        days: u32,
        now: OffsetDateTime,
    ) -> Result<IssuedCrl, VaultError> {
        let ca = self.load_ca(role)?;
        let previous = index.crls.get(role).map_or(0, |s| s.number);
        let state = CrlState {
            number: previous.saturating_add(1),
            this_update: now,
            next_update: next_update(&ca.cert, now, days),
        };
        let revoked = index
            .certificates
            .iter()
            .filter(|r| r.issuer == role && r.status == CertStatus::Revoked);
        let der = issue::create_crl(
            &ca,
            revoked,
            state.number,
            state.this_update,
            state.next_update,
        )?;
        fsio::write_atomic(&self.dir.join(state.file(role)), &der, FILE_MODE)?;
        let crl = Crl::from_der(&der).map_err(|e| {
            VaultError::Invalid(format!("the CRL just issued does not parse back: {e}"))
        })?;
        match role {
            CaRole::Root => index.crls.root = state,
            CaRole::Issuing => index.crls.issuing = Some(state),
        }
        Ok(IssuedCrl { role, crl })
    }

    /// Takes the exclusive lock and removes the temp files an interrupted run left behind.
    fn write_lock(&self) -> Result<VaultLock, VaultError> {
        let lock = VaultLock::exclusive(&self.dir.join(LOCK_FILE))?;
        for dir in [
            self.dir.clone(),
            self.dir.join("ca"),
            self.dir.join("crl"),
            self.dir.join("certs"),
        ] {
            for removed in fsio::remove_stale_temps(&dir)? {
                tracing::warn!(
                    "removed {}, left behind by an interrupted opc-vault run",
                    removed.display()
                );
            }
        }
        Ok(lock)
    }

    fn commit_index(&self, index: &Index) -> Result<(), VaultError> {
        fsio::write_atomic(&self.dir.join(INDEX_FILE), &pretty(index)?, FILE_MODE)
    }

    /// Removes CRL files the index no longer names (older CRLs, or one an interrupted run
    /// wrote without committing).
    fn remove_old_crls(&self, index: &Index) -> Result<(), VaultError> {
        let current: Vec<PathBuf> = index
            .crls
            .iter()
            .map(|(role, state)| self.dir.join(state.file(role)))
            .collect();
        let dir = self.dir.join("crl");
        let entries = fs::read_dir(&dir).map_err(|e| VaultError::io("list", &dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| VaultError::io("list", &dir, e))?.path();
            if path.extension().is_some_and(|e| e == "crl") && !current.contains(&path) {
                fs::remove_file(&path).map_err(|e| VaultError::io("remove", &path, e))?;
            }
        }
        fsio::sync_dir(&dir)
    }

    fn load_json<T: serde::de::DeserializeOwned>(&self, file: &str) -> Result<T, VaultError> {
        let path = self.dir.join(file);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && file == CONFIG_FILE => {
                return Err(VaultError::NotAVault {
                    path: self.dir.clone(),
                });
            }
            Err(e) => return Err(VaultError::io("read", &path, e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| VaultError::Corrupt {
            path,
            reason: e.to_string(),
        })
    }

    fn load_config(&self) -> Result<VaultConfig, VaultError> {
        let config: VaultConfig = self.load_json(CONFIG_FILE)?;
        if config.format != FORMAT {
            return Err(VaultError::Corrupt {
                path: self.dir.join(CONFIG_FILE),
                reason: format!(
                    "format {} is not the one this opc-vault reads ({FORMAT})",
                    config.format
                ),
            });
        }
        Ok(config)
    }

    fn load_index(&self) -> Result<Index, VaultError> {
        let index: Index = self.load_json(INDEX_FILE)?;
        if index.format != FORMAT {
            return Err(VaultError::Corrupt {
                path: self.dir.join(INDEX_FILE),
                reason: format!(
                    "format {} is not the one this opc-vault reads ({FORMAT})",
                    index.format
                ),
            });
        }
        Ok(index)
    }

    /// A certificate this vault issued, by serial number, with its index entry.
    pub fn issued(&self, serial: &str) -> Result<Signed, VaultError> {
        let index = self.read()?.index;
        let record = index
            .find(serial)
            .cloned()
            .ok_or_else(|| VaultError::Invalid(format!("no certificate with serial {serial}")))?;
        let path = self.dir.join(record.file());
        let der = fsio::read(&path)?;
        let certificate = Certificate::from_der(&der).map_err(|e| VaultError::Corrupt {
            path,
            reason: e.to_string(),
        })?;
        Ok(Signed {
            certificate,
            record,
        })
    }

    /// A valid certificate issued at or after `since` for `application_uri` and the public
    /// key `key`: what an interrupted fleet run signed for a CSR before it could record it.
    pub fn issued_for(
        &self,
        application_uri: &str,
        key: &openssl::pkey::PKeyRef<openssl::pkey::Public>,
        since: OffsetDateTime,
    ) -> Result<Option<Signed>, VaultError> {
        let index = self.read()?.index;
        let wanted = key
            .public_key_to_der()
            .map_err(VaultError::openssl("encoding a public key"))?;
        for record in index.certificates.iter().rev() {
            if record.issued_at < since.truncate_to_second()
                || record.application_uri != application_uri
                || record.status != crate::model::CertStatus::Valid
            {
                continue;
            }
            let signed = self.issued(&record.serial)?;
            let key = signed
                .certificate
                .x509()
                .public_key()
                .and_then(|k| k.public_key_to_der())
                .map_err(VaultError::openssl("reading a certificate's public key"))?;
            if key == wanted {
                return Ok(Some(signed));
            }
        }
        Ok(None)
    }

    fn load_cert(&self, role: CaRole) -> Result<Certificate, VaultError> {
        let path = self.dir.join(format!("ca/{}.der", role.stem()));
        let der = fsio::read(&path)?;
        Certificate::from_der(&der).map_err(|e| VaultError::Corrupt {
            path,
            reason: e.to_string(),
        })
    }

    fn load_ca(&self, role: CaRole) -> Result<CaKeyPair, VaultError> {
        let cert = self.load_cert(role)?;
        let path = self.dir.join(format!("ca/{}.key.pem", role.stem()));
        let pem = fsio::read(&path)?;
        if let Ok(meta) = fs::metadata(&path) {
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777;
            if mode & 0o077 != 0 {
                tracing::warn!(
                    "{} is readable by others (mode {mode:o}): chmod 600 it",
                    path.display()
                );
            }
        }
        let key = PKey::private_key_from_pem(&pem).map_err(|e| VaultError::Corrupt {
            path: path.clone(),
            reason: format!("not a PEM private key ({e})"),
        })?;
        let matches = cert
            .x509()
            .public_key()
            .is_ok_and(|public| public.public_eq(&key));
        if !matches {
            return Err(VaultError::Corrupt {
                path,
                reason: format!("the key does not belong to ca/{}.der", role.stem()),
            });
        }
        Ok(CaKeyPair { cert, key })
    }

    fn load_crl(
        &self,
        role: CaRole,
        ca: &Certificate,
        state: &CrlState,
    ) -> Result<Crl, VaultError> {
        let path = self.dir.join(state.file(role));
        let der = fsio::read(&path)?;
        let crl = Crl::from_der(&der).map_err(|e| VaultError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if !crl.is_issued_by(ca) {
            return Err(VaultError::Corrupt {
                path,
                reason: format!("it is not signed by ca/{}.der", role.stem()),
            });
        }
        if crl.crl_number() != Some(state.number) {
            return Err(VaultError::Corrupt {
                path,
                reason: format!(
                    "its cRLNumber is {:?}, the index says {}",
                    crl.crl_number(),
                    state.number
                ),
            });
        }
        Ok(crl)
    }

    fn load_state(&self) -> Result<VaultState, VaultError> {
        let config = self.load_config()?;
        let index = self.load_index()?;
        let root = self.load_cert(CaRole::Root)?;
        let issuing = match config.issuing {
            Some(_) => Some(self.load_cert(CaRole::Issuing)?),
            None => None,
        };
        let mut crls = Vec::new();
        for (role, state) in index.crls.iter() {
            let ca = match role {
                CaRole::Root => &root,
                CaRole::Issuing => issuing.as_ref().ok_or_else(|| VaultError::Corrupt {
                    path: self.dir.join(INDEX_FILE),
                    reason: "it has an issuing CA's CRL, config.json no issuing CA".to_owned(),
                })?,
            };
            crls.push(IssuedCrl {
                role,
                crl: self.load_crl(role, ca, state)?,
            });
        }
        Ok(VaultState {
            config,
            index,
            root,
            issuing,
            crls,
        })
    }
}

/// True when `dir` exists and is not an empty folder.
fn dir_has_entries(dir: &Path) -> Result<bool, VaultError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Ok(true),
        Err(e) => Err(VaultError::io("read", dir, e)),
    }
}

/// Writes a complete new vault into `dir` (created).
fn write_new_vault(
    dir: &Path,
    options: &InitOptions,
    now: OffsetDateTime,
) -> Result<(), VaultError> {
    for sub in ["", "ca", "crl", "certs"] {
        fsio::create_dir(&dir.join(sub))?;
    }
    let root = issue::create_root(
        &options.subject,
        issue::generate_key(options.key_bits)?,
        options.ca_years,
        now,
    )?;
    let issuing = match &options.intermediate {
        Some(intermediate) => Some(issue::create_intermediate(
            &root,
            &intermediate.subject,
            issue::generate_key(options.key_bits)?,
            intermediate.years,
            now,
        )?),
        None => None,
    };
    let mut crls = Vec::new();
    for (role, ca) in std::iter::once((CaRole::Root, &root))
        .chain(issuing.as_ref().map(|ca| (CaRole::Issuing, ca)))
    {
        fsio::write_atomic(
            &dir.join(format!("ca/{}.der", role.stem())),
            ca.cert.der(),
            FILE_MODE,
        )?;
        fsio::write_atomic(
            &dir.join(format!("ca/{}.key.pem", role.stem())),
            &key_pem(&ca.key)?,
            FILE_MODE,
        )?;
        let state = CrlState {
            number: 1,
            this_update: now,
            next_update: next_update(&ca.cert, now, options.crl_days),
        };
        let der = issue::create_crl(ca, [], 1, state.this_update, state.next_update)?;
        fsio::write_atomic(&dir.join(state.file(role)), &der, FILE_MODE)?;
        crls.push(state);
    }
    let mut crls = crls.into_iter();
    let index = Index {
        format: FORMAT,
        crls: CrlStates {
            root: crls
                .next()
                .ok_or_else(|| VaultError::Invalid("no root CRL".to_owned()))?,
            issuing: crls.next(),
        },
        certificates: Vec::new(),
    };
    let config = VaultConfig {
        format: FORMAT,
        root: CaConfig {
            subject: root.cert.subject().to_owned(),
            key_bits: options.key_bits,
            years: options.ca_years,
        },
        issuing: issuing
            .as_ref()
            .zip(options.intermediate.as_ref())
            .map(|(ca, o)| CaConfig {
                subject: ca.cert.subject().to_owned(),
                key_bits: options.key_bits,
                years: o.years,
            }),
        cert_years: options.cert_years,
        crl_days: options.crl_days,
    };
    fsio::write_atomic(&dir.join(INDEX_FILE), &pretty(&index)?, FILE_MODE)?;
    fsio::write_atomic(&dir.join(CONFIG_FILE), &pretty(&config)?, FILE_MODE)?;
    for sub in ["ca", "crl", "certs", ""] {
        fsio::sync_dir(&dir.join(sub))?;
    }
    Ok(())
}

/// Pretty JSON of a vault file.
fn pretty(value: &impl serde::Serialize) -> Result<Vec<u8>, VaultError> {
    serde_json::to_vec_pretty(value)
        .map_err(|e| VaultError::Invalid(format!("cannot encode a vault file: {e}")))
}
