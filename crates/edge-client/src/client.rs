//! The public module client: construction from the environment or a connection string, and
//! the twin, reported-property and direct-method API.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use hub_proto::twin::TwinProperties;
use hub_proto::{ConnectionString, EdgeEnvironment, MethodName};
use rumqttc::{MqttOptions, TlsConfiguration, Transport};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::instrument;

use crate::auth::Signer;
use crate::connection::Connection;
use crate::core::renewal::RenewalSchedule;
use crate::core::session::{DesiredUpdate, Session};
use crate::driver::{Command, Driver, MethodTable, SharedMethods};
use crate::error::{BuildError, ReportedError, TwinError};
use crate::identity::{EnvironmentSource, ModuleIdentity, select_environment};
use crate::options::{ClientOptions, MAX_PACKET_BYTES};
use crate::workload::WorkloadClient;

/// Capacity of rumqttc's request channel; the session bounds what it has outstanding.
const REQUEST_CHANNEL_CAPACITY: usize = 1024;

/// The state of the MQTT connection, as observed through [`ModuleClient::watch_connection`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionState {
    /// Not connected yet.
    Connecting,
    /// Connected; `connection` counts CONNACKs since the client was built (1 for the first).
    Connected {
        /// The number of this connection.
        connection: u64,
    },
    /// The connection dropped or could not be made; reconnecting with backoff.
    Disconnected {
        /// What happened, for logs.
        reason: String,
    },
    /// The client was shut down.
    Closed,
}

/// A direct-method call handed to a handler.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodCall {
    /// The method name.
    pub name: MethodName,
    /// The JSON payload; `null` for an empty body.
    pub payload: Value,
}

/// A handler's answer: any integer status (200 by convention for success) and a payload.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodReply {
    /// The status sent on `$iothub/methods/res/{status}/`.
    pub status: i32,
    /// The JSON payload; `null` sends an empty body.
    pub payload: Value,
}

impl MethodReply {
    /// A reply with `status` and `payload`.
    #[must_use]
    pub fn new(status: i32, payload: Value) -> Self {
        Self { status, payload }
    }

    /// A 200 reply.
    #[must_use]
    pub fn ok(payload: Value) -> Self {
        Self::new(200, payload)
    }
}

/// The future a method handler returns.
pub type MethodFuture = Pin<Box<dyn Future<Output = MethodReply> + Send>>;

/// A registered direct-method handler.
pub(crate) type MethodHandler = Arc<dyn Fn(MethodCall) -> MethodFuture + Send + Sync>;

/// The desired-state stream: the full desired document after every connect, then the
/// patches that are newer than it.
#[derive(Debug)]
pub struct DesiredStream {
    rx: mpsc::UnboundedReceiver<DesiredUpdate>,
}

impl DesiredStream {
    /// The next update; `None` once the client is shut down.
    pub async fn recv(&mut self) -> Option<DesiredUpdate> {
        self.rx.recv().await
    }
}

/// The same updates as [`DesiredStream::recv`], for `StreamExt` combinators and `select!`.
impl futures_util::Stream for DesiredStream {
    type Item = DesiredUpdate;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<DesiredUpdate>> {
        self.rx.poll_recv(cx)
    }
}

/// An IoT Edge module's connection to edgeHub (or IoT Hub).
///
/// Building it starts two owned tasks, the MQTT connection and the protocol session; they
/// run until [`ModuleClient::shutdown`] or until the client is dropped. Operations wait for
/// a connection when there is none.
pub struct ModuleClient {
    pub(crate) identity: ModuleIdentity,
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) methods: SharedMethods,
    pub(crate) state: watch::Receiver<ConnectionState>,
    pub(crate) shutdown: CancellationToken,
    pub(crate) tasks: Vec<JoinHandle<()>>,
}

impl ModuleClient {
    /// Builds a client from environment variables read through `lookup` (the binary passes
    /// `|k| std::env::var(k).ok()`): the `IOTEDGE_*` variables and the workload API, else
    /// `EdgeHubConnectionString` or `IotHubConnectionString` with
    /// `EdgeModuleCACertificateFile` (see [`select_environment`]).
    pub async fn from_environment(
        lookup: impl Fn(&str) -> Option<String>,
        options: ClientOptions,
    ) -> Result<Self, BuildError> {
        match select_environment(lookup)? {
            EnvironmentSource::Workload(env) => Self::from_edge_environment(&env, options).await,
            EnvironmentSource::ConnectionString {
                identity,
                key,
                ca_file,
                ..
            } => {
                let ca_pem = tokio::fs::read_to_string(&ca_file)
                    .await
                    .map_err(|source| BuildError::CaFile {
                        path: ca_file.clone(),
                        source,
                    })?;
                Self::start(identity, Signer::Key(key), &ca_pem, options)
            }
        }
    }

    /// Builds a client for the IoT Edge runtime's variables: fetches the trust bundle and
    /// signs tokens through the workload API.
    pub async fn from_edge_environment(
        env: &EdgeEnvironment,
        options: ClientOptions,
    ) -> Result<Self, BuildError> {
        let workload = WorkloadClient::new(&env.workload_uri, env.api_version)
            .map_err(BuildError::TrustBundle)?;
        let ca_pem = workload
            .trust_bundle()
            .await
            .map_err(BuildError::TrustBundle)?;
        let signer = Signer::Workload {
            client: workload,
            module: env.module_id.clone(),
            generation_id: env.generation_id.clone(),
        };
        Self::start(
            ModuleIdentity::from_edge_environment(env),
            signer,
            &ca_pem,
            options,
        )
    }

    /// Builds a client from a module connection string (`HostName=…;DeviceId=…;ModuleId=…;
    /// SharedAccessKey=…[;GatewayHostName=…]`) and the PEM CA certificates that verify the
    /// host it connects to.
    pub fn from_connection_string(
        connection_string: &str,
        ca_pem: &str,
        options: ClientOptions,
    ) -> Result<Self, BuildError> {
        let cs =
            ConnectionString::parse(connection_string).map_err(BuildError::ConnectionString)?;
        let identity = ModuleIdentity::from_connection_string(&cs).ok_or(BuildError::NotAModule)?;
        let signer = Signer::Key(cs.shared_access_key().clone());
        Self::start(identity, signer, ca_pem, options)
    }

    #[instrument(skip_all, fields(module = %identity.module))]
    fn start(
        identity: ModuleIdentity,
        signer: Signer,
        ca_pem: &str,
        options: ClientOptions,
    ) -> Result<Self, BuildError> {
        let ClientOptions {
            port,
            keep_alive,
            sas_ttl,
            sas_renew_fraction,
            reconnect,
            retry,
            connect_timeout,
            validate_reported,
            product_info,
        } = options;
        // The client's tasks need a tokio runtime; say so instead of panicking in `spawn`.
        tokio::runtime::Handle::try_current().map_err(BuildError::NoRuntime)?;
        let tls = crate::tls::client_config(ca_pem)?;
        let mut mqtt_options =
            MqttOptions::new(identity.client_id(), identity.gateway_host.clone(), port);
        mqtt_options
            .set_transport(Transport::Tls(TlsConfiguration::Rustls(tls)))
            .set_keep_alive(keep_alive)
            .set_clean_session(false)
            .set_max_packet_size(MAX_PACKET_BYTES, MAX_PACKET_BYTES);
        let (mqtt, mut eventloop) =
            rumqttc::AsyncClient::new(mqtt_options, REQUEST_CHANNEL_CAPACITY);
        eventloop
            .network_options
            .set_connection_timeout(connect_timeout.as_secs().max(1));
        // A PUBACK and the reported patch that follows it are small writes back to back:
        // without this, Nagle's algorithm holds the patch until edgeHub acknowledges the
        // PUBACK, and its delayed ACK makes that up to 40 ms.
        eventloop.network_options.set_tcp_nodelay(true);
        tracing::info!(host = %identity.gateway_host, port = port, "starting module client");

        let shutdown = CancellationToken::new();
        let (link_tx, link_rx) = mpsc::unbounded_channel();
        let (command_tx, command_rx) = mpsc::unbounded_channel();
        let (state_tx, state_rx) = watch::channel(ConnectionState::Connecting);
        let methods: SharedMethods = Arc::new(Mutex::new(MethodTable::default()));

        let connection = Connection {
            eventloop,
            mqtt: mqtt.clone(),
            username: identity.username(&product_info),
            identity: identity.clone(),
            signer,
            renewal: RenewalSchedule::new(sas_ttl, sas_renew_fraction),
            reconnect,
            events: link_tx,
            shutdown: shutdown.clone(),
        };
        let session = Session::new(
            retry,
            Box::new(|| {
                // A UUID v4 like the Python SDK's; always a valid request id.
                hub_proto::RequestId::new(uuid::Uuid::new_v4().to_string())
                    .unwrap_or_else(|_| unreachable!("a uuid is a valid request id"))
            }),
            Box::new(rand::random::<f64>),
        );
        let driver = Driver {
            session,
            mqtt,
            module: identity.module.to_string(),
            validate_reported,
            links: link_rx,
            commands: command_rx,
            methods: methods.clone(),
            state: state_tx,
            shutdown: shutdown.clone(),
        };
        let tasks = vec![tokio::spawn(connection.run()), tokio::spawn(driver.run())];
        Ok(Self {
            identity,
            commands: command_tx,
            methods,
            state: state_rx,
            shutdown,
            tasks,
        })
    }

    /// The module identity this client connects as.
    #[must_use]
    pub fn identity(&self) -> &ModuleIdentity {
        &self.identity
    }

    /// The desired-state stream. Each call returns an independent stream that starts with the
    /// full document held (if a twin GET has answered yet).
    #[must_use]
    pub fn desired_stream(&self) -> DesiredStream {
        let (tx, rx) = mpsc::unbounded_channel();
        // If the driver is gone the stream simply ends.
        let _ = self.commands.send(Command::SubscribeDesired(tx));
        DesiredStream { rx }
    }

    /// GETs the whole twin (desired and reported), retrying 429/5xx and timeouts.
    #[instrument(skip_all, fields(module = %self.identity.module))]
    pub async fn get_twin(&self) -> Result<TwinProperties, TwinError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(Command::GetTwin(tx))
            .map_err(|_| TwinError::Closed)?;
        rx.await.map_err(|_| TwinError::Closed)?
    }

    /// Sends a reported-properties patch (`null` deletes a property) and waits for the hub's
    /// 204, retrying 429/5xx and timeouts. A 400 returns the hub's reason.
    #[instrument(skip_all, fields(module = %self.identity.module))]
    pub async fn update_reported(&self, patch: Value) -> Result<(), ReportedError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(Command::UpdateReported(patch, tx))
            .map_err(|_| ReportedError::Closed)?;
        rx.await.map_err(|_| ReportedError::Closed)?
    }

    /// Registers `handler` for the direct method `name`, replacing any previous one.
    pub fn on_method<F, Fut>(&self, name: MethodName, handler: F)
    where
        F: Fn(MethodCall) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = MethodReply> + Send + 'static,
    {
        let handler: crate::client::MethodHandler = Arc::new(move |call| Box::pin(handler(call)));
        self.methods
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_name
            .insert(name, handler);
    }

    /// Registers `handler` for every direct method without a handler of its own. Without it,
    /// such calls are answered with 404.
    pub fn on_any_method<F, Fut>(&self, handler: F)
    where
        F: Fn(MethodCall) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = MethodReply> + Send + 'static,
    {
        let handler: crate::client::MethodHandler = Arc::new(move |call| Box::pin(handler(call)));
        self.methods
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .fallback = Some(handler);
    }

    /// The current connection state.
    #[must_use]
    pub fn connection_state(&self) -> ConnectionState {
        self.state.borrow().clone()
    }

    /// A receiver of connection-state changes (connected / disconnected events).
    #[must_use]
    pub fn watch_connection(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    /// Disconnects cleanly, fails outstanding requests with `Closed` and waits for the
    /// client's tasks to end.
    #[instrument(skip_all, fields(module = %self.identity.module))]
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        for task in self.tasks.drain(..) {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "module client task failed");
            }
        }
    }
}

impl Drop for ModuleClient {
    fn drop(&mut self) {
        // Dropping without `shutdown` still stops the tasks, without waiting for them.
        self.shutdown.cancel();
    }
}
