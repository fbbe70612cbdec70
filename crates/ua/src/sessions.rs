//! Which peer certificate each open session was admitted with, for live revocation.
//!
//! open62541 verifies a peer only at `OpenSecureChannel` and `CreateSession`, never again
//! (docs/reference/open62541.md): a CRL that arrives later does not touch channels and sessions
//! already open. The server's channel and session notifications fill a [`SessionTable`] (session →
//! secure channel → the certificate the peer presented at OPN); when the trust store changes,
//! the server thread re-checks every session's certificate and closes the ones now refused.
//! Plain data, no I/O: the C callbacks in `ffi::tracking` only move ids and bytes in.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::identity::SecurityMode;

/// How often the server thread asks the trust cache whether the store changed (well inside the
/// 2 s the issue allows between a CRL written and the revoked session closed).
pub(crate) const RECHECK_INTERVAL: Duration = Duration::from_millis(750);

/// Open secure channels with their peer certificate, and the channel each session is bound to.
#[derive(Debug)]
pub(crate) struct SessionTable<K> {
    channels: HashMap<u32, Vec<u8>>,
    /// The message security mode of each open channel (for methods that need encryption).
    modes: HashMap<u32, SecurityMode>,
    sessions: Vec<(K, u32)>,
}

impl<K> Default for SessionTable<K> {
    fn default() -> Self {
        Self {
            channels: HashMap::new(),
            modes: HashMap::new(),
            sessions: Vec::new(),
        }
    }
}

impl<K: PartialEq + Clone> SessionTable<K> {
    /// `SECURECHANNEL_OPENED`: `certificate` is what the peer sent at OPN (leaf first; empty on
    /// the None policy).
    pub(crate) fn channel_opened(&mut self, channel: u32, certificate: Vec<u8>) {
        self.channels.insert(channel, certificate);
    }

    /// The security mode the channel negotiated at OPN (from the same notification).
    pub(crate) fn channel_mode(&mut self, channel: u32, mode: SecurityMode) {
        self.modes.insert(channel, mode);
    }

    /// `SECURECHANNEL_CLOSED`.
    pub(crate) fn channel_closed(&mut self, channel: u32) {
        self.channels.remove(&channel);
        self.modes.remove(&channel);
    }

    /// The security mode of the channel `session` is bound to now; `None` when the session or
    /// its channel's mode is unknown (callers then refuse what needs encryption).
    pub(crate) fn security_mode(&self, session: &K) -> Option<SecurityMode> {
        let (_, channel) = self.sessions.iter().find(|(s, _)| s == session)?;
        self.modes.get(channel).copied()
    }

    /// `SESSION_ACTIVATED` (again on another channel after a reconnect: the binding moves).
    pub(crate) fn session_activated(&mut self, session: K, channel: u32) {
        match self.sessions.iter_mut().find(|(s, _)| *s == session) {
            Some(entry) => entry.1 = channel,
            None => self.sessions.push((session, channel)),
        }
    }

    /// `SESSION_CLOSED`.
    pub(crate) fn session_closed(&mut self, session: &K) {
        self.sessions.retain(|(s, _)| s != session);
    }

    /// Number of tracked sessions.
    pub(crate) fn session_count(&self) -> usize {
        self.sessions.len()
    }

    /// Every session bound to a channel with a peer certificate, with that certificate.
    pub(crate) fn sessions_with_certificates(&self) -> Vec<(K, Vec<u8>)> {
        self.sessions
            .iter()
            .filter_map(|(session, channel)| {
                let cert = self.channels.get(channel)?;
                (!cert.is_empty()).then(|| (session.clone(), cert.clone()))
            })
            .collect()
    }

    /// Every tracked session (to close them all after the own certificate changed).
    pub(crate) fn all_sessions(&self) -> Vec<K> {
        self.sessions.iter().map(|(s, _)| s.clone()).collect()
    }
}

/// When to look at the trust cache again, and which of its generations was checked last.
#[derive(Debug, Default)]
pub(crate) struct RecheckClock {
    last_look: Option<Instant>,
    checked_generation: Option<u64>,
}

impl RecheckClock {
    /// Whether a look at the cache is due at `now` (at most once per [`RECHECK_INTERVAL`]).
    pub(crate) fn due(&mut self, now: Instant) -> bool {
        let due = self
            .last_look
            .is_none_or(|last| now.saturating_duration_since(last) >= RECHECK_INTERVAL);
        if due {
            self.last_look = Some(now);
        }
        due
    }

    /// Whether `generation` differs from the one checked last (the first one seen only sets
    /// the baseline: every session open then was verified against it).
    pub(crate) fn changed(&mut self, generation: u64) -> bool {
        let previous = self.checked_generation.replace(generation);
        previous.is_some_and(|p| p != generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_checked_with_the_certificate_of_its_channel() {
        let mut table = SessionTable::default();
        table.channel_opened(1, b"alice".to_vec());
        table.channel_opened(2, b"bob".to_vec());
        table.session_activated("s1", 1);
        table.session_activated("s2", 2);
        assert_eq!(
            table.sessions_with_certificates(),
            vec![("s1", b"alice".to_vec()), ("s2", b"bob".to_vec())]
        );
    }

    #[test]
    fn a_session_activated_on_another_channel_follows_it() {
        let mut table = SessionTable::default();
        table.channel_opened(1, b"old".to_vec());
        table.channel_opened(2, b"new".to_vec());
        table.session_activated("s", 1);
        table.session_activated("s", 2);
        assert_eq!(table.session_count(), 1);
        assert_eq!(
            table.sessions_with_certificates(),
            vec![("s", b"new".to_vec())]
        );
    }

    #[test]
    fn closed_sessions_and_channels_are_forgotten() {
        let mut table = SessionTable::default();
        table.channel_opened(1, b"cert".to_vec());
        table.session_activated("s1", 1);
        table.session_activated("s2", 1);
        table.session_closed(&"s1");
        assert_eq!(table.all_sessions(), vec!["s2"]);
        table.channel_closed(1);
        assert!(table.sessions_with_certificates().is_empty());
    }

    #[test]
    fn sessions_without_a_peer_certificate_are_not_rechecked() {
        let mut table = SessionTable::default();
        table.channel_opened(1, Vec::new());
        table.session_activated("anonymous-none", 1);
        assert!(table.sessions_with_certificates().is_empty());
        assert_eq!(table.all_sessions(), vec!["anonymous-none"]);
    }

    #[test]
    fn a_session_has_the_security_mode_of_the_channel_it_is_bound_to_now() {
        let mut table = SessionTable::default();
        table.channel_opened(1, b"cert".to_vec());
        table.channel_mode(1, SecurityMode::Sign);
        table.channel_opened(2, b"cert".to_vec());
        table.channel_mode(2, SecurityMode::SignAndEncrypt);
        table.session_activated("s", 1);
        assert_eq!(table.security_mode(&"s"), Some(SecurityMode::Sign));
        table.session_activated("s", 2);
        assert_eq!(
            table.security_mode(&"s"),
            Some(SecurityMode::SignAndEncrypt)
        );
        table.channel_closed(2);
        assert_eq!(table.security_mode(&"s"), None);
        assert_eq!(table.security_mode(&"unknown"), None);
    }

    #[test]
    fn the_cache_is_looked_at_about_once_a_second() {
        let mut clock = RecheckClock::default();
        let t0 = Instant::now();
        assert!(clock.due(t0));
        assert!(!clock.due(t0 + Duration::from_millis(400)));
        assert!(clock.due(t0 + RECHECK_INTERVAL));
    }

    #[test]
    fn only_a_new_generation_after_the_first_triggers_a_recheck() {
        let mut clock = RecheckClock::default();
        assert!(!clock.changed(3));
        assert!(!clock.changed(3));
        assert!(clock.changed(4));
        assert!(!clock.changed(4));
    }
}
