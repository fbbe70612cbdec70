//! When a refused request is sent again: [`RetryPolicy`], a plain function of the attempt
//! number, the status and whether the request may run twice.
//!
//! IoT Hub throttles (429 `ThrottlingException`) and has short outages (503
//! `ServiceUnavailable`, other 5xx); both are worth a second try after a short pause. A 429 or
//! 503 means the hub did not perform the request, so any request is retried. Other 5xx may
//! come after the work was done, so they are retried only for requests that give the same
//! result when repeated (twin reads and writes, configuration content, identities) and not
//! for a direct method (a 504 means the module got the call and did not answer in time:
//! calling again would run it again and wait as long again).

use std::time::Duration;

/// Whether a request gives the same result when the hub performs it twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeatable {
    /// Twin GET/PATCH/PUT, `applyConfigurationContent`, identity GET/PUT/DELETE.
    Yes,
    /// A direct-method call: the module runs it again.
    No,
}

/// How refused requests are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per call, the first included (at least 1).
    pub max_attempts: u32,
    /// The pause after the first refused attempt; doubled after each further one.
    pub base_delay: Duration,
    /// The longest pause of the doubling.
    pub max_delay: Duration,
    /// The longest pause a `Retry-After` header may ask for; a hub asking for more is
    /// waited on this long (the next answer may ask again).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 250 ms then 500 ms apart (at most 2 s), or as long as the hub's
    /// `Retry-After` says, up to 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_mins(1),
        }
    }
}

/// A `Retry-After` header's delay: whole seconds (`"5"`). IoT Hub sends seconds; an HTTP
/// date or anything else is ignored (`None`), and the backoff applies.
#[must_use]
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

impl RetryPolicy {
    /// No retries: one attempt per call.
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The pause before attempt `attempt + 1` after attempt `attempt` (1 for the first) was
    /// answered with `status`, or `None` when the answer stands.
    #[must_use]
    pub fn delay_after(
        &self,
        attempt: u32,
        status: u16,
        repeatable: Repeatable,
    ) -> Option<Duration> {
        self.delay_after_hint(attempt, status, repeatable, None)
    }

    /// [`Self::delay_after`] for an answer that carried a `Retry-After` of `hint`: the
    /// hub's pause (at most [`Self::max_retry_after`]) replaces the doubling.
    #[must_use]
    pub fn delay_after_hint(
        &self,
        attempt: u32,
        status: u16,
        repeatable: Repeatable,
        hint: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !is_retryable(status, repeatable) {
            return None;
        }
        if let Some(hint) = hint {
            return Some(hint.min(self.max_retry_after));
        }
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        Some(
            self.base_delay
                .checked_mul(factor)
                .map_or(self.max_delay, |d| d.min(self.max_delay)),
        )
    }
}

/// Whether an answer with `status` is worth another attempt (see the module docs).
#[must_use]
pub fn is_retryable(status: u16, repeatable: Repeatable) -> bool {
    match status {
        429 | 503 => true,
        500..=599 => repeatable == Repeatable::Yes,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_after_in_seconds_replaces_the_backoff_up_to_its_cap() {
        let p = RetryPolicy::default();
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(
            p.delay_after_hint(1, 429, Repeatable::Yes, Some(Duration::from_secs(7))),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            p.delay_after_hint(1, 429, Repeatable::Yes, Some(Duration::from_hours(1))),
            Some(Duration::from_mins(1))
        );
        // The hint never makes a final answer retryable, nor an attempt past the last.
        assert_eq!(
            p.delay_after_hint(1, 400, Repeatable::Yes, Some(Duration::from_secs(1))),
            None
        );
        assert_eq!(
            p.delay_after_hint(3, 429, Repeatable::Yes, Some(Duration::from_secs(1))),
            None
        );
    }

    #[test]
    fn throttling_is_retried_twice_with_a_doubling_pause() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay_after(1, 429, Repeatable::Yes),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            p.delay_after(2, 429, Repeatable::Yes),
            Some(Duration::from_millis(500))
        );
        assert_eq!(p.delay_after(3, 429, Repeatable::Yes), None);
    }

    #[test]
    fn server_errors_are_retried_only_for_repeatable_requests() {
        let p = RetryPolicy::default();
        for status in [500, 502, 503, 504] {
            assert!(
                p.delay_after(1, status, Repeatable::Yes).is_some(),
                "{status}"
            );
        }
        assert!(p.delay_after(1, 429, Repeatable::No).is_some());
        assert!(p.delay_after(1, 503, Repeatable::No).is_some());
        assert_eq!(p.delay_after(1, 500, Repeatable::No), None);
        assert_eq!(p.delay_after(1, 504, Repeatable::No), None);
    }

    #[test]
    fn client_errors_are_final() {
        let p = RetryPolicy::default();
        for status in [400, 401, 403, 404, 409, 412] {
            assert_eq!(p.delay_after(1, status, Repeatable::Yes), None, "{status}");
        }
    }

    #[test]
    fn the_pause_is_capped_and_one_attempt_means_no_retry() {
        let p = RetryPolicy {
            max_attempts: 40,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(1),
        };
        assert_eq!(
            p.delay_after(4, 503, Repeatable::Yes),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            p.delay_after(39, 503, Repeatable::Yes),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            RetryPolicy::none().delay_after(1, 429, Repeatable::Yes),
            None
        );
    }
}
