//! Decoding untrusted input: base64 text, DER or PEM bytes, with size limits.
//!
//! The messages mirror the OPC PLC's (docs/reference/opc-ua-apps.md §1.5.2): an invalid base64
//! string is reported with its first 10 characters, never whole (it may be large, or a secret).

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Largest certificate accepted (a DER certificate is a few KiB; chains stay far below this).
pub const MAX_CERTIFICATE_BYTES: usize = 64 * 1024;
/// Largest CRL accepted (100,000 revoked serials take about 3.5 MB).
pub const MAX_CRL_BYTES: usize = 32 * 1024 * 1024;
/// Largest private key file accepted (PEM or PFX).
pub const MAX_KEY_BYTES: usize = 64 * 1024;

/// Why input bytes or text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input is empty (or only whitespace).
    #[error("the {what} is empty")]
    Empty {
        /// What was expected: "certificate", "CRL", "private key".
        what: &'static str,
    },
    /// The input is larger than the limit for its kind.
    #[error("the {what} is {len} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// What was expected.
        what: &'static str,
        /// The input length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The text is not base64 (the OPC PLC's wording, with the first 10 characters).
    #[error("The provided string '{preview}...' is not a valid base64 string.")]
    InvalidBase64 {
        /// The first 10 characters of the input.
        preview: String,
    },
    /// PEM armour is present but broken, or holds no block of the expected type.
    #[error("the {what} PEM is malformed or holds no '{label}' block")]
    InvalidPem {
        /// What was expected.
        what: &'static str,
        /// The PEM label looked for.
        label: &'static str,
    },
    /// The DER does not parse as the expected structure.
    #[error("the {what} is not valid DER: {reason}")]
    InvalidDer {
        /// What was expected.
        what: &'static str,
        /// The parser's reason.
        reason: String,
    },
}

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 text; whitespace and line breaks inside are ignored (pasted PEM bodies,
/// wrapped command lines).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    BASE64
        .decode(compact.as_bytes())
        .map_err(|_| DecodeError::InvalidBase64 {
            preview: text.trim().chars().take(10).collect(),
        })
}

/// Turns text from a twin or command line into bytes: PEM text is taken as is, anything else
/// must be base64 (of DER or of PEM text, as OPC Vault returns keys).
pub fn text_to_bytes(text: &str, what: &'static str, limit: usize) -> Result<Vec<u8>, DecodeError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DecodeError::Empty { what });
    }
    // A base64 string is 4/3 of its payload; reject absurd text before decoding it.
    if trimmed.len() > limit.saturating_mul(2) {
        return Err(DecodeError::TooLarge {
            what,
            len: trimmed.len(),
            limit,
        });
    }
    let bytes = if trimmed.starts_with("-----BEGIN") {
        trimmed.as_bytes().to_vec()
    } else {
        decode_base64(trimmed)?
    };
    check_size(&bytes, what, limit)?;
    Ok(bytes)
}

/// Rejects empty and oversized inputs.
pub(crate) fn check_size(
    bytes: &[u8],
    what: &'static str,
    limit: usize,
) -> Result<(), DecodeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty { what });
    }
    if bytes.len() > limit {
        return Err(DecodeError::TooLarge {
            what,
            len: bytes.len(),
            limit,
        });
    }
    Ok(())
}

/// True when the bytes look like PEM armour rather than DER.
pub(crate) fn is_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    bytes[start..].starts_with(b"-----BEGIN")
}

/// The DER payloads of every PEM block with `label` (e.g. `CERTIFICATE`, `X509 CRL`).
pub(crate) fn pem_blocks(
    bytes: &[u8],
    what: &'static str,
    label: &'static str,
) -> Result<Vec<Vec<u8>>, DecodeError> {
    let invalid = || DecodeError::InvalidPem { what, label };
    let text = std::str::from_utf8(bytes).map_err(|_| invalid())?;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let body_start = start + begin.len();
        let body_len = rest[body_start..].find(&end).ok_or_else(invalid)?;
        let body = &rest[body_start..body_start + body_len];
        let der = decode_base64(body).map_err(|_| invalid())?;
        blocks.push(der);
        rest = &rest[body_start + body_len + end.len()..];
    }
    if blocks.is_empty() {
        return Err(invalid());
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_base64_reports_the_first_ten_characters() {
        let err = decode_base64("not*base64*at*all").unwrap_err();
        assert_eq!(
            err.to_string(),
            "The provided string 'not*base64...' is not a valid base64 string."
        );
    }

    #[test]
    fn base64_ignores_line_breaks_and_missing_padding() {
        assert_eq!(decode_base64("YWJj\nZA").unwrap(), b"abcd");
        assert_eq!(decode_base64("YWJjZA==").unwrap(), b"abcd");
    }

    #[test]
    fn empty_and_oversized_text_is_refused() {
        assert_eq!(
            text_to_bytes("  ", "certificate", 10).unwrap_err(),
            DecodeError::Empty {
                what: "certificate"
            }
        );
        // 16 decoded bytes over a limit of 12...
        assert!(matches!(
            text_to_bytes("YWJjZGVmZ2hpamtsbW5vcA==", "certificate", 12).unwrap_err(),
            DecodeError::TooLarge {
                len: 16,
                limit: 12,
                ..
            }
        ));
        // ...and text so long it is refused before decoding.
        assert!(matches!(
            text_to_bytes("YWJjZGVmZ2hpamtsbW5vcA==", "certificate", 10).unwrap_err(),
            DecodeError::TooLarge {
                len: 24,
                limit: 10,
                ..
            }
        ));
    }

    #[test]
    fn pem_text_passes_through_and_blocks_are_found() {
        let pem = "-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\n";
        let bytes = text_to_bytes(pem, "certificate", 1000).unwrap();
        assert!(is_pem(&bytes));
        assert_eq!(
            pem_blocks(&bytes, "certificate", "CERTIFICATE").unwrap(),
            vec![b"abc".to_vec()]
        );
        assert!(pem_blocks(&bytes, "CRL", "X509 CRL").is_err());
    }
}
