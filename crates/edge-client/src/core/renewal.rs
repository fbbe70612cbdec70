//! When to renew the SAS token that authenticates the MQTT connection.
//!
//! A token is signed for `ttl` from now (`se = now + ttl`, docs/reference/iot-edge.md §1.3) and
//! renewed after a fraction of its life (80 % by default), early enough that a slow workload `sign`
//! call or a reconnect never runs into the expiry. edgeHub re-authenticates connections
//! periodically and drops those whose token expired (`ConnectionReauthenticator.cs`), so a renewed
//! token is presented by reconnecting.

use std::time::{Duration, Instant};

/// The shortest renewal interval: a very short TTL must not turn into a reconnect loop.
pub const MIN_RENEWAL_INTERVAL: Duration = Duration::from_secs(1);

/// Token lifetime and renewal point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenewalSchedule {
    ttl: Duration,
    fraction: f64,
}

impl RenewalSchedule {
    /// A schedule for tokens living `ttl` (at least one second), renewed after `fraction` of
    /// it (clamped to `0.1..=0.95`).
    #[must_use]
    pub fn new(ttl: Duration, fraction: f64) -> Self {
        let fraction = if fraction.is_nan() {
            0.8
        } else {
            fraction.clamp(0.1, 0.95)
        };
        Self {
            ttl: ttl.max(Duration::from_secs(1)),
            fraction,
        }
    }

    /// The token lifetime.
    #[must_use]
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The `se` of a token signed at `now_unix` (seconds since the Unix epoch).
    #[must_use]
    pub fn expiry(&self, now_unix: u64) -> u64 {
        // SAS expiries are whole seconds; round the TTL up so it is never shorter than asked.
        let ttl = self.ttl.as_secs() + u64::from(self.ttl.subsec_nanos() > 0);
        now_unix.saturating_add(ttl)
    }

    /// How long after signing the token is renewed: `fraction * ttl`, at least
    /// [`MIN_RENEWAL_INTERVAL`].
    #[must_use]
    pub fn renew_after(&self) -> Duration {
        self.ttl.mul_f64(self.fraction).max(MIN_RENEWAL_INTERVAL)
    }

    /// The instant to renew a token signed at `signed_at`.
    #[must_use]
    pub fn renew_at(&self, signed_at: Instant) -> Instant {
        signed_at + self.renew_after()
    }
}

impl Default for RenewalSchedule {
    /// One hour (the Python SDK's `sastoken_ttl`), renewed at 80 %.
    fn default() -> Self {
        Self::new(Duration::from_secs(hub_proto::sas::DEFAULT_TTL_SECS), 0.8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_token_lives_an_hour_and_is_renewed_after_48_minutes() {
        let s = RenewalSchedule::default();
        assert_eq!(s.expiry(1_000), 4_600);
        assert_eq!(s.renew_after(), Duration::from_mins(48));
    }

    #[test]
    fn renewal_happens_before_expiry_for_every_ttl() {
        for secs in [1, 2, 5, 60, 3600, 86_400] {
            let s = RenewalSchedule::new(Duration::from_secs(secs), 0.8);
            let now = Instant::now();
            assert!(s.renew_at(now) <= now + s.ttl(), "ttl {secs}");
            assert!(s.renew_after() >= MIN_RENEWAL_INTERVAL);
        }
    }

    #[test]
    fn fractional_ttl_rounds_the_expiry_up() {
        let s = RenewalSchedule::new(Duration::from_millis(2_500), 0.8);
        assert_eq!(s.expiry(100), 103);
        assert_eq!(s.renew_after(), Duration::from_secs(2));
    }

    #[test]
    fn absurd_fractions_are_clamped() {
        let s = RenewalSchedule::new(Duration::from_secs(100), 5.0);
        assert_eq!(s.renew_after(), Duration::from_secs(95));
        let s = RenewalSchedule::new(Duration::from_secs(100), f64::NAN);
        assert_eq!(s.renew_after(), Duration::from_secs(80));
    }
}
