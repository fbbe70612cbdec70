//! `POST /devices/query`: twin queries (`{"query": "SELECT * FROM devices.modules WHERE …"}`),
//! answered with the matching module twins as a JSON array in the service `Twin` model, paged.
//!
//! The language is `hub_proto::query`'s subset. Module twins are searched in
//! (deviceId, moduleId) order; a page holds at most `x-ms-max-item-count` twins (100 when
//! absent, at most 1000). When more twins match after a page, the answer carries an
//! `x-ms-continuation` token naming the last twin returned; sent back as the request header of
//! the same name, it asks for the twins that match *at that time* and sort after that one.
//! So a twin changed between pages is returned (or not) by what it is when its page is
//! read; a twin deleted is not returned; one added or starting to match is returned only if
//! it sorts after the token; no twin is returned twice. `SELECT COUNT() AS n` answers one
//! `{"n": count}` item (`x-ms-item-type: raw`), never paged.
//!
//! The fleet's module twins (docs/edge-sim.md, Fleets) are searched too, merged into the same
//! order: a page reads at most `size + 1` fleet twins' matches after the token.
//!
//! edge-sim keeps no device twin (it hosts one edge device and its modules), so
//! `FROM devices` is refused with a 400 naming `FROM devices.modules`, rather than answered
//! with a made-up device twin.

use std::ops::ControlFlow;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hub_proto::encoding::{decode_component, encode_component};
use hub_proto::query::{
    CONTINUATION_HEADER, Collection, ITEM_TYPE_HEADER, MAX_ITEM_COUNT_HEADER, Query, Select,
    page_size,
};
use serde_json::{Map, Value};

use super::twins_modules::{twin_json, twin_json_of};
use super::{ServiceContext, ServiceError, json_object};

/// Where a page starts: after the twin of this device and module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TwinKey {
    pub(crate) device: String,
    pub(crate) module: String,
}

/// The prefix of edge-sim's continuation tokens (its format may change: clients echo it).
const TOKEN_PREFIX: &str = "after/";

impl TwinKey {
    /// The continuation token naming this twin: `after/<device>/<module>`, percent-encoded.
    pub(crate) fn token(&self) -> String {
        format!(
            "{TOKEN_PREFIX}{}/{}",
            encode_component(&self.device),
            encode_component(&self.module)
        )
    }

    /// The twin a continuation token names.
    pub(crate) fn from_token(token: &str) -> Result<Self, ServiceError> {
        let bad = || {
            ServiceError::new(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("x-ms-continuation {token:?} is not a continuation token of this hub"),
            )
        };
        let rest = token.strip_prefix(TOKEN_PREFIX).ok_or_else(bad)?;
        let (device, module) = rest.split_once('/').ok_or_else(bad)?;
        let device = decode_component(device).map_err(|_| bad())?;
        let module = decode_component(module).map_err(|_| bad())?;
        if device.is_empty() || module.is_empty() {
            return Err(bad());
        }
        Ok(Self {
            device: device.into_owned(),
            module: module.into_owned(),
        })
    }
}

/// One page of matches: `matches` in key order, the page starting after `after`.
/// Returns the page and, when more matches follow it, the key of its last item.
pub(crate) fn page<T>(
    matches: impl IntoIterator<Item = (TwinKey, T)>,
    after: Option<&TwinKey>,
    size: usize,
) -> (Vec<T>, Option<TwinKey>) {
    let mut rest = matches
        .into_iter()
        .filter(|(key, _)| after.is_none_or(|a| key > a))
        .peekable();
    let mut items = Vec::new();
    let mut last = None;
    while items.len() < size {
        let Some((key, item)) = rest.next() else {
            break;
        };
        items.push(item);
        last = Some(key);
    }
    let next = if rest.peek().is_some() { last } else { None };
    (items, next)
}

fn bad_request(message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// Serves a query.
pub(crate) fn post(
    ctx: &ServiceContext,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let header = |name: &str| -> Result<Option<&str>, ServiceError> {
        headers
            .get(name)
            .map(|v| {
                v.to_str()
                    .map_err(|_| bad_request(format!("{name} is not text")))
            })
            .transpose()
    };
    let text = match json_object(body)?.remove("query") {
        Some(Value::String(text)) => text,
        Some(_) => return Err(bad_request("query is not a string")),
        None => return Err(bad_request("the body names no query")),
    };
    let query =
        Query::parse(&text).map_err(|e| bad_request(format!("invalid query {text:?}: {e}")))?;
    if query.from == Collection::Devices {
        return Err(bad_request(
            "edge-sim keeps no device twins: query FROM devices.modules",
        ));
    }
    let size = page_size(header(MAX_ITEM_COUNT_HEADER)?).map_err(|e| bad_request(e.to_string()))?;
    let after = header(CONTINUATION_HEADER)?
        .map(TwinKey::from_token)
        .transpose()?;
    let device = ctx.state.device().device_id.to_string();
    // The edge device's twins (a handful), then the fleet's: each in key order, merged.
    let mut matches: Vec<(TwinKey, Value)> = ctx
        .state
        .twins()
        .into_iter()
        .filter_map(|(module, twin)| {
            let key = TwinKey {
                device: device.clone(),
                module: module.to_string(),
            };
            if after.as_ref().is_some_and(|a| &key <= a) && query.select == Select::All {
                return None;
            }
            let json = twin_json(ctx, &module, &twin);
            query.matches(&json).then_some((key, json))
        })
        .collect();
    let count_only = matches!(query.select, Select::Count { .. });
    if let Some(fleet) = &ctx.fleet {
        // A page needs at most `size + 1` fleet matches after the token (the `+ 1` tells
        // whether more follow); a count needs them all, without their JSON kept.
        let wanted = size as usize + 1;
        let mut found = 0usize;
        let fleet_after = if count_only {
            None
        } else {
            after.as_ref().map(|a| (a.device.clone(), a.module.clone()))
        };
        fleet.for_each_twin(fleet_after.as_ref(), |(d, m), twin, online| {
            let json = twin_json_of(d, m, twin, online);
            if query.matches(&json) {
                found += 1;
                let key = TwinKey {
                    device: d.clone(),
                    module: m.clone(),
                };
                matches.push((key, if count_only { Value::Null } else { json }));
            }
            if !count_only && found >= wanted {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        matches.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let (items, next) = match &query.select {
        Select::All => page(matches, after.as_ref(), size as usize),
        Select::Count { alias } => {
            let mut count = Map::new();
            count.insert(alias.clone(), Value::from(matches.len()));
            (vec![Value::Object(count)], None)
        }
    };
    let mut response = Json(items).into_response();
    let headers = response.headers_mut();
    headers.insert(
        ITEM_TYPE_HEADER,
        HeaderValue::from_static(query.item_type().as_str()),
    );
    if let Some(next) = next {
        // Percent-encoded: always a valid header value.
        if let Ok(token) = HeaderValue::from_str(&next.token()) {
            headers.insert(CONTINUATION_HEADER, token);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(module: &str) -> TwinKey {
        TwinKey {
            device: "dev".into(),
            module: module.into(),
        }
    }

    fn twins(modules: &[&str]) -> Vec<(TwinKey, String)> {
        modules.iter().map(|m| (key(m), (*m).to_owned())).collect()
    }

    #[test]
    fn pages_follow_each_other_until_no_token_is_left() {
        let all = twins(&["a", "b", "c", "d", "e"]);
        let (first, next) = page(all.clone(), None, 2);
        assert_eq!(first, ["a", "b"]);
        assert_eq!(next, Some(key("b")));
        let (second, next) = page(all.clone(), next.as_ref(), 2);
        assert_eq!(second, ["c", "d"]);
        let (third, next) = page(all, next.as_ref(), 2);
        assert_eq!(third, ["e"]);
        assert_eq!(next, None);
    }

    #[test]
    fn an_exactly_full_last_page_has_no_token() {
        let (items, next) = page(twins(&["a", "b"]), None, 2);
        assert_eq!(items, ["a", "b"]);
        assert_eq!(next, None);
        let (items, next) = page(twins(&[]), None, 2);
        assert!(items.is_empty());
        assert_eq!(next, None);
    }

    #[test]
    fn a_page_after_changes_starts_after_the_named_twin_even_if_it_is_gone() {
        // "b" was the last of page 1, then deleted; "bb" was added; "a" changed: page 2
        // starts after "b" whatever the twins are now, so nothing is returned twice.
        let now = twins(&["a", "bb", "c"]);
        let (items, next) = page(now, Some(&key("b")), 2);
        assert_eq!(items, ["bb", "c"]);
        assert_eq!(next, None);
    }

    #[test]
    fn tokens_round_trip_and_foreign_tokens_are_refused() {
        let k = TwinKey {
            device: "edge/1".into(),
            module: "$edgeAgent".into(),
        };
        let token = k.token();
        assert_eq!(token, "after/edge%2F1/%24edgeAgent");
        assert_eq!(TwinKey::from_token(&token).unwrap(), k);
        for bad in [
            "",
            "after/",
            "after/dev",
            "after//m",
            "before/d/m",
            "after/%FF/m",
        ] {
            let e = TwinKey::from_token(bad).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(e.message.contains("continuation"), "{e}");
        }
    }
}
