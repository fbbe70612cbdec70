//! `opc-vault serve`: the operator's page, served by the CA tool itself.
//!
//! The page talks only to this server, and this server only to the vault folder and to IoT
//! Hub's service REST API through the connection string it was given, so it works the same
//! against edge-sim and a real hub, offline (every asset is embedded in the binary: no CDN,
//! no fonts, no external scripts).
//!
//! - Loopback by default (`--listen 127.0.0.1:8080`). Any other address needs `--tls-cert`
//!   and `--tls-key`: the login token must not cross a network in clear.
//! - Login, sessions, CSRF and `Host` checks: [`auth`] (its header states the contract).
//! - What the page shows: [`view`] (modules with their stores, the CA). Found with IoT Hub's
//!   twin query, so a fleet of devices is one page.
//! - The twin editor's rules: [`editor`] (edgeHub's and the contract's checks, the diff, the
//!   merge patch sent with `If-Match`).
//! - Provision, renew, revoke, push CRLs, approve: [`jobs`], each a job whose progress the
//!   page follows until the modules report the result.
//!
//! # HTTP API (JSON; the page's only contract)
//! | route | what |
//! | --- | --- |
//! | `POST /api/login` `{token}` | opens a session (cookie) |
//! | `POST /api/logout` | ends it |
//! | `GET /api/session` | `{csrf, hub, vault}` |
//! | `GET /api/modules` | [`view::ModulesView`] |
//! | `GET /api/ca` | [`view::CaView`] and the revocation reasons |
//! | `GET /api/twin/{device}/{module}` | desired and reported (without `$` members), versions, etag |
//! | `POST /api/twin/{device}/{module}/check` `{desired}` | problems and changes, nothing sent |
//! | `PUT /api/twin/{device}/{module}/desired` `{desired, etag}` | sends the edit: 422 with problems, 409 when the etag is stale |
//! | `POST /api/actions` [`jobs::Action`] | 202 `{job}` |
//! | `GET /api/jobs`, `GET /api/jobs/{id}` | [`jobs::Job`]s, newest first |

use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{Json, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use hub_service::{ServiceClient, ServiceError};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use openssl::ssl::{Ssl, SslAcceptor, SslFiletype, SslMethod};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_openssl::SslStream;
use tokio_util::sync::CancellationToken;

use crate::provision::ProvisionOptions;
use crate::vault::Vault;

pub mod auth;
pub mod editor;
pub mod jobs;
pub mod view;

use auth::{COOKIE, CSRF_HEADER, Credentials, Origins, Refusal, Sessions};
use jobs::{Action, Jobs, Worker};

/// The default address: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The page's files, embedded.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const FAVICON_SVG: &str = include_str!("assets/favicon.svg");

/// The Content-Security-Policy of every answer: nothing but this server's own files.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// How `serve` runs.
pub struct ServeOptions {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The hub's service API client.
    pub hub: ServiceClient,
    /// The connection string's `SharedAccessKey`, accepted as a login too.
    pub hub_key: Option<String>,
    /// The login token (a random one when `None`).
    pub token: Option<String>,
    /// PEM certificate (chain) and key files to serve HTTPS with.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// How actions provision (timeout, poll period, certificate type, renewal window).
    pub provision: ProvisionOptions,
}

/// Why the page cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without TLS.
    #[error(
        "serving on {0}, which is not a loopback address, needs --tls-cert and --tls-key: the login token would cross the network in clear"
    )]
    NeedsTls(SocketAddr),
    /// The address cannot be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The TLS certificate or key cannot be used.
    #[error("cannot use the TLS certificate {cert} and key {key}")]
    Tls {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// Why.
        #[source]
        source: openssl::error::ErrorStack,
    },
}

/// The running page.
pub struct Served {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The login token.
    pub token: String,
    /// The page's address with the token in its fragment (never sent to a server).
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a secret: it is printed once, for the operator, and never logged.
        f.debug_struct("Served")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Served {
    /// Waits until the server stopped (after its shutdown token was cancelled).
    pub async fn stopped(self) {
        let _ = self.task.await;
    }
}

struct Inner {
    worker: Worker,
    vault: Vault,
    credentials: Credentials,
    sessions: Mutex<Sessions>,
    origins: Origins,
}

type Shared = Arc<Inner>;

/// Binds, then serves the page until `shutdown`.
pub async fn start(
    vault: Vault,
    options: ServeOptions,
    shutdown: CancellationToken,
) -> Result<Served, ServeError> {
    if options.tls.is_none() && !options.listen.ip().is_loopback() {
        return Err(ServeError::NeedsTls(options.listen));
    }
    let acceptor = options
        .tls
        .as_ref()
        .map(|(cert, key)| {
            acceptor(cert, key).map_err(|source| ServeError::Tls {
                cert: cert.clone(),
                key: key.clone(),
                source,
            })
        })
        .transpose()?;
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: options.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: options.listen,
        source,
    })?;
    let token = options.token.unwrap_or_else(auth::random_token);
    let tls = acceptor.is_some();
    let inner = Arc::new(Inner {
        worker: Worker {
            vault: vault.clone(),
            hub: Arc::new(options.hub),
            options: options.provision,
            jobs: Jobs::default(),
        },
        vault,
        credentials: Credentials {
            token: token.clone(),
            hub_key: options.hub_key,
        },
        sessions: Mutex::new(Sessions::default()),
        origins: Origins { addr, tls },
    });
    let app = router(inner);
    let scheme = if tls { "https" } else { "http" };
    let host = if addr.ip().is_loopback() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    };
    let url = format!("{scheme}://{host}/#token={token}");
    let task = tokio::spawn(accept_loop(listener, acceptor, app, shutdown));
    Ok(Served {
        addr,
        token,
        url,
        task,
    })
}

fn acceptor(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<SslAcceptor, openssl::error::ErrorStack> {
    let mut builder = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server())?;
    builder.set_certificate_chain_file(cert)?;
    builder.set_private_key_file(key, SslFiletype::PEM)?;
    builder.check_private_key()?;
    Ok(builder.build())
}

fn router(inner: Shared) -> Router {
    let api = Router::new()
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/session", get(session))
        .route("/api/modules", get(modules))
        .route("/api/ca", get(ca))
        .route("/api/twin/{device}/{module}", get(twin))
        .route("/api/twin/{device}/{module}/check", post(check_twin))
        .route("/api/twin/{device}/{module}/desired", put(write_twin))
        .route("/api/actions", post(action))
        .route("/api/jobs", get(jobs_list))
        .route("/api/jobs/{id}", get(job));
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .route(
            "/favicon.svg",
            get(|| async { asset("image/svg+xml", FAVICON_SVG) }),
        )
        .merge(api)
        .fallback(|| async { problem(StatusCode::NOT_FOUND, "no such page") })
        .layer(middleware::from_fn_with_state(inner.clone(), guard))
        .with_state(inner)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// An error answer: `{"error": message}`.
fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    header_str(headers, header::COOKIE)
        .and_then(|c| auth::cookie(c, COOKIE))
        .map(str::to_owned)
}

/// Every request: `Host`, then for the API the session and, for writes, CSRF; every answer
/// gets the security headers.
async fn guard(State(inner): State<Shared>, request: Request, next: Next) -> Response {
    let mut response = match admit(&inner, &request) {
        Ok(()) => next.run(request).await,
        Err(refusal) => {
            let status = match refusal {
                Refusal::NoSession => StatusCode::UNAUTHORIZED,
                Refusal::Host(_) => StatusCode::MISDIRECTED_REQUEST,
                _ => StatusCode::FORBIDDEN,
            };
            if status != StatusCode::UNAUTHORIZED {
                tracing::warn!(
                    "refused {} {}: {refusal}",
                    request.method(),
                    request.uri().path()
                );
            }
            problem(status, refusal.to_string())
        }
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn admit(inner: &Inner, request: &Request) -> Result<(), Refusal> {
    let headers = request.headers();
    let host = header_str(headers, header::HOST);
    inner.origins.host_allowed(host)?;
    let path = request.uri().path();
    if !path.starts_with("/api/") {
        return Ok(());
    }
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    if writes {
        inner
            .origins
            .origin_allowed(header_str(headers, header::ORIGIN), host)?;
    }
    if path == "/api/login" {
        return auth::check_json(header_str(headers, header::CONTENT_TYPE));
    }
    let id = session_id(headers).ok_or(Refusal::NoSession)?;
    let csrf = inner
        .sessions
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .touch(&id, Instant::now())
        .ok_or(Refusal::NoSession)?;
    if writes {
        auth::check_write(
            &csrf,
            header_str(headers, CSRF_HEADER),
            header_str(headers, header::CONTENT_TYPE),
        )?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct Login {
    token: String,
}

async fn login(State(inner): State<Shared>, Json(login): Json<Login>) -> Response {
    if !inner.credentials.accepts(&login.token) {
        tracing::warn!("a login with a wrong token was refused");
        return problem(
            StatusCode::UNAUTHORIZED,
            "wrong token: use the one opc-vault serve printed, or the hub's shared access key",
        );
    }
    let opened = inner
        .sessions
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .open(Instant::now());
    tracing::info!("a browser logged in");
    (
        [(
            header::SET_COOKIE,
            auth::set_cookie(&opened.id, inner.origins.tls),
        )],
        Json(json!({ "csrf": opened.csrf })),
    )
        .into_response()
}

async fn logout(State(inner): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(id) = session_id(&headers) {
        inner
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .close(&id);
    }
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::clear_cookie(inner.origins.tls))],
    )
        .into_response()
}

async fn session(State(inner): State<Shared>, headers: HeaderMap) -> Response {
    let csrf = session_id(&headers).and_then(|id| {
        inner
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .touch(&id, Instant::now())
    });
    Json(json!({
        "csrf": csrf,
        "hub": inner.worker.hub.host_name(),
        "vault": inner.vault.dir().display().to_string(),
    }))
    .into_response()
}

/// A service API failure as an answer: the hub's status where it has one.
fn hub_problem(error: &ServiceError) -> Response {
    let status = match error {
        ServiceError::Status { status, .. } if *status == 404 => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_GATEWAY,
    };
    problem(status, crate::error_chain(error))
}

async fn read_vault(inner: &Inner) -> Result<crate::vault::VaultState, Response> {
    let vault = inner.vault.clone();
    tokio::task::spawn_blocking(move || vault.read())
        .await
        .map_err(|e| problem(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(|e| problem(StatusCode::INTERNAL_SERVER_ERROR, crate::error_chain(&e)))
}

async fn modules(State(inner): State<Shared>) -> Response {
    let hub = &inner.worker.hub;
    let (twins, agents) = match tokio::try_join!(
        hub.query_twins(view::MODULES_QUERY, Some(1000)),
        hub.query_twins(view::AGENTS_QUERY, Some(1000))
    ) {
        Ok(found) => found,
        Err(e) => return hub_problem(&e),
    };
    let state = match read_vault(&inner).await {
        Ok(state) => state,
        Err(answer) => return answer,
    };
    Json(view::modules(
        hub.host_name(),
        &twins,
        &agents,
        &state,
        OffsetDateTime::now_utc(),
    ))
    .into_response()
}

async fn ca(State(inner): State<Shared>) -> Response {
    match read_vault(&inner).await {
        Ok(state) => Json(json!({
            "ca": view::ca(&state, OffsetDateTime::now_utc()),
            "reasons": view::revocation_reasons(),
        }))
        .into_response(),
        Err(answer) => answer,
    }
}

fn twin_json(twin: &hub_service::ModuleTwin) -> Value {
    json!({
        "deviceId": twin.device_id,
        "moduleId": twin.module_id,
        "etag": twin.etag,
        "desiredVersion": twin.desired_version().map(hub_proto::TwinVersion::get),
        "reportedVersion": twin.reported_version().map(hub_proto::TwinVersion::get),
        "desired": twin.desired_properties(),
        "reported": twin.reported_properties(),
    })
}

async fn twin(
    State(inner): State<Shared>,
    Path((device, module)): Path<(String, String)>,
) -> Response {
    match inner.worker.hub.get_module_twin(&device, &module).await {
        Ok(twin) => Json(twin_json(&twin)).into_response(),
        Err(e) => hub_problem(&e),
    }
}

#[derive(Deserialize)]
struct Draft {
    desired: Value,
    #[serde(default)]
    etag: Option<String>,
}

/// The draft as an object, or the problem that it is not one.
fn draft_document(draft: &Draft) -> Result<Map<String, Value>, Vec<editor::Problem>> {
    match &draft.desired {
        Value::Object(map) => Ok(hub_proto::twin::properties_only(map)),
        _ => Err(vec![editor::Problem {
            path: String::new(),
            rule: "edgeHub".to_owned(),
            message: "the desired document must be a JSON object".to_owned(),
        }]),
    }
}

async fn check_twin(
    State(inner): State<Shared>,
    Path((device, module)): Path<(String, String)>,
    Json(draft): Json<Draft>,
) -> Response {
    let current = match inner.worker.hub.get_module_twin(&device, &module).await {
        Ok(twin) => twin.desired_properties(),
        Err(e) => return hub_problem(&e),
    };
    match draft_document(&draft) {
        Ok(edited) => Json(json!({
            "problems": editor::check(&edited),
            "changes": editor::changes(&current, &edited),
        }))
        .into_response(),
        Err(problems) => Json(json!({ "problems": problems, "changes": [] })).into_response(),
    }
}

async fn write_twin(
    State(inner): State<Shared>,
    Path((device, module)): Path<(String, String)>,
    Json(draft): Json<Draft>,
) -> Response {
    let Some(etag) = draft.etag.clone().filter(|e| !e.is_empty()) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "the etag of the twin the edit started from is required",
        );
    };
    let edited = match draft_document(&draft) {
        Ok(edited) => edited,
        Err(problems) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": "the document is not valid", "problems": problems })),
            )
                .into_response();
        }
    };
    let problems = editor::check(&edited);
    if !problems.is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "error": "the document is not valid", "problems": problems })),
        )
            .into_response();
    }
    let hub = &inner.worker.hub;
    let current = match hub.get_module_twin(&device, &module).await {
        Ok(twin) => twin,
        Err(e) => return hub_problem(&e),
    };
    let patch = hub_proto::twin::diff(&current.desired_properties(), &edited);
    if patch.is_empty() {
        return Json(json!({ "twin": twin_json(&current), "changed": false })).into_response();
    }
    match hub
        .update_module_desired_if_match(&device, &module, &Value::Object(patch), &etag)
        .await
    {
        Ok(twin) => {
            tracing::info!("desired properties of {device}/{module} written from the editor");
            Json(json!({ "twin": twin_json(&twin), "changed": true })).into_response()
        }
        Err(ServiceError::Status { status: 412, .. }) => problem(
            StatusCode::CONFLICT,
            format!(
                "the twin of {device}/{module} changed since you loaded it (etag {etag}): nothing was written; reload it and apply your edit again"
            ),
        ),
        Err(e) => hub_problem(&e),
    }
}

async fn action(State(inner): State<Shared>, Json(action): Json<Value>) -> Response {
    let action: Action = match serde_json::from_value(action) {
        Ok(action) => action,
        Err(e) => return problem(StatusCode::BAD_REQUEST, format!("not an action: {e}")),
    };
    match inner.worker.spawn(action) {
        Ok(id) => (StatusCode::ACCEPTED, Json(json!({ "job": id }))).into_response(),
        Err(e) => problem(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

async fn jobs_list(State(inner): State<Shared>) -> Response {
    Json(inner.worker.jobs.list()).into_response()
}

async fn job(State(inner): State<Shared>, Path(id): Path<u64>) -> Response {
    match inner.worker.jobs.get(id) {
        Some(job) => Json(job).into_response(),
        None => problem(StatusCode::NOT_FOUND, format!("no job {id}")),
    }
}

/// Accepts connections until `shutdown`; each is served on its own task.
async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<SslAcceptor>,
    app: Router,
    shutdown: CancellationToken,
) {
    let acceptor = acceptor.map(Arc::new);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let (app, acceptor, shutdown) = (app.clone(), acceptor.clone(), shutdown.clone());
                    connections.spawn(async move {
                        if let Err(e) = connection(tcp, acceptor.as_deref(), app, shutdown).await {
                            tracing::debug!(%peer, "page connection ended: {e}");
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!("accepting a page connection failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
        }
    }
    while connections.join_next().await.is_some() {}
}

async fn connection(
    tcp: tokio::net::TcpStream,
    acceptor: Option<&SslAcceptor>,
    app: Router,
    shutdown: CancellationToken,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let _ = tcp.set_nodelay(true);
    match acceptor {
        None => serve_http(TokioIo::new(tcp), app, shutdown).await,
        Some(acceptor) => {
            let mut tls = SslStream::new(Ssl::new(acceptor.context())?, tcp)?;
            Pin::new(&mut tls).accept().await?;
            serve_http(TokioIo::new(tls), app, shutdown).await
        }
    }
}

async fn serve_http<I>(
    io: TokioIo<I>,
    app: Router,
    shutdown: CancellationToken,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(app);
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service);
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
