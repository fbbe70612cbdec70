#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Deployment manifests: every real manifest parses and validates against its official
//! schema (resolved offline), `createOptions` chunking, and template generation.

use std::fs;
use std::path::{Path, PathBuf};

use hub_proto::manifest::{
    CHUNK_CHARS, CreateOptions, CreateOptionsError, ModuleExit, ModuleStatus, Placeholder,
    RestartPolicy, SchemaVersion, expand_text, generate,
};
use hub_proto::{DeploymentManifest, ManifestError};
use serde_json::{Value, json};

const SCHEMA_IDS: [&str; 4] = [
    "azure-iot-edge-deployment-2.0.json",
    "azure-iot-edge-deployment-template-4.0.json",
    "azure-iot-edgeagent-deployment-1.1.json",
    "azure-iot-edgehub-deployment-1.2.json",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real-manifests")
}

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn real_manifests() -> Vec<(String, Value)> {
    let mut files: Vec<(String, Value)> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                read_json(&p),
            )
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(files.len(), 6, "the six real manifests are present");
    files
}

/// The schema for a real manifest, by file prefix (schemas/README.md).
fn schema_for(file: &str) -> &'static str {
    if file.starts_with("azure-iot-edge-deployment-template-4.0__") {
        "azure-iot-edge-deployment-template-4.0.json"
    } else if file.starts_with("azure-iot-edge-deployment-2.0__")
        || file.starts_with("azure-iot-edge-deployment-template-2.0__")
    {
        "azure-iot-edge-deployment-2.0.json"
    } else {
        panic!("no schema known for {file}")
    }
}

/// A draft-04 validator for `schema_file`, with all four schemas registered under their
/// canonical ids so every `$ref` resolves without the network.
fn validator(schema_file: &str) -> jsonschema::Validator {
    let mut registry = jsonschema::Registry::new();
    for id in SCHEMA_IDS {
        let schema = read_json(&schemas_dir().join(id));
        let canonical = format!("https://json.schemastore.org/{id}");
        assert_eq!(
            schema["id"],
            json!(canonical),
            "{id} carries its canonical id"
        );
        registry = registry.add(canonical, schema).unwrap();
    }
    let registry = registry.prepare().unwrap();
    let root = read_json(&schemas_dir().join(schema_file));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .offline()
        .with_registry(&registry)
        .build(&root)
        .unwrap()
}

#[test]
fn every_real_manifest_validates_against_its_schema() {
    for (file, manifest) in real_manifests() {
        let validator = validator(schema_for(&file));
        let errors: Vec<String> = validator
            .iter_errors(&manifest)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
}

#[test]
fn schema_validation_rejects_a_broken_manifest() {
    // The validator is not vacuous: an unknown restart policy and a missing image fail.
    let (file, mut manifest) = real_manifests().remove(0);
    let modules = &mut manifest["modulesContent"]["$edgeAgent"]["properties.desired"]["modules"];
    let (_, first) = modules.as_object_mut().unwrap().iter_mut().next().unwrap();
    first["restartPolicy"] = json!("sometimes");
    first["settings"].as_object_mut().unwrap().remove("image");
    let validator = validator(schema_for(&file));
    assert!(validator.iter_errors(&manifest).count() >= 2);
}

#[test]
fn template_schema_resolves_the_edge_agent_and_edge_hub_schemas() {
    // `$edgeHub` of a template is checked through the referenced edgeHub 1.2 schema.
    let (file, mut manifest) = real_manifests()
        .into_iter()
        .find(|(f, _)| f.ends_with("4.0__deployment.template.json"))
        .unwrap();
    manifest["modulesContent"]["$edgeHub"]["properties.desired"]["storeAndForwardConfiguration"]
        ["timeToLiveSecs"] = json!("forever");
    assert!(!validator(schema_for(&file)).is_valid(&manifest));
}

#[test]
fn every_real_manifest_parses() {
    for (file, json) in real_manifests() {
        let manifest = DeploymentManifest::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let agent = &manifest.modules_content.edge_agent.desired;
        SchemaVersion::for_edge_agent(&agent.schema_version)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        SchemaVersion::for_edge_hub(&manifest.modules_content.edge_hub.desired.schema_version)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!agent.system_modules.edge_agent.settings.image.is_empty());
        // Every module's createOptions (if not blank) is a JSON object.
        for (name, module) in &agent.modules {
            if let Some(options) = &module.settings.create_options {
                options
                    .to_json()
                    .unwrap_or_else(|e| panic!("{file}: {name}: {e}"));
            }
        }
        // Serializing and parsing again gives the same manifest.
        let again = DeploymentManifest::from_value(manifest.to_value().unwrap()).unwrap();
        assert_eq!(again, manifest, "{file}");
    }
}

#[test]
fn real_manifest_fields_are_read() {
    let manifests = real_manifests();
    let by_name = |suffix: &str| {
        let (_, json) = manifests.iter().find(|(f, _)| f.ends_with(suffix)).unwrap();
        DeploymentManifest::from_value(json.clone()).unwrap()
    };

    let generated = by_name("2.0__deployment.json");
    let agent = &generated.modules_content.edge_agent.desired;
    let hub = &agent.system_modules.edge_hub;
    assert_eq!(hub.restart_policy, RestartPolicy::Always);
    assert_eq!(hub.status, ModuleStatus::Running);
    assert_eq!(hub.env["BooleanEnv"].value.to_string(), "true");
    assert_eq!(hub.env["OptimizeForPerformance"].value.to_string(), "false");
    let options = hub
        .settings
        .create_options
        .as_ref()
        .unwrap()
        .to_json()
        .unwrap()
        .unwrap();
    assert_eq!(
        options["HostConfig"]["PortBindings"]["8883/tcp"][0]["HostPort"],
        json!("8883")
    );
    let creds = &agent.runtime.settings.registry_credentials["test"];
    assert_eq!(creds.address, "test");
    assert!(
        !format!("{creds:?}").contains("ddd"),
        "password kept out of Debug"
    );

    let nested = by_name("nestededge_topLayerBaseDeployment_mqtt.json");
    let agent = &nested.modules_content.edge_agent.desired;
    let order: Vec<&str> = agent
        .modules_in_startup_order()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(order, ["dockerContainerRegistry", "IoTEdgeAPIProxy"]);
    assert_eq!(
        agent.system_modules.edge_hub.env["DeviceScopeCacheRefreshDelaySecs"]
            .value
            .to_string(),
        "0"
    );
    assert!(
        nested
            .modules_content
            .edge_hub
            .desired
            .other
            .contains_key("mqttBroker")
    );

    let long_haul = by_name("long_haul_deployment.template.json");
    assert_eq!(
        long_haul.modules_content.modules.len(),
        2,
        "module twins besides the system ones"
    );
    assert!(
        long_haul
            .modules_content
            .modules
            .contains_key("testResultCoordinator")
    );

    // Empty createOptions are present but blank.
    let m2m = by_name("module_to_module_deployment.template.json");
    let options = m2m.modules_content.edge_agent.desired.modules["tempSensor"]
        .settings
        .create_options
        .clone()
        .unwrap();
    assert!(options.is_empty());
    assert_eq!(options.to_json().unwrap(), None);
}

#[test]
fn template_generation_expands_placeholders_and_chunks_create_options() {
    let (_, template) = real_manifests()
        .into_iter()
        .find(|(f, _)| f.ends_with("4.0__deployment.template.json"))
        .unwrap();
    let mut seen = Vec::new();
    let manifest = generate(&template, &mut |p: &Placeholder<'_>| {
        seen.push(format!("{p:?}"));
        match p {
            Placeholder::ModuleImage {
                folder: "SampleModule",
                platform: None,
            } => Some("localhost:5000/samplemodule:0.0.1-amd64".to_owned()),
            _ => None,
        }
    })
    .unwrap();
    assert_eq!(manifest.schema_template, None);
    let agent = &manifest.modules_content.edge_agent.desired;
    assert_eq!(
        agent.modules["SampleModule"].settings.image,
        "localhost:5000/samplemodule:0.0.1-amd64"
    );
    // `$upstream` in a route is an unknown variable and survives.
    assert!(
        seen.iter().any(|p| p == "Variable(\"upstream\")"),
        "{seen:?}"
    );
    let routes = &manifest.modules_content.edge_hub.desired.routes;
    assert_eq!(
        routes["SampleModuleToIoTHub"].text(),
        "FROM /messages/modules/SampleModule/outputs/* INTO $upstream"
    );
    // The template's createOptions objects become minified JSON strings.
    let generated = manifest.to_value().unwrap();
    assert!(generated.get("$schema-template").is_none());
    let hub_settings = &generated["modulesContent"]["$edgeAgent"]["properties.desired"]["systemModules"]
        ["edgeHub"]["settings"];
    assert_eq!(
        hub_settings["createOptions"],
        json!(
            r#"{"HostConfig":{"PortBindings":{"443/tcp":[{"HostPort":"443"}],"5671/tcp":[{"HostPort":"5671"}],"8883/tcp":[{"HostPort":"8883"}]}}}"#
        )
    );
    // The generated manifest is a deployment.json of the 2.0 schema, except for `$edgeHub`'s
    // `mqttBroker`, a 1.3 field that schema does not know.
    let validator = validator("azure-iot-edge-deployment-2.0.json");
    let errors: Vec<String> = validator
        .iter_errors(&generated)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("mqttBroker"), "{errors:#?}");
    let mut without_broker = generated.clone();
    without_broker["modulesContent"]["$edgeHub"]["properties.desired"]
        .as_object_mut()
        .unwrap()
        .remove("mqttBroker");
    assert!(validator.is_valid(&without_broker));
}

#[test]
fn long_create_options_are_written_in_512_character_chunks() {
    let binds: Vec<String> = (0..60).map(|i| format!("vol{i}:/mnt/vol{i}")).collect();
    let options = CreateOptions::from_json(&json!({"HostConfig": {"Binds": binds}}));
    let text = options.as_str().to_owned();
    assert!(text.len() > 2 * CHUNK_CHARS);
    let chunks = options.chunks().unwrap();
    let keys: Vec<&str> = chunks.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys[..3],
        ["createOptions", "createOptions01", "createOptions02"]
    );
    assert!(chunks.iter().all(|(_, c)| c.chars().count() <= CHUNK_CHARS));
    assert_eq!(chunks[0].1.chars().count(), CHUNK_CHARS);
    // Joining the chunks as edgeAgent does gives the text back.
    let settings: serde_json::Map<String, Value> = chunks
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    assert_eq!(
        CreateOptions::from_settings(&settings)
            .unwrap()
            .unwrap()
            .as_str(),
        text
    );
}

#[test]
fn chunks_join_in_key_order_like_edge_agent() {
    let settings = json!({
        "image": "x",
        "createOptions02": "c\"}",
        "createOptions": "{\"a\":",
        "createOptions01": "\"b",
    });
    let joined = CreateOptions::from_settings(settings.as_object().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(joined.to_json().unwrap().unwrap()["a"], json!("bc"));
}

#[test]
fn chunks_out_of_sequence_are_refused() {
    let cases = [
        json!({"createOptions01": "{}"}),
        json!({"createOptions": "{", "createOptions02": "}"}),
        json!({"createOptions": "{", "createOptions1": "}", "createOptions10": "x"}),
    ];
    for settings in cases {
        assert!(
            matches!(
                CreateOptions::from_settings(settings.as_object().unwrap()),
                Err(CreateOptionsError::OutOfSequence { .. })
            ),
            "{settings}"
        );
    }
    // An object is only accepted as the single `createOptions` of a template.
    assert!(matches!(
        CreateOptions::from_settings(
            json!({"createOptions": {}, "createOptions01": "x"})
                .as_object()
                .unwrap()
        ),
        Err(CreateOptionsError::NotAString(_))
    ));
}

#[test]
fn create_options_that_are_not_an_object_are_reported() {
    assert!(matches!(
        CreateOptions::new("[1]").to_json(),
        Err(CreateOptionsError::NotAnObject)
    ));
    assert!(matches!(
        CreateOptions::new("{").to_json(),
        Err(CreateOptionsError::Json(_))
    ));
}

#[test]
fn too_many_chunks_cannot_be_written() {
    let options = CreateOptions::new("x".repeat(CHUNK_CHARS * 100 + 1));
    assert!(matches!(
        options.chunks(),
        Err(CreateOptionsError::TooLarge(101))
    ));
}

#[test]
fn expansion_follows_python_expandvars() {
    let mut resolve = |p: &Placeholder<'_>| match p {
        Placeholder::Variable("CONTAINER_REGISTRY_SERVER") => Some("localhost:5000".to_owned()),
        Placeholder::Variable("TAG") => Some("1.0".to_owned()),
        _ => None,
    };
    let cases = [
        (
            "${CONTAINER_REGISTRY_SERVER}/opcplc",
            "localhost:5000/opcplc",
        ),
        (
            "$CONTAINER_REGISTRY_SERVER/opcplc:$TAG",
            "localhost:5000/opcplc:1.0",
        ),
        ("INTO $upstream", "INTO $upstream"),
        ("$edgeAgent", "$edgeAgent"),
        ("${UNKNOWN}", "${UNKNOWN}"),
        ("${unterminated", "${unterminated"),
        ("cost: $5 and $", "cost: $5 and $"),
        ("${}", "${}"),
        ("${TAG}${TAG}", "1.01.0"),
    ];
    for (input, expected) in cases {
        assert_eq!(expand_text(input, &mut resolve), expected, "{input}");
    }
}

#[test]
fn placeholders_are_classified() {
    assert_eq!(
        Placeholder::parse("MODULES.opcplc.amd64.debug"),
        Placeholder::ModuleImage {
            folder: "opcplc",
            platform: Some("amd64.debug")
        }
    );
    assert_eq!(
        Placeholder::parse("MODULEDIR<../modules/opcplc>.arm32v7"),
        Placeholder::ModuleDir {
            path: "../modules/opcplc",
            platform: Some("arm32v7")
        }
    );
    assert_eq!(
        Placeholder::parse("CONTAINER_REGISTRY_SERVER"),
        Placeholder::Variable("CONTAINER_REGISTRY_SERVER")
    );
}

#[test]
fn restart_policies_follow_edge_agent() {
    use ModuleExit::{Failure, Success, Unhealthy};
    let table = [
        (RestartPolicy::Never, [false, false, false]),
        (RestartPolicy::OnFailure, [false, true, false]),
        (RestartPolicy::OnUnhealthy, [false, true, true]),
        (RestartPolicy::Always, [true, true, true]),
    ];
    for (policy, expected) in table {
        let got = [Success, Failure, Unhealthy].map(|exit| policy.restarts_after(exit));
        assert_eq!(got, expected, "{policy:?}");
    }
}

#[test]
fn manifest_that_is_not_an_object_is_refused() {
    assert!(matches!(
        DeploymentManifest::from_slice(b"[]"),
        Err(ManifestError::NotAnObject)
    ));
    assert!(matches!(
        DeploymentManifest::from_slice(br#"{"modulesContent": {}}"#),
        Err(ManifestError::Json(_))
    ));
}
