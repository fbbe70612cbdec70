//! Shared helpers of the integration tests: an in-process simulator on free ports, a raw
//! MQTT peer (rumqttc) and a tiny HTTPS / unix-socket HTTP client.

// Helpers for tests: failing loudly (unwrap/expect/panic) is what a test wants.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use edge_sim::{Config, EdgeSim, Running};
use http_body_util::BodyExt as _;
use hub_proto::{ConnectionString, SasToken};
use hyper::Request;
use hyper_util::rt::TokioIo;
use openssl::ssl::{SslConnector, SslMethod};
use openssl::x509::X509;
use rumqttc::{
    AsyncClient, ConnectionError, Event, MqttOptions, Packet, Publish, QoS, TlsConfiguration,
    Transport,
};
use tempfile::TempDir;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How long a test waits for something that should happen.
pub const WAIT: Duration = Duration::from_secs(10);

/// A simulator in a temp dir; the dir lives as long as this.
pub struct Sim {
    pub running: Running,
    pub dir: TempDir,
}

/// Starts a simulator on free ports with the given modules.
pub async fn start(modules: &[&str]) -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let running = start_in(dir.path(), modules).await;
    Sim { running, dir }
}

/// Starts a simulator on free ports in `dir`.
pub async fn start_in(dir: &Path, modules: &[&str]) -> Running {
    let config = Config::new(dir).ephemeral().with_modules(modules);
    EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap()
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// What the MQTT peer saw.
#[derive(Debug)]
pub enum Seen {
    ConnAck {
        code: rumqttc::ConnectReturnCode,
        session_present: bool,
    },
    Publish(Publish),
    Closed(String),
}

/// A raw MQTT client speaking for one module.
pub struct Peer {
    pub client: AsyncClient,
    pub events: mpsc::UnboundedReceiver<Seen>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Connection settings for a module of `sim`, before they are tweaked by a test.
pub struct PeerOptions {
    pub client_id: String,
    pub username: String,
    pub password: String,
    pub clean_session: bool,
    pub keep_alive: Duration,
}

impl PeerOptions {
    /// Valid settings for `module` with a token valid for an hour.
    pub fn for_module(sim: &Running, module: &str) -> Self {
        let cs = ConnectionString::parse(&sim.module_connection_string(module).unwrap()).unwrap();
        let device = sim.device_id();
        let audience = format!("{}/devices/{device}/modules/{module}", sim.hub_host());
        let token = SasToken::sign(&audience, cs.shared_access_key(), None, unix_now() + 3600);
        Self {
            client_id: format!("{device}/{module}"),
            username: format!(
                "{}/{device}/{module}/?api-version=2021-04-12&DeviceClientType=edge-sim-tests",
                sim.hub_host()
            ),
            password: token.to_string(),
            clean_session: false,
            keep_alive: Duration::from_secs(30),
        }
    }
}

impl Peer {
    /// Connects without waiting for the CONNACK.
    pub fn spawn(sim: &Running, options: PeerOptions) -> Self {
        let mut o = MqttOptions::new(options.client_id, "localhost", sim.mqtt_port());
        o.set_credentials(options.username, options.password);
        o.set_clean_session(options.clean_session);
        o.set_keep_alive(options.keep_alive);
        o.set_max_packet_size(256 * 1024, 256 * 1024);
        o.set_transport(Transport::Tls(TlsConfiguration::Rustls(rustls_config(sim))));
        let (client, mut eventloop) = AsyncClient::new(o, 32);
        let (tx, events) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            loop {
                match eventloop.poll().await {
                    Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                        let _ = tx.send(Seen::ConnAck {
                            code: ack.code,
                            session_present: ack.session_present,
                        });
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let _ = tx.send(Seen::Publish(p));
                    }
                    Ok(_) => {}
                    Err(ConnectionError::ConnectionRefused(code)) => {
                        let _ = tx.send(Seen::ConnAck {
                            code,
                            session_present: false,
                        });
                        break;
                    }
                    Err(e) => {
                        // No automatic reconnect: a test reconnects explicitly.
                        let _ = tx.send(Seen::Closed(e.to_string()));
                        break;
                    }
                }
            }
        });
        Self {
            client,
            events,
            task,
        }
    }

    /// Connects as `module` and waits for a successful CONNACK; returns session-present too.
    pub async fn connect(sim: &Running, module: &str, clean_session: bool) -> (Self, bool) {
        let mut options = PeerOptions::for_module(sim, module);
        options.clean_session = clean_session;
        let mut peer = Self::spawn(sim, options);
        match peer.next().await {
            Seen::ConnAck {
                code: rumqttc::ConnectReturnCode::Success,
                session_present,
            } => (peer, session_present),
            other => panic!("expected a successful CONNACK, got {other:?}"),
        }
    }

    /// The next event, failing the test after [`WAIT`].
    pub async fn next(&mut self) -> Seen {
        tokio::time::timeout(WAIT, self.events.recv())
            .await
            .expect("timed out waiting for an mqtt event")
            .expect("event loop ended")
    }

    /// The next PUBLISH.
    pub async fn next_publish(&mut self) -> Publish {
        loop {
            match self.next().await {
                Seen::Publish(p) => return p,
                Seen::Closed(e) => panic!("connection closed while waiting for a publish: {e}"),
                Seen::ConnAck { .. } => {}
            }
        }
    }

    /// Whether nothing is published within `quiet`.
    pub async fn nothing_within(&mut self, quiet: Duration) -> bool {
        tokio::time::timeout(quiet, self.events.recv())
            .await
            .is_err()
    }

    /// Publishes at `QoS` 1.
    pub async fn publish(&self, topic: &str, payload: impl Into<Vec<u8>>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload.into())
            .await
            .unwrap();
    }

    /// Subscribes at `QoS` 1 (the SUBACK is not awaited; a publish after it is ordered behind
    /// it on the connection).
    pub async fn subscribe(&self, filter: &str) {
        self.client
            .subscribe(filter, QoS::AtLeastOnce)
            .await
            .unwrap();
    }
}

/// A rustls client configuration (ring provider) that trusts only the dev CA.
pub fn rustls_config(sim: &Running) -> Arc<rustls::ClientConfig> {
    let ca = X509::from_pem(sim.ca_pem().as_bytes()).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(
            ca.to_der().unwrap(),
        ))
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// A policy token for the service API, as the Python SDK builds it (`sr` = host:port).
pub fn service_token(sim: &Running) -> String {
    let cs = ConnectionString::parse(&sim.service_connection_string()).unwrap();
    SasToken::sign(
        cs.host_name(),
        cs.shared_access_key(),
        Some("iothubowner"),
        unix_now() + 3600,
    )
    .to_string()
}

/// One HTTPS request to the service API; returns the status and the body.
pub async fn https(
    sim: &Running,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> (u16, String) {
    let (status, _, text) = https_with_headers(sim, method, path, headers, body).await;
    (status, text)
}

/// [`https`], with the response headers.
pub async fn https_with_headers(
    sim: &Running,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> (u16, hyper::HeaderMap, String) {
    let tls = tls_connect(sim, sim.api_port()).await;
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", format!("localhost:{}", sim.api_port()))
        .header("content-type", "application/json; charset=utf-8");
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    let request = builder
        .body(http_body_util::Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    send_with_headers(TokioIo::new(tls), request).await
}

/// A TLS connection to `port` on loopback that trusts the dev CA and checks `localhost`.
pub async fn tls_connect(
    sim: &Running,
    port: u16,
) -> tokio_openssl::SslStream<tokio::net::TcpStream> {
    let mut connector = SslConnector::builder(SslMethod::tls_client()).unwrap();
    connector
        .cert_store_mut()
        .add_cert(X509::from_pem(sim.ca_pem().as_bytes()).unwrap())
        .unwrap();
    let ssl = connector
        .build()
        .configure()
        .unwrap()
        .into_ssl("localhost")
        .unwrap();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut tls = tokio_openssl::SslStream::new(ssl, tcp).unwrap();
    std::pin::Pin::new(&mut tls).connect().await.unwrap();
    tls
}

/// One HTTP request over a unix socket (the workload API).
pub async fn uds(socket: &Path, method: &str, target: &str, body: &str) -> (u16, String) {
    let stream = tokio::net::UnixStream::connect(socket).await.unwrap();
    let request = Request::builder()
        .method(method)
        .uri(target)
        .header("host", "localhost")
        .body(http_body_util::Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    send(TokioIo::new(stream), request).await
}

async fn send<T>(io: TokioIo<T>, request: Request<http_body_util::Full<Bytes>>) -> (u16, String)
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (status, _, text) = send_with_headers(io, request).await;
    (status, text)
}

async fn send_with_headers<T>(
    io: TokioIo<T>,
    request: Request<http_body_util::Full<Bytes>>,
) -> (u16, hyper::HeaderMap, String)
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io).await.unwrap();
    tokio::spawn(conn);
    let response = sender.send_request(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A raw MQTT connection (our own packets, no automatic PUBACK), for what rumqttc hides:
/// unacknowledged messages and DUP flags.
pub struct RawPeer {
    framed: tokio_util::codec::Framed<
        tokio_openssl::SslStream<tokio::net::TcpStream>,
        rumqttc::mqttbytes::v4::Codec,
    >,
    next_pkid: u16,
}

impl RawPeer {
    /// Connects as `module` on `port` and returns the peer and CONNACK's session-present flag.
    pub async fn connect(sim: &Running, module: &str, clean_session: bool) -> (Self, bool) {
        use futures_util::{SinkExt as _, StreamExt as _};
        use rumqttc::mqttbytes::v4::{Codec, Connect, ConnectReturnCode, Packet};

        let options = PeerOptions::for_module(sim, module);
        let tls = tls_connect(sim, sim.mqtt_port()).await;
        let mut framed = tokio_util::codec::Framed::new(
            tls,
            Codec {
                max_incoming_size: 256 * 1024,
                max_outgoing_size: 256 * 1024,
            },
        );
        let mut connect = Connect::new(options.client_id);
        connect.clean_session = clean_session;
        connect.keep_alive = 30;
        connect.set_login(options.username, options.password);
        framed.send(Packet::Connect(connect)).await.unwrap();
        let ack = tokio::time::timeout(WAIT, framed.next())
            .await
            .expect("a CONNACK in time")
            .expect("the connection is open")
            .unwrap();
        let Packet::ConnAck(ack) = ack else {
            panic!("expected a CONNACK, got {ack:?}");
        };
        assert_eq!(ack.code, ConnectReturnCode::Success);
        let peer = Self {
            framed,
            next_pkid: 0,
        };
        (peer, ack.session_present)
    }

    /// Sends SUBSCRIBE for `filter` at `QoS` 1 and waits for its SUBACK.
    pub async fn subscribe(&mut self, filter: &str) {
        use futures_util::SinkExt as _;
        use rumqttc::mqttbytes::v4::{Packet, Subscribe};

        self.next_pkid += 1;
        let mut subscribe = Subscribe::new(filter, rumqttc::mqttbytes::QoS::AtLeastOnce);
        subscribe.pkid = self.next_pkid;
        self.framed
            .send(Packet::Subscribe(subscribe))
            .await
            .unwrap();
        loop {
            if let rumqttc::mqttbytes::v4::Packet::SubAck(_) = self.next_packet().await {
                return;
            }
        }
    }

    /// The next packet, failing the test after [`WAIT`].
    pub async fn next_packet(&mut self) -> rumqttc::mqttbytes::v4::Packet {
        use futures_util::StreamExt as _;
        tokio::time::timeout(WAIT, self.framed.next())
            .await
            .expect("a packet in time")
            .expect("the connection is open")
            .unwrap()
    }

    /// The next PUBLISH, not acknowledged.
    pub async fn next_publish(&mut self) -> rumqttc::mqttbytes::v4::Publish {
        loop {
            if let rumqttc::mqttbytes::v4::Packet::Publish(p) = self.next_packet().await {
                return p;
            }
        }
    }

    /// Whether no packet arrives within `quiet`.
    pub async fn nothing_within(&mut self, quiet: Duration) -> bool {
        use futures_util::StreamExt as _;
        tokio::time::timeout(quiet, self.framed.next())
            .await
            .is_err()
    }

    /// Acknowledges a `QoS` 1 PUBLISH.
    pub async fn puback(&mut self, pkid: u16) {
        use futures_util::SinkExt as _;
        use rumqttc::mqttbytes::v4::{Packet, PubAck};
        self.framed
            .send(Packet::PubAck(PubAck::new(pkid)))
            .await
            .unwrap();
    }
}
