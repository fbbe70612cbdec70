//! An OPC UA client on open62541 that verifies the server with our [`Verifier`], including the
//! server's host name and application URI (the library checks neither), and knows the session
//! id the server assigned.

use std::ffi::CString;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use open62541::{DataType as _, ua};
use pki::{
    PeerExpectations, PeerRole, SecurityPolicy, Store, ValidationError, ValidationOptions,
    Validator,
};
use time::OffsetDateTime;

use crate::ffi::{ClientSetup, PipelineRun, RawClient, client_check};
use crate::identity::{SecurityMode, policy_uri, url_host};
use crate::server::key_der;
use crate::status::{ClientError, Status};
use crate::verify::Verifier;

/// `Server_ServerStatus_CurrentTime` (OPC 10000-5 §6.3.1), what connectivity tests read.
pub const SERVER_CURRENT_TIME: u32 = 2258;
/// `Server_ServerStatus_State` (OPC 10000-5 §6.3.1), what keep-alives read.
pub const SERVER_STATE: u32 = 2259;
/// `Server_NamespaceArray` (OPC 10000-5 §6.3.1).
pub const NAMESPACE_ARRAY: u32 = 2255;
/// `Server_ServerCapabilities_MinSupportedSampleRate` (OPC 10000-5 §6.3.2).
pub const MIN_SUPPORTED_SAMPLE_RATE: u32 = 2272;
/// open62541's default requested session timeout (1 hour).
const DEFAULT_SESSION_TIMEOUT: Duration = Duration::from_hours(1);

/// How a client connects.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// `ApplicationName` of the client.
    pub application_name: String,
    /// Security policy of the channel.
    pub security_policy: SecurityPolicy,
    /// Security mode of the channel.
    pub security_mode: SecurityMode,
    /// The server's `ApplicationUri`, when known: its certificate must carry it.
    pub expected_server_uri: Option<String>,
    /// Check the server certificate against the URL's host name (default true).
    pub check_host_name: bool,
    /// The host name the server is known by when the URL dials it at another address (a host
    /// alias, like a container network's name for a module on edge-sim): the certificate check
    /// uses it instead of the URL's host.
    pub server_host: Option<String>,
    /// Certificate policy.
    pub validation: ValidationOptions,
    /// Connect timeout (and request timeout unless `request_timeout` is set).
    pub timeout: Duration,
    /// Timeout of each read once connected (`None`: `timeout`).
    pub request_timeout: Option<Duration>,
    /// The session timeout requested at `CreateSession` (`None`: the stack's default).
    pub session_timeout: Option<Duration>,
    /// The longest string (UTF-8 bytes) accepted in a value read, as the .NET stack's
    /// `MaxStringLength` (the OPC Client's `--opcmaxstringlen`): a longer one fails the read with
    /// `BadEncodingLimitsExceeded`, and messages are limited to it plus [`MESSAGE_HEADROOM`].
    /// `None`: no limit.
    pub max_string_length: Option<u32>,
}

/// What a message may carry beyond the longest string allowed: headers, the rest of the value,
/// the signature and padding of a secured chunk.
pub const MESSAGE_HEADROOM: u32 = 64 * 1024;

impl ClientOptions {
    /// `Basic256Sha256` with `SignAndEncrypt`, host name checked, 10 s timeout, no string limit.
    #[must_use]
    pub fn new(application_name: &str) -> Self {
        Self {
            application_name: application_name.to_owned(),
            security_policy: SecurityPolicy::Basic256Sha256,
            security_mode: SecurityMode::SignAndEncrypt,
            expected_server_uri: None,
            check_host_name: true,
            server_host: None,
            validation: ValidationOptions::default(),
            timeout: Duration::from_secs(10),
            request_timeout: None,
            session_timeout: None,
            max_string_length: None,
        }
    }
}

/// A connected client.
#[derive(Debug)]
pub struct Client {
    /// Used by one blocking thread at a time.
    inner: Arc<Mutex<RawClient>>,
    verifier: Arc<Verifier>,
    request_timeout: Duration,
    max_string_length: Option<u32>,
    session_id: Option<ua::NodeId>,
}

impl Client {
    /// Connects to `endpoint_url` with the own certificate of `store`, verifying the server
    /// against `store`'s trust lists. Blocks until the session is active or the connect failed
    /// (run it on a blocking thread in async code).
    #[allow(clippy::needless_pass_by_value)] // the signature existing callers use
    pub fn connect(
        endpoint_url: &str,
        options: &ClientOptions,
        store: Store,
    ) -> Result<Self, ClientError> {
        let expect = Self::expectations(endpoint_url, options)?;
        let validator = Arc::new(Validator::new(store.clone(), options.validation.clone()));
        let verifier = Arc::new(Verifier::new(validator, expect));
        Self::connect_with(endpoint_url, options, &store, verifier)
    }

    /// What the server's certificate must satisfy when reached at `endpoint_url` with
    /// `options`: server role, the channel's policy, the URL's host name, the expected URI.
    pub fn expectations(
        endpoint_url: &str,
        options: &ClientOptions,
    ) -> Result<PeerExpectations, ClientError> {
        let host = url_host(endpoint_url)
            .ok_or_else(|| ClientError::InvalidUrl(endpoint_url.to_owned()))?;
        Ok(PeerExpectations {
            security_policy: Some(options.security_policy),
            application_uri: options.expected_server_uri.clone(),
            host_name: options.check_host_name.then(|| {
                options
                    .server_host
                    .clone()
                    .unwrap_or_else(|| host.to_owned())
            }),
            role: Some(PeerRole::Server),
        })
    }

    /// Like [`Self::connect`] with a verifier the caller keeps across connects (its
    /// `--autoaccept` policy and its record of rejections); build its expectations with
    /// [`Self::expectations`].
    pub fn connect_with(
        endpoint_url: &str,
        options: &ClientOptions,
        store: &Store,
        verifier: Arc<Verifier>,
    ) -> Result<Self, ClientError> {
        let mode = match options.security_mode {
            SecurityMode::None => ua::MessageSecurityMode::NONE,
            SecurityMode::Sign => ua::MessageSecurityMode::SIGN,
            SecurityMode::SignAndEncrypt => ua::MessageSecurityMode::SIGNANDENCRYPT,
        };
        let policy =
            ua::String::new(policy_uri(options.security_policy)).map_err(ClientError::Stack)?;
        let (mut raw, url, refusal) = build(
            endpoint_url,
            options,
            store,
            &verifier,
            Some((mode, policy)),
        )?;
        let status = raw.connect(&url);
        if !status.is_good() {
            return Err(refused(&refusal).unwrap_or(ClientError::Connect(Status::from_ua(&status))));
        }
        let session_id = raw.session_id();
        Ok(Self {
            inner: Arc::new(Mutex::new(raw)),
            verifier,
            request_timeout: options.request_timeout.unwrap_or(options.timeout),
            max_string_length: options.max_string_length,
            session_id,
        })
    }

    /// The verifier that checked the server (its rejections).
    #[must_use]
    pub fn verifier(&self) -> &Arc<Verifier> {
        &self.verifier
    }

    /// The id the server gave the session at `CreateSession` (`None` if no service response
    /// carried one).
    #[must_use]
    pub fn session_id(&self) -> Option<&ua::NodeId> {
        self.session_id.as_ref()
    }

    /// Runs `f` on the client on a blocking thread.
    async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut RawClient) -> T + Send + 'static,
    ) -> Result<T, ClientError> {
        let inner = Arc::clone(&self.inner);
        let task = tokio::task::spawn_blocking(move || {
            f(&mut inner.lock().unwrap_or_else(PoisonError::into_inner))
        });
        match task.await {
            Ok(value) => Ok(value),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(ClientError::Request(Status::from_ua(
                &ua::StatusCode::BADSHUTDOWN,
            ))),
        }
    }

    /// Reads one attribute within `timeout`; a bad status of the service or of the value is
    /// the error.
    async fn read_attribute(
        &self,
        node: &ua::NodeId,
        attribute: &ua::AttributeId,
        timeout: Duration,
    ) -> Result<ua::Variant, ClientError> {
        let request = ua::ReadValueId::init()
            .with_node_id(node)
            .with_attribute_id(attribute);
        let value = self.call(move |c| c.read(&request, timeout)).await?;
        if let Some(status) = value.status().filter(|s| !s.is_good()) {
            return Err(ClientError::Request(Status::from_ua(&status)));
        }
        let value = value
            .value()
            .cloned()
            .ok_or(ClientError::UnexpectedValue(NO_VALUE))?;
        if let Some(limit) = self.max_string_length
            && longest_string(&value) > limit as usize
        {
            return Err(ClientError::Request(Status::from_ua(
                &ua::StatusCode::BADENCODINGLIMITSEXCEEDED,
            )));
        }
        Ok(value)
    }

    /// Reads the value of a node.
    pub async fn read_value(&self, node: &ua::NodeId) -> Result<ua::Variant, ClientError> {
        self.read_attribute(node, &ua::AttributeId::VALUE, self.request_timeout)
            .await
    }

    /// Reads the values of `read`'s nodes in one `Read` request: one data value per node, in
    /// order, each with its own status (a bad status of one value is not an error of the call).
    /// A failed service, or a session already lost, is the error.
    pub async fn read_values(&self, read: &ReadValues) -> Result<Vec<ua::DataValue>, ClientError> {
        let (request, expected) = (read.request.clone(), read.len);
        let timeout = self.request_timeout;
        self.call(move |c| c.read_many(&request, expected, timeout))
            .await?
            .map_err(|status| ClientError::Request(Status::from_ua(&status)))
    }

    /// [`Self::read_values`] on the calling thread, which it blocks until the answer or the
    /// request timeout: for callers that give each session a thread of its own (a load
    /// generator), where a hop to tokio's blocking pool per request would cost more than the
    /// read. Never call it on an async runtime's worker thread.
    pub fn read_values_blocking(
        &self,
        read: &ReadValues,
    ) -> Result<Vec<ua::DataValue>, ClientError> {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .read_many(&read.request, read.len, self.request_timeout)
            .map_err(|status| ClientError::Request(Status::from_ua(&status)))
    }

    /// [`Self::read_values_blocking`] with `depth` requests in flight on the session at once
    /// (pipelined on its one secure channel), on the calling thread, which it blocks: every
    /// answer goes to `on_answer` (a result as [`Self::read_values`] returns it), and each is
    /// followed by a new request while `on_answer` returns true. For a load generator that
    /// measures a server rather than the round trip. Never call it on an async runtime's worker
    /// thread.
    ///
    /// Once `on_answer` returned false, or the session is lost, nothing more is sent and the
    /// requests still in flight are drained before the call returns: their answers go to
    /// `on_answer` too (its return value then ignored), a lost session's as errors. Each request
    /// times out after the request timeout (`BadTimeout`), so draining takes at most that plus
    /// open62541's one-second timeout check; `on_answer` gets exactly one answer per request
    /// attempted and none after the call returned. The error is a session already lost at the
    /// start (nothing sent).
    pub fn read_values_pipelined_blocking(
        &self,
        read: &ReadValues,
        depth: usize,
        mut on_answer: impl FnMut(Result<Vec<ua::DataValue>, ClientError>) -> bool,
    ) -> Result<Pipelined, ClientError> {
        let mut forward = |answer: Result<Vec<ua::DataValue>, ua::StatusCode>| {
            on_answer(answer.map_err(|status| ClientError::Request(Status::from_ua(&status))))
        };
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .read_pipelined(
                &read.request,
                read.len,
                depth,
                self.request_timeout,
                &mut forward,
            )
            .map(|run: PipelineRun| Pipelined {
                answers: run.answers,
                max_in_flight: run.max_in_flight,
            })
            .map_err(|status| ClientError::Request(Status::from_ua(&status)))
    }

    /// Closes the session and the channel on the calling thread (see
    /// [`Self::read_values_blocking`]).
    pub fn disconnect_blocking(self) {
        let _ = self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .disconnect();
    }

    /// Calls `method` on `object` with `input`: the output arguments, or the failed call's
    /// status (`BadArgumentsMissing`, `BadUserAccessDenied`, the method's own, …).
    pub async fn call_method(
        &self,
        object: &ua::NodeId,
        method: &ua::NodeId,
        input: &[ua::Variant],
    ) -> Result<Vec<ua::Variant>, ClientError> {
        let (object, method, input) = (object.clone(), method.clone(), input.to_vec());
        let timeout = self.request_timeout;
        self.call(move |c| c.call(&object, &method, &input, timeout))
            .await?
            .map_err(|status| ClientError::Request(Status::from_ua(&status)))
    }

    /// Reads `i=2258` (`ServerStatus.CurrentTime`).
    pub async fn read_current_time(&self) -> Result<OffsetDateTime, ClientError> {
        let value = self
            .read_value(&ua::NodeId::ns0(SERVER_CURRENT_TIME))
            .await?;
        let time = value
            .as_scalar::<ua::DateTime>()
            .and_then(ua::DateTime::to_utc)
            .ok_or(ClientError::UnexpectedValue(
                "CurrentTime is not a DateTime",
            ))?;
        Ok(time.into())
    }

    /// The server's namespace array (`i=2255`), index 0 first.
    pub async fn namespace_array(&self) -> Result<Vec<String>, ClientError> {
        let value = self.read_value(&ua::NodeId::ns0(NAMESPACE_ARRAY)).await?;
        let array = value
            .to_array::<ua::String>()
            .ok_or(ClientError::UnexpectedValue(
                "NamespaceArray is not an array of strings",
            ))?;
        Ok(array
            .iter()
            .map(|s| s.as_str().unwrap_or_default().to_owned())
            .collect())
    }

    /// The server's `MinSupportedSampleRate` in milliseconds (`i=2272`); `None` when the server
    /// leaves it empty (asyncua does). A `Duration` is a `Double`; other numbers are accepted.
    pub async fn min_sampling_interval(&self) -> Result<Option<f64>, ClientError> {
        let value = match self
            .read_value(&ua::NodeId::ns0(MIN_SUPPORTED_SAMPLE_RATE))
            .await
        {
            Ok(value) if value.is_empty() => return Ok(None),
            Ok(value) => value,
            Err(ClientError::UnexpectedValue(NO_VALUE)) => return Ok(None),
            Err(e) => return Err(e),
        };
        number(&value).map(Some).ok_or(ClientError::UnexpectedValue(
            "MinSupportedSampleRate is not a number",
        ))
    }

    /// Reads the server state (`i=2259`) within `timeout`: the keep-alive. `Ok` only when the
    /// server answers with a value.
    pub async fn keep_alive(&self, timeout: Duration) -> Result<(), ClientError> {
        self.read_attribute(
            &ua::NodeId::ns0(SERVER_STATE),
            &ua::AttributeId::VALUE,
            timeout,
        )
        .await
        .map(|_| ())
    }

    /// The display name and description of a node (empty when the node has none).
    pub async fn describe(&self, node: &ua::NodeId) -> Result<(String, String), ClientError> {
        let text = |v: &ua::Variant| {
            v.as_scalar::<ua::LocalizedText>()
                .and_then(|t| t.text().as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let timeout = self.request_timeout;
        let name = self
            .read_attribute(node, &ua::AttributeId::DISPLAYNAME, timeout)
            .await?;
        let description = self
            .read_attribute(node, &ua::AttributeId::DESCRIPTION, timeout)
            .await?;
        Ok((text(&name), text(&description)))
    }

    /// Closes the session and the channel.
    pub async fn disconnect(self) {
        let inner = self.inner;
        // The last reference is dropped on the blocking thread too: deleting the client runs
        // its event loop down.
        let _ = tokio::task::spawn_blocking(move || {
            let _ = inner
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .disconnect();
            drop(inner);
        })
        .await;
    }
}

/// A `Read` request of the `Value` attribute of a fixed list of nodes (no timestamps), built
/// once and sent as often as wanted ([`Client::read_values`]): a caller reading the same
/// nodes again and again does not rebuild (and free) the node ids each time.
#[derive(Debug, Clone)]
pub struct ReadValues {
    request: ua::ReadRequest,
    len: usize,
}

impl ReadValues {
    /// The request for `nodes`, in this order.
    #[must_use]
    pub fn new(nodes: &[ua::NodeId]) -> Self {
        let ids: Vec<ua::ReadValueId> = nodes
            .iter()
            .map(|node| {
                ua::ReadValueId::init()
                    .with_node_id(node)
                    .with_attribute_id(&ua::AttributeId::VALUE)
            })
            .collect();
        Self {
            request: ua::ReadRequest::init()
                .with_timestamps_to_return(&ua::TimestampsToReturn::NEITHER)
                .with_nodes_to_read(&ids),
            len: nodes.len(),
        }
    }

    /// The number of nodes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// No nodes at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// What [`Client::read_values_pipelined_blocking`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pipelined {
    /// Answers handed to `on_answer` (one per request attempted).
    pub answers: usize,
    /// The most requests in flight at once (the depth asked for unless an answer came
    /// before all were sent, or the session was lost).
    pub max_in_flight: usize,
}

/// Why a read without a value fails.
const NO_VALUE: &str = "the node has no value";

/// A numeric scalar as `f64`.
#[allow(clippy::cast_precision_loss)] // sampling intervals are far below 2^52 ms
fn number(value: &ua::Variant) -> Option<f64> {
    value
        .as_scalar::<ua::Double>()
        .map(ua::Double::value)
        .or_else(|| value.as_scalar::<ua::Float>().map(|v| f64::from(v.value())))
        .or_else(|| {
            value
                .as_scalar::<ua::UInt32>()
                .map(|v| f64::from(v.value()))
        })
        .or_else(|| value.as_scalar::<ua::Int32>().map(|v| f64::from(v.value())))
        .or_else(|| value.as_scalar::<ua::UInt64>().map(|v| v.value() as f64))
        .or_else(|| value.as_scalar::<ua::Int64>().map(|v| v.value() as f64))
}

/// The longest string (UTF-8 bytes) in a value: `String` and `LocalizedText` scalars and arrays.
fn longest_string(value: &ua::Variant) -> usize {
    let string = |s: &ua::String| s.as_bytes().map_or(0, <[u8]>::len);
    let text = |t: &ua::LocalizedText| string(t.text()).max(string(t.locale()));
    if let Some(s) = value.as_scalar::<ua::String>() {
        return string(s);
    }
    if let Some(t) = value.as_scalar::<ua::LocalizedText>() {
        return text(t);
    }
    if let Some(a) = value.to_array::<ua::String>() {
        return a.iter().map(string).max().unwrap_or(0);
    }
    if let Some(a) = value.to_array::<ua::LocalizedText>() {
        return a.iter().map(text).max().unwrap_or(0);
    }
    0
}

/// Our refusal of the server certificate, when that is why the connect failed.
pub(crate) type Refusal = Arc<Mutex<Option<ValidationError>>>;

/// A client with the own certificate of `store`, our server check (recording its refusal;
/// skipped when `options` asks for None/None), the timeouts and, when given, the channel's
/// security; also the URL as the C string the calls take.
pub(crate) fn build(
    endpoint_url: &str,
    options: &ClientOptions,
    store: &Store,
    verifier: &Arc<Verifier>,
    security: Option<(ua::MessageSecurityMode, ua::String)>,
) -> Result<(RawClient, CString, Refusal), ClientError> {
    let invalid = || ClientError::InvalidUrl(endpoint_url.to_owned());
    if url_host(endpoint_url).is_none() {
        return Err(invalid());
    }
    let url = CString::new(endpoint_url).map_err(|_| invalid())?;
    let contents = store.contents()?;
    let own = contents
        .application_certificate()
        .ok_or(ClientError::NoApplicationCertificate)?;
    let key = store.load_key(own)?;
    let key_der = key_der(&key)?;
    let application_uri = own.cert.application_uri().unwrap_or_default().to_owned();
    let refusal: Refusal = Arc::new(Mutex::new(None));
    let description = ua::ApplicationDescription::init()
        .with_application_uri(&application_uri)
        .with_application_name("", &options.application_name)
        .with_application_type(ua::ApplicationType::CLIENT);
    let raw = RawClient::new(ClientSetup {
        certificate: own.cert.der(),
        private_key: &key_der,
        description,
        timeout: options.timeout,
        security,
        session_timeout: options.session_timeout.unwrap_or(DEFAULT_SESSION_TIMEOUT),
        max_message_size: options
            .max_string_length
            .map_or(0, |n| n.saturating_add(MESSAGE_HEADROOM)),
        check: client_check(
            verifier,
            &refusal,
            options.security_mode != SecurityMode::None,
        ),
    })
    .map_err(|status| ClientError::Stack(open62541::Error::Server(status)))?;
    Ok((raw, url, refusal))
}

/// The recorded refusal as the error of a failed connect.
pub(crate) fn refused(refusal: &Refusal) -> Option<ClientError> {
    refusal
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .map(ClientError::ServerCertificate)
}
