//! edgeHub's connection rules on arbitrary packets.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use edge_sim::mqtt::MAX_PACKET_BYTES;
use edge_sim::mqtt::protocol::{
    Action, Close, ConnectHeaderError, Connection, TwinRequest, check_connect_header, twin_response,
};
use edge_sim::mqtt::session::{MAX_INFLIGHT, Sessions};
use rumqttc::mqttbytes::v4::Packet;
use rumqttc::mqttbytes::{Protocol, QoS};
use serde_json::{Map, Value};

const CLIENT: &str = "fuzz-device/fuzz-module";

fn base() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

/// Input: one byte of connection flags (bit 0: clean session; bits 1–7: keep-alive in
/// seconds), then the bytes a client sends after CONNECT. Packets are decoded with the
/// server's codec and limit and handed to [`Connection::handle_packet`], 100 ms apart, the
/// way the driver does; twin requests are answered and every other packet gets a desired
/// notification, so the session's packet identifiers and in-flight messages are exercised
/// too.
///
/// Invariants: every packet the rules produce encodes within [`MAX_PACKET_BYTES`]; a `QoS` 2
/// PUBLISH closes and does nothing else; a `QoS` 1 PUBLISH ends with the PUBACK of its
/// packet identifier; SUBSCRIBE gets a SUBACK with its identifier and one code per filter,
/// never above `QoS` 1; UNSUBSCRIBE gets its UNSUBACK; each packet restarts the keep-alive;
/// the session never holds more than `MAX_INFLIGHT` messages nor identifier 0 or a duplicate.
/// The same bytes also go through the pre-authentication CONNECT rules
/// ([`check_connect_header`]): a CONNECT that rumqttc decodes as MQTT 5 is refused by them.
pub fn edgehub(data: &[u8]) -> bool {
    let Some((&flags, stream)) = data.split_first() else {
        return false;
    };
    let verdict = check_connect_header(stream);
    if let Ok(Packet::Connect(connect)) =
        Packet::read(&mut BytesMut::from(stream), MAX_PACKET_BYTES)
        && connect.protocol == Protocol::V5
    {
        assert_eq!(verdict, Err(ConnectHeaderError::ProtocolLevel(5)));
    }
    let clean = flags & 1 == 1;
    let keep_alive = u16::from(flags >> 1);
    let mut sessions = Sessions::new();
    let mut now = base();
    let (mut conn, first) = Connection::connect(&mut sessions, CLIENT, 1, clean, keep_alive, now);
    for packet in &first {
        encodes(packet);
    }
    let mut buf = BytesMut::from(stream);
    let mut handled = 0_u32;
    loop {
        let Ok(packet) = Packet::read(&mut buf, MAX_PACKET_BYTES) else {
            // Incomplete or malformed: the driver closes with a codec error.
            break;
        };
        now += Duration::from_millis(100);
        if conn.handle_timeout(now).is_some() {
            assert!(
                keep_alive > 0,
                "keep-alive expired for a connection without one"
            );
            break;
        }
        let actions = conn.handle_packet(&mut sessions, packet.clone(), now);
        handled += 1;
        if keep_alive > 0 {
            assert_eq!(
                conn.deadline(),
                Some(now + Duration::from_millis(u64::from(keep_alive) * 1500)),
                "every packet restarts the keep-alive"
            );
        }
        check_answer(&packet, &actions);
        if !perform(&conn, &mut sessions, actions) {
            conn.close(&mut sessions);
            break;
        }
        if handled % 2 == 1 {
            let patch: Map<String, Value> = [("n".to_owned(), Value::from(handled))]
                .into_iter()
                .collect();
            if let Some(packet) = conn.desired_patch(&mut sessions, u64::from(handled) + 1, &patch)
            {
                encodes(&packet);
            }
        }
        check_session(&sessions);
    }
    handled > 0
}

/// What each packet must be answered with.
fn check_answer(packet: &Packet, actions: &[Action]) {
    match packet {
        Packet::Publish(p) if p.qos == QoS::ExactlyOnce => {
            assert!(
                matches!(actions, [Action::Close(Close::Protocol(_))]),
                "QoS 2 PUBLISH must only close: {actions:?}"
            );
        }
        Packet::Publish(p) if p.qos == QoS::AtLeastOnce => match actions.last() {
            Some(Action::Send(Packet::PubAck(ack))) => assert_eq!(ack.pkid, p.pkid),
            other => panic!("QoS 1 PUBLISH not acknowledged last: {other:?}"),
        },
        Packet::Subscribe(s) => match actions {
            [Action::Send(Packet::SubAck(ack))] => {
                assert_eq!(ack.pkid, s.pkid);
                assert_eq!(ack.return_codes.len(), s.filters.len());
                assert!(ack.return_codes.iter().all(|c| matches!(
                    c,
                    rumqttc::mqttbytes::v4::SubscribeReasonCode::Success(
                        QoS::AtMostOnce | QoS::AtLeastOnce
                    )
                )));
            }
            other => panic!("SUBSCRIBE not answered with one SUBACK: {other:?}"),
        },
        Packet::Unsubscribe(u) => match actions {
            [Action::Send(Packet::UnsubAck(ack))] => assert_eq!(ack.pkid, u.pkid),
            other => panic!("UNSUBSCRIBE not answered with one UNSUBACK: {other:?}"),
        },
        Packet::PingReq => {
            assert!(matches!(actions, [Action::Send(Packet::PingResp)]));
        }
        Packet::Disconnect => {
            assert!(matches!(actions, [Action::Close(Close::Disconnect)]));
        }
        _ => {}
    }
}

/// Performs the actions like the driver, with a fixed twin; `false` once the connection ends.
fn perform(conn: &Connection, sessions: &mut Sessions, actions: Vec<Action>) -> bool {
    let mut closed = false;
    for action in actions {
        assert!(!closed, "an action after Close");
        match action {
            Action::Send(packet) => encodes(&packet),
            Action::Twin { rid, request } => {
                let (status, body) = match request {
                    TwinRequest::Get => {
                        (200, br#"{"desired":{"$version":1},"reported":{}}"#.to_vec())
                    }
                    TwinRequest::Patch(Ok(patch)) => {
                        // What edgeHub accepted must be storable: valid again as it is stored.
                        let stored = serde_json::to_vec(&patch).unwrap_or_default();
                        assert!(
                            hub_proto::twin::parse_reported_patch(&stored).is_ok(),
                            "an accepted patch is refused once serialised"
                        );
                        (204, Vec::new())
                    }
                    TwinRequest::Patch(Err(e)) => (400, e.to_string().into_bytes()),
                };
                let (topic, body) = twin_response(&rid, status, body);
                encodes(&conn.publish(sessions, topic, body, false));
            }
            Action::CompleteMethod(response) => {
                let topic = response.topic();
                assert_eq!(
                    hub_proto::Topic::parse(&topic.to_string()).ok(),
                    Some(topic),
                    "a method response's topic does not round-trip"
                );
            }
            Action::Close(_) => closed = true,
        }
    }
    !closed
}

fn encodes(packet: &Packet) {
    let mut out = BytesMut::new();
    if let Err(e) = packet.write(&mut out, MAX_PACKET_BYTES) {
        panic!("the server cannot encode its own packet {packet:?}: {e:?}");
    }
}

fn check_session(sessions: &Sessions) {
    let inflight = sessions.unacknowledged(CLIENT);
    assert!(inflight.len() <= MAX_INFLIGHT, "in-flight beyond the bound");
    let mut ids = BTreeSet::new();
    for message in &inflight {
        assert_ne!(message.pkid, 0, "packet identifier 0 in flight");
        assert!(
            ids.insert(message.pkid),
            "duplicate packet identifier in flight"
        );
    }
}
