//! `CreateSigningRequest` (OPC 10000-12 §7.8.4.4): a PKCS#10 request for the application
//! certificate, on the current key or on a new one.
//!
//! With `regeneratePrivateKey` the spec asks the client for a nonce of at least 32 bytes, to be
//! used as additional entropy for the new key. The nonce is checked as the spec says
//! (`BadInvalidArgument` when shorter), but the key's entropy comes from OpenSSL's CSPRNG
//! alone: mixing caller-supplied bytes into it adds nothing a client can rely on. The new key
//! has the current key's size and is the caller's to keep until `UpdateCertificate` (it is the
//! `pending_key` of [`super::plan`]); it is never written to the store before then.

use pki::{Certificate, PrivateKey};

use super::{PushError, PushStatus};

/// The shortest nonce `CreateSigningRequest` accepts with `regeneratePrivateKey`.
pub const MIN_NONCE_BYTES: usize = 32;

/// What `CreateSigningRequest` asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct SigningRequest<'a> {
    /// The subject the request asks for; `None` keeps the current certificate's.
    pub subject: Option<&'a str>,
    /// Make a new key instead of using the current one.
    pub regenerate_private_key: bool,
    /// The client's nonce (checked with `regenerate_private_key`).
    pub nonce: &'a [u8],
    /// The `ApplicationUri` for the SAN; `None` keeps the current certificate's.
    pub application_uri: Option<&'a str>,
    /// DNS names or IP addresses for the SAN; `None` keeps the current certificate's.
    pub dns_names: Option<&'a [String]>,
}

/// A CSR (DER) for the application certificate `current` (whose key is `current_key`), and the
/// new key when the request regenerates it.
pub fn create_signing_request(
    current: &Certificate,
    current_key: &PrivateKey,
    request: &SigningRequest<'_>,
) -> Result<(Vec<u8>, Option<PrivateKey>), PushError> {
    let new_key = if request.regenerate_private_key {
        if request.nonce.len() < MIN_NONCE_BYTES {
            return Err(PushError::new(
                PushStatus::BadInvalidArgument,
                format!(
                    "regeneratePrivateKey needs a nonce of at least {MIN_NONCE_BYTES} bytes, not {}",
                    request.nonce.len()
                ),
            ));
        }
        let bits = match current_key.bits() {
            bits @ (2048 | 3072 | 4096) => bits,
            _ => 2048,
        };
        Some(pki::generate_rsa_key(bits).map_err(|e| {
            PushError::new(
                pki::StatusCode::BadSecurityChecksFailed,
                format!("no new key could be made: {e}"),
            )
        })?)
    } else {
        None
    };
    let key = new_key.as_ref().unwrap_or(current_key);
    let csr = pki::create_csr_with_subject(
        current,
        key,
        request.subject,
        request.application_uri,
        request.dns_names,
    )
    .map_err(|e| match e {
        pki::CreateError::Subject(subject) => PushError::new(
            PushStatus::BadInvalidArgument,
            format!("'{subject}' is not a subject name (CN=..., O=...)"),
        ),
        other => PushError::new(
            pki::StatusCode::BadSecurityChecksFailed,
            format!("the request could not be made: {other}"),
        ),
    })?;
    Ok((csr, new_key))
}
