//! The IoT Hub service REST API ("the portal") over HTTPS with the dev CA.
//!
//! Authenticated with `iothubowner` policy tokens ([`auth`]); paths parsed by [`route`]; each
//! route served by the file named like its URL:
//!
//! | route | file |
//! | --- | --- |
//! | `GET/PATCH/PUT /twins/{d}/modules/{m}` | `twins_modules.rs` |
//! | `POST /twins/{d}/modules/{m}/methods` | `twins_modules_methods.rs` |
//! | `POST /devices/{d}/applyConfigurationContent` | `devices_apply_configuration_content.rs` |
//! | `GET/PUT/DELETE /devices/{d}/modules/{m}`, `GET /devices/{d}/modules` | `devices_modules.rs` |
//! | `POST /devices/query` | `devices_query.rs` |
//! | `GET/PUT/DELETE /configurations/{id}`, `GET /configurations` | `configurations.rs` |
//!
//! The twin routes of a fleet device (docs/edge-sim.md, Fleets) go to the fleet's twin table
//! ([`crate::fleet::Fleet`]); every authenticated request passes the [`throttle`] first.

pub mod auth;
mod configurations;
mod devices_apply_configuration_content;
mod devices_modules;
mod devices_query;
pub mod error;
pub mod route;
pub mod throttle;
mod twins_modules;
mod twins_modules_methods;

use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use openssl::ssl::{Ssl, SslAcceptor};
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_openssl::SslStream;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

pub use error::ServiceError;
pub use route::{RouteError, ServiceRoute};
pub(crate) use twins_modules::twin_json_of;

use crate::faults::Faults;
use crate::fleet::Fleet;
use crate::mqtt::Broker;
use crate::state::State;

/// What every service API request needs.
#[derive(Clone)]
pub(crate) struct ServiceContext {
    pub(crate) state: Arc<State>,
    pub(crate) broker: Arc<Broker>,
    /// Host names a policy token may name (the hub, and `host:port` of this listener).
    pub(crate) hosts: Vec<String>,
    /// Injected delays and failures.
    pub(crate) faults: Faults,
    /// The fleet devices, if any.
    pub(crate) fleet: Option<Arc<Fleet>>,
    /// IoT Hub's rate limit (off by default).
    pub(crate) throttle: Arc<throttle::Throttle>,
}

/// Accepts HTTPS connections until `shutdown`.
pub(crate) async fn serve(
    listener: TcpListener,
    acceptor: SslAcceptor,
    ctx: ServiceContext,
    shutdown: CancellationToken,
) {
    let app = Router::new().fallback(handle).with_state(ctx);
    let acceptor = Arc::new(acceptor);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let (app, acceptor, shutdown) = (app.clone(), acceptor.clone(), shutdown.clone());
                    connections.spawn(async move {
                        if let Err(e) = serve_connection(tcp, &acceptor, app, shutdown).await {
                            debug!(%peer, error = %e, "service api connection ended");
                        }
                    });
                }
                Err(e) => {
                    warn!(error = %e, "service api accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
        }
    }
    info!("service api stopping");
    while connections.join_next().await.is_some() {}
}

/// Why an HTTPS connection failed.
#[derive(Debug, thiserror::Error)]
enum HttpsError {
    #[error("tls setup failed")]
    Setup(#[from] openssl::error::ErrorStack),
    #[error("tls handshake failed")]
    Handshake(#[from] openssl::ssl::Error),
    #[error("http error")]
    Http(#[from] hyper::Error),
}

async fn serve_connection(
    tcp: tokio::net::TcpStream,
    acceptor: &SslAcceptor,
    app: Router,
    shutdown: CancellationToken,
) -> Result<(), HttpsError> {
    // Small request/response writes: no Nagle delay behind the client's delayed ACK.
    let _ = tcp.set_nodelay(true);
    let mut tls = SslStream::new(Ssl::new(acceptor.context())?, tcp)?;
    Pin::new(&mut tls).accept().await?;
    let service = TowerToHyperService::new(app);
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(tls), service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => result?,
        () = shutdown.cancelled() => {
            conn.as_mut().graceful_shutdown();
            conn.await?;
        }
    }
    Ok(())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[tracing::instrument(name = "service_api", skip_all, fields(method = %method, path = %uri.path()))]
async fn handle(
    Extract(ctx): Extract<ServiceContext>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match dispatch(&ctx, &method, &uri, &headers, &body).await {
        Ok(response) => response,
        Err(e) => {
            info!(status = %e.status, code = e.code, message = %e.message, "request refused");
            e.into_response()
        }
    }
}

async fn dispatch(
    ctx: &ServiceContext,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    auth::authorize(authorization, &ctx.hosts, &ctx.state.policy(), unix_now()).map_err(|e| {
        ServiceError::new(
            StatusCode::UNAUTHORIZED,
            "IotHubUnauthorizedAccess",
            e.to_string(),
        )
    })?;
    if let Err(wait) = ctx.throttle.admit() {
        return Ok(throttled(wait));
    }
    let fault = ctx.faults.next_service_request();
    if !fault.delay.is_zero() {
        tokio::time::sleep(fault.delay).await;
    }
    if let Some(status) = fault.fail_with {
        return Err(injected_failure(status));
    }
    let route = ServiceRoute::parse(uri.path()).map_err(|e| match e {
        RouteError::Unknown(_) => ServiceError::not_found("ResourceNotFound", e.to_string()),
        RouteError::Encoding => ServiceError::bad_request(e.to_string()),
    })?;
    let if_match = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok());
    match route {
        ServiceRoute::ModuleTwin { device, module } if fleet_device(ctx, &device).is_some() => {
            let fleet = fleet_device(ctx, &device).ok_or_else(|| device_not_found(&device))?;
            let module =
                ModuleId::new(&module).map_err(|e| ServiceError::bad_request(e.to_string()))?;
            twins_modules::handle_fleet(fleet, method, &device, &module, if_match, body)
        }
        ServiceRoute::ModuleMethods { device, module } if fleet_device(ctx, &device).is_some() => {
            only(method, &Method::POST)?;
            Err(ServiceError::not_found(
                "DeviceNotOnline",
                format!(
                    "module {module} of fleet device {device} is simulated without a connection: it has no direct methods"
                ),
            ))
        }
        ServiceRoute::ModuleIdentity { device, module } if fleet_device(ctx, &device).is_some() => {
            let fleet = fleet_device(ctx, &device).ok_or_else(|| device_not_found(&device))?;
            devices_modules::handle_fleet(fleet, method, &device, Some(&module))
        }
        ServiceRoute::ModuleIdentities { device } if fleet_device(ctx, &device).is_some() => {
            let fleet = fleet_device(ctx, &device).ok_or_else(|| device_not_found(&device))?;
            devices_modules::handle_fleet(fleet, method, &device, None)
        }
        ServiceRoute::ApplyConfigurationContent { device }
            if fleet_device(ctx, &device).is_some() =>
        {
            let fleet = fleet_device(ctx, &device).ok_or_else(|| device_not_found(&device))?;
            only(method, &Method::POST)?;
            devices_apply_configuration_content::post_fleet(fleet, &device, body)
        }
        ServiceRoute::Configuration { id } => {
            configurations::handle(ctx, method, &id, if_match, body)
        }
        ServiceRoute::Configurations => {
            only(method, &Method::GET)?;
            configurations::list(ctx)
        }
        ServiceRoute::ModuleTwin { device, module } => {
            let module = existing_module(ctx, &device, &module)?;
            twins_modules::handle(ctx, method, &module, if_match, body)
        }
        ServiceRoute::ModuleMethods { device, module } => {
            let module = existing_module(ctx, &device, &module)?;
            only(method, &Method::POST)?;
            twins_modules_methods::post(ctx, &module, body).await
        }
        ServiceRoute::ApplyConfigurationContent { device } => {
            check_device(ctx, &device)?;
            only(method, &Method::POST)?;
            devices_apply_configuration_content::post(ctx, &device, body)
        }
        ServiceRoute::ModuleIdentity { device, module } => {
            check_device(ctx, &device)?;
            let module =
                ModuleId::new(module).map_err(|e| ServiceError::bad_request(e.to_string()))?;
            devices_modules::handle(ctx, method, &module, if_match, body)
        }
        ServiceRoute::ModuleIdentities { device } => {
            check_device(ctx, &device)?;
            only(method, &Method::GET)?;
            Ok(devices_modules::list(ctx))
        }
        ServiceRoute::Query => {
            only(method, &Method::POST)?;
            devices_query::post(ctx, headers, body)
        }
    }
}

/// IoT Hub's answer to a throttled request: 429 `ThrottlingException` with `Retry-After`.
fn throttled(wait: std::time::Duration) -> Response {
    let seconds = throttle::retry_after_seconds(wait);
    let mut response = ServiceError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "ThrottlingException",
        format!("the service api's rate limit was exceeded: retry after {seconds} s"),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
    response
}

/// The fleet, when `device` is one of its devices.
fn fleet_device<'a>(ctx: &'a ServiceContext, device: &str) -> Option<&'a Fleet> {
    ctx.fleet
        .as_deref()
        .filter(|fleet| fleet.contains_device(device))
}

fn device_not_found(device: &str) -> ServiceError {
    ServiceError::not_found("DeviceNotFound", format!("device {device} does not exist"))
}

/// An injected failure, with IoT Hub's error code for the status.
fn injected_failure(status: u16) -> ServiceError {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match status.as_u16() {
        429 => "ThrottlingException",
        503 => "ServiceUnavailable",
        500 => "ServerError",
        _ => "InjectedFault",
    };
    ServiceError::new(status, code, format!("injected fault: {status}"))
}

fn only(method: &Method, allowed: &Method) -> Result<(), ServiceError> {
    if method == allowed {
        Ok(())
    } else {
        Err(ServiceError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("{method} is not allowed here"),
        ))
    }
}

fn check_device(ctx: &ServiceContext, device: &str) -> Result<(), ServiceError> {
    if ctx.state.device().device_id.as_str() == device {
        Ok(())
    } else {
        Err(ServiceError::not_found(
            "DeviceNotFound",
            format!("device {device} does not exist"),
        ))
    }
}

fn existing_module(
    ctx: &ServiceContext,
    device: &str,
    module: &str,
) -> Result<ModuleId, ServiceError> {
    check_device(ctx, device)?;
    let not_found = || {
        ServiceError::not_found(
            "ModuleNotFound",
            format!("module {module} does not exist on device {device}"),
        )
    };
    let module = ModuleId::new(module).map_err(|_| not_found())?;
    ctx.state.module(&module).ok_or_else(not_found)?;
    Ok(module)
}

/// Parses a JSON object body.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, ServiceError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ServiceError::bad_request("body is not a json object")),
        Err(e) => Err(ServiceError::bad_request(format!("body is not json: {e}"))),
    }
}

/// The time IoT Hub shows for "never" in identity and twin records.
const NEVER: &str = "0001-01-01T00:00:00Z";
