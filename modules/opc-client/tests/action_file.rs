//! A broken action file stops the client at start-up with an error naming the file, the line
//! and the field; a missing one is fine (the reference's "Continue...").

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{ClientProcess, write};

#[test]
fn a_broken_action_file_is_an_error_naming_the_line_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "actionconfig.json",
        b"[\n  {\n    \"Read\": [ { \"Id\": \"i=2258\", \"Interval\": \"often\" } ]\n  }\n]\n",
    );
    let mut client = ClientProcess::start(dir.path(), &["--de", "opc.tcp://127.0.0.1:1"]);
    assert_eq!(client.wait_exit(), Some(2));
    let lines = client.lines();
    let expected = format!(
        "The action configuration file '{}' is invalid: line 3 column 51, field [0].Read[0].Interval: invalid type: string \"often\", expected u32",
        file.display()
    );
    assert!(lines.contains(&expected), "{lines:#?}");
    assert!(lines.contains(&"OPC client failed unexpectedly.".to_owned()));
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("Create secured session"))
    );
}

#[test]
fn an_unknown_node_id_form_is_refused_before_anything_connects() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "actions.json",
        br#"[{"EndpointUrl": "opc.tcp://127.0.0.1:1", "Test": [{"Id": "Server_ServerStatus_CurrentTime"}]}]"#,
    );
    let mut client = ClientProcess::start(dir.path(), &["--cf", "actions.json"]);
    assert_eq!(client.wait_exit(), Some(2));
    let lines = client.lines();
    assert!(
        lines.iter().any(|l| l
            .contains("field [0].Test[0].Id: 'Server_ServerStatus_CurrentTime' is not a NodeId")),
        "{lines:#?}"
    );
}

#[test]
fn a_missing_action_file_is_fine_and_only_the_test_action_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = ClientProcess::start(
        dir.path(),
        &["--de", "opc.tcp://127.0.0.1:1", "--sw", "1", "--ct", "1"],
    );
    client.wait_line("OpcClient is running. Press CTRL-C to quit.");
    let lines = client.lines();
    let file = dir.path().join("actionconfig.json");
    assert!(lines.contains(&format!(
        "The action configuration file '{}' does not exist. Continue...",
        file.display()
    )));
    assert!(lines.contains(&"There is(are) 1 action(s) configured.".to_owned()));
    // Nothing listens on port 1: the failure pair, and no action runs on a session that is down.
    client.wait_for("the failure pair", |l| {
        common::failure_reason(l, "opc.tcp://127.0.0.1:1/", 1).is_some()
    });
    assert!(!client.lines().iter().any(|l| l.starts_with("Execute ")));
    assert_eq!(client.stop(), Some(0));
}
