//! Fleets: devices with in-process module twins on real stores, served by the service API
//! (twins, paged queries), online/offline, throttling like IoT Hub, and configurations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test helpers fail loudly.

mod common;

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::{https, https_with_headers, service_token};
use edge_sim::service_api::throttle::RateLimit;
use edge_sim::{Config, EdgeSim, FleetConfig, Running};
use openssl::x509::{X509, X509Req};
use pki::{Store, StoreLayout};
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec};
use tokio_util::sync::CancellationToken;

/// How long the fleet gets to converge.
const PATIENCE: Duration = Duration::from_mins(1);
const API: &str = "api-version=2021-04-12";

async fn start_fleet(dir: &std::path::Path, devices: u32) -> Running {
    let config = Config::new(dir)
        .ephemeral()
        .with_fleet(FleetConfig::new(devices));
    EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap()
}

fn auth(sim: &Running) -> Vec<(&'static str, String)> {
    vec![("authorization", service_token(sim))]
}

async fn get_twin(sim: &Running, device: &str, module: &str) -> Value {
    let path = format!("/twins/{device}/modules/{module}?{API}");
    let (status, text) = https(sim, "GET", &path, &auth(sim), "").await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn patch_desired(sim: &Running, device: &str, module: &str, desired: Value) -> Value {
    let path = format!("/twins/{device}/modules/{module}?{API}");
    let body = json!({"properties": {"desired": desired}}).to_string();
    let (status, text) = https(sim, "PATCH", &path, &auth(sim), &body).await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Polls `check` on the twin until it holds.
async fn until(
    sim: &Running,
    device: &str,
    module: &str,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let started = Instant::now();
    loop {
        let twin = get_twin(sim, device, module).await;
        if check(&twin) {
            return twin;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "{device}/{module}: {what} did not happen: {twin:#}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every page of `query` with pages of `size`: the twins and the number of pages.
async fn query_all(sim: &Running, query: &str, size: u32) -> (Vec<Value>, usize) {
    let mut twins = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut headers = auth(sim);
        headers.push(("x-ms-max-item-count", size.to_string()));
        if let Some(token) = &token {
            headers.push(("x-ms-continuation", token.clone()));
        }
        let body = json!({"query": query}).to_string();
        let (status, answer, text) = https_with_headers(
            sim,
            "POST",
            &format!("/devices/query?{API}"),
            &headers,
            &body,
        )
        .await;
        assert_eq!(status, 200, "{text}");
        pages += 1;
        let page: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert!(page.len() <= size as usize);
        twins.extend(page);
        match answer.get("x-ms-continuation") {
            Some(next) => token = Some(next.to_str().unwrap().to_owned()),
            None => return (twins, pages),
        }
    }
}

fn b64(cert: &X509) -> String {
    BASE64.encode(cert.to_der().unwrap())
}

/// Signs the CSR a fleet store reports, for the key and subject of the store's certificate.
fn sign(ca: &Ca, store_dir: &std::path::Path, device: &str, reported: &Value) -> X509 {
    let der = BASE64.decode(reported["csr"].as_str().unwrap()).unwrap();
    let request = X509Req::from_der(&der).unwrap();
    let store = Store::open(StoreLayout::under(store_dir)).unwrap();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();
    assert!(request.public_key().unwrap().public_eq(key.pkey()));
    let uri = own.cert.application_uri().unwrap().to_owned();
    let spec = LeafSpec::server(own.cert.common_name().unwrap(), &uri, device)
        .with_key(key.pkey().clone())
        .organization(device);
    ca.leaf(spec).cert
}

fn thumbprint(cert: &X509) -> String {
    let digest = cert.digest(openssl::hash::MessageDigest::sha1()).unwrap();
    digest.iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02X}");
        hex
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_devices_report_self_signed_certificates_and_a_query_pages_through_them() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_fleet(dir.path(), 100).await;
    let fleet = sim.fleet().unwrap();
    assert_eq!(fleet.devices().len(), 100);
    // Every module reports its self-signed certificate and a CSR.
    let q = "SELECT * FROM devices.modules WHERE is_defined(properties.reported.pki.csr) \
             OR is_defined(properties.reported.stores.plc.csr)";
    let started = Instant::now();
    let twins = loop {
        let (twins, _) = query_all(&sim, q, 100).await;
        if twins.len() == 200 {
            break twins;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "{} of 200 reported",
            twins.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for twin in &twins {
        let device = twin["deviceId"].as_str().unwrap();
        let reported = match twin["moduleId"].as_str().unwrap() {
            "opcplc" => &twin["properties"]["reported"]["pki"],
            "certagent" => &twin["properties"]["reported"]["stores"]["plc"],
            other => panic!("unexpected module {other}"),
        };
        assert_eq!(reported["status"], "applied", "{twin:#}");
        let cert = &reported["applicationCert"];
        assert_eq!(cert["subject"], cert["issuer"], "self-signed: {twin:#}");
        assert!(
            cert["applicationUri"]
                .as_str()
                .unwrap()
                .starts_with(&format!("urn:{device}:")),
            "{twin:#}"
        );
        assert_eq!(twin["connectionState"], "Connected");
    }
    // The own-`pki` twins, 30 a page: four pages in (deviceId, moduleId) order.
    let (twins, pages) = query_all(
        &sim,
        "SELECT * FROM devices.modules WHERE is_defined(properties.reported.pki)",
        30,
    )
    .await;
    assert_eq!((twins.len(), pages), (100, 4));
    let devices: Vec<&str> = twins
        .iter()
        .map(|t| t["deviceId"].as_str().unwrap())
        .collect();
    let mut sorted = devices.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(devices, sorted, "in order, none twice");
    assert_eq!(devices[0], "plant-0001");
    assert_eq!(devices[99], "plant-0100");
    // A count covers the fleet and the edge device's (here: no) modules.
    let body = json!({"query": "SELECT COUNT() AS n FROM devices.modules WHERE STARTSWITH(deviceId, 'plant-00')"}).to_string();
    let (status, text) = https(
        &sim,
        "POST",
        &format!("/devices/query?{API}"),
        &auth(&sim),
        &body,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!([{"n": 198}])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_signed_for_the_reported_csr_is_applied_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_fleet(dir.path(), 3).await;
    let ca = Ca::root("Fleet CA");
    let device = "plant-0002";
    let store_root = dir.path().join("fleet").join(device);
    for (module, section, store_dir) in [
        ("opcplc", vec!["pki"], store_root.join("opcplc")),
        (
            "certagent",
            vec!["stores", "plc"],
            store_root.join("certagent").join("plc"),
        ),
    ] {
        let at = |twin: &Value| {
            section
                .iter()
                .fold(&twin["properties"]["reported"], |v, k| &v[*k])
                .clone()
        };
        let twin = until(&sim, device, module, "the first report", |t| {
            at(t)["csr"].is_string()
        })
        .await;
        let signed = sign(&ca, &store_dir, device, &at(&twin));
        let document =
            json!({"applicationCert": b64(&signed), "issuers": {"fleetCa": b64(ca.cert())}});
        let desired = if section.len() == 1 {
            json!({"pki": document})
        } else {
            json!({"stores": {"plc": document}})
        };
        let written = patch_desired(&sim, device, module, desired).await;
        let version = written["properties"]["desired"]["$version"]
            .as_u64()
            .unwrap();
        let expected = thumbprint(&signed);
        let twin = until(&sim, device, module, "the new certificate", |t| {
            let r = at(t);
            r["status"] == "applied"
                && r["desiredVersion"] == version
                && r["applicationCert"]["thumbprint"] == expected.as_str()
        })
        .await;
        let r = at(&twin);
        assert_eq!(r["applicationCert"]["issuer"], "CN=Fleet CA", "{r:#}");
        assert!(r["issuers"]["fleetCa"].is_object(), "{r:#}");
    }
    // The other devices kept their self-signed certificates.
    let other = get_twin(&sim, "plant-0001", "opcplc").await;
    let cert = &other["properties"]["reported"]["pki"]["applicationCert"];
    assert_eq!(cert["subject"], cert["issuer"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_device_accepts_desired_patches_reports_nothing_and_converges_online() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_fleet(dir.path(), 2).await;
    let fleet = sim.fleet().unwrap().clone();
    let device = "plant-0001";
    until(&sim, device, "opcplc", "the first report", |t| {
        t["properties"]["reported"]["pki"]["status"] == "applied"
    })
    .await;
    fleet.set_online(device, false).unwrap();
    assert_eq!(fleet.is_online(device), Some(false));
    let before = get_twin(&sim, device, "opcplc").await;
    assert_eq!(before["connectionState"], "Disconnected");
    let mut last = 0;
    for days in [20, 30, 40] {
        let written = patch_desired(
            &sim,
            device,
            "opcplc",
            json!({"pki": {"expiryWarningDays": days, "rejectSha1SignedCertificates": false}}),
        )
        .await;
        last = written["properties"]["desired"]["$version"]
            .as_u64()
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let offline = get_twin(&sim, device, "opcplc").await;
    assert_eq!(
        offline["properties"]["reported"], before["properties"]["reported"],
        "an offline module reports nothing"
    );
    // The other device is unaffected.
    assert_eq!(
        get_twin(&sim, "plant-0002", "opcplc").await["connectionState"],
        "Connected"
    );
    // The library call writes desired properties like the service API.
    let agent = hub_proto::ModuleId::new("certagent").unwrap();
    let patch = json!({"stores": {"plc": {"expiryWarningDays": 12}}});
    let agent_version = fleet
        .patch_desired(device, &agent, patch.as_object().unwrap().clone())
        .unwrap()
        .desired
        .version();
    fleet.set_online(device, true).unwrap();
    until(
        &sim,
        device,
        "certagent",
        "the agent's document applied",
        |t| {
            let r = &t["properties"]["reported"]["stores"]["plc"];
            r["status"] == "applied" && r["desiredVersion"] == agent_version
        },
    )
    .await;
    let twin = until(
        &sim,
        device,
        "opcplc",
        "the full document applied after reconnecting",
        |t| {
            let r = &t["properties"]["reported"]["pki"];
            r["status"] == "applied" && r["desiredVersion"] == last
        },
    )
    .await;
    assert_eq!(twin["connectionState"], "Connected");
    assert_eq!(
        twin["properties"]["reported"]["pki"]["rejectSha1SignedCertificates"],
        false
    );
    assert!(fleet.set_online("plant-9999", false).is_err());
}

#[tokio::test]
async fn requests_beyond_the_rate_limit_are_429_with_retry_after_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path())
        .ephemeral()
        .with_modules(["m1"])
        .with_rate_limit(RateLimit {
            rate: 2.0,
            burst: 3,
        });
    let sim = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    let path = format!("/twins/{}/modules/m1?{API}", sim.device_id());
    let served = sim.admitted_requests();
    let mut refused = 0;
    let mut ok = 0;
    for _ in 0..10 {
        let (status, headers, text) = https_with_headers(&sim, "GET", &path, &auth(&sim), "").await;
        match status {
            200 => ok += 1,
            429 => {
                refused += 1;
                let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
                assert!((1..=2).contains(&retry), "{retry}");
                let body: Value = serde_json::from_str(&text).unwrap();
                assert!(
                    body["Message"]
                        .as_str()
                        .unwrap()
                        .starts_with("ErrorCode:ThrottlingException;"),
                    "{body}"
                );
            }
            other => panic!("unexpected {other}: {text}"),
        }
    }
    assert!(ok >= 3 && refused >= 5, "ok {ok}, refused {refused}");
    assert_eq!(sim.throttled_requests(), refused);
    assert_eq!(sim.admitted_requests() - served, ok);
    // Without a limit every request passes again (and is counted), and the 429 count stays.
    sim.set_rate_limit(None);
    let (status, _) = https(&sim, "GET", &path, &auth(&sim), "").await;
    assert_eq!(status, 200);
    assert_eq!(sim.throttled_requests(), refused);
    assert_eq!(sim.admitted_requests() - served, ok + 1);
}

async fn put_configuration(
    sim: &Running,
    id: &str,
    body: &Value,
    if_match: Option<&str>,
) -> (u16, Value) {
    let mut headers = auth(sim);
    if let Some(etag) = if_match {
        headers.push(("if-match", format!("\"{etag}\"")));
    }
    let (status, text) = https(
        sim,
        "PUT",
        &format!("/configurations/{id}?{API}"),
        &headers,
        &body.to_string(),
    )
    .await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get_configuration(sim: &Running, id: &str) -> Value {
    let (status, text) = https(
        sim,
        "GET",
        &format!("/configurations/{id}?{API}"),
        &auth(sim),
        "",
    )
    .await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Waits until both configurations count their devices applied (and the user metric).
async fn wait_for_metrics(sim: &Running) {
    let started = Instant::now();
    loop {
        let (b, h) = (
            get_configuration(sim, "fleet-base").await,
            get_configuration(sim, "line-a").await,
        );
        assert_eq!(b["systemMetrics"]["results"]["targetedCount"], 4);
        assert_eq!(h["systemMetrics"]["results"]["targetedCount"], 2);
        if b["systemMetrics"]["results"]["appliedCount"] == 4
            && h["systemMetrics"]["results"]["appliedCount"] == 2
            && b["metrics"]["results"]["sha1Accepted"] == 4
        {
            return;
        }
        assert!(started.elapsed() < PATIENCE, "{b:#} {h:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn desired_pki(twin: &Value) -> Value {
    twin["properties"]["desired"]["pki"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configurations_layer_desired_properties_by_priority_and_deletion_restores() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_fleet(dir.path(), 4).await;
    let low = json!({
        "id": "fleet-base",
        "content": {"modulesContent": {"opcplc": {
            "properties.desired.pki.expiryWarningDays": 20,
            "properties.desired.pki.rejectSha1SignedCertificates": false,
        }}},
        "targetCondition": "STARTSWITH(deviceId, 'plant-')",
        "priority": 1,
        "labels": {"layer": "base"},
        "metrics": {"queries": {"sha1Accepted": "SELECT deviceId FROM devices.modules WHERE properties.reported.pki.rejectSha1SignedCertificates = false"}},
    });
    let high = json!({
        "id": "line-a",
        "content": {"modulesContent": {"opcplc": {"properties.desired.pki.expiryWarningDays": 45}}},
        "targetCondition": "deviceId IN ['plant-0001', 'plant-0002']",
        "priority": 10,
    });
    let (status, created) = put_configuration(&sim, "fleet-base", &low, None).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["schemaVersion"], "1.0");
    assert!(created["createdTimeUtc"].is_string());
    let (status, high_created) = put_configuration(&sim, "line-a", &high, None).await;
    assert_eq!(status, 200, "{high_created}");
    // The higher priority wins on its path; the lower one still sets the other path.
    for (device, days) in [
        ("plant-0001", 45),
        ("plant-0002", 45),
        ("plant-0003", 20),
        ("plant-0004", 20),
    ] {
        let pki = desired_pki(&get_twin(&sim, device, "opcplc").await);
        assert_eq!(
            pki,
            json!({"expiryWarningDays": days, "rejectSha1SignedCertificates": false}),
            "{device}"
        );
    }
    // Metrics: targeted at once, applied once the modules reported.
    wait_for_metrics(&sim).await;
    // A deployment replacing a device's desired properties gets the layers on top again.
    let base = json!({"modulesContent": {"opcplc": {"properties.desired": {"pki": {"minimumCertificateKeySize": 2048}}}}});
    let (status, text) = https(
        &sim,
        "POST",
        &format!("/devices/plant-0003/applyConfigurationContent?{API}"),
        &auth(&sim),
        &base.to_string(),
    )
    .await;
    assert_eq!(status, 204, "{text}");
    assert_eq!(
        desired_pki(&get_twin(&sim, "plant-0003", "opcplc").await),
        json!({"minimumCertificateKeySize": 2048, "expiryWarningDays": 20, "rejectSha1SignedCertificates": false})
    );
    // Deleting the higher one brings the lower one's value back; deleting that one removes
    // what it set.
    let (status, _) = https(
        &sim,
        "DELETE",
        &format!("/configurations/line-a?{API}"),
        &auth(&sim),
        "",
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        desired_pki(&get_twin(&sim, "plant-0001", "opcplc").await)["expiryWarningDays"],
        20
    );
    let (status, _) = https(
        &sim,
        "DELETE",
        &format!("/configurations/fleet-base?{API}"),
        &auth(&sim),
        "",
    )
    .await;
    assert_eq!(status, 204);
    let pki = desired_pki(&get_twin(&sim, "plant-0004", "opcplc").await);
    assert!(
        pki.as_object().is_none_or(serde_json::Map::is_empty),
        "{pki}"
    );
    assert_eq!(
        desired_pki(&get_twin(&sim, "plant-0003", "opcplc").await),
        json!({"minimumCertificateKeySize": 2048}),
        "the deployment's base stays"
    );
    let (status, _) = https(
        &sim,
        "GET",
        &format!("/configurations/line-a?{API}"),
        &auth(&sim),
        "",
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn configurations_refuse_stale_etags_and_bad_documents() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_fleet(dir.path(), 2).await;
    let low = json!({"id": "fleet-base", "targetCondition": "*", "priority": 1});
    let high = json!({
        "id": "line-a",
        "content": {"modulesContent": {"opcplc": {"properties.desired.pki.expiryWarningDays": 45}}},
        "targetCondition": "deviceId = 'plant-0001'",
        "priority": 10,
    });
    assert_eq!(
        put_configuration(&sim, "fleet-base", &low, None).await.0,
        200
    );
    let (status, high_created) = put_configuration(&sim, "line-a", &high, None).await;
    assert_eq!(status, 200, "{high_created}");
    // A stale etag is refused and changes nothing; the current one replaces.
    let stale = high_created["etag"].as_str().unwrap().to_owned();
    let (status, _) = put_configuration(&sim, "line-a", &high, Some(&stale)).await;
    assert_eq!(status, 200, "the current etag replaces");
    let (status, refused) = put_configuration(&sim, "line-a", &high, Some(&stale)).await;
    assert_eq!(status, 412, "{refused}");
    assert!(
        refused["Message"]
            .as_str()
            .unwrap()
            .starts_with("ErrorCode:PreconditionFailed;")
    );
    let mut nope = high.clone();
    nope["id"] = json!("nope");
    let (status, _) = put_configuration(&sim, "nope", &nope, Some(&stale)).await;
    assert_eq!(
        status, 412,
        "an etag for a configuration that does not exist"
    );
    let (status, text) = https(
        &sim,
        "GET",
        &format!("/configurations?{API}"),
        &auth(&sim),
        "",
    )
    .await;
    assert_eq!(status, 200);
    let ids: Vec<String> = serde_json::from_str::<Vec<Value>>(&text)
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["fleet-base", "line-a"]);
    // Bad input is a 400 with the reason.
    let bad = json!({"id": "bad", "content": {"modulesContent": {"opcplc": {"properties.reported.x": 1}}}, "targetCondition": "*"});
    let (status, body) = put_configuration(&sim, "bad", &bad, None).await;
    assert_eq!(status, 400, "{body}");
    let bad = json!({"id": "bad", "targetCondition": "deviceId = "});
    let (status, body) = put_configuration(&sim, "bad", &bad, None).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_identities_are_read_only_and_configuration_content_replaces_desired() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_fleet(dir.path(), 2).await;
    let h = auth(&sim);
    let (status, text) = https(
        &sim,
        "GET",
        &format!("/devices/plant-0001/modules?{API}"),
        &h,
        "",
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let modules: Vec<Value> = serde_json::from_str(&text).unwrap();
    let ids: Vec<&str> = modules
        .iter()
        .map(|m| m["moduleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["certagent", "opcplc"]);
    assert_eq!(modules[0]["deviceId"], "plant-0001");
    assert!(modules[0]["authentication"]["symmetricKey"]["primaryKey"].is_string());
    let one = format!("/devices/plant-0001/modules/opcplc?{API}");
    assert_eq!(https(&sim, "GET", &one, &h, "").await.0, 200);
    assert_eq!(https(&sim, "PUT", &one, &h, "{}").await.0, 405);
    assert_eq!(https(&sim, "DELETE", &one, &h, "").await.0, 405);
    let (status, _) = https(
        &sim,
        "GET",
        &format!("/devices/plant-0001/modules/nope?{API}"),
        &h,
        "",
    )
    .await;
    assert_eq!(status, 404);
    let (status, text) = https(
        &sim,
        "POST",
        &format!("/twins/plant-0001/modules/opcplc/methods?{API}"),
        &h,
        r#"{"methodName": "ping", "payload": null}"#,
    )
    .await;
    assert_eq!(status, 404, "{text}");
    assert!(text.contains("DeviceNotOnline"), "{text}");
    // A deployment's content replaces the desired properties of the modules the device has.
    patch_desired(
        &sim,
        "plant-0001",
        "opcplc",
        json!({"pki": {"expiryWarningDays": 5}, "other": 1}),
    )
    .await;
    let content = json!({"modulesContent": {
        "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1"}},
        "opcplc": {"properties.desired": {"pki": {"expiryWarningDays": 10}}},
        "unknown": {"properties.desired": {"x": 1}},
    }});
    let (status, text) = https(
        &sim,
        "POST",
        &format!("/devices/plant-0001/applyConfigurationContent?{API}"),
        &h,
        &content.to_string(),
    )
    .await;
    assert_eq!(status, 204, "{text}");
    let twin = get_twin(&sim, "plant-0001", "opcplc").await;
    let desired = &twin["properties"]["desired"];
    assert_eq!(desired["pki"], json!({"expiryWarningDays": 10}));
    assert!(desired.get("other").is_none(), "{desired}");
    let version = desired["$version"].as_u64().unwrap();
    until(
        &sim,
        "plant-0001",
        "opcplc",
        "the deployed document applied",
        |t| t["properties"]["reported"]["pki"]["desiredVersion"] == version,
    )
    .await;
    let (status, _) = https(
        &sim,
        "GET",
        &format!("/devices/plant-0009/modules?{API}"),
        &h,
        "",
    )
    .await;
    assert_eq!(status, 404, "no such device");
}
