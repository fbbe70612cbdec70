//! MQTT sessions: subscriptions per client id, kept across connections for
//! `clean_session = 0` (MQTT 3.1.1 §3.1.2.4), sans-io.
//!
//! The Python SDK does not SUBSCRIBE again after a reconnect and relies on the server keeping
//! its session (reference §0.3), as edgeHub does. A session belongs to the connection that
//! opened it last, so a connection replaced by a newer one cannot discard its successor's
//! session when it finally closes.

use std::collections::{BTreeMap, HashMap};

use hub_proto::Subscription;

/// Highest `QoS` granted: IoT Hub grants `QoS` 2 subscriptions as `QoS` 1 (reference §1.1).
pub const MAX_GRANTED_QOS: u8 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Session {
    /// The connection that owns the session now.
    owner: u64,
    /// Whether the session outlives the connection (`clean_session = 0`).
    persistent: bool,
    /// Filter → granted `QoS`.
    filters: BTreeMap<String, u8>,
}

/// All sessions of the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sessions {
    by_client: HashMap<String, Session>,
}

impl Sessions {
    /// An empty session store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Connection `connection` of `client_id` starts; returns CONNACK's session-present flag.
    ///
    /// With `clean` the previous session is discarded and a fresh one lasts as long as the
    /// connection; without it the previous session is resumed (or a persistent one started).
    pub fn connect(&mut self, client_id: &str, connection: u64, clean: bool) -> bool {
        if clean {
            self.by_client.insert(
                client_id.to_owned(),
                Session {
                    owner: connection,
                    persistent: false,
                    filters: BTreeMap::new(),
                },
            );
            return false;
        }
        let present = self.by_client.get(client_id).is_some_and(|s| s.persistent);
        let session = self.by_client.entry(client_id.to_owned()).or_default();
        if !present {
            session.filters.clear();
        }
        session.owner = connection;
        session.persistent = true;
        present
    }

    /// Records a subscription; returns the granted `QoS`.
    pub fn subscribe(&mut self, client_id: &str, filter: &str, requested_qos: u8) -> u8 {
        let granted = requested_qos.min(MAX_GRANTED_QOS);
        if let Some(session) = self.by_client.get_mut(client_id) {
            session.filters.insert(filter.to_owned(), granted);
        }
        granted
    }

    /// Removes a subscription.
    pub fn unsubscribe(&mut self, client_id: &str, filter: &str) {
        if let Some(session) = self.by_client.get_mut(client_id) {
            session.filters.remove(filter);
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
        assert!(!s.connect("d/m", 2, true));
        assert!(!s.is_subscribed("d/m", Subscription::Methods));
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
}
