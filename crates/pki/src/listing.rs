//! The store listing the OPC PLC prints at every start (docs/reference/opc-ua-apps.md §1.5.1 and
//! §1.5.5).

use crate::log::{LogLine, dotnet_time};
use crate::store::{StoreContents, StoreKind, StoreLayout, StoredCertificate, StoredCrl};
use crate::validate::ValidationOptions;

/// The store configuration lines (`Trusted Issuer store type is: Directory`, ...), with the
/// paths as given on the command line.
#[must_use]
pub fn configuration_lines(
    layout: &StoreLayout,
    options: &ValidationOptions,
    subject: &str,
) -> Vec<LogLine> {
    let path = |kind| layout.store(kind).display().to_string();
    vec![
        LogLine::info("Trusted Issuer store type is: Directory"),
        LogLine::info(format!(
            "Trusted Issuer Certificate store path is: {}",
            path(StoreKind::Issuer)
        )),
        LogLine::info("Trusted Peer Certificate store type is: Directory"),
        LogLine::info(format!(
            "Trusted Peer Certificate store path is: {}",
            path(StoreKind::Trusted)
        )),
        LogLine::info("Rejected certificate store type is: Directory"),
        LogLine::info(format!(
            "Rejected Certificate store path is: {}",
            path(StoreKind::Rejected)
        )),
        LogLine::info(format!(
            "Rejection of SHA1 signed certificates is {}",
            if options.reject_sha1 {
                "enabled"
            } else {
                "disabled"
            }
        )),
        LogLine::info(format!(
            "Minimum certificate key size set to {}",
            options.min_key_bits
        )),
        LogLine::info("Application Certificate store type is: Directory"),
        LogLine::info(format!(
            "Application Certificate store path is: {}",
            path(StoreKind::Own)
        )),
        LogLine::info(format!(
            "Application Certificate subject name is: {subject}"
        )),
    ]
}

/// The listing of the trusted issuer, trusted peer and rejected stores, 2018 wording:
/// `Trusted issuer store contains 1 certs`, `01: Subject '…' (thumbprint: …)`,
/// `Trusted issuer store has 1 CRLs.`, `01: Issuer '…', Next update time '…'`.
#[must_use]
pub fn store_listing(contents: &StoreContents) -> Vec<LogLine> {
    let mut lines = Vec::new();
    list_store(
        &mut lines,
        "Trusted issuer",
        &contents.issuer,
        Some(&contents.issuer_crls),
    );
    list_store(
        &mut lines,
        "Trusted peer",
        &contents.trusted,
        Some(&contents.trusted_crls),
    );
    list_store(&mut lines, "Rejected certificate", &contents.rejected, None);
    for bad in &contents.unreadable {
        lines.push(LogLine::warn(format!(
            "Skipped the unreadable store file '{}': {}",
            bad.file.display(),
            bad.reason
        )));
    }
    lines
}

fn list_store(
    lines: &mut Vec<LogLine>,
    name: &str,
    certs: &[StoredCertificate],
    crls: Option<&[StoredCrl]>,
) {
    lines.push(LogLine::info(format!(
        "{name} store contains {} certs",
        certs.len()
    )));
    for (i, stored) in certs.iter().enumerate() {
        lines.push(LogLine::info(format!(
            "{:02}: Subject '{}' (thumbprint: {})",
            i + 1,
            stored.cert.subject(),
            stored.cert.thumbprint()
        )));
    }
    if let Some(crls) = crls {
        lines.push(LogLine::info(format!(
            "{name} store has {} CRLs.",
            crls.len()
        )));
        for (i, stored) in crls.iter().enumerate() {
            let next = stored
                .crl
                .next_update()
                .map_or_else(|| "01/01/0001 00:00:00".to_owned(), dotnet_time);
            lines.push(LogLine::info(format!(
                "{:02}: Issuer '{}', Next update time '{next}'",
                i + 1,
                stored.crl.issuer()
            )));
        }
    }
}
