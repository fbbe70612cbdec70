//! Just enough HTTP/1.1 for the workload and management APIs, sans-io: one request per
//! connection.
//!
//! Requests carry `Connection: close`, so a response ends at end of stream at the latest;
//! its body is delimited by `Content-Length`, chunked transfer coding (RFC 9112 §7.1) or the
//! end of the stream (RFC 9112 §6.3).

use std::fmt::Write as _;

/// Largest response accepted (trust bundles and certificates are a few KB).
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Why bytes are not an HTTP/1.1 response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The header section never ends.
    #[error("response headers are incomplete")]
    IncompleteHeaders,
    /// The status line is not `HTTP/1.x NNN reason`.
    #[error("malformed status line {0:?}")]
    StatusLine(String),
    /// A header line has no colon.
    #[error("malformed header line {0:?}")]
    HeaderLine(String),
    /// `Content-Length` is not a number.
    #[error("malformed content-length {0:?}")]
    ContentLength(String),
    /// The body is shorter than announced.
    #[error("response body is truncated")]
    Truncated,
    /// A chunk size line is malformed.
    #[error("malformed chunk size {0:?}")]
    ChunkSize(String),
    /// The response is larger than [`MAX_RESPONSE_BYTES`].
    #[error("response is larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
}

/// A complete response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The decoded body.
    pub body: Vec<u8>,
}

/// Encodes a request for `target` (path and query) with an optional JSON body.
#[must_use]
pub fn encode_request(method: &str, target: &str, json_body: Option<&[u8]>) -> Vec<u8> {
    // `Host` is required by HTTP/1.1 and ignored by edgelet on a unix socket.
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: edge-client/{}\r\nAccept: application/json\r\nConnection: close\r\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(body) = json_body {
        head.push_str("Content-Type: application/json; charset=utf-8\r\n");
        let _ = write!(head, "Content-Length: {}\r\n", body.len());
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if let Some(body) = json_body {
        bytes.extend_from_slice(body);
    }
    bytes
}

/// Parses a complete response read until the server closed the stream.
pub fn parse_response(bytes: &[u8]) -> Result<Response, HttpError> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(HttpError::TooLarge);
    }
    let end = find(bytes, b"\r\n\r\n").ok_or(HttpError::IncompleteHeaders)?;
    let head = String::from_utf8_lossy(&bytes[..end]);
    let rest = &bytes[end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = parse_status_line(status_line)?;
    let mut content_length = None;
    let mut chunked = false;
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| HttpError::HeaderLine(line.to_owned()))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            content_length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| HttpError::ContentLength(value.to_owned()))?,
            );
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        }
    }
    let body = if chunked {
        decode_chunked(rest)?
    } else if let Some(len) = content_length {
        rest.get(..len).ok_or(HttpError::Truncated)?.to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Response { status, body })
}

fn parse_status_line(line: &str) -> Result<u16, HttpError> {
    let bad = || HttpError::StatusLine(line.to_owned());
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().ok_or_else(bad)?;
    if !version.starts_with("HTTP/1.") {
        return Err(bad());
    }
    parts
        .next()
        .filter(|code| code.len() == 3)
        .and_then(|code| code.parse().ok())
        .ok_or_else(bad)
}

fn decode_chunked(mut rest: &[u8]) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n").ok_or(HttpError::Truncated)?;
        let line = String::from_utf8_lossy(&rest[..line_end]);
        // Chunk extensions follow a `;` (RFC 9112 §7.1.1) and are ignored.
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| HttpError::ChunkSize(size_text.to_owned()))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or(HttpError::Truncated)?;
        body.extend_from_slice(chunk);
        rest = rest.get(size + 2..).ok_or(HttpError::Truncated)?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_request_carries_json_headers_and_body() {
        let req = encode_request(
            "POST",
            "/modules/m/genid/1/sign?api-version=2022-08-03",
            Some(b"{}"),
        );
        let text = String::from_utf8(req).unwrap();
        assert!(
            text.starts_with("POST /modules/m/genid/1/sign?api-version=2022-08-03 HTTP/1.1\r\n")
        );
        assert!(text.contains("Content-Length: 2\r\n"));
        assert!(text.contains("Connection: close\r\n"));
        assert!(text.ends_with("\r\n\r\n{}"));
    }

    #[test]
    fn get_request_has_no_body_headers() {
        let text = String::from_utf8(encode_request(
            "GET",
            "/trust-bundle?api-version=2018-06-28",
            None,
        ))
        .unwrap();
        assert!(!text.contains("Content-Length"));
        assert!(text.ends_with("\r\n\r\n"));
    }

    #[test]
    fn content_length_body_is_cut_at_its_length() {
        let r =
            parse_response(b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n{\"a\"trailing").unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"{\"a\"");
    }

    #[test]
    fn chunked_body_is_reassembled() {
        let r = parse_response(
            b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(r.body, b"abc0123456789");
    }

    #[test]
    fn body_without_length_runs_to_the_end() {
        let r = parse_response(b"HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"x\"}").unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.body, b"{\"message\":\"x\"}");
    }

    #[test]
    fn broken_responses_are_errors() {
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\n"),
            Err(HttpError::IncompleteHeaders)
        );
        assert!(matches!(
            parse_response(b"SSH-2.0 x\r\n\r\n"),
            Err(HttpError::StatusLine(_))
        ));
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"),
            Err(HttpError::Truncated)
        );
        assert!(matches!(
            parse_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Err(HttpError::ChunkSize(_))
        ));
        assert!(matches!(
            parse_response(b"HTTP/1.1 200 OK\r\nbroken\r\n\r\n"),
            Err(HttpError::HeaderLine(_))
        ));
    }
}
