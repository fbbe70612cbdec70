//! IoT Hub's throttling of the service API: a token bucket of `rate` requests per second
//! holding at most `burst` tokens (full at the start). A request finding no token is answered
//! `429` with `ErrorCode:ThrottlingException` and `Retry-After: <seconds>` (the whole seconds
//! until a token is there again, at least 1), and counted; admitted requests are counted too.
//!
//! [`TokenBucket`] is sans-io (the time is an argument); [`Throttle`] is the shared handle the
//! service API and `Running::throttle` use. Off by default.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// A rate limit: `rate` requests per second, bursts of up to `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests per second (> 0).
    pub rate: f64,
    /// Bucket size (at least 1).
    pub burst: u32,
}

impl Eq for RateLimit {}

impl RateLimit {
    /// `rate` requests per second with a burst of one second's worth (at least 1).
    #[must_use]
    pub fn per_second(rate: u32) -> Self {
        Self {
            rate: f64::from(rate.max(1)),
            burst: rate.max(1),
        }
    }
}

/// The token bucket, sans-io.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    at: Instant,
}

impl TokenBucket {
    /// A full bucket at `now`.
    #[must_use]
    pub fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            limit,
            tokens: f64::from(limit.burst.max(1)),
            at: now,
        }
    }

    /// Takes a token at `now`: `Ok(())`, or `Err(retry_after)` when none is left.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let rate = if self.limit.rate > 0.0 {
            self.limit.rate
        } else {
            1.0
        };
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(f64::from(self.limit.burst.max(1)));
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / rate))
        }
    }
}

/// The whole seconds of a `Retry-After` header for `wait` (rounded up, at least 1).
#[must_use]
pub fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0))
        .max(1)
}

/// The service API's throttle: an optional bucket and the counts of refusals and admissions.
#[derive(Debug, Default)]
pub struct Throttle {
    bucket: Mutex<Option<TokenBucket>>,
    throttled: AtomicU64,
    admitted: AtomicU64,
}

impl Throttle {
    /// A throttle with `limit` (or none).
    #[must_use]
    pub fn new(limit: Option<RateLimit>) -> Self {
        Self {
            bucket: Mutex::new(limit.map(|l| TokenBucket::new(l, Instant::now()))),
            throttled: AtomicU64::new(0),
            admitted: AtomicU64::new(0),
        }
    }

    /// Sets (or with `None` removes) the limit; the bucket starts full.
    pub fn set(&self, limit: Option<RateLimit>) {
        *self.bucket.lock().unwrap_or_else(PoisonError::into_inner) =
            limit.map(|l| TokenBucket::new(l, Instant::now()));
    }

    /// Admits a request now, or says how long to wait; either is counted.
    pub fn admit(&self) -> Result<(), Duration> {
        let mut bucket = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        let taken = bucket.as_mut().map_or(Ok(()), |b| b.take(Instant::now()));
        let count = if taken.is_ok() {
            &self.admitted
        } else {
            &self.throttled
        };
        count.fetch_add(1, Ordering::Relaxed);
        taken
    }

    /// How many requests were admitted since the start (with or without a limit).
    #[must_use]
    pub fn admitted(&self) -> u64 {
        self.admitted.load(Ordering::Relaxed)
    }

    /// How many requests were answered 429 by the throttle since the start.
    #[must_use]
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_beyond_the_bucket_waits_for_the_rate() {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(
            RateLimit {
                rate: 2.0,
                burst: 3,
            },
            t0,
        );
        for _ in 0..3 {
            bucket.take(t0).unwrap();
        }
        let wait = bucket.take(t0).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        // Half a second later one token is back, then it is empty again.
        let t1 = t0 + Duration::from_millis(500);
        bucket.take(t1).unwrap();
        assert!(bucket.take(t1).is_err());
        // A long pause refills to the burst, not beyond.
        let t2 = t1 + Duration::from_mins(1);
        for _ in 0..3 {
            bucket.take(t2).unwrap();
        }
        assert!(bucket.take(t2).is_err());
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_secs(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(1001)), 2);
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
    }

    #[test]
    fn the_throttle_counts_refusals_and_admissions_and_can_be_turned_off() {
        let throttle = Throttle::new(Some(RateLimit::per_second(1)));
        assert!(throttle.admit().is_ok());
        assert!(throttle.admit().is_err());
        assert!(throttle.admit().is_err());
        assert_eq!((throttle.admitted(), throttle.throttled()), (1, 2));
        throttle.set(None);
        assert!(throttle.admit().is_ok());
        assert!(throttle.admit().is_ok());
        assert_eq!((throttle.admitted(), throttle.throttled()), (3, 2));
    }
}
