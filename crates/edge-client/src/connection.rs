//! The task that owns rumqttc's event loop: connect, authenticate, renew, reconnect.
//!
//! It forwards `CONNACK`s, `PUBLISH`es and disconnects to the session driver and knows nothing of
//! twins. rumqttc reconnects when `poll` is called after an error; this task adds what it
//! lacks: a fresh SAS token before a connect when the old one is due (or was refused), a
//! forced reconnect when the token is renewed while connected (the new password is only
//! presented in a CONNECT), and exponential backoff with jitter between attempts.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rumqttc::{ConnectReturnCode, ConnectionError, Event, EventLoop, Packet};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;

use crate::auth::Signer;
use crate::core::backoff::Backoff;
use crate::core::renewal::RenewalSchedule;
use crate::identity::ModuleIdentity;

/// What the connection tells the session driver.
#[derive(Debug)]
pub(crate) enum LinkEvent {
    /// A CONNACK was received.
    Connected { session_present: bool },
    /// A PUBLISH was received.
    Publish { topic: String, payload: Vec<u8> },
    /// The connection is down (or could not be made).
    Disconnected { reason: String },
}

pub(crate) struct Connection {
    pub(crate) eventloop: EventLoop,
    pub(crate) mqtt: rumqttc::AsyncClient,
    pub(crate) identity: ModuleIdentity,
    pub(crate) username: String,
    pub(crate) signer: Signer,
    pub(crate) renewal: RenewalSchedule,
    pub(crate) reconnect: Backoff,
    pub(crate) events: mpsc::UnboundedSender<LinkEvent>,
    pub(crate) shutdown: CancellationToken,
}

impl Connection {
    /// Runs until `shutdown` is cancelled or the driver is gone.
    pub(crate) async fn run(mut self) {
        let span = tracing::info_span!("mqtt", module = %self.identity.module);
        async move {
            let mut renew_at: Option<Instant> = None;
            let mut failures: u32 = 0;
            let mut connected = false;
            loop {
                if renew_at.is_none_or(|at| Instant::now() >= at) {
                    match self.renew_token().await {
                        Some(Ok(at)) => renew_at = Some(at),
                        Some(Err(())) => {
                            if !self.back_off(&mut failures).await {
                                return;
                            }
                            continue;
                        }
                        None => return,
                    }
                    if connected {
                        // The new password is presented by reconnecting (docs/reference/iot-edge.md
                        // §1.3: edgeHub drops connections whose token expired).
                        tracing::info!("reconnecting to present the renewed sas token");
                        // A clean close first (MQTT 3.1.1 §3.14): the hub keeps the session
                        // and does not treat the reconnect as a lost connection.
                        self.disconnect().await;
                        self.eventloop.clean();
                        self.eventloop.pending.clear();
                        connected = false;
                        if !self.emit(LinkEvent::Disconnected {
                            reason: "renewing the sas token".to_owned(),
                        }) {
                            return;
                        }
                    }
                }
                let deadline = renew_at.unwrap_or_else(Instant::now);
                tokio::select! {
                    biased;
                    () = self.shutdown.cancelled() => {
                        if connected {
                            self.disconnect().await;
                        }
                        return;
                    }
                    () = tokio::time::sleep_until(deadline), if connected => {
                        renew_at = None;
                    }
                    event = self.eventloop.poll() => match event {
                        Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                            tracing::info!(session_present = ack.session_present, "connected");
                            failures = 0;
                            connected = true;
                            if !self.emit(LinkEvent::Connected { session_present: ack.session_present }) {
                                return;
                            }
                        }
                        Ok(Event::Incoming(Packet::Publish(p))) => {
                            let event = LinkEvent::Publish { topic: p.topic, payload: p.payload.to_vec() };
                            if !self.emit(event) {
                                return;
                            }
                        }
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "mqtt connection lost");
                            // Requests in flight are resent by the session under fresh `$rid`s;
                            // rumqttc's own replay would only duplicate them.
                            self.eventloop.pending.clear();
                            connected = false;
                            if is_auth_refusal(&e) {
                                renew_at = None;
                            }
                            if !self.emit(LinkEvent::Disconnected { reason: e.to_string() }) {
                                return;
                            }
                            if !self.back_off(&mut failures).await {
                                return;
                            }
                        }
                    }
                }
            }
        }
        .instrument(span)
        .await;
    }

    /// Signs a new token and sets it as the password; `None` when shut down meanwhile.
    async fn renew_token(&mut self) -> Option<Result<Instant, ()>> {
        let now_unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let expiry = self.renewal.expiry(now_unix);
        let signed_at = Instant::now();
        let token = tokio::select! {
            () = self.shutdown.cancelled() => return None,
            token = self.signer.token(&self.identity, expiry) => token,
        };
        match token {
            Ok(token) => {
                tracing::debug!(expiry, "sas token signed");
                self.eventloop
                    .mqtt_options
                    .set_credentials(self.username.clone(), token.to_string());
                Some(Ok(signed_at + self.renewal.renew_after()))
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot sign a sas token");
                Some(Err(()))
            }
        }
    }

    /// Sleeps the next backoff delay; `false` when shut down meanwhile.
    async fn back_off(&mut self, failures: &mut u32) -> bool {
        let delay = self.reconnect.delay(*failures, rand::random::<f64>());
        *failures = failures.saturating_add(1);
        tracing::debug!(?delay, attempt = *failures, "waiting before reconnecting");
        tokio::select! {
            () = self.shutdown.cancelled() => false,
            () = tokio::time::sleep(delay) => true,
        }
    }

    fn emit(&self, event: LinkEvent) -> bool {
        self.events.send(event).is_ok()
    }

    /// Sends DISCONNECT and gives it a moment to leave (MQTT 3.1.1 §3.14), so the hub sees a
    /// clean close. A PUBLISH that arrives meanwhile (rumqttc has acknowledged it already)
    /// still goes to the driver.
    async fn disconnect(&mut self) {
        if self.mqtt.try_disconnect().is_err() {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(1);
        loop {
            match tokio::time::timeout_at(deadline, self.eventloop.poll()).await {
                Err(_) | Ok(Err(_) | Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect))) => {
                    return;
                }
                Ok(Ok(Event::Incoming(Packet::Publish(p)))) => {
                    let _ = self.emit(LinkEvent::Publish {
                        topic: p.topic,
                        payload: p.payload.to_vec(),
                    });
                }
                Ok(Ok(_)) => {}
            }
        }
    }
}

fn is_auth_refusal(e: &ConnectionError) -> bool {
    matches!(
        e,
        ConnectionError::ConnectionRefused(
            ConnectReturnCode::NotAuthorized | ConnectReturnCode::BadUserNamePassword
        )
    )
}
