//! Starting and stopping the simulator: [`EdgeSim::start`] and the [`Running`] handle.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hub_proto::workload::ApiVersion;
use hub_proto::{EdgeEnvironment, MethodName, MethodResponse, ModuleId};
use serde_json::{Map, Value};
use tokio::net::{TcpListener, TcpSocket};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::config::Config;
use crate::faults::Faults;
use crate::fleet::Fleet;
use crate::mqtt::sessions_file::{self, SessionsFileError};
use crate::mqtt::{self, Broker, InvokeError, MqttContext};
use crate::service_api::throttle::{RateLimit, Throttle};
use crate::service_api::{self, ServiceContext};
use crate::state::{
    IOTHUBOWNER, State, StateError, StateOptions, TwinRecord, TwinUpdate, UpdateError,
};
use crate::tls::{DevPki, TlsError};
use crate::workload;

/// The directory under the state directory holding the dev PKI.
pub const CERTS_DIR: &str = "certs";

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The state directory could not be created.
    #[error("cannot create state directory {path}")]
    StateDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The persisted state could not be loaded or created.
    #[error("cannot open the simulator state")]
    State(#[from] StateError),
    /// The persisted MQTT sessions could not be loaded.
    #[error("cannot restore the persistent mqtt sessions")]
    Sessions(#[from] SessionsFileError),
    /// The dev PKI could not be loaded or created.
    #[error("cannot set up the dev pki")]
    Tls(#[from] TlsError),
    /// The fleet could not be started.
    #[error("cannot start the fleet")]
    Fleet(#[from] crate::fleet::FleetError),
    /// A workload socket could not be bound.
    #[error("cannot serve the workload api")]
    Workload(#[from] workload::BindError),
    /// A port could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Why a module-level request of the library API failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModuleError {
    /// The module identity does not exist.
    #[error("module {0} does not exist")]
    NotFound(String),
    /// The id is not a valid module id.
    #[error("invalid module id {0:?}")]
    InvalidId(String),
    /// The twin update was refused.
    #[error("twin update refused")]
    Update(#[from] UpdateError),
    /// The desired patch is not a JSON object.
    #[error("desired patch is not a json object")]
    NotAnObject,
    /// Keys could not be generated.
    #[error("cannot create the module identity")]
    Create,
}

/// The simulator's entry point.
#[derive(Debug)]
pub struct EdgeSim;

impl EdgeSim {
    /// Loads or creates the state in `config.state_dir`, binds the MQTT and service API ports
    /// (0 = free port) and serves until `shutdown` is cancelled or [`Running::shutdown`] is
    /// called.
    #[allow(
        clippy::unused_async,
        reason = "the listeners register with the reactor of the runtime that polls start: as an async fn it runs only inside one"
    )]
    pub async fn start(
        mut config: Config,
        shutdown: CancellationToken,
    ) -> Result<Running, StartError> {
        let state_dir = create_state_dir(&config.state_dir)?;
        config.state_dir.clone_from(&state_dir);
        let state = Arc::new(State::open(
            &state_dir,
            &StateOptions {
                hub_host: config.hub_host.clone(),
                device_id: config.device_id.clone(),
                modules: config.modules.clone(),
            },
        )?);
        let pki = Arc::new(DevPki::load_or_create(
            &state_dir.join(CERTS_DIR),
            &config.certificate_names(),
        )?);
        let fleet = start_fleet(&config, &state_dir).await?;
        let mqtt_listener = bind(SocketAddr::new(config.bind, config.mqtt_port))?;
        let api_listener = bind(SocketAddr::new(config.bind, config.api_port))?;
        let mqtt_port = local_port(&mqtt_listener);
        let api_port = local_port(&api_listener);

        // Persistent sessions of the previous run: a module reconnecting after a restart gets
        // session_present = 1 and keeps its subscriptions (docs/reference/iot-edge.md §0.3).
        let broker = Arc::new(Broker::with_sessions(sessions_file::load(&state_dir)?));
        let faults = Faults::new(broker.clone());
        let shutdown = shutdown.child_token();
        let mut tasks = JoinSet::new();

        let mut gateway_hosts = config.certificate_names();
        gateway_hosts.retain(|h| !h.is_empty());
        let mqtt_ctx = Arc::new(MqttContext {
            state: state.clone(),
            broker: broker.clone(),
            faults: faults.clone(),
            acceptor: pki.acceptor()?,
            gateway_hosts,
        });
        tasks.spawn(mqtt::serve(mqtt_listener, mqtt_ctx, shutdown.clone()));

        let mut api_hosts = vec![state.hub_host()];
        for name in config.certificate_names() {
            api_hosts.push(format!("{name}:{api_port}"));
            api_hosts.push(name);
        }
        let throttle = Arc::new(Throttle::new(config.rate_limit));
        let fleet = fleet.map(|(_, modules)| modules.spawn(&mut tasks, &shutdown));
        let service_ctx = ServiceContext {
            state: state.clone(),
            broker: broker.clone(),
            hosts: api_hosts,
            faults: faults.clone(),
            fleet: fleet.clone(),
            throttle: throttle.clone(),
        };
        tasks.spawn(service_api::serve(
            api_listener,
            pki.acceptor()?,
            service_ctx,
            shutdown.clone(),
        ));
        // Every existing module's workload socket is listening when `start` returns.
        let sockets = Arc::new(workload::Sockets::new(
            &state_dir,
            state.clone(),
            pki.clone(),
            shutdown.clone(),
        )?);
        sockets.ensure_all()?;
        tasks.spawn(workload::serve(sockets.clone(), shutdown.clone()));
        tasks.spawn(persist(state.clone(), shutdown.clone()));
        tasks.spawn(persist_sessions(
            broker.clone(),
            state_dir.clone(),
            shutdown.clone(),
        ));
        info!(
            mqtt_port,
            api_port,
            hub = %state.hub_host(),
            device = %state.device().device_id,
            fleet_devices = config.fleet.as_ref().map_or(0, |f| f.devices),
            state = %state_dir.display(),
            "edge-sim running"
        );
        let host = ModuleHost {
            config: config.clone(),
            state: state.clone(),
            sockets,
            mqtt_port,
        };
        Ok(Running {
            config,
            state,
            pki,
            host,
            broker,
            faults,
            fleet,
            throttle,
            mqtt_port,
            api_port,
            shutdown,
            tasks,
        })
    }
}

/// Creates the fleet's stores and twin table (blocking work, on a blocking thread), when the
/// configuration has a fleet.
async fn start_fleet(
    config: &Config,
    state_dir: &Path,
) -> Result<Option<(Arc<Fleet>, crate::fleet::FleetTasks)>, StartError> {
    let Some(fleet_config) = config.fleet.clone() else {
        return Ok(None);
    };
    let dir = state_dir.to_owned();
    let edge_device = config.device_id.to_string();
    let started =
        tokio::task::spawn_blocking(move || Fleet::start(&fleet_config, &edge_device, &dir))
            .await
            .map_err(|e| crate::fleet::FleetError::Store {
                device: String::new(),
                module: String::new(),
                path: state_dir.join(crate::fleet::FLEET_DIR),
                source: Box::new(std::io::Error::other(e.to_string())),
            })??;
    Ok(Some(started))
}

/// Creates the state directory (owner-only: it holds identity and policy keys, like a PKI
/// store) and returns it absolute, so that `IOTEDGE_WORKLOADURI` and socket paths work from
/// any directory.
fn create_state_dir(dir: &Path) -> Result<PathBuf, StartError> {
    let error = |source| StartError::StateDir {
        path: dir.to_owned(),
        source,
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(error)?;
    std::fs::canonicalize(dir).map_err(error)
}

/// Connections a listener queues before they are accepted. A fleet reconnects at once (every
/// module after an edgeHub restart, 200 concurrent service calls from `opc-vault`); tokio's
/// `TcpListener::bind` queues 128, and once the queue is full the kernel drops the next SYN,
/// which the client sends again only after a second (benchmark P6 measured 1.06 s instead of
/// 0.3 s for 200 `PATCH`es whenever it happened). The kernel caps it at `net.core.somaxconn`.
const LISTEN_BACKLOG: u32 = 1024;

/// A TCP listener on `addr` with [`LISTEN_BACKLOG`] (and `SO_REUSEADDR`, as tokio's `bind`).
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()
    } else {
        TcpSocket::new_v6()
    }?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    listen(addr).map_err(|source| StartError::Bind { addr, source })
}

fn local_port(listener: &TcpListener) -> u16 {
    listener.local_addr().map_or(0, |a| a.port())
}

/// Saves the state whenever it changed, and once more at shutdown.
async fn persist(state: Arc<State>, shutdown: CancellationToken) {
    let mut dirty = state.watch_dirty();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            changed = dirty.changed() => {
                if changed.is_err() {
                    break;
                }
                save(&state).await;
            }
        }
    }
    save(&state).await;
}

/// Saves the persistent MQTT sessions whenever they changed, and once more at shutdown.
async fn persist_sessions(broker: Arc<Broker>, state_dir: PathBuf, shutdown: CancellationToken) {
    let mut changed = broker.watch_sessions();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            result = changed.changed() => {
                if result.is_err() {
                    break;
                }
                save_sessions(&broker, &state_dir).await;
            }
        }
    }
    save_sessions(&broker, &state_dir).await;
}

async fn save_sessions(broker: &Arc<Broker>, state_dir: &Path) {
    let sessions = broker.persisted_sessions();
    let dir = state_dir.to_owned();
    match tokio::task::spawn_blocking(move || sessions_file::save(&dir, &sessions)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => warn!(error = %e, "cannot save the mqtt sessions"),
        Err(e) => warn!(error = %e, "session save task failed"),
    }
}

async fn save(state: &Arc<State>) {
    let state = state.clone();
    match tokio::task::spawn_blocking(move || state.save()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => warn!(error = %e, "cannot save the state"),
        Err(e) => warn!(error = %e, "state save task failed"),
    }
}

/// A running simulator: ports, credentials, direct twin access and fault injection.
///
/// Dropping it stops the servers (their tasks are aborted); [`Running::shutdown`] stops them
/// gracefully and saves the state.
#[derive(Debug)]
pub struct Running {
    config: Config,
    state: Arc<State>,
    pki: Arc<DevPki>,
    host: ModuleHost,
    broker: Arc<Broker>,
    faults: Faults,
    fleet: Option<Arc<Fleet>>,
    throttle: Arc<Throttle>,
    mqtt_port: u16,
    api_port: u16,
    shutdown: CancellationToken,
    tasks: JoinSet<()>,
}

impl Running {
    /// The bound MQTT port.
    #[must_use]
    pub fn mqtt_port(&self) -> u16 {
        self.mqtt_port
    }

    /// The bound service API port.
    #[must_use]
    pub fn api_port(&self) -> u16 {
        self.api_port
    }

    /// The dev CA certificate, PEM (the trust bundle and `server_verification_cert`).
    #[must_use]
    pub fn ca_pem(&self) -> &str {
        self.pki.ca_pem()
    }

    /// The dev CA certificate file (`EdgeModuleCACertificateFile`, `REQUESTS_CA_BUNDLE`).
    #[must_use]
    pub fn ca_path(&self) -> PathBuf {
        self.pki.ca_path()
    }

    /// The IoT Hub host name.
    #[must_use]
    pub fn hub_host(&self) -> String {
        self.state.hub_host()
    }

    /// The gateway host name modules connect to.
    #[must_use]
    pub fn gateway_host(&self) -> &str {
        &self.config.gateway_host
    }

    /// The edge device id.
    #[must_use]
    pub fn device_id(&self) -> String {
        self.state.device().device_id.to_string()
    }

    /// The state directory.
    #[must_use]
    pub fn state_dir(&self) -> &Path {
        &self.config.state_dir
    }

    /// The shared state (identities and twins).
    #[must_use]
    pub fn state(&self) -> &Arc<State> {
        &self.state
    }

    /// The connection registry (direct methods).
    pub(crate) fn broker(&self) -> &Arc<Broker> {
        &self.broker
    }

    /// The fault-injection handle.
    #[must_use]
    pub fn faults(&self) -> Faults {
        self.faults.clone()
    }

    /// The fleet devices (their twins, online/offline, configurations), when configured.
    #[must_use]
    pub fn fleet(&self) -> Option<&Arc<Fleet>> {
        self.fleet.as_ref()
    }

    /// Sets (or with `None` removes) the service API's rate limit; the bucket starts full.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.throttle.set(limit);
    }

    /// How many service API requests the rate limit answered with 429 since the start.
    #[must_use]
    pub fn throttled_requests(&self) -> u64 {
        self.throttle.throttled()
    }

    /// How many service API requests were admitted (served) since the start.
    #[must_use]
    pub fn admitted_requests(&self) -> u64 {
        self.throttle.admitted()
    }

    fn module_id(module: &str) -> Result<ModuleId, ModuleError> {
        ModuleId::new(module).map_err(|_| ModuleError::InvalidId(module.to_owned()))
    }

    fn identity(&self, module: &str) -> Result<crate::state::ModuleIdentity, ModuleError> {
        self.state
            .module(&Self::module_id(module)?)
            .ok_or_else(|| ModuleError::NotFound(module.to_owned()))
    }

    /// Creates a module identity if it does not exist; its workload socket is listening when
    /// this returns.
    pub fn add_module(&self, module: &str) -> Result<(), ModuleError> {
        self.host.add_module(module)
    }

    /// What the agent needs to create modules and their environment, outliving `&self`.
    pub(crate) fn module_host(&self) -> ModuleHost {
        self.host.clone()
    }

    /// The module's connection string, iotedgehubdev style:
    /// `HostName=…;DeviceId=…;ModuleId=…;SharedAccessKey=…;GatewayHostName=…`.
    pub fn module_connection_string(&self, module: &str) -> Result<String, ModuleError> {
        let identity = self.identity(module)?;
        Ok(format!(
            "HostName={};DeviceId={};ModuleId={};SharedAccessKey={};GatewayHostName={}",
            self.hub_host(),
            identity.device_id,
            identity.module_id,
            identity.keys.primary_key,
            self.config.gateway_host
        ))
    }

    /// The module's workload socket.
    pub fn workload_socket(&self, module: &str) -> Result<PathBuf, ModuleError> {
        let identity = self.identity(module)?;
        Ok(workload::socket_path(
            &self.config.state_dir,
            &identity.module_id,
        ))
    }

    /// The `IOTEDGE_*` environment edgeAgent would give the module (docs/reference/iot-edge.md
    /// §2.1).
    pub fn edge_env(&self, module: &str) -> Result<BTreeMap<String, String>, ModuleError> {
        self.host.edge_env(module)
    }

    /// The service connection string for the Azure SDKs and tools:
    /// `HostName=localhost:<api port>;SharedAccessKeyName=iothubowner;SharedAccessKey=…`.
    #[must_use]
    pub fn service_connection_string(&self) -> String {
        format!(
            "HostName={}:{};SharedAccessKeyName={IOTHUBOWNER};SharedAccessKey={}",
            self.config.gateway_host,
            self.api_port,
            self.state.policy().keys.primary_key
        )
    }

    /// A copy of the module's twin.
    pub fn twin(&self, module: &str) -> Result<TwinRecord, ModuleError> {
        self.state
            .twin(&Self::module_id(module)?)
            .ok_or_else(|| ModuleError::NotFound(module.to_owned()))
    }

    /// Merges `patch` (a JSON object; `null` deletes) into the module's desired properties
    /// and notifies the module, like a service PATCH without `If-Match`.
    pub fn patch_desired(&self, module: &str, patch: Value) -> Result<TwinRecord, ModuleError> {
        let Value::Object(patch) = patch else {
            return Err(ModuleError::NotAnObject);
        };
        let update = TwinUpdate {
            desired: Some(patch),
            tags: None,
        };
        Ok(self
            .state
            .update_twin(&Self::module_id(module)?, &update, false, None)?)
    }

    /// Replaces the module's desired properties.
    pub fn replace_desired(
        &self,
        module: &str,
        desired: Map<String, Value>,
    ) -> Result<TwinRecord, ModuleError> {
        let update = TwinUpdate {
            desired: Some(desired),
            tags: None,
        };
        Ok(self
            .state
            .update_twin(&Self::module_id(module)?, &update, true, None)?)
    }

    /// Whether the module has a live MQTT connection.
    #[must_use]
    pub fn is_connected(&self, module: &str) -> bool {
        ModuleId::new(module).is_ok_and(|m| self.broker.is_connected(&m))
    }

    /// How many of the module's connections ended with an MQTT DISCONNECT (a clean close)
    /// since the simulator started.
    #[must_use]
    pub fn clean_disconnects(&self, module: &str) -> u64 {
        ModuleId::new(module).map_or(0, |m| self.broker.clean_disconnects(&m))
    }

    /// Calls a direct method on the module and waits up to `timeout` for the answer.
    pub async fn invoke_method(
        &self,
        module: &str,
        method: &str,
        payload: Value,
        timeout: Duration,
    ) -> Result<MethodResponse, InvokeError> {
        let module =
            ModuleId::new(module).map_err(|e| InvokeError::InvalidRequest(e.to_string()))?;
        let name =
            MethodName::new(method).map_err(|e| InvokeError::InvalidRequest(e.to_string()))?;
        self.broker
            .invoke_method(&module, name, payload, timeout)
            .await
    }

    /// Waits until every server task has ended (after `shutdown` was cancelled).
    pub async fn wait(mut self) {
        while self.tasks.join_next().await.is_some() {}
    }

    /// Stops the servers gracefully, waits for them and saves the state.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        while self.tasks.join_next().await.is_some() {}
    }
}

/// Module identities, workload sockets and the module environment, shared by [`Running`]
/// and the agent's tasks.
#[derive(Debug, Clone)]
pub(crate) struct ModuleHost {
    config: Config,
    state: Arc<State>,
    sockets: Arc<workload::Sockets>,
    mqtt_port: u16,
}

impl ModuleHost {
    /// The bound MQTT port.
    pub(crate) fn mqtt_port(&self) -> u16 {
        self.mqtt_port
    }

    /// The state directory.
    pub(crate) fn state_dir(&self) -> &Path {
        &self.config.state_dir
    }

    /// The shared state.
    pub(crate) fn state(&self) -> &Arc<State> {
        &self.state
    }

    /// Creates a module identity if missing and binds its workload socket.
    pub(crate) fn add_module(&self, module: &str) -> Result<(), ModuleError> {
        let id = Running::module_id(module)?;
        self.state
            .ensure_module(&id)
            .map_err(|_| ModuleError::Create)?;
        self.sockets.ensure(&id).map_err(|_| ModuleError::Create)?;
        Ok(())
    }

    /// The `IOTEDGE_*` environment edgeAgent would give the module (docs/reference/iot-edge.md
    /// §2.1).
    pub(crate) fn edge_env(&self, module: &str) -> Result<BTreeMap<String, String>, ModuleError> {
        let id = Running::module_id(module)?;
        let identity = self
            .state
            .module(&id)
            .ok_or_else(|| ModuleError::NotFound(module.to_owned()))?;
        let socket = workload::socket_path(&self.config.state_dir, &identity.module_id);
        let env = EdgeEnvironment {
            iothub_hostname: self.state.hub_host(),
            gateway_hostname: self.config.gateway_host.clone(),
            device_id: identity.device_id,
            module_id: identity.module_id,
            generation_id: identity.generation_id,
            workload_uri: format!("unix://{}", socket.display()),
            api_version: ApiVersion::CURRENT,
            auth_scheme: None,
            parent_hostname: None,
        };
        Ok(env
            .to_vars()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_listener_queues_a_fleet_of_connections_before_any_is_accepted() {
        let listener = listen(SocketAddr::from(([127, 0, 0, 1], 0))).expect("listens");
        let addr = listener.local_addr().expect("bound");
        // Nobody accepts: every connection waits in the listener's queue. One the kernel does
        // not queue gets no SYN-ACK, and its SYN is sent again only a second later, well past
        // this timeout (with tokio's default queue of 128, connection 129 fails here).
        let streams: Vec<std::net::TcpStream> = (0..300)
            .map(|i| {
                std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500))
                    .unwrap_or_else(|e| panic!("connection {i} was not queued: {e}"))
            })
            .collect();
        assert_eq!(streams.len(), 300);
    }
}
