//! The `opc-vault` binary: every command once, the exit codes (0, 1 with the error naming
//! what and why, 2 for usage), and `provision` against an in-process edge-sim through the
//! same flags an operator uses (`--hub`, `--hub-ca`, `--device`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines,
    missing_docs
)]

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use common::{Module, Sim};
use pki::{Certificate, SelfSignedSpec, create_csr, create_self_signed};
use serde_json::json;
use test_support::now;

const BIN: &str = env!("CARGO_BIN_EXE_opc-vault");

fn opc_vault(vault: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env_remove("OPC_VAULT")
        .env_remove("IOTHUB_CONNECTION_STRING")
        .env_remove("IOTEDGE_DEVICEID")
        .env_remove("OPC_VAULT_HUB_CA")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn succeeded(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

#[track_caller]
fn failed(output: &Output, code: i32) -> String {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stderr)
}

fn csr(uri: &str) -> Vec<u8> {
    let spec = SelfSignedSpec::new("CN=OpcPlc", uri, vec!["plc".into()]);
    let (cert, key) = create_self_signed(&spec, now()).unwrap();
    create_csr(&cert, &key, None, None).unwrap()
}

#[test]
fn help_lists_the_commands_and_never_prints_the_connection_string() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    let help = succeeded(&output);
    for command in ["init", "sign", "revoke", "crl", "ca", "list", "provision"] {
        assert!(help.contains(&format!("  {command}")), "{help}");
    }
    let output = Command::new(BIN)
        .args(["provision", "--help"])
        .env(
            "IOTHUB_CONNECTION_STRING",
            "HostName=h;SharedAccessKeyName=k;SharedAccessKey=c2VjcmV0",
        )
        .output()
        .unwrap();
    let help = succeeded(&output);
    assert!(
        help.contains("--crl-only") && help.contains("IOTHUB_CONNECTION_STRING"),
        "{help}"
    );
    assert!(!help.contains("c2VjcmV0"), "{help}");
}

#[test]
fn usage_errors_exit_2_and_failures_exit_1_naming_what_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    failed(&opc_vault(&vault, &["init", "--key-bits", "1024"], None), 2);
    failed(
        &opc_vault(&vault, &["revoke", "AB", "--reason", "bored"], None),
        2,
    );
    let stderr = failed(
        &opc_vault(
            &vault,
            &["provision", "--module", "opcplc", "--hub", "x"],
            None,
        ),
        2,
    );
    assert!(stderr.contains("--device"), "{stderr}");
    let stderr = failed(&opc_vault(&vault, &["list"], None), 1);
    assert!(
        stderr.contains(&format!(
            "{} is not a vault (no config.json)",
            vault.display()
        )),
        "{stderr}"
    );
    succeeded(&opc_vault(&vault, &["init"], None));
    let stderr = failed(&opc_vault(&vault, &["init"], None), 1);
    assert!(
        stderr.contains("already exists and is not empty"),
        "{stderr}"
    );
    let stderr = failed(
        &opc_vault(
            &vault,
            &["sign", "--csr", "-", "--app-uri", "urn:b"],
            Some(&csr("urn:a")),
        ),
        1,
    );
    assert!(
        stderr.contains("the certificate request was refused: the CSR asks for the ApplicationUri 'urn:a', but 'urn:b' was expected"),
        "{stderr}"
    );
    let stderr = failed(
        &opc_vault(&vault, &["sign", "--csr", "missing.csr"], None),
        1,
    );
    assert!(
        stderr.contains("cannot read the CSR missing.csr"),
        "{stderr}"
    );
    let stderr = failed(&opc_vault(&vault, &["revoke", "00AA"], None), 1);
    assert!(
        stderr.contains(
            "no certificate issued by this vault has the serial number or thumbprint 00AA"
        ),
        "{stderr}"
    );
}

#[test]
fn every_offline_command_works_from_init_to_a_revocation_in_the_crl() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    let out = succeeded(&opc_vault(
        &vault,
        &[
            "init",
            "--intermediate",
            "--subject",
            "CN=Plant CA, O=Contoso",
        ],
        None,
    ));
    assert!(
        out.contains("CN=Plant CA, O=Contoso") && out.contains("CN=OPC Vault Issuing CA"),
        "{out}"
    );
    // The lifetime is stated with its cap: never past the issuing CA's expiry.
    assert!(
        out.contains("for 1 year(s), never past ") && out.contains("(the issuing CA's expiry)"),
        "{out}"
    );

    // A module's CSR as it reports it (base64 DER) on stdin.
    let b64 = base64::engine::general_purpose::STANDARD.encode(csr("urn:OpcPlc:plc"));
    let out = succeeded(&opc_vault(
        &vault,
        &["sign", "--csr", "-", "--type", "server"],
        Some(b64.as_bytes()),
    ));
    let der = base64::engine::general_purpose::STANDARD
        .decode(out.trim())
        .unwrap();
    let cert = Certificate::from_der(&der).unwrap();
    assert_eq!(cert.application_uri(), Some("urn:OpcPlc:plc"));
    assert_eq!(cert.issuer(), "CN=OPC Vault Issuing CA");
    let eku = cert.extended_key_usage().unwrap();
    assert!(eku.server_auth && !eku.client_auth);

    // A PEM file into a folder, named like the .NET store names it.
    let pem = openssl::x509::X509Req::from_der(&csr("urn:OpcClient:c"))
        .unwrap()
        .to_pem()
        .unwrap();
    let csr_file = dir.path().join("client.csr");
    std::fs::write(&csr_file, pem).unwrap();
    let out_dir = dir.path().join("out");
    let out = succeeded(&opc_vault(
        &vault,
        &[
            "sign",
            "--csr",
            csr_file.to_str().unwrap(),
            "--out-dir",
            out_dir.to_str().unwrap(),
        ],
        None,
    ));
    let written = Path::new(out.trim());
    let client = Certificate::from_der(&std::fs::read(written).unwrap()).unwrap();
    assert_eq!(
        written.file_name().unwrap().to_string_lossy(),
        format!("OpcPlc [{}].der", client.thumbprint())
    );

    let list = succeeded(&opc_vault(&vault, &["list"], None));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert!(
        lines[0].starts_with("SERIAL") && lines[0].contains("DAYS LEFT"),
        "{list}"
    );
    let serial = crate_hex(cert.serial());
    assert!(
        lines[1].starts_with(&serial)
            && lines[1].contains("urn:OpcPlc:plc")
            && lines[1].ends_with("valid"),
        "{list}"
    );
    // Aligned: every row's URI starts in the header's column.
    let column = lines[0].find("APPLICATION URI").unwrap();
    assert_eq!(lines[1].find("urn:").unwrap(), column, "{list}");
    assert_eq!(lines[2].find("urn:").unwrap(), column, "{list}");

    let out = succeeded(&opc_vault(
        &vault,
        &["revoke", &serial, "--reason", "keyCompromise"],
        None,
    ));
    assert!(
        out.contains("Revoked") && out.contains("keyCompromise"),
        "{out}"
    );
    assert!(
        out.contains("CRL of 'CN=OPC Vault Issuing CA': number 2, 1 revoked"),
        "{out}"
    );
    let list = succeeded(&opc_vault(&vault, &["list"], None));
    assert!(
        list.lines()
            .nth(1)
            .unwrap()
            .ends_with("revoked (keyCompromise)"),
        "{list}"
    );

    let out = succeeded(&opc_vault(&vault, &["crl", "--days", "2"], None));
    assert!(
        out.contains("CRL of 'CN=Plant CA, O=Contoso': number 2, 0 revoked"),
        "{out}"
    );
    assert!(
        out.contains("CRL of 'CN=OPC Vault Issuing CA': number 3, 1 revoked"),
        "{out}"
    );

    let out = succeeded(&opc_vault(&vault, &["ca", "--format", "base64"], None));
    let cas: Vec<Certificate> = out
        .lines()
        .map(|l| Certificate::from_text(l).unwrap())
        .collect();
    assert_eq!(cas.len(), 2);
    assert!(cas[0].is_self_signed() && client.is_signed_by(&cas[1]));
    let out = succeeded(&opc_vault(&vault, &["ca", "--crls"], None));
    assert_eq!(out.matches("-----BEGIN CERTIFICATE-----").count(), 2);
    assert_eq!(out.matches("-----BEGIN X509 CRL-----").count(), 2);
}

fn crate_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut hex, b| {
        write!(hex, "{b:02X}").unwrap();
        hex
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_provisions_modules_and_exits_1_naming_a_module_that_refuses() {
    let sim = Sim::start(&["opcplc", "opcclient"]).await;
    sim.running
        .patch_desired(
            "opcclient",
            json!({"pki": {"issuers": {"mine": "bm9wZQ=="}}}),
        )
        .unwrap();
    let _plc = Module::start(&sim, "opcplc", "urn:OpcPlc:localhost");
    let _client = Module::start(&sim, "opcclient", "urn:OpcClient:localhost");
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    succeeded(&opc_vault(&vault, &["init"], None));
    let hub = sim.running.service_connection_string();
    let ca = sim.ca_file();
    let device = sim.device();
    let run = move |modules: &'static str| {
        let (vault, hub, ca, device) = (vault.clone(), hub.clone(), ca.clone(), device.clone());
        tokio::task::spawn_blocking(move || {
            opc_vault(
                &vault,
                &[
                    "provision",
                    "--module",
                    modules,
                    "--hub",
                    &hub,
                    "--hub-ca",
                    ca.to_str().unwrap(),
                    "--device",
                    &device,
                    "--timeout",
                    "30s",
                ],
                None,
            )
        })
    };

    let output = run("opcplc").await.unwrap();
    let table = succeeded(&output);
    let rows: Vec<&str> = table.lines().collect();
    assert!(
        rows[0].starts_with("MODULE")
            && rows[0].contains("THUMBPRINT")
            && rows[0].contains("ELAPSED"),
        "{table}"
    );
    assert!(
        rows[1].starts_with("opcplc  ") && rows[1].contains(" applied "),
        "{table}"
    );
    let progress = text(&output.stderr);
    assert!(
        progress.contains("opcplc: signed its CSR for urn:OpcPlc:localhost"),
        "{progress}"
    );
    assert!(
        progress.contains("opcplc: applied (desired version"),
        "{progress}"
    );

    let output = run("opcplc,opcclient").await.unwrap();
    let stderr = failed(&output, 1);
    let table = text(&output.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("opcplc ") && l.contains(" unchanged ")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("opcclient ") && l.contains(" rejected ")),
        "{table}"
    );
    assert!(
        stderr.contains("opcclient: failed: rejected the desired pki of version")
            && stderr.contains("issuers.mine: BadCertificateInvalid"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("1 of 2 target(s) failed: opcclient\n"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_the_pages_link_serves_it_until_ctrl_c_and_refuses_clear_text_off_loopback() {
    use std::io::{BufRead as _, Read as _};

    let sim = Sim::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    succeeded(&opc_vault(&vault, &["init"], None));
    let hub = sim.running.service_connection_string();
    let ca = sim.ca_file();

    let output = opc_vault(
        &vault,
        &["serve", "--hub", &hub, "--listen", "0.0.0.0:0"],
        None,
    );
    let stderr = failed(&output, 1);
    assert!(
        stderr.contains("needs --tls-cert and --tls-key"),
        "{stderr}"
    );

    let mut child = Command::new(BIN)
        .arg("--vault")
        .arg(&vault)
        .args(["serve", "--hub", &hub, "--hub-ca", ca.to_str().unwrap()])
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("IOTHUB_CONNECTION_STRING")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut printed = Vec::new();
    for line in std::io::BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let is_url = line.trim().starts_with("http://");
        printed.push(line);
        if is_url {
            break;
        }
    }
    let url = printed.last().unwrap().trim().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "serve printed no link: {printed:?}"
    );
    let key = hub.split("SharedAccessKey=").nth(1).unwrap();
    assert!(
        printed.iter().all(|l| !l.contains(key)),
        "the hub's key must not be printed: {printed:?}"
    );
    let (address, token) = url
        .strip_prefix("http://")
        .unwrap()
        .split_once("/#token=")
        .unwrap();
    assert_eq!(token.len(), 43, "{url}");
    // The page answers (one plain request; the API is tested in tests/serve.rs).
    let mut tcp = std::net::TcpStream::connect(address).unwrap();
    write!(
        tcp,
        "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("<title>OPC Vault</title>"), "{answer}");

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("Stopping."));
}
