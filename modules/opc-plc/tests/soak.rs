//! R6 in the suite: the one-minute version of `scripts/soak`. A hundred concurrent secure
//! sessions (`Basic256Sha256` `SignAndEncrypt`, CA-signed client, the PLC's validator deciding)
//! read the PLC's 100 fast `Double`s for a minute through `opc-load`: no read and no connect
//! fails, no session has to be set up again, and once every session is up the `opc-plc`
//! process's resident memory stays flat (it may not grow by more than [`RSS_GROWTH_KIB`]
//! between the start and the end of the window).
//!
//! A behaviour test, not a timing one: how many reads the machine manages is not asserted,
//! only that they happen and none fails.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use opc_load::{PLC_NAMESPACE, ReadLoad, Target, fast_doubles, run_reads};
use test_support::{Ca, LeafSpec, TestStore};
use ua::ClientOptions;

/// Concurrent sessions (open62541's default limits of 100 sessions and channels are ours).
const SESSIONS: usize = 100;
/// The most the PLC's RSS may grow over the window once every session is up. Each session's
/// state is allocated when it is set up, before the window; a read allocates and frees its
/// request and response. What remains is the allocator's slack between samples (a few
/// hundred KiB seen); a leak of one allocation per read (over 10,000 reads) exceeds it.
const RSS_GROWTH_KIB: u64 = 2048;

struct Plc(Child);

impl Drop for Plc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_hundred_secure_sessions_read_for_a_minute_without_an_error_and_memory_stays_flat() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::root("Soak CA");
    let crl = ca.crl(&[]);
    let plc_store =
        TestStore::new()
            .with_own(&ca.leaf(
                LeafSpec::server("OpcPlc", "urn:OpcPlc:localhost", "localhost").ip("127.0.0.1"),
            ))
            .with_trusted(ca.cert())
            .with_trusted_crl(&crl);
    let client_store = TestStore::new()
        .with_own(&ca.leaf(LeafSpec::client("OpcLoad", "urn:test:opc-load")))
        .with_trusted(ca.cert())
        .with_trusted_crl(&crl);
    let store = |sub: &str| plc_store.path().join(sub).display().to_string();
    let mut child = common::plc_command(dir.path(), "localhost")
        .args(["--fn", "100", "--ft", "Double", "--fr", "1"])
        .args(["--ap", &store("own"), "--tp", &store("trusted")])
        .args(["--ip", &store("issuer"), "--rp", &store("rejected")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let pid = child.id();
    let _plc = Plc(child);
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let port = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("the PLC starts");
        if let Some(url) = line.split("OPC UA Server started at ").nth(1) {
            break url
                .trim()
                .rsplit(':')
                .next()
                .unwrap()
                .trim_end_matches('/')
                .parse::<u16>()
                .unwrap();
        }
    };

    let mut options = ClientOptions::new("OpcLoad");
    options.expected_server_uri = Some("urn:OpcPlc:localhost".to_owned());
    let target = Target {
        url: format!("opc.tcp://127.0.0.1:{port}"),
        store_root: client_store.path().to_owned(),
        options,
        server_pid: Some(pid),
    };
    let load = ReadLoad {
        nodes: fast_doubles(PLC_NAMESPACE, 100),
        sessions: SESSIONS,
        warmup: Duration::from_secs(10),
        duration: Duration::from_secs(50),
        // Each session reads ten times a second: continuous reading that leaves the rest of
        // the suite's machine some room (scripts/soak reads back to back).
        interval: Some(Duration::from_millis(100)),
        in_flight: 1,
        sample_every: Some(Duration::from_secs(5)),
    };
    let report = run_reads(&target, &load).unwrap();
    println!(
        "soak: {} reads, {} errors; RSS start {:?}, end {:?}, samples {:?}",
        report.reads,
        report.errors,
        report.server_start,
        report.server_end,
        report.server_rss_samples
    );
    assert_eq!(report.errors, 0, "{:?}", report.error_messages);
    assert_eq!(report.reconnects, 0);
    assert!(report.reads > 0);
    let start = report.server_start.unwrap().rss_kib;
    let end = report.server_end.unwrap().rss_kib;
    assert!(
        end <= start + RSS_GROWTH_KIB,
        "RSS grew from {start} KiB to {end} KiB: {:?}",
        report.server_rss_samples
    );
}
