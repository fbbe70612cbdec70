//! cert-agent on edge-sim with two stores on the shared volume: one in the layout the .NET OPC
//! PLC leaves (PFX key), one used by a running `opc-plc` that does not read its own twin
//! (standing for a third-party server). Each store reports a CSR from its app's key; the
//! signed certificates, CAs and CRLs written to cert-agent's twin are installed; a CA-signed
//! client then connects to the PLC, which was restarted through the IoT Edge management API
//! after its own certificate changed (a new process) and not after a trust-list change. A
//! client the PLC refuses appears in the agent's reported `rejected` and connects once
//! approved. Bad inputs are reported precisely while every store stays byte-for-byte as it
//! was and the agent and the PLC keep running.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::{b64, cert_agent_module, deploy, free_port, plc_module, stores, volume};
use edge_sim::Running;
use edge_sim::harness::{Logs, agent_status, eventually, manifest, sim};
use hub_service::{ServiceClient, TlsTrust};
use openssl::x509::X509Req;
use pki::{Store, StoreLayout};
use serde_json::{Value, json};
use test_support::dotnet::{DotnetAppStore, dotnet_name};
use test_support::{Ca, CaSpec, CrlSpec, LeafSpec, TestStore, now, snapshot};
use time::Duration as Days;
use ua::{Client, ClientError, ClientOptions};

/// Writes cert-agent's desired `stores` through IoT Hub's service REST API, as an operator's
/// tooling does (a patch: `null` removes).
async fn patch_stores(sim: &Running, stores: Value) {
    let service = ServiceClient::from_connection_string(
        &sim.service_connection_string(),
        TlsTrust::CaPem(sim.ca_pem().to_owned()),
    )
    .unwrap();
    service
        .update_module_desired(&sim.device_id(), "certagent", &json!({ "stores": stores }))
        .await
        .unwrap();
}

/// A certificate from `ca` for the key of the store at `dir`, after checking that the CSR
/// the agent reported asks for exactly that key: the CA's side of the CSR flow.
fn sign_reported_csr(
    ca: &Ca,
    dir: &Path,
    reported: &Value,
    org: Option<&str>,
) -> openssl::x509::X509 {
    let der = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        reported["csr"].as_str().expect("a CSR is reported"),
    )
    .unwrap();
    let request = X509Req::from_der(&der).unwrap();
    assert!(request.verify(&request.public_key().unwrap()).unwrap());
    let store = Store::open(StoreLayout::under(dir)).unwrap();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();
    assert!(request.public_key().unwrap().public_eq(key.pkey()));
    let uri = own.cert.application_uri().unwrap().to_owned();
    let dns = own.cert.dns_names().first().cloned().unwrap_or_default();
    let mut spec =
        LeafSpec::server(own.cert.common_name().unwrap(), &uri, &dns).with_key(key.pkey().clone());
    if let Some(org) = org {
        spec = spec.organization(org);
    }
    ca.leaf(spec).cert
}

async fn connect(port: u16, store: &Path) -> Result<(), ClientError> {
    let store = store.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut options = ClientOptions::new("TestClient");
        options.check_host_name = false;
        Client::connect(
            &format!("opc.tcp://127.0.0.1:{port}"),
            &options,
            Store::open(StoreLayout::under(&store)).unwrap(),
        )
        .map(|_| ())
    })
    .await
    .unwrap()
}

async fn connects_eventually(port: u16, store: &Path, logs: &mut Logs) {
    let deadline = tokio::time::Instant::now() + logs.patience;
    while let Err(e) = connect(port, store).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never connected: {e}\n{}",
            logs.drain().join("\n")
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_provisions_a_dotnet_store_and_a_running_plc_through_its_twin() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("state")).await;
    let volume = volume(&sim);
    let dotnet_dir = volume.join("dotnetplc");
    let dotnet = DotnetAppStore::create(
        &dotnet_dir,
        "OpcPlc",
        "urn:dotnetplc:OpcPlc",
        &["dotnetplc"],
    );
    let plc_dir = volume.join("edgeplc");
    let port = free_port();
    let deployment = manifest([
        ("certagent", cert_agent_module()),
        ("opcplc", plc_module(port, "edgeplc")),
    ]);
    let (_agent, mut logs) = deploy(&sim, dir.path(), &deployment).await;

    // Each store reports a CSR built from its app's own key.
    let first = stores(&sim, &mut logs, "both stores with a CSR", |s| {
        s["dotnetplc"]["csr"].is_string() && s["edgeplc"]["csr"].is_string()
    })
    .await;
    assert_eq!(
        first["dotnetplc"]["applicationCert"]["thumbprint"],
        test_support::thumbprint(&dotnet.own.der())
    );
    assert_eq!(first["edgeplc"]["applicationCert"]["selfSigned"], true);
    assert_eq!(
        first["edgeplc"]["applicationCert"]["applicationUri"],
        "urn:OpcPlc:localhost"
    );
    let plc_restarts = |sim: &Running| agent_status(sim, "opcplc")["restartCount"].clone();
    assert_eq!(plc_restarts(&sim), 0);

    // A client that trusts only the PLC CA is refused by the self-signed PLC.
    let plc_ca = Ca::root("PLC CA");
    let client_ca = Ca::root("Client CA");
    let client = client_ca.leaf(LeafSpec::client("TestClient", "urn:test:client"));
    let client_store = TestStore::new()
        .with_own(&client)
        .with_trusted(plc_ca.cert())
        .with_trusted_crl(&plc_ca.crl(&[]));
    assert!(connect(port, client_store.path()).await.is_err());

    // The CA signs both CSRs and writes certificates, CAs and CRLs to cert-agent's twin.
    let plc_cert = sign_reported_csr(&plc_ca, &plc_dir, &first["edgeplc"], None);
    let dotnet_cert = sign_reported_csr(
        &plc_ca,
        &dotnet_dir,
        &first["dotnetplc"],
        Some("OPC Foundation"),
    );
    let plc_store = json!({
        "applicationCert": b64(&plc_cert.to_der().unwrap()),
        "issuers": { "plcCa": b64(&plc_ca.der()) },
        "trusted": { "clientCa": b64(&client_ca.der()) },
        "crls": {
            "plcCa": b64(&plc_ca.crl(&[])),
            "clientCa": b64(&client_ca.crl(&[])),
        },
        "restartModule": "opcplc",
    });
    patch_stores(
        &sim,
        json!({
            "edgeplc": plc_store,
            "dotnetplc": {
                "applicationCert": b64(&dotnet_cert.to_der().unwrap()),
                "issuers": { "plcCa": b64(&plc_ca.der()) },
                "trusted": { "plcCa": b64(&plc_ca.der()) },
                "crls": { "plcCa": b64(&plc_ca.crl(&[])) },
                // Not deployed here: the runtime's answer is reported.
                "restartModule": "dotnetplc",
            },
        }),
    )
    .await;
    let plc_thumbprint = test_support::thumbprint(&plc_cert.to_der().unwrap());
    let applied = stores(&sim, &mut logs, "both applied, restarts answered", |s| {
        s["edgeplc"]["restart"]["state"] == "restarted"
            && s["dotnetplc"]["restart"]["state"] == "failed"
    })
    .await;
    let edge = &applied["edgeplc"];
    assert_eq!(edge["status"], "applied");
    assert_eq!(edge["applicationCert"]["thumbprint"], plc_thumbprint);
    assert_eq!(edge["restart"]["module"], "opcplc");
    assert_eq!(edge["restart"]["thumbprint"], plc_thumbprint);
    assert_eq!(edge["crls"]["clientCa"]["stores"], json!(["trusted"]));
    assert_eq!(edge["crls"]["plcCa"]["stores"], json!(["issuer"]));
    let dot = &applied["dotnetplc"];
    assert_eq!(dot["status"], "applied");
    assert!(
        dot["restart"]["error"].as_str().unwrap().contains("404"),
        "{dot}"
    );
    // The .NET app finds its new certificate with its own key: one PFX, named by its rule.
    let name = dotnet_name(&dotnet_cert);
    assert!(dotnet_dir.join(format!("own/private/{name}.pfx")).is_file());
    assert!(!dotnet.key_file().exists());

    // The PLC was restarted through the management API: a new process.
    eventually(
        &mut logs,
        "the PLC restarted once",
        || plc_restarts(&sim),
        |c| c == 1,
    )
    .await;
    logs.wait_for("certagent", "Store 'edgeplc': module 'opcplc' restarted.")
        .await;
    connects_eventually(port, client_store.path(), &mut logs).await;
    assert!(logs.count("opcplc", "OPC UA Server started at") >= 2);

    // A trust-list change reaches the PLC without a restart.
    let revoked = client_ca.leaf(LeafSpec::client("Gone", "urn:test:gone"));
    patch_stores(
        &sim,
        json!({ "edgeplc": { "crls": { "clientCa": b64(&client_ca.crl(&[&revoked.cert])) } } }),
    )
    .await;
    stores(&sim, &mut logs, "the newer CRL", |s| {
        s["edgeplc"]["crls"]["clientCa"]["revokedCount"] == 1
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(plc_restarts(&sim), 1, "no restart for a trust-list change");
    connect(port, client_store.path()).await.unwrap();

    // A stranger refused by the PLC shows up in the agent's report, then is approved.
    let stranger = test_support::self_signed(LeafSpec::client("Stranger", "urn:test:stranger"));
    let stranger_store = TestStore::new()
        .with_own(&stranger)
        .with_trusted(plc_ca.cert())
        .with_trusted_crl(&plc_ca.crl(&[]));
    assert!(connect(port, stranger_store.path()).await.is_err());
    let thumb = stranger.thumbprint();
    let seen = stores(&sim, &mut logs, "the stranger rejected", |s| {
        s["edgeplc"]["rejected"].get(&thumb).is_some()
    })
    .await;
    let entry = &seen["edgeplc"]["rejected"][&thumb];
    assert_eq!(entry["subject"], "CN=Stranger");
    assert_eq!(entry["applicationUri"], "urn:test:stranger");
    assert_eq!(entry["reason"], "BadCertificateUntrusted");
    patch_stores(
        &sim,
        json!({ "edgeplc": { "approveRejected": { thumb.clone(): true } } }),
    )
    .await;
    stores(&sim, &mut logs, "the stranger approved", |s| {
        s["edgeplc"]["trusted"].get(&thumb).is_some()
    })
    .await;
    connects_eventually(port, stranger_store.path(), &mut logs).await;
    assert_eq!(plc_restarts(&sim), 1, "no restart for an approval");

    // Bad inputs: each reported precisely, every store byte-for-byte as it was, the agent and
    // the PLC alive.
    let stranger_ca = Ca::root("Stranger CA");
    let foreign = plc_ca.leaf(LeafSpec::server(
        "OpcPlc",
        "urn:OpcPlc:localhost",
        "localhost",
    ));
    let key_pem = String::from_utf8(client.key_pem_pkcs8()).unwrap();
    let unknown = "0123456789ABCDEF0123456789ABCDEF01234567";
    let before = snapshot(&volume);
    let cases = [
        (
            json!({ "applicationCert": b64(&foreign.der()) }),
            "applicationCert",
            "BadCertificateInvalid",
        ),
        (
            json!({ "crls": { "stranger": b64(&stranger_ca.crl(&[])) } }),
            "crls.stranger",
            "BadCertificateChainIncomplete",
        ),
        (
            json!({ "approveRejected": { unknown: true } }),
            &*format!("approveRejected.{unknown}"),
            "BadNotFound",
        ),
        (
            json!({ "privateKey": key_pem }),
            "privateKey",
            "BadSecurityChecksFailed",
        ),
    ];
    for (bad, item, code) in cases {
        patch_stores(&sim, json!({ "edgeplc": bad })).await;
        let refused = stores(&sim, &mut logs, item, |s| {
            s["edgeplc"]["error"]["item"] == item
        })
        .await;
        assert_eq!(refused["edgeplc"]["status"], "rejected");
        assert_eq!(refused["edgeplc"]["error"]["code"], code, "{item}");
        assert_eq!(refused["dotnetplc"]["status"], "applied");
        assert!(!refused.to_string().contains("PRIVATE KEY"));
        assert_eq!(snapshot(&volume), before, "{item}");
        // Take the bad item back.
        let undo = match item {
            "applicationCert" => json!({ "applicationCert": b64(&plc_cert.to_der().unwrap()) }),
            "crls.stranger" => json!({ "crls": { "stranger": null } }),
            "privateKey" => json!({ "privateKey": null }),
            _ => json!({ "approveRejected": { unknown: null } }),
        };
        patch_stores(&sim, json!({ "edgeplc": undo })).await;
        stores(&sim, &mut logs, "applied again", |s| {
            s["edgeplc"]["status"] == "applied"
        })
        .await;
        connect(port, client_store.path()).await.unwrap();
    }
    // A store name that is not a plain folder name, and a new store under a read-only root.
    patch_stores(&sim, json!({ "a/b": {} })).await;
    let named = stores(&sim, &mut logs, "the bad name", |s| {
        s["a/b"]["status"] == "rejected"
    })
    .await;
    assert_eq!(named["a/b"]["error"]["code"], "BadInvalidArgument");
    patch_stores(&sim, json!({ "a/b": null })).await;
    let mode = |m| {
        std::fs::set_permissions(&volume, std::os::unix::fs::PermissionsExt::from_mode(m)).unwrap();
    };
    mode(0o555);
    patch_stores(&sim, json!({ "fresh": {} })).await;
    let unwritable = stores(&sim, &mut logs, "the unwritable root", |s| {
        s["fresh"]["status"] == "error"
    })
    .await;
    mode(0o755);
    assert_eq!(
        unwritable["fresh"]["error"]["code"],
        "BadConfigurationError"
    );
    assert_eq!(unwritable["edgeplc"]["status"], "applied");
    assert!(!volume.join("fresh").exists());
    assert_eq!(snapshot(&volume), before);
    assert_eq!(plc_restarts(&sim), 1);
    assert_eq!(agent_status(&sim, "certagent")["restartCount"], 0);
    connect(port, client_store.path()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_warns_about_a_certificate_expiring_in_5_days_and_an_overdue_crl() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("state")).await;
    let volume = volume(&sim);
    let app = DotnetAppStore::create(
        &volume.join("dotnetplc"),
        "OpcPlc",
        "urn:dotnetplc:OpcPlc",
        &["dotnetplc"],
    );
    let (_agent, mut logs) = deploy(
        &sim,
        dir.path(),
        &manifest([("certagent", cert_agent_module())]),
    )
    .await;
    let t0 = now();
    let short = Ca::root_with(
        CaSpec::new("Short CA").valid(t0 - Days::days(30), t0 + Days::days(5) + Days::hours(12)),
    );
    let overdue =
        short.crl_with(CrlSpec::new(1).valid(t0 - Days::days(8), Some(t0 - Days::days(1))));
    let doc = json!({ "dotnetplc": {
        "trusted": { "shortCa": b64(&short.der()) },
        "crls": { "shortCa": b64(&overdue) },
    }});
    patch_stores(&sim, doc).await;
    let reported = stores(&sim, &mut logs, "the expiry warning", |s| {
        s["dotnetplc"]["expiry"]["status"] == "warning"
    })
    .await;
    let store = &reported["dotnetplc"];
    assert_eq!(store["trusted"]["shortCa"]["daysLeft"], 5);
    assert_eq!(store["crls"]["shortCa"]["outOfDate"], true);
    let expiry = &store["expiry"];
    assert_eq!(expiry["warningDays"], 14);
    assert_eq!(expiry["soonest"]["item"], "trusted.shortCa");
    assert_eq!(expiry["crlsOutOfDate"], json!(["shortCa"]));
    logs.wait_for(
        "certagent",
        "Store 'dotnetplc': The certificate trusted.shortCa 'CN=Short CA'",
    )
    .await;
    logs.wait_for(
        "certagent",
        "Store 'dotnetplc': The CRL crls.shortCa issued by 'CN=Short CA' is out of date",
    )
    .await;
    // More passes (new documents) do not repeat the warning the same day.
    patch_stores(&sim, json!({ "dotnetplc": { "expiryWarningDays": 7 } })).await;
    stores(&sim, &mut logs, "the new limit", |s| {
        s["dotnetplc"]["expiry"]["warningDays"] == 7
    })
    .await;
    assert_eq!(
        logs.count("certagent", "The certificate trusted.shortCa"),
        1,
        "{:#?}",
        logs.drain()
    );

    // The app replaces its own certificate (a new key pair, as the .NET stack does when its
    // certificate is deleted): the report follows within about a second, not at the 30 s
    // refresh, with a CSR for the new key.
    std::fs::remove_file(app.cert_file()).unwrap();
    std::fs::remove_file(app.key_file()).unwrap();
    let renewed = DotnetAppStore::create(
        &volume.join("dotnetplc"),
        "OpcPlc",
        "urn:dotnetplc:OpcPlc",
        &["dotnetplc"],
    );
    let replaced_at = tokio::time::Instant::now();
    let thumbprint = test_support::thumbprint(&renewed.own.der());
    let after = stores(&sim, &mut logs, "the app's new certificate", |s| {
        s["dotnetplc"]["applicationCert"]["thumbprint"] == thumbprint.as_str()
    })
    .await;
    assert!(
        replaced_at.elapsed() < Duration::from_secs(5),
        "reported after {:?}",
        replaced_at.elapsed()
    );
    assert_ne!(after["dotnetplc"]["csr"], reported["dotnetplc"]["csr"]);
}
