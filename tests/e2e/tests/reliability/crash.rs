//! R2, crash: opc-plc is `SIGKILL`ed at random moments while its module twin switches its PKI
//! between two states, then restarted.
//!
//! The two states `A` and `B` differ in everything a desired `pki` document carries: another
//! application certificate (for the same key), another trust list (`B` trusts a second CA),
//! another CRL set. Each trial writes the other state's document to the twin, waits a random
//! time within the window the PLC needs to apply a document, kills the process with
//! `SIGKILL`, and checks the store on disk byte for byte (and mode for mode): it must be exactly
//! state `A` or state `B` as a quiet run leaves them, never a mixture, with the private key
//! present, unchanged and `0600`. Then it restarts the PLC, which must converge: reported
//! `pki.status = applied` for the latest desired version with the target's thumbprint, and the
//! store exactly the target state.
//!
//! Why it holds: the provisioning driver turns a desired document into one `pki` store batch
//! (`Store::transact`), and the twin record that names the entries it installed commits in the
//! same batch (`crates/provisioning/src/record.rs`). A batch commits by the protocol of
//! `crates/pki/src/store/txn.rs`: every new file is written and fsynced under a staging name,
//! then one intent file is renamed into place (the commit point), then the files are moved;
//! a process that opens the store rolls an interrupted batch forward when the intent exists and
//! back when it does not. A kill before the commit point leaves the old state, after it the new
//! one (completed by the next open of the store: here the test's own read before it compares). `crates/pki/tests/crash_safety.rs` proves the protocol
//! on bare batches; this proves it through the module, its twin and its restart.
//!
//! `cargo test` runs 30 trials (`RELIABILITY_CRASH_TRIALS` changes it); `scripts/crash
//! [trials]` runs 200 and prints the figures.

use std::path::Path;
use std::time::{Duration, Instant};

use edge_sim::Running;
use pki::{Store, StoreLayout};
use rand::Rng as _;
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec, snapshot};

use crate::support::{Process, Snapshot, b64, module_command, replace_desired, sim, wait_reported};

const MODULE: &str = "opcplc";
/// Trials in `cargo test`.
const DEFAULT_TRIALS: usize = 30;

fn start(sim: &Running, dir: &Path) -> Process {
    let mut command = module_command(sim, MODULE, "opc-plc", dir);
    command.args(["--pn=0", "--listenhost", "127.0.0.1", "--ph", "localhost"]);
    Process::spawn("opc-plc", command)
}

/// The two desired documents, built for the PLC's own key, and their thumbprints.
fn documents(store: &Path) -> [(Value, String); 2] {
    let store = Store::open(StoreLayout::under(store)).unwrap();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap().pkey().clone();
    let cn = own.cert.common_name().unwrap().to_owned();
    let uri = own.cert.application_uri().unwrap().to_owned();
    let factory = Ca::root("Factory CA");
    let second = Ca::root("Second CA");
    let leaf = || factory.leaf(LeafSpec::server(&cn, &uri, "localhost").with_key(key.clone()));
    let (a, b) = (leaf(), leaf());
    let crl = b64(&factory.crl(&[]));
    let doc_a = json!({
        "applicationCert": b64(&a.der()),
        "trusted": { "factory": b64(&factory.der()) },
        "issuers": { "factory": b64(&factory.der()) },
        "crls": { "factory": crl },
    });
    let doc_b = json!({
        "applicationCert": b64(&b.der()),
        "trusted": { "factory": b64(&factory.der()), "second": b64(&second.der()) },
        "issuers": { "factory": b64(&factory.der()) },
        "crls": { "factory": crl, "second": b64(&second.crl(&[])) },
    });
    [(doc_a, a.thumbprint()), (doc_b, b.thumbprint())]
}

/// Writes `doc`; returns the desired version.
fn desire(sim: &Running, doc: &Value) -> u64 {
    replace_desired(sim, MODULE, json!({ "pki": doc }))
}

/// Waits until the PLC reports `version` applied with `thumbprint`.
fn converged(sim: &Running, plc: &Process, version: u64, thumbprint: &str) -> Value {
    wait_reported(sim, MODULE, "pki", plc, "convergence", |p| {
        p["desiredVersion"] == version
            && p["status"] == "applied"
            && p["applicationCert"]["thumbprint"] == thumbprint
    })
}

/// Whether a store batch was interrupted (its journal or staged files are left).
fn pending_update(store: &Path) -> bool {
    store.join(".pki.journal").exists()
        || std::fs::read_dir(store.join(".pki.staging")).is_ok_and(|mut d| d.next().is_some())
}

/// The private key file of a state and its mode.
fn key_of(state: &Snapshot) -> Vec<(&Path, u32)> {
    state
        .iter()
        .filter(|(path, _)| path.starts_with("own/private"))
        .map(|(path, (_, mode))| (path.as_path(), *mode))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plc_killed_while_its_twin_switches_its_pki_keeps_the_old_or_the_new_store_and_converges()
{
    let trials: usize = std::env::var("RELIABILITY_CRASH_TRIALS")
        .ok()
        .map_or(DEFAULT_TRIALS, |t| t.parse().expect("a number of trials"));
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("edge-sim"), &[MODULE]).await;
    let work = dir.path().join("plc");
    std::fs::create_dir_all(&work).unwrap();
    let store = work.join("pki");
    tokio::task::block_in_place(|| {
        let mut plc = start(&sim, &work);
        wait_reported(&sim, MODULE, "pki", &plc, "the first report", |p| {
            p["csr"].is_string()
        });
        let docs = documents(&store);
        // The states as a quiet run leaves them, and how long applying takes.
        let mut states = Vec::new();
        let mut apply = Duration::ZERO;
        for (doc, thumbprint) in &docs {
            let begun = Instant::now();
            let version = desire(&sim, doc);
            converged(&sim, &plc, version, thumbprint);
            apply = apply.max(begun.elapsed());
            states.push(snapshot(&store));
        }
        assert_ne!(states[0], states[1]);
        for state in &states {
            let key = key_of(state);
            assert_eq!(key.len(), 1, "one key: {key:?}");
            assert_eq!(key[0].1, 0o600, "the key's mode");
        }
        // The file is named after the certificate; the key in it is the same.
        assert_eq!(
            states[0][key_of(&states[0])[0].0].0,
            states[1][key_of(&states[1])[0].0].0,
            "the key is the same in both states"
        );
        // Kill anywhere from the write of the twin to a little after the report.
        let window = apply + apply / 4;
        let mut rng = rand::rng();
        let (mut found_old, mut found_new, mut interrupted) = (0, 0, 0);
        let mut current = 1;
        let begun = Instant::now();
        for trial in 0..trials {
            let target = 1 - current;
            let delay = Duration::from_micros(
                rng.random_range(0..=u64::try_from(window.as_micros()).unwrap()),
            );
            let version = desire(&sim, &docs[target].0);
            std::thread::sleep(delay);
            plc.kill();
            // A kill inside a batch leaves its journal or staged files; the store's next open
            // (here this read, under the store lock) rolls it forward or back.
            if pending_update(&store) {
                interrupted += 1;
            }
            let reader = Store::open(StoreLayout::under(&store)).unwrap();
            let contents = reader.contents().unwrap();
            let own = contents
                .application_certificate()
                .expect("an own certificate");
            assert!(
                reader.load_key(own).unwrap().matches(&own.cert),
                "trial {trial}: the private key does not match the certificate"
            );
            drop(reader);
            let on_disk = snapshot(&store);
            if on_disk == states[current] {
                found_old += 1;
            } else if on_disk == states[target] {
                found_new += 1;
            } else {
                let diff: Vec<_> = on_disk
                    .keys()
                    .chain(states[current].keys())
                    .filter(|k| {
                        on_disk.get(*k) != states[current].get(*k)
                            && on_disk.get(*k) != states[target].get(*k)
                    })
                    .collect();
                panic!(
                    "trial {trial}: killed {delay:?} after the twin write, the store is neither state; differing files: {diff:?}\n{}",
                    plc.output()
                );
            }
            plc = start(&sim, &work);
            converged(&sim, &plc, version, &docs[target].1);
            assert_eq!(
                snapshot(&store),
                states[target],
                "trial {trial}: converged but the store is not the target state"
            );
            current = target;
        }
        plc.kill();
        eprintln!(
            "crash: {trials} SIGKILLs within {window:?} of a twin write: {found_old} left the old state, {found_new} the new, {interrupted} inside a store batch (recovered); every restart converged; {:.1} s",
            begun.elapsed().as_secs_f64()
        );
        assert!(
            found_old > 0 && found_new > 0 || trials < 10,
            "the kills all landed on one side of the commit: the window is wrong"
        );
    });
}
