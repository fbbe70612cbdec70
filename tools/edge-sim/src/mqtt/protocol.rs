//! edgeHub's rules for one authenticated MQTT connection, as a state machine without I/O.
//!
//! Driving contract: once CONNECT is authenticated ([`super::auth`]), the driver creates the
//! state with [`Connection::connect`] and writes the packets it returns (CONNACK, then the
//! session's unacknowledged messages again). For every packet it decodes, it calls
//! [`Connection::handle_packet`] with the time the packet arrived and performs the returned
//! [`Action`]s in order; it wakes the connection at [`Connection::deadline`] with
//! [`Connection::handle_timeout`]; it turns a desired notification into a packet with
//! [`Connection::desired_patch`] and a twin answer or a method request with
//! [`Connection::publish`]; when the connection ends for any reason it calls
//! [`Connection::close`]. Every call takes the server's [`Sessions`] (the driver holds the
//! broker's lock for the call) and time is an argument, so the rules run in unit tests and
//! under the fuzzer without sockets (`fuzz/`, docs/fuzzing.md).
//!
//! The rules (MQTT 3.1.1 and IoT Hub's, docs/reference/iot-edge.md §1):
//! - keep-alive: a connection that sends nothing for one and a half keep-alive periods is
//!   closed (§3.1.2.10); `keep_alive = 0` turns that off; every packet restarts the period;
//! - PUBLISH at `QoS` 2 closes the connection (IoT Hub does, §1.1); `QoS` 1 is acknowledged
//!   with PUBACK after the request it carries was handed to the driver;
//! - PUBLISH to `$iothub/twin/GET/?$rid=` and `$iothub/twin/PATCH/properties/reported/?$rid=`
//!   are twin requests ([`Action::Twin`]); a reported patch is validated here with edgeHub's
//!   rules (`hub_proto::twin::parse_reported_patch`) and its refusal travels with the request,
//!   because an injected fault answers before validation as edgeHub's upstream would;
//! - PUBLISH to `$iothub/methods/res/{status}/?$rid=` completes a pending direct method;
//!   telemetry is accepted and dropped; any other topic is ignored;
//! - SUBSCRIBE records each filter in the session, grants at most `QoS` 1 and answers one
//!   return code per filter; UNSUBSCRIBE removes them; PINGREQ is answered with PINGRESP;
//!   PUBACK releases an outgoing message of the session;
//! - DISCONNECT closes normally; a second CONNECT is a protocol violation; other packets a
//!   client should not send (CONNACK, SUBACK, `QoS` 2 flow) are ignored.
//!
//! The packet size limit ([`MAX_PACKET_BYTES`], both ways) is the codec's: a larger packet
//! never becomes a [`Packet`].
//!
//! Before authentication, [`check_connect_header`] applies the CONNECT rules rumqttc's v4
//! decoder does not (it decodes level 5 as well and drops the reserved flag): protocol level
//! 4 only (anything else: CONNACK 1, then close; §3.1.2.2) and a zero reserved flag (else
//! close without CONNACK; §3.1.2.3).

use std::time::{Duration, Instant};

use hub_proto::twin::{ReportedPatchError, parse_reported_patch};
use hub_proto::{MethodResponse, RequestId, Subscription, Topic, TwinVersion};
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{
    ConnAck, ConnectReturnCode, Packet, PubAck, Publish, SubAck, SubscribeReasonCode, UnsubAck,
};
use serde_json::{Map, Value};
use tracing::{debug, warn};

use super::session::Sessions;

/// Largest packet either way: IoT Hub's 256 KB message limit (docs/reference/iot-edge.md §1.1).
pub const MAX_PACKET_BYTES: usize = 256 * 1024;

/// The state of one authenticated connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The broker's id of this connection (a session belongs to the connection that opened
    /// it last).
    id: u64,
    /// `device/module`.
    client_id: String,
    /// One and a half keep-alive periods; `None` when the client asked for no keep-alive.
    grace: Option<Duration>,
    /// When the connection is closed unless a packet arrives first.
    deadline: Option<Instant>,
}

/// A twin request carried by a PUBLISH.
#[derive(Debug)]
pub enum TwinRequest {
    /// `$iothub/twin/GET`: the module's desired and reported properties.
    Get,
    /// `$iothub/twin/PATCH/properties/reported`: the patch, or why edgeHub refuses it (400).
    Patch(Result<Map<String, Value>, ReportedPatchError>),
}

/// Why the connection ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// The client sent DISCONNECT (a clean close).
    Disconnect,
    /// Nothing arrived for one and a half keep-alive periods.
    KeepAliveExpired,
    /// The client broke the protocol (MQTT 3.1.1 or IoT Hub's rules).
    Protocol(&'static str),
}

/// What the driver does, in order.
#[derive(Debug)]
pub enum Action {
    /// Write this packet.
    Send(Packet),
    /// Answer a twin request: look up or patch the module's twin (or apply an injected fault)
    /// and publish the response to `$iothub/twin/res/{status}/?$rid={rid}`.
    Twin {
        /// The request id to answer.
        rid: RequestId,
        /// What is asked.
        request: TwinRequest,
    },
    /// Hand a direct-method response to the caller waiting for it.
    CompleteMethod(MethodResponse),
    /// End the connection (no further action follows).
    Close(Close),
}

impl Connection {
    /// Connection `id` of `client_id` was authenticated at `now`: starts (or resumes, without
    /// `clean`) its session and returns the state with the packets to write first: CONNACK
    /// with the session-present flag, then the session's unacknowledged messages with their
    /// packet identifiers and DUP set (MQTT 3.1.1 §4.4).
    pub fn connect(
        sessions: &mut Sessions,
        client_id: &str,
        id: u64,
        clean: bool,
        keep_alive: u16,
        now: Instant,
    ) -> (Self, Vec<Packet>) {
        let session_present = sessions.connect(client_id, id, clean);
        let grace = (keep_alive > 0).then(|| Duration::from_millis(u64::from(keep_alive) * 1500));
        let connection = Self {
            id,
            client_id: client_id.to_owned(),
            grace,
            deadline: grace.map(|g| now + g),
        };
        let mut packets = vec![Packet::ConnAck(ConnAck::new(
            ConnectReturnCode::Success,
            session_present,
        ))];
        for message in sessions.unacknowledged(client_id) {
            let mut publish = Publish::new(message.topic, QoS::AtLeastOnce, message.payload);
            publish.pkid = message.pkid;
            publish.dup = true;
            packets.push(Packet::Publish(publish));
        }
        (connection, packets)
    }

    /// The client id (`device/module`).
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// When [`Connection::handle_timeout`] must be called; `None` without keep-alive.
    #[must_use]
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// The keep-alive check: [`Close::KeepAliveExpired`] once the deadline has passed.
    #[must_use]
    pub fn handle_timeout(&self, now: Instant) -> Option<Close> {
        self.deadline
            .is_some_and(|deadline| now >= deadline)
            .then_some(Close::KeepAliveExpired)
    }

    /// One packet from the client, arrived at `now`.
    pub fn handle_packet(
        &mut self,
        sessions: &mut Sessions,
        packet: Packet,
        now: Instant,
    ) -> Vec<Action> {
        self.deadline = self.grace.map(|g| now + g);
        match packet {
            Packet::Publish(publish) => on_publish(&publish),
            Packet::Subscribe(subscribe) => {
                let codes = subscribe
                    .filters
                    .iter()
                    .map(|f| {
                        if Subscription::classify(&f.path).is_none() {
                            debug!(filter = %f.path, "ignoring unknown subscription");
                        }
                        match sessions.subscribe(&self.client_id, &f.path, f.qos as u8) {
                            0 => SubscribeReasonCode::Success(QoS::AtMostOnce),
                            _ => SubscribeReasonCode::Success(QoS::AtLeastOnce),
                        }
                    })
                    .collect();
                vec![Action::Send(Packet::SubAck(SubAck::new(
                    subscribe.pkid,
                    codes,
                )))]
            }
            Packet::Unsubscribe(unsubscribe) => {
                for topic in &unsubscribe.topics {
                    sessions.unsubscribe(&self.client_id, topic);
                }
                vec![Action::Send(Packet::UnsubAck(UnsubAck::new(
                    unsubscribe.pkid,
                )))]
            }
            Packet::PingReq => vec![Action::Send(Packet::PingResp)],
            Packet::Disconnect => vec![Action::Close(Close::Disconnect)],
            Packet::Connect(_) => vec![Action::Close(Close::Protocol("second CONNECT"))],
            Packet::PubAck(ack) => {
                sessions.acknowledge(&self.client_id, ack.pkid);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// A `QoS` 1 PUBLISH to the client (edgeHub's `QoS` towards clients,
    /// docs/reference/iot-edge.md §1.1): the session keeps it until the client's PUBACK and
    /// persists it when `durable`.
    #[must_use]
    pub fn publish(
        &self,
        sessions: &mut Sessions,
        topic: String,
        payload: Vec<u8>,
        durable: bool,
    ) -> Packet {
        let pkid = sessions.publish(&self.client_id, &topic, &payload, durable);
        let mut publish = Publish::new(topic, QoS::AtLeastOnce, payload);
        publish.pkid = pkid;
        Packet::Publish(publish)
    }

    /// The desired notification `patch` at `version`, when the client subscribed to desired
    /// patches. Durable: a notification the client did not acknowledge is sent again when its
    /// session resumes, even after a restart of the simulator.
    #[must_use]
    pub fn desired_patch(
        &self,
        sessions: &mut Sessions,
        version: u64,
        patch: &Map<String, Value>,
    ) -> Option<Packet> {
        if !sessions.is_subscribed(&self.client_id, Subscription::DesiredPatches) {
            return None;
        }
        let topic = Topic::DesiredPatch {
            version: TwinVersion::new(version),
        };
        let payload = serde_json::to_vec(patch).unwrap_or_default();
        Some(self.publish(sessions, topic.to_string(), payload, true))
    }

    /// The connection ended: a clean session it still owns is discarded.
    pub fn close(&self, sessions: &mut Sessions) {
        sessions.disconnect(&self.client_id, self.id);
    }
}

fn on_publish(publish: &Publish) -> Vec<Action> {
    if publish.qos == QoS::ExactlyOnce {
        // IoT Hub closes the connection on a QoS 2 PUBLISH (docs/reference/iot-edge.md §1.1).
        return vec![Action::Close(Close::Protocol("qos 2 publish"))];
    }
    let mut actions = Vec::new();
    match Topic::parse(&publish.topic) {
        Ok(Topic::TwinGet { rid }) => actions.push(Action::Twin {
            rid,
            request: TwinRequest::Get,
        }),
        Ok(Topic::ReportedPatch { rid }) => actions.push(Action::Twin {
            rid,
            request: TwinRequest::Patch(parse_reported_patch(&publish.payload)),
        }),
        Ok(Topic::MethodResponse { status, rid }) => {
            match MethodResponse::from_parts(status, rid, &publish.payload) {
                Ok(response) => actions.push(Action::CompleteMethod(response)),
                Err(e) => warn!(error = %e, "unreadable method response"),
            }
        }
        Ok(Topic::ModuleEvent { .. }) => {
            debug!(topic = %publish.topic, bytes = publish.payload.len(), "module message accepted");
        }
        Ok(_) | Err(_) => {
            debug!(topic = %publish.topic, "ignoring publish to an unknown topic");
        }
    }
    if publish.qos == QoS::AtLeastOnce {
        actions.push(Action::Send(Packet::PubAck(PubAck::new(publish.pkid))));
    }
    actions
}

/// The response to a twin request: topic and body for `status` (edgeHub answers a reported
/// patch with 204 and no `$version`, docs/reference/iot-edge.md §0.5).
#[must_use]
pub fn twin_response(rid: &RequestId, status: u16, body: Vec<u8>) -> (String, Vec<u8>) {
    let topic = Topic::TwinResponse {
        status,
        rid: rid.clone(),
        version: None,
    };
    (topic.to_string(), body)
}

/// Why a CONNECT is refused before it is decoded (MQTT 3.1.1 §3.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConnectHeaderError {
    /// Not protocol level 4 (MQTT 3.1.1): answered with CONNACK 1, then closed.
    #[error("unacceptable protocol level {0} (MQTT 3.1.1 is level 4)")]
    ProtocolLevel(u8),
    /// The reserved connect flag is set: closed without CONNACK.
    #[error("the reserved CONNECT flag is set")]
    ReservedFlag,
}

/// Checks the variable header of the CONNECT at the start of `buf` (the bytes received so
/// far): `Ok` when it passes, when `buf` does not start with a CONNECT (the decoder refuses
/// that) or when the header is not complete yet (checked again with more bytes). A protocol
/// name other than `MQTT` is left to the decoder too.
pub fn check_connect_header(buf: &[u8]) -> Result<(), ConnectHeaderError> {
    const CONNECT: u8 = 1;
    if buf.first().is_none_or(|b| b >> 4 != CONNECT) {
        return Ok(());
    }
    // The remaining length: 1 to 4 bytes, 7 bits each, high bit = more (§2.2.3).
    let Some(length_bytes) = buf
        .iter()
        .skip(1)
        .take(4)
        .position(|b| b & 0x80 == 0)
        .map(|i| i + 1)
    else {
        return Ok(());
    };
    let header = &buf[1 + length_bytes..];
    let Some(name_length) = header
        .get(..2)
        .map(|n| usize::from(u16::from_be_bytes([n[0], n[1]])))
    else {
        return Ok(());
    };
    let (Some(name), Some(&level), Some(&flags)) = (
        header.get(2..2 + name_length),
        header.get(2 + name_length),
        header.get(3 + name_length),
    ) else {
        return Ok(());
    };
    if name != b"MQTT" {
        return Ok(());
    }
    if level != 4 {
        return Err(ConnectHeaderError::ProtocolLevel(level));
    }
    if flags & 1 != 0 {
        return Err(ConnectHeaderError::ReservedFlag);
    }
    Ok(())
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
