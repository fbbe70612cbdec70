//! The task that drives the sans-io [`Session`]: link events, caller commands, method
//! handlers and timers in; MQTT requests, desired updates and results out.
//!
//! The session's clock is tokio's ([`now`]): the instants it is given and the timers it asks
//! for come from the same clock, so a test on a runtime with paused time (`start_paused`)
//! drives response timeouts and backoff delays without waiting for them (`driver_tests.rs`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use hub_proto::MethodName;
use hub_proto::method::MethodRequest;
use hub_proto::twin::TwinProperties;
use rumqttc::QoS;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;

use crate::client::{ConnectionState, MethodCall, MethodHandler, MethodReply};
use crate::connection::LinkEvent;
use crate::core::session::{DesiredUpdate, OpId, Output, Session};
use crate::error::{ReportedError, TwinError};

/// A caller's request to the driver.
pub(crate) enum Command {
    GetTwin(oneshot::Sender<Result<TwinProperties, TwinError>>),
    UpdateReported(Value, oneshot::Sender<Result<(), ReportedError>>),
    SubscribeDesired(mpsc::UnboundedSender<DesiredUpdate>),
}

/// Registered direct-method handlers, shared with the client handle.
#[derive(Default)]
pub(crate) struct MethodTable {
    pub(crate) by_name: HashMap<MethodName, MethodHandler>,
    pub(crate) fallback: Option<MethodHandler>,
}

pub(crate) type SharedMethods = Arc<Mutex<MethodTable>>;

pub(crate) struct Driver {
    pub(crate) session: Session,
    pub(crate) mqtt: rumqttc::AsyncClient,
    pub(crate) module: String,
    pub(crate) validate_reported: bool,
    pub(crate) links: mpsc::UnboundedReceiver<LinkEvent>,
    pub(crate) commands: mpsc::UnboundedReceiver<Command>,
    pub(crate) methods: SharedMethods,
    pub(crate) state: watch::Sender<ConnectionState>,
    pub(crate) shutdown: CancellationToken,
}

enum Reply {
    Twin(oneshot::Sender<Result<TwinProperties, TwinError>>),
    Reported(oneshot::Sender<Result<(), ReportedError>>),
}

impl Driver {
    pub(crate) async fn run(self) {
        let span = tracing::info_span!("session", module = %self.module);
        self.run_inner().instrument(span).await;
    }

    async fn run_inner(mut self) {
        let mut replies: HashMap<OpId, Reply> = HashMap::new();
        let mut desired_subscribers: Vec<mpsc::UnboundedSender<DesiredUpdate>> = Vec::new();
        let mut handlers = Handlers::default();
        let mut next_op: OpId = 0;
        let mut connections: u64 = 0;
        loop {
            let timer = self.session.poll_timeout();
            tokio::select! {
                biased;
                () = self.shutdown.cancelled() => break,
                link = self.links.recv() => match link {
                    Some(LinkEvent::Connected { session_present }) => {
                        connections += 1;
                        tracing::debug!(connection = connections, session_present, "session connected");
                        self.state.send_replace(ConnectionState::Connected { connection: connections });
                        self.session.handle_connected(now());
                    }
                    Some(LinkEvent::Publish { topic, payload }) => {
                        self.session.handle_publish(&topic, &payload, now());
                    }
                    Some(LinkEvent::Disconnected { reason }) => {
                        self.state.send_replace(ConnectionState::Disconnected { reason });
                        self.session.handle_disconnected();
                    }
                    None => break,
                },
                command = self.commands.recv() => match command {
                    Some(Command::GetTwin(reply)) => {
                        next_op += 1;
                        replies.insert(next_op, Reply::Twin(reply));
                        self.session.get_twin(next_op, now());
                    }
                    Some(Command::UpdateReported(patch, reply)) => {
                        next_op += 1;
                        replies.insert(next_op, Reply::Reported(reply));
                        self.session.update_reported(next_op, &patch, self.validate_reported, now());
                    }
                    Some(Command::SubscribeDesired(tx)) => {
                        // A late subscriber starts from the full document held, if any.
                        if let Some(document) = self.session.desired_document() {
                            let _ = tx.send(DesiredUpdate {
                                full: true,
                                version: hub_proto::TwinVersion::of(document),
                                patch: None,
                                document: document.clone(),
                            });
                        }
                        desired_subscribers.push(tx);
                    }
                    // Every client handle is gone: nobody can observe anything any more.
                    None => break,
                },
                Some(done) = handlers.tasks.join_next_with_id(), if !handlers.tasks.is_empty() => {
                    let (id, reply) = match done {
                        Ok((id, reply)) => (id, reply),
                        Err(e) => {
                            tracing::error!(error = %e, "direct method handler failed");
                            let failed = MethodReply::new(500, serde_json::json!({ "message": "method handler failed" }));
                            (e.id(), failed)
                        }
                    };
                    if let Some(request) = handlers.requests.remove(&id) {
                        let response = request.respond(reply.status, reply.payload);
                        if !self.session.method_response(&response) {
                            tracing::warn!(rid = %response.rid, "dropping a method response: not connected");
                        }
                    }
                }
                () = sleep_until_std(timer), if timer.is_some() => {
                    self.session.handle_timeout(now());
                }
            }
            self.flush(&mut replies, &mut desired_subscribers, &mut handlers);
        }
        self.session.close();
        self.flush(&mut replies, &mut desired_subscribers, &mut handlers);
        handlers.tasks.shutdown().await;
        self.state.send_replace(ConnectionState::Closed);
    }

    fn flush(
        &mut self,
        replies: &mut HashMap<OpId, Reply>,
        desired_subscribers: &mut Vec<mpsc::UnboundedSender<DesiredUpdate>>,
        handlers: &mut Handlers,
    ) {
        while let Some(output) = self.session.poll_output() {
            match output {
                Output::Subscribe(filters) => {
                    let subscriptions = filters
                        .iter()
                        .map(|f| rumqttc::SubscribeFilter::new((*f).to_owned(), QoS::AtLeastOnce));
                    if let Err(e) = self.mqtt.try_subscribe_many(subscriptions) {
                        tracing::warn!(error = %e, "cannot queue the subscriptions");
                    }
                }
                Output::Publish { topic, payload } => {
                    if let Err(e) = self
                        .mqtt
                        .try_publish(topic, QoS::AtLeastOnce, false, payload)
                    {
                        // The request times out and is retried by the session.
                        tracing::warn!(error = %e, "cannot queue a publish");
                    }
                }
                Output::Desired(update) => {
                    desired_subscribers.retain(|tx| tx.send(update.clone()).is_ok());
                }
                Output::Method(request) => self.dispatch(request, handlers),
                Output::TwinDone { op, result } => {
                    if let Some(Reply::Twin(tx)) = replies.remove(&op) {
                        let _ = tx.send(result);
                    }
                }
                Output::ReportedDone { op, result } => {
                    if let Some(Reply::Reported(tx)) = replies.remove(&op) {
                        let _ = tx.send(result);
                    }
                }
            }
        }
    }

    fn dispatch(&mut self, request: MethodRequest, handlers: &mut Handlers) {
        let handler = {
            let table = self.methods.lock().unwrap_or_else(PoisonError::into_inner);
            table
                .by_name
                .get(&request.name)
                .or(table.fallback.as_ref())
                .cloned()
        };
        let Some(handler) = handler else {
            tracing::warn!(method = %request.name, "no handler for direct method");
            let response = request.respond(
                hub_proto::method::STATUS_NOT_FOUND,
                serde_json::json!({ "message": format!("method {} is not implemented", request.name) }),
            );
            self.session.method_response(&response);
            return;
        };
        let call = MethodCall {
            name: request.name.clone(),
            payload: request.payload.clone(),
        };
        // A panicking handler ends its task with an error that still carries the task id, so
        // the caller gets a 500 rather than a 504.
        let task = handlers.tasks.spawn(handler(call));
        handlers.requests.insert(task.id(), request);
    }
}

/// Running method handlers and the requests they answer.
#[derive(Default)]
struct Handlers {
    tasks: JoinSet<MethodReply>,
    requests: HashMap<tokio::task::Id, MethodRequest>,
}

/// The session's "now": tokio's clock (paused and advanced by tests), as the `std` instant the
/// session takes.
fn now() -> std::time::Instant {
    Instant::now().into_std()
}

async fn sleep_until_std(at: Option<std::time::Instant>) {
    if let Some(at) = at {
        tokio::time::sleep_until(Instant::from_std(at)).await;
    }
}

#[cfg(test)]
#[path = "driver_tests.rs"]
mod driver_tests;
