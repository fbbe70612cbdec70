//! [`ServiceClient`]: one HTTPS request per call attempt, signed, retried by [`RetryPolicy`].

use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hub_proto::configuration::Configuration;
use hub_proto::query::{CONTINUATION_HEADER, ITEM_TYPE_HEADER, ItemType, MAX_ITEM_COUNT_HEADER};
use hub_proto::{ConnectionString, SharedAccessKey};
use hyper::Request;
use hyper::header::{ACCEPT, AUTHORIZATION, CONNECTION, CONTENT_TYPE, HOST, IF_MATCH, USER_AGENT};
use hyper_util::rt::TokioIo;
use openssl::ssl::SslConnector;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_openssl::SslStream;
use tracing::{debug, instrument};

use crate::error::{ConfigError, ServiceError, parse_error_body};
use crate::identity::ModuleIdentity;
use crate::request::{self, Endpoint, Route};
use crate::retry::{Repeatable, RetryPolicy};
use crate::tls::{TlsTrust, connector};
use crate::twin::ModuleTwin;

/// A direct method's answer: the module's status and payload (`{"status", "payload"}`).
pub type MethodResult = hub_proto::method::CloudToDeviceMethodResult;

/// How long a request may take when no call-specific limit applies.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_mins(1);

/// The largest answer body read (twins are at most a few 100 KB).
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// `If-Match` of unconditional twin writes, as the SDK and iotedgehubdev send it.
const IF_MATCH_ANY: &str = "\"*\"";

/// The content type of every body.
const JSON: &str = "application/json; charset=utf-8";

/// A client of one hub's service API, authenticated with a shared access policy
/// (`iothubowner` or any policy with the needed rights).
///
/// Cheap to clone; every call opens its own HTTPS connection and signs its own SAS token
/// (valid for an hour), so a client kept for days never presents an expired token.
#[derive(Clone)]
pub struct ServiceClient {
    endpoint: Endpoint,
    key_name: String,
    key: SharedAccessKey,
    tls: SslConnector,
    retry: RetryPolicy,
    request_timeout: Duration,
}

impl std::fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceClient")
            .field("endpoint", &self.endpoint)
            .field("key_name", &self.key_name)
            .field("retry", &self.retry)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

/// An HTTP method of the service API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Put,
    Patch,
    Post,
    Delete,
}

impl Verb {
    fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }
}

/// One call: what to send, how often, how long to wait.
struct Call<'a> {
    verb: Verb,
    route: Route<'a>,
    body: Option<Vec<u8>>,
    if_match: Option<String>,
    /// Further request headers (the query's paging headers).
    headers: Vec<(&'static str, String)>,
    repeatable: Repeatable,
    timeout: Duration,
}

/// An answer: its body and the headers it carries that matter.
struct Answer {
    body: Bytes,
    /// `Retry-After`, parsed.
    retry_after: Option<Duration>,
    /// `x-ms-continuation`.
    continuation: Option<String>,
    /// `x-ms-item-type`.
    item_type: Option<String>,
}

/// One page of a twin query's answer ([`ServiceClient::query_twins_page`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TwinPage {
    /// The twins of this page, in the hub's order.
    pub twins: Vec<ModuleTwin>,
    /// The token asking for the next page (`x-ms-continuation`); `None` on the last page.
    pub continuation: Option<String>,
}

/// The token of the page after the one read with `asked` (`None` for the first page), from
/// that page's answer `answered`; a token that names the page just read again would loop.
fn next_page(
    asked: Option<&str>,
    answered: Option<String>,
) -> Result<Option<String>, ServiceError> {
    match answered {
        Some(next) if asked == Some(next.as_str()) => Err(ServiceError::Protocol(format!(
            "the query's continuation token {next:?} names the page just read"
        ))),
        next => Ok(next),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn encode(body: &impl Serialize) -> Vec<u8> {
    // Serializing `Value`s and our derive types cannot fail: every map key is a string.
    serde_json::to_vec(body).unwrap_or_default()
}

fn decode<T: DeserializeOwned>(body: &[u8], what: &'static str) -> Result<T, ServiceError> {
    serde_json::from_slice(body).map_err(|source| ServiceError::Decode { what, source })
}

/// A status ≥ 300 as [`ServiceError::Status`], with the hub's code and message.
fn check_status(status: u16, body: &[u8]) -> Result<(), ServiceError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let (code, message) = parse_error_body(status, body);
    Err(ServiceError::Status {
        status,
        code,
        message,
    })
}

impl ServiceClient {
    /// A client for the hub of a service connection string
    /// (`HostName=…;SharedAccessKeyName=…;SharedAccessKey=…`); `HostName` may carry a port
    /// (edge-sim's `localhost:<api port>`), else 443. `trust` verifies the hub's certificate,
    /// which must name the host.
    pub fn from_connection_string(cs: &str, trust: TlsTrust) -> Result<Self, ServiceError> {
        let parsed = ConnectionString::parse(cs).map_err(ConfigError::ConnectionString)?;
        let ConnectionString::Service {
            host_name,
            shared_access_key_name,
            shared_access_key,
        } = parsed
        else {
            return Err(ConfigError::NotAService.into());
        };
        Ok(Self {
            endpoint: Endpoint::parse(&host_name)?,
            key_name: shared_access_key_name,
            key: shared_access_key,
            tls: connector(trust)?,
            retry: RetryPolicy::default(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        })
    }

    /// The same client with another retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = RetryPolicy {
            max_attempts: retry.max_attempts.max(1),
            ..retry
        };
        self
    }

    /// The same client with another limit per request attempt (connect, TLS, answer);
    /// a direct method's attempt may take its response timeout longer.
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The hub's `HostName`, as in the connection string.
    #[must_use]
    pub fn host_name(&self) -> &str {
        &self.endpoint.host_name
    }

    /// Reads a module twin (`GET /twins/{d}/modules/{m}`).
    #[instrument(skip(self))]
    pub async fn get_module_twin(
        &self,
        device: &str,
        module: &str,
    ) -> Result<ModuleTwin, ServiceError> {
        let body = self
            .call(self.call_of(Verb::Get, Route::ModuleTwin { device, module }))
            .await?;
        decode(&body, "module twin")
    }

    /// Merges `patch` into the module's desired properties (`PATCH` with
    /// `{"properties": {"desired": patch}}`, `If-Match: "*"`); a `null` member deletes that
    /// property. Returns the twin after the change.
    #[instrument(skip(self, patch))]
    pub async fn update_module_desired(
        &self,
        device: &str,
        module: &str,
        patch: &Value,
    ) -> Result<ModuleTwin, ServiceError> {
        self.write_desired(Verb::Patch, device, module, patch).await
    }

    /// Replaces the module's desired properties by `desired` (`PUT` with
    /// `{"properties": {"desired": desired}}`, `If-Match: "*"`): properties it does not name
    /// are removed. IoT Hub documents this `PUT` as replacing tags and desired properties:
    /// a real hub may drop the twin's tags (the body names none); edge-sim keeps them.
    /// Returns the twin after the change.
    #[instrument(skip(self, desired))]
    pub async fn replace_module_desired(
        &self,
        device: &str,
        module: &str,
        desired: &Value,
    ) -> Result<ModuleTwin, ServiceError> {
        self.write_desired(Verb::Put, device, module, desired).await
    }

    /// Merges `patch` into the module's desired properties only if the twin's etag is still
    /// `etag` (`If-Match: "<etag>"`): a twin changed since it was read is refused with status
    /// 412 (`PreconditionFailed`), and nothing is written. Returns the twin after the change.
    #[instrument(skip(self, patch))]
    pub async fn update_module_desired_if_match(
        &self,
        device: &str,
        module: &str,
        patch: &Value,
        etag: &str,
    ) -> Result<ModuleTwin, ServiceError> {
        let quoted = format!("\"{}\"", etag.trim_matches('"'));
        self.write_desired_if(Verb::Patch, device, module, patch, quoted)
            .await
    }

    async fn write_desired(
        &self,
        verb: Verb,
        device: &str,
        module: &str,
        desired: &Value,
    ) -> Result<ModuleTwin, ServiceError> {
        self.write_desired_if(verb, device, module, desired, IF_MATCH_ANY.to_owned())
            .await
    }

    async fn write_desired_if(
        &self,
        verb: Verb,
        device: &str,
        module: &str,
        desired: &Value,
        if_match: String,
    ) -> Result<ModuleTwin, ServiceError> {
        let mut call = self.call_of(verb, Route::ModuleTwin { device, module });
        call.body = Some(encode(&request::desired_body(desired)));
        call.if_match = Some(if_match);
        let body = self.call(call).await?;
        decode(&body, "module twin")
    }

    /// Invokes the direct method `method` of a module with `payload` and waits up to
    /// `timeout` (whole seconds, 5–300 at the hub) for its answer; the module's status may be
    /// any integer (not only 2xx). A module that is not connected is a 404 status, one that
    /// does not answer in time a 504.
    #[instrument(skip(self, payload))]
    pub async fn invoke_module_method(
        &self,
        device: &str,
        module: &str,
        method: &str,
        payload: &Value,
        timeout: Duration,
    ) -> Result<MethodResult, ServiceError> {
        let mut call = self.call_of(Verb::Post, Route::ModuleMethod { device, module });
        call.body = Some(encode(&request::method_body(method, payload, timeout)));
        call.repeatable = Repeatable::No;
        call.timeout = self.request_timeout.saturating_add(timeout);
        let body = self.call(call).await?;
        decode(&body, "method result")
    }

    /// Applies a deployment's configuration content to an edge device
    /// (`POST /devices/{d}/applyConfigurationContent`): `content` is
    /// `{"modulesContent": {…}}` (a deployment manifest has that shape); each listed module's
    /// desired properties are replaced by its `properties.desired`.
    #[instrument(skip(self, content))]
    pub async fn apply_configuration_content(
        &self,
        device: &str,
        content: &Value,
    ) -> Result<(), ServiceError> {
        let mut call = self.call_of(Verb::Post, Route::ApplyConfigurationContent { device });
        call.body = Some(encode(content));
        self.call(call).await.map(drop)
    }

    /// The device's module identities (`GET /devices/{d}/modules`).
    #[instrument(skip(self))]
    pub async fn list_modules(&self, device: &str) -> Result<Vec<ModuleIdentity>, ServiceError> {
        let body = self
            .call(self.call_of(Verb::Get, Route::ModuleIdentities { device }))
            .await?;
        decode(&body, "module identity list")
    }

    /// One module identity with its keys (`GET /devices/{d}/modules/{m}`); an unknown module
    /// is a 404 status.
    #[instrument(skip(self))]
    pub async fn get_module(
        &self,
        device: &str,
        module: &str,
    ) -> Result<ModuleIdentity, ServiceError> {
        let body = self
            .call(self.call_of(Verb::Get, Route::ModuleIdentity { device, module }))
            .await?;
        decode(&body, "module identity")
    }

    /// Creates a module identity with SAS keys of the hub's choosing
    /// (`PUT /devices/{d}/modules/{m}` with `{"moduleId": m}`).
    #[instrument(skip(self))]
    pub async fn create_module(
        &self,
        device: &str,
        module: &str,
    ) -> Result<ModuleIdentity, ServiceError> {
        let mut call = self.call_of(Verb::Put, Route::ModuleIdentity { device, module });
        call.body = Some(encode(&request::new_module_body(module)));
        let body = self.call(call).await?;
        decode(&body, "module identity")
    }

    /// Deletes a module identity and its twin (`DELETE /devices/{d}/modules/{m}`,
    /// `If-Match: "*"`).
    #[instrument(skip(self))]
    pub async fn delete_module(&self, device: &str, module: &str) -> Result<(), ServiceError> {
        let mut call = self.call_of(Verb::Delete, Route::ModuleIdentity { device, module });
        call.if_match = Some(IF_MATCH_ANY.to_owned());
        self.call(call).await.map(drop)
    }

    /// Creates or replaces a configuration (`PUT /configurations/{id}`): a layered
    /// deployment whose `content.modulesContent` sets parts of module twins' desired
    /// properties on the devices its `targetCondition` selects. With `etag`, only if the
    /// configuration is still at that etag (412 otherwise); without, whatever it is.
    /// Returns the configuration as the hub keeps it (etag, times, metrics).
    #[instrument(skip(self, configuration), fields(id = %configuration.id))]
    pub async fn put_configuration(
        &self,
        configuration: &Configuration,
        etag: Option<&str>,
    ) -> Result<Configuration, ServiceError> {
        let id = configuration.id.as_str();
        let mut call = self.call_of(Verb::Put, Route::Configuration { id });
        call.body = Some(encode(configuration));
        call.if_match = Some(match etag {
            Some(etag) => format!("\"{}\"", etag.trim_matches('"')),
            None => IF_MATCH_ANY.to_owned(),
        });
        let body = self.call(call).await?;
        decode(&body, "configuration")
    }

    /// Reads a configuration with its metrics (`GET /configurations/{id}`).
    #[instrument(skip(self))]
    pub async fn get_configuration(&self, id: &str) -> Result<Configuration, ServiceError> {
        let body = self
            .call(self.call_of(Verb::Get, Route::Configuration { id }))
            .await?;
        decode(&body, "configuration")
    }

    /// Every configuration of the hub (`GET /configurations`).
    #[instrument(skip(self))]
    pub async fn list_configurations(&self) -> Result<Vec<Configuration>, ServiceError> {
        let body = self
            .call(self.call_of(Verb::Get, Route::Configurations))
            .await?;
        decode(&body, "configurations")
    }

    /// Deletes a configuration (`DELETE /configurations/{id}`, `If-Match: "*"`): what only it
    /// set is removed from the twins it targeted.
    #[instrument(skip(self))]
    pub async fn delete_configuration(&self, id: &str) -> Result<(), ServiceError> {
        let mut call = self.call_of(Verb::Delete, Route::Configuration { id });
        call.if_match = Some(IF_MATCH_ANY.to_owned());
        self.call(call).await.map(drop)
    }

    /// Every module twin a query finds (`SELECT * FROM devices.modules [WHERE …]`), all pages
    /// read in turn ([`Self::query_twins_page`]) with at most `page_size` twins each (the
    /// hub's default when `None`: 100 at edge-sim; a hub may use another size than asked).
    /// Each page is retried by the client's policy on its own.
    ///
    /// Only whole-twin queries (`SELECT *`) are answered as twins; the hub refuses a query it
    /// cannot parse with a 400 status naming the problem.
    #[instrument(skip(self))]
    pub async fn query_twins(
        &self,
        query: &str,
        page_size: Option<u32>,
    ) -> Result<Vec<ModuleTwin>, ServiceError> {
        let mut twins = Vec::new();
        let mut continuation: Option<String> = None;
        loop {
            let page = self
                .query_twins_page(query, page_size, continuation.as_deref())
                .await?;
            twins.extend(page.twins);
            match next_page(continuation.as_deref(), page.continuation)? {
                None => return Ok(twins),
                next => continuation = next,
            }
        }
    }

    /// One page of a twin query (`POST /devices/query` with `{"query": query}`,
    /// `x-ms-max-item-count: page_size` when given, `x-ms-continuation: continuation` for any
    /// page after the first); the page's twins and the token of the next page, if any.
    /// An answer whose `x-ms-item-type` is not `twin` (a `SELECT COUNT()` query) is a
    /// [`ServiceError::Protocol`] error.
    #[instrument(skip(self))]
    pub async fn query_twins_page(
        &self,
        query: &str,
        page_size: Option<u32>,
        continuation: Option<&str>,
    ) -> Result<TwinPage, ServiceError> {
        let mut call = self.call_of(Verb::Post, Route::Query);
        call.body = Some(encode(&request::query_body(query)));
        if let Some(size) = page_size {
            call.headers.push((MAX_ITEM_COUNT_HEADER, size.to_string()));
        }
        if let Some(token) = continuation {
            call.headers.push((CONTINUATION_HEADER, token.to_owned()));
        }
        let answer = self.call_answer(call).await?;
        if let Some(item_type) = &answer.item_type
            && item_type != ItemType::Twin.as_str()
        {
            return Err(ServiceError::Protocol(format!(
                "the query answered items of type {item_type:?}, not twins"
            )));
        }
        Ok(TwinPage {
            twins: decode(&answer.body, "twin query page")?,
            continuation: answer.continuation.filter(|t| !t.is_empty()),
        })
    }

    fn call_of<'a>(&self, verb: Verb, route: Route<'a>) -> Call<'a> {
        Call {
            verb,
            route,
            body: None,
            if_match: None,
            headers: Vec::new(),
            repeatable: Repeatable::Yes,
            timeout: self.request_timeout,
        }
    }

    /// Sends `call` until it succeeds or [`RetryPolicy::delay_after`] says the answer stands;
    /// returns the body of a 2xx answer.
    async fn call(&self, call: Call<'_>) -> Result<Bytes, ServiceError> {
        self.call_answer(call).await.map(|answer| answer.body)
    }

    /// [`Self::call`], returning the whole 2xx answer.
    async fn call_answer(&self, call: Call<'_>) -> Result<Answer, ServiceError> {
        let path = call.route.path();
        let mut attempt = 1;
        loop {
            let mut hint = None;
            let result = self
                .attempt(&call, &path)
                .await
                .and_then(|(status, answer)| {
                    hint = answer.retry_after;
                    check_status(status, &answer.body)?;
                    Ok(answer)
                });
            let delay = match &result {
                Err(ServiceError::Status { status, .. }) => {
                    self.retry
                        .delay_after_hint(attempt, *status, call.repeatable, hint)
                }
                _ => None,
            };
            let Some(delay) = delay else {
                return result;
            };
            if let Err(e) = &result {
                debug!(error = %e, attempt, ?delay, "refused, retrying");
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One request on a fresh connection, within the call's timeout.
    async fn attempt(&self, call: &Call<'_>, path: &str) -> Result<(u16, Answer), ServiceError> {
        tokio::time::timeout(call.timeout, self.exchange(call, path))
            .await
            .unwrap_or_else(|_| {
                Err(ServiceError::Timeout {
                    endpoint: self.endpoint.to_string(),
                    after: call.timeout,
                })
            })
    }

    async fn exchange(&self, call: &Call<'_>, path: &str) -> Result<(u16, Answer), ServiceError> {
        let endpoint = || self.endpoint.to_string();
        let http = |source: Box<dyn std::error::Error + Send + Sync>| ServiceError::Http {
            endpoint: endpoint(),
            source,
        };
        let tls = self.connect().await?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .map_err(|e| http(e.into()))?;
        let driver = tokio::spawn(connection);
        let mut request = Request::builder()
            .method(call.verb.as_str())
            .uri(path)
            .header(HOST, &self.endpoint.host_name)
            .header(
                AUTHORIZATION,
                request::authorization(
                    &self.endpoint.host_name,
                    &self.key,
                    &self.key_name,
                    unix_now(),
                ),
            )
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, JSON)
            .header(
                USER_AGENT,
                concat!("hub-service/", env!("CARGO_PKG_VERSION")),
            )
            .header(CONNECTION, "close");
        if let Some(if_match) = &call.if_match {
            request = request.header(IF_MATCH, if_match.as_str());
        }
        for (name, value) in &call.headers {
            request = request.header(*name, value);
        }
        let request = request
            .body(Full::new(Bytes::from(
                call.body.clone().unwrap_or_default(),
            )))
            .map_err(|e| http(e.into()))?;
        let answer = async {
            let response = sender
                .send_request(request)
                .await
                .map_err(|e| http(e.into()))?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let (continuation, item_type) = (header(CONTINUATION_HEADER), header(ITEM_TYPE_HEADER));
            let retry_after =
                header("retry-after").and_then(|v| crate::retry::parse_retry_after(&v));
            let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
                .collect()
                .await
                .map_err(http)?
                .to_bytes();
            Ok((
                status,
                Answer {
                    body,
                    retry_after,
                    continuation,
                    item_type,
                },
            ))
        }
        .await;
        driver.abort();
        answer
    }

    /// TCP to the hub (every address of the host in turn), then TLS checking the host name.
    async fn connect(&self) -> Result<SslStream<TcpStream>, ServiceError> {
        let Endpoint { host, port, .. } = &self.endpoint;
        let tcp = TcpStream::connect((host.as_str(), *port))
            .await
            .map_err(|source| ServiceError::Io {
                endpoint: self.endpoint.to_string(),
                source,
            })?;
        // Request and response are small writes in turn: without this, Nagle's algorithm
        // holds a write back until the previous one is acknowledged, and the peer's delayed
        // ACK makes that up to 40 ms per exchange.
        let _ = tcp.set_nodelay(true);
        let tls_error = |source: openssl::ssl::Error, reason: Option<String>| ServiceError::Tls {
            endpoint: self.endpoint.to_string(),
            reason,
            source,
        };
        let ssl = self
            .tls
            .configure()
            .and_then(|c| c.into_ssl(host))
            .map_err(|e| tls_error(e.into(), None))?;
        let mut stream = SslStream::new(ssl, tcp).map_err(|e| tls_error(e.into(), None))?;
        if let Err(e) = Pin::new(&mut stream).connect().await {
            let verify = stream.ssl().verify_result();
            let reason = (verify != openssl::x509::X509VerifyResult::OK)
                .then(|| verify.error_string().to_owned());
            return Err(tls_error(e, reason));
        }
        Ok(stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    #[test]
    fn a_service_connection_string_with_a_port_builds_a_client() {
        let client = ServiceClient::from_connection_string(
            &format!(
                "HostName=localhost:8443;SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}"
            ),
            TlsTrust::System,
        )
        .unwrap();
        assert_eq!(client.host_name(), "localhost:8443");
        assert_eq!(client.endpoint.port, 8443);
        assert!(!format!("{client:?}").contains(KEY));
    }

    #[test]
    fn device_strings_and_bad_host_names_are_config_errors() {
        let device = format!("HostName=h;DeviceId=d;SharedAccessKey={KEY}");
        assert!(matches!(
            ServiceClient::from_connection_string(&device, TlsTrust::System),
            Err(ServiceError::Config(ConfigError::NotAService))
        ));
        let bad_port =
            format!("HostName=h:x;SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}");
        assert!(matches!(
            ServiceClient::from_connection_string(&bad_port, TlsTrust::System),
            Err(ServiceError::Config(ConfigError::HostName(_)))
        ));
        assert!(matches!(
            ServiceClient::from_connection_string("HostName=h", TlsTrust::System),
            Err(ServiceError::Config(ConfigError::ConnectionString(_)))
        ));
    }

    #[test]
    fn only_2xx_answers_pass_and_errors_carry_the_hub_code() {
        assert!(check_status(200, b"{}").is_ok());
        assert!(check_status(204, b"").is_ok());
        let e = check_status(
            429,
            br#"{"Message":"ErrorCode:ThrottlingException;slow down"}"#,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            ServiceError::Status { status: 429, code: Some(ref c), ref message }
                if c == "ThrottlingException" && message == "slow down"
        ));
    }

    #[test]
    fn query_pages_follow_new_tokens_and_stop_at_a_repeated_one() {
        assert_eq!(next_page(None, None).unwrap(), None);
        assert_eq!(
            next_page(None, Some("t1".into())).unwrap().as_deref(),
            Some("t1")
        );
        assert_eq!(
            next_page(Some("t1"), Some("t2".into())).unwrap().as_deref(),
            Some("t2")
        );
        assert_eq!(next_page(Some("t2"), None).unwrap(), None);
        let e = next_page(Some("t1"), Some("t1".into())).unwrap_err();
        assert!(
            matches!(&e, ServiceError::Protocol(m) if m.contains("\"t1\"")),
            "{e:?}"
        );
    }

    #[test]
    fn a_body_of_another_shape_is_a_decode_error() {
        assert!(matches!(
            decode::<MethodResult>(br#"{"payload": 1}"#, "method result"),
            Err(ServiceError::Decode {
                what: "method result",
                ..
            })
        ));
    }
}
