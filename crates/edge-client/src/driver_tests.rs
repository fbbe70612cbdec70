//! The driver's tests: the real client on a runtime with paused time, its link to the hub
//! played by the test ([`ModuleClient::scripted`]).
//!
//! The session's rules are tested in `core/session_tests.rs` with time as an argument; these
//! check that the driver wires its timers to the same clock, so that a 30-second response
//! timeout or a backoff delay passes on tokio's virtual clock (the tests take milliseconds)
//! and at exactly the virtual instant the rules name.

use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;

use crate::ModuleClient;
use crate::core::backoff::Backoff;
use crate::core::session::RetryPolicy;
use crate::error::{AttemptFailure, TwinError};
use crate::scripted::ScriptedHub;

const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
/// The first retry waits half of the backoff's initial 100 ms: the jitter is pinned to 0.
const FIRST_RETRY: Duration = Duration::from_millis(50);
/// tokio's timers have millisecond resolution: a deadline fires within a millisecond after it.
const TIMER_GRAIN: Duration = Duration::from_millis(1);

fn client() -> (ModuleClient, ScriptedHub) {
    ModuleClient::scripted(
        "d1",
        "m1",
        RetryPolicy {
            backoff: Backoff::new(Duration::from_millis(100), Duration::from_secs(1)),
            max_attempts: 3,
            response_timeout: RESPONSE_TIMEOUT,
        },
    )
}

/// Connects and answers the connect-time twin GET (`r1`).
async fn connect(hub: &ScriptedHub) {
    hub.connect();
    assert_eq!(hub.next_publish().await.topic, "$iothub/twin/GET/?$rid=r1");
    hub.answer_twin("r1", &json!({"$version": 1}), &json!({"$version": 1}));
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
    let (client, hub) = client();
    connect(&hub).await;
    let t0 = Instant::now();
    let result = tokio::spawn(async move { (client.get_twin().await, Instant::now()) });
    assert_eq!(hub.next_publish().await.topic, "$iothub/twin/GET/?$rid=r2");
    at(t0.elapsed(), Duration::ZERO);

    // Nobody answers: the response timeout, then the first backoff delay, then a fresh $rid.
    assert_eq!(hub.next_publish().await.topic, "$iothub/twin/GET/?$rid=r3");
    at(t0.elapsed(), RESPONSE_TIMEOUT + FIRST_RETRY);
    assert!(!result.is_finished(), "still retrying");

    // The second delay doubles; the third unanswered attempt is the last.
    assert_eq!(hub.next_publish().await.topic, "$iothub/twin/GET/?$rid=r4");
    let third = t0.elapsed();
    assert!(third >= 2 * RESPONSE_TIMEOUT + 3 * FIRST_RETRY, "{third:?}");
    let (failure, failed_at) = result.await.unwrap();
    let failure = failure.unwrap_err();
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
    at((failed_at - t0).saturating_sub(third), RESPONSE_TIMEOUT);
}

#[tokio::test(start_paused = true)]
async fn a_throttled_reported_patch_is_retried_after_the_backoff_delay_and_then_acknowledged() {
    let (client, hub) = client();
    connect(&hub).await;
    let result = tokio::spawn(async move {
        client
            .update_reported(json!({"pki": {"status": "ok"}}))
            .await
    });
    let sent = hub.next_publish().await;
    assert_eq!(
        sent.topic,
        "$iothub/twin/PATCH/properties/reported/?$rid=r2"
    );
    assert_eq!(sent.json(), json!({"pki": {"status": "ok"}}));

    let t0 = Instant::now();
    hub.answer(429, "r2", &json!({"message": "throttled"}));
    let resent = hub.next_publish().await;
    assert_eq!(
        resent.topic,
        "$iothub/twin/PATCH/properties/reported/?$rid=r3"
    );
    assert_eq!(
        resent.payload, sent.payload,
        "the same patch, under a fresh $rid"
    );
    at(t0.elapsed(), FIRST_RETRY);

    hub.answer(204, "r3", &json!(null));
    result.await.unwrap().unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_patch_in_flight_when_the_link_drops_waits_for_the_next_connection_without_timing_out() {
    let (client, hub) = client();
    connect(&hub).await;
    let result = tokio::spawn(async move {
        client
            .update_reported(json!({"pki": {"status": "ok"}}))
            .await
    });
    assert_eq!(
        hub.next_publish().await.topic,
        "$iothub/twin/PATCH/properties/reported/?$rid=r2"
    );
    hub.disconnect("edgeHub restarted");

    // Ten offline minutes: far past the response timeout, yet nothing fails or is sent.
    assert_eq!(hub.publish_within(20 * RESPONSE_TIMEOUT).await, None);
    assert!(!result.is_finished(), "the patch waits for a connection");

    // On reconnect: subscriptions, the baseline GET, then the patch again under a fresh $rid.
    hub.connect();
    assert_eq!(hub.next_publish().await.topic, "$iothub/twin/GET/?$rid=r3");
    assert_eq!(
        hub.next_publish().await.topic,
        "$iothub/twin/PATCH/properties/reported/?$rid=r4"
    );
    hub.answer_twin("r3", &json!({"$version": 1}), &json!({"$version": 1}));
    hub.answer(204, "r4", &json!(null));
    result.await.unwrap().unwrap();
}
