//! The certificate validation walk of OPC 10000-4 §6.1.3 Table 106, in the table's order, so
//! the first failing step decides the status code.

use std::net::IpAddr;
use std::sync::Arc;

use time::OffsetDateTime;

use super::options::{PeerExpectations, PeerRole, ValidationOptions};
use super::snapshot::TrustSnapshot;
use super::status::StatusCode;
use crate::cert::{Certificate, SignatureDigest};

/// Longest chain built (leaf, intermediates, root).
const MAX_CHAIN_DEPTH: usize = 8;

/// A failed validation: the status code, the certificate it concerns and a human reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {reason}")]
pub struct ValidationError {
    /// The OPC UA status code.
    pub status: StatusCode,
    /// Subject of the certificate the failure concerns.
    pub subject: String,
    /// Why, in words for the log and the twin.
    pub reason: String,
}

/// A successful validation: the chain from the leaf to its root.
#[derive(Debug, Clone)]
pub struct ValidatedChain {
    /// Leaf first, root last.
    pub chain: Vec<Arc<Certificate>>,
}

impl ValidatedChain {
    /// The validated peer certificate.
    #[must_use]
    pub fn leaf(&self) -> &Certificate {
        &self.chain[0]
    }
}

/// Validates `presented` (leaf first, then any chain the peer sent) against `trust` at `now`.
pub fn validate_chain(
    trust: &TrustSnapshot,
    presented: &[Certificate],
    now: OffsetDateTime,
    options: &ValidationOptions,
    expect: &PeerExpectations,
) -> Result<ValidatedChain, ValidationError> {
    let Some(leaf) = presented.first() else {
        return Err(ValidationError {
            status: StatusCode::BadCertificateInvalid,
            subject: String::new(),
            reason: "no certificate was presented".to_owned(),
        });
    };
    // 1. Certificate structure.
    for cert in presented {
        if let Some(oid) = cert.unknown_critical_extension() {
            return Err(fail(
                StatusCode::BadCertificateInvalid,
                cert,
                format!("unsupported critical extension {oid}"),
            ));
        }
    }
    // 2./3. Build the chain, checking each signature on the way.
    let chain = build_chain(trust, leaf, &presented[1..])?;
    // 4. Security policy check.
    check_policy(&chain, options, expect)?;
    // 5. Trust list check: the leaf or a CA of its chain must be trusted.
    if !chain.iter().any(|c| trust.is_trusted(&c.thumbprint())) {
        return Err(fail(
            StatusCode::BadCertificateUntrusted,
            leaf,
            "neither the certificate nor any CA of its chain is in the trusted store".to_owned(),
        ));
    }
    // 6. Validity period.
    check_validity(&chain, now)?;
    // 7./8. Host name and URI.
    check_identity(leaf, expect)?;
    // 9. Certificate usage.
    check_usage(&chain, expect.role)
        .map_err(|(status, cert, reason)| fail(status, cert, reason))?;
    // 10./11. Revocation lists, for every certificate issued by a CA of the chain.
    check_revocation(trust, &chain, options)?;
    Ok(ValidatedChain { chain })
}

fn fail(status: StatusCode, cert: &Certificate, reason: String) -> ValidationError {
    ValidationError {
        status,
        subject: cert.subject().to_owned(),
        reason,
    }
}

fn check_policy(
    chain: &[Arc<Certificate>],
    options: &ValidationOptions,
    expect: &PeerExpectations,
) -> Result<(), ValidationError> {
    for (i, cert) in chain.iter().enumerate() {
        if cert.key_bits() < options.min_key_bits {
            return Err(fail(
                StatusCode::BadCertificatePolicyCheckFailed,
                cert,
                format!(
                    "the {} bit key is shorter than the minimum of {} bits",
                    cert.key_bits(),
                    options.min_key_bits
                ),
            ));
        }
        // A root's self-signature proves nothing, so its digest is not a policy matter.
        let is_root = i + 1 == chain.len() && cert.is_self_signed();
        if options.reject_sha1
            && cert.signature_digest() == SignatureDigest::Weak
            && (!is_root || i == 0)
        {
            return Err(fail(
                StatusCode::BadCertificatePolicyCheckFailed,
                cert,
                "the certificate is signed with SHA-1, which is rejected".to_owned(),
            ));
        }
    }
    let leaf = &chain[0];
    if let Some((min, max)) = expect
        .security_policy
        .and_then(super::SecurityPolicy::key_bits)
        && (leaf.key_bits() < min || leaf.key_bits() > max)
    {
        return Err(fail(
            StatusCode::BadCertificatePolicyCheckFailed,
            leaf,
            format!(
                "the {} bit key is outside the {min}-{max} bits the security policy allows",
                leaf.key_bits()
            ),
        ));
    }
    Ok(())
}

fn check_validity(chain: &[Arc<Certificate>], now: OffsetDateTime) -> Result<(), ValidationError> {
    let leaf = &chain[0];
    if !leaf.is_valid_at(now) {
        return Err(fail(
            StatusCode::BadCertificateTimeInvalid,
            leaf,
            format!("valid from {} to {}", leaf.not_before(), leaf.not_after()),
        ));
    }
    for issuer in &chain[1..] {
        if !issuer.is_valid_at(now) {
            return Err(fail(
                StatusCode::BadCertificateIssuerTimeInvalid,
                issuer,
                format!(
                    "issuer '{}' is valid from {} to {}",
                    issuer.subject(),
                    issuer.not_before(),
                    issuer.not_after()
                ),
            ));
        }
    }
    Ok(())
}

fn check_identity(leaf: &Certificate, expect: &PeerExpectations) -> Result<(), ValidationError> {
    if let Some(host) = &expect.host_name
        && !matches_host(leaf, host)
    {
        return Err(fail(
            StatusCode::BadCertificateHostNameInvalid,
            leaf,
            format!("host name '{host}' is not among the certificate's DNS names or IP addresses"),
        ));
    }
    if let Some(uri) = &expect.application_uri
        && leaf.application_uri() != Some(uri.as_str())
    {
        return Err(fail(
            StatusCode::BadCertificateUriInvalid,
            leaf,
            format!(
                "application URI '{uri}' does not match the certificate's '{}'",
                leaf.application_uri().unwrap_or("")
            ),
        ));
    }
    Ok(())
}

fn check_revocation(
    trust: &TrustSnapshot,
    chain: &[Arc<Certificate>],
    options: &ValidationOptions,
) -> Result<(), ValidationError> {
    for (i, pair) in chain.windows(2).enumerate() {
        let (cert, ca) = (&pair[0], &pair[1]);
        let crls = trust.crls_of(ca);
        if crls.is_empty() {
            if options.reject_unknown_revocation {
                let status = if i == 0 {
                    StatusCode::BadCertificateRevocationUnknown
                } else {
                    StatusCode::BadCertificateIssuerRevocationUnknown
                };
                return Err(fail(
                    status,
                    cert,
                    format!("no CRL of issuer '{}' is installed", ca.subject()),
                ));
            }
            continue;
        }
        if crls.iter().any(|crl| crl.is_revoked(cert)) {
            let status = if i == 0 {
                StatusCode::BadCertificateRevoked
            } else {
                StatusCode::BadCertificateIssuerRevoked
            };
            return Err(fail(status, cert, format!("revoked by '{}'", ca.subject())));
        }
    }
    Ok(())
}

/// Builds leaf → root from the store and the certificates the peer sent. A peer-sent
/// certificate only helps to build the chain; it never adds trust.
fn build_chain(
    trust: &TrustSnapshot,
    leaf: &Certificate,
    sent: &[Certificate],
) -> Result<Vec<Arc<Certificate>>, ValidationError> {
    let mut chain = vec![Arc::new(leaf.clone())];
    loop {
        let current = Arc::clone(&chain[chain.len() - 1]);
        if current.is_self_signed() {
            return Ok(chain);
        }
        if chain.len() >= MAX_CHAIN_DEPTH {
            return Err(ValidationError {
                status: StatusCode::BadSecurityChecksFailed,
                subject: leaf.subject().to_owned(),
                reason: format!("the chain is longer than {MAX_CHAIN_DEPTH} certificates"),
            });
        }
        let from_store = trust.with_subject(current.issuer_der()).iter().cloned();
        let from_peer = sent
            .iter()
            .filter(|c| c.subject_der() == current.issuer_der())
            .map(|c| Arc::new(c.clone()));
        let candidates: Vec<Arc<Certificate>> = from_store
            .chain(from_peer)
            .filter(|c| current.names_issuer(c))
            .collect();
        if candidates.is_empty() {
            return Err(ValidationError {
                status: StatusCode::BadCertificateChainIncomplete,
                subject: current.subject().to_owned(),
                reason: format!(
                    "the issuer '{}' is in neither the trusted nor the issuer store",
                    current.issuer()
                ),
            });
        }
        let Some(issuer) = candidates.into_iter().find(|c| current.is_signed_by(c)) else {
            return Err(ValidationError {
                status: StatusCode::BadCertificateInvalid,
                subject: current.subject().to_owned(),
                reason: format!(
                    "the signature does not verify with the key of issuer '{}'",
                    current.issuer()
                ),
            });
        };
        if chain.iter().any(|c| c.thumbprint() == issuer.thumbprint()) {
            return Err(ValidationError {
                status: StatusCode::BadSecurityChecksFailed,
                subject: current.subject().to_owned(),
                reason: "the certificate chain contains a loop".to_owned(),
            });
        }
        chain.push(issuer);
    }
}

type UsageFailure<'a> = (StatusCode, &'a Certificate, String);

fn check_usage(chain: &[Arc<Certificate>], role: Option<PeerRole>) -> Result<(), UsageFailure<'_>> {
    let leaf = &chain[0];
    if leaf.is_ca() && !leaf.is_self_signed() {
        return Err((
            StatusCode::BadCertificateUseNotAllowed,
            leaf,
            "a CA certificate cannot be used as an application instance certificate".to_owned(),
        ));
    }
    if let Some(ku) = leaf.key_usage()
        && !ku.digital_signature
    {
        return Err((
            StatusCode::BadCertificateUseNotAllowed,
            leaf,
            "the key usage does not allow digital signatures".to_owned(),
        ));
    }
    if let (Some(eku), Some(role)) = (leaf.extended_key_usage(), role) {
        let allowed = eku.any
            || match role {
                PeerRole::Client => eku.client_auth,
                PeerRole::Server => eku.server_auth,
            };
        if !allowed {
            let purpose = match role {
                PeerRole::Client => "clientAuth",
                PeerRole::Server => "serverAuth",
            };
            return Err((
                StatusCode::BadCertificateUseNotAllowed,
                leaf,
                format!("the extended key usage lacks {purpose}"),
            ));
        }
    }
    for (depth, issuer) in chain.iter().enumerate().skip(1) {
        let may_sign = issuer.key_usage().is_none_or(|ku| ku.key_cert_sign);
        if !issuer.is_ca() || !may_sign {
            return Err((
                StatusCode::BadCertificateIssuerUseNotAllowed,
                issuer,
                format!(
                    "'{}' is not a CA allowed to sign certificates",
                    issuer.subject()
                ),
            ));
        }
        // pathLenConstraint counts the intermediates below this CA (RFC 5280 §4.2.1.9).
        let below = depth.saturating_sub(1);
        if issuer.path_len().is_some_and(|len| below > len as usize) {
            return Err((
                StatusCode::BadCertificateIssuerUseNotAllowed,
                issuer,
                format!(
                    "'{}' allows no more than {} intermediate CAs",
                    issuer.subject(),
                    issuer.path_len().unwrap_or(0)
                ),
            ));
        }
    }
    Ok(())
}

fn matches_host(cert: &Certificate, host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return cert.ip_addresses().contains(&ip);
    }
    cert.dns_names().iter().any(|name| dns_matches(name, host))
}

/// Case-insensitive DNS match with a single left-most wildcard label (RFC 6125 §6.4.3).
fn dns_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim_end_matches('.');
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    match (pattern.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((_, host_suffix))) => suffix.eq_ignore_ascii_case(host_suffix),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_wildcards_cover_exactly_one_label() {
        assert!(dns_matches("opcplc", "OPCPLC"));
        assert!(dns_matches("*.example.com", "plc.example.com"));
        assert!(!dns_matches("*.example.com", "a.plc.example.com"));
        assert!(!dns_matches("*.example.com", "example.com"));
    }
}
