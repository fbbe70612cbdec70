//! A desired `pki` document decoded and planned against a store.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use pki::store::{OwnCertificate, StoredCertificate, StoredCrl};
use pki::{Certificate, Crl, Operation, StoreContents, StoreKind, Thumbprint};
use provisioning::{Context, Desired, DesiredPki, ErrorCode, Section, StorePlan, plan};
use serde_json::{Value, json};
use time::macros::datetime;

/// The store the documents are planned against (`fuzz/fixtures/desired/`, written by the
/// seed writer `tests/seeds.rs`): an own certificate, a trusted peer, an issuer CA with its
/// CRL, a rejected certificate, and the record of a twin that installed the peer, the CA
/// and the CRL.
struct Fixture {
    contents: StoreContents,
    record: Vec<u8>,
    own_uri: String,
}

/// The folder of the fixture files.
#[must_use]
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/fixtures/desired")
}

fn read(name: &str) -> Vec<u8> {
    let path = fixture_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "fuzz fixture {} is missing ({e}): run cargo test -p fuzz-targets --test seeds -- --ignored",
            path.display()
        )
    })
}

fn certificate(name: &str) -> Certificate {
    Certificate::from_der(&read(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let stored = |folder: &str, cert: Certificate| StoredCertificate {
            file: PathBuf::from(format!("/store/{folder}/certs/{}.der", cert.file_stem())),
            cert,
        };
        let own = certificate("own.der");
        let peer = certificate("peer.der");
        let ca = certificate("ca.der");
        let crl = Crl::from_der(&read("ca.crl")).unwrap_or_else(|e| panic!("fixture ca.crl: {e}"));
        let record = json!({
            "format": 2,
            "trusted": { "peer": peer.thumbprint().to_string() },
            "issuers": { "ca": ca.thumbprint().to_string() },
            "crls": { "ca": crl.thumbprint().to_string() },
            "approved": [],
        });
        let own_uri = own.application_uri().unwrap_or_default().to_owned();
        Fixture {
            contents: StoreContents {
                own: vec![OwnCertificate {
                    file: PathBuf::from("/store/own/certs/own.der"),
                    cert: own,
                    key_file: Some(PathBuf::from("/store/own/private/own.pem")),
                }],
                trusted: vec![stored("trusted", peer)],
                trusted_crls: Vec::new(),
                issuer: vec![stored("issuer", ca)],
                issuer_crls: vec![StoredCrl {
                    file: PathBuf::from("/store/issuer/crl/ca.crl"),
                    crl,
                }],
                rejected: vec![stored("rejected", certificate("rejected.der"))],
                unreadable: Vec::new(),
            },
            record: serde_json::to_vec(&record).unwrap_or_default(),
            own_uri,
        }
    })
}

/// Input: one byte of options (bit 0: a cert-agent store instead of a module's own `pki`;
/// bit 1: the store has the record of an earlier document), then the section's JSON.
///
/// Invariants: planning is deterministic; a refusal names the approval it refuses; every
/// operation comes with the desired item it serves (`trusted.<name>` adds that certificate,
/// `approveRejected.<thumbprint>` approves a rejected one, `crls.<name>` installs that CRL,
/// removals name what an earlier document installed and this one no longer wants), the
/// record is written last whenever anything is written; and once the planned trust-list and
/// certificate changes are made, planning the same document again asks for none of them.
pub fn desired(data: &[u8]) -> bool {
    let Some((&options, json)) = data.split_first() else {
        return false;
    };
    let section = if options & 1 == 1 {
        Section::AgentStore
    } else {
        Section::OwnPki
    };
    let Ok(value) = serde_json::from_slice::<Value>(json) else {
        return false;
    };
    let Ok(doc) = DesiredPki::from_twin(Some(&value), section) else {
        return false;
    };
    let Ok(desired) = Desired::decode(&doc) else {
        return false;
    };
    let fx = fixture();
    let record = (options & 2 == 2).then_some(fx.record.as_slice());
    let mut context = Context::new(datetime!(2027-01-01 0:00 UTC));
    if section == Section::OwnPki {
        context.application_uri = Some(fx.own_uri.clone());
    }
    let planned = plan(&fx.contents, record, &desired, &context);
    let again = plan(&fx.contents, record, &desired, &context);
    assert_eq!(
        summary(planned.as_ref()),
        summary(again.as_ref()),
        "planning is not deterministic"
    );
    let planned = match planned {
        Ok(planned) => planned,
        Err(refusal) => {
            assert!(
                refusal.item.starts_with("approveRejected.")
                    && refusal.code == ErrorCode::BadNotFound,
                "the planner refuses only approvals of unknown certificates: {refusal:?}"
            );
            return true;
        }
    };
    check_items(&fx.contents, &desired, &planned);

    // Idempotence: the store as the plan leaves it needs no further certificate changes.
    let (after, record_after) = simulate(&fx.contents, record, &planned);
    let replanned = plan(&after, record_after.as_deref(), &desired, &context)
        .unwrap_or_else(|e| panic!("the applied document is refused on the next pass: {e:?}"));
    let repeated: Vec<&String> = replanned
        .operations
        .iter()
        .zip(&replanned.items)
        .filter(|(op, _)| {
            !matches!(
                op,
                Operation::UpdateCrl(_) | Operation::RemoveCrl(_) | Operation::WriteRecord(_)
            )
        })
        .map(|(_, item)| item)
        .collect();
    assert!(
        repeated.is_empty(),
        "the same document plans {repeated:?} again after it was applied"
    );
    true
}

fn summary(planned: Result<&StorePlan, &provisioning::ItemError>) -> Result<Vec<String>, String> {
    planned
        .map(|p| {
            p.operations
                .iter()
                .zip(&p.items)
                .map(|(op, item)| format!("{} {item}", op.name()))
                .collect()
        })
        .map_err(|e| format!("{e:?}"))
}

fn check_items(contents: &StoreContents, desired: &Desired, planned: &StorePlan) {
    assert_eq!(planned.operations.len(), planned.items.len());
    let in_list = |kind: StoreKind, t: Thumbprint| {
        contents
            .certificates(kind)
            .iter()
            .any(|s| s.cert.thumbprint() == t)
    };
    let last = planned.operations.len().saturating_sub(1);
    for (i, (op, item)) in planned.operations.iter().zip(&planned.items).enumerate() {
        let (section, name) = item.split_once('.').unwrap_or((item.as_str(), ""));
        match op {
            Operation::AddTrusted(certs) | Operation::AddIssuers(certs) => {
                let (wanted, kind) = match section {
                    "trusted" => (&desired.trusted, StoreKind::Trusted),
                    "issuers" => (&desired.issuers, StoreKind::Issuer),
                    other => panic!("a certificate added for {other}"),
                };
                let [cert] = certs.as_slice() else {
                    panic!("{item}: one certificate per item");
                };
                assert_eq!(
                    wanted.get(name).map(Certificate::thumbprint),
                    Some(cert.thumbprint())
                );
                assert!(!in_list(kind, cert.thumbprint()), "{item} is already there");
            }
            Operation::RemoveCertificate { store, thumbprint } => {
                assert!(
                    in_list(*store, *thumbprint),
                    "{item}: removes what is not there"
                );
                let still_wanted = match store {
                    StoreKind::Trusted => {
                        desired
                            .trusted
                            .values()
                            .any(|c| c.thumbprint() == *thumbprint)
                            || desired.approve_rejected.contains(thumbprint)
                    }
                    StoreKind::Issuer => desired
                        .issuers
                        .values()
                        .any(|c| c.thumbprint() == *thumbprint),
                    other => panic!("{item}: removes from the {other:?} store"),
                };
                assert!(
                    !still_wanted,
                    "{item}: removes a certificate the document names"
                );
            }
            Operation::ApproveRejected(thumbprint) => {
                assert_eq!(item, &format!("approveRejected.{thumbprint}"));
                assert!(desired.approve_rejected.contains(thumbprint));
                assert!(in_list(StoreKind::Rejected, *thumbprint));
            }
            Operation::UpdateCrl(crl) => {
                assert_eq!(section, "crls");
                assert_eq!(
                    desired.crls.get(name).map(Crl::thumbprint),
                    Some(crl.thumbprint())
                );
            }
            Operation::RemoveCrl(thumbprint) => {
                assert_eq!(section, "crls");
                assert!(
                    !desired.crls.values().any(|c| c.thumbprint() == *thumbprint),
                    "{item}: removes a CRL the document names"
                );
            }
            Operation::UpdateApplicationCertificate { cert, key } => {
                assert_eq!(item, "applicationCert");
                assert!(key.is_none(), "a key never comes through the twin");
                assert_eq!(
                    desired
                        .application_cert
                        .as_ref()
                        .map(Certificate::thumbprint),
                    Some(cert.thumbprint())
                );
            }
            Operation::WriteRecord(bytes) => {
                assert_eq!(item, "record");
                assert_eq!(i, last, "the record is written last");
                assert!(serde_json::from_slice::<Value>(bytes).is_ok());
            }
            other => panic!("{item}: unexpected operation {}", other.name()),
        }
    }
    assert_eq!(
        planned.own_changes,
        planned
            .operations
            .iter()
            .any(|op| matches!(op, Operation::UpdateApplicationCertificate { .. }))
    );
}

/// The store after the plan's certificate operations (CRLs are left to `pki`'s own rules)
/// and its record.
fn simulate(
    contents: &StoreContents,
    record: Option<&[u8]>,
    planned: &StorePlan,
) -> (StoreContents, Option<Vec<u8>>) {
    let mut after = contents.clone();
    let mut record = record.map(<[u8]>::to_vec);
    let stored = |cert: &Certificate| StoredCertificate {
        file: PathBuf::from(format!("/store/new/{}.der", cert.thumbprint())),
        cert: cert.clone(),
    };
    for op in &planned.operations {
        match op {
            Operation::AddTrusted(certs) => after.trusted.extend(certs.iter().map(stored)),
            Operation::AddIssuers(certs) => after.issuer.extend(certs.iter().map(stored)),
            Operation::RemoveCertificate { store, thumbprint } => {
                let list = match store {
                    StoreKind::Trusted => &mut after.trusted,
                    _ => &mut after.issuer,
                };
                list.retain(|s| s.cert.thumbprint() != *thumbprint);
            }
            Operation::ApproveRejected(thumbprint) => {
                let approved: BTreeSet<usize> = after
                    .rejected
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.cert.thumbprint() == *thumbprint)
                    .map(|(i, _)| i)
                    .collect();
                for i in approved.into_iter().rev() {
                    let moved = after.rejected.remove(i);
                    after.trusted.push(moved);
                }
            }
            Operation::UpdateApplicationCertificate { cert, .. } => {
                for own in &mut after.own {
                    own.cert = cert.clone();
                }
            }
            Operation::WriteRecord(bytes) => record = Some(bytes.clone()),
            _ => {}
        }
    }
    (after, record)
}
