//! IoT Hub protocol values: topics, twins and twin queries.

use hub_proto::encoding::{decode_component, encode_component};
use hub_proto::query::Query;
use hub_proto::twin::{
    PatchOutcome, TwinOutcome, diff, merge, parse_reported_patch, validate_reported_patch,
};
use hub_proto::{DesiredState, Subscription, Topic, TwinProperties, TwinVersion};
use provisioning::{DesiredPki, Section};
use serde_json::{Map, Value};

use crate::parts;

/// Input: a topic name. Invariants: a parsed topic formats to a name that parses back to the
/// same topic; a percent-decoded component encodes to one that decodes to the same text.
pub fn topic(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let _ = Subscription::classify(text);
    if let Ok(decoded) = decode_component(text) {
        let encoded = encode_component(&decoded);
        assert_eq!(
            decode_component(&encoded).ok().as_deref(),
            Some(&*decoded),
            "percent-encoding does not round-trip"
        );
    }
    let Ok(topic) = Topic::parse(text) else {
        return false;
    };
    let formatted = topic.to_string();
    match Topic::parse(&formatted) {
        Ok(again) => assert_eq!(again, topic, "{text:?} formats as {formatted:?}"),
        Err(e) => panic!("{text:?} formats as {formatted:?}, which does not parse: {e}"),
    }
    true
}

/// Input: up to two JSON texts separated by `0xFF`. The first is read as a reported patch, a
/// twin GET body, a desired `pki` section and a cert-agent store (each must survive its own
/// serialisation), and adopted as the desired document of a twin GET; the second is applied
/// to it as a desired notification, and the patch between the two (`diff`) must turn the first
/// into the second (`merge`).
pub fn twin(data: &[u8]) -> bool {
    let mut parts = parts(data);
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    let mut accepted = false;

    if let Ok(patch) = parse_reported_patch(first) {
        let stored = serde_json::to_vec(&patch).unwrap_or_default();
        match parse_reported_patch(&stored) {
            Ok(again) => assert_eq!(again, patch, "a reported patch changes when stored"),
            Err(e) => panic!("an accepted reported patch is refused once serialised: {e}"),
        }
        accepted = true;
    }
    if let Ok(doc) = TwinProperties::from_slice(first) {
        match TwinProperties::from_slice(&doc.to_vec()) {
            Ok(again) => assert_eq!(again, doc, "a twin document changes when re-sent"),
            Err(e) => panic!("a twin document does not parse once serialised: {e}"),
        }
    }

    let Ok(value) = serde_json::from_slice::<Value>(first) else {
        return accepted;
    };
    for section in [Section::OwnPki, Section::AgentStore] {
        if let Ok(doc) = DesiredPki::from_twin(Some(&value), section) {
            let written = serde_json::to_value(&doc).unwrap_or_default();
            match DesiredPki::from_twin(Some(&written), section) {
                Ok(again) => assert_eq!(again, doc, "a desired document changes when written"),
                Err(e) => panic!("a desired document is refused once written: {e:?}"),
            }
            accepted = true;
        }
    }
    let Value::Object(document) = value else {
        return accepted;
    };
    let mut state = DesiredState::new();
    assert_eq!(state.on_twin(document.clone()), TwinOutcome::Changed);
    assert_eq!(state.on_twin(document.clone()), {
        if TwinVersion::of(&document).is_some() {
            TwinOutcome::Unchanged
        } else {
            TwinOutcome::Changed
        }
    });
    let Some(Ok(Value::Object(next))) = second.map(serde_json::from_slice::<Value>) else {
        return accepted;
    };
    let held = state.version();
    let version = TwinVersion::of(&next).unwrap_or(TwinVersion::INITIAL);
    match state.on_patch(version, &next) {
        PatchOutcome::Applied => {
            assert!(held.is_none_or(|h| version > h), "an old patch was applied");
            assert_eq!(state.version(), Some(version));
        }
        PatchOutcome::Stale => {
            assert!(
                held.is_some_and(|h| version <= h),
                "a newer patch was dropped"
            );
            assert_eq!(state.version(), held);
        }
        PatchOutcome::NoBaseline => panic!("a patch after a twin GET found no baseline"),
    }

    // `merge(from, diff(from, to))` is `to` for a stored twin (no `null`, no `$` members).
    let to = stored_form(&next);
    let mut merged = document.clone();
    merge(&mut merged, &diff(&document, &to));
    assert_eq!(
        stored_form(&merged),
        to,
        "merge(from, diff(from, to)) is not to"
    );
    if validate_reported_patch(&to).is_ok() {
        accepted = true;
    }
    accepted
}

/// A section as a twin stores it: without `null` members and service (`$`) members.
fn stored_form(section: &Map<String, Value>) -> Map<String, Value> {
    section
        .iter()
        .filter(|(k, v)| !k.starts_with('$') && !v.is_null())
        .map(|(k, v)| {
            let v = match v {
                Value::Object(inner) => Value::Object(stored_form(inner)),
                other => other.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}

/// Input: a twin query, optionally followed by `0xFF` and a twin JSON document. Invariants: a
/// refusal names a column inside the text (or just after it); an accepted query's canonical
/// text parses back to the same query and is its own canonical text; evaluating it against
/// the document does not panic.
pub fn query(data: &[u8]) -> bool {
    let mut parts = parts(data);
    let Ok(text) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return false;
    };
    let query = match Query::parse(text) {
        Ok(query) => query,
        Err(e) => {
            let end = text.chars().count() + 1;
            assert!(
                (1..=end).contains(&e.column),
                "{text:?}: column {} outside 1..={end}",
                e.column
            );
            return false;
        }
    };
    let canonical = query.to_string();
    match Query::parse(&canonical) {
        Ok(again) => {
            assert_eq!(
                again, query,
                "{text:?} reads back differently from {canonical:?}"
            );
            assert_eq!(
                again.to_string(),
                canonical,
                "the canonical text is not stable"
            );
        }
        Err(e) => panic!("{text:?}: its canonical text {canonical:?} is refused: {e}"),
    }
    if let Some(document) = parts.next()
        && let Ok(twin) = serde_json::from_slice::<Value>(document)
    {
        let _ = query.matches(&twin);
    }
    true
}
