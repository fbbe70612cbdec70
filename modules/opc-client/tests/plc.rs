//! The `opc-client` binary against the `opc-plc` module (in-process, loopback, a port the OS
//! picked): the seed walk-through's (docs/reference/seed-walkthrough.md) failure with self-signed
//! certificates, success with CA-signed ones (the success block and a `DateTime` for `i=2258`),
//! failure again once the PLC's certificate is revoked, and reconnection after the PLC restarts.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;

use base64::Engine as _;
use common::{ClientProcess, Plc, ca_signed_plc, failure_reason, free_port, write, write_identity};
use test_support::Ca;
use time::OffsetDateTime;

/// Client arguments for a CA-signed client trusting `ca` with `crl`.
fn ca_signed_client_args(dir: &Path, ca: &Ca, crl: &[u8], url: &str) -> Vec<String> {
    let leaf = common::client_leaf(ca);
    let (cert, key) = write_identity(dir, "client", &leaf);
    let ca_file = write(dir, "ca.pem", &ca.cert().to_pem().unwrap());
    let crl_b64 = base64::engine::general_purpose::STANDARD.encode(crl);
    [
        "--de",
        url,
        "--af",
        &cert,
        "--pk",
        &key,
        "--tf",
        ca_file.to_str().unwrap(),
        "--if",
        ca_file.to_str().unwrap(),
        "--rb",
        &crl_b64,
        "--sw",
        "1",
        "--ct",
        "2",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn self_signed_certificates_fail_with_the_failure_pair_and_the_timeout_backs_off() {
    let plc_dir = tempfile::tempdir().unwrap();
    let plc = Plc::start(plc_dir.path(), free_port(), &[]);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/", plc.url());
    let mut client =
        ClientProcess::start(dir.path(), &["--de", &plc.url(), "--sw", "1", "--ct", "1"]);

    client.wait_for("the second failure", |l| {
        failure_reason(l, &url, 2).is_some()
    });
    let lines = client.lines();
    assert!(
        lines.contains(&format!(
            "Create secured session for endpoint URI '{url}' with timeout of 1000 ms."
        )),
        "{lines:#?}"
    );
    assert!(lines.contains(&format!(
        "Create secured session for endpoint URI '{url}' with timeout of 2000 ms."
    )));
    let reason = failure_reason(&lines, &url, 1).unwrap();
    // Our client refuses the PLC's self-signed certificate before the PLC sees ours.
    assert!(
        reason.starts_with("ServiceResultException: BadCertificateUntrusted:"),
        "{reason}"
    );
    let raw = client.raw_lines();
    assert!(
        raw.iter()
            .any(|l| l.starts_with("ServiceResultException: ")),
        "the reason line has no log prefix: {raw:#?}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("Session successfully created"))
    );
    assert_eq!(client.stop(), Some(0));
    plc.stop();
}

#[test]
fn ca_signed_certificates_give_the_success_block_and_a_date_time_then_revocation_fails_again() {
    let ca = Ca::root("Test OPC Vault CA");
    let plc_dir = tempfile::tempdir().unwrap();
    let (plc, plc_leaf) = ca_signed_plc(plc_dir.path(), &ca, &ca, free_port());
    let url = format!("{}/", plc.url());
    let dir = tempfile::tempdir().unwrap();
    let mut args = ca_signed_client_args(dir.path(), &ca, &ca.crl(&[]), &plc.url());
    args.extend(["--di".to_owned(), "1".to_owned()]);
    let mut client = ClientProcess::start(dir.path(), &refs(&args));

    let desc =
        format!("ActionId: 000 ActionType: 'OpcTestAction', Endpoint: '{url}' Node 'i=2258'");
    client.wait_line(&format!("Action ({desc}) completed successfully"));
    client.wait_line("connected OPC sessions: 1");
    let lines = client.lines();
    for expected in [
        "Creating test action to test connectivity".to_owned(),
        "There is(are) 1 action(s) configured.".to_owned(),
        format!("Actions on '{url}' with security."),
        format!("{desc}, recurring each: 30 sec"),
        format!("Connect and monitor session and nodes on endpoint '{url}' with security."),
        "Namespace index 0: http://opcfoundation.org/UA/".to_owned(),
        format!(
            "Execute 'OpcClient.OpcTestAction' action on node 'i=2258' on endpoint '{url}' with security."
        ),
        "OPC sessions: 1".to_owned(),
        "# of recurring actions: 1".to_owned(),
    ] {
        assert!(
            lines.contains(&expected),
            "missing '{expected}' in {lines:#?}"
        );
    }
    // open62541 servers (our PLC) give sessions a Guid id in namespace 1.
    let id = lines
        .iter()
        .find_map(|l| l.strip_prefix("Session successfully created with Id "))
        .and_then(|l| l.strip_suffix('.'))
        .unwrap_or_else(|| panic!("no session id in {lines:#?}"));
    let guid = id.strip_prefix("ns=1;g=").unwrap_or_else(|| panic!("{id}"));
    assert_eq!(guid.len(), 36, "{id}");
    let count_line = lines
        .iter()
        .find(|l| l.starts_with(&format!("The session to endpoint '{url}' has ")))
        .unwrap();
    let count: usize = count_line
        .split_whitespace()
        .nth(6)
        .unwrap()
        .parse()
        .unwrap();
    assert!(count >= 2, "{count_line}");
    assert!(lines.iter().any(|l| l.starts_with(&format!(
        "The server on endpoint '{url}' supports a minimal sampling interval of "
    ))));
    // The value is the PLC's current time in .NET's invariant format.
    let value_prefix = format!("Value ({desc}): ");
    let value = lines
        .iter()
        .find_map(|l| l.strip_prefix(&value_prefix))
        .unwrap();
    let format = time::macros::format_description!("[month]/[day]/[year] [hour]:[minute]:[second]");
    let read = time::PrimitiveDateTime::parse(value, format)
        .unwrap()
        .assume_utc();
    let drift = (OffsetDateTime::now_utc() - read).abs();
    assert!(drift < time::Duration::minutes(5), "{value}");
    assert_eq!(client.stop(), Some(0));
    assert!(client.lines().contains(&format!(
        "Session to endpoint URI '{url}' closed successfully."
    )));

    // The CA revokes the PLC's certificate; the client gets the new CRL.
    let revoked = ca.crl(&[&plc_leaf.cert]);
    let crl_b64 = base64::engine::general_purpose::STANDARD.encode(&revoked);
    let mut again = ClientProcess::start(
        dir.path(),
        &["--de", &plc.url(), "--rb", &crl_b64, "--sw", "1"],
    );
    again.wait_for("the failure pair", |l| failure_reason(l, &url, 1).is_some());
    let reason = failure_reason(&again.lines(), &url, 1).unwrap();
    assert!(
        reason.starts_with("ServiceResultException: BadCertificateRevoked:"),
        "{reason}"
    );
    assert_eq!(again.stop(), Some(0));
    plc.stop();
}

#[test]
fn the_client_reconnects_after_the_plc_restarts() {
    let ca = Ca::root("Test CA");
    let plc_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (plc, _) = ca_signed_plc(plc_dir.path(), &ca, &ca, port);
    let url = format!("{}/", plc.url());
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "actionconfig.json",
        br#"[{"EndpointUrl": "URL", "Test": [{"Id": "i=2258", "Interval": 1}]}]"#
            .replace_ascii("URL", &plc.url())
            .as_bytes(),
    );
    let mut args = ca_signed_client_args(dir.path(), &ca, &ca.crl(&[]), &plc.url());
    args.extend(
        ["--tc=false", "--ki", "4", "--kt", "2"]
            .iter()
            .map(|s| (*s).to_owned()),
    );
    let mut client = ClientProcess::start(dir.path(), &refs(&args));
    let ids = |l: &[String]| -> Vec<String> {
        l.iter()
            .filter_map(|l| l.strip_prefix("Session successfully created with Id "))
            .map(str::to_owned)
            .collect()
    };
    let created = |l: &[String]| ids(l).len();
    client.wait_for("the first session", |l| created(l) == 1);

    // The PLC is back before the threshold: the session it lost is not silently replaced by
    // the stack (that would keep logging the old id); the threshold closes it and the loop
    // creates and logs the new one.
    plc.stop();
    client.wait_line("Missed KeepAlives: 1");
    let (plc, _) = ca_signed_plc(plc_dir.path(), &ca, &ca, port);
    client.wait_line(&format!(
        "Hit configured missed keep alive threshold of 2. Disconnecting the session to endpoint {url}."
    ));
    client.wait_for("the second session", |l| created(l) == 2);
    let desc =
        format!("ActionId: 000 ActionType: 'OpcTestAction', Endpoint: '{url}' Node 'i=2258'");
    let done = format!("Action ({desc}) completed successfully");
    client.wait_for("an action on the new session", |l| {
        let second = l
            .iter()
            .rposition(|x| x.starts_with("Session successfully created with Id "))
            .unwrap_or(usize::MAX);
        l.iter().skip(second).any(|x| *x == done)
    });
    // The restarted PLC gave the new session a new id.
    let both = ids(&client.lines());
    assert_ne!(both[0], both[1], "{both:?}");
    assert_eq!(client.stop(), Some(0));
    plc.stop();
}

trait ReplaceAscii {
    fn replace_ascii(&self, from: &str, to: &str) -> String;
}

impl ReplaceAscii for [u8] {
    fn replace_ascii(&self, from: &str, to: &str) -> String {
        String::from_utf8_lossy(self).replace(from, to)
    }
}

#[test]
fn the_unsecured_test_action_uses_the_none_endpoint_of_a_plc_offering_it() {
    let plc_dir = tempfile::tempdir().unwrap();
    let plc = Plc::start(plc_dir.path(), free_port(), &["--ut".to_owned()]);
    let url = format!("{}/", plc.url());
    let dir = tempfile::tempdir().unwrap();
    let mut client = ClientProcess::start(
        dir.path(),
        &["--de", &plc.url(), "--tc=false", "--tu", "--sw", "1"],
    );
    let desc =
        format!("ActionId: 000 ActionType: 'OpcTestAction', Endpoint: '{url}' Node 'i=2258'");
    client.wait_line(&format!("Action ({desc}) completed successfully"));
    let lines = client.lines();
    for expected in [
        "Creating test action to test unsecured connectivity".to_owned(),
        format!("Actions on '{url}' without security."),
        format!("Create unsecured session for endpoint URI '{url}' with timeout of 10000 ms."),
        format!(
            "Execute 'OpcClient.OpcTestAction' action on node 'i=2258' on endpoint '{url}' without security."
        ),
    ] {
        assert!(
            lines.contains(&expected),
            "missing '{expected}' in {lines:#?}"
        );
    }
    assert_eq!(client.stop(), Some(0));
    plc.stop();
}

#[test]
fn a_host_alias_is_dialled_at_its_address_and_the_certificate_checked_against_the_name() {
    // As on edge-sim: the PLC is `plc-alias` (its certificate's DNS name), which this machine
    // cannot resolve; `--host-alias` (EDGE_SIM_HOSTS) dials it at 127.0.0.1.
    let ca = Ca::root("Alias CA");
    let plc_dir = tempfile::tempdir().unwrap();
    let leaf = ca.leaf(test_support::LeafSpec::server(
        "OpcPlc",
        "urn:OpcPlc:plc-alias",
        "plc-alias",
    ));
    let (cert, key) = write_identity(plc_dir.path(), "plc", &leaf);
    let ca_file = write(plc_dir.path(), "ca.pem", &ca.cert().to_pem().unwrap());
    let crl = write(plc_dir.path(), "ca.crl", &ca.crl(&[]));
    let plc_args: Vec<String> = [
        "--af",
        &cert,
        "--pk",
        &key,
        "--tf",
        ca_file.to_str().unwrap(),
        "--if",
        ca_file.to_str().unwrap(),
        "--uc",
        crl.to_str().unwrap(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let port = free_port();
    let _plc = Plc::start(plc_dir.path(), port, &plc_args);
    let url = format!("opc.tcp://plc-alias:{port}");
    let dir = tempfile::tempdir().unwrap();
    let mut args = ca_signed_client_args(dir.path(), &ca, &ca.crl(&[]), &url);
    args.extend(["--host-alias".to_owned(), "plc-alias=127.0.0.1".to_owned()]);
    let client = ClientProcess::start(dir.path(), &refs(&args));
    client.wait_for("the session", |lines| {
        lines
            .iter()
            .any(|l| l.starts_with("Session successfully created with Id"))
    });
    client.wait_for("the value of i=2258", |lines| {
        lines.iter().any(|l| l.starts_with("Value (ActionId: 000"))
    });
    let lines = client.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("Create secured session for endpoint URI '{url}/'"))),
        "the log names the endpoint as configured: {lines:#?}"
    );

    // The certificate is checked against the name: a server certificate for another name is
    // refused even though the address answers.
    let dir = tempfile::tempdir().unwrap();
    let mut args = ca_signed_client_args(
        dir.path(),
        &ca,
        &ca.crl(&[]),
        &format!("opc.tcp://other-name:{port}"),
    );
    args.extend(["--host-alias".to_owned(), "other-name=127.0.0.1".to_owned()]);
    let refused = ClientProcess::start(dir.path(), &refs(&args));
    refused.wait_for("the host name refusal", |lines| {
        lines
            .iter()
            .any(|l| l.contains("BadCertificateHostNameInvalid"))
    });
}
