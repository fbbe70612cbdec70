//! `POST /modules/{moduleId}/genid/{genId}/encrypt` and `…/decrypt`: authenticated
//! encryption with a key only this module's identity has.
//!
//! edgelet encrypts with a key of the module kept in its key service; the ciphertext is opaque
//! to the module and only decrypts with the same module and initialization vector. edge-sim
//! derives the module's key from its identity key (HMAC-SHA256 of a fixed label, so it
//! survives restarts with the state) and uses AES-256-GCM with a random nonce and the
//! module's initialization vector as additional authenticated data. Ciphertext layout:
//! `version (1) || nonce (12) || tag (16) || encrypted bytes`, base64.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hub_proto::ModuleId;
use hub_proto::workload::{DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse};
use openssl::symm::{Cipher, decrypt_aead, encrypt_aead};

use super::{WorkloadError, check_generation};
use crate::state::State;

/// The first byte of every ciphertext of this format.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// What the module's encryption key is derived from (with its primary identity key).
const KEY_LABEL: &[u8] = b"edge-sim workload encryption key v1";

/// Encrypts the request's `plaintext` for `module`.
pub(crate) fn post_encrypt(
    state: &State,
    module: &ModuleId,
    generation_id: &str,
    body: &[u8],
) -> Result<Response, WorkloadError> {
    let key = module_key(state, module, generation_id)?;
    let request: EncryptRequest = parse(body, "encrypt")?;
    let plaintext = decode(&request.plaintext, "plaintext")?;
    let iv = decode(&request.initialization_vector, "initializationVector")?;
    let ciphertext = seal(&key, &iv, &plaintext).map_err(internal)?;
    Ok(Json(EncryptResponse {
        ciphertext: BASE64.encode(ciphertext),
    })
    .into_response())
}

/// Decrypts the request's `ciphertext` of `module`.
pub(crate) fn post_decrypt(
    state: &State,
    module: &ModuleId,
    generation_id: &str,
    body: &[u8],
) -> Result<Response, WorkloadError> {
    let key = module_key(state, module, generation_id)?;
    let request: DecryptRequest = parse(body, "decrypt")?;
    let ciphertext = decode(&request.ciphertext, "ciphertext")?;
    let iv = decode(&request.initialization_vector, "initializationVector")?;
    let plaintext = open(&key, &iv, &ciphertext)?;
    Ok(Json(DecryptResponse {
        plaintext: BASE64.encode(plaintext),
    })
    .into_response())
}

fn module_key(
    state: &State,
    module: &ModuleId,
    generation_id: &str,
) -> Result<Vec<u8>, WorkloadError> {
    let identity = check_generation(state, module, generation_id)?;
    let key = identity.keys.primary().map_err(internal)?;
    BASE64.decode(key.sign(KEY_LABEL)).map_err(internal)
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, WorkloadError> {
    serde_json::from_slice(body).map_err(|e| {
        WorkloadError::new(
            StatusCode::BAD_REQUEST,
            format!("invalid {what} request: {e}"),
        )
    })
}

fn decode(value: &str, field: &str) -> Result<Vec<u8>, WorkloadError> {
    BASE64.decode(value).map_err(|e| {
        WorkloadError::new(
            StatusCode::BAD_REQUEST,
            format!("{field} is not base64: {e}"),
        )
    })
}

fn internal(e: impl std::fmt::Display) -> WorkloadError {
    WorkloadError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("cannot encrypt: {e}"),
    )
}

/// AES-256-GCM of `plaintext` under `key` with a random nonce and `iv` as associated data.
fn seal(key: &[u8], iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, openssl::error::ErrorStack> {
    let mut nonce = [0_u8; NONCE_LEN];
    openssl::rand::rand_bytes(&mut nonce)?;
    let mut tag = [0_u8; TAG_LEN];
    let encrypted = encrypt_aead(
        Cipher::aes_256_gcm(),
        key,
        Some(&nonce),
        iv,
        plaintext,
        &mut tag,
    )?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + TAG_LEN + encrypted.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&tag);
    out.extend_from_slice(&encrypted);
    Ok(out)
}

/// The inverse of [`seal`]; a ciphertext of another module, another `iv` or altered bytes is
/// refused (400).
fn open(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, WorkloadError> {
    let refused = |why: &str| {
        WorkloadError::new(
            StatusCode::BAD_REQUEST,
            format!("ciphertext cannot be decrypted: {why}"),
        )
    };
    let Some((&version, rest)) = ciphertext.split_first() else {
        return Err(refused("empty"));
    };
    if version != VERSION || rest.len() < NONCE_LEN + TAG_LEN {
        return Err(refused("not a ciphertext of this workload api"));
    }
    let (nonce, rest) = rest.split_at(NONCE_LEN);
    let (tag, encrypted) = rest.split_at(TAG_LEN);
    decrypt_aead(Cipher::aes_256_gcm(), key, Some(nonce), iv, encrypted, tag).map_err(|_| {
        refused("it was not made by this module with this initialization vector, or was altered")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_only_with_the_same_key_and_iv() {
        let key = [7_u8; 32];
        let sealed = seal(&key, b"iv-1", b"secret").unwrap();
        assert_eq!(open(&key, b"iv-1", &sealed).unwrap(), b"secret");
        assert_ne!(
            seal(&key, b"iv-1", b"secret").unwrap(),
            sealed,
            "random nonce"
        );
        assert_eq!(
            open(&key, b"iv-2", &sealed).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        assert!(open(&[8_u8; 32], b"iv-1", &sealed).is_err());
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(open(&key, b"iv-1", &altered).is_err());
        assert!(open(&key, b"iv-1", &[]).is_err());
        assert!(open(&key, b"iv-1", &[VERSION, 1, 2]).is_err());
    }
}
