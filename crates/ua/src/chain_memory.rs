//! Remembers the certificate chain a peer sent at `OpenSecureChannel`, for its `CreateSession`.
//!
//! open62541 hands the certificate group exactly the bytes the peer sent: leaf plus
//! intermediates at OPN, but only the leaf at `CreateSession` (OPC 10000-4 §5.6.2 carries the
//! `clientCertificate` alone). Without the intermediates seen at OPN, a peer whose issuing CA is
//! only known through the chain it sends would fail `CreateSession` with
//! `BadCertificateChainIncomplete`. The memory is bounded: the oldest entry goes first.

use std::collections::{HashMap, VecDeque};

use pki::{Certificate, Thumbprint};

/// Default number of peers whose chain is remembered.
pub(crate) const DEFAULT_CAPACITY: usize = 256;

/// Intermediates last sent by each peer, keyed by the thumbprint of the peer's leaf.
#[derive(Debug)]
pub(crate) struct ChainMemory {
    capacity: usize,
    chains: HashMap<Thumbprint, Vec<Certificate>>,
    order: VecDeque<Thumbprint>,
}

impl ChainMemory {
    /// An empty memory for at most `capacity` peers.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            chains: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Completes `presented` (leaf first): a chain is remembered, a lone leaf gets the
    /// intermediates remembered for it. Returns the certificates to validate.
    pub(crate) fn complete(&mut self, presented: Vec<Certificate>) -> Vec<Certificate> {
        let Some(leaf) = presented.first() else {
            return presented;
        };
        let key = leaf.thumbprint();
        if presented.len() > 1 {
            self.remember(key, presented[1..].to_vec());
            return presented;
        }
        match self.chains.get(&key) {
            Some(intermediates) => {
                let mut full = presented;
                full.extend(intermediates.iter().cloned());
                full
            }
            None => presented,
        }
    }

    fn remember(&mut self, key: Thumbprint, intermediates: Vec<Certificate>) {
        if self.chains.insert(key, intermediates).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.chains.remove(&oldest);
            }
        }
    }

    /// Number of peers remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.chains.len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use test_support::{Ca, LeafSpec};

    use super::*;

    fn cert(x: &openssl::x509::X509) -> Certificate {
        Certificate::from_der(&x.to_der().unwrap()).unwrap()
    }

    #[test]
    fn a_lone_leaf_gets_the_intermediates_sent_with_it_at_open_secure_channel() {
        let root = Ca::root("Root");
        let inter = root.intermediate("Intermediate");
        let leaf = inter.leaf(LeafSpec::client("Client", "urn:client"));
        let mut memory = ChainMemory::new(4);

        let sent = memory.complete(vec![cert(&leaf.cert), cert(inter.cert())]);
        assert_eq!(sent.len(), 2);
        let completed = memory.complete(vec![cert(&leaf.cert)]);
        assert_eq!(completed.len(), 2);
        assert_eq!(completed[1].thumbprint(), cert(inter.cert()).thumbprint());
    }

    #[test]
    fn an_unknown_leaf_stays_alone() {
        let root = Ca::root("Root");
        let leaf = root.leaf(LeafSpec::client("Client", "urn:client"));
        let mut memory = ChainMemory::new(4);
        assert_eq!(memory.complete(vec![cert(&leaf.cert)]).len(), 1);
        assert_eq!(memory.complete(Vec::new()).len(), 0);
    }

    #[test]
    fn the_oldest_peer_is_forgotten_first() {
        let root = Ca::root("Root");
        let inter = root.intermediate("Intermediate");
        let leaves: Vec<_> = (0..3)
            .map(|i| inter.leaf(LeafSpec::client(&format!("c{i}"), "urn:c")))
            .collect();
        let mut memory = ChainMemory::new(2);
        for leaf in &leaves {
            memory.complete(vec![cert(&leaf.cert), cert(inter.cert())]);
        }
        assert_eq!(memory.len(), 2);
        assert_eq!(memory.complete(vec![cert(&leaves[0].cert)]).len(), 1);
        assert_eq!(memory.complete(vec![cert(&leaves[2].cert)]).len(), 2);
    }
}
