//! OPC UA status codes of certificate validation (OPC 10000-4 §6.1.3 Table 106, 10000-6 Annex A).

use std::fmt;

/// The result code of a failed certificate check, named and numbered as in OPC 10000-6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusCode {
    /// Structure invalid, signature invalid, unknown critical extension.
    BadCertificateInvalid,
    /// Key too small or too large for the policy, or a SHA-1 signature when SHA-1 is rejected.
    BadCertificatePolicyCheckFailed,
    /// The chain cannot be built up to a self-signed root.
    BadCertificateChainIncomplete,
    /// Neither the certificate nor any CA of its chain is in the trusted store.
    BadCertificateUntrusted,
    /// The certificate is expired or not yet valid.
    BadCertificateTimeInvalid,
    /// An issuer certificate is expired or not yet valid.
    BadCertificateIssuerTimeInvalid,
    /// The host name is not in the certificate.
    BadCertificateHostNameInvalid,
    /// The application URI does not match the certificate.
    BadCertificateUriInvalid,
    /// The certificate may not be used this way (a CA used as an application certificate,
    /// missing key usage).
    BadCertificateUseNotAllowed,
    /// An issuer is not a CA or may not sign certificates.
    BadCertificateIssuerUseNotAllowed,
    /// No CRL of the certificate's issuer is available.
    BadCertificateRevocationUnknown,
    /// No CRL is available for an issuer's own issuer.
    BadCertificateIssuerRevocationUnknown,
    /// The certificate is revoked.
    BadCertificateRevoked,
    /// An issuer certificate is revoked.
    BadCertificateIssuerRevoked,
    /// A check could not be completed (loops in the chain, the store unreadable).
    BadSecurityChecksFailed,
}

impl StatusCode {
    /// Every status, in the order of the enum.
    pub const ALL: [Self; 15] = [
        Self::BadCertificateInvalid,
        Self::BadCertificatePolicyCheckFailed,
        Self::BadCertificateChainIncomplete,
        Self::BadCertificateUntrusted,
        Self::BadCertificateTimeInvalid,
        Self::BadCertificateIssuerTimeInvalid,
        Self::BadCertificateHostNameInvalid,
        Self::BadCertificateUriInvalid,
        Self::BadCertificateUseNotAllowed,
        Self::BadCertificateIssuerUseNotAllowed,
        Self::BadCertificateRevocationUnknown,
        Self::BadCertificateIssuerRevocationUnknown,
        Self::BadCertificateRevoked,
        Self::BadCertificateIssuerRevoked,
        Self::BadSecurityChecksFailed,
    ];

    /// The status with this symbolic name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The 32-bit code (OPC 10000-6 Annex A, `StatusCode.csv`).
    #[must_use]
    pub fn code(self) -> u32 {
        match self {
            Self::BadCertificateInvalid => 0x8012_0000,
            Self::BadSecurityChecksFailed => 0x8013_0000,
            Self::BadCertificateTimeInvalid => 0x8014_0000,
            Self::BadCertificateIssuerTimeInvalid => 0x8015_0000,
            Self::BadCertificateHostNameInvalid => 0x8016_0000,
            Self::BadCertificateUriInvalid => 0x8017_0000,
            Self::BadCertificateUseNotAllowed => 0x8018_0000,
            Self::BadCertificateIssuerUseNotAllowed => 0x8019_0000,
            Self::BadCertificateUntrusted => 0x801A_0000,
            Self::BadCertificateRevocationUnknown => 0x801B_0000,
            Self::BadCertificateIssuerRevocationUnknown => 0x801C_0000,
            Self::BadCertificateRevoked => 0x801D_0000,
            Self::BadCertificateIssuerRevoked => 0x801E_0000,
            Self::BadCertificateChainIncomplete => 0x810D_0000,
            Self::BadCertificatePolicyCheckFailed => 0x8114_0000,
        }
    }

    /// The symbolic name, e.g. `BadCertificateUntrusted`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
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
            Self::BadSecurityChecksFailed => "BadSecurityChecksFailed",
        }
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_opc_ua_status_code_table() {
        assert_eq!(StatusCode::BadCertificateUntrusted.code(), 0x801A_0000);
        assert_eq!(StatusCode::BadCertificateRevoked.code(), 0x801D_0000);
        assert_eq!(
            StatusCode::BadCertificateChainIncomplete.code(),
            0x810D_0000
        );
        assert_eq!(
            StatusCode::BadCertificateRevoked.to_string(),
            "BadCertificateRevoked"
        );
    }

    #[test]
    fn every_status_is_found_by_its_name_and_has_its_own_code() {
        let mut codes: Vec<u32> = StatusCode::ALL.iter().map(|s| s.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), StatusCode::ALL.len());
        for status in StatusCode::ALL {
            assert_eq!(StatusCode::from_name(status.name()), Some(status));
        }
        assert_eq!(StatusCode::from_name("BadNothing"), None);
    }
}
