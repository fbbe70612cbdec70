//! cert-agent's reconciler without a hub: stores by name and found on the volume, each on its
//! own; every bad input reported precisely with every store byte-for-byte unchanged; the
//! restart after an own-certificate change, and none after a trust-list change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cert_agent::{AgentStores, Restarter};
use hub_proto::twin::TwinVersion;
use module_runtime::twin::{Reconciler, Trigger};
use openssl::x509::{X509, X509Req};
use pki::{Operation, PlanOptions, SelfSignedSpec, Store, StoreLayout};
use serde_json::{Map, Value, json};
use test_support::dotnet::DotnetAppStore;
use test_support::{Ca, LeafSpec, now, self_signed, snapshot};

/// Records the restarts asked for; answers with `answer`.
#[derive(Clone, Default)]
struct FakeRuntime {
    asked: Arc<Mutex<Vec<String>>>,
    answer: Option<String>,
}

impl Restarter for FakeRuntime {
    async fn restart(&self, module: &str) -> Result<(), String> {
        self.asked.lock().unwrap().push(module.to_owned());
        self.answer.clone().map_or(Ok(()), Err)
    }
}

fn b64(x: &X509) -> String {
    BASE64.encode(x.to_der().unwrap())
}

/// A PEM-layout store as our modules (and open62541) leave it.
fn pem_store(root: &Path, name: &str) -> Store {
    let store = Store::open(StoreLayout::under(root.join(name))).unwrap();
    store
        .transact(
            vec![Operation::CreateSelfSigned(SelfSignedSpec::new(
                "CN=OpcPlc",
                "urn:OpcPlc:edge",
                vec!["edge".into()],
            ))],
            &PlanOptions::new(now()),
        )
        .unwrap();
    store
}

async fn pass(
    agent: &mut AgentStores<FakeRuntime>,
    stores: Value,
    version: u64,
) -> Map<String, Value> {
    let mut desired = Map::new();
    desired.insert("stores".into(), stores);
    let reported = agent
        .pass(&desired, Some(TwinVersion::new(version)), Trigger::Document)
        .await
        .unwrap();
    reported["stores"].as_object().unwrap().clone()
}

/// Signs the CSR a store reports, with the subject and URI it asks for.
fn sign(ca: &Ca, store: &Store, reported: &Value) -> X509 {
    let der = BASE64.decode(reported["csr"].as_str().unwrap()).unwrap();
    let request = X509Req::from_der(&der).unwrap();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();
    assert!(request.public_key().unwrap().public_eq(key.pkey()));
    let uri = own.cert.application_uri().unwrap().to_owned();
    let mut spec = LeafSpec::server(own.cert.common_name().unwrap(), &uri, "edge")
        .with_key(key.pkey().clone());
    if own.cert.subject().contains("O=OPC Foundation") {
        spec = spec.organization("OPC Foundation");
    }
    ca.leaf(spec).cert
}

#[tokio::test]
async fn stores_on_the_volume_are_reported_with_a_csr_from_each_app_key() {
    let root = tempfile::tempdir().unwrap();
    let dotnet = DotnetAppStore::create(
        &root.path().join("dotnetplc"),
        "OpcPlc",
        "urn:opcplc:OpcPlc",
        &["dotnetplc"],
    );
    pem_store(root.path(), "edgeplc");
    std::fs::create_dir(root.path().join("not-a-store")).unwrap();
    let mut agent = AgentStores::new(root.path().to_owned(), FakeRuntime::default());
    let stores = pass(&mut agent, Value::Null, 1).await;
    assert_eq!(
        stores.keys().collect::<Vec<_>>(),
        ["dotnetplc", "edgeplc"],
        "found by their own/trusted folders"
    );
    for (name, uri) in [
        ("dotnetplc", "urn:opcplc:OpcPlc"),
        ("edgeplc", "urn:OpcPlc:edge"),
    ] {
        let r = &stores[name];
        assert_eq!(r["status"], "applied", "{name}: {r}");
        assert_eq!(r["applicationCert"]["applicationUri"], uri);
        assert!(r["csr"].is_string(), "{name}");
        // No policy: the app validates with its own.
        assert!(r.get("rejectUnknownRevocationStatus").is_none());
        assert!(r["expiry"]["status"].is_string());
    }
    assert_eq!(
        stores["dotnetplc"]["applicationCert"]["thumbprint"],
        test_support::thumbprint(&dotnet.own.der())
    );
    // Opening a store adds its lock file; from then on reporting writes nothing.
    let before = snapshot(root.path());
    pass(&mut agent, Value::Null, 2).await;
    assert_eq!(snapshot(root.path()), before, "reporting writes nothing");
    assert!(!root.path().join("not-a-store/.pki.lock").exists());
}

#[tokio::test]
async fn a_store_folder_iot_hub_could_not_name_is_left_out_and_the_report_stays_valid() {
    // `OPC Publisher` or `opc.plc` as a folder under the root: naming it in reported `stores`
    // would make IoT Hub refuse the whole report, so it is left out (with a warning) and the
    // other stores are reported as usual.
    let root = tempfile::tempdir().unwrap();
    pem_store(root.path(), "edgeplc");
    pem_store(root.path(), "OPC Publisher");
    pem_store(root.path(), "opc.plc");
    let before = snapshot(&root.path().join("opc.plc"));
    let mut agent = AgentStores::new(root.path().to_owned(), FakeRuntime::default());
    let reported = agent
        .pass(&Map::new(), Some(TwinVersion::new(1)), Trigger::Document)
        .await
        .unwrap();
    hub_proto::twin::validate_reported_patch(&reported).unwrap();
    let stores = reported["stores"].as_object().unwrap();
    assert_eq!(stores.keys().collect::<Vec<_>>(), ["edgeplc"]);
    assert_eq!(stores["edgeplc"]["status"], "applied");
    assert_eq!(snapshot(&root.path().join("opc.plc")), before, "left alone");
}

#[tokio::test]
async fn a_signed_certificate_is_installed_and_the_app_restarted_once_but_not_for_trust_changes() {
    let root = tempfile::tempdir().unwrap();
    let store_dir = root.path().join("dotnetplc");
    let _ = DotnetAppStore::create(&store_dir, "OpcPlc", "urn:opcplc:OpcPlc", &["dotnetplc"]);
    let runtime = FakeRuntime::default();
    let mut agent = AgentStores::new(root.path().to_owned(), runtime.clone());
    let first = pass(&mut agent, json!({ "dotnetplc": {} }), 1).await;
    let store = Store::open(StoreLayout::under(&store_dir)).unwrap();
    let ca = Ca::root("Factory CA");
    let signed = sign(&ca, &store, &first["dotnetplc"]);
    let doc = json!({ "dotnetplc": {
        "applicationCert": b64(&signed),
        "issuers": { "factoryCa": b64(ca.cert()) },
        "trusted": { "factoryCa": b64(ca.cert()) },
        "crls": { "factoryCa": BASE64.encode(ca.crl(&[])) },
        "restartModule": "dotnetplc",
    }});
    let applied = pass(&mut agent, doc.clone(), 2).await;
    let r = &applied["dotnetplc"];
    assert_eq!(r["status"], "applied", "{r}");
    assert_eq!(
        r["applicationCert"]["thumbprint"],
        test_support::thumbprint(&signed.to_der().unwrap())
    );
    assert_eq!(r["restart"]["module"], "dotnetplc");
    assert_eq!(r["restart"]["state"], "restarted");
    assert!(r["restart"]["at"].is_string());
    assert_eq!(*runtime.asked.lock().unwrap(), ["dotnetplc"]);

    // The same document again, and a refresh: no second restart.
    pass(&mut agent, doc.clone(), 2).await;
    let mut desired = Map::new();
    desired.insert("stores".into(), doc.clone());
    agent.pass(&desired, None, Trigger::Refresh).await;
    // A newer CRL: the trust lists change, the app re-reads them without a restart.
    let mut newer = doc.clone();
    newer["dotnetplc"]["crls"]["factoryCa"] =
        json!(BASE64.encode(ca.crl(&[&ca.leaf(LeafSpec::client("Gone", "urn:gone")).cert])));
    let r = &pass(&mut agent, newer, 3).await["dotnetplc"];
    assert_eq!(r["crls"]["factoryCa"]["revokedCount"], 1);
    assert_eq!(*runtime.asked.lock().unwrap(), ["dotnetplc"]);
}

#[tokio::test]
async fn a_restart_the_runtime_refuses_is_reported_with_its_answer() {
    let root = tempfile::tempdir().unwrap();
    let store = pem_store(root.path(), "edgeplc");
    let runtime = FakeRuntime {
        answer: Some("the IoT Edge management API is not available".into()),
        ..FakeRuntime::default()
    };
    let mut agent = AgentStores::new(root.path().to_owned(), runtime);
    let first = pass(&mut agent, json!({ "edgeplc": {} }), 1).await;
    let ca = Ca::root("Edge CA");
    let signed = sign(&ca, &store, &first["edgeplc"]);
    let r = &pass(
        &mut agent,
        json!({ "edgeplc": {
            "applicationCert": b64(&signed),
            "issuers": { "edgeCa": b64(ca.cert()) },
            "restartModule": "edgeplc",
        }}),
        2,
    )
    .await["edgeplc"];
    assert_eq!(r["status"], "applied");
    assert_eq!(r["restart"]["state"], "failed");
    assert_eq!(
        r["restart"]["error"],
        "the IoT Edge management API is not available"
    );
}

#[tokio::test]
async fn every_bad_input_is_reported_precisely_and_leaves_every_store_as_it_was() {
    let root = tempfile::tempdir().unwrap();
    let good = pem_store(root.path(), "good");
    pem_store(root.path(), "target");
    let ca = Ca::root("Factory CA");
    let stranger_ca = Ca::root("Stranger CA");
    let mut agent = AgentStores::new(root.path().to_owned(), FakeRuntime::default());
    let fine = json!({ "trusted": { "factoryCa": b64(ca.cert()) } });
    let first = pass(&mut agent, json!({ "good": fine, "target": {} }), 1).await;
    assert_eq!(first["good"]["status"], "applied");
    assert_eq!(good.contents().unwrap().trusted.len(), 1);
    let foreign = ca.leaf(LeafSpec::server("OpcPlc", "urn:OpcPlc:edge", "edge"));
    let key_pem =
        String::from_utf8(self_signed(LeafSpec::client("K", "urn:k")).key_pem_pkcs8()).unwrap();
    let unknown = "0123456789ABCDEF0123456789ABCDEF01234567";
    let cases = [
        (
            json!({ "applicationCert": b64(&foreign.cert), "issuers": { "factoryCa": b64(ca.cert()) } }),
            "applicationCert",
            "BadCertificateInvalid",
        ),
        (
            json!({ "crls": { "stranger": BASE64.encode(stranger_ca.crl(&[])) } }),
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
        (
            json!({ "rejectUnknownRevocationStatus": false }),
            "rejectUnknownRevocationStatus",
            "BadNotSupported",
        ),
    ];
    let before = snapshot(root.path());
    for (version, (doc, item, code)) in (2..).zip(cases) {
        let stores = pass(&mut agent, json!({ "good": fine, "target": doc }), version).await;
        let r = &stores["target"];
        assert_eq!(r["status"], "rejected", "{doc}");
        assert_eq!(
            (
                r["error"]["item"].as_str().unwrap(),
                r["error"]["code"].as_str().unwrap()
            ),
            (item, code),
            "{r}"
        );
        assert_eq!(stores["good"]["status"], "applied");
        assert_eq!(snapshot(root.path()), before, "{doc}");
        assert!(
            !serde_json::to_string(&stores)
                .unwrap()
                .contains("PRIVATE KEY")
        );
    }

    // A store name that is not a plain folder name: refused by name, nothing created. One
    // that is not even a twin property name (only a twin written around IoT Hub's rules has
    // it) is left out: IoT Hub would refuse the whole report that named it.
    let mut desired = Map::new();
    desired.insert(
        "stores".into(),
        json!({ "good": fine, "..": {}, "a/b": {}, "c\\d": {} }),
    );
    let reported = agent
        .pass(&desired, Some(TwinVersion::new(9)), Trigger::Document)
        .await
        .unwrap();
    hub_proto::twin::validate_reported_patch(&reported).unwrap();
    let stores = reported["stores"].as_object().unwrap().clone();
    assert!(stores.get("..").is_none());
    for bad in ["a/b", "c\\d"] {
        assert_eq!(stores[bad]["status"], "rejected");
        assert_eq!(stores[bad]["error"]["code"], "BadInvalidArgument");
        assert!(
            stores[bad]["error"]["message"]
                .as_str()
                .unwrap()
                .contains("plain folder name")
        );
    }
    assert_eq!(stores["good"]["status"], "applied");
    assert_eq!(snapshot(root.path()), before);

    // Not a map of stores at all: nothing applied, every store says why.
    let stores = pass(&mut agent, json!(5), 10).await;
    assert_eq!(stores["good"]["status"], "rejected");
    assert_eq!(stores["good"]["error"]["code"], "BadTypeMismatch");
    assert_eq!(good.contents().unwrap().trusted.len(), 1, "nothing removed");
    assert_eq!(snapshot(root.path()), before);
}

#[tokio::test]
async fn a_new_store_is_created_with_the_annex_f_tree_unless_the_root_is_read_only() {
    use std::os::unix::fs::MetadataExt;
    let root = tempfile::tempdir().unwrap();
    pem_store(root.path(), "existing");
    // The volume belongs to the apps' user; as root the agent gives new stores to it (a plain
    // user can only own them itself, which the same assertions then check).
    let ours = std::fs::metadata(root.path()).unwrap();
    let app = if ours.uid() == 0 {
        (4242, 4343)
    } else {
        (ours.uid(), ours.gid())
    };
    std::os::unix::fs::chown(root.path(), Some(app.0), Some(app.1)).unwrap();
    let mut agent = AgentStores::new(root.path().to_owned(), FakeRuntime::default());
    let stores = pass(&mut agent, json!({ "existing": {}, "fresh": {} }), 1).await;
    assert_eq!(stores["fresh"]["status"], "applied");
    for dir in [
        "",
        "own/certs",
        "own/private",
        "trusted/certs",
        "trusted/crl",
        "issuer/certs",
        "issuer/crl",
        "rejected/certs",
    ] {
        let path = root.path().join("fresh").join(dir);
        assert!(path.is_dir(), "{dir}");
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), app, "{}", path.display());
    }
    let lock = std::fs::metadata(root.path().join("fresh/.pki.lock")).unwrap();
    assert_eq!((lock.uid(), lock.gid()), app);

    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let ca = Ca::root("Factory CA");
    let stores = pass(
        &mut agent,
        json!({ "existing": { "trusted": { "ca": b64(ca.cert()) } }, "another": {} }),
        2,
    )
    .await;
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = &stores["another"];
    assert_eq!(r["status"], "error");
    assert_eq!(r["error"]["code"], "BadConfigurationError");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("read-only"),
        "{r}"
    );
    assert!(!root.path().join("another").exists());
    // The others are still served.
    assert_eq!(stores["existing"]["status"], "applied");
    assert_eq!(
        stores["existing"]["trusted"]["ca"]["thumbprint"],
        ca.thumbprint()
    );
}

#[tokio::test]
async fn a_store_whose_folder_is_read_only_is_an_error_and_unchanged() {
    let root = tempfile::tempdir().unwrap();
    pem_store(root.path(), "locked");
    let mut agent = AgentStores::new(root.path().to_owned(), FakeRuntime::default());
    pass(&mut agent, json!({ "locked": {} }), 1).await;
    let certs = root.path().join("locked/trusted/certs");
    std::fs::set_permissions(&certs, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(root.path());
    let ca = Ca::root("Factory CA");
    let r = &pass(
        &mut agent,
        json!({ "locked": { "trusted": { "ca": b64(ca.cert()) } } }),
        2,
    )
    .await["locked"];
    std::fs::set_permissions(&certs, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(r["status"], "error");
    assert_eq!(r["error"]["code"], "BadConfigurationError");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("read-only"),
        "{r}"
    );
    assert_eq!(snapshot(root.path()), before);
}
