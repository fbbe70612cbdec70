//! The URL encoding the Azure IoT SDKs use for SAS fields, topic properties and path segments.
//!
//! The Python SDK calls `urllib.parse.quote(s, safe="")`, which leaves only the RFC 3986
//! unreserved characters `A-Z a-z 0-9 - . _ ~` as they are and percent-encodes every other
//! byte of the UTF-8 text (so `/` becomes `%2F`, `$` becomes `%24`, space becomes `%20`).
//! Encoding the same way keeps our tokens and topics byte-for-byte equal to the SDKs'.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters that `urllib.parse.quote(s, safe="")` encodes: all but `A-Za-z0-9-._~`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A percent-encoded string that does not decode to UTF-8.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("percent-encoded text is not valid utf-8")]
pub struct DecodeError;

/// Percent-encodes `s` like `urllib.parse.quote(s, safe="")`.
#[must_use]
pub fn encode_component(s: &str) -> Cow<'_, str> {
    utf8_percent_encode(s, COMPONENT).into()
}

/// Decodes `%XX` escapes like `urllib.parse.unquote` (a `+` stays a `+`).
pub fn decode_component(s: &str) -> Result<Cow<'_, str>, DecodeError> {
    percent_decode_str(s).decode_utf8().map_err(|_| DecodeError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_stay_and_everything_else_is_encoded() {
        assert_eq!(encode_component("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(
            encode_component("a/b$c d+e=f&g:h"),
            "a%2Fb%24c%20d%2Be%3Df%26g%3Ah"
        );
    }

    #[test]
    fn non_ascii_is_encoded_as_utf8_bytes() {
        assert_eq!(encode_component("ä"), "%C3%A4");
    }

    #[test]
    fn decoding_keeps_plus_and_rejects_invalid_utf8() {
        assert_eq!(decode_component("a+b%20c").unwrap(), "a+b c");
        assert_eq!(decode_component("%FF"), Err(DecodeError));
    }
}
