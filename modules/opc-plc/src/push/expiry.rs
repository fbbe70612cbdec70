//! `CertificateExpirationAlarm` (OPC 10000-12 §7.8.5) for the application certificate: an event
//! of type `i=13225` from the `Server` object when the certificate is within `ExpirationLimit`
//! (two weeks) of its end, with `ExpirationDate`, `ExpirationLimit`, `CertificateType` and
//! `Certificate`.
//!
//! [`ExpiryAlarm::due`] is the rule, a function of the certificate and the time: raise when the
//! certificate enters the limit, again for every new certificate still within it, and at most
//! every [`REPEAT`] while it stays there (events are not retained: a client subscribing later
//! sees the next one), and again whenever a client creates an event monitored item
//! ([`ExpiryAlarm::refresh`], like `ConditionRefresh`). The PLC's serve loop asks it every second
//! ([`ExpiryAlarm::poll`]).

use std::time::Duration;

use ::ua::{AddressSpace, ua};
use pki::Thumbprint;
use time::OffsetDateTime;

use super::args;
use super::nodes::{SERVER, default_application_group as group, expiration_alarm};

/// `ExpirationLimit`: two weeks, the default of OPC 10000-12.
pub const EXPIRATION_LIMIT: Duration = Duration::from_hours(14 * 24);
/// How often the alarm is raised again while the certificate stays within the limit.
pub const REPEAT: Duration = Duration::from_hours(1);

/// One alarm to raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    /// When the certificate ends.
    pub expiration_date: OffsetDateTime,
    /// Whole days left (negative once expired).
    pub days_left: i64,
    /// 900 once expired, 700 within the limit.
    pub severity: u16,
    /// The event's message.
    pub message: String,
}

/// When the alarm was last raised, and for which certificate.
#[derive(Debug, Clone, Default)]
pub struct ExpiryAlarm {
    last: Option<(Thumbprint, OffsetDateTime)>,
}

impl ExpiryAlarm {
    /// The alarm to raise now for the certificate `thumbprint` ending at `not_after`, if any.
    pub fn due(
        &mut self,
        thumbprint: Thumbprint,
        not_after: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Option<Alarm> {
        let left = not_after - now;
        if left > EXPIRATION_LIMIT {
            self.last = None;
            return None;
        }
        let repeat_due = match &self.last {
            Some((t, at)) => *t != thumbprint || now - *at >= REPEAT,
            None => true,
        };
        if !repeat_due {
            return None;
        }
        self.last = Some((thumbprint, now));
        let days_left = left.whole_days();
        let expired = left.is_negative();
        let message = if expired {
            format!("The application certificate {thumbprint} expired on {not_after}.")
        } else {
            format!(
                "The application certificate {thumbprint} expires on {not_after} ({days_left} days left)."
            )
        };
        Some(Alarm {
            expiration_date: not_after,
            days_left,
            severity: if expired { 900 } else { 700 },
            message,
        })
    }

    /// Forgets when the alarm was last raised, so the next [`Self::due`] raises it again if the
    /// certificate is within the limit: a new event subscriber gets the current state (what
    /// `ConditionRefresh` does for a real condition).
    pub fn refresh(&mut self) {
        self.last = None;
    }

    /// Raises the alarm on the server when it is due for `certificate`; errors are logged.
    pub fn poll(
        &mut self,
        space: &AddressSpace,
        certificate: &pki::Certificate,
        now: OffsetDateTime,
    ) {
        let Some(alarm) = self.due(certificate.thumbprint(), certificate.not_after(), now) else {
            return;
        };
        tracing::warn!(target: "push", days_left = alarm.days_left, "{}", alarm.message);
        let limit_ms = EXPIRATION_LIMIT.as_secs_f64() * 1000.0;
        let fields = [
            ("/ExpirationDate", args::date_time(alarm.expiration_date)),
            ("/ExpirationLimit", args::double(limit_ms)),
            (
                "/CertificateType",
                ua::Variant::scalar(ua::NodeId::ns0(
                    group::RSA_SHA256_APPLICATION_CERTIFICATE_TYPE,
                )),
            ),
            ("/Certificate", args::bytes(certificate.der())),
        ];
        if let Err(e) = space.emit_event(
            &ua::NodeId::ns0(SERVER),
            &ua::NodeId::ns0(expiration_alarm::TYPE),
            alarm.severity,
            &alarm.message,
            &fields,
        ) {
            tracing::error!(target: "push", "The certificate expiration alarm could not be raised: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::datetime;

    use super::*;

    fn thumbprint(byte: u8) -> Thumbprint {
        format!("{byte:02X}").repeat(20).parse().unwrap()
    }

    #[test]
    fn nothing_is_raised_while_more_than_two_weeks_are_left() {
        let mut alarm = ExpiryAlarm::default();
        let now = datetime!(2026-12-01 00:00 UTC);
        assert_eq!(
            alarm.due(thumbprint(1), now + time::Duration::days(15), now),
            None
        );
    }

    #[test]
    fn entering_the_limit_raises_once_then_again_after_an_hour() {
        let mut alarm = ExpiryAlarm::default();
        let now = datetime!(2026-12-01 00:00 UTC);
        let end = now + time::Duration::days(5);
        let first = alarm.due(thumbprint(1), end, now).unwrap();
        assert_eq!(first.days_left, 5);
        assert_eq!(first.severity, 700);
        assert!(first.message.contains("5 days left"), "{}", first.message);
        assert_eq!(
            alarm.due(thumbprint(1), end, now + time::Duration::minutes(59)),
            None
        );
        assert!(
            alarm
                .due(thumbprint(1), end, now + time::Duration::hours(1))
                .is_some()
        );
    }

    #[test]
    fn a_new_certificate_within_the_limit_raises_at_once() {
        let mut alarm = ExpiryAlarm::default();
        let now = datetime!(2026-12-01 00:00 UTC);
        assert!(
            alarm
                .due(thumbprint(1), now + time::Duration::days(3), now)
                .is_some()
        );
        assert!(
            alarm
                .due(thumbprint(2), now + time::Duration::days(9), now)
                .is_some()
        );
    }

    #[test]
    fn a_refresh_raises_the_current_alarm_again_at_once() {
        let mut alarm = ExpiryAlarm::default();
        let now = datetime!(2026-12-01 00:00 UTC);
        let end = now + time::Duration::days(5);
        assert!(alarm.due(thumbprint(1), end, now).is_some());
        assert_eq!(
            alarm.due(thumbprint(1), end, now + time::Duration::seconds(1)),
            None
        );
        alarm.refresh();
        assert!(
            alarm
                .due(thumbprint(1), end, now + time::Duration::seconds(2))
                .is_some()
        );
        alarm.refresh();
        assert_eq!(
            alarm.due(thumbprint(1), now + time::Duration::days(30), now),
            None
        );
    }

    #[test]
    fn an_expired_certificate_is_raised_with_a_higher_severity() {
        let mut alarm = ExpiryAlarm::default();
        let now = datetime!(2026-12-01 00:00 UTC);
        let raised = alarm
            .due(thumbprint(1), now - time::Duration::days(2), now)
            .unwrap();
        assert_eq!(raised.severity, 900);
        assert!(raised.message.contains("expired"), "{}", raised.message);
    }

    #[test]
    fn a_renewed_certificate_clears_the_alarm_so_the_next_entry_raises_again() {
        let mut alarm = ExpiryAlarm::default();
        let now = datetime!(2026-12-01 00:00 UTC);
        assert!(
            alarm
                .due(thumbprint(1), now + time::Duration::days(3), now)
                .is_some()
        );
        assert_eq!(
            alarm.due(thumbprint(2), now + time::Duration::days(365), now),
            None
        );
        assert!(
            alarm
                .due(thumbprint(1), now + time::Duration::days(3), now)
                .is_some()
        );
    }
}
