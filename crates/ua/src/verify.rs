//! The trust decision both sides of a connection hand to open62541: our [`pki::Validator`], the
//! chain memory for `CreateSession`, the `--autoaccept` policy and a bounded record of rejections.
//!
//! Everything here is plain Rust over bytes; the C callbacks in `ffi` only move the bytes in and
//! the status code out. It runs on the server's event-loop thread, so it reads the store through
//! the validator's cached snapshot (re-read only when the trust folders change).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use pki::{
    Certificate, Operation, PeerExpectations, PeerRole, PlanOptions, StatusCode, Thumbprint,
    ValidatedChain, ValidationError, Validator, validate_chain,
};
use time::OffsetDateTime;

use crate::chain_memory::{ChainMemory, DEFAULT_CAPACITY};

/// How many rejections [`Verifier::rejections`] keeps (the twin reports the newest 10).
pub const DEFAULT_REJECTIONS_KEPT: usize = 10;

/// The OPC PLC's (2018) start-up warning when `--autoaccept` is set (docs/reference/opc-ua-apps.md
/// §1.5.1).
pub const AUTO_ACCEPT_WARNING: &str =
    "WARNING: Automatically accepting certificates. This is a security risk.";

/// One refused peer certificate: what an operator needs to find and approve it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Thumbprint of the peer's certificate (of the bytes when they did not parse).
    pub thumbprint: Thumbprint,
    /// Subject of the certificate the failure concerns (may be an issuer).
    pub subject: String,
    /// The exact OPC UA status code of the failed check.
    pub status: StatusCode,
    /// Why, in words.
    pub reason: String,
    /// When it was refused.
    pub at: OffsetDateTime,
}

/// Verifies peer certificates for one side of the stack.
#[derive(Debug)]
pub struct Verifier {
    validator: Arc<Validator>,
    expect: PeerExpectations,
    auto_accept: bool,
    chains: Mutex<ChainMemory>,
    rejections: Mutex<VecDeque<Rejection>>,
    rejections_kept: usize,
}

impl Verifier {
    /// A verifier over `validator` expecting peers described by `expect` (role, host name, URI).
    #[must_use]
    pub fn new(validator: Arc<Validator>, expect: PeerExpectations) -> Self {
        Self {
            validator,
            expect,
            auto_accept: false,
            chains: Mutex::new(ChainMemory::new(DEFAULT_CAPACITY)),
            rejections: Mutex::new(VecDeque::new()),
            rejections_kept: DEFAULT_REJECTIONS_KEPT,
        }
    }

    /// Verifies client certificates (server side).
    #[must_use]
    pub fn for_clients(validator: Arc<Validator>) -> Self {
        Self::new(
            validator,
            PeerExpectations {
                role: Some(PeerRole::Client),
                ..PeerExpectations::default()
            },
        )
    }

    /// `--autoaccept`: an untrusted peer is added to the trusted store and accepted (other
    /// failures, such as a revoked or expired certificate, are still refused). Logs the OPC
    /// PLC's warning.
    #[must_use]
    pub fn with_auto_accept(mut self, auto_accept: bool) -> Self {
        if auto_accept {
            tracing::warn!(target: "pki", "{AUTO_ACCEPT_WARNING}");
        }
        self.auto_accept = auto_accept;
        self
    }

    /// Sets how many rejections are kept (newest first out of [`Self::rejections`]).
    #[must_use]
    pub fn with_rejections_kept(mut self, kept: usize) -> Self {
        self.rejections_kept = kept.max(1);
        self
    }

    /// The validator (its cache generation tells when the trust lists changed).
    #[must_use]
    pub fn validator(&self) -> &Arc<Validator> {
        &self.validator
    }

    /// The expectations every peer is checked against.
    #[must_use]
    pub fn expectations(&self) -> &PeerExpectations {
        &self.expect
    }

    /// The most recent rejections, oldest first.
    #[must_use]
    pub fn rejections(&self) -> Vec<Rejection> {
        self.rejections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    /// Verifies what a peer sent (concatenated DER, leaf first) at `now`. A refusal is logged
    /// with its exact status code and recorded; untrusted certificates land in `rejected/certs`.
    pub fn verify(
        &self,
        chain_der: &[u8],
        now: OffsetDateTime,
    ) -> Result<ValidatedChain, ValidationError> {
        let result = self.decide(chain_der, now);
        match &result {
            Ok(chain) => tracing::debug!(
                target: "ua",
                subject = %chain.leaf().subject(),
                thumbprint = %chain.leaf().thumbprint(),
                "peer certificate accepted"
            ),
            Err(err) => self.record(chain_der, err, now),
        }
        result
    }

    /// Re-checks a certificate an open session was admitted with against the current trust
    /// lists (live revocation). Unlike [`Self::verify`] it records nothing, copies nothing to
    /// `rejected/certs` and never auto-accepts: a refusal here closes a session, it does not
    /// describe a new peer. `Ok(())` when the store cannot be read (the next look retries).
    pub(crate) fn recheck(
        &self,
        chain_der: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), ValidationError> {
        let Ok(presented) = self.validator.parse_chain(chain_der) else {
            return Ok(());
        };
        let presented = self
            .chains
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .complete(presented);
        let snapshot = match self.validator.cache().snapshot() {
            Ok(snapshot) => snapshot,
            Err(e) => {
                tracing::error!(target: "ua", error = %e, "could not read the trust store to re-check open sessions");
                return Ok(());
            }
        };
        validate_chain(
            &snapshot,
            &presented,
            now,
            &self.validator.options(),
            &self.expect,
        )
        .map(drop)
    }

    fn decide(
        &self,
        chain_der: &[u8],
        now: OffsetDateTime,
    ) -> Result<ValidatedChain, ValidationError> {
        let presented = self
            .validator
            .parse_chain(chain_der)
            .map_err(|e| ValidationError {
                status: StatusCode::BadCertificateInvalid,
                subject: String::new(),
                reason: e.to_string(),
            })?;
        let presented = self
            .chains
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .complete(presented);
        if self.auto_accept
            && let Some(accepted) = self.auto_accept_untrusted(&presented, now)
        {
            return accepted;
        }
        self.validator
            .validate_certificates(&presented, now, &self.expect)
    }

    /// With `--autoaccept`: when the only objection is that the peer is unknown, trust it
    /// (`Operation::AddTrusted`) and validate again. `None` when another check failed first.
    fn auto_accept_untrusted(
        &self,
        presented: &[Certificate],
        now: OffsetDateTime,
    ) -> Option<Result<ValidatedChain, ValidationError>> {
        let first = self
            .validator
            .check_certificates(presented, now, &self.expect);
        let err = first.as_ref().err()?;
        if err.status != StatusCode::BadCertificateUntrusted {
            return None;
        }
        let leaf = presented.first()?.clone();
        tracing::warn!(
            target: "pki",
            subject = %leaf.subject(),
            thumbprint = %leaf.thumbprint(),
            "Automatically accepting certificate '{}' and adding it to the trusted peer store.",
            leaf.subject()
        );
        let mut options = PlanOptions::new(now);
        options.validation = self.validator.options();
        if let Err(e) = self
            .validator
            .cache()
            .store()
            .transact(vec![Operation::AddTrusted(vec![leaf])], &options)
        {
            tracing::error!(target: "ua", error = %e, "could not add the auto-accepted certificate to the trusted store");
            return None;
        }
        Some(
            self.validator
                .validate_certificates(presented, now, &self.expect),
        )
    }

    fn record(&self, chain_der: &[u8], err: &ValidationError, now: OffsetDateTime) {
        let leaf = self
            .validator
            .parse_chain(chain_der)
            .ok()
            .and_then(|c| c.into_iter().next());
        let thumbprint = leaf
            .as_ref()
            .map_or_else(|| Thumbprint::of(chain_der), Certificate::thumbprint);
        tracing::warn!(
            target: "ua",
            status = %err.status,
            code = format_args!("0x{:08X}", err.status.code()),
            subject = %err.subject,
            thumbprint = %thumbprint,
            reason = %err.reason,
            "Certificate '{}' rejected: {}",
            err.subject,
            err.status
        );
        let mut rejections = self
            .rejections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        rejections.push_back(Rejection {
            thumbprint,
            subject: err.subject.clone(),
            status: err.status,
            reason: err.reason.clone(),
            at: now,
        });
        while rejections.len() > self.rejections_kept {
            rejections.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use pki::{Store, StoreLayout, ValidationOptions};
    use test_support::{Ca, LeafSpec, TestStore, self_signed};

    use super::*;

    fn verifier(store: &TestStore) -> Verifier {
        let store = Store::open(StoreLayout::under(store.path())).unwrap();
        Verifier::for_clients(Arc::new(Validator::new(
            store,
            ValidationOptions::default(),
        )))
    }

    fn files(store: &TestStore, sub: &str) -> usize {
        std::fs::read_dir(store.path().join(sub)).unwrap().count()
    }

    #[test]
    fn a_self_signed_peer_is_refused_recorded_and_copied_to_rejected() {
        let store = TestStore::new();
        let peer = self_signed(LeafSpec::client("Intruder", "urn:intruder"));
        let v = verifier(&store);
        let err = v.verify(&peer.der(), test_support::now()).unwrap_err();
        assert_eq!(err.status, StatusCode::BadCertificateUntrusted);
        let rejections = v.rejections();
        assert_eq!(rejections.len(), 1);
        assert_eq!(rejections[0].status, StatusCode::BadCertificateUntrusted);
        assert_eq!(rejections[0].thumbprint.to_string(), peer.thumbprint());
        assert_eq!(files(&store, "rejected/certs"), 1);
    }

    #[test]
    fn garbage_is_refused_as_an_invalid_certificate() {
        let store = TestStore::new();
        let v = verifier(&store);
        let err = v
            .verify(b"not a certificate", test_support::now())
            .unwrap_err();
        assert_eq!(err.status, StatusCode::BadCertificateInvalid);
        assert_eq!(v.rejections()[0].status, StatusCode::BadCertificateInvalid);
    }

    #[test]
    fn a_leaf_alone_at_create_session_is_completed_from_the_chain_seen_at_open() {
        let root = Ca::root("Root");
        let inter = root.intermediate("Intermediate");
        let leaf = inter.leaf(LeafSpec::client("Client", "urn:client"));
        let store = TestStore::new()
            .with_trusted(root.cert())
            .with_trusted_crl(&root.crl(&[]))
            .with_trusted_crl(&inter.crl(&[]));
        let v = verifier(&store);
        let now = test_support::now();

        let alone = v.verify(&leaf.der(), now).unwrap_err();
        assert_eq!(alone.status, StatusCode::BadCertificateChainIncomplete);
        let mut chain = leaf.der();
        chain.extend(inter.der());
        v.verify(&chain, now).unwrap();
        v.verify(&leaf.der(), now).unwrap();
    }

    #[test]
    fn auto_accept_trusts_an_unknown_peer_and_copies_it_to_trusted() {
        let store = TestStore::new();
        let peer = self_signed(LeafSpec::client("Newcomer", "urn:newcomer"));
        let v = verifier(&store).with_auto_accept(true);
        v.verify(&peer.der(), test_support::now()).unwrap();
        assert_eq!(files(&store, "trusted/certs"), 1);
        assert_eq!(files(&store, "rejected/certs"), 0);
        assert!(v.rejections().is_empty());
    }

    #[test]
    fn auto_accept_still_refuses_a_revoked_peer() {
        let root = Ca::root("Root");
        let leaf = root.leaf(LeafSpec::client("Client", "urn:client"));
        let store = TestStore::new()
            .with_trusted(root.cert())
            .with_trusted_crl(&root.crl(&[&leaf.cert]));
        let v = verifier(&store).with_auto_accept(true);
        let err = v.verify(&leaf.der(), test_support::now()).unwrap_err();
        assert_eq!(err.status, StatusCode::BadCertificateRevoked);
        assert_eq!(files(&store, "trusted/certs"), 1);
    }

    #[test]
    fn only_the_newest_rejections_are_kept() {
        let store = TestStore::new();
        let v = verifier(&store).with_rejections_kept(2);
        for i in 0..3 {
            let peer = self_signed(LeafSpec::client(&format!("p{i}"), "urn:p"));
            let _ = v.verify(&peer.der(), test_support::now());
        }
        let kept = v.rejections();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[1].subject, "CN=p2");
    }
}
