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
use crate::status::{ClientError, status_of, to_ua};
use crate::verify::Verifier;

/// `Server_ServerStatus_CurrentTime` (OPC 10000-5 §6.3.1), what connectivity tests read.
pub const SERVER_CURRENT_TIME: u32 = 2258;

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
}

impl CustomCertificateVerification for ServerCheck {
    fn verify_certificate(&self, certificate: &ua::ByteString) -> ua::StatusCode {
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
    pub fn connect(
        endpoint_url: &str,
        options: &ClientOptions,
        store: Store,
    ) -> Result<Self, ClientError> {
        let contents = store.contents()?;
        let own = contents
            .application_certificate()
            .ok_or(ClientError::NoApplicationCertificate)?;
        let key = store.load_key(own)?;
        let key_der = key_der(&key)?;
        let application_uri = own.cert.application_uri().unwrap_or_default().to_owned();

        let host = url_host(endpoint_url)
            .ok_or_else(|| ClientError::InvalidUrl(endpoint_url.to_owned()))?;
        let expect = PeerExpectations {
            security_policy: Some(options.security_policy),
            application_uri: options.expected_server_uri.clone(),
            host_name: options.check_host_name.then(|| host.to_owned()),
            role: Some(PeerRole::Server),
        };
        let validator = Arc::new(Validator::new(store, options.validation.clone()));
        let verifier = Arc::new(Verifier::new(validator, expect));
        let refusal = Arc::new(Mutex::new(None));

        let description = ua::ApplicationDescription::init()
            .with_application_uri(&application_uri)
            .with_application_name("", &options.application_name)
            .with_application_type(ua::ApplicationType::CLIENT);
        let mode = match options.security_mode {
            SecurityMode::None => ua::MessageSecurityMode::NONE,
            SecurityMode::Sign => ua::MessageSecurityMode::SIGN,
            SecurityMode::SignAndEncrypt => ua::MessageSecurityMode::SIGNANDENCRYPT,
        };
        let policy =
            ua::String::new(policy_uri(options.security_policy)).map_err(ClientError::Stack)?;
        let builder = open62541::ClientBuilder::default_encryption(
            &open62541::Certificate::from_bytes(own.cert.der()),
            &open62541::PrivateKey::from_bytes(&key_der),
        )
        .map_err(ClientError::Stack)?
        .client_description(description)
        .security_mode(mode)
        .security_policy_uri(policy)
        .timeout(options.timeout)
        .certificate_verification(ua::CertificateVerification::custom(ServerCheck {
            verifier: Arc::clone(&verifier),
            refusal: Arc::clone(&refusal),
        }));
        if endpoint_url.contains('\0') {
            return Err(ClientError::InvalidUrl(endpoint_url.to_owned()));
        }
        match builder.connect(endpoint_url) {
            Ok(client) => Ok(Self {
                inner: client.into_async(),
                verifier,
            }),
            Err(e) => {
                if let Some(err) = refusal
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take()
                {
                    return Err(ClientError::ServerCertificate(err));
                }
                Err(ClientError::Connect(status_of(&e)))
            }
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

    /// Closes the session and the channel.
    pub async fn disconnect(self) {
        self.inner.disconnect().await;
    }
}
