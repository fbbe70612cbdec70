//! Status codes between `pki` and open62541, and the crate's errors.

use open62541::{DataType as _, ua};

/// The open62541 status code for a `pki` verdict (same number, OPC 10000-6 Annex A). The
/// certificate groups hand `pki`'s number to open62541 directly; the test below proves both name
/// the same code.
#[cfg(test)]
#[must_use]
pub(crate) fn to_ua(status: pki::StatusCode) -> ua::StatusCode {
    use pki::StatusCode as S;
    match status {
        S::BadCertificateInvalid => ua::StatusCode::BADCERTIFICATEINVALID,
        S::BadCertificatePolicyCheckFailed => ua::StatusCode::BADCERTIFICATEPOLICYCHECKFAILED,
        S::BadCertificateChainIncomplete => ua::StatusCode::BADCERTIFICATECHAININCOMPLETE,
        S::BadCertificateUntrusted => ua::StatusCode::BADCERTIFICATEUNTRUSTED,
        S::BadCertificateTimeInvalid => ua::StatusCode::BADCERTIFICATETIMEINVALID,
        S::BadCertificateIssuerTimeInvalid => ua::StatusCode::BADCERTIFICATEISSUERTIMEINVALID,
        S::BadCertificateHostNameInvalid => ua::StatusCode::BADCERTIFICATEHOSTNAMEINVALID,
        S::BadCertificateUriInvalid => ua::StatusCode::BADCERTIFICATEURIINVALID,
        S::BadCertificateUseNotAllowed => ua::StatusCode::BADCERTIFICATEUSENOTALLOWED,
        S::BadCertificateIssuerUseNotAllowed => ua::StatusCode::BADCERTIFICATEISSUERUSENOTALLOWED,
        S::BadCertificateRevocationUnknown => ua::StatusCode::BADCERTIFICATEREVOCATIONUNKNOWN,
        S::BadCertificateIssuerRevocationUnknown => {
            ua::StatusCode::BADCERTIFICATEISSUERREVOCATIONUNKNOWN
        }
        S::BadCertificateRevoked => ua::StatusCode::BADCERTIFICATEREVOKED,
        S::BadCertificateIssuerRevoked => ua::StatusCode::BADCERTIFICATEISSUERREVOKED,
        S::BadSecurityChecksFailed => ua::StatusCode::BADSECURITYCHECKSFAILED,
    }
}

/// An open62541 status code from its raw number.
#[must_use]
pub(crate) fn ua_status(code: u32) -> ua::StatusCode {
    // SAFETY: `UA_StatusCode` is a plain `u32` that owns nothing; any value is a valid (possibly
    // unknown) status code, and `from_raw` merely wraps it.
    unsafe { ua::StatusCode::from_raw(code) }
}

/// An OPC UA status code as a plain number with its symbolic name, for errors and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// The 32-bit code.
    pub code: u32,
    /// The symbolic name (`BadSecurityChecksFailed`).
    pub name: &'static str,
}

impl Status {
    /// From a status code's number (its name as open62541 knows it).
    #[must_use]
    pub fn from_code(code: u32) -> Self {
        Self::from_ua(&ua_status(code))
    }

    /// From an open62541 status code.
    #[must_use]
    pub fn from_ua(status: &ua::StatusCode) -> Self {
        Self {
            code: status.clone().into_raw(),
            name: status.name(),
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (0x{:08X})", self.name, self.code)
    }
}

/// Why a server could not be built, started or changed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store could not be read.
    #[error("cannot read the PKI store")]
    Store(#[from] pki::StoreError),
    /// The store holds no application certificate (create one with
    /// [`crate::ensure_application_certificate`] first).
    #[error("the own store holds no application certificate with a private key")]
    NoApplicationCertificate,
    /// A self-signed application certificate could not be created.
    #[error("cannot create the self-signed application certificate")]
    CreateCertificate(#[source] pki::TransactError),
    /// The private key could not be encoded for the stack.
    #[error("cannot encode the private key for the stack")]
    Key(#[from] pki::KeyError),
    /// A value contains a NUL byte or is otherwise unusable by the C stack.
    #[error("invalid configuration value: {0}")]
    InvalidConfig(&'static str),
    /// open62541 refused the configuration or an operation.
    #[error("the OPC UA stack refused: {0}")]
    Stack(#[source] open62541::Error),
    /// The server did not start listening.
    #[error("the server did not start")]
    NotStarted,
    /// The server cannot listen on its address (checked when it did not start).
    #[error("the server cannot listen on {address}: {reason}")]
    Listen {
        /// `host:port`.
        address: String,
        /// Why, in the operating system's words.
        reason: String,
    },
    /// The server thread could not be spawned.
    #[error("cannot spawn the server thread")]
    Thread(#[source] std::io::Error),
    /// The server is not running (not yet started or already stopped).
    #[error("the server is not running")]
    NotRunning,
    /// open62541 refused the new own certificate.
    #[error("the stack refused the new application certificate: {0}")]
    UpdateCertificate(Status),
    /// The new own certificate does not match the given key.
    #[error("the new application certificate does not match its key")]
    KeyMismatch(#[source] pki::KeyError),
}

/// Why a client could not connect or a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The store could not be read.
    #[error("cannot read the PKI store")]
    Store(#[from] pki::StoreError),
    /// The client's store holds no application certificate with a key.
    #[error("the own store holds no application certificate with a private key")]
    NoApplicationCertificate,
    /// The private key could not be encoded for the stack.
    #[error("cannot encode the private key for the stack")]
    Key(#[from] pki::KeyError),
    /// The endpoint URL has no host.
    #[error("the endpoint URL '{0}' has no host name")]
    InvalidUrl(String),
    /// Our verification refused the server's certificate (the exact check that failed).
    #[error("the server certificate was refused")]
    ServerCertificate(#[source] pki::ValidationError),
    /// The connection failed with this status (the server may hide the exact reason as
    /// `BadSecurityChecksFailed`, OPC 10000-4 §5.5.2).
    #[error("connection failed: {0}")]
    Connect(Status),
    /// A service call failed.
    #[error("request failed: {0}")]
    Request(Status),
    /// The stack reported an internal error.
    #[error("the OPC UA stack failed")]
    Stack(#[source] open62541::Error),
    /// A value had an unexpected type.
    #[error("unexpected value: {0}")]
    UnexpectedValue(&'static str),
}

impl ClientError {
    /// The status code of the failure, when there is one.
    #[must_use]
    pub fn status(&self) -> Option<Status> {
        match self {
            Self::Connect(s) | Self::Request(s) => Some(*s),
            Self::ServerCertificate(e) => Some(Status {
                code: e.status.code(),
                name: e.status.name(),
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pki_code_maps_to_the_same_number_and_name_in_open62541() {
        for s in pki::StatusCode::ALL {
            let ua = Status::from_ua(&to_ua(s));
            assert_eq!(ua.code, s.code(), "{s}");
            assert_eq!(ua.name, s.name(), "{s}");
            assert_eq!(Status::from_ua(&ua_status(s.code())), ua, "{s}");
        }
    }
}
