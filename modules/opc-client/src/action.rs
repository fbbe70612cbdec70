//! The action file (docs/reference/opc-ua-apps.md §2.3): a JSON array of
//! `{EndpointUrl, UseSecurity, Read:[{Id, Interval}], Test:[{Id, Interval}]}`, and the actions it
//! yields, grouped into one session per (endpoint, security).
//!
//! Parsing is strict and pure: unknown fields, wrong types, node ids that are neither a `NodeId`
//! nor an `nsu=` `ExpandedNodeId` and URLs that are not `opc.tcp://host…` are errors naming the
//! line, the column and the field path (`[1].Read[0].Id`). Nothing is executed from a broken file.

use std::fmt;

use serde::Deserialize;

/// `Server_ServerStatus_CurrentTime`, what the default test action reads.
pub const DEFAULT_TEST_NODE: &str = "i=2258";
/// The default test action's interval in seconds.
pub const DEFAULT_TEST_INTERVAL: u32 = 30;

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Reads the value (`OpcTestAction`).
    Test,
    /// Reads display name, description and value (`OpcReadAction`).
    Read,
}

impl ActionKind {
    /// The reference's type name (`OpcTestAction`).
    #[must_use]
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Test => "OpcTestAction",
            Self::Read => "OpcReadAction",
        }
    }
}

/// One configured action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Sequential id, printed as `000`.
    pub id: usize,
    /// What it does.
    pub kind: ActionKind,
    /// Its session's endpoint, as printed (`opc.tcp://host:port/`).
    pub endpoint_url: String,
    /// Its session's security.
    pub use_security: bool,
    /// The node, as written (`i=2258`, `nsu=…;s=…`); resolved per session.
    pub node: String,
    /// Seconds between executions; 0 runs it once.
    pub interval: u32,
}

impl Action {
    /// `ActionId: 000 ActionType: 'OpcTestAction', Endpoint: '…' Node 'i=2258'` (the reference's
    /// description of an action, used inside its log lines).
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "ActionId: {:03} ActionType: '{}', Endpoint: '{}' Node '{}'",
            self.id,
            self.kind.type_name(),
            self.endpoint_url,
            self.node
        )
    }
}

/// Actions of one session: one per distinct (endpoint, security).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionActions {
    /// The endpoint, as printed.
    pub endpoint_url: String,
    /// Whether the session is secured.
    pub use_security: bool,
    /// Its actions, in configuration order.
    pub actions: Vec<Action>,
}

/// Why the action file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFileError {
    /// 1-based line of the error (0 when the file could not be read).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field path (`[1].Read[0].Id`), empty for the whole document.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ActionFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {}", self.line, self.column)?;
        if !self.path.is_empty() && self.path != "." {
            write!(f, ", field {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ActionFileError {}

/// Parses an action file; every action gets the next id starting at `first_id`.
pub fn parse(
    text: &str,
    default_url: &str,
    first_id: usize,
) -> Result<Vec<Action>, ActionFileError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let entries: Vec<RawEndpoint> = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        ActionFileError {
            line: inner.line(),
            column: inner.column(),
            path,
            message: strip_position(&inner.to_string()),
        }
    })?;
    de.end().map_err(|e| ActionFileError {
        line: e.line(),
        column: e.column(),
        path: String::new(),
        message: strip_position(&e.to_string()),
    })?;
    let mut actions = Vec::new();
    for entry in entries {
        let url = normalize_url(entry.endpoint_url.as_ref().map_or(default_url, |u| &u.0));
        let use_security = entry.use_security.unwrap_or(true);
        for (kind, list) in [
            (ActionKind::Read, entry.read),
            (ActionKind::Test, entry.test),
        ] {
            for raw in list.unwrap_or_default() {
                actions.push(Action {
                    id: first_id + actions.len(),
                    kind,
                    endpoint_url: url.clone(),
                    use_security,
                    node: raw.id.0,
                    interval: raw.interval,
                });
            }
        }
    }
    Ok(actions)
}

/// The default test action (`i=2258` every 30 s) on `url`.
#[must_use]
pub fn test_action(id: usize, url: &str, use_security: bool) -> Action {
    Action {
        id,
        kind: ActionKind::Test,
        endpoint_url: normalize_url(url),
        use_security,
        node: DEFAULT_TEST_NODE.to_owned(),
        interval: DEFAULT_TEST_INTERVAL,
    }
}

/// Groups actions into one session per (endpoint, security), in order of first appearance.
#[must_use]
pub fn group(actions: Vec<Action>) -> Vec<SessionActions> {
    let mut sessions: Vec<SessionActions> = Vec::new();
    for action in actions {
        match sessions.iter_mut().find(|s| {
            s.endpoint_url == action.endpoint_url && s.use_security == action.use_security
        }) {
            Some(session) => session.actions.push(action),
            None => sessions.push(SessionActions {
                endpoint_url: action.endpoint_url.clone(),
                use_security: action.use_security,
                actions: vec![action],
            }),
        }
    }
    sessions
}

/// The URL as .NET's `Uri.AbsoluteUri` prints it: scheme and authority lowercased, `/` for an
/// empty path.
#[must_use]
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    format!(
        "{}://{}{path}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    )
}

/// `serde_json` appends " at line L column C"; the error already carries both.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoint {
    #[serde(rename = "EndpointUrl", default)]
    endpoint_url: Option<EndpointUrl>,
    #[serde(rename = "UseSecurity", default)]
    use_security: Option<bool>,
    #[serde(rename = "Read", default)]
    read: Option<Vec<RawAction>>,
    #[serde(rename = "Test", default)]
    test: Option<Vec<RawAction>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    #[serde(rename = "Id")]
    id: NodeText,
    #[serde(rename = "Interval", default)]
    interval: u32,
}

/// A node id text whose syntax was checked while parsing (so the error has a position).
#[derive(Debug)]
struct NodeText(String);

impl<'de> Deserialize<'de> for NodeText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ua::check_node_id(&text).map_err(serde::de::Error::custom)?;
        Ok(Self(text.trim().to_owned()))
    }
}

/// An `opc.tcp://host[:port][/path]` URL.
#[derive(Debug)]
struct EndpointUrl(String);

impl<'de> Deserialize<'de> for EndpointUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let valid = text
            .trim()
            .get(..10)
            .is_some_and(|s| s.eq_ignore_ascii_case("opc.tcp://"))
            && ua::url_host(text.trim()).is_some()
            && !text.contains('\0');
        if !valid {
            return Err(serde::de::Error::custom(format!(
                "'{text}' is not an opc.tcp://host:port endpoint URL"
            )));
        }
        Ok(Self(text.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const DEFAULT: &str = "opc.tcp://opcplc:50000";

    #[test]
    fn a_full_file_yields_actions_with_defaults_and_sequential_ids() {
        let text = r#"[
          { "EndpointUrl": "opc.tcp://PLC:50000", "UseSecurity": false,
            "Read": [ { "Id": "ns=2;s=AlternatingBoolean", "Interval": 5 } ],
            "Test": [ { "Id": "i=2258" } ] },
          { "Read": [ { "Id": "nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp", "Interval": 10 } ] }
        ]"#;
        let actions = parse(text, DEFAULT, 0).unwrap();
        assert_eq!(actions.len(), 3);
        assert_eq!(actions[0].endpoint_url, "opc.tcp://plc:50000/");
        assert!(!actions[0].use_security);
        assert_eq!(actions[0].kind, ActionKind::Read);
        assert_eq!(actions[1].kind, ActionKind::Test);
        assert_eq!(actions[1].interval, 0);
        assert_eq!(actions[2].endpoint_url, "opc.tcp://opcplc:50000/");
        assert!(actions[2].use_security);
        assert_eq!(actions.iter().map(|a| a.id).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(
            actions[1].describe(),
            "ActionId: 001 ActionType: 'OpcTestAction', Endpoint: 'opc.tcp://plc:50000/' Node 'i=2258'"
        );
    }

    #[test]
    fn one_session_per_endpoint_and_security() {
        let mut actions = parse(
            r#"[{"Read":[{"Id":"i=2258"}]},{"UseSecurity":false,"Read":[{"Id":"i=2258"}]}]"#,
            DEFAULT,
            0,
        )
        .unwrap();
        actions.push(test_action(2, DEFAULT, true));
        let sessions = group(actions);
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0].actions.len(), 2);
        assert!(sessions[0].use_security);
        assert!(!sessions[1].use_security);
    }

    #[test]
    fn a_broken_node_id_names_its_line_and_field() {
        let text = "[\n  { \"Read\": [\n    { \"Id\": \"x=42\", \"Interval\": 1 } ] } ]";
        let err = parse(text, DEFAULT, 0).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.path, "[0].Read[0].Id");
        assert!(err.message.contains("'x=42' is not a NodeId"), "{err}");
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        let text = "[{\"Test\":[{\"Id\":\"i=2258\",\"Interval\":\"30\"}]}]";
        let err = parse(text, DEFAULT, 0).unwrap_err();
        assert_eq!(err.path, "[0].Test[0].Interval");
        assert!(err.message.contains("invalid type"), "{err}");
        let negative = parse(
            "[{\"Test\":[{\"Id\":\"i=1\",\"Interval\":-1}]}]",
            DEFAULT,
            0,
        );
        assert_eq!(negative.unwrap_err().path, "[0].Test[0].Interval");
    }

    #[test]
    fn unknown_fields_and_bad_urls_are_refused() {
        let err = parse("[{\"Reed\":[]}]", DEFAULT, 0).unwrap_err();
        assert!(err.message.contains("unknown field `Reed`"), "{err}");
        let err = parse("[{\"EndpointUrl\":\"http://plc\"}]", DEFAULT, 0).unwrap_err();
        assert_eq!(err.path, "[0].EndpointUrl");
        let err = parse("{\"Read\":[]}", DEFAULT, 0).unwrap_err();
        assert!(err.message.contains("expected a sequence"), "{err}");
    }

    #[test]
    fn truncated_json_reports_where_it_ends() {
        let err = parse("[\n{\"Read\": [\n", DEFAULT, 0).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().starts_with("line 3 column"), "{err}");
    }

    #[test]
    fn urls_print_like_absolute_uris() {
        assert_eq!(normalize_url("OPC.TCP://Plc:50000"), "opc.tcp://plc:50000/");
        assert_eq!(
            normalize_url("opc.tcp://plc:50000/Path"),
            "opc.tcp://plc:50000/Path"
        );
    }
}
