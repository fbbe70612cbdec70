//! `GET/PATCH/PUT /twins/{d}/modules/{m}`: module twins in the service `Twin` model
//! (docs/reference/iot-edge.md §5.2): `$metadata` and `$version` in both sections, `etag`,
//! `version`.

use axum::Json;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hub_proto::twin::validate_reported_patch;
use serde_json::{Map, Value, json};

use super::{NEVER, ServiceContext, ServiceError, json_object, only};
use crate::fleet::Fleet;
use crate::state::{TwinRecord, TwinUpdate};

/// Serves the twin route.
pub(crate) fn handle(
    ctx: &ServiceContext,
    method: &Method,
    module: &ModuleId,
    if_match: Option<&str>,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let twin = match *method {
        Method::GET => ctx.state.twin(module).ok_or_else(|| {
            ServiceError::not_found("ModuleNotFound", format!("module {module} does not exist"))
        })?,
        Method::PATCH | Method::PUT => {
            let update = parse_update(body)?;
            let replace = *method == Method::PUT;
            ctx.state.update_twin(module, &update, replace, if_match)?
        }
        _ => {
            only(method, &Method::GET)?;
            unreachable_twin()?
        }
    };
    Ok(Json(twin_json(ctx, module, &twin)).into_response())
}

fn unreachable_twin() -> Result<TwinRecord, ServiceError> {
    Err(ServiceError::bad_request("unsupported method"))
}

/// Reads `{"tags": {…}, "properties": {"desired": {…}}}`; reported properties are
/// read-only for the service and ignored, like IoT Hub does.
pub(crate) fn parse_update(body: &[u8]) -> Result<TwinUpdate, ServiceError> {
    let mut twin = json_object(body)?;
    let section =
        |value: Option<Value>, name: &str| -> Result<Option<Map<String, Value>>, ServiceError> {
            match value {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Object(map)) => {
                    // The twin naming and size rules hold for desired properties and tags too
                    // (docs/reference/iot-edge.md §1.8).
                    validate_reported_patch(&map)
                        .map_err(|e| ServiceError::bad_request(format!("{name}: {e}")))?;
                    Ok(Some(map))
                }
                Some(_) => Err(ServiceError::bad_request(format!(
                    "{name} is not an object"
                ))),
            }
        };
    let desired = match twin.remove("properties") {
        None | Some(Value::Null) => None,
        Some(Value::Object(mut properties)) => section(properties.remove("desired"), "desired")?,
        Some(_) => return Err(ServiceError::bad_request("properties is not an object")),
    };
    let tags = section(twin.remove("tags"), "tags")?;
    Ok(TwinUpdate { desired, tags })
}

/// The service `Twin` JSON of a module twin of the edge device.
pub(crate) fn twin_json(ctx: &ServiceContext, module: &ModuleId, twin: &TwinRecord) -> Value {
    let connected = ctx.broker.is_connected(module);
    twin_json_of(
        ctx.state.device().device_id.as_str(),
        module.as_str(),
        twin,
        connected,
    )
}

/// Serves the twin route of a fleet device's module.
pub(crate) fn handle_fleet(
    fleet: &Fleet,
    method: &Method,
    device: &str,
    module: &ModuleId,
    if_match: Option<&str>,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let twin = match *method {
        Method::GET => fleet.twin(device, module.as_str()).ok_or_else(|| {
            ServiceError::not_found(
                "ModuleNotFound",
                format!("module {module} does not exist on device {device}"),
            )
        })?,
        Method::PATCH | Method::PUT => {
            let update = parse_update(body)?;
            let replace = *method == Method::PUT;
            fleet.update_twin(device, module, &update, replace, if_match)?
        }
        _ => {
            only(method, &Method::GET)?;
            unreachable_twin()?
        }
    };
    let online = fleet.is_online(device).unwrap_or(false);
    Ok(Json(twin_json_of(device, module.as_str(), &twin, online)).into_response())
}

/// The service `Twin` JSON of a module twin of `device`.
pub(crate) fn twin_json_of(
    device: &str,
    module: &str,
    twin: &TwinRecord,
    connected: bool,
) -> Value {
    let mut value = json!({
        "deviceId": device,
        "moduleId": module,
        "etag": twin.etag(),
        "deviceEtag": twin.etag(),
        "status": "enabled",
        "statusUpdateTime": NEVER,
        "connectionState": if connected { "Connected" } else { "Disconnected" },
        "lastActivityTime": NEVER,
        "cloudToDeviceMessageCount": 0,
        "authenticationType": "sas",
        "x509Thumbprint": {"primaryThumbprint": null, "secondaryThumbprint": null},
        "modelId": "",
        "version": twin.version,
        "properties": {
            "desired": twin.desired.service_view(),
            "reported": twin.reported.service_view(),
        },
    });
    if !twin.tags.is_empty()
        && let Value::Object(map) = &mut value
    {
        map.insert("tags".to_owned(), Value::Object(twin.tags.clone()));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_sdk_patch_body_reads_desired_with_nulls() {
        let body = br#"{"properties": {"desired": {"certs": {"b": "PEM-B", "a": null}}}}"#;
        let update = parse_update(body).unwrap();
        assert_eq!(
            Value::Object(update.desired.unwrap()),
            json!({"certs": {"b": "PEM-B", "a": null}})
        );
        assert!(update.tags.is_none());
    }

    #[test]
    fn replace_body_reads_tags_and_ignores_reported() {
        let body =
            br#"{"tags": {"site": "a"}, "properties": {"desired": {}, "reported": {"x": 1}}}"#;
        let update = parse_update(body).unwrap();
        assert_eq!(Value::Object(update.tags.unwrap()), json!({"site": "a"}));
        assert_eq!(update.desired.unwrap().len(), 0);
    }

    #[test]
    fn invalid_property_names_are_refused() {
        assert!(parse_update(br#"{"properties": {"desired": {"a.b": 1}}}"#).is_err());
        assert!(parse_update(br#"{"properties": 3}"#).is_err());
        assert!(parse_update(b"nope").is_err());
    }
}
