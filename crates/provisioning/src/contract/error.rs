//! The outcome of a reconciliation as the twin reports it: `status` and `error`.

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

/// The OPC UA status code (OPC 10000-6 Annex A) that names why an item was refused, reported
/// as `error.code` by its symbolic name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorCode {
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
    /// A private key was sent through the twin.
    BadSecurityChecksFailed,
    /// The store could not be read or written.
    BadConfigurationError,
    /// The certificate or CRL is not valid DER/PEM, or not valid for its use.
    BadCertificateInvalid,
    /// Key too small or a SHA-1 signature where the policy forbids it.
    BadCertificatePolicyCheckFailed,
    /// The certificate does not chain to the (would-be) trust lists, or a CRL's issuer is in
    /// neither list.
    BadCertificateChainIncomplete,
    /// No trusted certificate anchors the chain.
    BadCertificateUntrusted,
    /// The certificate is expired or not yet valid.
    BadCertificateTimeInvalid,
    /// An issuer certificate is expired or not yet valid.
    BadCertificateIssuerTimeInvalid,
    /// The host name is not in the certificate.
    BadCertificateHostNameInvalid,
    /// The application certificate does not carry the module's `ApplicationUri`.
    BadCertificateUriInvalid,
    /// A CA certificate offered as an application certificate, or a missing key usage.
    BadCertificateUseNotAllowed,
    /// An issuer may not sign certificates.
    BadCertificateIssuerUseNotAllowed,
    /// No CRL of the issuer is available.
    BadCertificateRevocationUnknown,
    /// No CRL of an issuer's issuer is available.
    BadCertificateIssuerRevocationUnknown,
    /// The certificate is revoked.
    BadCertificateRevoked,
    /// An issuer certificate is revoked.
    BadCertificateIssuerRevoked,
}

impl ErrorCode {
    /// The symbolic name (`BadCertificateInvalid`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::BadTypeMismatch => "BadTypeMismatch",
            Self::BadInvalidArgument => "BadInvalidArgument",
            Self::BadNotSupported => "BadNotSupported",
            Self::BadNotFound => "BadNotFound",
            Self::BadSecurityChecksFailed => "BadSecurityChecksFailed",
            Self::BadConfigurationError => "BadConfigurationError",
            Self::BadCertificateInvalid => "BadCertificateInvalid",
            Self::BadCertificatePolicyCheckFailed => "BadCertificatePolicyCheckFailed",
            Self::BadCertificateChainIncomplete => "BadCertificateChainIncomplete",
            Self::BadCertificateUntrusted => "BadCertificateUntrusted",
            Self::BadCertificateTimeInvalid => "BadCertificateTimeInvalid",
            Self::BadCertificateIssuerTimeInvalid => "BadCertificateIssuerTimeInvalid",
            Self::BadCertificateHostNameInvalid => "BadCertificateHostNameInvalid",
            Self::BadCertificateUriInvalid => "BadCertificateUriInvalid",
            Self::BadCertificateUseNotAllowed => "BadCertificateUseNotAllowed",
            Self::BadCertificateIssuerUseNotAllowed => "BadCertificateIssuerUseNotAllowed",
            Self::BadCertificateRevocationUnknown => "BadCertificateRevocationUnknown",
            Self::BadCertificateIssuerRevocationUnknown => "BadCertificateIssuerRevocationUnknown",
            Self::BadCertificateRevoked => "BadCertificateRevoked",
            Self::BadCertificateIssuerRevoked => "BadCertificateIssuerRevoked",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl From<pki::StatusCode> for ErrorCode {
    fn from(status: pki::StatusCode) -> Self {
        use pki::StatusCode as S;
        match status {
            S::BadCertificateInvalid => Self::BadCertificateInvalid,
            S::BadCertificatePolicyCheckFailed => Self::BadCertificatePolicyCheckFailed,
            S::BadCertificateChainIncomplete => Self::BadCertificateChainIncomplete,
            S::BadCertificateUntrusted => Self::BadCertificateUntrusted,
            S::BadCertificateTimeInvalid => Self::BadCertificateTimeInvalid,
            S::BadCertificateIssuerTimeInvalid => Self::BadCertificateIssuerTimeInvalid,
            S::BadCertificateHostNameInvalid => Self::BadCertificateHostNameInvalid,
            S::BadCertificateUriInvalid => Self::BadCertificateUriInvalid,
            S::BadCertificateUseNotAllowed => Self::BadCertificateUseNotAllowed,
            S::BadCertificateIssuerUseNotAllowed => Self::BadCertificateIssuerUseNotAllowed,
            S::BadCertificateRevocationUnknown => Self::BadCertificateRevocationUnknown,
            S::BadCertificateIssuerRevocationUnknown => Self::BadCertificateIssuerRevocationUnknown,
            S::BadCertificateRevoked => Self::BadCertificateRevoked,
            S::BadCertificateIssuerRevoked => Self::BadCertificateIssuerRevoked,
            S::BadSecurityChecksFailed => Self::BadSecurityChecksFailed,
        }
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
    pub fn new(item: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            item: item.into(),
            code,
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
            ErrorCode::BadCertificateChainIncomplete,
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
    fn every_validation_status_has_the_same_name_as_a_twin_code() {
        use pki::StatusCode as S;
        for status in [
            S::BadCertificateInvalid,
            S::BadCertificatePolicyCheckFailed,
            S::BadCertificateChainIncomplete,
            S::BadCertificateUntrusted,
            S::BadCertificateTimeInvalid,
            S::BadCertificateIssuerTimeInvalid,
            S::BadCertificateHostNameInvalid,
            S::BadCertificateUriInvalid,
            S::BadCertificateUseNotAllowed,
            S::BadCertificateIssuerUseNotAllowed,
            S::BadCertificateRevocationUnknown,
            S::BadCertificateIssuerRevocationUnknown,
            S::BadCertificateRevoked,
            S::BadCertificateIssuerRevoked,
            S::BadSecurityChecksFailed,
        ] {
            assert_eq!(ErrorCode::from(status).name(), status.name());
        }
    }
}
