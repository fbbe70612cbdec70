//! The simulation and log options of the `opc-plc` binary, run as an operator would with
//! `--exit-after-start` (port 0, loopback): defaults in `--help`, refusals of bad values, the
//! SHA-1 policy line, and the `--lf`/`--lt` log file.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn plc(dir: &Path, args: &[&str]) -> Output {
    common::plc_command(dir, "opcplc-123456")
        .arg("--exit-after-start")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn help_lists_the_simulation_options_with_their_defaults() {
    let output = Command::new(env!("CARGO_BIN_EXE_opc-plc"))
        .arg("--help")
        .output()
        .unwrap();
    let help = stdout(&output);
    for (option, alias, default) in [
        ("--slownodes", "--sn", "[default: 1]"),
        ("--slowrate", "--sr", "[default: 10]"),
        ("--slowtype", "--st", "[default: UInt]"),
        ("--fastnodes", "--fn", "[default: 1]"),
        ("--fastrate", "--fr", "[default: 1]"),
        ("--fasttype", "--ft", "[default: UInt]"),
        ("--simulationcyclecount", "--sc", "[default: 50]"),
        ("--cycletime", "--ct", "[default: 100]"),
        ("--logflushtimespan", "--lt", "[default: 30]"),
        // Flags are off unless given; clap shows no default for them.
        ("--rejectsha1", "--rsha1", "SHA-1"),
    ] {
        // `      --option <VALUE>` then the description line with default and alias.
        let lines: Vec<&str> = help.lines().collect();
        let at = lines
            .iter()
            .position(|l| {
                let l = l.trim_start();
                l == option || l.starts_with(&format!("{option} "))
            })
            .unwrap_or_else(|| panic!("{option} missing in\n{help}"));
        let block = lines[at + 1];
        assert!(block.contains(alias), "{option}: {block}");
        assert!(block.contains(default), "{option}: {block}");
    }
}

#[test]
fn sha1_is_accepted_by_default_as_in_the_reference_and_rejected_with_rsha1() {
    let dir = tempfile::tempdir().unwrap();
    let run = plc(dir.path(), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    assert!(
        stdout(&run).contains("] Rejection of SHA1 signed certificates is disabled\n"),
        "{}",
        stdout(&run)
    );
    let run = plc(dir.path(), &["--rsha1"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(stdout(&run).contains("] Rejection of SHA1 signed certificates is enabled\n"));
}

#[test]
fn bad_simulation_values_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let run = plc(dir.path(), &["--st=Int"]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(
        err.contains("unknown node type 'Int' (expected UInt, Double, Bool or UIntArray)"),
        "{err}"
    );

    let run = plc(dir.path(), &["--ct=0"]);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8(run.stderr.clone()).unwrap();
    assert!(err.contains("--ct must be more than 0 ms"), "{err}");
    assert!(stdout(&run).contains("FTL] OPC UA server failed unexpectedly."));
}

#[test]
fn the_log_file_gets_the_same_lines_and_is_appended_to() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let run = plc(dir.path(), &["--lf=logs/opcplc-123456-plc.log", "--lt=1"]);
        assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    }
    let log = std::fs::read_to_string(dir.path().join("logs/opcplc-123456-plc.log")).unwrap();
    assert_eq!(
        log.matches("] OPC UA Server started at opc.tcp://opcplc-123456:")
            .count(),
        2,
        "{log}"
    );
    assert!(
        log.contains("INF] Creating 1 Slow nodes of type: UInt"),
        "{log}"
    );
}

#[test]
fn the_stacks_set_up_warnings_are_only_shown_at_debug_level() {
    let dir = tempfile::tempdir().unwrap();
    // (On OpenSSL, ADR 0013, the stack no longer sets up a certificate verification of its own
    // with an empty trust list, so "Empty trustlist passed." is not logged at all.)
    let noise = [
        "Unconfigured AccessControl.",
        "This can leak credentials on the network.",
    ];
    let run = plc(dir.path(), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    let info = stdout(&run);
    for line in noise {
        assert!(!info.contains(line), "'{line}' at a normal start:\n{info}");
    }
    // At debug they are there (as warnings), for whoever investigates the stack.
    let run = plc(dir.path(), &["--ll", "debug"]);
    assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    let debug = stdout(&run);
    for line in noise {
        assert!(debug.contains(line), "'{line}' missing at debug:\n{debug}");
    }
}
