//! The status a push method answers with: an OPC UA status (its symbolic name and its 32-bit
//! code, OPC 10000-6 Annex A) and a message for the operator.
//!
//! The certificate statuses are `pki`'s ([`pki::StatusCode`], validation verdicts); the other
//! statuses of OPC 10000-12 §7.7–7.8 are here, because they are not verdicts about a
//! certificate and `pki::StatusCode` is matched exhaustively by the OPC UA stack glue.

use std::fmt;

/// An OPC UA status a push method can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PushStatus {
    /// A certificate status of `pki` (`BadCertificateInvalid`, `BadSecurityChecksFailed`,
    /// `BadCertificateUriInvalid`, …).
    Certificate(pki::StatusCode),
    /// An argument is invalid (bad mode, negative length, unknown thumbprint, foreign handle).
    BadInvalidArgument,
    /// The object is in a state that does not allow the call (a writer holds the file, a read
    /// on a write handle).
    BadInvalidState,
    /// A requested item was not found.
    BadNotFound,
    /// The server refuses the request by its own criteria (an entry the module twin owns).
    BadRequestNotAllowed,
    /// The operation is not supported.
    BadNotSupported,
    /// Another session has a push transaction pending.
    BadTransactionPending,
    /// The user may not call the method.
    BadUserAccessDenied,
    /// The method needs an encrypted channel.
    BadSecurityModeInsufficient,
    /// The node may not be written.
    BadNotWritable,
    /// The node may not be read.
    BadNotReadable,
    /// A size limit is exceeded (a trust list larger than the server accepts).
    BadEncodingLimitsExceeded,
    /// The bytes are not a valid encoding.
    BadDecodingError,
    /// Too many handles are open.
    BadTooManyOperations,
}

impl PushStatus {
    /// The 32-bit code (OPC 10000-6 Annex A, `StatusCode.csv`).
    #[must_use]
    pub fn code(self) -> u32 {
        match self {
            Self::Certificate(status) => status.code(),
            Self::BadInvalidArgument => 0x80AB_0000,
            Self::BadInvalidState => 0x80AF_0000,
            Self::BadNotFound => 0x803E_0000,
            Self::BadRequestNotAllowed => 0x80E4_0000,
            Self::BadNotSupported => 0x803D_0000,
            Self::BadTransactionPending => 0x80E8_0000,
            Self::BadUserAccessDenied => 0x801F_0000,
            Self::BadSecurityModeInsufficient => 0x80E6_0000,
            Self::BadNotWritable => 0x803B_0000,
            Self::BadNotReadable => 0x803A_0000,
            Self::BadEncodingLimitsExceeded => 0x8008_0000,
            Self::BadDecodingError => 0x8007_0000,
            Self::BadTooManyOperations => 0x8010_0000,
        }
    }

    /// The symbolic name, e.g. `BadInvalidArgument`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Certificate(status) => status.name(),
            Self::BadInvalidArgument => "BadInvalidArgument",
            Self::BadInvalidState => "BadInvalidState",
            Self::BadNotFound => "BadNotFound",
            Self::BadRequestNotAllowed => "BadRequestNotAllowed",
            Self::BadNotSupported => "BadNotSupported",
            Self::BadTransactionPending => "BadTransactionPending",
            Self::BadUserAccessDenied => "BadUserAccessDenied",
            Self::BadSecurityModeInsufficient => "BadSecurityModeInsufficient",
            Self::BadNotWritable => "BadNotWritable",
            Self::BadNotReadable => "BadNotReadable",
            Self::BadEncodingLimitsExceeded => "BadEncodingLimitsExceeded",
            Self::BadDecodingError => "BadDecodingError",
            Self::BadTooManyOperations => "BadTooManyOperations",
        }
    }
}

impl From<pki::StatusCode> for PushStatus {
    fn from(status: pki::StatusCode) -> Self {
        Self::Certificate(status)
    }
}

impl fmt::Display for PushStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a push method failed: the status the method returns and a message saying what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct PushError {
    /// The status (its [`PushStatus::code`] is what the server returns).
    pub code: PushStatus,
    /// What went wrong, for the log and the operator.
    pub message: String,
}

impl PushError {
    /// An error with `code` and `message`.
    pub fn new(code: impl Into<PushStatus>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }

    /// The store refused the planned transaction (an item failed the store's own checks, or
    /// the store could not be written): the item's certificate status, or
    /// `BadSecurityChecksFailed` for a store failure.
    #[must_use]
    pub fn from_transact(error: &pki::TransactError) -> Self {
        match error {
            pki::TransactError::Plan(err) => {
                Self::new(err.kind.status_code(), err.kind.to_string())
            }
            pki::TransactError::Store(err) => Self::new(
                pki::StatusCode::BadSecurityChecksFailed,
                format!("the certificate store could not be written: {err}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_opc_ua_status_code_table() {
        // open62541 tools/schema/StatusCode.csv
        for (status, code) in [
            (PushStatus::BadInvalidArgument, 0x80AB_0000),
            (PushStatus::BadInvalidState, 0x80AF_0000),
            (PushStatus::BadNotFound, 0x803E_0000),
            (PushStatus::BadRequestNotAllowed, 0x80E4_0000),
            (PushStatus::BadNotSupported, 0x803D_0000),
            (PushStatus::BadTransactionPending, 0x80E8_0000),
            (PushStatus::BadUserAccessDenied, 0x801F_0000),
            (PushStatus::BadSecurityModeInsufficient, 0x80E6_0000),
            (PushStatus::BadNotWritable, 0x803B_0000),
            (PushStatus::BadNotReadable, 0x803A_0000),
            (PushStatus::BadEncodingLimitsExceeded, 0x8008_0000),
            (PushStatus::BadDecodingError, 0x8007_0000),
            (PushStatus::BadTooManyOperations, 0x8010_0000),
            (pki::StatusCode::BadCertificateInvalid.into(), 0x8012_0000),
            (pki::StatusCode::BadSecurityChecksFailed.into(), 0x8013_0000),
            (
                pki::StatusCode::BadCertificateUriInvalid.into(),
                0x8017_0000,
            ),
        ] {
            assert_eq!(status.code(), code, "{status}");
        }
        let error = PushError::new(PushStatus::BadInvalidState, "a writer holds the file");
        assert_eq!(
            error.to_string(),
            "BadInvalidState: a writer holds the file"
        );
    }
}
