//! The session's tests: plain function calls, no sockets, time passed in.

use std::time::{Duration, Instant};

use serde_json::json;

use super::*;

const TIMEOUT: Duration = Duration::from_secs(30);

fn session() -> Session {
    let mut n = 0u32;
    Session::new(
        RetryPolicy {
            backoff: Backoff::new(Duration::from_millis(100), Duration::from_secs(1)),
            max_attempts: 3,
            response_timeout: TIMEOUT,
        },
        Box::new(move || {
            n += 1;
            RequestId::new(format!("r{n}")).unwrap()
        }),
        Box::new(|| 0.0),
    )
}

fn drain(s: &mut Session) -> Vec<Output> {
    std::iter::from_fn(|| s.poll_output()).collect()
}

/// The topics published, in order.
fn published(outputs: &[Output]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Publish { topic, .. } => Some(topic.clone()),
            _ => None,
        })
        .collect()
}

fn desired(outputs: &[Output]) -> Vec<DesiredUpdate> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Desired(u) => Some(u.clone()),
            _ => None,
        })
        .collect()
}

fn twin_body(desired: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"desired": desired, "reported": {"$version": 1}})).unwrap()
}

/// Connects and answers the connect GET (rid `r{rid}`) with `desired`.
fn connect_with(s: &mut Session, rid: u32, desired: &Value, now: Instant) -> Vec<Output> {
    s.handle_connected(now);
    s.handle_publish(
        &format!("$iothub/twin/res/200/?$rid=r{rid}"),
        &twin_body(desired),
        now,
    );
    drain(s)
}

#[test]
fn connack_subscribes_and_gets_the_twin() {
    let mut s = session();
    s.handle_connected(Instant::now());
    let out = drain(&mut s);
    assert!(matches!(out[0], Output::Subscribe(filters) if filters == SUBSCRIPTIONS));
    assert_eq!(published(&out), ["$iothub/twin/GET/?$rid=r1"]);
}

#[test]
fn twin_response_is_matched_by_rid_and_yields_the_full_desired_document() {
    let mut s = session();
    let now = Instant::now();
    let out = connect_with(&mut s, 1, &json!({"pki": {"a": 1}, "$version": 3}), now);
    let updates = desired(&out);
    assert_eq!(updates.len(), 1);
    assert!(updates[0].full);
    assert_eq!(updates[0].version, Some(TwinVersion::new(3)));
    assert_eq!(
        updates[0].document,
        *json!({"pki": {"a": 1}, "$version": 3}).as_object().unwrap()
    );
}

#[test]
fn response_with_an_unknown_rid_is_ignored() {
    let mut s = session();
    let now = Instant::now();
    s.handle_connected(now);
    drain(&mut s);
    s.handle_publish(
        "$iothub/twin/res/200/?$rid=nobody",
        &twin_body(&json!({"$version": 1})),
        now,
    );
    assert!(drain(&mut s).is_empty());
    assert!(s.poll_timeout().is_some(), "the real request still waits");
}

#[test]
fn stale_desired_patch_is_dropped_and_newer_one_is_applied() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"a": 1, "$version": 5}), now);
    s.handle_publish(
        "$iothub/twin/PATCH/properties/desired/?$version=5",
        br#"{"a":2,"$version":5}"#,
        now,
    );
    assert!(desired(&drain(&mut s)).is_empty());
    s.handle_publish(
        "$iothub/twin/PATCH/properties/desired/?$version=6",
        br#"{"b":3,"$version":6}"#,
        now,
    );
    let updates = desired(&drain(&mut s));
    assert_eq!(updates.len(), 1);
    assert!(!updates[0].full);
    assert_eq!(
        updates[0].patch,
        Some(json!({"b": 3, "$version": 6}).as_object().unwrap().clone())
    );
    assert_eq!(
        updates[0].document,
        *json!({"a": 1, "b": 3, "$version": 6}).as_object().unwrap()
    );
}

#[test]
fn patches_arriving_before_the_connect_get_answer_are_held_and_filtered_by_its_version() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"a": 1, "$version": 2}), now);
    // Reconnect: the hub changed the twin twice meanwhile and delivers two patches before the
    // GET answer, one already contained in it.
    s.handle_disconnected();
    s.handle_connected(now);
    s.handle_publish(
        "$iothub/twin/PATCH/properties/desired/?$version=8",
        br#"{"c":8}"#,
        now,
    );
    s.handle_publish(
        "$iothub/twin/PATCH/properties/desired/?$version=7",
        br#"{"a":null}"#,
        now,
    );
    assert!(
        desired(&drain(&mut s)).is_empty(),
        "held until the baseline is known"
    );
    s.handle_publish(
        "$iothub/twin/res/200/?$rid=r2",
        &twin_body(&json!({"b": 2, "$version": 7})),
        now,
    );
    let updates = desired(&drain(&mut s));
    assert_eq!(updates.len(), 2);
    assert!(updates[0].full);
    assert_eq!(
        updates[0].document,
        *json!({"b": 2, "$version": 7}).as_object().unwrap()
    );
    assert!(!updates[1].full);
    assert_eq!(
        updates[1].document,
        *json!({"b": 2, "c": 8, "$version": 8}).as_object().unwrap()
    );
}

#[test]
fn full_document_is_yielded_after_every_connect_even_when_unchanged() {
    let mut s = session();
    let now = Instant::now();
    let doc = json!({"a": 1, "$version": 4});
    assert_eq!(desired(&connect_with(&mut s, 1, &doc, now)).len(), 1);
    s.handle_disconnected();
    let updates = desired(&connect_with(&mut s, 2, &doc, now));
    assert_eq!(updates.len(), 1);
    assert!(updates[0].full);
}

#[test]
fn key_deleted_while_offline_is_absent_from_the_full_document() {
    let mut s = session();
    let now = Instant::now();
    connect_with(
        &mut s,
        1,
        &json!({"keep": 1, "gone": 2, "$version": 2}),
        now,
    );
    s.handle_disconnected();
    let updates = desired(&connect_with(
        &mut s,
        2,
        &json!({"keep": 1, "$version": 3}),
        now,
    ));
    assert!(!updates[0].document.contains_key("gone"));
}

#[test]
fn reported_patch_completes_on_204_with_or_without_version() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.update_reported(7, &json!({"pki": {"status": "applied"}}), true, now);
    s.update_reported(8, &json!({"x": 1}), true, now);
    let out = drain(&mut s);
    assert_eq!(
        published(&out),
        [
            "$iothub/twin/PATCH/properties/reported/?$rid=r2",
            "$iothub/twin/PATCH/properties/reported/?$rid=r3"
        ]
    );
    // edgeHub omits `$version`, IoT Hub sends it (docs/reference/iot-edge.md §0.5).
    s.handle_publish("$iothub/twin/res/204/?$rid=r3&$version=9", b"", now);
    s.handle_publish("$iothub/twin/res/204/?$rid=r2", b"", now);
    let out = drain(&mut s);
    assert!(matches!(
        out[0],
        Output::ReportedDone {
            op: 8,
            result: Ok(())
        }
    ));
    assert!(matches!(
        out[1],
        Output::ReportedDone {
            op: 7,
            result: Ok(())
        }
    ));
}

#[test]
fn reported_400_surfaces_the_hubs_reason() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.update_reported(1, &json!({"a.b": 1}), false, now);
    drain(&mut s);
    s.handle_publish(
        "$iothub/twin/res/400/?$rid=r2",
        br#"{"message":"property name a.b contains the invalid character '.'"}"#,
        now,
    );
    let out = drain(&mut s);
    let Output::ReportedDone {
        op: 1,
        result: Err(ReportedError::Refused { status, reason }),
    } = &out[0]
    else {
        panic!("{out:?}");
    };
    assert_eq!(*status, 400);
    assert!(reason.contains("invalid character"), "{reason}");
}

#[test]
fn invalid_reported_patch_is_refused_locally_when_validation_is_on() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.update_reported(1, &json!({"a.b": 1}), true, now);
    s.update_reported(2, &json!([1]), true, now);
    let out = drain(&mut s);
    assert!(published(&out).is_empty());
    assert!(matches!(
        out[0],
        Output::ReportedDone {
            op: 1,
            result: Err(ReportedError::Invalid(_))
        }
    ));
    assert!(matches!(
        out[1],
        Output::ReportedDone {
            op: 2,
            result: Err(ReportedError::NotAnObject)
        }
    ));
}

#[test]
fn throttled_and_failed_requests_are_retried_after_backoff_under_fresh_rids() {
    let mut s = session();
    let t0 = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), t0);
    s.update_reported(1, &json!({"a": 1}), true, t0);
    drain(&mut s);
    s.handle_publish("$iothub/twin/res/429/?$rid=r2", b"", t0);
    assert!(drain(&mut s).is_empty());
    // First retry after 50..100 ms (jitter 0 gives the floor, 50 ms).
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_millis(50)));
    s.handle_timeout(t0 + Duration::from_millis(50));
    assert_eq!(
        published(&drain(&mut s)),
        ["$iothub/twin/PATCH/properties/reported/?$rid=r3"]
    );
    let t1 = t0 + Duration::from_millis(60);
    s.handle_publish("$iothub/twin/res/500/?$rid=r3", b"", t1);
    assert_eq!(s.poll_timeout(), Some(t1 + Duration::from_millis(100)));
    s.handle_timeout(t1 + Duration::from_millis(100));
    assert_eq!(
        published(&drain(&mut s)),
        ["$iothub/twin/PATCH/properties/reported/?$rid=r4"]
    );
    s.handle_publish("$iothub/twin/res/204/?$rid=r4", b"", t1);
    assert!(matches!(
        drain(&mut s)[0],
        Output::ReportedDone {
            op: 1,
            result: Ok(())
        }
    ));
}

#[test]
fn retries_are_bounded() {
    let mut s = session();
    let mut now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.get_twin(1, now);
    drain(&mut s);
    for rid in 2..=4 {
        s.handle_publish(&format!("$iothub/twin/res/503/?$rid=r{rid}"), b"", now);
        if let Some(at) = s.poll_timeout() {
            now = at;
            s.handle_timeout(now);
        }
    }
    let out = drain(&mut s);
    let Some(Output::TwinDone {
        op: 1,
        result: Err(TwinError::RetriesExhausted { attempts, last }),
    }) = out.last()
    else {
        panic!("{out:?}");
    };
    assert_eq!((*attempts, last), (3, &AttemptFailure::Status(503)));
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn missing_response_counts_as_a_retryable_failure() {
    let mut s = session();
    let t0 = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), t0);
    s.get_twin(1, t0);
    drain(&mut s);
    assert_eq!(s.poll_timeout(), Some(t0 + TIMEOUT));
    s.handle_timeout(t0 + TIMEOUT);
    assert!(drain(&mut s).is_empty());
    s.handle_timeout(t0 + TIMEOUT + Duration::from_millis(50));
    assert_eq!(published(&drain(&mut s)), ["$iothub/twin/GET/?$rid=r3"]);
}

#[test]
fn refused_get_is_not_retried() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.get_twin(4, now);
    drain(&mut s);
    s.handle_publish("$iothub/twin/res/404/?$rid=r2", b"", now);
    assert!(matches!(
        drain(&mut s)[0],
        Output::TwinDone {
            op: 4,
            result: Err(TwinError::Refused { status: 404 })
        }
    ));
}

#[test]
fn request_in_flight_is_resent_under_a_fresh_rid_after_reconnect() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.update_reported(1, &json!({"a": 1}), true, now);
    drain(&mut s);
    s.handle_disconnected();
    // The old response arrives late (or never); it no longer completes anything.
    s.handle_connected(now);
    let out = drain(&mut s);
    assert_eq!(
        published(&out),
        [
            "$iothub/twin/GET/?$rid=r3",
            "$iothub/twin/PATCH/properties/reported/?$rid=r4"
        ]
    );
    s.handle_publish("$iothub/twin/res/204/?$rid=r2", b"", now);
    assert!(drain(&mut s).is_empty());
    s.handle_publish("$iothub/twin/res/204/?$rid=r4", b"", now);
    assert!(matches!(
        drain(&mut s)[0],
        Output::ReportedDone {
            op: 1,
            result: Ok(())
        }
    ));
}

#[test]
fn request_made_while_disconnected_waits_for_the_connection() {
    let mut s = session();
    let now = Instant::now();
    s.get_twin(1, now);
    assert!(drain(&mut s).is_empty());
    assert_eq!(s.poll_timeout(), None, "no timer while queued");
    s.handle_connected(now);
    assert_eq!(
        published(&drain(&mut s)),
        ["$iothub/twin/GET/?$rid=r1", "$iothub/twin/GET/?$rid=r2"]
    );
}

#[test]
fn newer_twin_from_a_callers_get_advances_the_desired_state_but_older_does_not() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"a": 1, "$version": 5}), now);
    s.get_twin(1, now);
    s.get_twin(2, now);
    drain(&mut s);
    s.handle_publish(
        "$iothub/twin/res/200/?$rid=r2",
        &twin_body(&json!({"a": 0, "$version": 4})),
        now,
    );
    let out = drain(&mut s);
    assert!(desired(&out).is_empty());
    assert!(matches!(
        out[0],
        Output::TwinDone {
            op: 1,
            result: Ok(_)
        }
    ));
    s.handle_publish(
        "$iothub/twin/res/200/?$rid=r3",
        &twin_body(&json!({"a": 2, "$version": 6})),
        now,
    );
    let updates = desired(&drain(&mut s));
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].version, Some(TwinVersion::new(6)));
}

#[test]
fn method_request_is_handed_out_and_its_response_published() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.handle_publish(
        "$iothub/methods/POST/reset/?$rid=1",
        br#"{"hard": true}"#,
        now,
    );
    let out = drain(&mut s);
    let Some(Output::Method(request)) = out.first() else {
        panic!("{out:?}");
    };
    assert_eq!(request.name.as_str(), "reset");
    assert_eq!(request.payload, json!({"hard": true}));
    assert!(s.method_response(&request.respond(200, json!({"ok": true}))));
    let out = drain(&mut s);
    let Output::Publish { topic, payload } = &out[0] else {
        panic!("{out:?}");
    };
    assert_eq!(topic, "$iothub/methods/res/200/?$rid=1");
    assert_eq!(payload, br#"{"ok":true}"#);
}

#[test]
fn method_with_invalid_payload_is_answered_400_without_a_handler() {
    let mut s = session();
    let now = Instant::now();
    connect_with(&mut s, 1, &json!({"$version": 1}), now);
    s.handle_publish("$iothub/methods/POST/reset/?$rid=9", b"{nope", now);
    assert_eq!(
        published(&drain(&mut s)),
        ["$iothub/methods/res/400/?$rid=9"]
    );
}

#[test]
fn method_response_is_dropped_while_disconnected() {
    let mut s = session();
    let request = MethodRequest::from_parts(
        hub_proto::MethodName::new("m").unwrap(),
        RequestId::new("1").unwrap(),
        b"",
    )
    .unwrap();
    assert!(!s.method_response(&request.respond(200, Value::Null)));
    assert!(drain(&mut s).is_empty());
}

#[test]
fn closing_fails_every_callers_request() {
    let mut s = session();
    let now = Instant::now();
    s.get_twin(1, now);
    s.update_reported(2, &json!({"a": 1}), true, now);
    s.close();
    let out = drain(&mut s);
    assert!(matches!(
        out[0],
        Output::TwinDone {
            op: 1,
            result: Err(TwinError::Closed)
        }
    ));
    assert!(matches!(
        out[1],
        Output::ReportedDone {
            op: 2,
            result: Err(ReportedError::Closed)
        }
    ));
}

#[test]
fn statuses_are_classified_like_iot_hub() {
    assert_eq!(StatusClass::of(200), StatusClass::Success);
    assert_eq!(StatusClass::of(204), StatusClass::Success);
    assert_eq!(StatusClass::of(429), StatusClass::Retry);
    assert_eq!(StatusClass::of(500), StatusClass::Retry);
    assert_eq!(StatusClass::of(504), StatusClass::Retry);
    assert_eq!(StatusClass::of(400), StatusClass::Refused);
    assert_eq!(StatusClass::of(404), StatusClass::Refused);
}

#[test]
fn refusal_reason_prefers_the_message_field_then_the_text() {
    assert_eq!(refusal_reason(br#"{"Message":"bad name"}"#), "bad name");
    assert_eq!(refusal_reason(b"  plain text \n"), "plain text");
    assert_eq!(refusal_reason(b""), "no reason given");
}
