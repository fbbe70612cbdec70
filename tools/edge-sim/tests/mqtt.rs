//! Raw MQTT against an in-process simulator: authentication, twin protocol, sessions,
//! methods and fault injection, observed with rumqttc as the client.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test helpers fail loudly.

mod common;

use std::time::Duration;

use common::{Peer, PeerOptions, RawPeer, Seen, start, unix_now};
use hub_proto::SasToken;
use hub_proto::sas::MAX_CLOCK_SKEW_SECS;
use hub_proto::topic::{DESIRED_PATCHES_FILTER, METHOD_REQUESTS_FILTER, TWIN_RESPONSES_FILTER};
use rumqttc::ConnectReturnCode;
use serde_json::{Value, json};

async fn refused_with(options: PeerOptions, sim: &edge_sim::Running) -> ConnectReturnCode {
    let mut peer = Peer::spawn(sim, options);
    match peer.next().await {
        Seen::ConnAck { code, .. } => code,
        other => panic!("expected a CONNACK, got {other:?}"),
    }
}

fn json_of(payload: &[u8]) -> Value {
    serde_json::from_slice(payload).unwrap()
}

#[tokio::test]
async fn bad_sas_signature_is_refused_with_connack_5() {
    let sim = start(&["m1"]).await;
    let mut options = PeerOptions::for_module(&sim.running, "m1");
    let other = hub_proto::SharedAccessKey::from_bytes(b"not the key".to_vec()).unwrap();
    let audience = format!(
        "{}/devices/{}/modules/m1",
        sim.running.hub_host(),
        sim.running.device_id()
    );
    options.password = SasToken::sign(&audience, &other, None, unix_now() + 600).to_string();
    assert_eq!(
        refused_with(options, &sim.running).await,
        ConnectReturnCode::NotAuthorized
    );
}

#[tokio::test]
async fn client_id_other_than_device_slash_module_is_refused_with_connack_5() {
    let sim = start(&["m1"]).await;
    let mut options = PeerOptions::for_module(&sim.running, "m1");
    options.client_id = "m1".to_owned();
    assert_eq!(
        refused_with(options, &sim.running).await,
        ConnectReturnCode::NotAuthorized
    );
}

#[tokio::test]
async fn token_expired_beyond_five_minutes_of_skew_is_refused_but_within_is_accepted() {
    let sim = start(&["m1"]).await;
    let cs =
        hub_proto::ConnectionString::parse(&sim.running.module_connection_string("m1").unwrap())
            .unwrap();
    let audience = format!(
        "{}/devices/{}/modules/m1",
        sim.running.hub_host(),
        sim.running.device_id()
    );
    let mut options = PeerOptions::for_module(&sim.running, "m1");
    let expired = unix_now() - MAX_CLOCK_SKEW_SECS - 60;
    options.password = SasToken::sign(&audience, cs.shared_access_key(), None, expired).to_string();
    assert_eq!(
        refused_with(options, &sim.running).await,
        ConnectReturnCode::NotAuthorized
    );
    let mut options = PeerOptions::for_module(&sim.running, "m1");
    let within_skew = unix_now() - 60;
    options.password =
        SasToken::sign(&audience, cs.shared_access_key(), None, within_skew).to_string();
    assert_eq!(
        refused_with(options, &sim.running).await,
        ConnectReturnCode::Success
    );
}

#[tokio::test]
async fn twin_get_before_any_subscribe_is_answered() {
    let sim = start(&["m1"]).await;
    sim.running
        .patch_desired("m1", json!({"pki": {"a": "b"}}))
        .unwrap();
    let (mut peer, _) = Peer::connect(&sim.running, "m1", false).await;
    // Like the Python SDK: GET first, subscribe later (docs/reference/iot-edge.md §0.4).
    peer.publish("$iothub/twin/GET/?$rid=914b0bd5", " ").await;
    let response = peer.next_publish().await;
    assert_eq!(response.topic, "$iothub/twin/res/200/?$rid=914b0bd5");
    assert_eq!(
        json_of(&response.payload),
        json!({"desired": {"pki": {"a": "b"}, "$version": 2}, "reported": {"$version": 1}})
    );
}

#[tokio::test]
async fn reported_patch_is_acknowledged_with_204_and_no_version() {
    let sim = start(&["m1"]).await;
    let (mut peer, _) = Peer::connect(&sim.running, "m1", false).await;
    peer.subscribe(TWIN_RESPONSES_FILTER).await;
    peer.publish(
        "$iothub/twin/PATCH/properties/reported/?$rid=7",
        r#"{"certs": {"trustedCa1": {"thumbprint": "AB12"}}, "obsolete": null}"#,
    )
    .await;
    let response = peer.next_publish().await;
    assert_eq!(response.topic, "$iothub/twin/res/204/?$rid=7");
    assert!(response.payload.is_empty());
    let twin = sim.running.twin("m1").unwrap();
    assert_eq!(twin.reported.version(), 2);
    assert_eq!(
        twin.reported.properties()["certs"],
        json!({"trustedCa1": {"thumbprint": "AB12"}})
    );
}

#[tokio::test]
async fn reported_patch_with_a_dotted_name_is_refused_with_400_and_not_stored() {
    let sim = start(&["m1"]).await;
    let (mut peer, _) = Peer::connect(&sim.running, "m1", false).await;
    peer.publish(
        "$iothub/twin/PATCH/properties/reported/?$rid=8",
        r#"{"opcplc.der": "x"}"#,
    )
    .await;
    let response = peer.next_publish().await;
    assert_eq!(response.topic, "$iothub/twin/res/400/?$rid=8");
    assert!(String::from_utf8_lossy(&response.payload).contains("opcplc.der"));
    assert_eq!(sim.running.twin("m1").unwrap().reported.version(), 1);
}

#[tokio::test]
async fn desired_patch_reaches_only_that_module_with_its_version() {
    let sim = start(&["m1", "m2"]).await;
    let (mut one, _) = Peer::connect(&sim.running, "m1", false).await;
    let (mut two, _) = Peer::connect(&sim.running, "m2", false).await;
    one.subscribe(DESIRED_PATCHES_FILTER).await;
    two.subscribe(DESIRED_PATCHES_FILTER).await;
    // A round trip on each connection makes sure both SUBSCRIBEs were processed.
    for peer in [&mut one, &mut two] {
        peer.publish("$iothub/twin/GET/?$rid=sync", "").await;
        peer.next_publish().await;
    }
    sim.running
        .patch_desired("m1", json!({"pki": {"x": 1}, "gone": null}))
        .unwrap();
    let patch = one.next_publish().await;
    assert_eq!(
        patch.topic,
        "$iothub/twin/PATCH/properties/desired/?$version=2"
    );
    assert_eq!(
        json_of(&patch.payload),
        json!({"pki": {"x": 1}, "gone": null, "$version": 2})
    );
    assert!(two.nothing_within(Duration::from_millis(300)).await);
}

#[tokio::test]
async fn desired_patch_is_not_sent_without_a_subscription() {
    let sim = start(&["m1"]).await;
    let (mut peer, _) = Peer::connect(&sim.running, "m1", true).await;
    sim.running.patch_desired("m1", json!({"a": 1})).unwrap();
    assert!(peer.nothing_within(Duration::from_millis(300)).await);
}

#[tokio::test]
async fn persistent_session_keeps_subscriptions_across_a_reconnect() {
    let sim = start(&["m1"]).await;
    let (mut first, present) = Peer::connect(&sim.running, "m1", false).await;
    assert!(!present);
    first.subscribe(DESIRED_PATCHES_FILTER).await;
    first.publish("$iothub/twin/GET/?$rid=1", "").await;
    first.next_publish().await;
    let faults = sim.running.faults();
    let m1 = "m1".parse().unwrap();
    assert!(faults.is_connected(&m1));
    assert_eq!(faults.connects(&m1), 1);
    assert!(faults.drop_connection(&m1));
    assert!(matches!(first.next().await, Seen::Closed(_)));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while faults.is_connected(&m1) {
        assert!(tokio::time::Instant::now() < deadline, "still connected");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!faults.drop_connection(&m1), "nothing left to drop");
    // Like the Python SDK: reconnect with clean_session=0 and do not SUBSCRIBE again.
    let (mut second, present) = Peer::connect(&sim.running, "m1", false).await;
    assert!(present);
    assert!(faults.is_connected(&m1));
    assert_eq!(faults.connects(&m1), 2, "a reconnect counts");
    sim.running
        .patch_desired("m1", json!({"after": true}))
        .unwrap();
    // The twin response may come first again (DUP) if its PUBACK had not arrived before the
    // drop: the resumed session resends what was not acknowledged.
    let mut patch = second.next_publish().await;
    while patch.dup {
        assert_eq!(patch.topic, "$iothub/twin/res/200/?$rid=1");
        patch = second.next_publish().await;
    }
    assert_eq!(
        patch.topic,
        "$iothub/twin/PATCH/properties/desired/?$version=2"
    );
}

#[tokio::test]
async fn persistent_session_survives_a_restart_of_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let running = common::start_in(dir.path(), &["m1", "m2"]).await;
    let (mut first, present) = Peer::connect(&running, "m1", false).await;
    assert!(!present);
    first.subscribe(DESIRED_PATCHES_FILTER).await;
    first.subscribe(METHOD_REQUESTS_FILTER).await;
    first.publish("$iothub/twin/GET/?$rid=sync", "").await;
    first.next_publish().await;
    // m2 had a clean session: nothing of it is kept.
    let (clean, _) = Peer::connect(&running, "m2", true).await;
    clean.subscribe(METHOD_REQUESTS_FILTER).await;
    drop((first, clean));
    running.shutdown().await;
    let saved: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sessions.json")).unwrap()).unwrap();
    let sessions = saved["sessions"].as_object().unwrap();
    assert_eq!(
        sessions.len(),
        1,
        "only the persistent session is saved: {saved}"
    );

    let running = common::start_in(dir.path(), &[]).await;
    // Like the Python SDK: same client id, clean_session=0, no SUBSCRIBE.
    let (mut second, present) = Peer::connect(&running, "m1", false).await;
    assert!(present, "the session is present after the restart");
    running
        .patch_desired("m1", json!({"after": "restart"}))
        .unwrap();
    let patch = second.next_publish().await;
    assert_eq!(
        patch.topic,
        "$iothub/twin/PATCH/properties/desired/?$version=2"
    );
    assert_eq!(json_of(&patch.payload)["after"], "restart");
    let call = {
        let running = &running;
        async move {
            running
                .invoke_method("m1", "reboot", json!({"n": 1}), Duration::from_secs(10))
                .await
        }
    };
    let answer = async {
        let request = second.next_publish().await;
        assert!(
            request
                .topic
                .starts_with("$iothub/methods/POST/reboot/?$rid="),
            "{}",
            request.topic
        );
        let rid = request.topic.rsplit('=').next().unwrap().to_owned();
        second
            .publish(
                &format!("$iothub/methods/res/200/?$rid={rid}"),
                "{\"ok\":1}",
            )
            .await;
    };
    let (response, ()) = tokio::join!(call, answer);
    let response = response.unwrap();
    assert_eq!((response.status, response.payload), (200, json!({"ok": 1})));
    let (_, present) = Peer::connect(&running, "m2", false).await;
    assert!(!present, "a clean session does not survive the restart");
}

#[tokio::test]
async fn unacknowledged_desired_patch_is_sent_again_with_dup_on_resume_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let running = common::start_in(dir.path(), &["m1"]).await;
    let (mut peer, _) = RawPeer::connect(&running, "m1", false).await;
    peer.subscribe(DESIRED_PATCHES_FILTER).await;
    running.patch_desired("m1", json!({"a": 1})).unwrap();
    let original = peer.next_publish().await;
    assert!(!original.dup);
    // No PUBACK: the connection drops with the message in flight.
    drop(peer);

    let (mut peer, present) = RawPeer::connect(&running, "m1", false).await;
    assert!(present);
    let again = peer.next_publish().await;
    assert!(again.dup, "MQTT 3.1.1 §4.4: sent again with DUP");
    assert_eq!(
        (again.pkid, &again.topic, &again.payload),
        (original.pkid, &original.topic, &original.payload)
    );
    drop(peer);

    // Still unacknowledged across a restart of the simulator (it is persisted).
    running.shutdown().await;
    let running = common::start_in(dir.path(), &[]).await;
    let (mut peer, present) = RawPeer::connect(&running, "m1", false).await;
    assert!(present);
    let after_restart = peer.next_publish().await;
    assert!(after_restart.dup);
    assert_eq!(after_restart.pkid, original.pkid);
    assert_eq!(
        json_of(&after_restart.payload),
        json!({"a": 1, "$version": 2})
    );
    peer.puback(after_restart.pkid).await;
    // A new message after the resend gets a fresh packet id.
    running.patch_desired("m1", json!({"b": 2})).unwrap();
    let fresh = peer.next_publish().await;
    assert_ne!(fresh.pkid, original.pkid);
    peer.puback(fresh.pkid).await;
    // Acknowledged: the next resume sends nothing again.
    drop(peer);
    let (mut peer, present) = RawPeer::connect(&running, "m1", false).await;
    assert!(present);
    assert!(peer.nothing_within(Duration::from_millis(300)).await);
}

#[tokio::test]
async fn a_corrupt_sessions_file_stops_the_start_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sessions.json"), "{oops").unwrap();
    let config = edge_sim::Config::new(dir.path()).ephemeral();
    let err = edge_sim::EdgeSim::start(config, tokio_util::sync::CancellationToken::new())
        .await
        .unwrap_err();
    let chain = format!("{:#}", anyhow::Error::new(err));
    assert!(chain.contains("sessions.json is corrupt"), "{chain}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sessions.json")).unwrap(),
        "{oops",
        "the file is left for the operator"
    );
}

#[tokio::test]
async fn clean_session_starts_without_subscriptions() {
    let sim = start(&["m1"]).await;
    let (first, _) = Peer::connect(&sim.running, "m1", false).await;
    first.subscribe(DESIRED_PATCHES_FILTER).await;
    drop(first);
    let (mut second, present) = Peer::connect(&sim.running, "m1", true).await;
    assert!(!present);
    sim.running.patch_desired("m1", json!({"a": 1})).unwrap();
    assert!(second.nothing_within(Duration::from_millis(300)).await);
}

#[tokio::test]
async fn a_new_connection_of_the_same_module_drops_the_old_one() {
    let sim = start(&["m1"]).await;
    let (mut first, _) = Peer::connect(&sim.running, "m1", true).await;
    let (_second, _) = Peer::connect(&sim.running, "m1", true).await;
    assert!(matches!(first.next().await, Seen::Closed(_)));
    assert!(sim.running.is_connected("m1"));
}

#[tokio::test]
async fn method_response_reaches_the_caller_with_status_and_payload() {
    let sim = start(&["m1"]).await;
    let (mut peer, _) = Peer::connect(&sim.running, "m1", false).await;
    peer.subscribe(METHOD_REQUESTS_FILTER).await;
    peer.publish("$iothub/twin/GET/?$rid=sync", "").await;
    peer.next_publish().await;
    let call =
        sim.running
            .invoke_method("m1", "reset", json!({"hard": true}), Duration::from_secs(5));
    let answer = async {
        let request = peer.next_publish().await;
        assert!(
            request
                .topic
                .starts_with("$iothub/methods/POST/reset/?$rid=")
        );
        assert_eq!(json_of(&request.payload), json!({"hard": true}));
        let rid = request.topic.rsplit('=').next().unwrap().to_owned();
        peer.publish(
            &format!("$iothub/methods/res/200/?$rid={rid}"),
            r#"{"ok": true}"#,
        )
        .await;
    };
    let (response, ()) = tokio::join!(call, answer);
    let response = response.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.payload, json!({"ok": true}));
}

#[tokio::test]
async fn unanswered_method_times_out() {
    let sim = start(&["m1"]).await;
    let (peer, _) = Peer::connect(&sim.running, "m1", false).await;
    peer.subscribe(METHOD_REQUESTS_FILTER).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let result = sim
        .running
        .invoke_method("m1", "reset", Value::Null, Duration::from_millis(300))
        .await;
    assert!(matches!(result, Err(edge_sim::InvokeError::Timeout(_))));
}

#[tokio::test]
async fn method_to_a_module_without_connection_is_not_connected() {
    let sim = start(&["m1"]).await;
    let result = sim
        .running
        .invoke_method("m1", "reset", Value::Null, Duration::from_secs(1))
        .await;
    assert!(matches!(
        result,
        Err(edge_sim::InvokeError::NotConnected(_))
    ));
}

#[tokio::test]
async fn refused_connects_get_connack_3_until_the_window_ends() {
    let sim = start(&["m1"]).await;
    sim.running
        .faults()
        .refuse_connects_for(Duration::from_millis(500));
    let options = PeerOptions::for_module(&sim.running, "m1");
    assert_eq!(
        refused_with(options, &sim.running).await,
        ConnectReturnCode::ServiceUnavailable
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    Peer::connect(&sim.running, "m1", false).await;
}

#[tokio::test]
async fn injected_twin_failures_answer_429_then_500_then_succeed() {
    let sim = start(&["m1"]).await;
    let (mut peer, _) = Peer::connect(&sim.running, "m1", false).await;
    let faults = sim.running.faults();
    faults.fail_next_twin_operations(1, 429);
    peer.publish("$iothub/twin/GET/?$rid=1", "").await;
    assert_eq!(
        peer.next_publish().await.topic,
        "$iothub/twin/res/429/?$rid=1"
    );
    faults.fail_next_twin_operations(1, 500);
    peer.publish("$iothub/twin/PATCH/properties/reported/?$rid=2", "{}")
        .await;
    assert_eq!(
        peer.next_publish().await.topic,
        "$iothub/twin/res/500/?$rid=2"
    );
    peer.publish("$iothub/twin/GET/?$rid=3", "").await;
    assert_eq!(
        peer.next_publish().await.topic,
        "$iothub/twin/res/200/?$rid=3"
    );
}

#[tokio::test]
async fn delayed_twin_operations_are_answered_after_the_delay() {
    let sim = start(&["m1"]).await;
    let (mut peer, _) = Peer::connect(&sim.running, "m1", false).await;
    sim.running
        .faults()
        .delay_twin_operations(Duration::from_millis(400));
    let started = std::time::Instant::now();
    peer.publish("$iothub/twin/GET/?$rid=1", "").await;
    assert_eq!(
        peer.next_publish().await.topic,
        "$iothub/twin/res/200/?$rid=1"
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn state_survives_a_restart_of_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let running = common::start_in(dir.path(), &["m1"]).await;
    let cs = running.module_connection_string("m1").unwrap();
    let ca = running.ca_pem().to_owned();
    running.patch_desired("m1", json!({"kept": 1})).unwrap();
    running.shutdown().await;
    let running = common::start_in(dir.path(), &[]).await;
    assert_eq!(running.module_connection_string("m1").unwrap(), cs);
    assert_eq!(running.ca_pem(), ca);
    assert_eq!(
        running.twin("m1").unwrap().desired.properties()["kept"],
        json!(1)
    );
    let (mut peer, _) = Peer::connect(&running, "m1", false).await;
    peer.publish("$iothub/twin/GET/?$rid=1", "").await;
    assert_eq!(
        peer.next_publish().await.topic,
        "$iothub/twin/res/200/?$rid=1"
    );
}

#[tokio::test]
async fn silent_client_is_dropped_after_one_and_a_half_keep_alive_periods() {
    use rumqttc::mqttbytes::v4::{Connect, Packet};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let sim = start(&["m1"]).await;
    let options = PeerOptions::for_module(&sim.running, "m1");
    let mut tls = common::tls_connect(&sim.running, sim.running.mqtt_port()).await;
    let mut connect = Connect::new(options.client_id);
    connect.keep_alive = 1;
    connect.set_login(options.username, options.password);
    let mut bytes = bytes::BytesMut::new();
    Packet::Connect(connect).write(&mut bytes, 1 << 20).unwrap();
    tls.write_all(&bytes).await.unwrap();
    let mut connack = [0_u8; 4];
    tls.read_exact(&mut connack).await.unwrap();
    assert_eq!(connack, [0x20, 2, 0, 0]);
    let started = std::time::Instant::now();
    // Send nothing: the server must close after 1.5 s (MQTT 3.1.1 §3.1.2.10).
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "connection still open after 5 s");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1400),
        "closed too early: {elapsed:?}"
    );
    assert!(!sim.running.is_connected("m1"));
}

#[tokio::test]
async fn packet_larger_than_256_kb_closes_the_connection() {
    use rumqttc::mqttbytes::v4::{Connect, Packet, Publish};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let sim = start(&["m1"]).await;
    let options = PeerOptions::for_module(&sim.running, "m1");
    let mut tls = common::tls_connect(&sim.running, sim.running.mqtt_port()).await;
    let mut connect = Connect::new(options.client_id);
    connect.set_login(options.username, options.password);
    let mut bytes = bytes::BytesMut::new();
    Packet::Connect(connect).write(&mut bytes, 1 << 20).unwrap();
    tls.write_all(&bytes).await.unwrap();
    let mut connack = [0_u8; 4];
    tls.read_exact(&mut connack).await.unwrap();
    assert_eq!(connack, [0x20, 2, 0, 0]);
    let mut bytes = bytes::BytesMut::new();
    let mut publish = Publish::new(
        "$iothub/twin/PATCH/properties/reported/?$rid=1",
        rumqttc::QoS::AtLeastOnce,
        vec![b' '; 300 * 1024],
    );
    publish.pkid = 1;
    Packet::Publish(publish).write(&mut bytes, 1 << 20).unwrap();
    // The server may close (even reset) while the oversized packet is still being written.
    let _ = tls.write_all(&bytes).await;
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "connection still open after an oversized packet"
    );
    assert!(
        rest.is_empty(),
        "the oversized publish was answered: {rest:?}"
    );
    assert!(!sim.running.is_connected("m1"));
}
