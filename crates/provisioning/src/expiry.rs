//! Expiry watch (OPC 10000-12 §7.8.3 `CertificateExpirationAlarm`, default limit 14 days, and
//! the spirit of §7.8.2.11 `TrustListOutOfDateAlarm`): days left per certificate, whether a
//! CRL is past its `nextUpdate`, the summary a fleet query filters on, and the warnings a
//! module logs once per item per day. Time is an argument everywhere.

use std::collections::BTreeMap;

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::contract::{ExpiryReport, ExpiryStatus, ReportedPki, SoonestReport};

const SECONDS_PER_DAY: i64 = 86_400;

/// Whole days from `now` until `not_after`, rounded down: 0 during the last day, -1 during
/// the first day after it.
#[must_use]
pub fn days_left(not_after: OffsetDateTime, now: OffsetDateTime) -> i64 {
    (not_after - now)
        .whole_seconds()
        .div_euclid(SECONDS_PER_DAY)
}

/// Whether a certificate valid until `not_after` is within the warning limit.
fn within(not_after: OffsetDateTime, now: OffsetDateTime, warning_days: u32) -> bool {
    not_after - now <= Duration::days(i64::from(warning_days))
}

/// One certificate of a report with its place (`applicationCert`, `trusted.<name>`).
struct Dated<'a> {
    item: String,
    subject: &'a str,
    thumbprint: &'a str,
    not_after: OffsetDateTime,
}

fn dated(report: &ReportedPki) -> Vec<Dated<'_>> {
    let mut out = Vec::new();
    if let Some(own) = &report.application_cert {
        out.push(Dated {
            item: "applicationCert".to_owned(),
            subject: &own.subject,
            thumbprint: &own.thumbprint,
            not_after: own.not_after,
        });
    }
    for (list, entries) in [("trusted", &report.trusted), ("issuers", &report.issuers)] {
        for (name, entry) in entries {
            if let Some(not_after) = entry.not_after {
                out.push(Dated {
                    item: format!("{list}.{name}"),
                    subject: entry.subject.as_deref().unwrap_or_default(),
                    thumbprint: &entry.thumbprint,
                    not_after,
                });
            }
        }
    }
    out
}

/// The expiry summary of a report whose certificates and CRLs are filled in.
#[must_use]
pub fn summary(report: &ReportedPki, warning_days: u32, now: OffsetDateTime) -> ExpiryReport {
    let certificates = dated(report);
    let mut status = ExpiryStatus::Ok;
    for cert in &certificates {
        if cert.not_after <= now {
            status = ExpiryStatus::Expired;
        } else if within(cert.not_after, now, warning_days) {
            status = status.max(ExpiryStatus::Warning);
        }
    }
    let crls_out_of_date: Vec<String> = report
        .crls
        .iter()
        .filter(|(_, crl)| crl.out_of_date)
        .map(|(name, _)| name.clone())
        .collect();
    if !crls_out_of_date.is_empty() {
        status = status.max(ExpiryStatus::Warning);
    }
    let soonest = certificates
        .iter()
        .min_by_key(|c| c.not_after)
        .map(|c| SoonestReport {
            item: c.item.clone(),
            subject: c.subject.to_owned(),
            thumbprint: c.thumbprint.to_owned(),
            not_after: c.not_after,
            days_left: days_left(c.not_after, now),
        });
    ExpiryReport {
        status,
        warning_days,
        soonest,
        crls_out_of_date,
    }
}

/// Something that expires soon or has expired, for the module's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiryWarning {
    /// What identifies the item across passes (its place and thumbprint).
    pub key: String,
    /// The line to log.
    pub message: String,
}

/// The warnings of a report: certificates within the limit or expired, CRLs out of date.
#[must_use]
pub fn warnings(report: &ReportedPki, now: OffsetDateTime) -> Vec<ExpiryWarning> {
    let warning_days = report.expiry.warning_days;
    let mut out = Vec::new();
    for cert in dated(report) {
        if !within(cert.not_after, now, warning_days) {
            continue;
        }
        let what = if cert.item == "applicationCert" {
            "The application certificate".to_owned()
        } else {
            format!("The certificate {}", cert.item)
        };
        let days = days_left(cert.not_after, now);
        let when = if cert.not_after <= now {
            match (now - cert.not_after).whole_days() {
                0 => "expired less than a day ago".to_owned(),
                ago => format!("expired {ago} day(s) ago"),
            }
        } else if days == 0 {
            "expires within a day".to_owned()
        } else {
            format!("expires in {days} day(s)")
        };
        out.push(ExpiryWarning {
            key: format!("{} {}", cert.item, cert.thumbprint),
            message: format!(
                "{what} '{}' with thumbprint '{}' {when} ({}).",
                cert.subject,
                cert.thumbprint,
                rfc3339(cert.not_after)
            ),
        });
    }
    for (name, crl) in &report.crls {
        if !crl.out_of_date {
            continue;
        }
        let due = crl.next_update.map(rfc3339).unwrap_or_default();
        out.push(ExpiryWarning {
            key: format!("crls.{name} {due}"),
            message: format!(
                "The CRL crls.{name} issued by '{}' is out of date: its next update was due {due}.",
                crl.issuer
            ),
        });
    }
    out
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// Remembers when each warning was last logged, so a module that reports every 30 s logs
/// each one once a day (again 24 hours after the last time).
#[derive(Debug, Default)]
pub struct ExpiryLog {
    logged: BTreeMap<String, OffsetDateTime>,
}

impl ExpiryLog {
    /// An empty log.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The warnings not logged within the last day; forgets items that no longer warn (a
    /// renewed certificate that expires again later is warned about again).
    pub fn due(&mut self, warnings: Vec<ExpiryWarning>, now: OffsetDateTime) -> Vec<ExpiryWarning> {
        self.logged
            .retain(|key, _| warnings.iter().any(|w| w.key == *key));
        warnings
            .into_iter()
            .filter(|w| match self.logged.get(&w.key) {
                Some(last) if now - *last < Duration::days(1) => false,
                _ => {
                    self.logged.insert(w.key.clone(), now);
                    true
                }
            })
            .collect()
    }
}
