//! `GET/PUT/DELETE /devices/{d}/modules/{m}` and `GET /devices/{d}/modules`: module
//! identities in the service `Module` model. A fleet device's identities are read-only.

use axum::Json;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use serde_json::{Value, json};

use super::{NEVER, ServiceContext, ServiceError, json_object, only};
use crate::fleet::Fleet;
use crate::state::{ModuleIdentity, ModuleSpec, SymmetricKeys};

/// Serves one module identity.
pub(crate) fn handle(
    ctx: &ServiceContext,
    method: &Method,
    module: &ModuleId,
    if_match: Option<&str>,
    body: &[u8],
) -> Result<Response, ServiceError> {
    match *method {
        Method::GET => {
            let identity = ctx.state.module(module).ok_or_else(|| {
                ServiceError::not_found("ModuleNotFound", format!("module {module} does not exist"))
            })?;
            Ok(Json(module_json(ctx, &identity)).into_response())
        }
        Method::PUT => {
            let spec = parse_spec(module, body)?;
            let (identity, _created) = ctx.state.put_module(spec, if_match)?;
            Ok(Json(module_json(ctx, &identity)).into_response())
        }
        Method::DELETE => {
            ctx.state.delete_module(module, if_match)?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => {
            only(method, &Method::GET)?;
            Err(ServiceError::bad_request("unsupported method"))
        }
    }
}

/// All module identities of the device.
pub(crate) fn list(ctx: &ServiceContext) -> Response {
    let modules: Vec<Value> = ctx
        .state
        .modules()
        .iter()
        .map(|identity| module_json(ctx, identity))
        .collect();
    Json(modules).into_response()
}

fn parse_spec(module: &ModuleId, body: &[u8]) -> Result<ModuleSpec, ServiceError> {
    let body = json_object(body)?;
    if let Some(id) = body.get("moduleId").and_then(Value::as_str)
        && id != module.as_str()
    {
        return Err(ServiceError::bad_request(format!(
            "moduleId {id} differs from the path's {module}"
        )));
    }
    let symmetric = body
        .get("authentication")
        .and_then(|a| a.get("symmetricKey"));
    let key = |name: &str| {
        symmetric
            .and_then(|s| s.get(name))
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
    };
    let keys = match (key("primaryKey"), key("secondaryKey")) {
        (Some(primary_key), Some(secondary_key)) => {
            let keys = SymmetricKeys {
                primary_key,
                secondary_key,
            };
            keys.decoded()
                .map_err(|e| ServiceError::bad_request(format!("invalid key: {e}")))?;
            Some(keys)
        }
        (None, None) => None,
        _ => {
            return Err(ServiceError::bad_request(
                "both primaryKey and secondaryKey are needed",
            ));
        }
    };
    Ok(ModuleSpec {
        module_id: module.clone(),
        managed_by: body
            .get("managedBy")
            .and_then(Value::as_str)
            .map(str::to_owned),
        keys,
    })
}

fn module_json(ctx: &ServiceContext, identity: &ModuleIdentity) -> Value {
    module_json_of(identity, ctx.broker.is_connected(&identity.module_id))
}

/// The identity routes of a fleet device: read-only (its modules are the fleet's).
pub(crate) fn handle_fleet(
    fleet: &Fleet,
    method: &Method,
    device: &str,
    module: Option<&str>,
) -> Result<Response, ServiceError> {
    only(method, &Method::GET).map_err(|_| {
        ServiceError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("the modules of fleet device {device} are fixed by the fleet: only GET"),
        )
    })?;
    let identities = fleet.identities(device).unwrap_or_default();
    let connected = fleet.is_online(device).unwrap_or(false);
    match module {
        None => Ok(Json(
            identities
                .iter()
                .map(|i| module_json_of(i, connected))
                .collect::<Vec<_>>(),
        )
        .into_response()),
        Some(module) => {
            let identity = identities
                .iter()
                .find(|i| i.module_id.as_str() == module)
                .ok_or_else(|| {
                    ServiceError::not_found(
                        "ModuleNotFound",
                        format!("module {module} does not exist on device {device}"),
                    )
                })?;
            Ok(Json(module_json_of(identity, connected)).into_response())
        }
    }
}

fn module_json_of(identity: &ModuleIdentity, connected: bool) -> Value {
    json!({
        "moduleId": identity.module_id,
        "managedBy": identity.managed_by,
        "deviceId": identity.device_id,
        "generationId": identity.generation_id,
        "etag": identity.etag(),
        "connectionState": if connected { "Connected" } else { "Disconnected" },
        "connectionStateUpdatedTime": NEVER,
        "lastActivityTime": NEVER,
        "cloudToDeviceMessageCount": 0,
        "authentication": {
            "symmetricKey": {
                "primaryKey": identity.keys.primary_key,
                "secondaryKey": identity.keys.secondary_key,
            },
            "x509Thumbprint": {"primaryThumbprint": null, "secondaryThumbprint": null},
            "type": "sas",
        },
    })
}
