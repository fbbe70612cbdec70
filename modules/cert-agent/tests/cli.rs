//! The cert-agent process outside IoT Edge: its command line and its exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn agent() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cert-agent"));
    // Nothing of the test runner's environment may look like a module identity.
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

#[test]
fn help_names_the_options_with_their_environment_variables() {
    let out = agent().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--pki-root",
        "CERTAGENT_PKIROOT",
        "/appdata/pki",
        "--logfile",
        "CERTAGENT_LOGLEVEL",
        "--logflushtimespan",
    ] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
}

#[test]
fn without_a_module_identity_it_says_what_it_needs_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = agent()
        .current_dir(dir.path())
        .args(["--pki-root", "pki"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("cert-agent needs its module twin"),
        "{stderr}"
    );
    // The log says where the stores are and why it stops.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("keeps the stores under")
            && stdout.contains('[')
            && stdout.contains("ERR]"),
        "{stdout}"
    );
}

#[test]
fn a_usage_error_exits_2() {
    let out = agent().arg("--no-such-option").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = agent().args(["--ll", "loud"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
