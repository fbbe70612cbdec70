#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use provisioning::ErrorCode;
use provisioning::contract::{ApplicationCertReport, CrlReport};
use time::macros::datetime;

use super::*;
use provisioning::Status;

use crate::model::{CaRole, CertStatus, CrlState, CrlStates, FORMAT, Index, IssuedRecord};

const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

fn reported(status: Status, version: u64, thumbprint: &str, crl: u64) -> ReportedPki {
    let mut report = ReportedPki::outcome_only(status, None, Some(TwinVersion::new(version)));
    report.application_cert = Some(ApplicationCertReport {
        thumbprint: thumbprint.to_owned(),
        subject: "CN=OpcPlc".to_owned(),
        issuer: "CN=OpcPlc".to_owned(),
        not_before: NOW,
        not_after: NOW + time::Duration::days(365),
        days_left: 365,
        self_signed: true,
        application_uri: Some("urn:plc".to_owned()),
    });
    report.crls.insert(
        "opcVaultRoot".to_owned(),
        CrlReport {
            issuer: "CN=OPC Vault CA".to_owned(),
            this_update: NOW,
            next_update: None,
            out_of_date: false,
            crl_number: Some(crl),
            revoked_count: 0,
            stores: vec!["trusted".to_owned()],
        },
    );
    report
}

fn expected(version: u64, thumbprint: Option<&str>, crl: u64) -> Expectation {
    Expectation {
        version: Some(TwinVersion::new(version)),
        thumbprint: thumbprint.map(str::to_owned),
        crls: vec![("opcVaultRoot".to_owned(), crl)],
    }
}

#[test]
fn a_report_for_an_older_desired_version_is_waited_on_even_when_it_is_a_refusal() {
    let mut old = reported(Status::Rejected, 3, "AA", 1);
    old.error = Some(ItemError::new(
        "crls.x",
        ErrorCode::BadInvalidArgument,
        "bad",
    ));
    assert!(matches!(
        verdict(&old, &expected(4, Some("AA"), 1), "pki"),
        Verdict::Wait(_)
    ));
    let applied_old = reported(Status::Applied, 3, "AA", 1);
    assert!(matches!(
        verdict(&applied_old, &expected(4, Some("AA"), 1), "pki"),
        Verdict::Wait(_)
    ));
    match verdict(&old, &expected(3, Some("AA"), 1), "pki") {
        Verdict::Failed(TargetError::Refused {
            status,
            version,
            error,
            ..
        }) => {
            assert_eq!(
                (status, version, error.item.as_str()),
                ("rejected", 3, "crls.x")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_applied_report_is_done_only_with_the_thumbprint_and_every_crl_number() {
    let report = reported(Status::Applied, 5, "AA", 2);
    assert!(matches!(
        verdict(&report, &expected(5, Some("AA"), 2), "pki"),
        Verdict::Done
    ));
    assert!(matches!(
        verdict(&report, &expected(4, None, 2), "pki"),
        Verdict::Done
    ));
    assert!(matches!(
        verdict(&report, &expected(5, Some("BB"), 2), "pki"),
        Verdict::Wait(_)
    ));
    assert!(matches!(
        verdict(&report, &expected(5, Some("AA"), 3), "pki"),
        Verdict::Wait(_)
    ));
    let error = reported(Status::Error, 5, "AA", 2);
    assert!(matches!(
        verdict(&error, &expected(5, None, 2), "pki"),
        Verdict::Failed(_)
    ));
}

fn index_with(thumbprint: &str, status: CertStatus, not_after: OffsetDateTime) -> Index {
    Index {
        format: FORMAT,
        crls: CrlStates {
            root: CrlState {
                number: 1,
                this_update: NOW,
                next_update: NOW,
            },
            issuing: None,
        },
        certificates: vec![IssuedRecord {
            serial: "01".to_owned(),
            thumbprint: thumbprint.to_owned(),
            subject: "CN=OpcPlc".to_owned(),
            application_uri: "urn:plc".to_owned(),
            cert_type: CertType::Both,
            issuer: CaRole::Root,
            not_before: NOW,
            not_after,
            issued_at: NOW,
            status,
            revoked_at: None,
            reason: None,
        }],
    }
}

#[test]
fn a_certificate_stays_only_when_this_vault_issued_it_it_is_valid_and_not_due() {
    let report = reported(Status::Applied, 1, "AA", 1);
    let year = NOW + time::Duration::days(365);
    assert_eq!(
        decide(&index_with("AA", CertStatus::Valid, year), &report, 30, NOW),
        Decision::Keep {
            thumbprint: "AA".to_owned(),
            days_left: 365
        }
    );
    for (index, why) in [
        (index_with("BB", CertStatus::Valid, year), "self-signed"),
        (
            index_with("AA", CertStatus::Revoked, year),
            "AA was revoked",
        ),
        (
            index_with("AA", CertStatus::Valid, NOW + time::Duration::days(30)),
            "30 day(s) left",
        ),
    ] {
        assert_eq!(
            decide(&index, &report, 30, NOW),
            Decision::Sign {
                why: why.to_owned()
            }
        );
    }
}

#[test]
fn only_the_members_the_vault_sets_are_compared_and_a_stale_intermediate_is_removed() {
    let wanted = DesiredPki {
        trusted: BTreeMap::from([("opcVaultRoot".to_owned(), Some("R".to_owned()))]),
        issuers: BTreeMap::from([("opcVaultIssuing".to_owned(), None)]),
        ..DesiredPki::default()
    };
    assert!(needs_patch(None, &wanted));
    let mut current = DesiredPki {
        application_cert: Some("C".to_owned()),
        trusted: BTreeMap::from([
            ("opcVaultRoot".to_owned(), Some("R".to_owned())),
            ("operatorCa".to_owned(), Some("O".to_owned())),
        ]),
        ..DesiredPki::default()
    };
    assert!(!needs_patch(Some(&current), &wanted));
    current
        .issuers
        .insert("opcVaultIssuing".to_owned(), Some("I".to_owned()));
    assert!(needs_patch(Some(&current), &wanted));
    let new_cert = DesiredPki {
        application_cert: Some("D".to_owned()),
        ..DesiredPki::default()
    };
    assert!(needs_patch(Some(&current), &new_cert));
}

#[test]
fn targets_read_and_print_as_module_or_module_colon_store() {
    assert_eq!("opcplc".parse::<Target>().unwrap(), Target::own("opcplc"));
    let store: Target = "certagent:dotnetplc".parse().unwrap();
    assert_eq!(store, Target::store("certagent", "dotnetplc"));
    assert_eq!(store.to_string(), "certagent:dotnetplc");
    assert_eq!(store.property(), "stores.dotnetplc");
    assert_eq!(
        store.patch(&DesiredPki::default()),
        json!({"stores": {"dotnetplc": {}}})
    );
    assert!("".parse::<Target>().is_err());
    assert!("m:".parse::<Target>().is_err());
    assert!("m:a/b".parse::<Target>().is_err());
}
