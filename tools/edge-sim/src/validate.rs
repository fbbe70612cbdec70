//! `edge-sim validate`: a deployment manifest against the official JSON schemas (embedded,
//! resolved offline; `schemas/README.md`), edgeAgent's own rules and the one rule of Docker's
//! container create that a manifest can break unnoticed (`createOptions.WorkingDir` must be
//! absolute).
//!
//! Schema choice: a manifest whose `$edgeAgent` `schemaVersion` is `1.0` is checked against
//! `azure-iot-edge-deployment-2.0.json`; any other (1.1, or a template with
//! `$schema-template`) against `azure-iot-edge-deployment-template-4.0.json`, which refers to
//! the edgeAgent 1.1 and edgeHub 1.2 schemas. [`validate_against`] names the schema instead
//! (a generated 1.1 manifest against [`DEPLOYMENT_SCHEMA`], as iotedgedev checks it).

use std::fmt;

use hub_proto::manifest::{CreateOptions, SchemaVersion};
use serde_json::Value;

/// The schema of a generated deployment manifest (`deployment.json`, createOptions strings).
pub const DEPLOYMENT_SCHEMA: &str = "azure-iot-edge-deployment-2.0.json";
/// The schema of a deployment template (`deployment.template.json`).
pub const TEMPLATE_SCHEMA: &str = "azure-iot-edge-deployment-template-4.0.json";

/// The schemas, by file name, embedded so that the binary validates anywhere.
const SCHEMAS: [(&str, &str); 4] = [
    (
        "azure-iot-edge-deployment-2.0.json",
        include_str!("../../../schemas/azure-iot-edge-deployment-2.0.json"),
    ),
    (
        "azure-iot-edge-deployment-template-4.0.json",
        include_str!("../../../schemas/azure-iot-edge-deployment-template-4.0.json"),
    ),
    (
        "azure-iot-edgeagent-deployment-1.1.json",
        include_str!("../../../schemas/azure-iot-edgeagent-deployment-1.1.json"),
    ),
    (
        "azure-iot-edgehub-deployment-1.2.json",
        include_str!("../../../schemas/azure-iot-edgehub-deployment-1.2.json"),
    ),
];

/// One problem of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer of the offending value (`/modulesContent/$edgeAgent/...`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    /// `<path>: <message>`; the root is shown as `/`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

/// Every problem of `manifest`; empty when it is valid.
#[must_use]
pub fn validate(manifest: &Value) -> Vec<Problem> {
    validate_against(manifest, schema_for(manifest))
}

/// Every problem of `manifest` against the embedded schema file `schema`
/// ([`DEPLOYMENT_SCHEMA`], [`TEMPLATE_SCHEMA`], …), edgeAgent's rules and Docker's; empty when
/// it is valid. An unknown schema file is a problem too.
#[must_use]
pub fn validate_against(manifest: &Value, schema: &str) -> Vec<Problem> {
    let mut problems = schema_problems(manifest, schema);
    problems.extend(agent_rules(manifest));
    problems.extend(docker_rules(manifest));
    problems
}

/// The schema file `manifest` is checked against.
#[must_use]
pub fn schema_for(manifest: &Value) -> &'static str {
    let version = manifest
        .pointer("/modulesContent/$edgeAgent/properties.desired/schemaVersion")
        .and_then(Value::as_str);
    if version == Some("1.0") && manifest.get("$schema-template").is_none() {
        DEPLOYMENT_SCHEMA
    } else {
        TEMPLATE_SCHEMA
    }
}

fn schema_problems(manifest: &Value, schema_file: &str) -> Vec<Problem> {
    let internal = |e: String| vec![problem("", format!("internal schema error: {e}"))];
    let mut registry = jsonschema::Registry::new();
    let mut root = None;
    for (file, text) in SCHEMAS {
        let schema: Value = match serde_json::from_str(text) {
            Ok(schema) => schema,
            Err(e) => return internal(e.to_string()),
        };
        if file == schema_file {
            root = Some(schema.clone());
        }
        registry = match registry.add(format!("https://json.schemastore.org/{file}"), schema) {
            Ok(r) => r,
            Err(e) => return internal(e.to_string()),
        };
    }
    let Some(root) = root else {
        return vec![problem("", format!("no embedded schema {schema_file:?}"))];
    };
    let Ok(registry) = registry.prepare() else {
        return internal("schemas cannot be prepared".to_owned());
    };
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .offline()
        .with_registry(&registry)
        .build(&root)
    {
        Ok(v) => v,
        Err(e) => return internal(e.to_string()),
    };
    validator
        .iter_errors(manifest)
        .map(|e| problem(e.instance_path().to_string(), e.to_string()))
        .collect()
}

/// JSON pointer escaping (RFC 6901 §3).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// What edgeAgent itself refuses, beyond the schemas.
fn agent_rules(manifest: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let agent_path = "/modulesContent/$edgeAgent/properties.desired";
    let hub_path = "/modulesContent/$edgeHub/properties.desired";
    let Some(agent) = manifest.pointer(agent_path) else {
        out.push(problem(
            "/modulesContent",
            "$edgeAgent desired properties are missing",
        ));
        return out;
    };
    match agent.get("schemaVersion").and_then(Value::as_str) {
        Some(v) => {
            if let Err(e) = SchemaVersion::for_edge_agent(v) {
                out.push(problem(
                    format!("{agent_path}/schemaVersion"),
                    e.to_string(),
                ));
            }
        }
        None => out.push(problem(agent_path, "schemaVersion is missing")),
    }
    match manifest
        .pointer(hub_path)
        .and_then(|h| h.get("schemaVersion"))
        .and_then(Value::as_str)
    {
        Some(v) => {
            if let Err(e) = SchemaVersion::for_edge_hub(v) {
                out.push(problem(format!("{hub_path}/schemaVersion"), e.to_string()));
            }
        }
        None => out.push(problem(hub_path, "$edgeHub schemaVersion is missing")),
    }
    let Some(modules) = agent.get("modules").and_then(Value::as_object) else {
        return out;
    };
    for (name, spec) in modules {
        let path = format!("{agent_path}/modules/{}", escape(name));
        if spec.get("type").and_then(Value::as_str) != Some("docker") {
            out.push(problem(format!("{path}/type"), "type must be \"docker\""));
        }
        if spec
            .pointer("/settings/image")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            out.push(problem(
                format!("{path}/settings/image"),
                "settings.image is required",
            ));
        }
        if let Some(order) = spec.get("startupOrder")
            && order.as_u64().is_none_or(|n| n > u64::from(u32::MAX))
        {
            out.push(problem(
                format!("{path}/startupOrder"),
                "startupOrder must be a non-negative integer (at most 4294967295)",
            ));
        }
    }
    out
}

/// What Docker's container create refuses and the schemas cannot see: a `createOptions` that
/// is not a JSON object (iotedgedev checks that too), a relative `WorkingDir` ("the working
/// directory '…' is invalid, it needs to be an absolute path").
fn docker_rules(manifest: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let agent_path = "/modulesContent/$edgeAgent/properties.desired";
    let Some(agent) = manifest.pointer(agent_path) else {
        return out;
    };
    let system = agent.get("systemModules").and_then(Value::as_object);
    let modules = agent.get("modules").and_then(Value::as_object);
    let all = system
        .into_iter()
        .flatten()
        .map(|(n, s)| (format!("{agent_path}/systemModules/{}", escape(n)), s))
        .chain(
            modules
                .into_iter()
                .flatten()
                .map(|(n, s)| (format!("{agent_path}/modules/{}", escape(n)), s)),
        );
    for (path, spec) in all {
        let Some(settings) = spec.get("settings").and_then(Value::as_object) else {
            continue;
        };
        let path = format!("{path}/settings/createOptions");
        let options = match CreateOptions::from_settings(settings).map(|o| o.map(|o| o.to_json())) {
            Ok(None | Some(Ok(None))) => continue,
            Ok(Some(Ok(Some(options)))) => options,
            Ok(Some(Err(e))) | Err(e) => {
                out.push(problem(path, e.to_string()));
                continue;
            }
        };
        if let Some(dir) = options.get("WorkingDir") {
            match dir.as_str() {
                Some(d) if d.is_empty() || d.starts_with('/') => {}
                _ => out.push(problem(
                    path,
                    format!(
                        "WorkingDir {dir} is not an absolute path (Docker refuses to create the container)"
                    ),
                )),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn problems_print_their_path() {
        assert_eq!(problem("", "x").to_string(), "/: x");
        assert_eq!(problem("/a", "y").to_string(), "/a: y");
    }

    #[test]
    fn an_empty_document_is_invalid() {
        assert!(!validate(&json!({})).is_empty());
    }

    #[test]
    fn an_unknown_schema_is_a_problem() {
        let problems = validate_against(&json!({}), "nope.json");
        assert!(problems[0].message.contains("nope.json"), "{problems:?}");
    }

    #[test]
    fn working_dir_must_be_absolute_and_create_options_an_object() {
        let manifest = |create: Value| {
            json!({"modulesContent": {"$edgeAgent": {"properties.desired": {
                "systemModules": {"edgeAgent": {"settings": {"image": "a", "createOptions": "[1]"}}},
                "modules": {"m": {"settings": {"image": "x", "createOptions": create}}}
            }}}})
        };
        let problems = |create: Value| -> Vec<String> {
            docker_rules(&manifest(create))
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        let base = "/modulesContent/$edgeAgent/properties.desired";
        let good = problems(json!({"WorkingDir": "/appdata"}));
        assert_eq!(
            good,
            [format!(
                "{base}/systemModules/edgeAgent/settings/createOptions: create options are not a json object"
            )],
            "the system module's broken createOptions only"
        );
        for bad in [
            json!({"WorkingDir": "appdata"}),
            json!(r#"{"WorkingDir":"./x"}"#),
            json!({"WorkingDir": 1}),
        ] {
            let p = problems(bad.clone());
            assert_eq!(p.len(), 2, "{bad}: {p:?}");
            assert!(
                p[1].starts_with(&format!(
                    "{base}/modules/m/settings/createOptions: WorkingDir "
                )),
                "{p:?}"
            );
            assert!(p[1].contains("not an absolute path"), "{p:?}");
        }
    }
}
