//! One peer validation against a store whose CA's CRL lists 100,000 revoked serials.
//!
//! Target (issue #2, P5 of issue #12): ≤ 2 ms per validation on the cached snapshot, measured
//! for a chain presented for the first time (parse included). Run with `scripts/bench`;
//! results are recorded in `docs/benchmarks.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pki::{
    Certificate, CrlBuilder, PeerExpectations, Store, StoreLayout, ValidationOptions, Validator,
};
use rand::RngCore;
use test_support::{Ca, LeafSpec, TestStore, now};

const REVOKED: usize = 100_000;

fn big_crl(ca: &Ca) -> Vec<u8> {
    let t = now();
    let mut rng = rand::rng();
    let mut builder = CrlBuilder::new(&ca.issued.cert, &ca.issued.key, t)
        .next_update(t + time::Duration::days(30))
        .crl_number(7);
    for _ in 0..REVOKED {
        let mut serial = [0u8; 16];
        rng.fill_bytes(&mut serial);
        serial[0] &= 0x7f;
        builder = builder.revoke_serial(&serial, t);
    }
    builder.sign().unwrap()
}

fn bench_validation(c: &mut Criterion) {
    let ca = Ca::root("Bench CA");
    let leaf = ca.leaf(LeafSpec::client("OpcClient", "urn:OpcClient:bench"));
    let crl = big_crl(&ca);
    let dir = TestStore::new()
        .with_trusted(ca.cert())
        .with_trusted_crl(&crl);
    let validator = Validator::new(
        Store::open(StoreLayout::under(dir.path())).unwrap(),
        ValidationOptions::default(),
    );
    let der = leaf.der();
    let expect = PeerExpectations::default();
    let at = now();
    // Warm the cache once: the steady state is what a server sees per connection.
    validator.validate(&der, at, &expect).unwrap();

    // P5: a peer presenting its chain for the first time: the parse and the decision on the
    // cached trust snapshot (what the 304 µs anchor measured).
    c.bench_function(
        "validate new peer, CA CRL with 100k serials (parse + decide)",
        |b| {
            b.iter(|| {
                let presented = Certificate::chain_from_der(black_box(&der)).unwrap();
                validator
                    .validate_certificates(&presented, at, &expect)
                    .unwrap()
            });
        },
    );
    // The same chain again (every channel and session of a known peer): parsed once
    // (`ParsedChains`), decided every time.
    c.bench_function("validate leaf, CA CRL with 100k serials (cached)", |b| {
        b.iter(|| validator.validate(black_box(&der), at, &expect).unwrap());
    });

    let mut group = c.benchmark_group("reload");
    group.sample_size(10);
    group.bench_function("re-read store and index 100k-serial CRL (cold)", |b| {
        b.iter(|| {
            let cold = Validator::new(
                Store::open(StoreLayout::under(dir.path())).unwrap(),
                ValidationOptions::default(),
            );
            cold.validate(black_box(&der), at, &expect).unwrap();
        });
    });
    group.finish();
}

criterion_group!(benches, bench_validation);
criterion_main!(benches);
