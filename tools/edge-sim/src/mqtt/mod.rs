//! edgeHub's MQTT head: MQTT 3.1.1 over TLS with IoT Hub's module twin and method protocol.
//!
//! - [`auth`]: CONNECT username parsing and SAS authentication (sans-io).
//! - [`session`]: subscriptions and unacknowledged messages kept across connections for
//!   `clean_session = 0` (sans-io); [`sessions_file`] persists them in the state directory.
//! - [`Broker`]: live connections (one per identity), sessions, pending method calls.
//! - [`protocol`]: the rules of one authenticated connection (sans-io): keep-alive, `QoS`,
//!   twin requests, method responses, subscriptions ([`protocol::Connection`]).
//! - `connection`: the per-connection driver (TLS, CONNECT, the packet loop's I/O).

pub mod auth;
mod broker;
mod connection;
pub mod protocol;
pub mod session;
pub mod sessions_file;

use std::sync::Arc;

use openssl::ssl::SslAcceptor;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

pub use broker::{Broker, InvokeError, LocalCall};
pub use connection::ConnectionError;
pub use protocol::MAX_PACKET_BYTES;

use crate::faults::Faults;
use crate::state::State;

/// What every MQTT connection needs.
pub(crate) struct MqttContext {
    pub(crate) state: Arc<State>,
    pub(crate) broker: Arc<Broker>,
    pub(crate) faults: Faults,
    pub(crate) acceptor: SslAcceptor,
    /// The gateway host names a token audience may use besides the IoT Hub host.
    pub(crate) gateway_hosts: Vec<String>,
}

impl MqttContext {
    fn token_hosts(&self) -> Vec<String> {
        let mut hosts = vec![self.state.hub_host()];
        hosts.extend(self.gateway_hosts.iter().cloned());
        hosts
    }
}

/// Accepts connections on `listener` until `shutdown`, then waits for them to close.
pub(crate) async fn serve(
    listener: TcpListener,
    ctx: Arc<MqttContext>,
    shutdown: CancellationToken,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let _ = tcp.set_nodelay(true);
                    connections.spawn(connection::serve(tcp, peer, ctx.clone(), shutdown.clone()));
                }
                Err(e) => {
                    warn!(error = %e, "mqtt accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
        }
    }
    info!("mqtt server stopping");
    while connections.join_next().await.is_some() {}
}
