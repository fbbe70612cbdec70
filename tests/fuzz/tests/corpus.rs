//! The short version of the fuzzing campaign (docs/fuzzing.md): every committed input of
//! `fuzz/corpus/<target>/` (seeds, inputs the fuzzer kept for their coverage, and former
//! crashes) replayed through the same target function the fuzzer runs, on stable Rust without
//! instrumentation. A broken invariant panics here as it did under the fuzzer.

use std::fs;
use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let entries = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} is missing: {e}", dir.display()));
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|entry| {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

fn replay(name: &str) {
    let (_, target) = fuzz_targets::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no target {name}"));
    let inputs = corpus(name);
    assert!(!inputs.is_empty(), "the corpus of {name} is empty");
    let mut accepted = 0;
    for (path, bytes) in &inputs {
        eprintln!("{name}: {}", path.display());
        if target(bytes) {
            accepted += 1;
        }
    }
    // The seeds must get past the first check, or the fuzzer starts from nothing.
    assert!(
        accepted > 0,
        "no input of the {name} corpus is accepted ({} inputs)",
        inputs.len()
    );
    eprintln!("{name}: {} inputs, {accepted} accepted", inputs.len());
}

#[test]
fn every_target_has_a_corpus_test() {
    let names: Vec<&str> = fuzz_targets::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "edgehub",
            "topic",
            "twin",
            "desired",
            "certificate",
            "crl",
            "csr",
            "pfx",
            "query",
            "trust_list"
        ]
    );
}

#[test]
fn edgehub_corpus() {
    replay("edgehub");
}

#[test]
fn topic_corpus() {
    replay("topic");
}

#[test]
fn twin_corpus() {
    replay("twin");
}

#[test]
fn desired_corpus() {
    replay("desired");
}

#[test]
fn certificate_corpus() {
    replay("certificate");
}

#[test]
fn crl_corpus() {
    replay("crl");
}

#[test]
fn csr_corpus() {
    replay("csr");
}

#[test]
fn pfx_corpus() {
    replay("pfx");
}

#[test]
fn query_corpus() {
    replay("query");
}

#[test]
fn trust_list_corpus() {
    replay("trust_list");
}
