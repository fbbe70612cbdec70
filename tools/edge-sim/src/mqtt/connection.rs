//! One MQTT connection's I/O: TLS handshake, CONNECT authentication ([`super::auth`]), then
//! the loop that feeds packets, desired notifications, hub commands and the keep-alive
//! deadline to the connection's rules ([`super::protocol`], no I/O) and performs what they
//! decide: write packets, answer twin requests from the state, complete method calls.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt as _, StreamExt as _};
use hub_proto::{ModuleId, RequestId};
use rumqttc::mqttbytes::v4::{Codec, ConnAck, ConnectReturnCode, Packet};
use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until, timeout};
use tokio_openssl::SslStream;
use tokio_util::codec::Framed;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument as _, debug, info, instrument, warn};

use super::MqttContext;
use super::auth::{self, Authenticated};
use super::broker::{ConnectionHandle, Outbound};
use super::protocol::{
    Action, Close, ConnectHeaderError, Connection, MAX_PACKET_BYTES, TwinRequest,
    check_connect_header, twin_response,
};
use crate::state::DesiredUpdate;

/// Time allowed for the TLS handshake and the CONNECT packet.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

type Transport = Framed<SslStream<TcpStream>, EdgeCodec>;

/// rumqttc's v4 codec, with [`check_connect_header`] on the bytes of the first packet.
struct EdgeCodec {
    inner: Codec,
    /// Until the first packet is decoded.
    first: bool,
}

/// What the transport refuses.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// rumqttc's codec refused a packet.
    #[error(transparent)]
    Codec(#[from] rumqttc::mqttbytes::Error),
    /// The CONNECT header broke a rule the codec does not check.
    #[error(transparent)]
    Connect(#[from] ConnectHeaderError),
    /// The socket failed.
    #[error("socket error")]
    Io(#[from] std::io::Error),
}

impl tokio_util::codec::Decoder for EdgeCodec {
    type Item = Packet;
    type Error = DecodeError;

    fn decode(&mut self, src: &mut bytes::BytesMut) -> Result<Option<Packet>, DecodeError> {
        if self.first {
            check_connect_header(src)?;
        }
        let packet = self.inner.decode(src)?;
        if packet.is_some() {
            self.first = false;
        }
        Ok(packet)
    }
}

impl tokio_util::codec::Encoder<Packet> for EdgeCodec {
    type Error = DecodeError;

    fn encode(&mut self, item: Packet, dst: &mut bytes::BytesMut) -> Result<(), DecodeError> {
        Ok(self.inner.encode(item, dst)?)
    }
}

/// Why a connection ended abnormally.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// TLS setup or handshake failed.
    #[error("tls handshake failed")]
    Tls(#[from] openssl::ssl::Error),
    /// TLS context setup failed.
    #[error("tls setup failed")]
    TlsSetup(#[from] openssl::error::ErrorStack),
    /// The handshake or CONNECT did not arrive in time.
    #[error("client too slow to connect")]
    ConnectTimeout,
    /// A packet could not be decoded or encoded, or the socket failed.
    #[error("mqtt codec error")]
    Codec(#[from] DecodeError),
    /// The client broke the protocol (MQTT 3.1.1 or IoT Hub's rules).
    #[error("protocol violation: {0}")]
    Protocol(&'static str),
}

/// Serves one accepted TCP connection until it ends or `shutdown` fires.
#[instrument(name = "mqtt", skip_all, fields(peer = %peer))]
pub(crate) async fn serve(
    tcp: TcpStream,
    peer: SocketAddr,
    ctx: Arc<MqttContext>,
    shutdown: CancellationToken,
) {
    match handshake(tcp, &ctx).await {
        Ok(Some((transport, auth, clean, keep_alive))) => {
            let span = tracing::info_span!("session", module = %auth.module);
            let result = Session::run(transport, auth, clean, keep_alive, ctx, shutdown)
                .instrument(span)
                .await;
            if let Err(e) = result {
                debug!(error = %e, "connection closed");
            }
        }
        Ok(None) => {}
        Err(e) => debug!(error = %e, "connection refused"),
    }
}

type Handshake = Option<(Transport, Authenticated, bool, u16)>;

async fn handshake(tcp: TcpStream, ctx: &MqttContext) -> Result<Handshake, ConnectionError> {
    let ssl = openssl::ssl::Ssl::new(ctx.acceptor.context())?;
    let mut tls = SslStream::new(ssl, tcp)?;
    timeout(CONNECT_TIMEOUT, Pin::new(&mut tls).accept())
        .await
        .map_err(|_| ConnectionError::ConnectTimeout)??;
    let mut transport = Framed::new(
        tls,
        EdgeCodec {
            inner: Codec {
                max_incoming_size: MAX_PACKET_BYTES,
                max_outgoing_size: MAX_PACKET_BYTES,
            },
            first: true,
        },
    );
    let first = timeout(CONNECT_TIMEOUT, transport.next())
        .await
        .map_err(|_| ConnectionError::ConnectTimeout)?;
    let connect = match first.transpose() {
        Ok(Some(Packet::Connect(connect))) => connect,
        Ok(_) => return Err(ConnectionError::Protocol("first packet is not CONNECT")),
        Err(DecodeError::Connect(ConnectHeaderError::ProtocolLevel(level))) => {
            info!(level, "connect refused: unacceptable protocol level");
            refuse(&mut transport, ConnectReturnCode::RefusedProtocolVersion).await;
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    if ctx.faults.refuses_connect() {
        info!(client_id = %connect.client_id, "connect refused by fault injection");
        refuse(&mut transport, ConnectReturnCode::ServiceUnavailable).await;
        return Ok(None);
    }
    let hosts = ctx.token_hosts();
    let hosts: Vec<&str> = hosts.iter().map(String::as_str).collect();
    let login = connect.login.as_ref();
    let result = auth::authenticate(
        &connect.client_id,
        login.map(|l| l.username.as_str()),
        login.map(|l| l.password.as_str()),
        &hosts,
        |device, module| {
            let identity = ctx.state.module(module)?;
            if &identity.device_id != device {
                return None;
            }
            identity.keys.decoded().ok()
        },
        unix_now(),
    );
    match result {
        Ok(auth) => Ok(Some((
            transport,
            auth,
            connect.clean_session,
            connect.keep_alive,
        ))),
        Err(e) => {
            // The protocol gateway answers every authentication failure with 5, then
            // closes (docs/reference/iot-edge.md §1.2).
            warn!(client_id = %connect.client_id, reason = %e, "connect not authorized");
            refuse(&mut transport, ConnectReturnCode::NotAuthorized).await;
            Ok(None)
        }
    }
}

async fn refuse(transport: &mut Transport, code: ConnectReturnCode) {
    let _ = transport
        .send(Packet::ConnAck(ConnAck::new(code, false)))
        .await;
    let _ = transport.close().await;
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => sleep_until(d).await,
        None => std::future::pending().await,
    }
}

struct Session {
    conn: Connection,
    module: ModuleId,
    ctx: Arc<MqttContext>,
    tx: mpsc::UnboundedSender<Outbound>,
    delayed: JoinSet<()>,
}

impl Session {
    async fn run(
        mut transport: Transport,
        auth: Authenticated,
        clean: bool,
        keep_alive: u16,
        ctx: Arc<MqttContext>,
        shutdown: CancellationToken,
    ) -> Result<(), ConnectionError> {
        let id = ctx.broker.next_id();
        let client_id = format!("{}/{}", auth.device, auth.module);
        let (tx, mut rx) = mpsc::unbounded_channel();
        // Subscribe before CONNACK so that no desired change after it is missed.
        let mut desired = ctx.state.subscribe_desired(&auth.module);
        ctx.broker.register(
            &auth.module,
            ConnectionHandle {
                id,
                client_id: client_id.clone(),
                tx: tx.clone(),
            },
        );
        let now = Instant::now().into_std();
        let (conn, first) = ctx
            .broker
            .sessions(|s| Connection::connect(s, &client_id, id, clean, keep_alive, now));
        let session_present =
            matches!(first.first(), Some(Packet::ConnAck(a)) if a.session_present);
        info!(clean, session_present, keep_alive, "module connected");
        let mut session = Self {
            conn,
            module: auth.module,
            ctx,
            tx,
            delayed: JoinSet::new(),
        };
        let result = async {
            if first.len() > 1 {
                info!(count = first.len() - 1, "resending unacknowledged messages");
            }
            for packet in first {
                transport.send(packet).await?;
            }
            session
                .serve(&mut transport, &mut rx, &mut desired, &shutdown)
                .await
        }
        .await;
        session.delayed.shutdown().await;
        session.ctx.broker.unregister(&session.module, id);
        let conn = &session.conn;
        session.ctx.broker.sessions(|s| conn.close(s));
        info!("module disconnected");
        result
    }

    async fn serve(
        &mut self,
        transport: &mut Transport,
        rx: &mut mpsc::UnboundedReceiver<Outbound>,
        desired: &mut broadcast::Receiver<DesiredUpdate>,
        shutdown: &CancellationToken,
    ) -> Result<(), ConnectionError> {
        loop {
            let deadline = self.conn.deadline().map(Instant::from_std);
            tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                () = until(deadline) => {
                    if self.conn.handle_timeout(Instant::now().into_std()).is_some() {
                        warn!("keep-alive expired");
                        return Ok(());
                    }
                }
                Some(()) = async { self.delayed.join_next().await.map(|_| ()) },
                    if !self.delayed.is_empty() => {}
                command = rx.recv() => match command {
                    Some(Outbound::Publish { topic, payload }) => {
                        self.publish(transport, topic, payload).await?;
                    }
                    Some(Outbound::Close) | None => {
                        info!("connection closed by the hub");
                        return Ok(());
                    }
                },
                update = desired.recv() => match update {
                    Ok(update) => {
                        let conn = &self.conn;
                        let packet = self
                            .ctx
                            .broker
                            .sessions(|s| conn.desired_patch(s, update.version, &update.patch));
                        if let Some(packet) = packet {
                            debug!(version = update.version, "desired patch delivered");
                            transport.send(packet).await?;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        warn!(missed = n, "desired notifications dropped for a slow connection");
                    }
                    Err(broadcast::error::RecvError::Closed) => {}
                },
                packet = transport.next() => {
                    let Some(packet) = packet.transpose()? else {
                        return Ok(());
                    };
                    let now = Instant::now().into_std();
                    let conn = &mut self.conn;
                    let actions = self.ctx.broker.sessions(|s| conn.handle_packet(s, packet, now));
                    for action in actions {
                        match action {
                            Action::Send(packet) => transport.send(packet).await?,
                            Action::Twin { rid, request } => {
                                self.twin_operation(transport, rid, request).await?;
                            }
                            Action::CompleteMethod(response) => {
                                if !self.ctx.broker.complete_method(response) {
                                    debug!("method response for no pending call");
                                }
                            }
                            Action::Close(Close::Disconnect) => {
                                self.ctx.broker.record_disconnect(&self.module);
                                return Ok(());
                            }
                            Action::Close(Close::KeepAliveExpired) => {
                                warn!("keep-alive expired");
                                return Ok(());
                            }
                            Action::Close(Close::Protocol(reason)) => {
                                return Err(ConnectionError::Protocol(reason));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Publishes a twin response or a method request at `QoS` 1 (not durable).
    async fn publish(
        &mut self,
        transport: &mut Transport,
        topic: String,
        payload: Vec<u8>,
    ) -> Result<(), ConnectionError> {
        let conn = &self.conn;
        let packet = self
            .ctx
            .broker
            .sessions(|s| conn.publish(s, topic, payload, false));
        transport.send(packet).await?;
        Ok(())
    }

    async fn twin_operation(
        &mut self,
        transport: &mut Transport,
        rid: RequestId,
        request: TwinRequest,
    ) -> Result<(), ConnectionError> {
        let fault = self.ctx.faults.next_twin_operation();
        if fault.delay.is_zero() {
            let (topic, body) = answer(&self.ctx, &self.module, &rid, request, fault.fail_with);
            return self.publish(transport, topic, body).await;
        }
        let (ctx, module, tx) = (self.ctx.clone(), self.module.clone(), self.tx.clone());
        self.delayed.spawn(async move {
            tokio::time::sleep(fault.delay).await;
            let (topic, payload) = answer(&ctx, &module, &rid, request, fault.fail_with);
            let _ = tx.send(Outbound::Publish { topic, payload });
        });
        Ok(())
    }
}

/// The response topic and body of a twin request: an injected failure first, as IoT Hub's
/// upstream answers before edgeHub validates, then the twin (GET) or the patch's outcome.
fn answer(
    ctx: &MqttContext,
    module: &ModuleId,
    rid: &RequestId,
    request: TwinRequest,
    fail_with: Option<u16>,
) -> (String, Vec<u8>) {
    let (status, body) = match (fail_with, request) {
        (Some(status), _) => (status, Vec::new()),
        (None, TwinRequest::Get) => match ctx.state.twin(module) {
            Some(twin) => (200, twin.module_properties().to_vec()),
            None => (404, error_body("module identity was deleted")),
        },
        (None, TwinRequest::Patch(Ok(patch))) => match ctx.state.patch_reported(module, &patch) {
            Ok(_) => (204, Vec::new()),
            Err(e) => (404, error_body(&e.to_string())),
        },
        (None, TwinRequest::Patch(Err(e))) => {
            info!(reason = %e, "reported patch refused");
            (400, error_body(&e.to_string()))
        }
    };
    twin_response(rid, status, body)
}

fn error_body(message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "message": message })).unwrap_or_default()
}
