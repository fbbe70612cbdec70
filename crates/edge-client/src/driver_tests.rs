//! The driver's tests: the real driver task on a runtime with paused time, a scripted link in
//! place of rumqttc's event loop, and the requests it queues read back from rumqttc's channel.
//!
//! The session's rules are tested in `core/session_tests.rs` with time as an argument; these
//! check that the driver wires its timers to the same clock, so that a 30-second response
//! timeout or a backoff delay passes on tokio's virtual clock (the tests take milliseconds)
//! and at exactly the virtual instant the rules name.

use std::time::Duration;

use rumqttc::{AsyncClient, Request};
use serde_json::json;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Command, Driver, SharedMethods};
use crate::client::ConnectionState;
use crate::connection::LinkEvent;
use crate::core::backoff::Backoff;
use crate::core::session::{RetryPolicy, Session};
use crate::error::{AttemptFailure, ReportedError, TwinError};

const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
/// The first retry waits half of the backoff's initial 100 ms: the jitter is pinned to 0.
const FIRST_RETRY: Duration = Duration::from_millis(50);
/// tokio's timers have millisecond resolution: a deadline fires within a millisecond after it.
const TIMER_GRAIN: Duration = Duration::from_millis(1);

struct Rig {
    links: mpsc::UnboundedSender<LinkEvent>,
    commands: mpsc::UnboundedSender<Command>,
    requests: flume::Receiver<Request>,
    shutdown: CancellationToken,
    task: JoinHandle<()>,
}

/// A driver whose `$rid`s are `r1`, `r2`, … and whose backoff jitter is 0.
fn rig() -> Rig {
    let (links, link_rx) = mpsc::unbounded_channel();
    let (commands, command_rx) = mpsc::unbounded_channel();
    let (request_tx, requests) = flume::unbounded();
    let (state, _) = watch::channel(ConnectionState::Connecting);
    let shutdown = CancellationToken::new();
    let mut n = 0u32;
    let session = Session::new(
        RetryPolicy {
            backoff: Backoff::new(Duration::from_millis(100), Duration::from_secs(1)),
            max_attempts: 3,
            response_timeout: RESPONSE_TIMEOUT,
        },
        Box::new(move || {
            n += 1;
            hub_proto::RequestId::new(format!("r{n}")).unwrap()
        }),
        Box::new(|| 0.0),
    );
    let driver = Driver {
        session,
        mqtt: AsyncClient::from_senders(request_tx),
        module: "m1".to_owned(),
        validate_reported: true,
        links: link_rx,
        commands: command_rx,
        methods: SharedMethods::default(),
        state,
        shutdown: shutdown.clone(),
    };
    Rig {
        links,
        commands,
        requests,
        shutdown,
        task: tokio::spawn(driver.run()),
    }
}

impl Rig {
    /// The next PUBLISH the driver queued (SUBSCRIBEs are skipped): topic and body.
    async fn next_publish(&self) -> (String, String) {
        loop {
            match self
                .requests
                .recv_async()
                .await
                .expect("the driver is running")
            {
                Request::Publish(p) => {
                    return (p.topic, String::from_utf8_lossy(&p.payload).into_owned());
                }
                Request::Subscribe(_) => {}
                other => panic!("unexpected request {other:?}"),
            }
        }
    }

    fn answer(&self, status: u16, rid: &str, body: &serde_json::Value) {
        self.links
            .send(LinkEvent::Publish {
                topic: format!("$iothub/twin/res/{status}/?$rid={rid}"),
                payload: serde_json::to_vec(body).unwrap(),
            })
            .unwrap();
    }

    /// Connects and answers the connect-time twin GET (`r1`).
    async fn connect(&self) {
        self.links
            .send(LinkEvent::Connected {
                session_present: false,
            })
            .unwrap();
        let (topic, _) = self.next_publish().await;
        assert_eq!(topic, "$iothub/twin/GET/?$rid=r1");
        self.answer(
            200,
            "r1",
            &json!({"desired": {"$version": 1}, "reported": {"$version": 1}}),
        );
    }

    fn get_twin(&self) -> oneshot::Receiver<Result<hub_proto::twin::TwinProperties, TwinError>> {
        let (tx, rx) = oneshot::channel();
        self.commands.send(Command::GetTwin(tx)).unwrap();
        rx
    }

    fn update_reported(
        &self,
        patch: serde_json::Value,
    ) -> oneshot::Receiver<Result<(), ReportedError>> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(Command::UpdateReported(patch, tx))
            .unwrap();
        rx
    }

    async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.unwrap();
    }
}

/// `elapsed` is `expected` up to the timer grain.
fn at(elapsed: Duration, expected: Duration) {
    assert!(
        elapsed >= expected && elapsed <= expected + TIMER_GRAIN,
        "after {elapsed:?}, expected {expected:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_twin_get_is_resent_after_the_response_timeout_then_fails() {
    let rig = rig();
    rig.connect().await;
    let t0 = Instant::now();
    let mut result = rig.get_twin();
    assert_eq!(rig.next_publish().await.0, "$iothub/twin/GET/?$rid=r2");
    at(t0.elapsed(), Duration::ZERO);

    // Nobody answers: the response timeout, then the first backoff delay, then a fresh $rid.
    assert_eq!(rig.next_publish().await.0, "$iothub/twin/GET/?$rid=r3");
    at(t0.elapsed(), RESPONSE_TIMEOUT + FIRST_RETRY);
    assert!(result.try_recv().is_err(), "still retrying");

    // The second delay doubles; the third unanswered attempt is the last.
    assert_eq!(rig.next_publish().await.0, "$iothub/twin/GET/?$rid=r4");
    let second = t0.elapsed();
    assert!(
        second >= 2 * RESPONSE_TIMEOUT + 3 * FIRST_RETRY,
        "{second:?}"
    );
    let failure = result.await.unwrap().unwrap_err();
    assert!(
        matches!(
            failure,
            TwinError::RetriesExhausted {
                attempts: 3,
                last: AttemptFailure::Timeout(RESPONSE_TIMEOUT)
            }
        ),
        "{failure:?}"
    );
    at(t0.elapsed().saturating_sub(second), RESPONSE_TIMEOUT);
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_throttled_reported_patch_is_retried_after_the_backoff_delay_and_then_acknowledged() {
    let rig = rig();
    rig.connect().await;
    let result = rig.update_reported(json!({"pki": {"status": "ok"}}));
    let (topic, body) = rig.next_publish().await;
    assert_eq!(topic, "$iothub/twin/PATCH/properties/reported/?$rid=r2");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        json!({"pki": {"status": "ok"}})
    );

    let t0 = Instant::now();
    rig.answer(429, "r2", &json!({"message": "throttled"}));
    let (topic, resent) = rig.next_publish().await;
    assert_eq!(topic, "$iothub/twin/PATCH/properties/reported/?$rid=r3");
    assert_eq!(resent, body, "the same patch, under a fresh $rid");
    at(t0.elapsed(), FIRST_RETRY);

    rig.answer(204, "r3", &json!(null));
    result.await.unwrap().unwrap();
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_patch_in_flight_when_the_link_drops_waits_for_the_next_connection_without_timing_out() {
    let rig = rig();
    rig.connect().await;
    let mut result = rig.update_reported(json!({"pki": {"status": "ok"}}));
    assert_eq!(
        rig.next_publish().await.0,
        "$iothub/twin/PATCH/properties/reported/?$rid=r2"
    );
    rig.links
        .send(LinkEvent::Disconnected {
            reason: "edgeHub restarted".to_owned(),
        })
        .unwrap();

    // Ten offline minutes: far past the response timeout, yet nothing fails or is sent.
    tokio::time::sleep(20 * RESPONSE_TIMEOUT).await;
    assert!(
        result.try_recv().is_err(),
        "the patch waits for a connection"
    );
    assert!(rig.requests.is_empty(), "nothing is sent while offline");

    // On reconnect: subscriptions, the baseline GET, then the patch again under a fresh $rid.
    rig.links
        .send(LinkEvent::Connected {
            session_present: true,
        })
        .unwrap();
    assert_eq!(rig.next_publish().await.0, "$iothub/twin/GET/?$rid=r3");
    assert_eq!(
        rig.next_publish().await.0,
        "$iothub/twin/PATCH/properties/reported/?$rid=r4"
    );
    rig.answer(
        200,
        "r3",
        &json!({"desired": {"$version": 1}, "reported": {"$version": 1}}),
    );
    rig.answer(204, "r4", &json!(null));
    result.await.unwrap().unwrap();
    rig.stop().await;
}
