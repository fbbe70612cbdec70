//! Push management's trust list (OPC 10000-12 §7.8.2) from untrusted bytes: what a client
//! writes through the `TrustList` file.

use std::collections::BTreeSet;

use pki::{Certificate, Operation, StoreContents};
use provisioning::push::{self, Masks, PushStatus, Staged, TrustList, TrustListFile, file::mode};

/// The largest trust list the target accepts (a server's `MaxTrustListSize`).
const MAX_SIZE: usize = 1 << 20;

/// Input: a `TrustListDataType` in OPC UA Binary, as a client writes it.
///
/// Invariants: written through a write handle in three pieces, the bytes come back whole from
/// `CloseAndUpdate`; an accepted trust list re-encodes to as many bytes (null arrays and null
/// `ByteString`s become empty ones of the same size) and decodes again to itself, and is refused
/// as too large one byte under its size; planned against an empty store it is refused only with
/// `BadCertificateInvalid` (an item that does not decode, or a non-CA issuer), and otherwise
/// adds exactly the distinct certificates of the lists its mask specifies.
pub fn trust_list(data: &[u8]) -> bool {
    let mut file: TrustListFile<u8> = TrustListFile::new(MAX_SIZE);
    if let Ok(handle) = file.open(1, mode::WRITE | mode::ERASE_EXISTING, Vec::new) {
        let piece = data.len() / 3 + 1;
        let written = data
            .chunks(piece)
            .all(|chunk| file.write(&1, handle, chunk).is_ok());
        if written {
            let back = file
                .close_and_update(&1, handle)
                .unwrap_or_else(|e| panic!("CloseAndUpdate of a write handle failed: {e}"));
            assert_eq!(back, data, "the file does not hold what was written");
        }
        assert_eq!(file.open_count(), u16::from(!written));
    }

    let list = match TrustList::decode(data, MAX_SIZE) {
        Ok(list) => list,
        Err(e) => {
            assert!(
                matches!(
                    e.code,
                    PushStatus::BadDecodingError | PushStatus::BadEncodingLimitsExceeded
                ),
                "a trust list is refused with {e}"
            );
            return false;
        }
    };
    let encoded = list.encode();
    assert_eq!(
        encoded.len(),
        data.len(),
        "the re-encoding changes the size"
    );
    assert_eq!(
        TrustList::decode(&encoded, MAX_SIZE).ok(),
        Some(list.clone())
    );
    let limited = TrustList::decode(data, data.len() - 1).map(|_| ());
    assert!(
        matches!(limited, Err(ref e) if e.code == PushStatus::BadEncodingLimitsExceeded),
        "{limited:?}"
    );

    let specified = list.specified;
    let expected = |mask: Masks, items: &[Vec<u8>]| -> usize {
        if specified.contains(mask) {
            items
                .iter()
                .filter_map(|der| Certificate::from_der(der).ok())
                .map(|c| c.thumbprint())
                .collect::<BTreeSet<_>>()
                .len()
        } else {
            0
        }
    };
    let trusted = expected(Masks::TRUSTED_CERTIFICATES, &list.trusted_certificates);
    let issuers = expected(Masks::ISSUER_CERTIFICATES, &list.issuer_certificates);
    let mut staged = Staged::default();
    staged.changes.push(push::Change::TrustList(list));
    let now = time::OffsetDateTime::UNIX_EPOCH;
    match push::plan(&StoreContents::default(), None, &staged, None, now) {
        Ok(plan) => {
            let added = |want: fn(&Operation) -> Option<usize>| -> usize {
                plan.operations.iter().filter_map(want).sum()
            };
            assert_eq!(
                added(|op| match op {
                    Operation::AddTrusted(certs) => Some(certs.len()),
                    _ => None,
                }),
                trusted
            );
            assert_eq!(
                added(|op| match op {
                    Operation::AddIssuers(certs) => Some(certs.len()),
                    _ => None,
                }),
                issuers
            );
            assert!(!plan.own_changes);
        }
        Err(e) => assert_eq!(
            e.code,
            PushStatus::Certificate(pki::StatusCode::BadCertificateInvalid),
            "{e}"
        ),
    }
    true
}
