//! MQTT sessions: subscriptions and unacknowledged outgoing `QoS` 1 messages per client id,
//! kept across connections for `clean_session = 0` (MQTT 3.1.1 §3.1.2.4), sans-io.
//!
//! The Python SDK does not SUBSCRIBE again after a reconnect and relies on the server keeping
//! its session (docs/reference/iot-edge.md §0.3), as edgeHub does. A session belongs to the
//! connection that opened it last, so a connection replaced by a newer one cannot discard its
//! successor's session when it finally closes.
//!
//! Persistent sessions also survive a restart of the simulator: [`Sessions::to_persisted`]
//! is what the driver writes to `sessions.json` in the state directory and
//! [`Sessions::from_persisted`] what it reads back at start. Unacknowledged outgoing messages
//! are persisted when they are *durable* (desired-property notifications); a method request
//! is not, because the caller waiting for its answer lives in the process that sent it.

use std::collections::{BTreeMap, HashMap, VecDeque};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hub_proto::Subscription;
use serde::{Deserialize, Serialize};

/// Highest `QoS` granted: IoT Hub grants `QoS` 2 subscriptions as `QoS` 1
/// (docs/reference/iot-edge.md §1.1).
pub const MAX_GRANTED_QOS: u8 = 1;
/// Unacknowledged outgoing messages kept per session; the oldest is forgotten beyond this.
pub const MAX_INFLIGHT: usize = 100;

/// An outgoing `QoS` 1 PUBLISH that the client has not acknowledged yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Its packet identifier (kept when it is sent again, MQTT 3.1.1 §4.4).
    pub pkid: u16,
    /// Topic name.
    pub topic: String,
    /// Payload.
    pub payload: Vec<u8>,
    /// Whether it is persisted with the session (survives a restart of the simulator).
    pub durable: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Session {
    /// The connection that owns the session now (0: none since the simulator started).
    owner: u64,
    /// Whether the session outlives the connection (`clean_session = 0`).
    persistent: bool,
    /// Filter → granted `QoS`.
    filters: BTreeMap<String, u8>,
    /// The last packet identifier used for an outgoing PUBLISH.
    last_pkid: u16,
    /// Outgoing messages not acknowledged yet, oldest first.
    inflight: VecDeque<Outgoing>,
}

impl Session {
    fn fresh(owner: u64, persistent: bool) -> Self {
        Self {
            owner,
            persistent,
            ..Self::default()
        }
    }

    /// The next packet identifier: skips 0 (MQTT 3.1.1 §2.3.1) and identifiers in flight.
    fn next_pkid(&mut self) -> u16 {
        loop {
            self.last_pkid = self.last_pkid.checked_add(1).unwrap_or(1);
            if !self.inflight.iter().any(|o| o.pkid == self.last_pkid) {
                return self.last_pkid;
            }
        }
    }
}

/// All sessions of the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sessions {
    by_client: HashMap<String, Session>,
    /// Bumped by every change that alters [`Sessions::to_persisted`].
    revision: u64,
}

/// The persisted form of the persistent sessions (`sessions.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistedSessions {
    /// Client id (`device/module`) → session.
    pub sessions: BTreeMap<String, PersistedSession>,
}

/// One persisted session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistedSession {
    /// Filter → granted `QoS`.
    pub subscriptions: BTreeMap<String, u8>,
    /// The last packet identifier used.
    pub last_packet_id: u16,
    /// Durable unacknowledged messages, oldest first.
    pub inflight: Vec<PersistedMessage>,
}

/// One persisted unacknowledged message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistedMessage {
    /// Packet identifier.
    pub packet_id: u16,
    /// Topic name.
    pub topic: String,
    /// Payload, base64.
    pub payload: String,
}

/// Why a persisted session file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersistedError {
    /// A granted `QoS` above 1 or a packet identifier 0.
    #[error("session {client_id}: {problem}")]
    Invalid {
        /// The client id.
        client_id: String,
        /// What is wrong.
        problem: String,
    },
}

impl Sessions {
    /// An empty session store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Restores persisted sessions (owned by no connection until their client connects).
    pub fn from_persisted(persisted: PersistedSessions) -> Result<Self, PersistedError> {
        let mut by_client = HashMap::new();
        for (client_id, p) in persisted.sessions {
            let invalid = |problem: String| PersistedError::Invalid {
                client_id: client_id.clone(),
                problem,
            };
            if let Some((filter, qos)) = p.subscriptions.iter().find(|(_, q)| **q > MAX_GRANTED_QOS)
            {
                return Err(invalid(format!("qos {qos} granted for {filter}")));
            }
            let mut inflight = VecDeque::new();
            for m in p.inflight {
                if m.packet_id == 0 {
                    return Err(invalid("packet id 0".to_owned()));
                }
                let payload = BASE64
                    .decode(&m.payload)
                    .map_err(|e| invalid(format!("payload of packet {}: {e}", m.packet_id)))?;
                inflight.push_back(Outgoing {
                    pkid: m.packet_id,
                    topic: m.topic,
                    payload,
                    durable: true,
                });
            }
            by_client.insert(
                client_id,
                Session {
                    owner: 0,
                    persistent: true,
                    filters: p.subscriptions,
                    last_pkid: p.last_packet_id,
                    inflight,
                },
            );
        }
        Ok(Self {
            by_client,
            revision: 0,
        })
    }

    /// The persistent sessions with their durable unacknowledged messages.
    #[must_use]
    pub fn to_persisted(&self) -> PersistedSessions {
        let sessions = self
            .by_client
            .iter()
            .filter(|(_, s)| s.persistent)
            .map(|(id, s)| {
                let inflight = s
                    .inflight
                    .iter()
                    .filter(|o| o.durable)
                    .map(|o| PersistedMessage {
                        packet_id: o.pkid,
                        topic: o.topic.clone(),
                        payload: BASE64.encode(&o.payload),
                    })
                    .collect();
                let persisted = PersistedSession {
                    subscriptions: s.filters.clone(),
                    last_packet_id: s.last_pkid,
                    inflight,
                };
                (id.clone(), persisted)
            })
            .collect();
        PersistedSessions { sessions }
    }

    /// A number that changes whenever [`Sessions::to_persisted`] would.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    fn changed(&mut self) {
        self.revision = self.revision.wrapping_add(1);
    }

    /// Connection `connection` of `client_id` starts; returns CONNACK's session-present flag.
    ///
    /// With `clean` the previous session is discarded and a fresh one lasts as long as the
    /// connection; without it the previous session is resumed (or a persistent one started).
    pub fn connect(&mut self, client_id: &str, connection: u64, clean: bool) -> bool {
        let was_persistent = self.by_client.get(client_id).is_some_and(|s| s.persistent);
        if clean {
            self.by_client
                .insert(client_id.to_owned(), Session::fresh(connection, false));
            if was_persistent {
                self.changed();
            }
            return false;
        }
        if was_persistent {
            if let Some(session) = self.by_client.get_mut(client_id) {
                session.owner = connection;
            }
            return true;
        }
        self.by_client
            .insert(client_id.to_owned(), Session::fresh(connection, true));
        self.changed();
        false
    }

    /// Records a subscription; returns the granted `QoS`.
    pub fn subscribe(&mut self, client_id: &str, filter: &str, requested_qos: u8) -> u8 {
        let granted = requested_qos.min(MAX_GRANTED_QOS);
        if let Some(session) = self.by_client.get_mut(client_id)
            && session.filters.insert(filter.to_owned(), granted) != Some(granted)
            && session.persistent
        {
            self.changed();
        }
        granted
    }

    /// Removes a subscription.
    pub fn unsubscribe(&mut self, client_id: &str, filter: &str) {
        if let Some(session) = self.by_client.get_mut(client_id)
            && session.filters.remove(filter).is_some()
            && session.persistent
        {
            self.changed();
        }
    }

    /// Whether the client's session holds a filter of `kind`, as edgeHub classifies filters.
    #[must_use]
    pub fn is_subscribed(&self, client_id: &str, kind: Subscription) -> bool {
        self.by_client.get(client_id).is_some_and(|s| {
            s.filters
                .keys()
                .any(|f| Subscription::classify(f) == Some(kind))
        })
    }

    /// The subscription filters of a client, sorted.
    #[must_use]
    pub fn filters(&self, client_id: &str) -> Vec<String> {
        self.by_client
            .get(client_id)
            .map(|s| s.filters.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// An outgoing `QoS` 1 PUBLISH to `client_id`: allocates its packet identifier and keeps
    /// the message until [`Sessions::acknowledge`] (at most [`MAX_INFLIGHT`]; the oldest is
    /// forgotten beyond). A connection always has a session; should it have been discarded
    /// under a closing connection, the message is not tracked and gets identifier 1.
    pub fn publish(&mut self, client_id: &str, topic: &str, payload: &[u8], durable: bool) -> u16 {
        let Some(session) = self.by_client.get_mut(client_id) else {
            return 1;
        };
        let pkid = session.next_pkid();
        if session.inflight.len() >= MAX_INFLIGHT
            && let Some(dropped) = session.inflight.pop_front()
            && dropped.durable
            && session.persistent
        {
            self.revision = self.revision.wrapping_add(1);
        }
        session.inflight.push_back(Outgoing {
            pkid,
            topic: topic.to_owned(),
            payload: payload.to_vec(),
            durable,
        });
        if durable && session.persistent {
            self.changed();
        }
        pkid
    }

    /// The client's PUBACK for `pkid`: the message is delivered and forgotten.
    pub fn acknowledge(&mut self, client_id: &str, pkid: u16) {
        let Some(session) = self.by_client.get_mut(client_id) else {
            return;
        };
        if let Some(i) = session.inflight.iter().position(|o| o.pkid == pkid) {
            let acked = session.inflight.remove(i);
            if acked.is_some_and(|o| o.durable) && session.persistent {
                self.changed();
            }
        }
    }

    /// The client's unacknowledged messages, oldest first: what a resumed session sends again
    /// (with DUP set and the same packet identifiers, MQTT 3.1.1 §4.4).
    #[must_use]
    pub fn unacknowledged(&self, client_id: &str) -> Vec<Outgoing> {
        self.by_client
            .get(client_id)
            .map(|s| s.inflight.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Connection `connection` ended: a clean session it owns is discarded.
    pub fn disconnect(&mut self, client_id: &str, connection: u64) {
        if self
            .by_client
            .get(client_id)
            .is_some_and(|s| s.owner == connection && !s.persistent)
        {
            self.by_client.remove(client_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use hub_proto::topic::{DESIRED_PATCHES_FILTER, METHOD_REQUESTS_FILTER};

    use super::*;

    #[test]
    fn persistent_session_keeps_subscriptions_across_connections() {
        let mut s = Sessions::new();
        assert!(!s.connect("d/m", 1, false));
        s.subscribe("d/m", DESIRED_PATCHES_FILTER, 1);
        s.disconnect("d/m", 1);
        assert!(s.connect("d/m", 2, false));
        assert!(s.is_subscribed("d/m", Subscription::DesiredPatches));
        assert!(!s.is_subscribed("d/m", Subscription::Methods));
    }

    #[test]
    fn clean_session_discards_the_previous_one_and_ends_with_its_connection() {
        let mut s = Sessions::new();
        s.connect("d/m", 1, false);
        s.subscribe("d/m", METHOD_REQUESTS_FILTER, 1);
        s.publish("d/m", "t", b"x", true);
        assert!(!s.connect("d/m", 2, true));
        assert!(!s.is_subscribed("d/m", Subscription::Methods));
        assert!(s.unacknowledged("d/m").is_empty());
        s.subscribe("d/m", METHOD_REQUESTS_FILTER, 1);
        s.disconnect("d/m", 2);
        assert!(!s.connect("d/m", 3, false));
        assert!(s.filters("d/m").is_empty());
    }

    #[test]
    fn a_replaced_connection_does_not_discard_its_successors_session() {
        let mut s = Sessions::new();
        s.connect("d/m", 1, true);
        s.connect("d/m", 2, true);
        s.subscribe("d/m", METHOD_REQUESTS_FILTER, 1);
        s.disconnect("d/m", 1);
        assert!(s.is_subscribed("d/m", Subscription::Methods));
    }

    #[test]
    fn qos_2_is_granted_as_qos_1_and_unsubscribe_removes() {
        let mut s = Sessions::new();
        s.connect("d/m", 1, false);
        assert_eq!(s.subscribe("d/m", DESIRED_PATCHES_FILTER, 2), 1);
        assert_eq!(s.subscribe("d/m", METHOD_REQUESTS_FILTER, 0), 0);
        s.unsubscribe("d/m", DESIRED_PATCHES_FILTER);
        assert_eq!(s.filters("d/m"), [METHOD_REQUESTS_FILTER]);
    }

    #[test]
    fn unacknowledged_messages_wait_for_the_resumed_session_with_their_packet_ids() {
        let mut s = Sessions::new();
        s.connect("d/m", 1, false);
        let a = s.publish("d/m", "a", b"1", true);
        let b = s.publish("d/m", "b", b"2", false);
        let c = s.publish("d/m", "c", b"3", true);
        assert_eq!((a, b, c), (1, 2, 3));
        s.acknowledge("d/m", b);
        s.disconnect("d/m", 1);
        assert!(s.connect("d/m", 2, false));
        let again: Vec<(u16, String)> = s
            .unacknowledged("d/m")
            .into_iter()
            .map(|o| (o.pkid, o.topic))
            .collect();
        assert_eq!(again, [(1, "a".to_owned()), (3, "c".to_owned())]);
        // New identifiers never collide with those still in flight.
        assert_eq!(s.publish("d/m", "d", b"4", true), 4);
    }

    #[test]
    fn packet_ids_wrap_around_skipping_zero_and_those_in_flight() {
        let mut s = Sessions::new();
        s.connect("d/m", 1, false);
        let first = s.publish("d/m", "old", b"", true);
        for _ in 1..u16::MAX {
            let pkid = s.publish("d/m", "t", b"", false);
            s.acknowledge("d/m", pkid);
        }
        let wrapped = s.publish("d/m", "t", b"", false);
        assert_ne!(wrapped, 0);
        assert_ne!(wrapped, first, "the unacknowledged id 1 is skipped");
        assert_eq!(wrapped, 2);
    }

    #[test]
    fn inflight_is_bounded_by_forgetting_the_oldest() {
        let mut s = Sessions::new();
        s.connect("d/m", 1, false);
        for i in 0..=MAX_INFLIGHT {
            s.publish("d/m", &format!("t{i}"), b"", true);
        }
        let kept = s.unacknowledged("d/m");
        assert_eq!(kept.len(), MAX_INFLIGHT);
        assert_eq!(kept[0].topic, "t1");
    }

    #[test]
    fn persistent_sessions_round_trip_through_their_persisted_form() {
        let mut s = Sessions::new();
        s.connect("d/m", 1, false);
        s.subscribe("d/m", DESIRED_PATCHES_FILTER, 1);
        s.subscribe("d/m", METHOD_REQUESTS_FILTER, 1);
        s.publish(
            "d/m",
            "$iothub/twin/PATCH/properties/desired/?$version=3",
            b"{}",
            true,
        );
        s.publish("d/m", "$iothub/methods/POST/x/?$rid=1", b"{}", false);
        s.connect("d/clean", 2, true);
        s.subscribe("d/clean", METHOD_REQUESTS_FILTER, 1);
        let persisted = s.to_persisted();
        assert_eq!(persisted.sessions.keys().collect::<Vec<_>>(), ["d/m"]);
        let json = serde_json::to_string(&persisted).unwrap();
        let back: PersistedSessions = serde_json::from_str(&json).unwrap();
        let mut restored = Sessions::from_persisted(back).unwrap();
        assert!(
            restored.connect("d/m", 7, false),
            "session present after a restart"
        );
        assert!(restored.is_subscribed("d/m", Subscription::Methods));
        assert!(restored.is_subscribed("d/m", Subscription::DesiredPatches));
        let again = restored.unacknowledged("d/m");
        assert_eq!(again.len(), 1, "only the durable message survives");
        assert_eq!(again[0].pkid, 1);
        assert_eq!(again[0].payload, b"{}");
        assert_eq!(restored.publish("d/m", "t", b"", true), 3);
        assert!(!restored.connect("d/clean", 8, false));
    }

    #[test]
    fn revision_changes_only_with_the_persisted_form() {
        let mut s = Sessions::new();
        let r0 = s.revision();
        s.connect("d/c", 1, true);
        s.subscribe("d/c", METHOD_REQUESTS_FILTER, 1);
        s.publish("d/c", "t", b"", true);
        assert_eq!(s.revision(), r0, "clean sessions are not persisted");
        s.connect("d/m", 2, false);
        let r1 = s.revision();
        assert_ne!(r1, r0);
        let pkid = s.publish("d/m", "t", b"", false);
        s.acknowledge("d/m", pkid);
        s.subscribe("d/m", METHOD_REQUESTS_FILTER, 1);
        let r2 = s.revision();
        assert_ne!(r2, r1);
        s.subscribe("d/m", METHOD_REQUESTS_FILTER, 1);
        assert_eq!(
            s.revision(),
            r2,
            "the same subscription again changes nothing"
        );
    }

    #[test]
    fn invalid_persisted_sessions_are_refused_with_the_reason() {
        let json = r#"{"sessions": {"d/m": {"subscriptions": {"x": 2}, "lastPacketId": 0, "inflight": []}}}"#;
        let p: PersistedSessions = serde_json::from_str(json).unwrap();
        let e = Sessions::from_persisted(p).unwrap_err();
        assert!(e.to_string().contains("qos 2"), "{e}");
        let json = r#"{"sessions": {"d/m": {"subscriptions": {}, "lastPacketId": 0, "inflight": [{"packetId": 1, "topic": "t", "payload": "%%"}]}}}"#;
        let p: PersistedSessions = serde_json::from_str(json).unwrap();
        assert!(Sessions::from_persisted(p).is_err());
    }
}
