//! Error enums, one per operation family.

use std::path::PathBuf;
use std::time::Duration;

use hub_proto::connection_string::ConnectionStringError;
use hub_proto::twin::{ReportedPatchError, TwinDocumentError};

/// Why one attempt of a twin request failed in a way worth retrying.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttemptFailure {
    /// The hub answered with a throttling (429) or server error (5xx) status.
    #[error("hub answered with status {0}")]
    Status(u16),
    /// No response arrived in time.
    #[error("no response within {0:?}")]
    Timeout(Duration),
}

/// Why a twin GET failed. Retryable failures were already retried.
#[derive(Debug, thiserror::Error)]
pub enum TwinError {
    /// The hub refused the request (a 4xx other than 429); retrying will not help.
    #[error("hub refused the twin request with status {status}")]
    Refused {
        /// The status the hub answered with.
        status: u16,
    },
    /// Every attempt was throttled, failed on the server or timed out.
    #[error("twin request failed after {attempts} attempts")]
    RetriesExhausted {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's failure.
        #[source]
        last: AttemptFailure,
    },
    /// The hub answered 200 with a body that is not a twin document.
    #[error("hub sent an invalid twin document")]
    Malformed(#[source] TwinDocumentError),
    /// The client was shut down before the request completed.
    #[error("module client is shut down")]
    Closed,
}

/// Why a reported-properties patch was not accepted. Retryable failures were already retried.
#[derive(Debug, thiserror::Error)]
pub enum ReportedError {
    /// The patch is not a JSON object.
    #[error("reported patch is not a json object")]
    NotAnObject,
    /// The patch breaks edgeHub's rules and was not sent (local validation is on).
    #[error("reported patch breaks edgeHub's rules")]
    Invalid(#[source] ReportedPatchError),
    /// The hub refused the patch (400 on a validation failure); `reason` is its message, if any.
    #[error("hub refused the reported patch with status {status}: {reason}")]
    Refused {
        /// The status the hub answered with.
        status: u16,
        /// The hub's explanation (the response body), or `no reason given`.
        reason: String,
    },
    /// Every attempt was throttled, failed on the server or timed out.
    #[error("reported patch failed after {attempts} attempts")]
    RetriesExhausted {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's failure.
        #[source]
        last: AttemptFailure,
    },
    /// The client was shut down before the patch was acknowledged.
    #[error("module client is shut down")]
    Closed,
}

/// Why the environment does not say how to connect.
#[derive(Debug, thiserror::Error)]
pub enum EnvironmentError {
    /// Neither the `IOTEDGE_*` variables nor a connection string are set.
    #[error(
        "no module identity in the environment: missing {} (or set EdgeHubConnectionString with EdgeModuleCACertificateFile, or IotHubConnectionString)",
        .missing.join(", ")
    )]
    NotFound {
        /// The `IOTEDGE_*` variables that are missing.
        missing: Vec<&'static str>,
    },
    /// All `IOTEDGE_*` variables are set but one is invalid.
    #[error("the IOTEDGE_* environment is invalid")]
    Edge(#[source] hub_proto::EdgeEnvironmentError),
    /// A connection string is set without the CA file that verifies edgeHub.
    #[error("{variable} is set but EdgeModuleCACertificateFile is not")]
    MissingCaFile {
        /// The connection-string variable that is set.
        variable: &'static str,
    },
    /// The connection string in `variable` does not parse.
    #[error("{variable} is not a valid connection string")]
    ConnectionString {
        /// The variable holding it.
        variable: &'static str,
        /// Why it does not parse.
        #[source]
        source: ConnectionStringError,
    },
    /// The connection string is not a module's, or lacks what the mode needs.
    #[error("{variable} must be a module connection string{requirement}")]
    NotAModule {
        /// The variable holding it.
        variable: &'static str,
        /// What else is required, e.g. ` with GatewayHostName`.
        requirement: &'static str,
    },
}

/// Why a workload API call failed.
#[derive(Debug, thiserror::Error)]
pub enum WorkloadError {
    /// `IOTEDGE_WORKLOADURI` is neither `unix://` nor `http://`.
    #[error("unsupported workload uri {0:?}")]
    Uri(String),
    /// The socket could not be reached.
    #[error("workload api i/o failed")]
    Io(#[source] std::io::Error),
    /// The call did not complete in time.
    #[error("workload api did not answer within {0:?}")]
    Timeout(Duration),
    /// The request could not be built (its method or target is not valid HTTP).
    #[error("workload api request could not be built")]
    Request(#[source] hyper::http::Error),
    /// hyper's HTTP/1.1 exchange failed: it broke off, or the answer is not a well-formed
    /// HTTP/1.x response; the cause is hyper's error.
    #[error("workload api http exchange failed")]
    Http(#[source] hyper::Error),
    /// The response body is larger than the limit (the field, in bytes).
    #[error("workload api sent a response body larger than {0} bytes")]
    TooLarge(usize),
    /// The API answered with an error status; `message` is edgelet's `{"message"}`.
    #[error("workload api answered {status}: {message}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The error message, or the body.
        message: String,
    },
    /// The response body is not the expected JSON.
    #[error("workload api sent an unexpected body")]
    Json(#[source] serde_json::Error),
}

/// Why a management API call failed.
#[derive(Debug, thiserror::Error)]
pub enum ManagementError {
    /// `IOTEDGE_MANAGEMENTURI` is neither `unix://` nor `http://`.
    #[error("unsupported management uri {0:?}")]
    Uri(String),
    /// `IOTEDGE_APIVERSION` is not an api-version edgelet knows.
    #[error("environment variable IOTEDGE_APIVERSION holds an unknown api-version {0:?}")]
    ApiVersion(String),
    /// The socket could not be reached.
    #[error("management api at {uri} could not be reached")]
    Io {
        /// The management URI.
        uri: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The call did not complete in time.
    #[error("management api did not answer within {0:?}")]
    Timeout(Duration),
    /// The request could not be built (its method or target is not valid HTTP).
    #[error("management api request could not be built")]
    Request(#[source] hyper::http::Error),
    /// hyper's HTTP/1.1 exchange failed: it broke off, or the answer is not a well-formed
    /// HTTP/1.x response; the cause is hyper's error.
    #[error("management api http exchange failed")]
    Http(#[source] hyper::Error),
    /// The response body is larger than the limit (the field, in bytes).
    #[error("management api sent a response body larger than {0} bytes")]
    TooLarge(usize),
    /// The API answered with an error status (404 for a module the runtime does not run, 403
    /// for edgeAgent's routes); `message` is edgelet's `{"message"}`, or the body.
    #[error("management api answered {status}: {message}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The error message, or the body.
        message: String,
    },
    /// The response body is not the expected JSON.
    #[error("management api sent an unexpected body")]
    Decode(#[source] serde_json::Error),
}

/// Why the connection's TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The CA PEM could not be read.
    #[error("ca certificates are not valid pem")]
    Pem(#[source] rustls::pki_types::pem::Error),
    /// The PEM holds no usable CA certificate.
    #[error("no usable ca certificate in the trust bundle")]
    NoCertificate,
    /// rustls refused the protocol configuration.
    #[error("tls configuration refused")]
    Rustls(#[source] rustls::Error),
}

/// Why a [`ModuleClient`](crate::ModuleClient) could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The environment does not describe a module.
    #[error("cannot build the module client from the environment")]
    Environment(#[from] EnvironmentError),
    /// The connection string does not parse.
    #[error("invalid module connection string")]
    ConnectionString(#[source] ConnectionStringError),
    /// The connection string is not a module's.
    #[error("the connection string is not a module connection string")]
    NotAModule,
    /// The CA file named by `EdgeModuleCACertificateFile` cannot be read.
    #[error("cannot read the ca file {}", .path.display())]
    CaFile {
        /// The file.
        path: PathBuf,
        /// Why it cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// The workload API could not give the trust bundle.
    #[error("cannot fetch the trust bundle from the workload api")]
    TrustBundle(#[source] WorkloadError),
    /// The CA certificates are unusable.
    #[error("cannot configure tls")]
    Tls(#[from] TlsError),
    /// The client was built outside a tokio runtime, which its tasks need.
    #[error("the module client must be built inside a tokio runtime")]
    NoRuntime(#[source] tokio::runtime::TryCurrentError),
}

/// Why a SAS token could not be obtained.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The workload API did not sign.
    #[error("workload api did not sign the sas token")]
    Workload(#[source] WorkloadError),
}
