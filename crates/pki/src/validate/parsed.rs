//! Presented chains already parsed, by their exact DER bytes.
//!
//! A peer sends the same certificate chain again and again: at `OpenSecureChannel` and again
//! at `CreateSession`, at every reconnect, and the re-checks of open sessions after a trust
//! list change parse it once more. Parsing is the expensive part of a validation on OpenSSL 3.0:
//! `d2i_X509` builds a decoder context for the public key each time (about 0.2 ms here, more
//! than the whole validation against a cached snapshot; `docs/benchmarks.md`, P4). A parsed
//! [`Certificate`] depends on nothing but its bytes, so the parse is remembered; the decision
//! never is — every validation still runs every check against the current trust lists, time
//! and policy.
//!
//! The key is the whole byte string compared for equality (no digest stands in for it, so no
//! collision can make one chain pass for another). The cache is bounded ([`CAPACITY`] chains,
//! the least recently used goes first); input that does not parse is never kept, its error is
//! produced again each time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::cert::Certificate;
use crate::input::DecodeError;

/// How many distinct chains are kept: the peers of one server or client, with room to spare.
pub const CAPACITY: usize = 64;

/// Parsed chains by their DER bytes (see the module docs).
#[derive(Debug)]
pub struct ParsedChains {
    inner: Mutex<Inner>,
    capacity: usize,
}

impl Default for ParsedChains {
    fn default() -> Self {
        Self::with_capacity(CAPACITY)
    }
}

#[derive(Debug)]
struct Entry {
    /// The tick of its last use.
    used: u64,
    chain: Arc<[Certificate]>,
}

#[derive(Debug, Default)]
struct Inner {
    /// By the chain's bytes.
    chains: HashMap<Box<[u8]>, Entry>,
    tick: u64,
    parses: u64,
}

impl ParsedChains {
    /// An empty cache of [`CAPACITY`] chains.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache of `capacity` chains (at least one).
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Mutex::default(),
            capacity: capacity.max(1),
        }
    }

    /// The certificates of `chain_der` (concatenated DER, leaf first), parsed once per distinct
    /// byte string while it stays among the [`CAPACITY`] most recently used.
    ///
    /// # Errors
    /// As [`Certificate::chain_from_der`], every time the bytes are presented.
    pub fn parse(&self, chain_der: &[u8]) -> Result<Vec<Certificate>, DecodeError> {
        {
            let mut inner = self.lock();
            inner.tick += 1;
            let tick = inner.tick;
            if let Some(entry) = inner.chains.get_mut(chain_der) {
                entry.used = tick;
                return Ok(entry.chain.to_vec());
            }
        }
        // Parsed outside the lock: two threads may parse the same new chain at once, which
        // costs a parse and is otherwise harmless (the second insert replaces the first).
        let chain: Arc<[Certificate]> = Certificate::chain_from_der(chain_der)?.into();
        let mut inner = self.lock();
        inner.parses += 1;
        if inner.chains.len() >= self.capacity && !inner.chains.contains_key(chain_der) {
            let oldest = inner
                .chains
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(bytes, _)| bytes.clone());
            if let Some(oldest) = oldest {
                inner.chains.remove(&oldest);
            }
        }
        let tick = inner.tick;
        let entry = Entry {
            used: tick,
            chain: Arc::clone(&chain),
        };
        inner.chains.insert(chain_der.into(), entry);
        Ok(chain.to_vec())
    }

    /// How many chains were parsed (not found in the cache) so far.
    #[must_use]
    pub fn parses(&self) -> u64 {
        self.lock().parses
    }

    /// How many chains are kept now.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().chains.len()
    }

    /// True when none is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::create::{SelfSignedSpec, create_self_signed};

    fn chain(name: &str) -> Vec<u8> {
        let spec = SelfSignedSpec::new(name, &format!("urn:test:{name}"), Vec::new());
        let (cert, _key) =
            create_self_signed(&spec, OffsetDateTime::now_utc()).expect("self-signed certificate");
        cert.der().to_vec()
    }

    #[test]
    fn a_chain_presented_again_is_not_parsed_again_and_is_the_same_certificate() {
        let cache = ParsedChains::new();
        let der = chain("again");
        let first = cache.parse(&der).expect("parses");
        let second = cache.parse(&der).expect("parses");
        assert_eq!(cache.parses(), 1);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].der(), der.as_slice());
        assert_eq!(second[0].thumbprint(), first[0].thumbprint());
    }

    #[test]
    fn other_bytes_are_another_chain_even_one_byte_longer() {
        let cache = ParsedChains::new();
        let der = chain("leaf");
        cache.parse(&der).expect("parses");
        let mut longer = der.clone();
        longer.push(0);
        // Trailing garbage is refused as it would be without the cache, and not kept.
        assert!(cache.parse(&longer).is_err());
        assert!(cache.parse(&longer).is_err());
        assert_eq!(cache.len(), 1);
        let two = [der.clone(), chain("issuer")].concat();
        assert_eq!(cache.parse(&two).expect("a chain of two").len(), 2);
        assert_eq!(cache.parses(), 2);
    }

    #[test]
    fn the_least_recently_used_chain_goes_first_when_full() {
        let cache = ParsedChains::with_capacity(3);
        let kept = chain("kept");
        let dropped = chain("dropped");
        cache.parse(&dropped).expect("parses");
        cache.parse(&kept).expect("parses");
        cache.parse(&chain("third")).expect("parses");
        // Full now; `kept` is used again, so `dropped` is the oldest when one more arrives.
        cache.parse(&kept).expect("parses");
        cache.parse(&chain("one more")).expect("parses");
        assert_eq!(cache.len(), 3);
        let parses = cache.parses();
        cache.parse(&kept).expect("parses");
        assert_eq!(cache.parses(), parses, "kept was still cached");
        cache.parse(&dropped).expect("parses");
        assert_eq!(cache.parses(), parses + 1, "dropped had been evicted");
    }
}
