//! Twin queries (`ServiceClient::query_twins`) against an in-process edge-sim with several
//! modules: conditions over reported properties and tags, empty answers, paging with
//! continuation tokens (also across twin changes), bad queries and throttled pages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Tests fail loudly.

use edge_sim::state::TwinUpdate;
use edge_sim::{Config, EdgeSim, Running};
use hub_proto::ModuleId;
use hub_service::{ModuleTwin, RetryPolicy, ServiceClient, ServiceError, TlsTrust};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

/// A simulator in a temp dir; the dir lives as long as this.
struct Sim {
    running: Running,
    _dir: TempDir,
}

async fn start(modules: &[&str]) -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path()).ephemeral().with_modules(modules);
    let running = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    Sim { running, _dir: dir }
}

fn client(sim: &Running) -> ServiceClient {
    ServiceClient::from_connection_string(
        &sim.service_connection_string(),
        TlsTrust::CaPem(sim.ca_pem().to_owned()),
    )
    .unwrap()
}

/// Reports `patch` as the module would (through edge-sim's state, as edgeHub applies it).
fn report(sim: &Running, module: &str, patch: &Value) {
    sim.state()
        .patch_reported(&ModuleId::new(module).unwrap(), patch.as_object().unwrap())
        .unwrap();
}

fn ids(twins: &[ModuleTwin]) -> Vec<&str> {
    twins.iter().map(|t| t.module_id.as_str()).collect()
}

/// The five user modules of the paging tests (edge-sim may host `$edgeAgent`/`$edgeHub` too).
const USER_MODULES: &str = "SELECT * FROM devices.modules WHERE STARTSWITH(moduleId, 'm')";

#[tokio::test]
async fn is_defined_finds_the_modules_that_report_a_pki_section() {
    let sim = start(&["plc", "client", "telemetry"]).await;
    report(
        &sim.running,
        "plc",
        &json!({"pki": {"expiry": {"status": "ok"}}}),
    );
    report(
        &sim.running,
        "client",
        &json!({"pki": {"expiry": {"status": "expiring"}}}),
    );
    report(&sim.running, "telemetry", &json!({"rate": 5}));
    let client = client(&sim.running);

    let twins = client
        .query_twins(
            "SELECT * FROM devices.modules WHERE is_defined(properties.reported.pki)",
            None,
        )
        .await
        .unwrap();
    // (deviceId, moduleId) order, as whole twins of the service model.
    assert_eq!(ids(&twins), ["client", "plc"]);
    assert!(twins.iter().all(|t| t.device_id == sim.running.device_id()));
    assert_eq!(
        twins[1].reported("pki"),
        Some(json!({"expiry": {"status": "ok"}}))
    );
    assert!(twins[1].properties.reported.contains_key("$metadata"));
    assert!(twins[1].etag.is_some());

    let device = sim.running.device_id();
    let expiring = client
        .query_twins(
            &format!(
                "SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.status = \
                 'expiring' AND devices.deviceId = '{device}'"
            ),
            None,
        )
        .await
        .unwrap();
    assert_eq!(ids(&expiring), ["client"]);
}

#[tokio::test]
async fn a_query_matching_nothing_answers_no_twins() {
    let sim = start(&["m1", "m2"]).await;
    let twins = client(&sim.running)
        .query_twins(
            "SELECT * FROM devices.modules WHERE tags.site = 'nowhere'",
            Some(2),
        )
        .await
        .unwrap();
    assert!(twins.is_empty(), "{twins:?}");
}

#[tokio::test]
async fn tags_and_desired_properties_are_searched_as_the_twin_shows_them() {
    let sim = start(&["m1", "m2"]).await;
    let client = client(&sim.running);
    sim.running
        .patch_desired("m1", json!({"pki": {"trusted": {"a": "PEM"}}}))
        .unwrap();
    sim.running
        .state()
        .update_twin(
            &ModuleId::new("m2").unwrap(),
            &TwinUpdate {
                desired: None,
                tags: Some(json!({"site": "plant-a"}).as_object().unwrap().clone()),
            },
            false,
            None,
        )
        .unwrap();
    let query = |condition: &str| format!("SELECT * FROM devices.modules WHERE {condition}");
    let found = client
        .query_twins(
            &query("IS_OBJECT(properties.desired.pki) OR tags.site IN ['plant-a', 'lab']"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(ids(&found), ["m1", "m2"]);
    let found = client
        .query_twins(&query("tags.site = 'plant-a'"), None)
        .await
        .unwrap();
    assert_eq!(ids(&found), ["m2"]);
    assert_eq!(
        found[0].tags,
        Some(json!({"site": "plant-a"}).as_object().unwrap().clone())
    );
}

#[tokio::test]
async fn pages_of_two_over_five_twins_follow_continuation_tokens() {
    let sim = start(&["m1", "m2", "m3", "m4", "m5"]).await;
    let client = client(&sim.running);

    let first = client
        .query_twins_page(USER_MODULES, Some(2), None)
        .await
        .unwrap();
    assert_eq!(ids(&first.twins), ["m1", "m2"]);
    let token = first.continuation.expect("a token after the first page");
    let second = client
        .query_twins_page(USER_MODULES, Some(2), Some(&token))
        .await
        .unwrap();
    assert_eq!(ids(&second.twins), ["m3", "m4"]);
    let token = second.continuation.expect("a token after the second page");
    let third = client
        .query_twins_page(USER_MODULES, Some(2), Some(&token))
        .await
        .unwrap();
    assert_eq!(ids(&third.twins), ["m5"]);
    assert_eq!(third.continuation, None);

    // The collecting call reads the same three pages.
    let all = client.query_twins(USER_MODULES, Some(2)).await.unwrap();
    assert_eq!(ids(&all), ["m1", "m2", "m3", "m4", "m5"]);
}

#[tokio::test]
async fn a_continuation_token_resumes_after_its_twin_when_twins_change_between_pages() {
    let sim = start(&["m1", "m2", "m3", "m4", "m5"]).await;
    let client = client(&sim.running);
    let device = sim.running.device_id();
    let first = client
        .query_twins_page(USER_MODULES, Some(2), None)
        .await
        .unwrap();
    assert_eq!(ids(&first.twins), ["m1", "m2"]);
    // Between the pages: the page's last twin is deleted, a twin sorting before the token
    // and one sorting after it are added.
    client.delete_module(&device, "m2").await.unwrap();
    client.create_module(&device, "m0").await.unwrap();
    client.create_module(&device, "m35").await.unwrap();
    let rest = client
        .query_twins_page(USER_MODULES, Some(10), first.continuation.as_deref())
        .await
        .unwrap();
    assert_eq!(ids(&rest.twins), ["m3", "m35", "m4", "m5"]);
    assert_eq!(rest.continuation, None);
}

#[tokio::test]
async fn a_bad_query_is_a_400_naming_the_problem() {
    let sim = start(&["m1"]).await;
    let e = client(&sim.running)
        .query_twins("SELECT * FORM devices.modules", None)
        .await
        .unwrap_err();
    let ServiceError::Status {
        status,
        code,
        message,
    } = &e
    else {
        panic!("expected a status error, got {e:?}");
    };
    assert_eq!(*status, 400);
    assert_eq!(code.as_deref(), Some("BadRequest"));
    assert!(
        message.contains("expected FROM, found 'FORM' at column 10"),
        "{message}"
    );
}

#[tokio::test]
async fn device_twin_queries_and_counts_are_not_answered_as_module_twins() {
    let sim = start(&["m1", "m2"]).await;
    let client = client(&sim.running);
    let e = client
        .query_twins("SELECT * FROM devices", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ServiceError::Status { status: 400, message, .. } if message.contains("devices.modules")),
        "{e:?}"
    );
    let e = client
        .query_twins("SELECT COUNT() AS n FROM devices.modules", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ServiceError::Protocol(m) if m.contains("\"raw\"")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_throttled_second_page_is_retried() {
    let sim = start(&["m1", "m2", "m3", "m4", "m5"]).await;
    let client = client(&sim.running);
    let first = client
        .query_twins_page(USER_MODULES, Some(2), None)
        .await
        .unwrap();
    let token = first.continuation.unwrap();
    sim.running.faults().fail_next_service_requests(1, 429);
    let second = client
        .query_twins_page(USER_MODULES, Some(2), Some(&token))
        .await
        .unwrap();
    assert_eq!(ids(&second.twins), ["m3", "m4"]);

    // Without retries the same 429 stands: the retry above is what passed it.
    sim.running.faults().fail_next_service_requests(1, 429);
    let e = client
        .clone()
        .with_retry(RetryPolicy::none())
        .query_twins_page(USER_MODULES, Some(2), Some(&token))
        .await
        .unwrap_err();
    assert!(
        matches!(e, ServiceError::Status { status: 429, code: Some(ref c), .. } if c == "ThrottlingException"),
        "{e:?}"
    );
}
