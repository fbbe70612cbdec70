//! A push transaction: what a session staged (`TrustList` writes, `AddCertificate`,
//! `RemoveCertificate`, `UpdateCertificate`), which session owns it, and what the module twin
//! owns (`TwinOwned`). `super::plan` turns it into the one `pki` transaction `ApplyChanges`
//! commits.
//!
//! Staging only records the request (decoding what can be decoded at once, so a malformed
//! certificate fails the method that brought it). The glue calls `plan` after each staging
//! call to answer the method with its error ([`Transaction::unstage_last`] then drops the
//! refused change), and again for `ApplyChanges` (`apply`, inside `pki::Store::transact_with`
//! so the check and the commit happen under one lock).
//!
//! Ownership: entries the module twin installed (the store's record: `trusted`, `issuers`,
//! `crls`, `approved`) are the twin's. A push that would remove one is refused with
//! `BadRequestNotAllowed`, naming the twin's entry; nothing is applied. While the record names
//! an `applicationCert`, the twin manages the application certificate and `UpdateCertificate`
//! is refused the same way.

use std::collections::BTreeMap;

use pki::{Certificate, PrivateKey, Thumbprint};

use super::trust_list::TrustList;
use super::{PushError, PushStatus};
use crate::record::Record;

/// The entries of a store the module twin owns, from its record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TwinOwned {
    /// Trusted certificates the twin installed or approved, with the twin's item name
    /// (`trusted.<name>`, `approveRejected.<thumbprint>`).
    pub trusted: BTreeMap<Thumbprint, String>,
    /// Issuer certificates the twin installed (`issuers.<name>`).
    pub issuers: BTreeMap<Thumbprint, String>,
    /// CRLs the twin installed (`crls.<name>`).
    pub crls: BTreeMap<Thumbprint, String>,
    /// The application certificate the twin's `applicationCert` names, when it names one: the
    /// twin then manages the application certificate.
    pub application_certificate: Option<Thumbprint>,
}

/// The twin's entries named by a store's record (`<root>/.pki.record.json`, `None` when
/// absent; an unreadable record owns nothing).
#[must_use]
pub fn twin_owned(record: Option<&[u8]>) -> TwinOwned {
    let record = Record::from_bytes(record);
    let named = |section: &str, entries: &BTreeMap<String, String>| {
        entries
            .iter()
            .filter_map(|(name, t)| t.parse().ok().map(|t| (t, format!("{section}.{name}"))))
            .collect::<BTreeMap<Thumbprint, String>>()
    };
    let mut trusted = named("trusted", &record.trusted);
    for t in &record.approved {
        if let Ok(thumbprint) = t.parse() {
            trusted
                .entry(thumbprint)
                .or_insert_with(|| format!("approveRejected.{t}"));
        }
    }
    TwinOwned {
        trusted,
        issuers: named("issuers", &record.issuers),
        crls: named("crls", &record.crls),
        application_certificate: record.application_cert.and_then(|t| t.parse().ok()),
    }
}

/// One staged trust-list change, in the order the session made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A trust list written through the `TrustList` file (`CloseAndUpdate`): replaces the
    /// lists it specifies.
    TrustList(TrustList),
    /// `AddCertificate`.
    AddCertificate {
        /// The certificate's DER.
        der: Vec<u8>,
        /// `true` for the trusted list, `false` for the issuer list (a CA).
        is_trusted: bool,
    },
    /// `RemoveCertificate`.
    RemoveCertificate {
        /// The certificate's thumbprint (hex).
        thumbprint: String,
        /// `true` for the trusted list, `false` for the issuer list.
        is_trusted: bool,
    },
}

/// A staged `UpdateCertificate`.
#[derive(Debug, Clone)]
pub struct ApplicationCertificate {
    /// The new certificate's DER.
    pub der: Vec<u8>,
    /// DER of the issuer certificates that come with it (added to `issuer/certs`).
    pub issuers: Vec<Vec<u8>>,
    /// A private key that comes with it; `None` uses the key of `CreateSigningRequest` (with
    /// `regeneratePrivateKey`) or the current one.
    pub key: Option<PrivateKey>,
}

/// Everything a session staged.
#[derive(Debug, Clone, Default)]
pub struct Staged {
    /// Trust-list changes, in order.
    pub changes: Vec<Change>,
    /// The application certificate to install (the last `UpdateCertificate` wins).
    pub application_certificate: Option<ApplicationCertificate>,
}

impl Staged {
    /// True when nothing is staged.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.application_certificate.is_none()
    }
}

#[derive(Debug, Clone)]
enum Last {
    Change,
    ApplicationCertificate(Option<ApplicationCertificate>),
}

/// A push transaction, owned by the session that began it.
#[derive(Debug, Clone)]
pub struct Transaction<S> {
    session: S,
    staged: Staged,
    last: Vec<Last>,
}

impl<S: Eq + Clone> Transaction<S> {
    /// An empty transaction of `session`.
    #[must_use]
    pub fn new(session: S) -> Self {
        Self {
            session,
            staged: Staged::default(),
            last: Vec::new(),
        }
    }

    /// The session that owns it.
    #[must_use]
    pub fn session(&self) -> &S {
        &self.session
    }

    /// What is staged.
    #[must_use]
    pub fn staged(&self) -> &Staged {
        &self.staged
    }

    /// Stages a trust list (from `CloseAndUpdate`). Its items are decoded by [`plan`].
    pub fn stage_trust_list(&mut self, list: TrustList) {
        self.staged.changes.push(Change::TrustList(list));
        self.last.push(Last::Change);
    }

    /// Stages `AddCertificate`: the certificate must decode, and be a CA for the issuer list
    /// (`BadCertificateInvalid`).
    pub fn stage_add_certificate(
        &mut self,
        der: Vec<u8>,
        is_trusted: bool,
    ) -> Result<(), PushError> {
        let cert = decode_certificate(&der, "certificate")?;
        if !is_trusted && !cert.is_ca() {
            return Err(not_a_ca(&cert, "certificate"));
        }
        self.staged
            .changes
            .push(Change::AddCertificate { der, is_trusted });
        self.last.push(Last::Change);
        Ok(())
    }

    /// Stages `RemoveCertificate`: the thumbprint must be hex SHA-1 (`BadInvalidArgument`);
    /// whether the list holds it is checked by [`plan`].
    pub fn stage_remove_certificate(
        &mut self,
        thumbprint: &str,
        is_trusted: bool,
    ) -> Result<(), PushError> {
        parse_thumbprint(thumbprint)?;
        self.staged.changes.push(Change::RemoveCertificate {
            thumbprint: thumbprint.to_owned(),
            is_trusted,
        });
        self.last.push(Last::Change);
        Ok(())
    }

    /// Stages `UpdateCertificate`: refused with `BadRequestNotAllowed` while the module twin
    /// manages the application certificate; the certificate and issuers must decode
    /// (`BadCertificateInvalid`). The key is checked by [`plan`].
    pub fn stage_application_certificate(
        &mut self,
        der: Vec<u8>,
        issuers: Vec<Vec<u8>>,
        key: Option<PrivateKey>,
        owned: &TwinOwned,
    ) -> Result<(), PushError> {
        check_application_certificate_owner(owned)?;
        decode_certificate(&der, "certificate")?;
        for (index, issuer) in issuers.iter().enumerate() {
            decode_certificate(issuer, &format!("issuerCertificates[{index}]"))?;
        }
        let previous = self
            .staged
            .application_certificate
            .replace(ApplicationCertificate { der, issuers, key });
        self.last.push(Last::ApplicationCertificate(previous));
        Ok(())
    }

    /// Drops the most recent staging call (the glue's answer to a refused [`plan`]).
    pub fn unstage_last(&mut self) {
        match self.last.pop() {
            Some(Last::Change) => {
                self.staged.changes.pop();
            }
            Some(Last::ApplicationCertificate(previous)) => {
                self.staged.application_certificate = previous;
            }
            None => {}
        }
    }
}

/// The server's one pending push transaction (OPC 10000-12 §7.8.2.1: one at a time).
#[derive(Debug, Clone)]
pub struct Pending<S> {
    current: Option<Transaction<S>>,
}

impl<S> Default for Pending<S> {
    fn default() -> Self {
        Self { current: None }
    }
}

impl<S: Eq + Clone> Pending<S> {
    /// No transaction pending.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The transaction of `session`, begun now if none is pending; `BadTransactionPending`
    /// when another session's transaction is pending.
    pub fn begin(&mut self, session: &S) -> Result<&mut Transaction<S>, PushError> {
        if let Some(current) = &self.current
            && current.session != *session
        {
            return Err(pending_elsewhere());
        }
        Ok(self
            .current
            .get_or_insert_with(|| Transaction::new(session.clone())))
    }

    /// The transaction of `session`, if it has one pending.
    #[must_use]
    pub fn for_session(&self, session: &S) -> Option<&Transaction<S>> {
        self.current.as_ref().filter(|t| t.session == *session)
    }

    /// The transaction of `session`, if it has one pending, for changes.
    pub fn for_session_mut(&mut self, session: &S) -> Option<&mut Transaction<S>> {
        self.current.as_mut().filter(|t| t.session == *session)
    }

    /// The session whose transaction is pending, if any.
    #[must_use]
    pub fn session(&self) -> Option<&S> {
        self.current.as_ref().map(|t| &t.session)
    }

    /// True when any session has a transaction pending.
    #[must_use]
    pub fn is_pending(&self) -> bool {
        self.current.is_some()
    }

    /// Ends `session`'s transaction for `ApplyChanges`: `Ok(None)` when it has none,
    /// `BadTransactionPending` when another session's is pending (which stays).
    pub fn take(&mut self, session: &S) -> Result<Option<Transaction<S>>, PushError> {
        match &self.current {
            Some(current) if current.session != *session => Err(pending_elsewhere()),
            _ => Ok(self.current.take()),
        }
    }

    /// Discards `session`'s transaction (the session closed, or the apply failed); another
    /// session's stays.
    pub fn discard(&mut self, session: &S) {
        if self.current.as_ref().is_some_and(|t| t.session == *session) {
            self.current = None;
        }
    }
}

fn pending_elsewhere() -> PushError {
    PushError::new(
        PushStatus::BadTransactionPending,
        "another session has push changes pending; they must be applied or discarded first",
    )
}

pub(super) fn check_application_certificate_owner(owned: &TwinOwned) -> Result<(), PushError> {
    match owned.application_certificate {
        Some(thumbprint) => Err(PushError::new(
            PushStatus::BadRequestNotAllowed,
            format!(
                "the module twin manages the application certificate (pki.applicationCert, {thumbprint}); change it through the module twin"
            ),
        )),
        None => Ok(()),
    }
}

pub(super) fn decode_certificate(der: &[u8], what: &str) -> Result<Certificate, PushError> {
    Certificate::from_der(der).map_err(|e| {
        PushError::new(
            pki::StatusCode::BadCertificateInvalid,
            format!("{what} is not a DER certificate: {e}"),
        )
    })
}

pub(super) fn not_a_ca(cert: &Certificate, what: &str) -> PushError {
    PushError::new(
        pki::StatusCode::BadCertificateInvalid,
        format!(
            "{what} ({}) is not a CA certificate and cannot go to the issuer list",
            cert.subject()
        ),
    )
}

pub(super) fn parse_thumbprint(text: &str) -> Result<Thumbprint, PushError> {
    text.parse().map_err(|_| {
        PushError::new(
            PushStatus::BadInvalidArgument,
            format!("'{text}' is not a certificate thumbprint (40 hex digits)"),
        )
    })
}
