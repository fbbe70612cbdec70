//! The IoT Edge module client: twin stream, reported patches and direct methods over MQTT.
//!
//! Layer L1 of the workspace, on tokio. It speaks the IoT Hub / edgeHub module protocol of
//! `hub-proto` over MQTT 3.1.1 with TLS (rumqttc + rustls) and the IoT Edge workload API, and
//! knows nothing of OPC UA. [`ModuleClient`] is built from the environment
//! ([`ModuleClient::from_environment`], three modes, see [`identity`]) or from a module
//! connection string ([`ModuleClient::from_connection_string`]), and offers:
//! - [`ModuleClient::desired_stream`]: the full desired document after every connect, then only
//!   newer patches (stale `$version`s dropped); [`DesiredStream`] is a `futures::Stream`;
//! - [`ModuleClient::get_twin`] and [`ModuleClient::update_reported`], correlated by `$rid`,
//!   429/5xx retried with bounded backoff, edgeHub's 400 reason surfaced;
//! - [`ModuleClient::on_method`] / [`ModuleClient::on_any_method`]: direct-method handlers;
//! - [`ModuleClient::watch_connection`]: connected / disconnected events.
//!
//! Behind it: `clean_session = false`, re-SUBSCRIBE and twin GET after every CONNACK, 256 KB
//! packets, SAS tokens renewed at 80 % of their TTL (with a clean DISCONNECT and a reconnect
//! to present them), and reconnects with exponential backoff and jitter.
//!
//! # Layout
//! - [`core`]: the sans-io core, tested as plain functions:
//!   [`core::session`] (request correlation by `$rid`, subscription set, desired-state
//!   reconciliation, retries), [`core::backoff`] (jittered exponential backoff from an
//!   injected random value), [`core::renewal`] (SAS renewal schedule).
//! - [`identity`]: module identity, MQTT username/client id, and the environment-mode choice.
//! - [`workload`]: the workload API client ([`WorkloadClient`]: trust bundle, signing, server
//!   certificates).
//! - [`management`]: the management API client ([`ManagementClient`]: list, restart, start and
//!   stop modules), for modules given edgelet's management socket.
//! - `endpoint`: where the workload and management APIs listen (`unix://`, `http://`) and
//!   the exchange both clients use: hyper's HTTP/1.1 client on a fresh connection per call,
//!   with a timeout and a limit on the response body.
//! - [`options`]: [`ClientOptions`], the typed options.
//! - [`error`]: one error enum per operation family.
//! - `client`: [`ModuleClient`] and its handle types; `driver` (session task) and `connection`
//!   (rumqttc event-loop task) are the thin tokio drivers; `auth` signs SAS tokens; `tls` builds
//!   the rustls configuration.
//! - [`scripted`] (feature `test-util`): [`ModuleClient::scripted`], the real client over a
//!   link played by a test, for tests on paused time.

mod auth;
mod client;
mod connection;
pub mod core;
mod driver;
mod endpoint;
pub mod error;
pub mod identity;
pub mod management;
pub mod options;
#[cfg(any(test, feature = "test-util"))]
pub mod scripted;
mod tls;
pub mod workload;

pub use crate::core::backoff::Backoff;
pub use crate::core::session::{DesiredUpdate, RetryPolicy};
pub use client::{
    ConnectionState, DesiredStream, MethodCall, MethodFuture, MethodReply, ModuleClient,
};
pub use error::{
    AttemptFailure, BuildError, EnvironmentError, ManagementError, ReportedError, TlsError,
    TokenError, TwinError, WorkloadError,
};
pub use identity::{EnvironmentSource, ModuleIdentity, select_environment};
pub use management::ManagementClient;
pub use options::ClientOptions;
pub use workload::WorkloadClient;
