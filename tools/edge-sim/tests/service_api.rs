//! The HTTPS service API: authentication, module twins with etags and metadata, methods,
//! configurations, module identities and twin queries.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test helpers fail loudly.

mod common;

use std::time::Duration;

use common::{Peer, https, https_with_headers, service_token, start};
use hub_proto::topic::METHOD_REQUESTS_FILTER;
use serde_json::{Value, json};

fn auth(sim: &edge_sim::Running) -> Vec<(&'static str, String)> {
    vec![("authorization", service_token(sim))]
}

fn body(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[tokio::test]
async fn request_without_a_valid_token_is_401_with_an_iot_hub_error_body() {
    let sim = start(&["m1"]).await;
    let path = format!(
        "/twins/{}/modules/m1?api-version=2021-04-12",
        sim.running.device_id()
    );
    let (status, text) = https(&sim.running, "GET", &path, &[], "").await;
    assert_eq!(status, 401);
    assert!(
        body(&text)["Message"]
            .as_str()
            .unwrap()
            .starts_with("ErrorCode:IotHubUnauthorizedAccess;")
    );
    let forged = vec![(
        "authorization",
        "SharedAccessSignature sr=x&sig=y&se=1&skn=iothubowner".to_owned(),
    )];
    let (status, _) = https(&sim.running, "GET", &path, &forged, "").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn module_twin_has_metadata_version_and_etag() {
    let sim = start(&["m1"]).await;
    sim.running
        .patch_desired("m1", json!({"pki": {"a": "b"}}))
        .unwrap();
    let path = format!(
        "/twins/{}/modules/m1?api-version=2021-04-12",
        sim.running.device_id()
    );
    let (status, text) = https(&sim.running, "GET", &path, &auth(&sim.running), "").await;
    assert_eq!(status, 200, "{text}");
    let twin = body(&text);
    assert_eq!(twin["moduleId"], "m1");
    assert_eq!(twin["etag"], "AAAAAAAAAAI=");
    assert_eq!(twin["properties"]["desired"]["$version"], 2);
    assert_eq!(twin["properties"]["desired"]["pki"], json!({"a": "b"}));
    let meta = &twin["properties"]["desired"]["$metadata"];
    assert_eq!(meta["pki"]["a"]["$lastUpdatedVersion"], 2);
    assert!(meta["$lastUpdated"].as_str().unwrap().ends_with('Z'));
    assert_eq!(twin["properties"]["reported"]["$version"], 1);
}

#[tokio::test]
async fn patch_merges_desired_and_honours_if_match() {
    let sim = start(&["m1"]).await;
    let path = format!(
        "/twins/{}/modules/m1?api-version=2021-04-12",
        sim.running.device_id()
    );
    let h = auth(&sim.running);
    let (_, text) = https(&sim.running, "GET", &path, &h, "").await;
    let etag = body(&text)["etag"].as_str().unwrap().to_owned();
    let mut with_etag = h.clone();
    with_etag.push(("if-match", format!("\"{etag}\"")));
    let change = r#"{"properties": {"desired": {"certs": {"a": "A", "b": "B"}}}}"#;
    let (status, text) = https(&sim.running, "PATCH", &path, &with_etag, change).await;
    assert_eq!(status, 200, "{text}");
    // The same etag again is stale now.
    let (status, text) = https(&sim.running, "PATCH", &path, &with_etag, change).await;
    assert_eq!(status, 412, "{text}");
    assert!(
        body(&text)["Message"]
            .as_str()
            .unwrap()
            .contains("PreconditionFailed")
    );
    let mut star = h.clone();
    star.push(("if-match", "\"*\"".to_owned()));
    let delete = r#"{"properties": {"desired": {"certs": {"a": null}}}}"#;
    let (status, text) = https(&sim.running, "PATCH", &path, &star, delete).await;
    assert_eq!(status, 200);
    assert_eq!(
        body(&text)["properties"]["desired"]["certs"],
        json!({"b": "B"})
    );
}

#[tokio::test]
async fn put_replaces_desired_and_tags() {
    let sim = start(&["m1"]).await;
    sim.running.patch_desired("m1", json!({"old": 1})).unwrap();
    let path = format!(
        "/twins/{}/modules/m1?api-version=2021-04-12",
        sim.running.device_id()
    );
    let twin = r#"{"tags": {"site": "x"}, "properties": {"desired": {"new": 2}}}"#;
    let (status, text) = https(&sim.running, "PUT", &path, &auth(&sim.running), twin).await;
    assert_eq!(status, 200, "{text}");
    let twin = body(&text);
    assert_eq!(twin["tags"], json!({"site": "x"}));
    assert_eq!(twin["properties"]["desired"]["new"], 2);
    assert!(twin["properties"]["desired"].get("old").is_none());
}

#[tokio::test]
async fn invalid_desired_property_names_are_400() {
    let sim = start(&["m1"]).await;
    let path = format!("/twins/{}/modules/m1", sim.running.device_id());
    let change = r#"{"properties": {"desired": {"a.b": 1}}}"#;
    let (status, _) = https(&sim.running, "PATCH", &path, &auth(&sim.running), change).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn unknown_module_or_device_is_404() {
    let sim = start(&["m1"]).await;
    let h = auth(&sim.running);
    let path = format!("/twins/{}/modules/nope", sim.running.device_id());
    let (status, text) = https(&sim.running, "GET", &path, &h, "").await;
    assert_eq!(status, 404);
    assert!(text.contains("ModuleNotFound"));
    let (status, text) = https(&sim.running, "GET", "/twins/other/modules/m1", &h, "").await;
    assert_eq!(status, 404);
    assert!(text.contains("DeviceNotFound"));
}

#[tokio::test]
async fn method_is_invoked_over_mqtt_and_the_result_returned() {
    let sim = start(&["m1"]).await;
    let (mut peer, _) = Peer::connect(&sim.running, "m1", false).await;
    peer.subscribe(METHOD_REQUESTS_FILTER).await;
    peer.publish("$iothub/twin/GET/?$rid=sync", "").await;
    peer.next_publish().await;
    let path = format!(
        "/twins/{}/modules/m1/methods?api-version=2021-04-12",
        sim.running.device_id()
    );
    let h = auth(&sim.running);
    let call = https(
        &sim.running,
        "POST",
        &path,
        &h,
        r#"{"methodName": "reset", "payload": {"hard": true}, "responseTimeoutInSeconds": 10}"#,
    );
    let answer = async {
        let request = peer.next_publish().await;
        let rid = request.topic.rsplit('=').next().unwrap().to_owned();
        peer.publish(
            &format!("$iothub/methods/res/201/?$rid={rid}"),
            r#"{"done": 1}"#,
        )
        .await;
    };
    let ((status, text), ()) = tokio::join!(call, answer);
    assert_eq!(status, 200, "{text}");
    assert_eq!(body(&text), json!({"status": 201, "payload": {"done": 1}}));
}

#[tokio::test]
async fn method_without_answer_is_504_and_without_connection_404() {
    let sim = start(&["m1"]).await;
    let path = format!("/twins/{}/modules/m1/methods", sim.running.device_id());
    let h = auth(&sim.running);
    let call = r#"{"methodName": "reset", "responseTimeoutInSeconds": 5}"#;
    let (status, _) = https(&sim.running, "POST", &path, &h, call).await;
    assert_eq!(status, 404);
    let (peer, _) = Peer::connect(&sim.running, "m1", false).await;
    peer.subscribe(METHOD_REQUESTS_FILTER).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, text) = https(&sim.running, "POST", &path, &h, call).await;
    assert_eq!(status, 504, "{text}");
    assert!(text.contains("GatewayTimeout"));
}

#[tokio::test]
async fn configuration_content_sets_desired_of_every_module_and_creates_identities() {
    let sim = start(&["m1"]).await;
    let path = format!(
        "/devices/{}/applyConfigurationContent?api-version=2021-04-12",
        sim.running.device_id()
    );
    let content = json!({"modulesContent": {
        "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1"}},
        "m1": {"properties.desired": {"pki": {"x": "y"}}},
        "m2": {"properties.desired": {"n": 1}}
    }});
    let (status, text) = https(
        &sim.running,
        "POST",
        &path,
        &auth(&sim.running),
        &content.to_string(),
    )
    .await;
    assert_eq!(status, 204, "{text}");
    assert_eq!(sim.running.twin("m2").unwrap().desired.properties()["n"], 1);
    assert_eq!(
        sim.running.twin("$edgeAgent").unwrap().desired.properties()["schemaVersion"],
        "1.1"
    );
    assert!(sim.running.module_connection_string("m2").is_ok());
}

#[tokio::test]
async fn module_identities_can_be_created_read_listed_and_deleted() {
    let sim = start(&[]).await;
    let h = auth(&sim.running);
    let device = sim.running.device_id();
    let path = format!("/devices/{device}/modules/newmod?api-version=2021-04-12");
    let create =
        r#"{"moduleId": "newmod", "managedBy": "tests", "authentication": {"type": "sas"}}"#;
    let (status, text) = https(&sim.running, "PUT", &path, &h, create).await;
    assert_eq!(status, 200, "{text}");
    let created = body(&text);
    assert_eq!(created["deviceId"], device.as_str());
    assert!(
        created["authentication"]["symmetricKey"]["primaryKey"]
            .as_str()
            .unwrap()
            .len()
            > 40
    );
    let (status, text) = https(&sim.running, "GET", &path, &h, "").await;
    assert_eq!(status, 200);
    assert_eq!(body(&text)["managedBy"], "tests");
    let (status, text) = https(
        &sim.running,
        "GET",
        &format!("/devices/{device}/modules"),
        &h,
        "",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body(&text).as_array().unwrap().len(), 1);
    // The new module gets a workload socket.
    let socket = sim.running.workload_socket("newmod").unwrap();
    for _ in 0..50 {
        if socket.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(socket.exists());
    let (status, _) = https(&sim.running, "DELETE", &path, &h, "").await;
    assert_eq!(status, 204);
    let (status, _) = https(&sim.running, "GET", &path, &h, "").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn injected_service_faults_refuse_requests_without_performing_them_then_pass() {
    let sim = start(&["m1"]).await;
    let path = format!(
        "/twins/{}/modules/m1?api-version=2021-04-12",
        sim.running.device_id()
    );
    let h = auth(&sim.running);
    let change = r#"{"properties": {"desired": {"x": 1}}}"#;
    sim.running.faults().fail_next_service_requests(2, 429);
    for _ in 0..2 {
        let (status, text) = https(&sim.running, "PATCH", &path, &h, change).await;
        assert_eq!(status, 429, "{text}");
        let message = body(&text)["Message"].as_str().unwrap().to_owned();
        assert!(
            message.starts_with("ErrorCode:ThrottlingException;"),
            "{message}"
        );
    }
    assert!(
        sim.running
            .twin("m1")
            .unwrap()
            .desired
            .properties()
            .get("x")
            .is_none(),
        "a refused PATCH changes nothing"
    );
    sim.running.faults().fail_next_service_requests(1, 500);
    let (status, text) = https(&sim.running, "GET", &path, &h, "").await;
    assert_eq!(status, 500, "{text}");
    assert!(
        body(&text)["Message"]
            .as_str()
            .unwrap()
            .contains("ServerError")
    );
    let (status, text) = https(&sim.running, "PATCH", &path, &h, change).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(body(&text)["properties"]["desired"]["x"], 1);

    // A delay holds the answer back at least that long; clearing it ends it.
    sim.running
        .faults()
        .delay_service_requests(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let (status, _) = https(&sim.running, "GET", &path, &h, "").await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    sim.running.faults().clear();
    let (status, _) = https(&sim.running, "GET", &path, &h, "").await;
    assert_eq!(status, 200);
}

const QUERY_PATH: &str = "/devices/query?api-version=2021-04-12";

/// Posts `query` with `headers` besides the token; status, headers and the JSON body.
async fn query(
    sim: &edge_sim::Running,
    query: &str,
    headers: &[(&'static str, String)],
) -> (u16, hyper::HeaderMap, Value) {
    let mut all = auth(sim);
    all.extend_from_slice(headers);
    let body = json!({"query": query}).to_string();
    let (status, headers, text) = https_with_headers(sim, "POST", QUERY_PATH, &all, &body).await;
    (status, headers, serde_json::from_str(&text).unwrap())
}

fn header<'a>(headers: &'a hyper::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn twin_queries_answer_twins_with_item_type_and_paging_headers() {
    let sim = start(&["m1", "m2", "m3"]).await;
    let q = "SELECT * FROM devices.modules WHERE STARTSWITH(moduleId, 'm')";
    let (status, headers, twins) = query(&sim.running, q, &[]).await;
    assert_eq!(status, 200, "{twins}");
    assert_eq!(header(&headers, "x-ms-item-type"), Some("twin"));
    assert_eq!(header(&headers, "x-ms-continuation"), None);
    let ids: Vec<&str> = twins
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["moduleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["m1", "m2", "m3"]);
    assert!(twins[0]["properties"]["desired"]["$version"].is_u64());

    let (status, headers, page) =
        query(&sim.running, q, &[("x-ms-max-item-count", "2".to_owned())]).await;
    assert_eq!(status, 200);
    assert_eq!(page.as_array().unwrap().len(), 2);
    let token = header(&headers, "x-ms-continuation").unwrap().to_owned();
    let (status, headers, page) = query(
        &sim.running,
        q,
        &[
            ("x-ms-max-item-count", "2".to_owned()),
            ("x-ms-continuation", token),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page[0]["moduleId"], "m3");
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert_eq!(header(&headers, "x-ms-continuation"), None);

    let (status, headers, count) = query(
        &sim.running,
        "SELECT COUNT() AS n FROM devices.modules WHERE STARTSWITH(moduleId, 'm')",
        &[("x-ms-max-item-count", "1".to_owned())],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(count, json!([{"n": 3}]));
    assert_eq!(header(&headers, "x-ms-item-type"), Some("raw"));
}

#[tokio::test]
async fn twin_queries_refuse_bad_input_with_400_and_need_the_token() {
    let sim = start(&["m1"]).await;
    let q = "SELECT * FROM devices.modules";
    let message = |body: &Value| body["Message"].as_str().unwrap().to_owned();
    for (headers, expected) in [
        (
            vec![("x-ms-max-item-count", "0".to_owned())],
            "x-ms-max-item-count \"0\"",
        ),
        (
            vec![("x-ms-continuation", "garbage".to_owned())],
            "not a continuation token",
        ),
    ] {
        let (status, _, body) = query(&sim.running, q, &headers).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            message(&body).starts_with("ErrorCode:BadRequest;"),
            "{body}"
        );
        assert!(message(&body).contains(expected), "{body}");
    }
    let (status, _, body) = query(&sim.running, "SELECT * FROM devices.modules WHERE", &[]).await;
    assert_eq!(status, 400);
    assert!(
        message(&body).contains(
            "expected a property path or a literal, found the end of the query at column 36"
        ),
        "{body}"
    );
    let auth = auth(&sim.running);
    let (status, text) = https(&sim.running, "POST", QUERY_PATH, &auth, r#"{"q": 1}"#).await;
    assert_eq!(status, 400);
    assert!(text.contains("names no query"), "{text}");
    let (status, _) = https(&sim.running, "GET", QUERY_PATH, &auth, "").await;
    assert_eq!(status, 405);
    let (status, _) = https(
        &sim.running,
        "POST",
        QUERY_PATH,
        &[],
        r#"{"query": "SELECT * FROM devices.modules"}"#,
    )
    .await;
    assert_eq!(status, 401);
}
