//! What the MQTT connections share: who is connected, their sessions and the direct-method
//! calls waiting for an answer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use hub_proto::{MethodName, MethodRequest, MethodResponse, ModuleId, RequestId, Subscription};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, watch};

use super::session::Sessions;

/// Something a connection task is asked to do by another task.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Publish at `QoS` 1 (not durable: kept in the session only until the process ends).
    Publish {
        /// Topic name.
        topic: String,
        /// Payload.
        payload: Vec<u8>,
    },
    /// Close the connection now (a newer connection of the identity, or fault injection).
    Close,
}

/// How to reach a live connection.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionHandle {
    pub(crate) id: u64,
    pub(crate) client_id: String,
    pub(crate) tx: mpsc::UnboundedSender<Outbound>,
}

/// Why a direct method did not produce a module response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvokeError {
    /// The module has no connection, or has not subscribed to methods (IoT Hub's 404).
    #[error("module {0} is not connected or does not handle methods")]
    NotConnected(ModuleId),
    /// The module id or method name is invalid.
    #[error("invalid method call: {0}")]
    InvalidRequest(String),
    /// The module did not answer in time (edgeHub's 504).
    #[error("module did not answer within {0:?}")]
    Timeout(Duration),
}

/// A direct-method call for a module served inside the simulator (`$edgeAgent`).
#[derive(Debug)]
pub struct LocalCall {
    /// The method name.
    pub name: MethodName,
    /// The request payload.
    pub payload: Value,
    /// Where to send `(status, payload)`.
    pub reply: oneshot::Sender<(i32, Value)>,
}

/// The connection registry, sessions and pending method calls.
#[derive(Debug)]
pub struct Broker {
    connections: Mutex<HashMap<ModuleId, ConnectionHandle>>,
    local: Mutex<HashMap<ModuleId, mpsc::UnboundedSender<LocalCall>>>,
    sessions: Mutex<Sessions>,
    /// The sessions' revision, for the task that persists them.
    sessions_changed: watch::Sender<u64>,
    pending: Mutex<HashMap<String, oneshot::Sender<MethodResponse>>>,
    next_id: AtomicU64,
    /// DISCONNECT packets received per module (clean closes, MQTT 3.1.1 §3.14).
    disconnects: Mutex<HashMap<ModuleId, u64>>,
    /// Authenticated connections per module since the simulator started.
    connects: Mutex<HashMap<ModuleId, u64>>,
}

impl Default for Broker {
    fn default() -> Self {
        Self::with_sessions(Sessions::new())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Broker {
    /// An empty broker.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A broker that resumes `sessions` (restored from the state directory).
    #[must_use]
    pub fn with_sessions(sessions: Sessions) -> Self {
        let (sessions_changed, _) = watch::channel(sessions.revision());
        Self {
            connections: Mutex::default(),
            local: Mutex::default(),
            sessions: Mutex::new(sessions),
            sessions_changed,
            pending: Mutex::default(),
            next_id: AtomicU64::default(),
            disconnects: Mutex::default(),
            connects: Mutex::default(),
        }
    }

    pub(crate) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Runs `f` on the sessions; a change of their persisted form wakes
    /// [`Broker::watch_sessions`].
    pub(crate) fn sessions<T>(&self, f: impl FnOnce(&mut Sessions) -> T) -> T {
        let mut sessions = lock(&self.sessions);
        let before = sessions.revision();
        let result = f(&mut sessions);
        let after = sessions.revision();
        drop(sessions);
        if after != before {
            self.sessions_changed.send_replace(after);
        }
        result
    }

    /// A receiver that changes whenever the persistent sessions need saving.
    #[must_use]
    pub fn watch_sessions(&self) -> watch::Receiver<u64> {
        self.sessions_changed.subscribe()
    }

    /// The persistent sessions as saved in `sessions.json`.
    #[must_use]
    pub fn persisted_sessions(&self) -> super::session::PersistedSessions {
        lock(&self.sessions).to_persisted()
    }

    /// Registers a connection; a previous connection of the same module is told to close
    /// (IoT Hub allows one connection per identity, docs/reference/iot-edge.md §1.1).
    pub(crate) fn register(&self, module: &ModuleId, handle: ConnectionHandle) {
        *lock(&self.connects).entry(module.clone()).or_default() += 1;
        if let Some(old) = lock(&self.connections).insert(module.clone(), handle) {
            let _ = old.tx.send(Outbound::Close);
        }
    }

    /// Forgets connection `id` if it is still the module's current one.
    pub(crate) fn unregister(&self, module: &ModuleId, id: u64) {
        let mut connections = lock(&self.connections);
        if connections.get(module).is_some_and(|h| h.id == id) {
            connections.remove(module);
        }
    }

    /// Counts a DISCONNECT packet of `module`.
    pub(crate) fn record_disconnect(&self, module: &ModuleId) {
        *lock(&self.disconnects).entry(module.clone()).or_default() += 1;
    }

    /// How many connections of `module` ended with a DISCONNECT packet (a clean close) since
    /// the simulator started; connections that just dropped do not count.
    #[must_use]
    pub fn clean_disconnects(&self, module: &ModuleId) -> u64 {
        lock(&self.disconnects).get(module).copied().unwrap_or(0)
    }

    /// How many authenticated connections `module` opened since the simulator started.
    #[must_use]
    pub fn connects(&self, module: &ModuleId) -> u64 {
        lock(&self.connects).get(module).copied().unwrap_or(0)
    }

    /// Whether the module has a live connection.
    #[must_use]
    pub fn is_connected(&self, module: &ModuleId) -> bool {
        lock(&self.connections).contains_key(module)
    }

    /// Closes the module's connection; `false` when it had none.
    pub fn drop_connection(&self, module: &ModuleId) -> bool {
        lock(&self.connections)
            .get(module)
            .is_some_and(|h| h.tx.send(Outbound::Close).is_ok())
    }

    /// Serves `module`'s direct methods inside the simulator: calls arrive on `handler`
    /// instead of going over MQTT (edge-sim's `$edgeAgent`).
    pub fn serve_locally(&self, module: &ModuleId, handler: mpsc::UnboundedSender<LocalCall>) {
        lock(&self.local).insert(module.clone(), handler);
    }

    /// Stops serving `module`'s methods locally.
    pub fn stop_serving_locally(&self, module: &ModuleId) {
        lock(&self.local).remove(module);
    }

    /// Calls a direct method on a connected module and waits up to `timeout` for its answer.
    pub async fn invoke_method(
        &self,
        module: &ModuleId,
        name: MethodName,
        payload: Value,
        timeout: Duration,
    ) -> Result<MethodResponse, InvokeError> {
        let not_connected = || InvokeError::NotConnected(module.clone());
        let local = lock(&self.local).get(module).cloned();
        if let Some(handler) = local {
            let rid = RequestId::new(self.next_id().to_string()).map_err(|_| not_connected())?;
            let (reply, rx) = oneshot::channel();
            handler
                .send(LocalCall {
                    name,
                    payload,
                    reply,
                })
                .map_err(|_| not_connected())?;
            return match tokio::time::timeout(timeout, rx).await {
                Ok(Ok((status, payload))) => Ok(MethodResponse {
                    rid,
                    status,
                    payload,
                }),
                Ok(Err(_)) => Err(not_connected()),
                Err(_) => Err(InvokeError::Timeout(timeout)),
            };
        }
        let handle = lock(&self.connections)
            .get(module)
            .cloned()
            .ok_or_else(not_connected)?;
        if !self.sessions(|s| s.is_subscribed(&handle.client_id, Subscription::Methods)) {
            return Err(not_connected());
        }
        let rid = RequestId::new(self.next_id().to_string()).map_err(|_| not_connected())?;
        let request = MethodRequest {
            name,
            rid: rid.clone(),
            payload,
        };
        let (tx, rx) = oneshot::channel();
        lock(&self.pending).insert(rid.as_str().to_owned(), tx);
        let sent = handle.tx.send(Outbound::Publish {
            topic: request.topic().to_string(),
            payload: request.body(),
        });
        if sent.is_err() {
            lock(&self.pending).remove(rid.as_str());
            return Err(not_connected());
        }
        if let Ok(Ok(response)) = tokio::time::timeout(timeout, rx).await {
            Ok(response)
        } else {
            lock(&self.pending).remove(rid.as_str());
            Err(InvokeError::Timeout(timeout))
        }
    }

    /// Hands a module's method response to the waiting caller; `false` when nobody waits
    /// (late or unknown `$rid`).
    pub(crate) fn complete_method(&self, response: MethodResponse) -> bool {
        lock(&self.pending)
            .remove(response.rid.as_str())
            .is_some_and(|tx| tx.send(response).is_ok())
    }
}
