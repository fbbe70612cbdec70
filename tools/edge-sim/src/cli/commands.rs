//! The "portal" commands against a running instance (`status`, `twin`, `method`,
//! `modulecred`, `hubcred`) and `validate`. The service API calls go through
//! `hub_service::ServiceClient`, the product's client of IoT Hub's service API.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, bail};
use hub_proto::env::{
    AUTH_SCHEME_SAS_TOKEN, EDGE_HUB_CONNECTION_STRING, EDGE_MODULE_CA_CERTIFICATE_FILE,
};
use hub_proto::workload::ApiVersion;
use hub_proto::{DeviceId, EdgeEnvironment, ModuleId};
use hub_service::{ServiceClient, ServiceError, TlsTrust};
use serde::Serialize;
use serde_json::Value;

use super::instance::Instance;
use super::{EXIT_FAILED, EXIT_OK};

/// The running instance of `state` and a service API client for it (its connection string,
/// its dev CA).
fn client(state: &Path) -> anyhow::Result<(Instance, ServiceClient)> {
    let instance = Instance::read(state)?;
    let ca = std::fs::read_to_string(&instance.ca_file)
        .with_context(|| format!("cannot read {}", instance.ca_file.display()))?;
    let client = ServiceClient::from_connection_string(
        &instance.service_connection_string,
        TlsTrust::CaPem(ca),
    )
    .context("invalid service connection string in the instance file")?;
    Ok((instance, client))
}

/// A failed call in the words the CLI has always used.
fn refused(instance: &Instance, e: ServiceError) -> anyhow::Error {
    let port = instance.api_port;
    match e {
        ServiceError::Status {
            status,
            code,
            message,
        } => {
            // IoT Hub's `Message` as sent: `ErrorCode:<code>;<text>`.
            let message = match code {
                Some(code) => format!("ErrorCode:{code};{message}"),
                None => message,
            };
            anyhow::anyhow!("service api answered {status}: {}", Value::String(message))
        }
        ServiceError::Io { source, .. } => anyhow::Error::new(source).context(format!(
            "cannot reach edge-sim's service api on port {port}"
        )),
        ServiceError::Tls { source, .. } => {
            anyhow::Error::new(source).context("tls handshake with the service api failed")
        }
        other => anyhow::Error::new(other),
    }
}

fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).context("cannot format the answer")?
    );
    Ok(())
}

/// `status`: `$edgeAgent`'s reported module status as a table.
pub async fn status(state: &Path) -> anyhow::Result<u8> {
    let (instance, client) = client(state)?;
    let twin = client
        .get_module_twin(&instance.device_id, "$edgeAgent")
        .await
        .map_err(|e| refused(&instance, e))?;
    let modules = twin
        .reported("modules")
        .and_then(|m| m.as_object().cloned())
        .unwrap_or_default();
    println!(
        "edge-sim pid {}: device {}, mqtt port {}, service api port {}",
        instance.pid, instance.device_id, instance.mqtt_port, instance.api_port
    );
    println!(
        "{:<24} {:<10} {:>6} {:>8}  STARTED",
        "MODULE", "STATUS", "EXIT", "RESTARTS"
    );
    for (name, m) in &modules {
        let text = |k: &str| {
            m.get(k).map_or_else(String::new, |v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        println!(
            "{:<24} {:<10} {:>6} {:>8}  {}",
            name,
            text("runtimeStatus"),
            text("exitCode"),
            text("restartCount"),
            text("lastStartTimeUtc")
        );
    }
    Ok(EXIT_OK)
}

/// `twin get <m>`.
pub async fn twin_get(state: &Path, module: &str) -> anyhow::Result<u8> {
    let (instance, client) = client(state)?;
    let twin = client
        .get_module_twin(&instance.device_id, module)
        .await
        .map_err(|e| refused(&instance, e))?;
    print_json(&twin_json(&twin)?)?;
    Ok(EXIT_OK)
}

/// `twin patch <m> --desired <json|@file>`.
pub async fn twin_patch(state: &Path, module: &str, desired: &str) -> anyhow::Result<u8> {
    let desired = json_arg(desired)?;
    if !desired.is_object() {
        bail!("--desired must be a json object");
    }
    let (instance, client) = client(state)?;
    let twin = client
        .update_module_desired(&instance.device_id, module, &desired)
        .await
        .map_err(|e| refused(&instance, e))?;
    print_json(&twin_json(&twin)?)?;
    Ok(EXIT_OK)
}

/// The twin as the service API sent it (members in the order `serde_json` keeps them).
fn twin_json(twin: &hub_service::ModuleTwin) -> anyhow::Result<Value> {
    serde_json::to_value(twin).context("cannot format the twin")
}

/// `method <m> <name> --payload <json>`: prints `{"status", "payload"}`; exit code 1 when
/// the module's status is not 2xx.
pub async fn method(
    state: &Path,
    module: &str,
    name: &str,
    payload: &str,
    timeout: u64,
) -> anyhow::Result<u8> {
    let payload = json_arg(payload)?;
    let (instance, client) = client(state)?;
    let answer = client
        .invoke_module_method(
            &instance.device_id,
            module,
            name,
            &payload,
            Duration::from_secs(timeout),
        )
        .await
        .map_err(|e| refused(&instance, e))?;
    print_json(&serde_json::to_value(&answer).context("cannot format the answer")?)?;
    Ok(if (200..300).contains(&answer.status) {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

/// `modulecred <m> [--env]`.
pub async fn modulecred(state: &Path, module: &str, env: bool) -> anyhow::Result<u8> {
    let module_id =
        ModuleId::new(module).with_context(|| format!("invalid module id {module:?}"))?;
    let (instance, client) = client(state)?;
    let identity = match client.get_module(&instance.device_id, module).await {
        Ok(identity) => identity,
        Err(ServiceError::Status { status: 404, .. }) => client
            .create_module(&instance.device_id, module)
            .await
            .map_err(|e| refused(&instance, e))?,
        Err(e) => return Err(refused(&instance, e)),
    };
    let key = identity
        .primary_key()
        .context("the identity has no symmetric key")?;
    if env {
        let socket = edge_sim::workload::socket_path(&instance.state_dir, &module_id);
        let vars = EdgeEnvironment {
            iothub_hostname: instance.hub_host.clone(),
            gateway_hostname: instance.gateway_host.clone(),
            device_id: DeviceId::new(instance.device_id.clone())
                .context("invalid device id in the instance file")?,
            module_id,
            generation_id: identity.generation_id.clone().unwrap_or_default(),
            workload_uri: format!("unix://{}", socket.display()),
            api_version: ApiVersion::CURRENT,
            auth_scheme: Some(AUTH_SCHEME_SAS_TOKEN.to_owned()),
            parent_hostname: None,
        }
        .to_vars();
        for (name, value) in vars {
            println!("export {name}={}", shell_quote(&value));
        }
    } else {
        println!(
            "{EDGE_HUB_CONNECTION_STRING}=HostName={};GatewayHostName={};DeviceId={};ModuleId={module};SharedAccessKey={key}",
            instance.hub_host, instance.gateway_host, instance.device_id
        );
        println!(
            "{EDGE_MODULE_CA_CERTIFICATE_FILE}={}",
            instance.ca_file.display()
        );
    }
    Ok(EXIT_OK)
}

/// `hubcred`: the service connection string and the CA file.
pub fn hubcred(state: &Path) -> anyhow::Result<u8> {
    let instance = Instance::read(state)?;
    println!(
        "IotHubConnectionString={}",
        instance.service_connection_string
    );
    println!("CACertificateFile={}", instance.ca_file.display());
    Ok(EXIT_OK)
}

/// `validate <manifest>`: 0 valid, 1 invalid (each problem printed with its JSON path).
pub fn validate(path: &Path) -> anyhow::Result<u8> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let manifest: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            println!("{}: /: not json: {e}", path.display());
            return Ok(EXIT_FAILED);
        }
    };
    let problems = edge_sim::validate::validate(&manifest);
    if problems.is_empty() {
        println!(
            "{}: valid ({})",
            path.display(),
            edge_sim::validate::schema_for(&manifest)
        );
        return Ok(EXIT_OK);
    }
    for problem in &problems {
        println!("{}: {problem}", path.display());
    }
    Ok(EXIT_FAILED)
}

/// A JSON argument: the text, or the contents of the file after `@`.
fn json_arg(arg: &str) -> anyhow::Result<Value> {
    let text = match arg.strip_prefix('@') {
        Some(file) => {
            std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?
        }
        None => arg.to_owned(),
    };
    serde_json::from_str(&text).with_context(|| format!("not json: {text}"))
}

/// Single quotes for a POSIX shell.
fn shell_quote(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/:._-=+".contains(c))
    {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}
