//! The module side of the twin and method protocol as a state machine, without I/O.
//!
//! Driving contract (quinn style): the driver feeds inputs with `handle_*` and the request
//! methods, then drains [`Session::poll_output`] until it yields `None`, and wakes the session
//! at [`Session::poll_timeout`] with [`Session::handle_timeout`]. Time is an argument.
//!
//! What it decides (docs/reference/iot-edge.md §0, §1.4–1.9):
//! - after every CONNACK: SUBSCRIBE the three `$iothub` filters (rumqttc does not re-subscribe
//!   and a hub may not have kept the session), GET the twin, and resend requests that were in
//!   flight when the connection dropped, under fresh `$rid`s;
//! - twin responses are matched to requests by `$rid` (unknown `$rid`s are ignored);
//! - 2xx completes a request, 429 and 5xx (and a missing response) are retried with backoff up
//!   to a bound, any other status fails it with the hub's reason;
//! - desired notifications that arrive between CONNACK and the twin GET's answer are held back
//!   and applied only if newer than the GET's `$version`; afterwards stale ones are dropped.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use hub_proto::method::{MethodRequest, MethodResponse};
use hub_proto::topic::{DESIRED_PATCHES_FILTER, METHOD_REQUESTS_FILTER, TWIN_RESPONSES_FILTER};
use hub_proto::twin::{PatchOutcome, TwinProperties};
use hub_proto::{DesiredState, RequestId, Topic, TwinVersion};
use serde_json::{Map, Value};

use super::backoff::Backoff;
use crate::error::{AttemptFailure, ReportedError, TwinError};

/// The filters subscribed after every `CONNACK`, at `QoS` 1 (docs/reference/iot-edge.md §1.4).
pub const SUBSCRIPTIONS: [&str; 3] = [
    DESIRED_PATCHES_FILTER,
    METHOD_REQUESTS_FILTER,
    TWIN_RESPONSES_FILTER,
];

/// Identifies a caller's request so that the driver can route its result.
pub type OpId = u64;

/// How failed twin requests are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delays between attempts.
    pub backoff: Backoff,
    /// Attempts per request, the first included (at least 1).
    pub max_attempts: u32,
    /// How long to wait for a response before counting the attempt as failed.
    pub response_timeout: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 200 ms doubling to 5 s, 30 s per response.
    fn default() -> Self {
        Self {
            backoff: Backoff::new(Duration::from_millis(200), Duration::from_secs(5)),
            max_attempts: 5,
            response_timeout: Duration::from_secs(30),
        }
    }
}

/// One step of the desired-state stream.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredUpdate {
    /// `true` for the full desired document (after each connect), `false` for a patch.
    pub full: bool,
    /// The desired `$version` after this update.
    pub version: Option<TwinVersion>,
    /// The patch as the hub sent it; `None` for a full document.
    pub patch: Option<Map<String, Value>>,
    /// The full desired document after this update, `$version` included.
    pub document: Map<String, Value>,
}

/// What the driver must do next.
#[derive(Debug)]
pub enum Output {
    /// SUBSCRIBE these filters at `QoS` 1.
    Subscribe(&'static [&'static str]),
    /// PUBLISH at `QoS` 1.
    Publish {
        /// The topic name.
        topic: String,
        /// The body.
        payload: Vec<u8>,
    },
    /// Hand an update to the desired-state subscribers.
    Desired(DesiredUpdate),
    /// Run the handler for a direct method and answer with [`Session::method_response`].
    Method(MethodRequest),
    /// A caller's twin GET completed.
    TwinDone {
        /// The caller's request.
        op: OpId,
        /// The twin or why there is none.
        result: Result<TwinProperties, TwinError>,
    },
    /// A caller's reported patch completed.
    ReportedDone {
        /// The caller's request.
        op: OpId,
        /// Whether the hub accepted it.
        result: Result<(), ReportedError>,
    },
}

/// What a response status means for a request (IoT Hub and edgeHub, docs/reference/iot-edge.md
/// §1.5–1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// 2xx: done.
    Success,
    /// 429 or 5xx: try again later.
    Retry,
    /// Anything else: the request itself is wrong.
    Refused,
}

impl StatusClass {
    /// Classifies a twin response status.
    #[must_use]
    pub fn of(status: u16) -> Self {
        match status {
            200..=299 => Self::Success,
            429 | 500..=599 => Self::Retry,
            _ => Self::Refused,
        }
    }
}

/// The reason in a refusal body: edgeHub-style `{"message": …}` (any case), else the text.
#[must_use]
pub fn refusal_reason(body: &[u8]) -> String {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body)
        && let Some(Value::String(message)) = map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("message") || k.eq_ignore_ascii_case("reason"))
            .map(|(_, v)| v)
    {
        return message.clone();
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        "no reason given".to_owned()
    } else {
        text.to_owned()
    }
}

#[derive(Debug)]
enum Kind {
    /// The GET after a CONNACK that re-baselines the desired state; retried without bound.
    ConnectGet,
    /// A caller's GET.
    Get(OpId),
    /// A caller's reported patch, serialized once.
    Reported { op: OpId, body: Vec<u8> },
}

#[derive(Debug)]
enum Stage {
    /// Waiting for a connection.
    Queued,
    /// Published; waiting for the response to `rid`.
    InFlight { rid: RequestId, deadline: Instant },
    /// Backing off after a retryable failure.
    Waiting { until: Instant },
}

#[derive(Debug)]
struct Request {
    kind: Kind,
    stage: Stage,
    /// Attempts that failed in a retryable way.
    failures: u32,
    /// Completed; removed at the end of the current input.
    done: bool,
}

/// The twin and method protocol state of one module client.
pub struct Session {
    retry: RetryPolicy,
    connected: bool,
    desired: DesiredState,
    /// Between a CONNACK and the answer to its twin GET.
    awaiting_baseline: bool,
    held_patches: Vec<(TwinVersion, Map<String, Value>)>,
    requests: Vec<Request>,
    out: VecDeque<Output>,
    next_rid: Box<dyn FnMut() -> RequestId + Send>,
    jitter: Box<dyn FnMut() -> f64 + Send>,
}

impl Session {
    /// A session that draws `$rid`s from `next_rid` and backoff jitter (uniform in `[0, 1)`)
    /// from `jitter`.
    #[must_use]
    pub fn new(
        retry: RetryPolicy,
        next_rid: Box<dyn FnMut() -> RequestId + Send>,
        jitter: Box<dyn FnMut() -> f64 + Send>,
    ) -> Self {
        Self {
            retry: RetryPolicy {
                max_attempts: retry.max_attempts.max(1),
                ..retry
            },
            connected: false,
            desired: DesiredState::new(),
            awaiting_baseline: true,
            held_patches: Vec::new(),
            requests: Vec::new(),
            out: VecDeque::new(),
            next_rid,
            jitter,
        }
    }

    /// Whether the session believes the connection is up.
    #[must_use]
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// The full desired document held, once a twin GET has answered.
    #[must_use]
    pub fn desired_document(&self) -> Option<&Map<String, Value>> {
        self.desired.document()
    }

    /// The next thing the driver must do.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When [`Session::handle_timeout`] must be called next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.requests
            .iter()
            .filter_map(|r| match r.stage {
                Stage::InFlight { deadline, .. } => Some(deadline),
                Stage::Waiting { until } => Some(until),
                Stage::Queued => None,
            })
            .min()
    }

    /// A CONNACK arrived: subscribe, GET the twin, resend what was in flight.
    pub fn handle_connected(&mut self, now: Instant) {
        self.connected = true;
        self.out.push_back(Output::Subscribe(&SUBSCRIPTIONS));
        self.requests
            .retain(|r| !matches!(r.kind, Kind::ConnectGet));
        self.awaiting_baseline = true;
        self.held_patches.clear();
        // The baseline GET goes first: everything else is answered after it.
        self.requests.insert(
            0,
            Request {
                kind: Kind::ConnectGet,
                stage: Stage::Queued,
                failures: 0,
                done: false,
            },
        );
        for i in 0..self.requests.len() {
            if matches!(self.requests[i].stage, Stage::Queued) {
                self.send(i, now);
            }
        }
    }

    /// The connection dropped: requests in flight wait for the next connection.
    pub fn handle_disconnected(&mut self) {
        self.connected = false;
        for r in &mut self.requests {
            if matches!(r.stage, Stage::InFlight { .. }) {
                r.stage = Stage::Queued;
            }
        }
    }

    /// A PUBLISH arrived on `topic`.
    pub fn handle_publish(&mut self, topic: &str, payload: &[u8], now: Instant) {
        match Topic::parse(topic) {
            Ok(Topic::TwinResponse { status, rid, .. }) => {
                self.on_twin_response(status, &rid, payload, now);
            }
            Ok(Topic::DesiredPatch { version }) => self.on_desired_patch(version, payload),
            Ok(Topic::MethodRequest { name, rid }) => {
                match MethodRequest::from_parts(name, rid.clone(), payload) {
                    Ok(request) => self.out.push_back(Output::Method(request)),
                    Err(e) => {
                        tracing::warn!(error = %e, "refusing a direct method with an invalid payload");
                        let body = serde_json::json!({ "message": e.to_string() });
                        let response = MethodResponse {
                            rid,
                            status: 400,
                            payload: body,
                        };
                        self.method_response(&response);
                    }
                }
            }
            Ok(other) => {
                tracing::debug!(topic = %other, "ignoring a publish on an unexpected topic");
            }
            Err(e) => tracing::debug!(topic, error = %e, "ignoring a publish on an unknown topic"),
        }
    }

    /// Wakes the session at or after [`Session::poll_timeout`].
    pub fn handle_timeout(&mut self, now: Instant) {
        for i in 0..self.requests.len() {
            match self.requests[i].stage {
                Stage::InFlight { deadline, .. } if deadline <= now => {
                    self.requests[i].stage = Stage::Queued;
                    self.fail_attempt(i, AttemptFailure::Timeout(self.retry.response_timeout), now);
                }
                Stage::Waiting { until } if until <= now => {
                    self.requests[i].stage = Stage::Queued;
                    if self.connected {
                        self.send(i, now);
                    }
                }
                _ => {}
            }
        }
        self.remove_finished();
    }

    /// A caller asks for the twin.
    pub fn get_twin(&mut self, op: OpId, now: Instant) {
        self.submit(Kind::Get(op), now);
    }

    /// A caller reports `patch`; `validate` checks edgeHub's rules before sending.
    pub fn update_reported(&mut self, op: OpId, patch: &Value, validate: bool, now: Instant) {
        let Value::Object(map) = patch else {
            self.out.push_back(Output::ReportedDone {
                op,
                result: Err(ReportedError::NotAnObject),
            });
            return;
        };
        if validate && let Err(e) = hub_proto::twin::validate_reported_patch(map) {
            self.out.push_back(Output::ReportedDone {
                op,
                result: Err(ReportedError::Invalid(e)),
            });
            return;
        }
        let body = serde_json::to_vec(map).unwrap_or_default();
        self.submit(Kind::Reported { op, body }, now);
    }

    /// A method handler finished: publish its response if the connection is up.
    ///
    /// Returns `false` when the response was dropped because the connection is down (the hub
    /// has then answered the caller with 504 already, docs/reference/iot-edge.md §1.9).
    pub fn method_response(&mut self, response: &MethodResponse) -> bool {
        if !self.connected {
            return false;
        }
        self.out.push_back(Output::Publish {
            topic: response.topic().to_string(),
            payload: response.body(),
        });
        true
    }

    /// The client is shutting down: fail every caller's request with `Closed`.
    pub fn close(&mut self) {
        for r in self.requests.drain(..) {
            match r.kind {
                Kind::ConnectGet => {}
                Kind::Get(op) => self.out.push_back(Output::TwinDone {
                    op,
                    result: Err(TwinError::Closed),
                }),
                Kind::Reported { op, .. } => self.out.push_back(Output::ReportedDone {
                    op,
                    result: Err(ReportedError::Closed),
                }),
            }
        }
        self.connected = false;
    }

    fn submit(&mut self, kind: Kind, now: Instant) {
        self.requests.push(Request {
            kind,
            stage: Stage::Queued,
            failures: 0,
            done: false,
        });
        if self.connected {
            self.send(self.requests.len() - 1, now);
        }
    }

    fn send(&mut self, i: usize, now: Instant) {
        let rid = (self.next_rid)();
        let (topic, payload) = match &self.requests[i].kind {
            // The Python SDK sends a single space as the GET body (docs/reference/iot-edge.md
            // §1.5).
            Kind::ConnectGet | Kind::Get(_) => (Topic::TwinGet { rid: rid.clone() }, b" ".to_vec()),
            Kind::Reported { body, .. } => {
                (Topic::ReportedPatch { rid: rid.clone() }, body.clone())
            }
        };
        self.out.push_back(Output::Publish {
            topic: topic.to_string(),
            payload,
        });
        self.requests[i].stage = Stage::InFlight {
            rid,
            deadline: now + self.retry.response_timeout,
        };
    }

    fn on_twin_response(&mut self, status: u16, rid: &RequestId, body: &[u8], now: Instant) {
        let Some(i) = self
            .requests
            .iter()
            .position(|r| matches!(&r.stage, Stage::InFlight { rid: sent, .. } if sent == rid))
        else {
            tracing::debug!(%rid, status, "ignoring a twin response nobody waits for");
            return;
        };
        match StatusClass::of(status) {
            StatusClass::Retry => {
                self.requests[i].stage = Stage::Queued;
                self.fail_attempt(i, AttemptFailure::Status(status), now);
            }
            StatusClass::Success => {
                let request = self.requests.remove(i);
                self.complete(&request.kind, body);
            }
            StatusClass::Refused => {
                let request = self.requests.remove(i);
                let reason = refusal_reason(body);
                match request.kind {
                    Kind::ConnectGet => {
                        // Retrying cannot fix a refused GET; keep the old baseline and let the
                        // next connect try again.
                        tracing::warn!(status, reason, "hub refused the twin GET after connect");
                        self.release_held();
                    }
                    Kind::Get(op) => self.out.push_back(Output::TwinDone {
                        op,
                        result: Err(TwinError::Refused { status }),
                    }),
                    Kind::Reported { op, .. } => self.out.push_back(Output::ReportedDone {
                        op,
                        result: Err(ReportedError::Refused { status, reason }),
                    }),
                }
            }
        }
        self.remove_finished();
    }

    fn complete(&mut self, kind: &Kind, body: &[u8]) {
        match kind {
            Kind::ConnectGet => match TwinProperties::from_slice(body) {
                Ok(twin) => self.adopt_baseline(twin.desired),
                Err(e) => {
                    tracing::warn!(error = %e, "hub sent an invalid twin after connect");
                    self.release_held();
                }
            },
            Kind::Get(op) => {
                let op = *op;
                let result = TwinProperties::from_slice(body).map_err(TwinError::Malformed);
                if let Ok(twin) = &result {
                    self.maybe_advance(&twin.desired);
                }
                self.out.push_back(Output::TwinDone { op, result });
            }
            Kind::Reported { op, .. } => {
                self.out.push_back(Output::ReportedDone {
                    op: *op,
                    result: Ok(()),
                });
            }
        }
    }

    /// The GET after a connect is authoritative: emit it in full, then the held-back patches
    /// that are newer.
    fn adopt_baseline(&mut self, desired: Map<String, Value>) {
        self.desired.on_twin(desired);
        self.emit_full();
        self.release_held();
    }

    /// Ends the wait for a baseline and applies the held-back patches in `$version` order.
    fn release_held(&mut self) {
        self.awaiting_baseline = false;
        let mut held = std::mem::take(&mut self.held_patches);
        held.sort_by_key(|(v, _)| *v);
        for (version, patch) in held {
            self.apply_patch(version, patch);
        }
    }

    /// A caller's GET moves the desired state forward only when it is newer than what is
    /// held: a patch may have overtaken the response.
    fn maybe_advance(&mut self, desired: &Map<String, Value>) {
        if self.awaiting_baseline {
            return;
        }
        let newer = match (self.desired.version(), TwinVersion::of(desired)) {
            (Some(held), Some(new)) => new > held,
            (None, _) => true,
            (Some(_), None) => false,
        };
        if newer {
            self.desired.on_twin(desired.clone());
            self.emit_full();
        }
    }

    fn emit_full(&mut self) {
        if let Some(document) = self.desired.document() {
            self.out.push_back(Output::Desired(DesiredUpdate {
                full: true,
                version: self.desired.version(),
                patch: None,
                document: document.clone(),
            }));
        }
    }

    fn on_desired_patch(&mut self, version: TwinVersion, payload: &[u8]) {
        let Ok(Value::Object(patch)) = serde_json::from_slice::<Value>(payload) else {
            tracing::warn!(%version, "ignoring a desired patch that is not a json object");
            return;
        };
        if self.awaiting_baseline {
            self.held_patches.push((version, patch));
        } else {
            self.apply_patch(version, patch);
        }
    }

    fn apply_patch(&mut self, version: TwinVersion, patch: Map<String, Value>) {
        match self.desired.on_patch(version, &patch) {
            PatchOutcome::Applied => {
                if let Some(document) = self.desired.document() {
                    self.out.push_back(Output::Desired(DesiredUpdate {
                        full: false,
                        version: Some(version),
                        patch: Some(patch),
                        document: document.clone(),
                    }));
                }
            }
            PatchOutcome::Stale => {
                tracing::debug!(%version, held = ?self.desired.version(), "dropping a stale desired patch");
            }
            PatchOutcome::NoBaseline => self.held_patches.push((version, patch)),
        }
    }

    fn fail_attempt(&mut self, i: usize, failure: AttemptFailure, now: Instant) {
        let request = &mut self.requests[i];
        request.failures = request.failures.saturating_add(1);
        let attempts = request.failures;
        let op = match request.kind {
            Kind::ConnectGet => None,
            Kind::Get(op) | Kind::Reported { op, .. } => Some(op),
        };
        if op.is_some() && attempts >= self.retry.max_attempts {
            request.done = true;
            let result = match request.kind {
                Kind::Reported { .. } => Output::ReportedDone {
                    op: op.unwrap_or_default(),
                    result: Err(ReportedError::RetriesExhausted {
                        attempts,
                        last: failure,
                    }),
                },
                Kind::ConnectGet | Kind::Get(_) => Output::TwinDone {
                    op: op.unwrap_or_default(),
                    result: Err(TwinError::RetriesExhausted {
                        attempts,
                        last: failure,
                    }),
                },
            };
            self.out.push_back(result);
            return;
        }
        tracing::debug!(%failure, attempts, "twin request failed, retrying");
        let delay = self.retry.backoff.delay(attempts - 1, (self.jitter)());
        self.requests[i].stage = Stage::Waiting { until: now + delay };
    }

    fn remove_finished(&mut self) {
        self.requests.retain(|r| !r.done);
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
