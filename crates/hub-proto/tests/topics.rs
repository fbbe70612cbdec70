#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Golden topics and payloads: exact strings from the protocol reference (captured from the
//! Python SDK or documented by edgeHub / IoT Hub).

use hub_proto::property_bag::{CONTENT_ENCODING, CONTENT_TYPE, OUTPUT_NAME};
use hub_proto::topic::{
    DESIRED_PATCHES_FILTER, METHOD_REQUESTS_FILTER, TWIN_RESPONSES_FILTER, module_inputs_filter,
};
use hub_proto::twin::parse_reported_patch;
use hub_proto::{
    DeviceId, MethodName, ModuleId, PropertyBag, RequestId, Subscription, Topic, TopicError,
    TwinProperties, TwinVersion,
};
use serde_json::json;

type ErrorCheck = fn(&TopicError) -> bool;

fn rid(s: &str) -> RequestId {
    RequestId::new(s).unwrap()
}

fn device() -> DeviceId {
    DeviceId::new("edgedev1").unwrap()
}

fn module() -> ModuleId {
    ModuleId::new("opcplc").unwrap()
}

/// Every golden topic parses to `topic` and formats back to exactly the same text.
fn assert_golden(text: &str, topic: &Topic) {
    assert_eq!(&Topic::parse(text).unwrap(), topic, "parse {text}");
    assert_eq!(topic.to_string(), text, "format {topic:?}");
}

#[test]
fn twin_get_topic_matches_the_capture() {
    // docs/reference/iot-edge.md §5.1: `C→S PUBLISH q1 $iothub/twin/GET/?$rid=914b0bd5-…`.
    assert_golden(
        "$iothub/twin/GET/?$rid=914b0bd5-6599-4b32-8abf-fcca7cabd79a",
        &Topic::TwinGet {
            rid: rid("914b0bd5-6599-4b32-8abf-fcca7cabd79a"),
        },
    );
}

#[test]
fn edgehub_twin_response_has_no_version() {
    // docs/reference/iot-edge.md §1.5 / §1.6: edgeHub's `TwinEndpoint` template.
    assert_golden(
        "$iothub/twin/res/200/?$rid=1",
        &Topic::TwinResponse {
            status: 200,
            rid: rid("1"),
            version: None,
        },
    );
    assert_golden(
        "$iothub/twin/res/204/?$rid=d683a049-6599-4b32-8abf-fcca7cabd79a",
        &Topic::TwinResponse {
            status: 204,
            rid: rid("d683a049-6599-4b32-8abf-fcca7cabd79a"),
            version: None,
        },
    );
}

#[test]
fn iot_hub_twin_response_carries_the_new_version() {
    // docs/reference/iot-edge.md §1.6, docs example.
    assert_golden(
        "$iothub/twin/res/204/?$rid=1&$version=6",
        &Topic::TwinResponse {
            status: 204,
            rid: rid("1"),
            version: Some(TwinVersion::new(6)),
        },
    );
}

#[test]
fn reported_patch_topic_and_payload_match_the_capture() {
    // docs/reference/iot-edge.md §1.6, Python [captured].
    assert_golden(
        "$iothub/twin/PATCH/properties/reported/?$rid=d683a049-6599-4b32-8abf-fcca7cabd79a",
        &Topic::ReportedPatch {
            rid: rid("d683a049-6599-4b32-8abf-fcca7cabd79a"),
        },
    );
    let patch = parse_reported_patch(
        br#"{"certs": {"trustedCa1": {"thumbprint": "AB12"}}, "obsolete": null}"#,
    )
    .unwrap();
    assert_eq!(patch["obsolete"], serde_json::Value::Null);
    assert_eq!(patch["certs"]["trustedCa1"]["thumbprint"], json!("AB12"));
}

#[test]
fn desired_notification_topic_carries_the_version() {
    // docs/reference/iot-edge.md §1.7: `TwinDesiredPropertyUpdate` template and the captured
    // `?$version=4`.
    assert_golden(
        "$iothub/twin/PATCH/properties/desired/?$version=4",
        &Topic::DesiredPatch {
            version: TwinVersion::new(4),
        },
    );
}

#[test]
fn method_request_and_response_topics_match_the_capture() {
    // docs/reference/iot-edge.md §1.9 [captured].
    assert_golden(
        "$iothub/methods/POST/reset/?$rid=1",
        &Topic::MethodRequest {
            name: MethodName::new("reset").unwrap(),
            rid: rid("1"),
        },
    );
    assert_golden(
        "$iothub/methods/res/200/?$rid=1",
        &Topic::MethodResponse {
            status: 200,
            rid: rid("1"),
        },
    );
    // Any integer status, also negative ones.
    assert_eq!(
        Topic::parse("$iothub/methods/res/-1/?$rid=9").unwrap(),
        Topic::MethodResponse {
            status: -1,
            rid: rid("9")
        }
    );
}

#[test]
fn module_output_topic_matches_the_capture() {
    // docs/reference/iot-edge.md §1.10, Python `send_message_to_output(msg, "output1")` [captured].
    assert_golden(
        "devices/edgedev1/modules/opcplc/messages/events/%24.on=output1&%24.ct=application%2Fjson&%24.ce=utf-8&k=v%20w",
        &Topic::ModuleEvent {
            device: device(),
            module: module(),
            properties: PropertyBag::new()
                .with(OUTPUT_NAME, "output1")
                .with(CONTENT_TYPE, "application/json")
                .with(CONTENT_ENCODING, "utf-8")
                .with("k", "v w"),
        },
    );
}

#[test]
fn module_event_without_properties_keeps_the_trailing_slash() {
    // Python's `get_telemetry_topic_for_publish` ends in `messages/events/`.
    let topic = Topic::ModuleEvent {
        device: device(),
        module: module(),
        properties: PropertyBag::new(),
    };
    assert_eq!(
        topic.to_string(),
        "devices/edgedev1/modules/opcplc/messages/events/"
    );
    // edgeHub's inbound templates also accept the form without the slash.
    assert_eq!(
        Topic::parse("devices/edgedev1/modules/opcplc/messages/events").unwrap(),
        topic
    );
}

#[test]
fn module_input_topic_matches_edgehub_docs() {
    // docs/reference/iot-edge.md §1.10 (`doc/edgehub-api.md`).
    assert_golden(
        "devices/TestEdgeDevice/modules/TestModule/inputs/TestInput/%24.cdid=TestEdgeDevice&%24.cmid=SenderModule",
        &Topic::ModuleInput {
            device: DeviceId::new("TestEdgeDevice").unwrap(),
            module: ModuleId::new("TestModule").unwrap(),
            input: "TestInput".to_owned(),
            properties: PropertyBag::new()
                .with("$.cdid", "TestEdgeDevice")
                .with("$.cmid", "SenderModule"),
        },
    );
}

#[test]
fn twin_get_response_body_matches_the_docs() {
    // docs/reference/iot-edge.md §1.5: body of a GET response, only the properties section.
    let body = br#"{"desired":{"telemetrySendFrequency":"5m","$version":12},"reported":{"telemetrySendFrequency":"5m","batteryLevel":55,"$version":123}}"#;
    let twin = TwinProperties::from_slice(body).unwrap();
    assert_eq!(twin.desired_version(), Some(TwinVersion::new(12)));
    assert_eq!(twin.reported_version(), Some(TwinVersion::new(123)));
    // Serialized back it is the same JSON (member order is not significant).
    let round_trip: serde_json::Value = serde_json::from_slice(&twin.to_vec()).unwrap();
    let original: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(round_trip, original);
}

#[test]
fn subscription_filters_are_the_sdk_strings() {
    assert_eq!(TWIN_RESPONSES_FILTER, "$iothub/twin/res/#");
    assert_eq!(
        DESIRED_PATCHES_FILTER,
        "$iothub/twin/PATCH/properties/desired/#"
    );
    assert_eq!(METHOD_REQUESTS_FILTER, "$iothub/methods/POST/#");
    assert_eq!(
        module_inputs_filter(&device(), &module()),
        "devices/edgedev1/modules/opcplc/inputs/#"
    );
}

#[test]
fn subscriptions_are_classified_like_edgehub() {
    let cases = [
        ("$iothub/methods/POST/#", Some(Subscription::Methods)),
        (
            "$iothub/twin/PATCH/properties/desired/#",
            Some(Subscription::DesiredPatches),
        ),
        ("$iothub/twin/res/#", Some(Subscription::TwinResponses)),
        // Twin responses are recognised only as this exact string.
        ("$iothub/twin/res/+/#", None),
        (
            "devices/d1/messages/devicebound/#",
            Some(Subscription::CloudToDevice),
        ),
        (
            "devices/edgedev1/modules/opcplc/inputs/#",
            Some(Subscription::ModuleInputs),
        ),
        // The C SDK's form.
        (
            "devices/edgedev1/modules/opcplc/#",
            Some(Subscription::ModuleInputs),
        ),
        ("devices//modules/m/#", None),
        ("some/other/#", None),
    ];
    for (filter, expected) in cases {
        assert_eq!(Subscription::classify(filter), expected, "{filter}");
    }
}

#[test]
fn request_id_is_percent_decoded_and_encoded_like_python() {
    // Python formats `$rid` with `quote(rid, safe="")` and parses with `unquote`.
    let topic = Topic::TwinGet { rid: rid("a:b") };
    assert_eq!(topic.to_string(), "$iothub/twin/GET/?$rid=a%3Ab");
    assert_eq!(Topic::parse("$iothub/twin/GET/?$rid=a%3Ab").unwrap(), topic);
}

#[test]
fn parameters_may_come_in_any_order() {
    assert_eq!(
        Topic::parse("$iothub/twin/res/204/?$version=6&$rid=1").unwrap(),
        Topic::TwinResponse {
            status: 204,
            rid: rid("1"),
            version: Some(TwinVersion::new(6))
        }
    );
}

#[test]
fn malformed_topics_are_refused() {
    let cases: [(&str, ErrorCheck); 9] = [
        // edgeHub: "Correlation id is missing or empty."
        ("$iothub/twin/GET/", |e| {
            matches!(e, TopicError::MissingParameter("$rid"))
        }),
        ("$iothub/twin/GET/?$rid=", |e| {
            matches!(e, TopicError::MissingParameter("$rid"))
        }),
        ("$iothub/twin/PATCH/properties/desired/", |e| {
            matches!(e, TopicError::MissingParameter("$version"))
        }),
        ("$iothub/twin/PATCH/properties/desired/?$version=x", |e| {
            matches!(e, TopicError::NotANumber { .. })
        }),
        ("$iothub/twin/res/ok/?$rid=1", |e| {
            matches!(e, TopicError::NotANumber { .. })
        }),
        ("$iothub/twin/DELETE/?$rid=1", |e| {
            matches!(e, TopicError::Unknown(_))
        }),
        ("devices/d/messages/events/", |e| {
            matches!(e, TopicError::Unknown(_))
        }),
        ("devices/d/modules/m/outputs/x", |e| {
            matches!(e, TopicError::Unknown(_))
        }),
        ("$iothub/twin/GET/?$rid=%FF", |e| {
            matches!(e, TopicError::Encoding(_))
        }),
    ];
    for (text, expected) in cases {
        let err = Topic::parse(text).unwrap_err();
        assert!(expected(&err), "{text}: {err:?}");
    }
}
