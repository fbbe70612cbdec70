//! The twin editor's rules, as plain functions over JSON values.
//!
//! The operator edits a module's whole desired document (without `$version`/`$metadata`).
//! Before anything is sent:
//! - [`check`] runs edgeHub's rules on it (names, string and integer limits, depth, 32 KB, no
//!   `null` in arrays: `hub_proto::twin::validate`, the rules IoT Hub applies to desired
//!   properties too) and then this project's contract on its `pki` and `stores.<name>`
//!   sections (every certificate and CRL decoded, private keys refused, names checked: what the
//!   module would refuse with `rejected`), each problem with its path;
//! - [`changes`] lists what differs from the current desired document, path by path;
//! - the edit is sent as the merge patch `hub_proto::twin::diff` makes of it (`null` removes a
//!   member), so tags and everything else of the twin stay as they are, with `If-Match` and
//!   the etag the editor read, so an edit made meanwhile elsewhere is refused instead of
//!   overwritten.
//!
//! The document edited is the desired section without its `$` members
//! (`hub_proto::twin::properties_only`).

use hub_proto::twin::validate_reported_patch;
use provisioning::{Desired, PKI_PROPERTY, STORES_PROPERTY, Section, StoreName};
use serde::Serialize;
use serde_json::{Map, Value};

/// One problem of an edited document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where: `pki.crls.vaultCa`, `stores.plc2`, or empty for the whole document.
    pub path: String,
    /// The rule it breaks (`edgeHub` or the OPC UA status code of the contract).
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

/// One difference between the current and the edited document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The member's path, `.`-separated.
    pub path: String,
    /// The current value; absent when the edit adds the member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The new value; absent when the edit removes the member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Every problem of an edited desired document; empty when it may be sent.
#[must_use]
pub fn check(document: &Map<String, Value>) -> Vec<Problem> {
    if let Err(e) = validate_reported_patch(document) {
        // edgeHub's message names the property; its check stops at the first violation.
        return vec![Problem {
            path: String::new(),
            rule: "edgeHub".to_owned(),
            message: e.to_string().replace("reported patch", "desired document"),
        }];
    }
    let mut problems = Vec::new();
    if let Some(pki) = document.get(PKI_PROPERTY).filter(|v| !v.is_null())
        && let Err(e) = Desired::parse(Some(pki), Section::OwnPki)
    {
        problems.push(contract_problem(PKI_PROPERTY, &e));
    }
    match document.get(STORES_PROPERTY) {
        None | Some(Value::Null) => {}
        Some(Value::Object(stores)) => {
            for (name, store) in stores {
                let path = format!("{STORES_PROPERTY}.{name}");
                if let Err(e) = StoreName::new(name) {
                    problems.push(Problem {
                        path,
                        rule: "storeName".to_owned(),
                        message: e.to_string(),
                    });
                    continue;
                }
                if store.is_null() {
                    continue;
                }
                if let Err(e) = Desired::parse(Some(store), Section::AgentStore) {
                    problems.push(contract_problem(&path, &e));
                }
            }
        }
        Some(_) => problems.push(Problem {
            path: STORES_PROPERTY.to_owned(),
            rule: "BadTypeMismatch".to_owned(),
            message: "stores must be an object of store name to store".to_owned(),
        }),
    }
    problems
}

fn contract_problem(section: &str, error: &provisioning::ItemError) -> Problem {
    let path = if error.item.is_empty() {
        section.to_owned()
    } else {
        format!("{section}.{}", error.item)
    };
    Problem {
        path,
        rule: error.code.to_string(),
        message: error.message.clone(),
    }
}

/// What differs between `current` and `edited`, leaf by leaf (objects are walked, arrays
/// and scalars compared whole), in path order.
#[must_use]
pub fn changes(current: &Map<String, Value>, edited: &Map<String, Value>) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", current, edited, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn walk(
    prefix: &str,
    current: &Map<String, Value>,
    edited: &Map<String, Value>,
    out: &mut Vec<Change>,
) {
    let path = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    for (name, before) in current {
        if !edited.contains_key(name) {
            out.push(Change {
                path: path(name),
                before: Some(before.clone()),
                after: None,
            });
        }
    }
    for (name, after) in edited {
        match current.get(name) {
            Some(before) if before == after => {}
            Some(Value::Object(before)) if after.is_object() => {
                if let Value::Object(after) = after {
                    walk(&path(name), before, after, out);
                }
            }
            before => out.push(Change {
                path: path(name),
                before: before.cloned(),
                after: Some(after.clone()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn changes_are_listed_leaf_by_leaf_in_path_order() {
        let current = map(json!({"pki": {"trusted": {"a": "A", "b": "B"}}, "list": [1, 2]}));
        let edited =
            map(json!({"pki": {"trusted": {"a": "A2"}, "issuers": {"c": "C"}}, "list": [1]}));
        let found: Vec<(String, Option<Value>, Option<Value>)> = changes(&current, &edited)
            .into_iter()
            .map(|c| (c.path, c.before, c.after))
            .collect();
        assert_eq!(
            found,
            vec![
                ("list".into(), Some(json!([1, 2])), Some(json!([1]))),
                ("pki.issuers".into(), None, Some(json!({"c": "C"}))),
                ("pki.trusted.a".into(), Some(json!("A")), Some(json!("A2"))),
                ("pki.trusted.b".into(), Some(json!("B")), None),
            ]
        );
    }

    #[test]
    fn edge_hub_rules_are_checked_before_the_contract() {
        let problems = check(&map(json!({"pki": {"trusted": {"a.b": "x"}}})));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].rule, "edgeHub");
        assert!(problems[0].message.contains("a.b"), "{problems:?}");
        let deep = (0..12).fold(json!(1), |inner, _| json!({ "x": inner }));
        assert_eq!(check(&map(json!({ "deep": deep })))[0].rule, "edgeHub");
    }

    #[test]
    fn a_certificate_that_does_not_decode_is_named_with_its_path_and_code() {
        let problems = check(&map(
            json!({"pki": {"trusted": {"vendorCa": "not a certificate"}}}),
        ));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "pki.trusted.vendorCa");
        assert!(problems[0].rule.starts_with("Bad"), "{problems:?}");
    }

    #[test]
    fn store_sections_are_checked_per_store_and_policy_knobs_are_refused_there() {
        let problems = check(&map(json!({"stores": {
            "good": {"restartModule": "plc"},
            "bad": {"rejectSha1SignedCertificates": true},
        }})));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].path.starts_with("stores.bad"), "{problems:?}");
        assert_eq!(problems[0].rule, "BadNotSupported");
        let not_object = check(&map(json!({"stores": 3})));
        assert_eq!(not_object[0].path, "stores");
    }

    #[test]
    fn a_document_the_module_would_take_has_no_problems() {
        assert!(
            check(&map(
                json!({"pki": {"expiryWarningDays": 30}, "other": {"x": 1}})
            ))
            .is_empty()
        );
        assert!(check(&map(json!({"pki": null, "stores": {"s": null}}))).is_empty());
    }
}
