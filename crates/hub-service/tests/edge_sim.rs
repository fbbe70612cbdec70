//! `ServiceClient` against an in-process edge-sim on free ports: twins, methods,
//! configuration content, identities, errors, retries, authentication and TLS.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Tests fail loudly.

use std::time::Duration;

use edge_client::{ClientOptions, MethodReply, ModuleClient};
use edge_sim::{AgentOptions, Config, EdgeSim, Running, harness};
use hub_proto::MethodName;
use hub_service::{ConfigError, RetryPolicy, ServiceClient, ServiceError, TlsTrust};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

/// How long a test waits for something that should happen.
const WAIT: Duration = Duration::from_secs(10);

/// A simulator in a temp dir; the dir lives as long as this.
struct Sim {
    running: Running,
    _dir: TempDir,
}

async fn start_with(modules: &[&str], configure: impl FnOnce(&mut Config)) -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path()).ephemeral().with_modules(modules);
    configure(&mut config);
    let running = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    Sim { running, _dir: dir }
}

async fn start(modules: &[&str]) -> Sim {
    start_with(modules, |_| {}).await
}

/// A client as an operator's tool builds it: the service connection string and the dev CA.
fn client(sim: &Running) -> ServiceClient {
    ServiceClient::from_connection_string(
        &sim.service_connection_string(),
        TlsTrust::CaPem(sim.ca_pem().to_owned()),
    )
    .unwrap()
}

fn desired_of(sim: &Running, module: &str) -> Value {
    Value::Object(sim.twin(module).unwrap().desired.properties().clone())
}

#[tokio::test]
async fn a_module_twin_is_read_with_its_versions_and_members_without_metadata() {
    let sim = start(&["m1"]).await;
    sim.running
        .patch_desired("m1", json!({"pki": {"trusted": {"a": "PEM-A"}}}))
        .unwrap();
    let twin = client(&sim.running)
        .get_module_twin(&sim.running.device_id(), "m1")
        .await
        .unwrap();
    assert_eq!(twin.device_id, sim.running.device_id());
    assert_eq!(twin.module_id, "m1");
    assert!(twin.etag.is_some());
    assert!(twin.version.is_some());
    assert_eq!(twin.desired_version().unwrap().get(), 2);
    assert_eq!(twin.reported_version().unwrap().get(), 1);
    assert!(twin.properties.desired.contains_key("$metadata"));
    assert_eq!(
        twin.desired("pki"),
        Some(json!({"trusted": {"a": "PEM-A"}}))
    );
    assert_eq!(twin.other["connectionState"], "Disconnected");
}

#[tokio::test]
async fn a_patch_conditioned_on_a_stale_etag_is_refused_and_writes_nothing() {
    let sim = start(&["m1"]).await;
    let client = client(&sim.running);
    let device = sim.running.device_id();
    let read = client.get_module_twin(&device, "m1").await.unwrap();
    let etag = read.etag.clone().unwrap();
    let written = client
        .update_module_desired_if_match(&device, "m1", &json!({"mode": "a"}), &etag)
        .await
        .unwrap();
    assert_ne!(written.etag.as_deref(), Some(etag.as_str()));
    // A second editor still holding the first etag is refused; the first edit stands.
    let refused = client
        .update_module_desired_if_match(&device, "m1", &json!({"mode": "b"}), &etag)
        .await
        .unwrap_err();
    match &refused {
        ServiceError::Status { status, code, .. } => {
            assert_eq!(*status, 412);
            assert_eq!(code.as_deref(), Some("PreconditionFailed"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(desired_of(&sim.running, "m1"), json!({"mode": "a"}));
    // The etag of the last read, quoted or not, is accepted.
    let fresh = written.etag.unwrap();
    client
        .update_module_desired_if_match(
            &device,
            "m1",
            &json!({"mode": "c"}),
            &format!("\"{fresh}\""),
        )
        .await
        .unwrap();
    assert_eq!(desired_of(&sim.running, "m1"), json!({"mode": "c"}));
}

#[tokio::test]
async fn a_desired_patch_is_merged_and_a_null_member_deletes_the_property() {
    let sim = start(&["m1"]).await;
    let client = client(&sim.running);
    let device = sim.running.device_id();
    let twin = client
        .update_module_desired(
            &device,
            "m1",
            &json!({"certs": {"a": "PEM-A", "b": "PEM-B"}, "mode": "x"}),
        )
        .await
        .unwrap();
    assert_eq!(
        twin.desired("certs"),
        Some(json!({"a": "PEM-A", "b": "PEM-B"}))
    );
    assert_eq!(
        desired_of(&sim.running, "m1"),
        json!({"certs": {"a": "PEM-A", "b": "PEM-B"}, "mode": "x"})
    );
    let twin = client
        .update_module_desired(&device, "m1", &json!({"certs": {"a": null}, "mode": null}))
        .await
        .unwrap();
    assert_eq!(
        Value::Object(twin.desired_properties()),
        json!({"certs": {"b": "PEM-B"}})
    );
    assert_eq!(
        desired_of(&sim.running, "m1"),
        json!({"certs": {"b": "PEM-B"}})
    );
}

#[tokio::test]
async fn a_replace_leaves_only_the_given_desired_properties() {
    let sim = start(&["m1"]).await;
    sim.running
        .patch_desired("m1", json!({"old": 1, "kept": {"a": 1}}))
        .unwrap();
    let twin = client(&sim.running)
        .replace_module_desired(&sim.running.device_id(), "m1", &json!({"kept": {"b": 2}}))
        .await
        .unwrap();
    assert_eq!(
        Value::Object(twin.desired_properties()),
        json!({"kept": {"b": 2}})
    );
    assert_eq!(desired_of(&sim.running, "m1"), json!({"kept": {"b": 2}}));
}

#[tokio::test]
async fn edge_agent_answers_ping_through_the_percent_encoded_path() {
    let sim = start(&[]).await;
    let dir = sim.running.state_dir().to_owned();
    let manifest = harness::manifest::<&str>([]);
    let (agent, _logs) =
        harness::deploy(&sim.running, &dir, &manifest, AgentOptions::default()).await;
    let client = client(&sim.running);
    let device = sim.running.device_id();
    let answer = client
        .invoke_module_method(&device, "$edgeAgent", "ping", &Value::Null, WAIT)
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    let twin = client.get_module_twin(&device, "$edgeAgent").await.unwrap();
    assert_eq!(twin.module_id, "$edgeAgent");
    assert_eq!(twin.desired("schemaVersion"), Some(json!("1.1")));
    agent.shutdown().await;
}

#[tokio::test]
async fn a_connected_module_answers_a_method_with_its_status_and_payload() {
    let sim = start(&["m1"]).await;
    let module = ModuleClient::from_connection_string(
        &sim.running.module_connection_string("m1").unwrap(),
        sim.running.ca_pem(),
        ClientOptions {
            port: sim.running.mqtt_port(),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    module.on_method(MethodName::new("echo").unwrap(), |call| async move {
        MethodReply::new(201, json!({"echo": call.payload}))
    });
    // The module subscribes to methods right after its CONNACK; its first twin answer says
    // the subscription is in place.
    tokio::time::timeout(WAIT, module.get_twin())
        .await
        .unwrap()
        .unwrap();
    let answer = client(&sim.running)
        .invoke_module_method(
            &sim.running.device_id(),
            "m1",
            "echo",
            &json!({"n": 1}),
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 201);
    assert_eq!(answer.payload, json!({"echo": {"n": 1}}));
}

#[tokio::test]
async fn a_method_of_a_module_that_is_not_connected_is_a_404_status() {
    let sim = start(&["m1"]).await;
    let e = client(&sim.running)
        .invoke_module_method(
            &sim.running.device_id(),
            "m1",
            "reset",
            &Value::Null,
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, ServiceError::Status { status: 404, code: Some(ref c), .. } if c == "DeviceNotOnline"),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_update_of_an_unknown_module_is_a_404_status_with_the_hub_error_code() {
    let sim = start(&["m1"]).await;
    let e = client(&sim.running)
        .update_module_desired(&sim.running.device_id(), "nope", &json!({"a": 1}))
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
    assert_eq!(*status, 404);
    assert_eq!(code.as_deref(), Some("ModuleNotFound"));
    assert!(message.contains("nope"), "{message}");
    assert!(
        e.to_string()
            .starts_with("service api answered 404 ModuleNotFound: ")
    );
}

#[tokio::test]
async fn throttled_requests_are_retried_until_they_pass() {
    let sim = start(&["m1"]).await;
    sim.running.faults().fail_next_service_requests(2, 429);
    let twin = client(&sim.running)
        .update_module_desired(&sim.running.device_id(), "m1", &json!({"x": 1}))
        .await
        .unwrap();
    assert_eq!(twin.desired("x"), Some(json!(1)));
    // Refused attempts change nothing: the patch was applied once.
    assert_eq!(twin.desired_version().unwrap().get(), 2);
}

#[tokio::test]
async fn throttling_beyond_three_attempts_is_a_429_status() {
    let sim = start(&["m1"]).await;
    let client = client(&sim.running);
    let device = sim.running.device_id();
    sim.running.faults().fail_next_service_requests(4, 429);
    let e = client.get_module_twin(&device, "m1").await.unwrap_err();
    assert!(
        matches!(e, ServiceError::Status { status: 429, code: Some(ref c), .. } if c == "ThrottlingException"),
        "{e:?}"
    );
    // Three attempts took three of the four faults: the next call is refused once, then
    // passes.
    client.get_module_twin(&device, "m1").await.unwrap();
    sim.running.faults().fail_next_service_requests(1, 500);
    let e = client
        .clone()
        .with_retry(RetryPolicy::none())
        .get_module_twin(&device, "m1")
        .await
        .unwrap_err();
    assert!(
        matches!(e, ServiceError::Status { status: 500, .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_wrong_key_is_a_401_status() {
    let sim = start(&["m1"]).await;
    let cs = sim.running.service_connection_string();
    let (head, _key) = cs.split_once("SharedAccessKey=").unwrap();
    let wrong = format!("{head}SharedAccessKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    let client = ServiceClient::from_connection_string(
        &wrong,
        TlsTrust::CaPem(sim.running.ca_pem().to_owned()),
    )
    .unwrap();
    let e = client
        .get_module_twin(&sim.running.device_id(), "m1")
        .await
        .unwrap_err();
    assert!(
        matches!(e, ServiceError::Status { status: 401, code: Some(ref c), .. } if c == "IotHubUnauthorizedAccess"),
        "{e:?}"
    );
}

#[tokio::test]
async fn configuration_content_sets_the_desired_properties_of_each_listed_module() {
    let sim = start(&["m1"]).await;
    let content = json!({"modulesContent": {
        "m1": {"properties.desired": {"pki": {"x": "y"}}},
        "m2": {"properties.desired": {"n": 1}}
    }});
    client(&sim.running)
        .apply_configuration_content(&sim.running.device_id(), &content)
        .await
        .unwrap();
    assert_eq!(desired_of(&sim.running, "m1"), json!({"pki": {"x": "y"}}));
    assert_eq!(desired_of(&sim.running, "m2"), json!({"n": 1}));
}

#[tokio::test]
async fn module_identities_are_created_listed_read_and_deleted() {
    let sim = start(&["m1"]).await;
    let client = client(&sim.running);
    let device = sim.running.device_id();
    let created = client.create_module(&device, "newmod").await.unwrap();
    assert_eq!(created.module_id, "newmod");
    assert_eq!(created.device_id, device);
    assert!(created.primary_key().is_some_and(|k| k.len() > 40));
    let read = client.get_module(&device, "newmod").await.unwrap();
    assert_eq!(read.primary_key(), created.primary_key());
    assert_eq!(read.generation_id, created.generation_id);
    let mut listed: Vec<String> = client
        .list_modules(&device)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.module_id)
        .collect();
    listed.sort();
    assert_eq!(listed, ["m1", "newmod"]);
    client.delete_module(&device, "newmod").await.unwrap();
    let e = client.get_module(&device, "newmod").await.unwrap_err();
    assert!(
        matches!(e, ServiceError::Status { status: 404, .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_host_name_the_server_certificate_does_not_name_is_a_tls_error() {
    // The certificate names only `localhost`; the client connects to 127.0.0.1.
    let sim = start_with(&["m1"], |c| c.server_names.clear()).await;
    let cs = sim
        .running
        .service_connection_string()
        .replace("HostName=localhost:", "HostName=127.0.0.1:");
    let client = ServiceClient::from_connection_string(
        &cs,
        TlsTrust::CaPem(sim.running.ca_pem().to_owned()),
    )
    .unwrap();
    let e = client
        .get_module_twin(&sim.running.device_id(), "m1")
        .await
        .unwrap_err();
    let ServiceError::Tls {
        endpoint, reason, ..
    } = &e
    else {
        panic!("expected a tls error, got {e:?}");
    };
    assert_eq!(*endpoint, format!("127.0.0.1:{}", sim.running.api_port()));
    assert!(
        reason.as_deref().is_some_and(|r| r.contains("mismatch")),
        "{reason:?}"
    );
}

#[tokio::test]
async fn the_system_roots_do_not_trust_the_dev_ca() {
    let sim = start(&["m1"]).await;
    let client = ServiceClient::from_connection_string(
        &sim.running.service_connection_string(),
        TlsTrust::System,
    )
    .unwrap();
    let e = client
        .get_module_twin(&sim.running.device_id(), "m1")
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ServiceError::Tls {
                reason: Some(_),
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_stopped_hub_is_an_io_error_naming_the_endpoint() {
    let sim = start(&["m1"]).await;
    let client = client(&sim.running);
    let port = sim.running.api_port();
    sim.running.shutdown().await;
    let e = client.get_module_twin("edge-sim", "m1").await.unwrap_err();
    let ServiceError::Io { endpoint, .. } = &e else {
        panic!("expected an io error, got {e:?}");
    };
    assert_eq!(*endpoint, format!("localhost:{port}"));
}

#[tokio::test]
async fn a_ca_pem_without_a_certificate_is_a_config_error() {
    let e = ServiceClient::from_connection_string(
        "HostName=localhost:1;SharedAccessKeyName=iothubowner;SharedAccessKey=aGk=",
        TlsTrust::CaPem("no certificate here".to_owned()),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            ServiceError::Config(ConfigError::NoCaCertificate | ConfigError::Tls(_))
        ),
        "{e:?}"
    );
}
