//! `createOptions`: a Docker `ContainerCreate` body stored as JSON text in 512-character chunks.
//!
//! edgeAgent writes chunks named `createOptions`, `createOptions01` … `createOptions99`
//! (`DockerConfig.cs`, `TwinValueMaxSize = 512`, `TwinValueMaxChunks = 100`) and reads them by
//! sorting the keys that match `(?i:createoptions)(?<num>[0-9]*)`, requiring the first to have
//! no number and then 1, 2, … in sequence (`JsonEx.cs` `ChunkedProperty`;
//! docs/reference/iot-edge.md §3.2). Templates may hold `createOptions` as a JSON object, which
//! generation turns into minified text like iotedgedev's `convert_create_options`.

use serde_json::{Map, Value};

/// Longest chunk, in characters (`Constants.TwinValueMaxSize`).
pub const CHUNK_CHARS: usize = 512;
/// Most chunks edgeAgent writes (`Constants.TwinValueMaxChunks`).
pub const MAX_CHUNKS: usize = 100;
/// The name of the first chunk.
pub const CREATE_OPTIONS_KEY: &str = "createOptions";

/// The joined `createOptions` text of a module (may be empty, as in some real manifests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateOptions(String);

/// Why `createOptions` cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CreateOptionsError {
    /// A chunk is not a string (or, for the single `createOptions`, an object).
    #[error("create options chunk {0:?} is not a string")]
    NotAString(String),
    /// The chunk keys are not `createOptions`, `createOptions01`, `createOptions02`, ….
    #[error("create options chunk {found:?} is out of sequence (expected number {expected})")]
    OutOfSequence {
        /// The chunk number expected at this position.
        expected: usize,
        /// The key found.
        found: String,
    },
    /// The text needs more than [`MAX_CHUNKS`] chunks.
    #[error("create options need {0} chunks, more than {MAX_CHUNKS}")]
    TooLarge(usize),
    /// The joined text is not JSON.
    #[error("create options are not valid json")]
    Json(#[source] serde_json::Error),
    /// The joined text is JSON but not an object.
    #[error("create options are not a json object")]
    NotAnObject,
}

/// Whether `key` names a `createOptions` chunk; the chunk number's digits if so.
fn chunk_digits(key: &str) -> Option<&str> {
    let prefix = key.get(..CREATE_OPTIONS_KEY.len())?;
    let digits = key.get(CREATE_OPTIONS_KEY.len()..)?;
    (prefix.eq_ignore_ascii_case(CREATE_OPTIONS_KEY) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

impl CreateOptions {
    /// Wraps `createOptions` text as is.
    #[must_use]
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Minified JSON of a create-options object, as template generation writes it.
    #[must_use]
    pub fn from_json(options: &Value) -> Self {
        Self(options.to_string())
    }

    /// The joined text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the text is empty or blank (no create options).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// The create options as a JSON object; `None` when the text is blank.
    pub fn to_json(&self) -> Result<Option<Map<String, Value>>, CreateOptionsError> {
        if self.is_empty() {
            return Ok(None);
        }
        match serde_json::from_str(&self.0).map_err(CreateOptionsError::Json)? {
            Value::Object(map) => Ok(Some(map)),
            _ => Err(CreateOptionsError::NotAnObject),
        }
    }

    /// Reads the chunks among a module's `settings` members; `None` when there are none.
    pub fn from_settings(
        settings: &Map<String, Value>,
    ) -> Result<Option<Self>, CreateOptionsError> {
        let mut chunks: Vec<(&String, &Value)> = settings
            .iter()
            .filter(|(k, _)| chunk_digits(k).is_some())
            .collect();
        if chunks.is_empty() {
            return Ok(None);
        }
        chunks.sort_by_key(|(k, _)| k.to_ascii_lowercase());
        let single = chunks.len() == 1;
        let mut text = String::new();
        for (expected, (key, value)) in chunks.into_iter().enumerate() {
            let digits = chunk_digits(key).unwrap_or_default();
            let in_sequence = if expected == 0 {
                digits.is_empty()
            } else {
                digits.parse::<usize>().is_ok_and(|n| n == expected)
            };
            if !in_sequence {
                return Err(CreateOptionsError::OutOfSequence {
                    expected,
                    found: key.clone(),
                });
            }
            match value {
                Value::String(s) => text.push_str(s),
                // Template form: one `createOptions` object.
                Value::Object(_) if single => text.push_str(&value.to_string()),
                _ => return Err(CreateOptionsError::NotAString(key.clone())),
            }
        }
        Ok(Some(Self(text)))
    }

    /// Splits the text into `(key, chunk)` pairs of at most [`CHUNK_CHARS`] characters.
    ///
    /// An empty text gives one empty `createOptions` chunk.
    pub fn chunks(&self) -> Result<Vec<(String, String)>, CreateOptionsError> {
        let chars: Vec<char> = self.0.chars().collect();
        let pieces: Vec<String> = if chars.is_empty() {
            vec![String::new()]
        } else {
            chars
                .chunks(CHUNK_CHARS)
                .map(|c| c.iter().collect())
                .collect()
        };
        if pieces.len() > MAX_CHUNKS {
            return Err(CreateOptionsError::TooLarge(pieces.len()));
        }
        Ok(pieces
            .into_iter()
            .enumerate()
            .map(|(i, piece)| (chunk_key(i), piece))
            .collect())
    }
}

/// The settings key of chunk `index`: `createOptions`, `createOptions01`, `createOptions02`, ….
#[must_use]
pub fn chunk_key(index: usize) -> String {
    if index == 0 {
        CREATE_OPTIONS_KEY.to_owned()
    } else {
        format!("{CREATE_OPTIONS_KEY}{index:02}")
    }
}
