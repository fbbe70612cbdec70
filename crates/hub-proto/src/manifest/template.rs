//! Deployment templates: `${...}` placeholders and generation of a deployment manifest.
//!
//! iotedgedev expands a template with `os.path.expandvars` (both `$NAME` and `${NAME}`,
//! unknown names left untouched, so `$edgeAgent` and `$upstream` survive) and replaces image
//! placeholders `${MODULES.<folder>[.<platform>]}` and `${MODULEDIR<path>[.<platform>]}`; it
//! then drops `$schema-template` and writes `createOptions` as chunked text
//! (docs/reference/iot-edge.md §3.3). Here expansion walks the JSON strings (member names and
//! values) instead of the raw file text, so a value holding `"` cannot break the document.

use serde_json::{Map, Value};

use super::deployment::{DeploymentManifest, ManifestError};

/// What a placeholder refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder<'a> {
    /// `${MODULES.<folder>[.<platform>]}`: the image built from `modules/<folder>`.
    ModuleImage {
        /// The module folder.
        folder: &'a str,
        /// `amd64`, `arm32v7`, `amd64.debug`, …; `None` for the default platform.
        platform: Option<&'a str>,
    },
    /// `${MODULEDIR<path>[.<platform>]}`: the image built from the module at `path`.
    ModuleDir {
        /// The module directory, relative to the template.
        path: &'a str,
        /// The platform, if given.
        platform: Option<&'a str>,
    },
    /// `$NAME` or `${NAME}`: an environment (or `.env`) variable.
    Variable(&'a str),
}

impl<'a> Placeholder<'a> {
    /// Classifies the name between `${` and `}` (or after `$`).
    #[must_use]
    pub fn parse(name: &'a str) -> Self {
        if let Some(rest) = name.strip_prefix("MODULES.") {
            let (folder, platform) = match rest.split_once('.') {
                Some((folder, platform)) => (folder, Some(platform)),
                None => (rest, None),
            };
            return Self::ModuleImage { folder, platform };
        }
        if let Some(rest) = name.strip_prefix("MODULEDIR<")
            && let Some((path, after)) = rest.split_once('>')
        {
            return Self::ModuleDir {
                path,
                platform: after.strip_prefix('.'),
            };
        }
        Self::Variable(name)
    }
}

/// Expands `$NAME` and `${NAME}` in `text` like Python's `posixpath.expandvars`; `resolve`
/// returns `None` to leave a placeholder as it is.
///
/// `$NAME` takes the longest run of ASCII letters, digits and `_`; `${NAME}` everything up to
/// the next `}`.
pub fn expand_text(
    text: &str,
    resolve: &mut impl FnMut(&Placeholder<'_>) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        let value = if name.is_empty() {
            None
        } else {
            resolve(&Placeholder::parse(name))
        };
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[dollar..=dollar + consumed]),
        }
        rest = &rest[dollar + 1 + consumed..];
    }
    out.push_str(rest);
    out
}

/// Expands placeholders in every string and member name of a JSON document.
pub fn expand_value(
    value: &Value,
    resolve: &mut impl FnMut(&Placeholder<'_>) -> Option<String>,
) -> Value {
    match value {
        Value::String(s) => Value::String(expand_text(s, resolve)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| expand_value(v, resolve)).collect())
        }
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (expand_text(k, resolve), expand_value(v, resolve)))
                .collect::<Map<String, Value>>(),
        ),
        other => other.clone(),
    }
}

/// Generates a deployment manifest from a template: expands placeholders, drops
/// `$schema-template` and parses the result (serializing it writes chunked `createOptions`).
pub fn generate(
    template: &Value,
    resolve: &mut impl FnMut(&Placeholder<'_>) -> Option<String>,
) -> Result<DeploymentManifest, ManifestError> {
    let mut manifest = DeploymentManifest::from_value(expand_value(template, resolve))?;
    manifest.schema_template = None;
    Ok(manifest)
}
