//! Crash safety and concurrency of store batches, with real processes: a child applying
//! batches is killed with SIGKILL at random points, and two writers race on one store.
//!
//! The test binary plays both roles: the parent re-runs its own test function in a child
//! process with `PKI_CHILD_*` set, and the child then loops over the batches.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use pki::{Certificate, Crl, Operation, PlanOptions, SelfSignedSpec, Store, StoreLayout};
use rand::Rng;
use test_support::{Ca, LeafSpec, TestStore, now, snapshot};

const CHILD_STORE: &str = "PKI_CHILD_STORE";
const CHILD_INPUTS: &str = "PKI_CHILD_INPUTS";
const CHILD_MODE: &str = "PKI_CHILD_MODE";

type Snapshot = BTreeMap<PathBuf, (Vec<u8>, u32)>;

/// The two target states, as batches that set the store exactly to them from either state.
struct Fixture {
    _dir: TestStore,
    inputs: tempfile::TempDir,
    store_path: PathBuf,
    state_a: Snapshot,
    state_b: Snapshot,
}

fn batch(inputs: &Path, to: &str, from: &str) -> Vec<Operation> {
    let read_cert =
        |name: &str| Certificate::from_der(&std::fs::read(inputs.join(name)).unwrap()).unwrap();
    let read_crl = |name: &str| Crl::from_der(&std::fs::read(inputs.join(name)).unwrap()).unwrap();
    let (ca, crl, app) = (
        read_cert(&format!("ca{to}")),
        read_crl(&format!("crl{to}")),
        read_cert(&format!("app{to}")),
    );
    let (old_ca, old_crl) = (
        read_cert(&format!("ca{from}")),
        read_crl(&format!("crl{from}")),
    );
    vec![
        Operation::RemoveCertificates(vec![old_ca.thumbprint()]),
        Operation::RemoveCrl(old_crl.thumbprint()),
        Operation::AddTrusted(vec![ca.clone()]),
        Operation::AddIssuers(vec![ca]),
        Operation::UpdateCrl(crl),
        Operation::UpdateApplicationCertificate {
            cert: app,
            key: None,
        },
    ]
}

fn fixture() -> Fixture {
    let dir = TestStore::new();
    let store_path = dir.path().to_path_buf();
    let store = Store::open(StoreLayout::under(&store_path)).unwrap();
    let spec = SelfSignedSpec::new("CN=OpcPlc", "urn:OpcPlc:plc1", vec!["plc1".into()]);
    store
        .transact(
            vec![Operation::CreateSelfSigned(spec)],
            &PlanOptions::new(now()),
        )
        .unwrap();
    let contents = store.contents().unwrap();
    let key = store
        .load_key(contents.application_certificate().unwrap())
        .unwrap();

    let inputs = tempfile::tempdir().unwrap();
    for name in ["A", "B"] {
        let ca = Ca::root(&format!("CA {name}"));
        let app = ca.leaf(
            LeafSpec::server("OpcPlc", "urn:OpcPlc:plc1", "plc1").with_key(key.pkey().clone()),
        );
        std::fs::write(inputs.path().join(format!("ca{name}")), ca.der()).unwrap();
        std::fs::write(inputs.path().join(format!("crl{name}")), ca.crl(&[])).unwrap();
        std::fs::write(inputs.path().join(format!("app{name}")), app.der()).unwrap();
    }
    let opts = PlanOptions::new(now());
    store
        .transact(batch(inputs.path(), "A", "B"), &opts)
        .unwrap();
    let state_a = snapshot(&store_path);
    store
        .transact(batch(inputs.path(), "B", "A"), &opts)
        .unwrap();
    let state_b = snapshot(&store_path);
    assert_ne!(state_a, state_b);
    Fixture {
        _dir: dir,
        inputs,
        store_path,
        state_a,
        state_b,
    }
}

fn spawn_child(test: &str, fx: &Fixture, mode: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_STORE, &fx.store_path)
        .env(CHILD_INPUTS, fx.inputs.path())
        .env(CHILD_MODE, mode)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// The child's side: alternate between the two states (forever, or `rounds` times).
fn run_child() -> bool {
    let Ok(store_path) = std::env::var(CHILD_STORE) else {
        return false;
    };
    let inputs = PathBuf::from(std::env::var(CHILD_INPUTS).unwrap());
    let mode = std::env::var(CHILD_MODE).unwrap();
    let store = Store::open(StoreLayout::under(&store_path)).unwrap();
    let rounds = mode.parse::<usize>().unwrap_or(usize::MAX);
    for _ in 0..rounds {
        let opts = PlanOptions::new(now());
        store.transact(batch(&inputs, "A", "B"), &opts).unwrap();
        store.transact(batch(&inputs, "B", "A"), &opts).unwrap();
    }
    true
}

fn pending_update(store: &Path) -> bool {
    store.join(".pki.journal").exists()
        || std::fs::read_dir(store.join(".pki.staging")).is_ok_and(|mut d| d.next().is_some())
}

fn assert_old_or_new(fx: &Fixture) {
    let store = Store::open(StoreLayout::under(&fx.store_path)).unwrap();
    let now_state = snapshot(&fx.store_path);
    assert!(
        now_state == fx.state_a || now_state == fx.state_b,
        "the store is neither the old nor the new state: {:?}",
        now_state.keys().collect::<Vec<_>>()
    );
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    assert!(
        store.load_key(own).unwrap().matches(&own.cert),
        "the private key is intact"
    );
}

#[test]
fn sigkill_during_a_batch_leaves_the_old_or_the_new_state() {
    if run_child() {
        return;
    }
    let fx = fixture();
    let mut rng = rand::rng();
    let trials = 60;
    let mut interrupted = 0;
    for _ in 0..trials {
        let mut child = spawn_child(
            "sigkill_during_a_batch_leaves_the_old_or_the_new_state",
            &fx,
            "forever",
        );
        std::thread::sleep(Duration::from_millis(rng.random_range(20..120)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        if pending_update(&fx.store_path) {
            interrupted += 1;
        }
        assert_old_or_new(&fx);
    }
    eprintln!("{interrupted} of {trials} kills interrupted a commit in progress");
    assert!(
        interrupted > 0,
        "no kill landed inside a commit: the test did not exercise recovery"
    );
}

#[test]
fn concurrent_writers_and_readers_never_see_a_mixed_store() {
    if run_child() {
        return;
    }
    let fx = fixture();
    let test = "concurrent_writers_and_readers_never_see_a_mixed_store";
    let mut writers = [spawn_child(test, &fx, "15"), spawn_child(test, &fx, "15")];
    let reader = Store::open(StoreLayout::under(&fx.store_path)).unwrap();
    let deadline = Instant::now() + Duration::from_mins(2);
    let mut reads = 0;
    loop {
        // Every read under the shared lock sees one complete state.
        let contents = reader.contents().unwrap();
        assert_eq!(contents.own.len(), 1, "exactly one application certificate");
        assert_eq!((contents.trusted.len(), contents.issuer.len()), (1, 1));
        assert_eq!(
            (contents.trusted_crls.len(), contents.issuer_crls.len()),
            (1, 1)
        );
        let ca = &contents.trusted[0].cert;
        assert_eq!(
            contents.own[0].cert.issuer(),
            ca.subject(),
            "certificate and CA belong together"
        );
        assert_eq!(contents.trusted_crls[0].crl.issuer(), ca.subject());
        reads += 1;
        if writers.iter_mut().all(|w| w.try_wait().unwrap().is_some()) || Instant::now() > deadline
        {
            break;
        }
    }
    for mut w in writers {
        assert!(w.wait().unwrap().success(), "a writer failed");
    }
    assert!(reads > 1);
    assert_old_or_new(&fx);
}
