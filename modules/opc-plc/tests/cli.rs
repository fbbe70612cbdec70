//! The `opc-plc` binary run as an operator would, in a temporary working directory, with
//! `--exit-after-start` so each run ends once the server listens (port 0, loopback).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use openssl::pkey::PKey;
use test_support::{Ca, LeafSpec, self_signed};

struct Run {
    stdout: String,
    code: Option<i32>,
}

impl Run {
    /// The messages without the `[HH:mm:ss LVL] ` prefix, and the levels.
    fn messages(&self) -> Vec<(&str, &str)> {
        self.stdout
            .lines()
            .map(
                |l| match l.strip_prefix('[').and_then(|r| r.split_once("] ")) {
                    Some((stamp, message)) if stamp.len() == 12 => (&stamp[9..], message),
                    _ => ("", l),
                },
            )
            .collect()
    }

    fn has(&self, level: &str, message: &str) -> bool {
        self.messages()
            .iter()
            .any(|(l, m)| *l == level && *m == message)
    }

    /// Asserts that `expected` appear in this order (other lines may come between).
    fn assert_in_order(&self, expected: &[String]) {
        let messages = self.messages();
        let mut at = 0;
        for want in expected {
            match messages[at..].iter().position(|(_, m)| m == want) {
                Some(i) => at += i + 1,
                None => panic!("missing (in order) {want:?} in\n{}", self.stdout),
            }
        }
    }
}

fn plc(dir: &Path, args: &[&str]) -> Run {
    let output = common::plc_command(dir, "opcplc-123456")
        .arg("--exit-after-start")
        .args(args)
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        code: output.status.code(),
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn own_key(dir: &Path) -> PKey<openssl::pkey::Private> {
    let private = dir.join("pki/own/private");
    let file = std::fs::read_dir(&private)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    PKey::private_key_from_pem(&std::fs::read(file.path()).unwrap()).unwrap()
}

fn thumbprint_of(run: &Run, prefix: &str) -> String {
    run.messages()
        .iter()
        .find_map(|(_, m)| m.strip_prefix(prefix))
        .and_then(|rest| rest.split('\'').next())
        .map_or_else(
            || panic!("no line starting {prefix:?} in\n{}", run.stdout),
            str::to_owned,
        )
}

#[test]
fn the_first_run_creates_a_self_signed_certificate_and_lists_empty_stores() {
    let dir = tempfile::tempdir().unwrap();
    let run = plc(dir.path(), &[]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    run.assert_in_order(
        &[
            "Trusted Issuer store type is: Directory",
            "Trusted Issuer Certificate store path is: pki/issuer",
            "Application Certificate subject name is: OpcPlc",
            "No existing Application certificate found. Create a self-signed Application certificate valid from yesterday for 12 months,",
            "with a 2048 bit key and 256 bit hash.",
            "Application certificate is for ApplicationUri 'urn:OpcPlc:opcplc-123456', ApplicationName 'OpcPlc' and Subject is 'OpcPlc'",
            "LDS(-ME) registration intervall set to 0 ms (0 means no registration)",
            "Trusted issuer store contains 0 certs",
            "Trusted issuer store has 0 CRLs.",
            "Trusted peer store contains 0 certs",
            "Trusted peer store has 0 CRLs.",
            "Rejected certificate store contains 0 certs",
        ]
        .map(str::to_owned),
    );
}

#[test]
fn the_seeds_step_two_command_line_installs_the_ca_signed_certificate_in_the_reference_order() {
    let dir = tempfile::tempdir().unwrap();
    let first = plc(dir.path(), &[]);
    assert_eq!(first.code, Some(0), "{}", first.stdout);
    let old = thumbprint_of(&first, "Application certificate with thumbprint '");

    let ca = Ca::root("Azure IoT OPC Vault CA");
    let signed = ca.leaf(
        LeafSpec::server("OpcPlc", "urn:OpcPlc:opcplc-123456", "opcplc-123456")
            .with_key(own_key(dir.path())),
    );
    let ca_b64 = STANDARD.encode(ca.der());
    let crl_b64 = STANDARD.encode(ca.crl(&[]));
    let run = plc(
        dir.path(),
        &[
            "--applicationcertbase64",
            &signed.base64_der(),
            "--addtrustedcertbase64",
            &ca_b64,
            "--addissuercertbase64",
            &ca_b64,
            "--updatecrlbase64",
            &crl_b64,
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let (ca_subject, ca_t, new) = (
        "CN=Azure IoT OPC Vault CA",
        ca.thumbprint(),
        signed.thumbprint(),
    );
    run.assert_in_order(&[
        "Starting to add certificate(s) to the trusted issuer store.".to_owned(),
        format!("Certificate '{ca_subject}' and thumbprint '{ca_t}' was added to the trusted issuer store."),
        "Starting to add certificate(s) to the trusted peer store.".to_owned(),
        format!("Certificate '{ca_subject}' and thumbprint '{ca_t}' was added to the trusted peer store."),
        "Starting to update the current CRL.".to_owned(),
        "Remove the current CRL from the trusted peer store.".to_owned(),
        format!("The new CRL issued by '{ca_subject}' was added to the trusted peer store."),
        "Remove the current CRL from the trusted issuer store.".to_owned(),
        format!("The new CRL issued by '{ca_subject}' was added to the trusted issuer store."),
        "Start updating the current application certificate.".to_owned(),
        format!("The current application certificate has SubjectName 'CN=OpcPlc' and thumbprint '{old}'."),
        "Remove the existing application certificate.".to_owned(),
        format!("The new application certificate 'CN=OpcPlc' and thumbprint '{new}' was added to the application certificate store."),
        format!("Activating the new application certificate with thumbprint '{new}'."),
        format!("Application certificate with thumbprint '{new}' found in the application certificate store."),
        "Application certificate is for ApplicationUri 'urn:OpcPlc:opcplc-123456', ApplicationName 'OpcPlc' and Subject is 'OpcPlc'".to_owned(),
        "Trusted issuer store contains 1 certs".to_owned(),
        format!("01: Subject '{ca_subject}' (thumbprint: {ca_t})"),
        "Trusted issuer store has 1 CRLs.".to_owned(),
        "Trusted peer store contains 1 certs".to_owned(),
        "Trusted peer store has 1 CRLs.".to_owned(),
        "Rejected certificate store contains 0 certs".to_owned(),
    ]);
}

#[test]
fn an_invalid_base64_certificate_logs_the_reference_lines_exits_1_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(plc(dir.path(), &[]).code, Some(0));
    let before = snapshot(&dir.path().join("pki"));

    for (args, step) in [
        (
            ["--ab=not*base64!!", ""],
            "Update/Setting of the application certificate failed.",
        ),
        (
            ["--ib", "not*base64!!"],
            "Adding trusted issuer certificate(s) failed.",
        ),
        (["--updatecrlbase64=not*base64!!", ""], "CRL update failed."),
    ] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let run = plc(dir.path(), &args);
        assert_eq!(run.code, Some(1), "{args:?}\n{}", run.stdout);
        run.assert_in_order(
            &[
                "The provided string 'not*base64...' is not a valid base64 string.",
                step,
                "OPC UA server failed unexpectedly.",
            ]
            .map(str::to_owned),
        );
        assert!(run.has("ERR", step), "{}", run.stdout);
        assert!(
            run.has("FTL", "OPC UA server failed unexpectedly."),
            "{}",
            run.stdout
        );
        assert_eq!(snapshot(&dir.path().join("pki")), before, "{args:?}");
    }
}

#[test]
fn a_certificate_for_another_subject_is_refused_with_the_reference_line() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(plc(dir.path(), &[]).code, Some(0));
    let before = snapshot(&dir.path().join("pki"));
    let other = self_signed(LeafSpec::server(
        "Other",
        "urn:OpcPlc:opcplc-123456",
        "opcplc-123456",
    ));
    let key = STANDARD.encode(other.key_pem_pkcs8());

    let run = plc(dir.path(), &["--ab", &other.base64_der(), "--pb", &key]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    run.assert_in_order(
        &[
            "The SubjectName 'CN=Other' of the new certificate doesn't match the current certificates SubjectName 'CN=OpcPlc'.",
            "Update/Setting of the application certificate failed.",
            "OPC UA server failed unexpectedly.",
        ]
        .map(str::to_owned),
    );
    assert_eq!(snapshot(&dir.path().join("pki")), before);
}

#[test]
fn csr_prints_the_block_with_an_unprefixed_base64_line_and_writes_opcplc_csr() {
    let dir = tempfile::tempdir().unwrap();
    let run = plc(dir.path(), &["--csr"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.ends_with("] CSR (base64 encoded):"))
        .unwrap();
    let csr_line = lines[start + 1];
    assert!(!csr_line.starts_with('['), "{csr_line}");
    let written = std::fs::read(dir.path().join("OpcPlc.csr")).unwrap();
    assert_eq!(STANDARD.decode(csr_line).unwrap(), written);
    let request = openssl::x509::X509Req::from_der(&written).unwrap();
    assert!(request.verify(&request.public_key().unwrap()).unwrap());
    run.assert_in_order(
        &[
            "----------------------- CreateSigningRequest information ------------------",
            "ApplicationUri: urn:OpcPlc:opcplc-123456",
            "ApplicationName: OpcPlc",
            "ApplicationType: Server",
            "ProductUri: https://github.com/azure-samples/iot-edge-opc-plc",
            "DiscoveryUrl[0]: opc.tcp://opcplc-123456:0",
            "ServerCapabilities: DA",
            "CSR (base64 encoded):",
            "---------------------------------------------------------------------------",
            "Binary CSR written to 'OpcPlc.csr'",
        ]
        .map(str::to_owned),
    );
}

#[test]
fn help_lists_every_option_with_its_default() {
    let output = Command::new(env!("CARGO_BIN_EXE_opc-plc"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for long in [
        "portnum",
        "path",
        "plchostname",
        "autoaccept",
        "unsecuretransport",
        "trustowncert",
        "appcertstoretype",
        "appcertstorepath",
        "trustedcertstorepath",
        "rejectedcertstorepath",
        "issuercertstorepath",
        "csr",
        "applicationcertbase64",
        "applicationcertfile",
        "privatekeybase64",
        "privatekeyfile",
        "certpassword",
        "addtrustedcertbase64",
        "addtrustedcertfile",
        "addissuercertbase64",
        "addissuercertfile",
        "updatecrlbase64",
        "updatecrlfile",
        "removecert",
        "mincertkeysize",
        "dontrejectunknownrevocationstatus",
        "certdnsnames",
        "logfile",
        "loglevel",
        "logflushtimespan",
        "simulationcyclecount",
        "cycletime",
    ] {
        assert!(
            help.contains(&format!("--{long}")),
            "--{long} missing:\n{help}"
        );
    }
    for (alias, default) in [
        ("pn", "[default: 50000]"),
        ("ap", "[default: pki/own]"),
        ("tp", "[default: pki/trusted]"),
        ("rp", "[default: pki/rejected]"),
        ("ip", "[default: pki/issuer]"),
        ("mks", "[default: 2048]"),
        ("sc", "[default: 50]"),
        ("ct", "[default: 100]"),
        ("ll", "[default: info]"),
    ] {
        assert!(help.contains(&format!("--{alias}")), "--{alias} missing");
        assert!(help.contains(default), "{default} missing");
    }
}
