//! The expiry watch with time as an argument: days left, a certificate near its end and a CRL
//! past its `nextUpdate` as warnings, an expired certificate, the warning limit from the twin,
//! and one log line per item per day.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASE64, Engine as _, b64, context, module_store, run_as};
use pki::Store;
use provisioning::contract::ExpiryStatus;
use provisioning::expiry::{ExpiryLog, days_left, warnings};
use provisioning::{Context, Section, Status};
use serde_json::{Value, json};
use test_support::{Ca, CaSpec, CrlSpec, now};
use time::Duration;

/// A store trusting a CA valid for 13.5 more days whose CRL is due in 3 days (half days keep
/// the counts clear of the seconds that pass while the test runs).
fn store_with_expiring_trust() -> (test_support::TestStore, Store, Ca, Value) {
    let (dir, store) = module_store();
    let t0 = now();
    let ca = Ca::root_with(CaSpec::new("Short CA").valid(
        t0 - Duration::days(30),
        t0 + Duration::days(13) + Duration::hours(12),
    ));
    let crl =
        ca.crl_with(CrlSpec::new(1).valid(t0 - Duration::hours(1), Some(t0 + Duration::days(3))));
    let desired = json!({
        "trusted": { "shortCa": b64(ca.cert()) },
        "crls": { "shortCa": BASE64.encode(crl) },
    });
    let applied = run_as(&store, Some(&desired), 2, Section::OwnPki, &context());
    assert_eq!(
        applied.outcome.status,
        Status::Applied,
        "{:?}",
        applied.outcome.error
    );
    (dir, store, ca, desired)
}

fn at(offset: Duration) -> Context {
    Context {
        now: now() + offset,
        ..context()
    }
}

#[test]
fn days_left_count_whole_days_and_go_negative_after_expiry() {
    let t = now();
    assert_eq!(days_left(t + Duration::days(5) + Duration::hours(3), t), 5);
    assert_eq!(days_left(t + Duration::hours(3), t), 0);
    assert_eq!(days_left(t - Duration::hours(3), t), -1);
    assert_eq!(days_left(t - Duration::days(2), t), -2);
}

#[test]
fn a_certificate_expiring_in_five_days_and_a_crl_past_its_next_update_are_warnings() {
    let (_dir, store, ca, desired) = store_with_expiring_trust();
    // Today: 13.5 days left (within the default 14), the CRL current.
    let today = run_as(&store, Some(&desired), 2, Section::OwnPki, &context());
    let expiry = &today.reported.expiry;
    assert_eq!(expiry.status, ExpiryStatus::Warning);
    assert_eq!(expiry.warning_days, 14);
    assert!(expiry.crls_out_of_date.is_empty());
    assert!(!today.reported.crls["shortCa"].out_of_date);

    // Eight days later: 5.5 days left, the CRL overdue. Nothing was written, the report
    // changed.
    let later = run_as(
        &store,
        Some(&desired),
        2,
        Section::OwnPki,
        &at(Duration::days(8)),
    );
    assert!(!later.changed);
    let r = &later.reported;
    assert_eq!(r.trusted["shortCa"].days_left, Some(5));
    assert!(r.crls["shortCa"].out_of_date);
    assert_eq!(r.expiry.status, ExpiryStatus::Warning);
    assert_eq!(r.expiry.crls_out_of_date, vec!["shortCa".to_owned()]);
    let soonest = r.expiry.soonest.as_ref().unwrap();
    assert_eq!(soonest.item, "trusted.shortCa");
    assert_eq!(soonest.thumbprint, ca.thumbprint());
    assert_eq!(soonest.days_left, 5);
    // The application certificate (12 months) has days left too, and is not the soonest.
    assert!(r.application_cert.as_ref().unwrap().days_left > 300);

    let lines: Vec<String> = warnings(r, now() + Duration::days(8))
        .into_iter()
        .map(|w| w.message)
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("The certificate trusted.shortCa 'CN=Short CA' with thumbprint")
            && lines[0].contains("expires in 5 day(s)"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("The CRL crls.shortCa issued by 'CN=Short CA' is out of date"),
        "{lines:?}"
    );
}

#[test]
fn an_expired_certificate_makes_the_status_expired() {
    let (_dir, store, _ca, desired) = store_with_expiring_trust();
    let after = run_as(
        &store,
        Some(&desired),
        2,
        Section::OwnPki,
        &at(Duration::days(20)),
    );
    assert_eq!(after.reported.expiry.status, ExpiryStatus::Expired);
    assert_eq!(after.reported.trusted["shortCa"].days_left, Some(-7));
    let lines = warnings(&after.reported, now() + Duration::days(20));
    assert!(
        lines[0].message.contains("expired 6 day(s) ago")
            || lines[0].message.contains("expired 7 day(s) ago"),
        "{lines:?}"
    );
}

#[test]
fn the_warning_limit_comes_from_the_twin() {
    let (_dir, store, _ca, mut desired) = store_with_expiring_trust();
    desired["expiryWarningDays"] = json!(7);
    let result = run_as(&store, Some(&desired), 3, Section::OwnPki, &context());
    assert_eq!(result.outcome.status, Status::Applied);
    assert_eq!(result.reported.expiry.warning_days, 7);
    assert_eq!(result.reported.expiry.status, ExpiryStatus::Ok);
    let later = run_as(
        &store,
        Some(&desired),
        3,
        Section::OwnPki,
        &at(Duration::days(7)),
    );
    assert_eq!(later.reported.expiry.status, ExpiryStatus::Warning);
    // The report-only pass (a refused document, a store change) uses the same limit.
    let reported = provisioning::report(
        &store,
        provisioning::DesiredInput {
            value: Some(&desired),
            version: None,
            section: Section::OwnPki,
        },
        &provisioning::Outcome::applied(),
        &context(),
    );
    assert_eq!(reported.expiry.warning_days, 7);
}

#[test]
fn each_warning_is_logged_once_a_day() {
    let (_dir, store, _ca, desired) = store_with_expiring_trust();
    let mut log = ExpiryLog::new();
    let t = now() + Duration::days(8);
    let report = |offset| run_as(&store, Some(&desired), 2, Section::OwnPki, &at(offset)).reported;
    let first = log.due(warnings(&report(Duration::days(8)), t), t);
    assert_eq!(first.len(), 2);
    // 30 s later: nothing new to log.
    let t2 = t + Duration::seconds(30);
    assert!(
        log.due(
            warnings(&report(Duration::days(8) + Duration::seconds(30)), t2),
            t2
        )
        .is_empty()
    );
    // The next day: logged again.
    let t3 = t + Duration::days(1);
    assert_eq!(
        log.due(warnings(&report(Duration::days(9)), t3), t3).len(),
        2
    );
}
