//! An immutable, indexed view of the trust lists: what one validation reads.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::cert::Certificate;
use crate::crl::Crl;
use crate::store::StoreContents;
use crate::thumbprint::Thumbprint;

/// Trusted and issuer certificates with their CRLs, indexed for validation: certificates by
/// subject name, trust by thumbprint, and each CA's CRLs (signature already verified).
#[derive(Debug, Default)]
pub struct TrustSnapshot {
    by_subject: HashMap<Vec<u8>, Vec<Arc<Certificate>>>,
    trusted: HashSet<Thumbprint>,
    crls: Vec<Arc<Crl>>,
    crls_by_ca: HashMap<Thumbprint, Vec<Arc<Crl>>>,
}

impl TrustSnapshot {
    /// Builds a snapshot from certificates and CRLs. CRLs are matched to the CAs that issued
    /// them once, here, so validations only do hash lookups.
    #[must_use]
    pub fn new(trusted: &[Certificate], issuers: &[Certificate], crls: &[Crl]) -> Self {
        let mut snapshot = Self::default();
        let mut seen = HashSet::new();
        for cert in trusted.iter().chain(issuers) {
            if seen.insert(cert.thumbprint()) {
                snapshot
                    .by_subject
                    .entry(cert.subject_der().to_vec())
                    .or_default()
                    .push(Arc::new(cert.clone()));
            }
        }
        snapshot.trusted = trusted.iter().map(Certificate::thumbprint).collect();
        let mut seen_crls = HashSet::new();
        snapshot.crls = crls
            .iter()
            .filter(|crl| seen_crls.insert(crl.thumbprint()))
            .map(|crl| Arc::new(crl.clone()))
            .collect();
        for ca in snapshot.by_subject.values().flatten() {
            let issued: Vec<Arc<Crl>> = snapshot
                .crls
                .iter()
                .filter(|crl| crl.is_issued_by(ca))
                .cloned()
                .collect();
            if !issued.is_empty() {
                snapshot.crls_by_ca.insert(ca.thumbprint(), issued);
            }
        }
        snapshot
    }

    /// Builds a snapshot from a store's contents (CRLs of both trust lists).
    #[must_use]
    pub fn from_contents(contents: &StoreContents) -> Self {
        let trusted: Vec<Certificate> = contents.trusted.iter().map(|s| s.cert.clone()).collect();
        let issuers: Vec<Certificate> = contents.issuer.iter().map(|s| s.cert.clone()).collect();
        let crls: Vec<Crl> = contents
            .trusted_crls
            .iter()
            .chain(&contents.issuer_crls)
            .map(|s| s.crl.clone())
            .collect();
        Self::new(&trusted, &issuers, &crls)
    }

    /// Store certificates whose subject is `subject_der`.
    pub(crate) fn with_subject(&self, subject_der: &[u8]) -> &[Arc<Certificate>] {
        self.by_subject.get(subject_der).map_or(&[], Vec::as_slice)
    }

    /// True when the certificate is in the trusted store.
    #[must_use]
    pub fn is_trusted(&self, thumbprint: &Thumbprint) -> bool {
        self.trusted.contains(thumbprint)
    }

    /// CRLs issued by `ca` (verified). For a CA that is not in the store (sent by the peer),
    /// the CRLs are matched now.
    pub(crate) fn crls_of(&self, ca: &Certificate) -> Vec<Arc<Crl>> {
        if let Some(crls) = self.crls_by_ca.get(&ca.thumbprint()) {
            return crls.clone();
        }
        self.crls
            .iter()
            .filter(|crl| crl.is_issued_by(ca))
            .cloned()
            .collect()
    }

    /// Number of certificates indexed.
    #[must_use]
    pub fn certificate_count(&self) -> usize {
        self.by_subject.values().map(Vec::len).sum()
    }
}
