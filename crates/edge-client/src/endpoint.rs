//! Where an IoT Edge HTTP API listens and one request to it, shared by the workload and the
//! management clients.
//!
//! Both APIs are HTTP/1.1 on a unix socket (`unix:///…`), or on TCP for `http://host:port`
//! URIs (the C SDK accepts both). Each call opens a connection, sends one request with
//! `Connection: close` and reads the response to the end: a handful of calls do not justify a
//! connection pool or an HTTP stack. The HTTP itself is [`crate::workload::http`], sans-io.

use std::path::PathBuf;
use std::time::Duration;

use hub_proto::workload::ErrorResponse;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::{TcpStream, UnixStream};

use crate::workload::http::{self, HttpError, Response};

/// Where an API listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// A unix socket path.
    Unix(PathBuf),
    /// `host:port`.
    Tcp(String),
}

/// Why one exchange failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ExchangeError {
    /// The socket could not be reached or the exchange broke off.
    #[error("i/o failed")]
    Io(#[source] std::io::Error),
    /// The exchange did not complete in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The answer is not a well-formed HTTP/1.1 response.
    #[error("malformed http response")]
    Http(#[source] HttpError),
}

impl Endpoint {
    /// `unix:///path` or `http://host:port[/]`; `None` for anything else.
    pub(crate) fn parse(uri: &str) -> Option<Self> {
        if let Some(path) = uri.strip_prefix("unix://") {
            (!path.is_empty()).then(|| Self::Unix(PathBuf::from(path)))
        } else if let Some(authority) = uri.strip_prefix("http://") {
            let authority = authority.trim_end_matches('/');
            (!authority.is_empty() && !authority.contains('/'))
                .then(|| Self::Tcp(authority.to_owned()))
        } else {
            None
        }
    }

    /// Connects, sends `request` (an encoded [`http::encode_request`]), reads the response
    /// until the server closes the stream and parses it; all within `timeout`.
    pub(crate) async fn exchange(
        &self,
        request: &[u8],
        timeout: Duration,
    ) -> Result<Response, ExchangeError> {
        let exchange = async {
            match self {
                Self::Unix(path) => send(UnixStream::connect(path).await?, request).await,
                Self::Tcp(authority) => {
                    send(TcpStream::connect(authority.as_str()).await?, request).await
                }
            }
        };
        let bytes = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| ExchangeError::Timeout(timeout))?
            .map_err(ExchangeError::Io)?;
        http::parse_response(&bytes).map_err(ExchangeError::Http)
    }
}

/// The message of an error response: edgelet's `{"message": …}`, else the body as text.
pub(crate) fn error_message(body: &[u8]) -> String {
    serde_json::from_slice::<ErrorResponse>(body).map_or_else(
        |_| String::from_utf8_lossy(body).trim().to_owned(),
        |e| e.message,
    )
}

async fn send(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    request: &[u8],
) -> std::io::Result<Vec<u8>> {
    stream.write_all(request).await?;
    stream.flush().await?;
    let mut bytes = Vec::new();
    // One byte more than allowed, so that an oversized response is detected, not truncated.
    let limit = u64::try_from(http::MAX_RESPONSE_BYTES + 1).unwrap_or(u64::MAX);
    (&mut stream).take(limit).read_to_end(&mut bytes).await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_and_http_uris_are_endpoints() {
        assert_eq!(
            Endpoint::parse("unix:///var/run/iotedge/mgmt.sock"),
            Some(Endpoint::Unix(PathBuf::from("/var/run/iotedge/mgmt.sock")))
        );
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:15580/"),
            Some(Endpoint::Tcp("127.0.0.1:15580".to_owned()))
        );
    }

    #[test]
    fn other_uris_are_not_endpoints() {
        for uri in [
            "https://x:1",
            "unix://",
            "/var/run/x.sock",
            "http://h/path",
            "http://",
        ] {
            assert_eq!(Endpoint::parse(uri), None, "{uri}");
        }
    }

    #[test]
    fn error_messages_come_from_the_message_field_or_the_raw_body() {
        assert_eq!(
            error_message(br#"{"message":"module not found"}"#),
            "module not found"
        );
        assert_eq!(error_message(b" plain text\n"), "plain text");
    }
}
