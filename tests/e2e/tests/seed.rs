//! The seed walk-through end to end (docs/reference/opc-ua-apps.md §4.2 and §4.4), zero manual
//! steps: `deployment.template.json` on edge-sim with the workspace's module binaries,
//! `opc-vault` as the CA. Asserts the OPC PLC's and Client's log milestones, the reported
//! properties (thumbprints equal to the SHA-1 of the store files on the volumes), the stores'
//! contents, the third-party PLC restarted by cert-agent, and the revocation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::path::Path;
use std::time::Duration;

use e2e::seed::{CLIENT, Collected, PLC, Seed, SeedOptions, THIRD_PARTY};

fn options(work_dir: &Path) -> SeedOptions {
    SeedOptions::for_test_binary(work_dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_walk_through_runs_in_one_command_with_zero_manual_steps() {
    let dir = tempfile::tempdir().unwrap();
    let said = Collected::default();
    let mut seed = Seed::start(options(dir.path()), said.say())
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Act 1: self-signed, the client's secure session refused, CSRs reported, stores on the
    // volumes (where cert-agent sees the third-party PLC's).
    let act1 = seed.self_signed().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(act1.csrs.len(), 3);
    assert!(act1.csrs.iter().all(|(_, csr)| !csr.is_empty()));
    assert!(
        act1.client_lines.iter().any(|l| l
            .contains("Session creation to endpoint 'opc.tcp://opcplc:50000/' failed 1 time(s).")),
        "{:#?}",
        act1.client_lines
    );
    assert!(act1.store_files[0].starts_with(seed.volume("opcplc-pki")));
    assert!(act1.store_files[1].starts_with(seed.volume("pki").join(THIRD_PARTY)));
    let logs = seed.log_lines();
    for line in [
        "opcplc | [",
        "Trusted issuer store contains 0 certs",
        "Rejected certificate store contains 0 certs",
        "OPC UA Server started at opc.tcp://opcplc:50000",
    ] {
        assert!(
            logs.iter().any(|l| l.contains(line)),
            "no {line:?} in {logs:#?}"
        );
    }

    // Act 2: one provision; the PLC logs the 2018 sequence, the client reads i=2258 within
    // seconds, the third-party PLC restarted by cert-agent accepts a client of the same CA.
    let act2 = seed.provision().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(act2.reports.len(), 3);
    assert!(
        act2.session_after < Duration::from_secs(5),
        "the client's session came {:?} after provision (target 2 s)",
        act2.session_after
    );
    assert!(act2.third_party_restarts >= 1);
    for (module, reported, file) in &act2.thumbprints {
        assert_eq!(reported.len(), 40, "{module}");
        assert_eq!(
            reported, file,
            "{module}: reported = SHA-1 of the store file"
        );
    }
    let logs = seed.log_lines();
    let plc_thumbprint = &act2.thumbprints[0].1;
    for milestone in [
        "Starting to add certificate(s) to the trusted issuer store.".to_owned(),
        "was added to the trusted issuer store.".to_owned(),
        "was added to the trusted peer store.".to_owned(),
        "Starting to update the current CRL.".to_owned(),
        "Start updating the current application certificate.".to_owned(),
        "The current application certificate has SubjectName 'CN=OpcPlc' and thumbprint".to_owned(),
        format!(
            "The new application certificate 'CN=OpcPlc' and thumbprint '{plc_thumbprint}' was added to the application certificate store."
        ),
        format!("Activating the new application certificate with thumbprint '{plc_thumbprint}'."),
    ] {
        let count = logs
            .iter()
            .filter(|l| l.starts_with("opcplc | ") && l.contains(&milestone))
            .count();
        assert!(count >= 1, "no PLC line {milestone:?} in {logs:#?}");
    }
    let activations = logs
        .iter()
        .filter(|l| {
            l.starts_with("opcplc | ")
                && l.contains(&format!(
                    "Activating the new application certificate with thumbprint '{plc_thumbprint}'"
                ))
        })
        .count();
    assert_eq!(activations, 1, "one change, one activation");
    for milestone in [
        "Session successfully created with Id",
        "Namespace index 1: urn:OpcPlc:opcplc",
        "Namespace index 2: http://microsoft.com/Opc/OpcPlc/",
        "Action (ActionId: 000 ActionType: 'OpcTestAction', Endpoint: 'opc.tcp://opcplc:50000/' Node 'i=2258') completed successfully",
        "Value (ActionId: 000 ActionType: 'OpcTestAction', Endpoint: 'opc.tcp://opcplc:50000/' Node 'i=2258'): ",
    ] {
        assert!(
            logs.iter()
                .any(|l| l.starts_with("opcclient | ") && l.contains(milestone)),
            "no client line {milestone:?} in {logs:#?}"
        );
    }
    let reported = edge_sim::harness::reported(seed.sim(), PLC);
    let pki = &reported["pki"];
    assert_eq!(pki["status"], "applied");
    assert_eq!(pki["applicationCert"]["selfSigned"], false);
    assert_eq!(
        pki["applicationCert"]["applicationUri"],
        "urn:OpcPlc:opcplc"
    );
    // The CA in both lists and its CRL next to it in both, as in the seed.
    assert_eq!(
        pki["crls"]["opcVaultRoot"]["stores"],
        serde_json::json!(["trusted", "issuer"])
    );
    let trusted_certs = std::fs::read_dir(seed.volume("opcplc-pki").join("trusted/certs"))
        .unwrap()
        .count();
    assert_eq!(trusted_certs, 1);
    let client = edge_sim::harness::reported(seed.sim(), CLIENT);
    assert_eq!(
        client["pki"]["applicationCert"]["applicationUri"],
        "urn:OpcClient:opcclient"
    );

    // Act 3: the client revoked and the CRL pushed: the PLC refuses it.
    let act3 = seed.revoke_client().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(act3.thumbprint, act2.thumbprints[1].1);
    assert!(
        act3.plc_lines
            .iter()
            .any(|l| l.contains("BadCertificateRevoked")),
        "{:#?}",
        act3.plc_lines
    );
    assert!(
        act3.refused_after < Duration::from_secs(10),
        "{:?}",
        act3.refused_after
    );
    // It tries again and is refused at the secure channel.
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    while !seed.log_lines().iter().any(|l| {
        l.starts_with("opcplc | ")
            && l.contains(&format!("thumbprint={}", act3.thumbprint))
            && l.contains("rejected: BadCertificateRevoked")
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "the client was not refused at its next connect"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let crls = &edge_sim::harness::reported(seed.sim(), PLC)["pki"]["crls"]["opcVaultRoot"];
    assert_eq!(crls["revokedCount"], 1);
    seed.shutdown().await;
    assert!(
        said.0
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("opc-vault | ")),
        "provision progress is shown"
    );
}
