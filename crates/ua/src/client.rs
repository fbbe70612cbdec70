//! An OPC UA client on open62541 that verifies the server with our [`Verifier`], including the
//! server's host name and application URI (the library checks neither).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use open62541::{CustomCertificateVerification, DataType as _, ua};
use pki::{
    PeerExpectations, PeerRole, SecurityPolicy, Store, ValidationError, ValidationOptions,
    Validator,
};
use time::OffsetDateTime;

use crate::identity::{SecurityMode, policy_uri, url_host};
use crate::server::key_der;
use crate::status::{ClientError, Status, status_of, to_ua};
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
    /// Certificate policy.
    pub validation: ValidationOptions,
    /// Connect and request timeout.
    pub timeout: Duration,
    /// The session timeout requested at `CreateSession` (`None`: the stack's default).
    pub session_timeout: Option<Duration>,
}

impl ClientOptions {
    /// `Basic256Sha256` with `SignAndEncrypt`, host name checked, 10 s timeout.
    #[must_use]
    pub fn new(application_name: &str) -> Self {
        Self {
            application_name: application_name.to_owned(),
            security_policy: SecurityPolicy::Basic256Sha256,
            security_mode: SecurityMode::SignAndEncrypt,
            expected_server_uri: None,
            check_host_name: true,
            validation: ValidationOptions::default(),
            timeout: Duration::from_secs(10),
            session_timeout: None,
        }
    }
}

/// A connected client.
#[derive(Debug)]
pub struct Client {
    inner: open62541::AsyncClient,
    verifier: Arc<Verifier>,
}

/// The server check handed to open62541; it keeps our exact refusal for the caller.
struct ServerCheck {
    verifier: Arc<Verifier>,
    refusal: Arc<Mutex<Option<ValidationError>>>,
    /// `false` for None/None: the certificate secures nothing there (no signature, no
    /// encryption, OPC 10000-4 §7.20), so it is not judged.
    enforce: bool,
}

impl CustomCertificateVerification for ServerCheck {
    fn verify_certificate(&self, certificate: &ua::ByteString) -> ua::StatusCode {
        if !self.enforce {
            return ua::StatusCode::GOOD;
        }
        let bytes = certificate.as_bytes().unwrap_or(&[]);
        match self.verifier.verify(bytes, OffsetDateTime::now_utc()) {
            Ok(_) => ua::StatusCode::GOOD,
            Err(err) => {
                let status = to_ua(err.status);
                *self.refusal.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
                status
            }
        }
    }
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
            host_name: options.check_host_name.then(|| host.to_owned()),
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
        let (builder, refusal) = secured_builder(endpoint_url, options, store, &verifier)?;
        let builder = builder
            .security_mode(mode)
            .security_policy_uri(policy)
            .requested_session_timeout(options.session_timeout.unwrap_or(DEFAULT_SESSION_TIMEOUT));
        match builder.connect(endpoint_url) {
            Ok(client) => Ok(Self {
                inner: client.into_async(),
                verifier,
            }),
            Err(e) => Err(refused(&refusal).unwrap_or(ClientError::Connect(status_of(&e)))),
        }
    }

    /// The verifier that checked the server (its rejections).
    #[must_use]
    pub fn verifier(&self) -> &Arc<Verifier> {
        &self.verifier
    }

    /// Reads the value of a node.
    pub async fn read_value(&self, node: &ua::NodeId) -> Result<ua::Variant, ClientError> {
        let value = self
            .inner
            .read_value(node)
            .await
            .map_err(|e| ClientError::Request(status_of(&e)))?;
        if let Some(status) = value.status().filter(|s| !s.is_good()) {
            return Err(ClientError::Request(Status::from_ua(&status)));
        }
        value
            .into_value()
            .ok_or(ClientError::UnexpectedValue("the node has no value"))
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

    /// The server's `MinSupportedSampleRate` in milliseconds (`i=2272`).
    pub async fn min_sampling_interval(&self) -> Result<f64, ClientError> {
        let value = self
            .read_value(&ua::NodeId::ns0(MIN_SUPPORTED_SAMPLE_RATE))
            .await?;
        value
            .to_scalar::<ua::Double>()
            .map(|d| d.value())
            .ok_or(ClientError::UnexpectedValue(
                "MinSupportedSampleRate is not a Duration",
            ))
    }

    /// Reads the server state (`i=2259`): the keep-alive. `Ok` only when the server answers
    /// with a value.
    pub async fn keep_alive(&self) -> Result<(), ClientError> {
        self.read_value(&ua::NodeId::ns0(SERVER_STATE))
            .await
            .map(|_| ())
    }

    /// The display name and description of a node (empty when the node has none).
    pub async fn describe(&self, node: &ua::NodeId) -> Result<(String, String), ClientError> {
        let name = self
            .inner
            .read_attribute(node, ua::AttributeId::DISPLAYNAME_T)
            .await
            .map_err(|e| ClientError::Request(status_of(&e)))?;
        let description = self
            .inner
            .read_attribute(node, ua::AttributeId::DESCRIPTION_T)
            .await
            .map_err(|e| ClientError::Request(status_of(&e)))?;
        let text = |t: Option<&ua::LocalizedText>| {
            t.and_then(|t| t.text().as_str())
                .unwrap_or_default()
                .to_owned()
        };
        Ok((text(name.scalar_value()), text(description.scalar_value())))
    }

    /// Closes the session and the channel.
    pub async fn disconnect(self) {
        self.inner.disconnect().await;
    }
}

/// Our refusal of the server certificate, when that is why the connect failed.
pub(crate) type Refusal = Arc<Mutex<Option<ValidationError>>>;

/// A client builder with the own certificate of `store`, our server check (recording its
/// refusal; skipped when `options` asks for None/None) and the timeout; security mode and
/// policy are left to the caller.
pub(crate) fn secured_builder(
    endpoint_url: &str,
    options: &ClientOptions,
    store: &Store,
    verifier: &Arc<Verifier>,
) -> Result<(open62541::ClientBuilder, Refusal), ClientError> {
    if endpoint_url.contains('\0') || url_host(endpoint_url).is_none() {
        return Err(ClientError::InvalidUrl(endpoint_url.to_owned()));
    }
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
    let builder = open62541::ClientBuilder::default_encryption(
        &open62541::Certificate::from_bytes(own.cert.der()),
        &open62541::PrivateKey::from_bytes(&key_der),
    )
    .map_err(ClientError::Stack)?
    .client_description(description)
    .timeout(options.timeout)
    .certificate_verification(ua::CertificateVerification::custom(ServerCheck {
        verifier: Arc::clone(verifier),
        refusal: Arc::clone(&refusal),
        enforce: options.security_mode != SecurityMode::None,
    }));
    Ok((builder, refusal))
}

/// The recorded refusal as the error of a failed connect.
pub(crate) fn refused(refusal: &Refusal) -> Option<ClientError> {
    refusal
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .map(ClientError::ServerCertificate)
}
