//! The outcome of a reconciliation as the twin reports it: `status` and `error`.

use pki::StatusCode;
use serde::{Deserialize, Serialize};

/// The result of a reconciliation, reported as `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The store holds what the desired document asks for.
    Applied,
    /// An item of the desired document is invalid; the store is unchanged.
    Rejected,
    /// The store could not be read or written; the store shows its old or its new state.
    Error,
}

impl Status {
    /// The reported spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Rejected => "rejected",
            Self::Error => "error",
        }
    }
}

/// The OPC UA status (OPC 10000-6 Annex A) that names why an item was refused, reported as
/// `error.code` by its symbolic name: a certificate status of `pki`'s validation, or one of the
/// statuses for input that is not a certificate problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum ErrorCode {
    /// A certificate, CRL or trust problem (`BadCertificateInvalid`,
    /// `BadCertificateChainIncomplete`, …), and `BadSecurityChecksFailed` for a private key
    /// sent through the twin.
    Status(StatusCode),
    /// A property has the wrong JSON type.
    BadTypeMismatch,
    /// A property name or value is not allowed (unknown property, bad store name, bad
    /// thumbprint, a number out of range).
    BadInvalidArgument,
    /// The module cannot do what the property asks (a policy it cannot apply live, a policy
    /// knob on a store whose app validates for itself).
    BadNotSupported,
    /// `approveRejected` names a certificate that is in neither `rejected/` nor the trusted
    /// store.
    BadNotFound,
    /// The store could not be read or written.
    BadConfigurationError,
}

impl ErrorCode {
    /// The symbolic name (`BadCertificateInvalid`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Status(status) => status.name(),
            Self::BadTypeMismatch => "BadTypeMismatch",
            Self::BadInvalidArgument => "BadInvalidArgument",
            Self::BadNotSupported => "BadNotSupported",
            Self::BadNotFound => "BadNotFound",
            Self::BadConfigurationError => "BadConfigurationError",
        }
    }

    /// The code with this symbolic name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        StatusCode::from_name(name)
            .map(Self::Status)
            .or(match name {
                "BadTypeMismatch" => Some(Self::BadTypeMismatch),
                "BadInvalidArgument" => Some(Self::BadInvalidArgument),
                "BadNotSupported" => Some(Self::BadNotSupported),
                "BadNotFound" => Some(Self::BadNotFound),
                "BadConfigurationError" => Some(Self::BadConfigurationError),
                _ => None,
            })
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl From<StatusCode> for ErrorCode {
    fn from(status: StatusCode) -> Self {
        Self::Status(status)
    }
}

impl From<ErrorCode> for String {
    fn from(code: ErrorCode) -> Self {
        code.name().to_owned()
    }
}

impl TryFrom<String> for ErrorCode {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        Self::from_name(&name).ok_or_else(|| format!("unknown status code {name}"))
    }
}

/// One refused item of a desired document: where (`trusted.vaultCa`), an OPC UA status, and a
/// message for the operator. Reported as `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{item}: {code}: {message}")]
pub struct ItemError {
    /// The property path inside the section (`applicationCert`, `crls.vaultCa`, …); empty for
    /// the section itself.
    pub item: String,
    /// The OPC UA status that best describes it.
    pub code: ErrorCode,
    /// What is wrong, in words.
    pub message: String,
}

impl ItemError {
    /// An error for `item`.
    pub fn new(
        item: impl Into<String>,
        code: impl Into<ErrorCode>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            item: item.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn codes_are_reported_by_their_opc_ua_names() {
        let error = ItemError::new(
            "crls.vaultCa",
            StatusCode::BadCertificateChainIncomplete,
            "no issuer",
        );
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"item": "crls.vaultCa", "code": "BadCertificateChainIncomplete", "message": "no issuer"})
        );
        assert_eq!(serde_json::from_value::<ItemError>(json).unwrap(), error);
        assert_eq!(
            serde_json::to_value(Status::Rejected).unwrap(),
            serde_json::json!("rejected")
        );
    }

    #[test]
    fn every_code_is_read_back_by_its_name() {
        let others = [
            ErrorCode::BadTypeMismatch,
            ErrorCode::BadInvalidArgument,
            ErrorCode::BadNotSupported,
            ErrorCode::BadNotFound,
            ErrorCode::BadConfigurationError,
        ];
        for code in StatusCode::ALL
            .map(ErrorCode::from)
            .into_iter()
            .chain(others)
        {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::json!(code.name()));
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), code);
        }
        assert!(serde_json::from_value::<ErrorCode>(serde_json::json!("BadNothing")).is_err());
    }
}
