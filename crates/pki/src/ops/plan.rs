//! Planning a batch: each operation is checked and applied to an in-memory copy of the store,
//! recording file changes and log lines. Nothing touches the disk here.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use super::error::{PlanError, PlanErrorKind};
use super::{Activation, Operation, PlanOptions, UnknownCrlIssuer};
use crate::cert::Certificate;
use crate::create::{SelfSignedSpec, create_self_signed};
use crate::crl::Crl;
use crate::key::PrivateKey;
use crate::log::LogLine;
use crate::store::txn::FileChange;
use crate::store::{
    OwnCertificate, Store, StoreContents, StoreKind, StoredCertificate, StoredCrl,
    certificate_file_name,
};
use crate::thumbprint::Thumbprint;
use crate::validate::{PeerExpectations, TrustSnapshot, ValidationOptions, validate_chain};

/// A validated batch.
pub(super) struct Planned {
    pub(super) changes: Vec<FileChange>,
    pub(super) lines: Vec<LogLine>,
    pub(super) application_certificate: Option<Thumbprint>,
}

struct Planner<'a> {
    store: &'a Store,
    options: &'a PlanOptions,
    state: StoreContents,
    writes: BTreeMap<PathBuf, Option<(Vec<u8>, u32)>>,
    /// Owners to keep for written files (see `FileChange::Write`).
    owners: BTreeMap<PathBuf, (u32, u32)>,
    lines: Vec<LogLine>,
}

type StepResult = Result<(), PlanErrorKind>;

pub(super) fn plan(
    store: &Store,
    contents: StoreContents,
    operations: &[(usize, Operation)],
    options: &PlanOptions,
) -> Result<Planned, Box<PlanError>> {
    let mut planner = Planner {
        store,
        options,
        state: contents,
        writes: BTreeMap::new(),
        owners: BTreeMap::new(),
        lines: Vec::new(),
    };
    for (index, op) in operations {
        let result = match op {
            Operation::RemoveCertificates(thumbprints) => planner.remove_certificates(thumbprints),
            Operation::RemoveCertificate { store, thumbprint } => {
                if planner.remove_from(*store, *thumbprint) {
                    planner.info(format!(
                        "Removed certificate with thumbprint '{thumbprint}' from the {} store.",
                        store.log_name()
                    ));
                }
                Ok(())
            }
            Operation::AddIssuers(certs) => planner.add_certificates(StoreKind::Issuer, certs),
            Operation::AddTrusted(certs) => planner.add_certificates(StoreKind::Trusted, certs),
            Operation::ApproveRejected(thumbprint) => planner.approve_rejected(*thumbprint),
            Operation::UpdateCrl(crl) => planner.update_crl(crl),
            Operation::RemoveCrl(thumbprint) => {
                planner.remove_crl(*thumbprint);
                Ok(())
            }
            Operation::UpdateApplicationCertificate { cert, key } => {
                planner.update_application_certificate(cert, key.as_ref())
            }
            Operation::CreateSelfSigned(spec) => planner.create_self_signed(spec),
            Operation::WriteRecord(bytes) => {
                planner.write(planner.store.layout().record(), bytes.clone(), 0o644);
                Ok(())
            }
        };
        if let Err(kind) = result {
            return Err(Box::new(PlanError {
                index: *index,
                operation: op.name(),
                kind,
                lines: planner.lines,
            }));
        }
    }
    let application_certificate = planner
        .state
        .application_certificate()
        .map(|o| o.cert.thumbprint());
    Ok(Planned {
        changes: planner.file_changes(),
        lines: planner.lines,
        application_certificate,
    })
}

impl Planner<'_> {
    fn info(&mut self, text: String) {
        self.lines.push(LogLine::info(text));
    }

    fn warn(&mut self, text: String) {
        self.lines.push(LogLine::warn(text));
    }

    fn write(&mut self, path: PathBuf, bytes: Vec<u8>, mode: u32) {
        self.writes.insert(path, Some((bytes, mode)));
    }

    fn delete(&mut self, path: PathBuf) {
        self.writes.insert(path, None);
    }

    /// The recorded changes minus those that change nothing on disk: a deletion of a file that
    /// never existed, or a write of identical bytes. A no-op batch thus writes nothing.
    fn file_changes(&self) -> Vec<FileChange> {
        self.writes
            .iter()
            .filter_map(|(path, change)| match change {
                None => path
                    .exists()
                    .then(|| FileChange::Delete { path: path.clone() }),
                Some((bytes, mode)) => {
                    let owner = self.owners.get(path).copied();
                    let same = fs::read(path).is_ok_and(|old| &old == bytes)
                        && fs::metadata(path).is_ok_and(|m| {
                            use std::os::unix::fs::{MetadataExt, PermissionsExt};
                            m.permissions().mode() & 0o777 == *mode
                                && owner.is_none_or(|o| o == (m.uid(), m.gid()))
                        });
                    (!same).then(|| FileChange::Write {
                        path: path.clone(),
                        bytes: bytes.clone(),
                        mode: *mode,
                        owner,
                    })
                }
            })
            .collect()
    }

    fn certs_mut(&mut self, kind: StoreKind) -> &mut Vec<StoredCertificate> {
        match kind {
            StoreKind::Issuer => &mut self.state.issuer,
            StoreKind::Rejected => &mut self.state.rejected,
            StoreKind::Trusted | StoreKind::Own => &mut self.state.trusted,
        }
    }

    fn crls_mut(&mut self, kind: StoreKind) -> &mut Vec<StoredCrl> {
        match kind {
            StoreKind::Issuer => &mut self.state.issuer_crls,
            _ => &mut self.state.trusted_crls,
        }
    }

    /// Removes every copy of `thumbprint` from one store; true when one was there.
    fn remove_from(&mut self, kind: StoreKind, thumbprint: Thumbprint) -> bool {
        let certs = self.certs_mut(kind);
        let (gone, kept): (Vec<_>, Vec<_>) = certs
            .drain(..)
            .partition(|s| s.cert.thumbprint() == thumbprint);
        *certs = kept;
        let found = !gone.is_empty();
        for stored in gone {
            self.delete(stored.file);
        }
        found
    }

    fn remove_certificates(&mut self, thumbprints: &[Thumbprint]) -> StepResult {
        if thumbprints.is_empty() {
            return Err(PlanErrorKind::NoThumbprints);
        }
        self.info(
            "Starting to remove certificate(s) from trusted peer and trusted issuer store."
                .to_owned(),
        );
        for t in thumbprints {
            if self.remove_from(StoreKind::Trusted, *t) {
                self.info(format!(
                    "Removed certificate with thumbprint '{t}' from the trusted peer store."
                ));
            } else {
                self.warn(format!("Failed to remove certificate with thumbprint '{t}' from the trusted peer store."));
            }
            if self.remove_from(StoreKind::Issuer, *t) {
                self.info(format!(
                    "Removed certificate with thumbprint '{t}' from the trusted issuer store."
                ));
            } else {
                self.warn(format!("Failed to delete certificate with thumbprint '{t}' from the trusted issuer store."));
            }
        }
        Ok(())
    }

    fn add_certificates(&mut self, kind: StoreKind, certs: &[Certificate]) -> StepResult {
        if certs.is_empty() {
            return Err(match kind {
                StoreKind::Issuer => PlanErrorKind::NoIssuerCertificates,
                _ => PlanErrorKind::NoTrustedCertificates,
            });
        }
        let name = kind.log_name();
        self.info(format!(
            "Starting to add certificate(s) to the {name} store."
        ));
        for cert in certs {
            self.add_one(kind, cert);
        }
        Ok(())
    }

    fn add_one(&mut self, kind: StoreKind, cert: &Certificate) {
        let name = kind.log_name();
        if self
            .certs_mut(kind)
            .iter()
            .any(|s| s.cert.thumbprint() == cert.thumbprint())
        {
            self.info(format!(
                "Certificate '{}' already exists in {name} store.",
                cert.subject()
            ));
            return;
        }
        let file = self.store.layout().certs(kind).join(certificate_file_name(
            &cert.file_stem(),
            &cert.thumbprint(),
            "der",
        ));
        self.write(file.clone(), cert.der().to_vec(), 0o644);
        self.certs_mut(kind).push(StoredCertificate {
            file,
            cert: cert.clone(),
        });
        self.info(format!(
            "Certificate '{}' and thumbprint '{}' was added to the {name} store.",
            cert.subject(),
            cert.thumbprint()
        ));
    }

    fn approve_rejected(&mut self, thumbprint: Thumbprint) -> StepResult {
        let Some(stored) = self
            .state
            .rejected
            .iter()
            .find(|s| s.cert.thumbprint() == thumbprint)
            .cloned()
        else {
            return Err(PlanErrorKind::RejectedNotFound(thumbprint));
        };
        self.remove_from(StoreKind::Rejected, thumbprint);
        self.add_one(StoreKind::Trusted, &stored.cert);
        Ok(())
    }

    fn update_crl(&mut self, crl: &Crl) -> StepResult {
        self.info("Starting to update the current CRL.".to_owned());
        let mut placed = false;
        let mut bad_signature = false;
        for kind in [StoreKind::Trusted, StoreKind::Issuer] {
            let holders: Vec<&StoredCertificate> = self
                .state
                .certificates(kind)
                .iter()
                .filter(|s| s.cert.subject_der() == crl.issuer_der())
                .collect();
            if holders.is_empty() {
                continue;
            }
            if !holders.iter().any(|s| crl.verifies_with(&s.cert)) {
                bad_signature = true;
                continue;
            }
            placed = true;
            let same_issuer: Vec<StoredCrl> = self
                .state
                .crls(kind)
                .iter()
                .filter(|s| s.crl.issuer_der() == crl.issuer_der())
                .cloned()
                .collect();
            if same_issuer
                .iter()
                .any(|s| s.crl.thumbprint() == crl.thumbprint())
            {
                continue; // Already installed here.
            }
            if let Some(newer) = same_issuer.iter().find(|s| crl.is_older_than(&s.crl)) {
                let number = |c: &Crl| {
                    c.crl_number()
                        .map_or_else(|| "-".to_owned(), |n| n.to_string())
                };
                return Err(PlanErrorKind::CrlRollback {
                    issuer: crl.issuer().to_owned(),
                    installed: number(&newer.crl),
                    new: number(crl),
                });
            }
            let name = kind.log_name();
            // The OPC PLC logs this line whether or not a CRL of the issuer was installed
            // (docs/reference/opc-ua-apps.md §4.2, step 5 on an empty store).
            self.info(format!("Remove the current CRL from the {name} store."));
            for old in same_issuer {
                self.delete(old.file.clone());
                self.crls_mut(kind).retain(|s| s.file != old.file);
            }
            let file = self.store.layout().crls(kind).join(certificate_file_name(
                &crl.file_stem(),
                &crl.thumbprint(),
                "crl",
            ));
            self.write(file.clone(), crl.der().to_vec(), 0o644);
            self.crls_mut(kind).push(StoredCrl {
                file,
                crl: crl.clone(),
            });
            self.info(format!(
                "The new CRL issued by '{}' was added to the {name} store.",
                crl.issuer()
            ));
        }
        if placed {
            return Ok(());
        }
        if bad_signature {
            return Err(PlanErrorKind::CrlSignatureInvalid {
                issuer: crl.issuer().to_owned(),
            });
        }
        match self.options.unknown_crl_issuer {
            UnknownCrlIssuer::Reject => Err(PlanErrorKind::CrlIssuerUnknown {
                issuer: crl.issuer().to_owned(),
            }),
            UnknownCrlIssuer::Ignore => {
                self.warn(format!(
                    "The CRL issued by '{}' was not installed: no certificate of its issuer is in the trusted peer or trusted issuer store.",
                    crl.issuer()
                ));
                Ok(())
            }
        }
    }

    fn remove_crl(&mut self, thumbprint: Thumbprint) {
        for kind in [StoreKind::Trusted, StoreKind::Issuer] {
            let files: Vec<PathBuf> = self
                .state
                .crls(kind)
                .iter()
                .filter(|s| s.crl.thumbprint() == thumbprint)
                .map(|s| s.file.clone())
                .collect();
            for file in files {
                self.info(format!(
                    "Remove the current CRL from the {} store.",
                    kind.log_name()
                ));
                self.crls_mut(kind).retain(|s| s.file != file);
                self.delete(file);
            }
        }
    }

    fn update_application_certificate(
        &mut self,
        cert: &Certificate,
        key: Option<&PrivateKey>,
    ) -> StepResult {
        self.info("Start updating the current application certificate.".to_owned());
        let current = self.state.application_certificate().cloned();
        match &current {
            Some(own) => self.info(format!(
                "The current application certificate has SubjectName '{}' and thumbprint '{}'.",
                own.cert.subject(),
                own.cert.thumbprint()
            )),
            None => self.info("There is no existing application certificate.".to_owned()),
        }
        if let Some(own) = &current
            && own.cert.subject_der() != cert.subject_der()
        {
            return Err(PlanErrorKind::SubjectMismatch {
                new: cert.subject().to_owned(),
                current: own.cert.subject().to_owned(),
            });
        }
        self.check_application_certificate(cert)?;

        // The key: the one supplied, else the existing one (CSR flow).
        let existing_key = match &current {
            Some(own) if own.key_file.is_some() => {
                Some(self.store.load_key(own).map_err(|e| match e {
                    crate::StoreError::Key { source, .. } => PlanErrorKind::Key(source),
                    other => PlanErrorKind::KeyUnreadable(other.to_string()),
                })?)
            }
            _ => None,
        };
        let (key, which) = match (key, &existing_key) {
            (Some(key), _) => {
                self.info(format!(
                    "The private key for the new certificate was passed in using {} format.",
                    key.format()
                ));
                (key, "provided")
            }
            (None, Some(existing)) => (existing, "existing"),
            (None, None) => return Err(PlanErrorKind::NoPrivateKey),
        };
        if !key.matches(cert) {
            return Err(PlanErrorKind::KeyMismatch { which });
        }
        if current.as_ref().is_some_and(|own| own.cert == *cert) && which == "existing" {
            self.info(format!(
                "The application certificate with thumbprint '{}' is already installed.",
                cert.thumbprint()
            ));
            return Ok(());
        }

        let key_bytes = self.key_file_bytes(current.as_ref(), key, which == "existing", cert)?;
        // The new files belong to whoever owned the old ones: in a store kept for another
        // application (cert-agent) that application must still read its `0600` key.
        let owner = current
            .as_ref()
            .and_then(|own| own.key_file.as_ref().or(Some(&own.file)))
            .and_then(|file| fs::metadata(file).ok())
            .map(|m| {
                use std::os::unix::fs::MetadataExt;
                (m.uid(), m.gid())
            });
        if let Some(own) = &current {
            self.info("Remove the existing application certificate.".to_owned());
            self.delete(own.file.clone());
            if let Some(key_file) = &own.key_file {
                self.delete(key_file.clone());
            }
            self.state.own.retain(|o| o.file != own.file);
        }
        self.install_own(cert, key_bytes, owner);
        self.info(format!(
            "The new application certificate '{}' and thumbprint '{}' was added to the application certificate store.",
            cert.subject(),
            cert.thumbprint()
        ));
        if self.options.activation == Activation::Logged {
            self.info(format!(
                "Activating the new application certificate with thumbprint '{}'.",
                cert.thumbprint()
            ));
        }
        Ok(())
    }

    /// The checks of a new application certificate: usable as an application certificate,
    /// valid now, the expected URI, and (unless self-signed) chaining to the would-be trust lists.
    fn check_application_certificate(&self, cert: &Certificate) -> StepResult {
        let now = self.options.now;
        if cert.is_ca() || cert.key_usage().is_some_and(|ku| !ku.digital_signature) {
            return Err(PlanErrorKind::CaAsApplicationCertificate {
                subject: cert.subject().to_owned(),
            });
        }
        if !cert.is_valid_at(now) {
            return Err(PlanErrorKind::NotValidNow {
                subject: cert.subject().to_owned(),
                not_before: cert.not_before().to_string(),
                not_after: cert.not_after().to_string(),
            });
        }
        if let Some(expected) = &self.options.application_uri
            && cert.application_uri() != Some(expected.as_str())
        {
            return Err(PlanErrorKind::UriMismatch {
                expected: expected.clone(),
                found: cert.application_uri().unwrap_or_default().to_owned(),
            });
        }
        if !cert.is_self_signed() {
            // As the OPC PLC: the union of the issuer and trusted stores vouches for it; a CRL
            // is checked where one is installed but not required.
            let mut anchors: Vec<Certificate> =
                self.state.trusted.iter().map(|s| s.cert.clone()).collect();
            anchors.extend(self.state.issuer.iter().map(|s| s.cert.clone()));
            let crls: Vec<Crl> = self
                .state
                .trusted_crls
                .iter()
                .chain(&self.state.issuer_crls)
                .map(|s| s.crl.clone())
                .collect();
            let snapshot = TrustSnapshot::new(&anchors, &[], &crls);
            let options = ValidationOptions {
                reject_unknown_revocation: false,
                ..self.options.validation.clone()
            };
            validate_chain(
                &snapshot,
                std::slice::from_ref(cert),
                now,
                &options,
                &PeerExpectations::default(),
            )
            .map_err(PlanErrorKind::NotChained)?;
        }
        Ok(())
    }

    /// The bytes of the new key file. The existing key keeps its container: a PEM file is
    /// copied as is (same encryption); a PFX is rebuilt around the new certificate with the
    /// same password. A supplied key is stored as PKCS#8 PEM.
    fn key_file_bytes(
        &self,
        current: Option<&OwnCertificate>,
        key: &PrivateKey,
        reuse: bool,
        cert: &Certificate,
    ) -> Result<(Vec<u8>, &'static str), PlanErrorKind> {
        let key_file = current.and_then(|o| o.key_file.as_ref()).filter(|_| reuse);
        if let Some(path) = key_file {
            let is_pfx = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pfx"));
            if is_pfx {
                // The application (the .NET OPC PLC above all) loads the certificate it uses
                // from this PFX, not from the `.der` beside it, and binds each key to one
                // certificate: the PFX holds the new certificate and the same key, nothing else,
                // in the format the .NET stack itself writes (3DES/SHA-1 PBE and an HMAC-SHA-1
                // MAC, 2000 iterations each, no friendlyName; OpenSSL 3's defaults differ in all
                // of these). See docs/reference/dotnet-directory-store.md, "Finding the
                // certificate and its key" and "The PFX the stack writes".
                let pfx = key
                    .to_dotnet_pfx(cert, self.store.key_password())
                    .map_err(PlanErrorKind::Key)?;
                return Ok((pfx, "pfx"));
            }
            let ext = if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("key"))
            {
                "key"
            } else {
                "pem"
            };
            let bytes = fs::read(path).map_err(|e| {
                PlanErrorKind::KeyUnreadable(format!("cannot read '{}': {e}", path.display()))
            })?;
            return Ok((bytes, ext));
        }
        Ok((key.to_pkcs8_pem().map_err(PlanErrorKind::Key)?, "pem"))
    }

    fn install_own(
        &mut self,
        cert: &Certificate,
        (key_bytes, key_ext): (Vec<u8>, &'static str),
        owner: Option<(u32, u32)>,
    ) {
        let layout = self.store.layout();
        let stem = cert.file_stem();
        let file = layout.certs(StoreKind::Own).join(certificate_file_name(
            &stem,
            &cert.thumbprint(),
            "der",
        ));
        let key_file =
            layout
                .private()
                .join(certificate_file_name(&stem, &cert.thumbprint(), key_ext));
        self.write(file.clone(), cert.der().to_vec(), 0o644);
        self.write(key_file.clone(), key_bytes, 0o600);
        if let Some(owner) = owner {
            self.owners.insert(file.clone(), owner);
            self.owners.insert(key_file.clone(), owner);
        }
        self.state.own.push(OwnCertificate {
            file,
            cert: cert.clone(),
            key_file: Some(key_file),
        });
    }

    fn create_self_signed(&mut self, spec: &SelfSignedSpec) -> StepResult {
        if let Some(own) = self.state.application_certificate() {
            let line = format!(
                "Application certificate with thumbprint '{}' found in the application certificate store.",
                own.cert.thumbprint()
            );
            self.info(line);
            return Ok(());
        }
        self.info(format!(
            "No existing Application certificate found. Create a self-signed Application certificate valid from yesterday for {} months,",
            spec.lifetime_months
        ));
        self.info(format!(
            "with a {} bit key and 256 bit hash.",
            spec.key_bits
        ));
        let (cert, key) = create_self_signed(spec, self.options.now)
            .map_err(|e| PlanErrorKind::Create(e.to_string()))?;
        let key_pem = key.to_pkcs8_pem().map_err(PlanErrorKind::Key)?;
        self.install_own(&cert, (key_pem, "pem"), None);
        self.info(format!(
            "Application certificate with thumbprint '{}' created.",
            cert.thumbprint()
        ));
        Ok(())
    }
}
