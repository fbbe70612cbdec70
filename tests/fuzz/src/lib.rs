//! The fuzz targets as plain functions of one input, `&[u8]` -> `bool`.
//!
//! Each target feeds untrusted bytes to one place where the project reads what a peer, a twin
//! or a file hands it, and checks invariants where the code promises them (round trips,
//! acknowledgements that echo their packet, plans whose items name the document), not only
//! that nothing panics: a broken invariant panics, which the fuzzer records as a crash. The
//! result says whether the input was *accepted* (parsed completely, a packet handled), so the
//! corpus replay can tell that the seeds reach past the first check.
//!
//! Two drivers call them (docs/fuzzing.md, ADR 0012): `fuzz/fuzz_targets/<name>.rs`, one
//! libFuzzer binary per target built by `scripts/fuzz` with coverage instrumentation, and
//! `tests/corpus.rs`, which replays the committed corpora `fuzz/corpus/<name>/` in the normal
//! test suite without instrumentation.
//!
//! | target | what it drives |
//! | --- | --- |
//! | [`edgehub`] | edge-sim's MQTT connection rules (`mqtt::protocol`) on packets decoded from the bytes with rumqttc's codec |
//! | [`topic`] | `hub_proto::Topic` parsing and formatting, filter classification, percent-encoding |
//! | [`query`] | `hub_proto::query::Query` parsing, its canonical text and evaluation against a twin |
//! | [`twin`] | reported-patch validation, twin GET bodies, desired state, merge/diff, the desired `pki` contract |
//! | [`desired`] | a desired `pki`/`stores` document decoded and planned against a store (`provisioning::plan`) |
//! | [`certificate`] | `pki::Certificate` from DER, PEM, text and chains |
//! | [`crl`] | `pki::Crl` from DER, PEM and text |
//! | [`csr`] | `opc_vault::CertificateRequest::parse` (PEM, DER, base64) |
//! | [`pfx`] | `pki::PrivateKey::from_bytes`: PKCS#12 and PEM keys |
//! | [`trust_list`] | a `TrustListDataType` written through push management's `TrustList` file, decoded and planned (`provisioning::push`) |

// A fuzz target reports a broken invariant by panicking; that is its purpose.
#![allow(clippy::missing_panics_doc)]
// The fuzzer discards the result; only the corpus replay reads it.
#![allow(clippy::must_use_candidate)]

mod desired;
mod edgehub;
mod hub;
mod push;
mod x509;

pub use desired::desired;
pub use edgehub::edgehub;
pub use hub::{query, topic, twin};
pub use push::trust_list;
pub use x509::{certificate, crl, csr, pfx};

/// A fuzz target: one input in, whether it was accepted out; a broken invariant panics.
pub type Target = fn(&[u8]) -> bool;

/// Every target by the name of its fuzzer binary and corpus folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("edgehub", edgehub),
    ("topic", topic),
    ("twin", twin),
    ("desired", desired),
    ("certificate", certificate),
    ("crl", crl),
    ("csr", csr),
    ("pfx", pfx),
    ("query", query),
    ("trust_list", trust_list),
];

/// Splits an input into the parts of a multi-part target at `0xFF`, a byte that valid UTF-8
/// (and so JSON text) never holds.
fn parts(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|b| *b == 0xFF)
}
