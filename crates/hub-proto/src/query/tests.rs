#![allow(clippy::unwrap_used)] // Tests fail loudly.

use super::*;
use serde_json::json;

fn twin(module: &str, reported: &Value, tags: &Value) -> Value {
    json!({
        "deviceId": "edge-1",
        "moduleId": module,
        "etag": "AAAAAAAAAAE=",
        "status": "enabled",
        "version": 4,
        "tags": tags,
        "properties": {
            "desired": {"$version": 2, "$metadata": {}},
            "reported": reported,
        },
    })
}

fn fleet() -> Vec<Value> {
    vec![
        twin(
            "opcplc",
            &json!({"pki": {"expiry": {"status": "ok", "days": 200}}, "$version": 3}),
            &json!({"site": "lab", "line": 1}),
        ),
        twin(
            "opcclient",
            &json!({"pki": {"expiry": {"status": "expiring", "days": 9}}}),
            &json!({"site": "plant-a", "line": 2}),
        ),
        twin(
            "telemetry",
            &json!({"stores": ["own"], "flag": true, "nothing": null}),
            &json!({}),
        ),
    ]
}

/// The module ids of the fleet's twins that `query` matches.
fn found(query: &str) -> Vec<String> {
    let q = Query::parse(query).unwrap();
    fleet()
        .iter()
        .filter(|t| q.matches(t))
        .map(|t| t["moduleId"].as_str().unwrap().to_owned())
        .collect()
}

fn refused(query: &str) -> QueryError {
    Query::parse(query).unwrap_err()
}

#[test]
fn select_star_without_where_finds_every_module() {
    let q = Query::parse("SELECT * FROM devices.modules").unwrap();
    assert_eq!(q.from, Collection::Modules);
    assert_eq!(q.select, Select::All);
    assert_eq!(q.item_type(), ItemType::Twin);
    assert_eq!(found("select * from devices.modules").len(), 3);
    assert_eq!(
        Query::parse("SELECT * FROM devices").unwrap().from,
        Collection::Devices
    );
}

#[test]
fn is_defined_finds_the_modules_that_have_the_section() {
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE is_defined(properties.reported.pki)"),
        ["opcplc", "opcclient"]
    );
    assert_eq!(
        found(
            "SELECT * FROM devices.modules WHERE IS_DEFINED(properties.reported.pki) \
             OR IS_DEFINED(properties.reported.stores)"
        ),
        ["opcplc", "opcclient", "telemetry"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE NOT is_defined(properties.reported.pki)"),
        ["telemetry"]
    );
}

#[test]
fn comparisons_of_strings_and_numbers() {
    assert_eq!(
        found(
            "SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.status = 'expiring'"
        ),
        ["opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.days < 30"),
        ["opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.days >= 200.0"),
        ["opcplc"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE tags.site <> 'lab'"),
        ["opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE tags.site != 'lab' AND tags.line = 2"),
        ["opcclient"]
    );
    assert_eq!(
        found(
            "SELECT * FROM devices.modules WHERE moduleId > 'opcclient' AND moduleId <= 'telemetry'"
        ),
        ["opcplc", "telemetry"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE version = 4 AND status = 'enabled'"),
        ["opcplc", "opcclient", "telemetry"]
    );
}

#[test]
fn a_missing_property_or_another_type_matches_neither_way() {
    // telemetry has no site: neither = nor != is true, and NOT does not make it true.
    assert!(found("SELECT * FROM devices.modules WHERE tags.site = 'x'").is_empty());
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE NOT (tags.site = 'lab')"),
        ["opcclient"]
    );
    // A number compared with a string is neither equal nor different.
    assert!(found("SELECT * FROM devices.modules WHERE tags.line = '1'").is_empty());
    assert!(found("SELECT * FROM devices.modules WHERE tags.line != '1'").is_empty());
    // Objects compare with nothing; booleans and null only for (in)equality.
    assert!(
        found("SELECT * FROM devices.modules WHERE properties.reported.pki != null").is_empty()
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE properties.reported.flag = true"),
        ["telemetry"]
    );
    assert!(
        found("SELECT * FROM devices.modules WHERE properties.reported.flag > false").is_empty()
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE properties.reported.nothing = null"),
        ["telemetry"]
    );
    // Undefined OR true is true; undefined AND false is false (so NOT of it is true).
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE tags.site = 'lab' OR moduleId = 'telemetry'"),
        ["opcplc", "telemetry"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE NOT (tags.site = 'lab' AND moduleId = 'x')"),
        ["opcplc", "opcclient", "telemetry"]
    );
}

#[test]
fn in_and_nin_lists() {
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE moduleId IN ['opcplc', 'telemetry']"),
        ["opcplc", "telemetry"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE moduleId NIN ['opcplc', 'telemetry']"),
        ["opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE tags.site NOT IN ['lab']"),
        ["opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE tags.line in [2, 3]"),
        ["opcclient"]
    );
    assert!(found("SELECT * FROM devices.modules WHERE moduleId IN []").is_empty());
}

#[test]
fn type_checks_and_string_tests() {
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE IS_OBJECT(properties.reported.pki)"),
        ["opcplc", "opcclient"]
    );
    assert_eq!(
        found(
            "SELECT * FROM devices.modules WHERE is_array(properties.reported.stores) AND is_bool(properties.reported.flag) AND is_null(properties.reported.nothing)"
        ),
        ["telemetry"]
    );
    assert_eq!(
        found(
            "SELECT * FROM devices.modules WHERE IS_STRING(tags.site) AND IS_NUMBER(tags.line) AND IS_PRIMITIVE(tags.line)"
        ),
        ["opcplc", "opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE STARTSWITH(moduleId, 'opc')"),
        ["opcplc", "opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE endswith(tags.site, '-a')"),
        ["opcclient"]
    );
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE CONTAINS(moduleId, 'plc')"),
        ["opcplc"]
    );
    // A number is no string: the test is undefined, and so is its NOT.
    assert!(found("SELECT * FROM devices.modules WHERE NOT STARTSWITH(tags.line, '1')").is_empty());
}

#[test]
fn keywords_are_case_insensitive_and_parentheses_group() {
    assert_eq!(
        found(
            "sElEcT * FrOm DEVICES.MODULES wHeRe (moduleId = 'opcplc' Or moduleId = 'telemetry') AnD Is_Defined(tags.site)"
        ),
        ["opcplc"]
    );
    // AND binds tighter than OR.
    assert_eq!(
        found(
            "SELECT * FROM devices.modules WHERE moduleId = 'telemetry' OR moduleId = 'opcplc' AND tags.line = 2"
        ),
        ["telemetry"]
    );
}

#[test]
fn collection_prefixes_name_the_twin_itself() {
    assert_eq!(
        found("SELECT * FROM devices.modules WHERE devices.modules.moduleId = 'opcplc'"),
        ["opcplc"]
    );
    assert_eq!(
        found(
            "SELECT * FROM devices.modules WHERE devices.deviceId = 'edge-1' AND devices.modules.tags.site = 'lab'"
        ),
        ["opcplc"]
    );
    let q = Query::parse("SELECT * FROM devices WHERE devices.tags.site = 'lab'").unwrap();
    assert!(q.matches(&json!({"deviceId": "d", "tags": {"site": "lab"}})));
}

#[test]
fn strings_take_escapes_and_double_quotes() {
    let q = Query::parse(r"SELECT * FROM devices WHERE tags.name = 'it\'s'").unwrap();
    assert!(q.matches(&json!({"tags": {"name": "it's"}})));
    let q = Query::parse(r#"SELECT * FROM devices WHERE tags.name = "a b""#).unwrap();
    assert!(q.matches(&json!({"tags": {"name": "a b"}})));
    let q = Query::parse("SELECT * FROM devices WHERE tags.n = -1.5e1").unwrap();
    assert!(q.matches(&json!({"tags": {"n": -15}})));
}

#[test]
fn count_has_an_alias_and_raw_items() {
    let q = Query::parse("SELECT COUNT() AS n FROM devices.modules WHERE is_defined(tags.site)")
        .unwrap();
    assert_eq!(q.select, Select::Count { alias: "n".into() });
    assert_eq!(q.item_type(), ItemType::Raw);
    let e = refused("SELECT COUNT() FROM devices");
    assert_eq!(e.column, 16);
    assert!(e.message.contains("AS"), "{e}");
}

#[test]
fn bad_queries_name_the_problem_and_its_column() {
    let e = refused("SELECT * FORM devices");
    assert_eq!(e.to_string(), "expected FROM, found 'FORM' at column 10");
    let e = refused("SELECT deviceId FROM devices");
    assert_eq!(e.column, 8);
    assert!(e.message.contains("only SELECT *"), "{e}");
    let e = refused("SELECT * FROM devices.jobs");
    assert!(e.message.contains("devices.jobs"), "{e}");
    let e = refused("SELECT * FROM devices WHERE tags.site = 'lab");
    assert_eq!(e.column, 41);
    assert!(e.message.contains("unterminated"), "{e}");
    let e = refused("SELECT * FROM devices WHERE tags.site 'lab'");
    assert_eq!(e.column, 39);
    assert!(e.message.contains("comparison operator"), "{e}");
    let e = refused("SELECT * FROM devices WHERE (tags.a = 1");
    assert_eq!(e.message, "expected ')', found the end of the query");
    let e = refused("SELECT * FROM devices WHERE IS_FOO(tags.a)");
    assert_eq!(
        (e.column, e.message.as_str()),
        (29, "unknown function IS_FOO")
    );
    let e = refused("SELECT * FROM devices WHERE STARTSWITH(tags.a)");
    assert!(e.message.contains("second argument"), "{e}");
    let e = refused("SELECT * FROM devices WHERE properties.reported.$metadata.x = 1");
    assert!(e.message.contains("$ metadata"), "{e}");
    let e = refused("SELECT * FROM devices.modules WHERE devices.tags.site = 'a'");
    assert!(e.message.contains("devices.deviceId"), "{e}");
    let e = refused("SELECT * FROM devices WHERE a = 1 b = 2");
    assert!(e.message.contains("AND, OR"), "{e}");
    let e = refused("SELECT * FROM devices WHERE a IN [tags.b]");
    assert!(e.message.contains("literals"), "{e}");
    let e = refused("SELECT * FROM devices WHERE a = 1 GROUP BY a");
    assert!(e.message.contains("not supported"), "{e}");
    let e = refused("SELECT * FROM devices WHERE a = #");
    assert_eq!(
        (e.column, e.message.as_str()),
        (33, "unexpected character '#'")
    );
    assert!(refused("").message.contains("expected SELECT"));
    assert!(
        refused("SELECT * FROM devices WHERE")
            .message
            .contains("found the end")
    );
}

#[test]
fn deep_nesting_and_huge_queries_are_refused_not_overflowing_the_stack() {
    let nested = format!(
        "SELECT * FROM devices WHERE {}a = 1{}",
        "(".repeat(MAX_NESTING + 1),
        ")".repeat(MAX_NESTING + 1)
    );
    let e = refused(&nested);
    assert_eq!(e.column, 29 + MAX_NESTING);
    assert!(e.message.contains("deeper than 64"), "{e}");
    let nots = format!("SELECT * FROM devices WHERE {} a = 1", "NOT ".repeat(100));
    assert!(refused(&nots).message.contains("deeper than 64"));
    let q = format!(
        "SELECT * FROM devices WHERE {}a = 1{}",
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING)
    );
    assert!(Query::parse(&q).unwrap().matches(&json!({"a": 1})));
    let long = format!(
        "SELECT * FROM devices WHERE a = 1{}",
        " OR a = 1".repeat(400)
    );
    let e = refused(&long);
    assert!(e.message.contains("more than 1000 tokens"), "{e}");
    // Just under the limit: a long OR chain parses and evaluates.
    let chain = format!(
        "SELECT * FROM devices WHERE a = 0{}",
        " OR a = 1".repeat(240)
    );
    assert!(Query::parse(&chain).unwrap().matches(&json!({"a": 1})));
}

#[test]
fn every_cut_and_every_dropped_character_of_valid_queries_parses_or_is_refused() {
    let queries = [
        "SELECT * FROM devices.modules WHERE (is_defined(properties.reported.pki) OR \
         tags.site IN ['a', \"b\"]) AND NOT STARTSWITH(moduleId, 'x') AND version >= -1.5e2",
        "select count() as n from devices where tags.a nin [1, true, null] or tags.b <> 'it\\'s'",
    ];
    for query in queries {
        let chars: Vec<char> = query.chars().collect();
        for end in 0..=chars.len() {
            let cut: String = chars[..end].iter().collect();
            if let Err(e) = Query::parse(&cut) {
                assert!(e.column >= 1 && e.column <= end + 1, "{cut:?}: {e}");
            }
        }
        for drop in 0..chars.len() {
            let mut changed = chars.clone();
            changed.remove(drop);
            let changed: String = changed.into_iter().collect();
            if let Ok(q) = Query::parse(&changed) {
                let _ = q.matches(&json!({"tags": {"a": 1}}));
            }
        }
    }
}

#[test]
fn the_canonical_text_parses_back_to_the_same_query() {
    for (text, canonical) in [
        (
            "select * from devices.modules where not (a = 1 or b <> 'x') and c not in [1, 'y'] or (d < 2 and e >= -1.5)",
            "SELECT * FROM devices.modules WHERE NOT (a = 1 OR b != 'x') AND c NIN [1, 'y'] OR d < 2 AND e >= -1.5",
        ),
        (
            "SELECT count() AS n FROM devices WHERE a = 1 OR (b = 2 OR c = 3) AND is_defined(devices.devices.x)",
            "SELECT COUNT() AS n FROM devices WHERE a = 1 OR (b = 2 OR c = 3) AND IS_DEFINED(devices.devices.x)",
        ),
        (
            r"SELECT * FROM devices.modules WHERE devices.deviceId = 'it\'s \\' AND startswith(tags.x, moduleId) AND NOT NOT flag = true AND n IN []",
            r"SELECT * FROM devices.modules WHERE deviceId = 'it\'s \\' AND STARTSWITH(tags.x, moduleId) AND NOT NOT flag = true AND n IN []",
        ),
    ] {
        let q = Query::parse(text).unwrap();
        assert_eq!(q.to_string(), canonical);
        assert_eq!(Query::parse(canonical).unwrap(), q, "{canonical}");
    }
}

#[test]
fn page_sizes_default_cap_and_refuse_nonsense() {
    assert_eq!(page_size(None), Ok(DEFAULT_PAGE_SIZE));
    assert_eq!(page_size(Some("2")), Ok(2));
    assert_eq!(page_size(Some(" 1000 ")), Ok(1000));
    assert_eq!(page_size(Some("5000")), Ok(MAX_PAGE_SIZE));
    assert_eq!(
        page_size(Some("99999999999999999999999")),
        Ok(MAX_PAGE_SIZE)
    );
    assert!(page_size(Some("0")).is_err());
    assert!(page_size(Some("-1")).is_err());
    assert!(page_size(Some("ten")).is_err());
    assert!(page_size(Some("")).is_err());
}
