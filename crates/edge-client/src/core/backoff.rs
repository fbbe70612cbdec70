//! Exponential backoff with jitter, computed from an injected random number.
//!
//! Used for reconnects and for retrying twin requests that the hub throttled (429) or failed
//! (5xx). The schedule is a pure function of the attempt number and a uniform random value in
//! `[0, 1)`, so tests pin the randomness and check the bounds.

use std::time::Duration;

/// An exponential backoff schedule with "equal jitter": attempt `n` waits a random time
/// between half and all of `min(initial * 2^n, max)`.
///
/// Equal jitter (rather than full jitter) keeps a floor under every delay, so a burst of
/// failures never turns into a busy loop, while still spreading the reconnects of many
/// modules after an edgeHub restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The un-jittered delay of the first attempt.
    pub initial: Duration,
    /// The largest un-jittered delay; every delay is at most this.
    pub max: Duration,
}

impl Backoff {
    /// A schedule from `initial` doubling up to `max`.
    #[must_use]
    pub const fn new(initial: Duration, max: Duration) -> Self {
        Self { initial, max }
    }

    /// The un-jittered delay of attempt `attempt` (0-based): `min(initial * 2^attempt, max)`.
    #[must_use]
    pub fn ceiling(&self, attempt: u32) -> Duration {
        // 2^31 already exceeds any sensible cap; saturating arithmetic keeps it bounded.
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.initial.saturating_mul(factor).min(self.max)
    }

    /// The delay before attempt `attempt` given `unit`, a uniform random value in `[0, 1)`.
    ///
    /// Always within `[ceiling / 2, ceiling]`; values of `unit` outside `[0, 1]` are clamped.
    #[must_use]
    pub fn delay(&self, attempt: u32, unit: f64) -> Duration {
        let ceiling = self.ceiling(attempt);
        let half = ceiling / 2;
        let unit = if unit.is_nan() {
            0.0
        } else {
            unit.clamp(0.0, 1.0)
        };
        half + ceiling.saturating_sub(half).mul_f64(unit)
    }
}

impl Default for Backoff {
    /// 100 ms doubling to 30 s.
    fn default() -> Self {
        Self::new(Duration::from_millis(100), Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));

    #[test]
    fn delays_double_until_the_cap() {
        assert_eq!(B.ceiling(0), Duration::from_millis(100));
        assert_eq!(B.ceiling(1), Duration::from_millis(200));
        assert_eq!(B.ceiling(3), Duration::from_millis(800));
        assert_eq!(B.ceiling(7), Duration::from_secs(10));
        assert_eq!(B.ceiling(u32::MAX), Duration::from_secs(10));
    }

    #[test]
    fn jittered_delay_stays_between_half_and_all_of_the_ceiling() {
        for attempt in [0, 1, 5, 40, u32::MAX] {
            let ceiling = B.ceiling(attempt);
            for unit in [0.0, 0.25, 0.5, 0.999_999, 1.0] {
                let d = B.delay(attempt, unit);
                assert!(d >= ceiling / 2 && d <= ceiling, "{attempt} {unit} {d:?}");
            }
        }
    }

    #[test]
    fn random_values_outside_the_unit_interval_are_clamped() {
        assert_eq!(B.delay(0, -3.0), Duration::from_millis(50));
        assert_eq!(B.delay(0, 7.0), Duration::from_millis(100));
        assert_eq!(B.delay(0, f64::NAN), Duration::from_millis(50));
    }

    #[test]
    fn no_delay_ever_exceeds_the_cap() {
        let huge = Backoff::new(Duration::from_secs(u64::MAX / 4), Duration::from_mins(1));
        assert_eq!(huge.delay(3, 1.0), Duration::from_mins(1));
    }
}
