//! Where an IoT Edge HTTP API listens and one request to it, shared by the workload and the
//! management clients.
//!
//! Both APIs are HTTP/1.1 on a unix socket (`unix:///…`), or on TCP for `http://host:port`
//! URIs (the C SDK accepts both). The HTTP is hyper's (`client::conn::http1` over
//! `hyper_util`'s `TokioIo`): each call connects, sends one request with `Connection: close`
//! and collects the response body up to [`MAX_RESPONSE_BYTES`], all within the call's
//! timeout. A few calls an hour do not need a connection pool.

use std::path::PathBuf;
use std::time::Duration;

use http_body_util::{BodyExt as _, Full, Limited};
use hub_proto::workload::ErrorResponse;
use hyper::Request;
use hyper::body::Bytes;
use hyper::header::{ACCEPT, CONNECTION, CONTENT_TYPE, HOST, USER_AGENT};
use hyper::rt::{Read, Write};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpStream, UnixStream};

/// Largest response body accepted (trust bundles and certificates are a few KB).
pub(crate) const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// The `User-Agent` of every request.
const USER_AGENT_VALUE: &str = concat!("edge-client/", env!("CARGO_PKG_VERSION"));

/// The `Content-Type` of a request with a body.
const JSON: &str = "application/json; charset=utf-8";

/// Where an API listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// A unix socket path.
    Unix(PathBuf),
    /// `host:port`.
    Tcp(String),
}

/// Why one exchange failed; each client maps it onto its error enum.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    /// The socket could not be reached.
    Io(std::io::Error),
    /// The exchange did not complete in time.
    Timeout(Duration),
    /// The method or request target is not valid HTTP.
    Request(hyper::http::Error),
    /// hyper failed: the exchange broke off or the answer is not HTTP/1.x.
    Http(hyper::Error),
    /// The response body is larger than the limit (the field).
    TooLarge(usize),
}

/// A complete response.
#[derive(Debug)]
pub(crate) struct Response {
    /// The status code.
    pub(crate) status: u16,
    /// The body, decoded from its transfer coding.
    pub(crate) body: Bytes,
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

    /// Connects, sends `method target` (with `json_body` as an `application/json` body, if
    /// any) and collects the response; all within `timeout`.
    pub(crate) async fn exchange(
        &self,
        method: &str,
        target: &str,
        json_body: Option<Vec<u8>>,
        timeout: Duration,
    ) -> Result<Response, ExchangeError> {
        let request = request(method, target, json_body).map_err(ExchangeError::Request)?;
        let exchange = async {
            match self {
                Self::Unix(path) => {
                    let stream = UnixStream::connect(path).await.map_err(ExchangeError::Io)?;
                    send(TokioIo::new(stream), request).await
                }
                Self::Tcp(authority) => {
                    let stream = TcpStream::connect(authority.as_str())
                        .await
                        .map_err(ExchangeError::Io)?;
                    send(TokioIo::new(stream), request).await
                }
            }
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| ExchangeError::Timeout(timeout))?
    }
}

/// The message of an error response: edgelet's `{"message": …}`, else the body as text.
pub(crate) fn error_message(body: &[u8]) -> String {
    serde_json::from_slice::<ErrorResponse>(body).map_or_else(
        |_| String::from_utf8_lossy(body).trim().to_owned(),
        |e| e.message,
    )
}

/// The request: `Host: localhost` (HTTP/1.1 requires a host; edgelet ignores it on a unix
/// socket and accepts it on TCP), JSON in and out, and `Connection: close`.
fn request(
    method: &str,
    target: &str,
    json_body: Option<Vec<u8>>,
) -> Result<Request<Full<Bytes>>, hyper::http::Error> {
    let mut builder = Request::builder()
        .method(method)
        .uri(target)
        .header(HOST, "localhost")
        .header(USER_AGENT, USER_AGENT_VALUE)
        .header(ACCEPT, "application/json")
        .header(CONNECTION, "close");
    if json_body.is_some() {
        builder = builder.header(CONTENT_TYPE, JSON);
    }
    // An empty body sends no `Content-Length`; a JSON body is sent with its length.
    builder.body(Full::new(json_body.map(Bytes::from).unwrap_or_default()))
}

/// One request on a fresh connection: hyper's handshake, the request, the limited body. The
/// connection is driven in this task, so a timeout drops it with the call.
async fn send(
    io: impl Read + Write + Unpin,
    request: Request<Full<Bytes>>,
) -> Result<Response, ExchangeError> {
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(ExchangeError::Http)?;
    let answer = async {
        let response = sender
            .send_request(request)
            .await
            .map_err(ExchangeError::Http)?;
        let status = response.status().as_u16();
        let body = Limited::new(response.into_body(), MAX_RESPONSE_BYTES)
            .collect()
            .await
            .map_err(body_error)?
            .to_bytes();
        Ok(Response { status, body })
    };
    tokio::pin!(connection, answer);
    tokio::select! {
        biased;
        answer = &mut answer => answer,
        // With `Connection: close` the connection ends after the response; what it delivered
        // before is still to be collected.
        closed = &mut connection => match closed {
            Ok(()) => answer.await,
            Err(e) => Err(ExchangeError::Http(e)),
        },
    }
}

/// A body error: hyper's, or the limit's.
fn body_error(error: Box<dyn std::error::Error + Send + Sync>) -> ExchangeError {
    match error.downcast::<hyper::Error>() {
        Ok(e) => ExchangeError::Http(*e),
        // `Limited`'s only error of its own is `LengthLimitError`.
        Err(_) => ExchangeError::TooLarge(MAX_RESPONSE_BYTES),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::{TcpListener, UnixListener};
    use tokio::task::JoinHandle;

    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(10);

    /// Reads a request until it ends with `end` (the body, or the blank line without one).
    async fn read_request(s: &mut (impl AsyncRead + Unpin), end: &str) -> String {
        let mut bytes = Vec::new();
        let mut buf = [0; 4096];
        while !bytes.ends_with(end.as_bytes()) {
            let n = s.read(&mut buf).await.unwrap();
            assert!(
                n > 0,
                "request ended early: {:?}",
                String::from_utf8_lossy(&bytes)
            );
            bytes.extend_from_slice(&buf[..n]);
        }
        String::from_utf8(bytes).unwrap()
    }

    /// Answers one connection on a unix socket in `dir` with `response`, after a request that
    /// ends with `end`; the endpoint and the request read.
    fn serve_once(
        dir: &Path,
        end: &'static str,
        response: Vec<u8>,
    ) -> (Endpoint, JoinHandle<String>) {
        let path = dir.join("api.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let request = read_request(&mut s, end).await;
            // The client may hang up early (a response over the limit).
            let _ = s.write_all(&response).await;
            request
        });
        (Endpoint::Unix(path), server)
    }

    #[tokio::test]
    async fn a_json_request_names_localhost_and_closes_and_a_chunked_body_is_reassembled() {
        let dir = tempfile::tempdir().unwrap();
        let (endpoint, server) = serve_once(
            dir.path(),
            r#"{"a":1}"#,
            b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n".to_vec(),
        );
        let response = endpoint
            .exchange(
                "POST",
                "/m/sign?api-version=2022-08-03",
                Some(br#"{"a":1}"#.to_vec()),
                TIMEOUT,
            )
            .await
            .unwrap();
        assert_eq!(response.status, 201);
        assert_eq!(&response.body[..], b"abc0123456789");
        let request = server.await.unwrap().to_ascii_lowercase();
        assert!(
            request.starts_with("post /m/sign?api-version=2022-08-03 http/1.1\r\n"),
            "{request}"
        );
        for header in [
            "host: localhost\r\n",
            concat!(
                "user-agent: edge-client/",
                env!("CARGO_PKG_VERSION"),
                "\r\n"
            ),
            "accept: application/json\r\n",
            "connection: close\r\n",
            "content-type: application/json; charset=utf-8\r\n",
            "content-length: 7\r\n",
        ] {
            assert!(request.contains(header), "{header:?} missing in {request}");
        }
        assert!(request.ends_with("\r\n\r\n{\"a\":1}"), "{request}");
    }

    #[tokio::test]
    async fn a_request_without_body_has_no_body_headers_and_a_length_delimits_the_body() {
        let dir = tempfile::tempdir().unwrap();
        let (endpoint, server) = serve_once(
            dir.path(),
            "\r\n\r\n",
            b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n{\"a\"".to_vec(),
        );
        let response = endpoint
            .exchange("GET", "/trust-bundle?api-version=2018-06-28", None, TIMEOUT)
            .await
            .unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(&response.body[..], b"{\"a\"");
        let request = server.await.unwrap().to_ascii_lowercase();
        assert!(request.starts_with("get /trust-bundle?api-version=2018-06-28 http/1.1\r\n"));
        assert!(!request.contains("content-length"), "{request}");
        assert!(!request.contains("content-type"), "{request}");
    }

    #[tokio::test]
    async fn a_body_without_length_runs_to_the_end_of_the_stream() {
        let dir = tempfile::tempdir().unwrap();
        let (endpoint, _server) = serve_once(
            dir.path(),
            "\r\n\r\n",
            b"HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"x\"}".to_vec(),
        );
        let response = endpoint.exchange("GET", "/", None, TIMEOUT).await.unwrap();
        assert_eq!(response.status, 404);
        assert_eq!(error_message(&response.body), "x");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let mut response = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
        response.resize(response.len() + MAX_RESPONSE_BYTES + 1, b'x');
        let (endpoint, _server) = serve_once(dir.path(), "\r\n\r\n", response);
        let err = endpoint
            .exchange("GET", "/", None, TIMEOUT)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ExchangeError::TooLarge(MAX_RESPONSE_BYTES)),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn broken_answers_are_hyper_errors() {
        for answer in [
            &b"SSH-2.0 x\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ] {
            let dir = tempfile::tempdir().unwrap();
            let (endpoint, _server) = serve_once(dir.path(), "\r\n\r\n", answer.to_vec());
            let err = endpoint
                .exchange("GET", "/", None, TIMEOUT)
                .await
                .unwrap_err();
            assert!(
                matches!(err, ExchangeError::Http(_)),
                "{:?}: {err:?}",
                String::from_utf8_lossy(answer)
            );
        }
    }

    #[tokio::test]
    async fn an_invalid_target_is_a_request_error_and_a_missing_socket_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let endpoint = Endpoint::Unix(dir.path().join("absent.sock"));
        let err = endpoint
            .exchange("GET", "/a b", None, TIMEOUT)
            .await
            .unwrap_err();
        assert!(matches!(err, ExchangeError::Request(_)), "{err:?}");
        let err = endpoint
            .exchange("GET", "/", None, TIMEOUT)
            .await
            .unwrap_err();
        assert!(matches!(err, ExchangeError::Io(_)), "{err:?}");
    }

    #[tokio::test]
    async fn a_server_that_does_not_answer_is_a_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("api.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let _server = tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_mins(1)).await;
            drop(s);
        });
        let timeout = Duration::from_millis(100);
        let err = Endpoint::Unix(path)
            .exchange("GET", "/", None, timeout)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ExchangeError::Timeout(t) if t == timeout),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn tcp_endpoints_are_served_alike() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint =
            Endpoint::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let request = read_request(&mut s, "\r\n\r\n").await;
            s.write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
                .await
                .unwrap();
            request
        });
        let response = endpoint
            .exchange("POST", "/modules/m/restart", None, TIMEOUT)
            .await
            .unwrap();
        assert_eq!(response.status, 204);
        assert!(response.body.is_empty());
        let request = server.await.unwrap().to_ascii_lowercase();
        assert!(request.contains("host: localhost\r\n"), "{request}");
    }

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
