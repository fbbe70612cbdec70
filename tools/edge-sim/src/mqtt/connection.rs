//! One MQTT connection: TLS handshake, CONNECT authentication, then the packet loop that
//! serves twin GET and reported PATCH, relays desired patches and method calls, and enforces
//! the keep-alive.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt as _, StreamExt as _};
use hub_proto::twin::parse_reported_patch;
use hub_proto::{MethodResponse, ModuleId, RequestId, Subscription, Topic};
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{
    Codec, ConnAck, ConnectReturnCode, Packet, PubAck, Publish, SubAck, SubscribeReasonCode,
    UnsubAck,
};
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
use crate::state::DesiredUpdate;

/// Largest packet either way: IoT Hub's 256 KB message limit (docs/reference/iot-edge.md §1.1).
pub const MAX_PACKET_BYTES: usize = 256 * 1024;
/// Time allowed for the TLS handshake and the CONNECT packet.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

type Transport = Framed<SslStream<TcpStream>, Codec>;

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
    /// A packet could not be decoded or encoded.
    #[error("mqtt codec error")]
    Codec(#[from] rumqttc::mqttbytes::Error),
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
        Codec {
            max_incoming_size: MAX_PACKET_BYTES,
            max_outgoing_size: MAX_PACKET_BYTES,
        },
    );
    let first = timeout(CONNECT_TIMEOUT, transport.next())
        .await
        .map_err(|_| ConnectionError::ConnectTimeout)?;
    let Some(Packet::Connect(connect)) = first.transpose()? else {
        return Err(ConnectionError::Protocol("first packet is not CONNECT"));
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
    id: u64,
    client_id: String,
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
        let (session_present, unacknowledged) = ctx.broker.sessions(|s| {
            let present = s.connect(&client_id, id, clean);
            (present, s.unacknowledged(&client_id))
        });
        info!(clean, session_present, keep_alive, "module connected");
        let mut session = Self {
            id,
            client_id,
            module: auth.module,
            ctx,
            tx,
            delayed: JoinSet::new(),
        };
        let result = async {
            transport
                .send(Packet::ConnAck(ConnAck::new(
                    ConnectReturnCode::Success,
                    session_present,
                )))
                .await?;
            // MQTT 3.1.1 §4.4: a resumed session gets its unacknowledged PUBLISHes again,
            // with their packet identifiers and DUP set.
            if !unacknowledged.is_empty() {
                info!(
                    count = unacknowledged.len(),
                    "resending unacknowledged messages"
                );
            }
            for message in unacknowledged {
                let mut publish = Publish::new(message.topic, QoS::AtLeastOnce, message.payload);
                publish.pkid = message.pkid;
                publish.dup = true;
                transport.send(Packet::Publish(publish)).await?;
            }
            session
                .serve(&mut transport, &mut rx, &mut desired, keep_alive, &shutdown)
                .await
        }
        .await;
        session.delayed.shutdown().await;
        session.ctx.broker.unregister(&session.module, session.id);
        let (client_id, id) = (&session.client_id, session.id);
        session.ctx.broker.sessions(|s| s.disconnect(client_id, id));
        info!("module disconnected");
        result
    }

    async fn serve(
        &mut self,
        transport: &mut Transport,
        rx: &mut mpsc::UnboundedReceiver<Outbound>,
        desired: &mut broadcast::Receiver<DesiredUpdate>,
        keep_alive: u16,
        shutdown: &CancellationToken,
    ) -> Result<(), ConnectionError> {
        // MQTT 3.1.1 §3.1.2.10: one and a half keep-alive periods without a packet.
        let grace = (keep_alive > 0).then(|| Duration::from_millis(u64::from(keep_alive) * 1500));
        let mut deadline = grace.map(|g| Instant::now() + g);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                () = until(deadline) => {
                    warn!("keep-alive expired");
                    return Ok(());
                }
                Some(()) = async { self.delayed.join_next().await.map(|_| ()) },
                    if !self.delayed.is_empty() => {}
                command = rx.recv() => match command {
                    Some(Outbound::Publish { topic, payload }) => {
                        self.publish(transport, topic, payload, false).await?;
                    }
                    Some(Outbound::Close) | None => {
                        info!("connection closed by the hub");
                        return Ok(());
                    }
                },
                update = desired.recv() => match update {
                    Ok(update) => self.on_desired(transport, &update).await?,
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        warn!(missed = n, "desired notifications dropped for a slow connection");
                    }
                    Err(broadcast::error::RecvError::Closed) => {}
                },
                packet = transport.next() => {
                    let Some(packet) = packet.transpose()? else {
                        return Ok(());
                    };
                    deadline = grace.map(|g| Instant::now() + g);
                    if !self.on_packet(transport, packet).await? {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Publishes at `QoS` 1 (edgeHub's `QoS` towards clients, docs/reference/iot-edge.md §1.1); the
    /// session keeps the message until the client's PUBACK, and persists it when `durable`.
    async fn publish(
        &mut self,
        transport: &mut Transport,
        topic: String,
        payload: Vec<u8>,
        durable: bool,
    ) -> Result<(), ConnectionError> {
        let client_id = &self.client_id;
        let pkid = self
            .ctx
            .broker
            .sessions(|s| s.publish(client_id, &topic, &payload, durable));
        let mut publish = Publish::new(topic, QoS::AtLeastOnce, payload);
        publish.pkid = pkid;
        transport.send(Packet::Publish(publish)).await?;
        Ok(())
    }

    async fn on_desired(
        &mut self,
        transport: &mut Transport,
        update: &DesiredUpdate,
    ) -> Result<(), ConnectionError> {
        let client_id = &self.client_id;
        let subscribed = self
            .ctx
            .broker
            .sessions(|s| s.is_subscribed(client_id, Subscription::DesiredPatches));
        if !subscribed {
            return Ok(());
        }
        let topic = Topic::DesiredPatch {
            version: hub_proto::TwinVersion::new(update.version),
        };
        let payload = serde_json::to_vec(&*update.patch).unwrap_or_default();
        debug!(version = update.version, "desired patch delivered");
        // Durable: a notification the client did not acknowledge is sent again when its
        // session resumes, even after a restart of the simulator.
        self.publish(transport, topic.to_string(), payload, true)
            .await
    }

    /// Handles one packet; `false` ends the connection normally.
    async fn on_packet(
        &mut self,
        transport: &mut Transport,
        packet: Packet,
    ) -> Result<bool, ConnectionError> {
        match packet {
            Packet::Publish(publish) => {
                if publish.qos == QoS::ExactlyOnce {
                    // IoT Hub closes the connection on a QoS 2 PUBLISH (docs/reference/iot-edge.md
                    // §1.1).
                    return Err(ConnectionError::Protocol("qos 2 publish"));
                }
                self.on_publish(transport, &publish.topic, &publish.payload)
                    .await?;
                if publish.qos == QoS::AtLeastOnce {
                    transport
                        .send(Packet::PubAck(PubAck::new(publish.pkid)))
                        .await?;
                }
            }
            Packet::Subscribe(subscribe) => {
                let client_id = &self.client_id;
                let codes = self.ctx.broker.sessions(|sessions| {
                    subscribe
                        .filters
                        .iter()
                        .map(|f| {
                            if Subscription::classify(&f.path).is_none() {
                                debug!(filter = %f.path, "ignoring unknown subscription");
                            }
                            match sessions.subscribe(client_id, &f.path, f.qos as u8) {
                                0 => SubscribeReasonCode::Success(QoS::AtMostOnce),
                                _ => SubscribeReasonCode::Success(QoS::AtLeastOnce),
                            }
                        })
                        .collect()
                });
                transport
                    .send(Packet::SubAck(SubAck::new(subscribe.pkid, codes)))
                    .await?;
            }
            Packet::Unsubscribe(unsubscribe) => {
                let client_id = &self.client_id;
                self.ctx.broker.sessions(|sessions| {
                    for topic in &unsubscribe.topics {
                        sessions.unsubscribe(client_id, topic);
                    }
                });
                transport
                    .send(Packet::UnsubAck(UnsubAck::new(unsubscribe.pkid)))
                    .await?;
            }
            Packet::PingReq => transport.send(Packet::PingResp).await?,
            Packet::Disconnect => {
                self.ctx.broker.record_disconnect(&self.module);
                return Ok(false);
            }
            Packet::Connect(_) => return Err(ConnectionError::Protocol("second CONNECT")),
            Packet::PubAck(ack) => {
                let client_id = &self.client_id;
                self.ctx
                    .broker
                    .sessions(|s| s.acknowledge(client_id, ack.pkid));
            }
            _ => {}
        }
        Ok(true)
    }

    async fn on_publish(
        &mut self,
        transport: &mut Transport,
        topic: &str,
        payload: &[u8],
    ) -> Result<(), ConnectionError> {
        match Topic::parse(topic) {
            Ok(Topic::TwinGet { rid }) => self.twin_operation(transport, rid, None).await,
            Ok(Topic::ReportedPatch { rid }) => {
                self.twin_operation(transport, rid, Some(payload.to_vec()))
                    .await
            }
            Ok(Topic::MethodResponse { status, rid }) => {
                match MethodResponse::from_parts(status, rid, payload) {
                    Ok(response) => {
                        if !self.ctx.broker.complete_method(response) {
                            debug!("method response for no pending call");
                        }
                    }
                    Err(e) => warn!(error = %e, "unreadable method response"),
                }
                Ok(())
            }
            Ok(Topic::ModuleEvent { .. }) => {
                debug!(topic, bytes = payload.len(), "module message accepted");
                Ok(())
            }
            Ok(_) | Err(_) => {
                debug!(topic, "ignoring publish to an unknown topic");
                Ok(())
            }
        }
    }

    async fn twin_operation(
        &mut self,
        transport: &mut Transport,
        rid: RequestId,
        patch: Option<Vec<u8>>,
    ) -> Result<(), ConnectionError> {
        let fault = self.ctx.faults.next_twin_operation();
        if fault.delay.is_zero() {
            let (topic, body) = twin_response(
                &self.ctx,
                &self.module,
                &rid,
                patch.as_deref(),
                fault.fail_with,
            );
            return self.publish(transport, topic, body, false).await;
        }
        let (ctx, module, tx) = (self.ctx.clone(), self.module.clone(), self.tx.clone());
        self.delayed.spawn(async move {
            tokio::time::sleep(fault.delay).await;
            let (topic, payload) =
                twin_response(&ctx, &module, &rid, patch.as_deref(), fault.fail_with);
            let _ = tx.send(Outbound::Publish { topic, payload });
        });
        Ok(())
    }
}

/// The response topic and body of a twin GET (`patch` is `None`) or reported PATCH.
fn twin_response(
    ctx: &MqttContext,
    module: &ModuleId,
    rid: &RequestId,
    patch: Option<&[u8]>,
    fail_with: Option<u16>,
) -> (String, Vec<u8>) {
    let (status, body) = match (fail_with, patch) {
        (Some(status), _) => (status, Vec::new()),
        (None, None) => match ctx.state.twin(module) {
            Some(twin) => (200, twin.module_properties().to_vec()),
            None => (404, error_body("module identity was deleted")),
        },
        (None, Some(body)) => match parse_reported_patch(body) {
            // edgeHub answers 204 without `$version` (docs/reference/iot-edge.md §0.5).
            Ok(patch) => match ctx.state.patch_reported(module, &patch) {
                Ok(_) => (204, Vec::new()),
                Err(e) => (404, error_body(&e.to_string())),
            },
            Err(e) => {
                info!(reason = %e, "reported patch refused");
                (400, error_body(&e.to_string()))
            }
        },
    };
    let topic = Topic::TwinResponse {
        status,
        rid: rid.clone(),
        version: None,
    };
    (topic.to_string(), body)
}

fn error_body(message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "message": message })).unwrap_or_default()
}
