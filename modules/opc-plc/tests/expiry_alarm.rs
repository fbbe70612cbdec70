//! `CertificateExpirationAlarm` (OPC 10000-12 §7.8.5) of the `opc-plc` binary seen by asyncua: a
//! PLC that starts with an application certificate ending within two weeks raises an event of
//! type `i=13225` with `ExpirationDate`, `ExpirationLimit`, `CertificateType` and `Certificate` to
//! every client that subscribes (each new subscriber gets it, as `ConditionRefresh` would give a
//! real condition); a PLC with a year left raises none. (`tests/push.rs` covers a certificate
//! pushed while running.)

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;
#[path = "common/push.rs"]
mod push_common;

use push_common::{ClientFiles, PUSH_USERS, Peer, Plc, run};
use serde_json::{Value, json};
use test_support::{Issued, LeafSpec, TestStore, self_signed};
use time::OffsetDateTime;

const CLIENT_URI: &str = "urn:asyncua:alarm:client";

/// A PLC store whose own certificate ends in `days_left` days, trusting `client`.
fn plc_store(days_left: i64, client: &ClientFiles) -> (TestStore, Issued) {
    let now = OffsetDateTime::now_utc();
    let own = self_signed(
        LeafSpec::server("OpcPlc", "urn:OpcPlc:localhost", "localhost").valid(
            now - time::Duration::days(300),
            now + time::Duration::days(days_left),
        ),
    );
    let store = TestStore::new()
        .with_own(&own)
        .with_trusted(&client.issued.cert);
    (store, own)
}

/// The `i=13225` events an anonymous asyncua session receives in `seconds` after subscribing on
/// `Server` (events are not push management: no administrator needed).
fn alarms(plc: &Plc, client: &ClientFiles, seconds: f64) -> Vec<Value> {
    let attempt = client.attempt(
        "SignAndEncrypt",
        None,
        &[json!({ "events": { "seconds": seconds, "type": "i=13225" } })],
    );
    let output = run(plc, Peer::Asyncua, &[attempt]);
    let action = &output.attempts[0]["actions"][0];
    assert_eq!(action["status"], "Good", "{action:#}");
    action["events"].as_array().unwrap().clone()
}

#[test]
fn a_certificate_within_two_weeks_of_its_end_raises_the_alarm_for_each_new_subscriber() {
    let client = ClientFiles::self_signed("AlarmClient", CLIENT_URI);
    let (store, own) = plc_store(5, &client);
    let plc = Plc::start(store.path(), &PUSH_USERS);
    let expires = pki::Certificate::from_der(&own.der()).unwrap().not_after();
    let date = format!(
        "{:04}-{:02}-{:02}",
        expires.year(),
        u8::from(expires.month()),
        expires.day()
    );
    for subscriber in 0..2 {
        let events = alarms(&plc, &client, 2.5);
        assert!(
            !events.is_empty(),
            "subscriber {subscriber} got no CertificateExpirationAlarm; PLC log:\n{}",
            plc.text()
        );
        let event = &events[0];
        assert_eq!(event["EventType"], "i=13225", "{event:#}");
        assert_eq!(
            event["CertificateThumbprint"],
            own.thumbprint(),
            "{event:#}"
        );
        assert_eq!(
            event["ExpirationLimit"],
            json!(1_209_600_000.0),
            "{event:#}"
        );
        assert_eq!(event["CertificateType"], "i=12560", "{event:#}");
        assert!(
            event["ExpirationDate"].to_string().contains(&date),
            "ExpirationDate is the certificate's end ({date}): {event:#}"
        );
        assert!(
            event["Message"]
                .as_str()
                .is_some_and(|m| m.contains("days left")),
            "{event:#}"
        );
    }
    plc.assert_logged(&["expires on", "days left"]);
}

#[test]
fn a_certificate_with_a_year_left_raises_no_alarm() {
    let client = ClientFiles::self_signed("AlarmClient", CLIENT_URI);
    let (store, _own) = plc_store(365, &client);
    let plc = Plc::start(store.path(), &PUSH_USERS);
    let events = alarms(&plc, &client, 2.0);
    assert!(events.is_empty(), "{events:#?}\n{}", plc.text());
}
