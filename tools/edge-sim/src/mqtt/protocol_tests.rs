//! The connection rules without sockets: packets in, actions out, time as an argument.

use std::time::{Duration, Instant};

use hub_proto::topic::{DESIRED_PATCHES_FILTER, METHOD_REQUESTS_FILTER};
use rumqttc::mqttbytes::v4::{Connect, PubAck, Publish, Subscribe, SubscribeFilter, Unsubscribe};
use serde_json::json;

use super::*;

const CLIENT: &str = "dev/mod";

fn connected(sessions: &mut Sessions, clean: bool, keep_alive: u16, now: Instant) -> Connection {
    Connection::connect(sessions, CLIENT, 1, clean, keep_alive, now).0
}

fn publish(topic: &str, qos: QoS, pkid: u16, payload: &[u8]) -> Packet {
    let mut p = Publish::new(topic, qos, payload.to_vec());
    p.pkid = pkid;
    Packet::Publish(p)
}

fn sent(actions: &[Action]) -> Vec<&Packet> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn connack_reports_a_resumed_session_and_resends_its_unacknowledged_messages_with_dup() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let first = connected(&mut sessions, false, 0, now);
    let _ = first.publish(&mut sessions, "a".to_owned(), b"1".to_vec(), true);
    first.close(&mut sessions);

    let (_, packets) = Connection::connect(&mut sessions, CLIENT, 2, false, 0, now);
    let Packet::ConnAck(ack) = &packets[0] else {
        panic!("CONNACK first, got {packets:?}");
    };
    assert!(ack.session_present);
    let Packet::Publish(again) = &packets[1] else {
        panic!("the unacknowledged message follows, got {packets:?}");
    };
    assert_eq!(
        (again.topic.as_str(), again.pkid, again.dup),
        ("a", 1, true)
    );

    let (_, clean) = Connection::connect(&mut sessions, CLIENT, 3, true, 0, now);
    assert!(matches!(&clean[..], [Packet::ConnAck(a)] if !a.session_present));
}

#[test]
fn keep_alive_closes_after_one_and_a_half_periods_of_silence_and_each_packet_restarts_it() {
    let mut sessions = Sessions::new();
    let t0 = Instant::now();
    let mut conn = connected(&mut sessions, true, 10, t0);
    assert_eq!(conn.deadline(), Some(t0 + Duration::from_secs(15)));
    assert_eq!(conn.handle_timeout(t0 + Duration::from_secs(14)), None);

    let t1 = t0 + Duration::from_secs(14);
    let actions = conn.handle_packet(&mut sessions, Packet::PingReq, t1);
    assert!(matches!(&actions[..], [Action::Send(Packet::PingResp)]));
    assert_eq!(conn.handle_timeout(t0 + Duration::from_secs(20)), None);
    assert_eq!(
        conn.handle_timeout(t1 + Duration::from_secs(15)),
        Some(Close::KeepAliveExpired)
    );

    let forever = connected(&mut sessions, true, 0, t0);
    assert_eq!(forever.deadline(), None);
    assert_eq!(forever.handle_timeout(t0 + Duration::from_hours(24)), None);
}

#[test]
fn qos_2_publish_closes_the_connection_without_handling_it() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let mut conn = connected(&mut sessions, true, 0, now);
    let actions = conn.handle_packet(
        &mut sessions,
        publish("$iothub/twin/GET/?$rid=1", QoS::ExactlyOnce, 1, b""),
        now,
    );
    assert!(matches!(
        &actions[..],
        [Action::Close(Close::Protocol("qos 2 publish"))]
    ));
}

#[test]
fn twin_get_is_handed_to_the_driver_before_the_puback() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let mut conn = connected(&mut sessions, true, 0, now);
    let actions = conn.handle_packet(
        &mut sessions,
        publish("$iothub/twin/GET/?$rid=7", QoS::AtLeastOnce, 42, b""),
        now,
    );
    match &actions[..] {
        [
            Action::Twin {
                rid,
                request: TwinRequest::Get,
            },
            Action::Send(Packet::PubAck(ack)),
        ] => {
            assert_eq!(rid.as_str(), "7");
            assert_eq!(ack.pkid, 42);
        }
        other => panic!("twin GET then PUBACK expected, got {other:?}"),
    }
    let qos0 = conn.handle_packet(
        &mut sessions,
        publish("$iothub/twin/GET/?$rid=8", QoS::AtMostOnce, 0, b""),
        now,
    );
    assert!(
        matches!(&qos0[..], [Action::Twin { .. }]),
        "no PUBACK at QoS 0: {qos0:?}"
    );
}

#[test]
fn reported_patch_carries_the_validated_patch_or_edgehubs_refusal() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let mut conn = connected(&mut sessions, true, 0, now);
    let topic = "$iothub/twin/PATCH/properties/reported/?$rid=r1";
    let good = conn.handle_packet(
        &mut sessions,
        publish(
            topic,
            QoS::AtLeastOnce,
            1,
            br#"{"pki": {"status": "applied"}}"#,
        ),
        now,
    );
    match &good[0] {
        Action::Twin {
            request: TwinRequest::Patch(Ok(patch)),
            ..
        } => assert_eq!(patch["pki"], json!({"status": "applied"})),
        other => panic!("a valid patch expected, got {other:?}"),
    }
    let bad = conn.handle_packet(
        &mut sessions,
        publish(topic, QoS::AtLeastOnce, 2, br#"{"a.b": 1}"#),
        now,
    );
    match &bad[0] {
        Action::Twin {
            request: TwinRequest::Patch(Err(e)),
            ..
        } => assert!(e.to_string().contains("invalid character"), "{e}"),
        other => panic!("a refused patch expected, got {other:?}"),
    }
    assert!(matches!(bad[1], Action::Send(Packet::PubAck(_))));
}

#[test]
fn method_response_completes_the_call_and_an_unreadable_one_is_only_acknowledged() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let mut conn = connected(&mut sessions, true, 0, now);
    let ok = conn.handle_packet(
        &mut sessions,
        publish(
            "$iothub/methods/res/200/?$rid=5",
            QoS::AtLeastOnce,
            3,
            br#"{"x":1}"#,
        ),
        now,
    );
    match &ok[0] {
        Action::CompleteMethod(r) => {
            assert_eq!((r.status, r.rid.as_str()), (200, "5"));
            assert_eq!(r.payload, json!({"x": 1}));
        }
        other => panic!("method completion expected, got {other:?}"),
    }
    let unreadable = conn.handle_packet(
        &mut sessions,
        publish(
            "$iothub/methods/res/200/?$rid=6",
            QoS::AtLeastOnce,
            4,
            b"{not json",
        ),
        now,
    );
    assert!(matches!(&unreadable[..], [Action::Send(Packet::PubAck(_))]));
}

#[test]
fn telemetry_and_unknown_topics_are_accepted_and_dropped() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let mut conn = connected(&mut sessions, true, 0, now);
    for topic in ["devices/dev/modules/mod/messages/events/", "nobody/listens"] {
        let actions = conn.handle_packet(
            &mut sessions,
            publish(topic, QoS::AtLeastOnce, 9, b"x"),
            now,
        );
        assert!(
            matches!(&actions[..], [Action::Send(Packet::PubAck(a))] if a.pkid == 9),
            "{topic}: {actions:?}"
        );
    }
}

#[test]
fn subscribe_grants_at_most_qos_1_per_filter_and_desired_patches_follow_the_subscription() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let mut conn = connected(&mut sessions, true, 0, now);
    let patch = json!({"a": 1}).as_object().cloned().unwrap_or_default();
    assert!(
        conn.desired_patch(&mut sessions, 2, &patch).is_none(),
        "not subscribed yet"
    );

    let subscribe = Subscribe::new_many([
        SubscribeFilter::new(DESIRED_PATCHES_FILTER.to_owned(), QoS::ExactlyOnce),
        SubscribeFilter::new(METHOD_REQUESTS_FILTER.to_owned(), QoS::AtMostOnce),
        SubscribeFilter::new("something/else".to_owned(), QoS::AtLeastOnce),
    ]);
    let mut subscribe = subscribe;
    subscribe.pkid = 11;
    let actions = conn.handle_packet(&mut sessions, Packet::Subscribe(subscribe), now);
    let [Packet::SubAck(ack)] = &sent(&actions)[..] else {
        panic!("one SUBACK expected, got {actions:?}");
    };
    assert_eq!(ack.pkid, 11);
    assert_eq!(
        ack.return_codes,
        [
            SubscribeReasonCode::Success(QoS::AtLeastOnce),
            SubscribeReasonCode::Success(QoS::AtMostOnce),
            SubscribeReasonCode::Success(QoS::AtLeastOnce),
        ]
    );

    let Some(Packet::Publish(p)) = conn.desired_patch(&mut sessions, 2, &patch) else {
        panic!("a desired notification once subscribed");
    };
    assert_eq!(p.topic, "$iothub/twin/PATCH/properties/desired/?$version=2");
    assert_eq!(p.qos, QoS::AtLeastOnce);
    assert_eq!(
        sessions.unacknowledged(CLIENT).len(),
        1,
        "kept until PUBACK"
    );
    let actions = conn.handle_packet(&mut sessions, Packet::PubAck(PubAck::new(p.pkid)), now);
    assert!(actions.is_empty());
    assert!(sessions.unacknowledged(CLIENT).is_empty());

    let mut unsubscribe = Unsubscribe::new(DESIRED_PATCHES_FILTER);
    unsubscribe.pkid = 12;
    let actions = conn.handle_packet(&mut sessions, Packet::Unsubscribe(unsubscribe), now);
    assert!(matches!(&actions[..], [Action::Send(Packet::UnsubAck(a))] if a.pkid == 12));
    assert!(conn.desired_patch(&mut sessions, 3, &patch).is_none());
}

#[test]
fn disconnect_closes_cleanly_and_a_second_connect_is_a_violation() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let mut conn = connected(&mut sessions, true, 0, now);
    let again = conn.handle_packet(&mut sessions, Packet::Connect(Connect::new("dev/mod")), now);
    assert!(matches!(
        &again[..],
        [Action::Close(Close::Protocol("second CONNECT"))]
    ));
    let bye = conn.handle_packet(&mut sessions, Packet::Disconnect, now);
    assert!(matches!(&bye[..], [Action::Close(Close::Disconnect)]));
}

#[test]
fn closing_discards_a_clean_session_but_not_a_successors() {
    let mut sessions = Sessions::new();
    let now = Instant::now();
    let old = connected(&mut sessions, true, 0, now);
    let (new, _) = Connection::connect(&mut sessions, CLIENT, 2, true, 0, now);
    sessions.subscribe(CLIENT, METHOD_REQUESTS_FILTER, 1);
    old.close(&mut sessions);
    assert!(sessions.is_subscribed(CLIENT, Subscription::Methods));
    new.close(&mut sessions);
    assert!(!sessions.is_subscribed(CLIENT, Subscription::Methods));
}

#[test]
fn twin_responses_name_the_status_and_request_without_a_version() {
    let rid = RequestId::new("abc").unwrap_or_else(|e| panic!("{e}"));
    let (topic, body) = twin_response(&rid, 204, Vec::new());
    assert_eq!(topic, "$iothub/twin/res/204/?$rid=abc");
    assert!(body.is_empty());
}

mod connect_header {
    use super::super::{ConnectHeaderError, check_connect_header};

    /// A CONNECT with `level` and `flags` and a client id `c`.
    fn connect(level: u8, flags: u8) -> Vec<u8> {
        let mut body = vec![
            0, 4, b'M', b'Q', b'T', b'T', level, flags, 0, 60, 0, 1, b'c',
        ];
        let mut packet = vec![0x10, u8::try_from(body.len()).unwrap()];
        packet.append(&mut body);
        packet
    }

    #[test]
    fn an_mqtt_3_1_1_connect_passes() {
        assert_eq!(check_connect_header(&connect(4, 0b10)), Ok(()));
    }

    #[test]
    fn another_protocol_level_is_refused_with_its_level() {
        for level in [3, 5, 6, 255] {
            assert_eq!(
                check_connect_header(&connect(level, 0)),
                Err(ConnectHeaderError::ProtocolLevel(level))
            );
        }
    }

    #[test]
    fn the_reserved_flag_is_refused() {
        assert_eq!(
            check_connect_header(&connect(4, 0b11)),
            Err(ConnectHeaderError::ReservedFlag)
        );
    }

    #[test]
    fn an_incomplete_header_waits_for_more_bytes() {
        let bad = connect(5, 1);
        // Up to the level byte, nothing can be said yet; with it and the flags, the refusal.
        for cut in 0..10 {
            assert_eq!(check_connect_header(&bad[..cut]), Ok(()), "{cut} bytes");
        }
        assert!(check_connect_header(&bad[..10]).is_err());
    }

    #[test]
    fn other_packets_and_other_protocol_names_are_left_to_the_decoder() {
        assert_eq!(check_connect_header(&[0xc0, 0]), Ok(())); // PINGREQ
        let mut odd_name = connect(5, 1);
        odd_name[4] = b'X';
        assert_eq!(check_connect_header(&odd_name), Ok(()));
        // A remaining length that never ends within four bytes.
        assert_eq!(
            check_connect_header(&[0x10, 0xff, 0xff, 0xff, 0xff, 0]),
            Ok(())
        );
    }
}
