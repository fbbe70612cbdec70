//! `sessions.json` in the state directory: the persistent MQTT sessions, so that a module
//! reconnecting after the simulator restarted gets `session_present = 1` and keeps its
//! subscriptions (the Python SDK never subscribes again, docs/reference/iot-edge.md §0.3).

use std::path::{Path, PathBuf};

use super::session::{PersistedError, PersistedSessions, Sessions};
use crate::state::write_atomic;

/// The file name of the persisted sessions inside the state directory.
pub const SESSIONS_FILE: &str = "sessions.json";

/// Why the persisted sessions cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SessionsFileError {
    /// The file exists but cannot be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not sessions JSON (delete it to start without sessions).
    #[error("{path} is corrupt (delete it to start without persisted sessions)")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// The file holds an impossible session (delete it to start without sessions).
    #[error("{path} is invalid (delete it to start without persisted sessions)")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: PersistedError,
    },
}

/// The sessions persisted in `state_dir`, or none when the file does not exist.
pub fn load(state_dir: &Path) -> Result<Sessions, SessionsFileError> {
    let path = state_dir.join(SESSIONS_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Sessions::new()),
        Err(source) => return Err(SessionsFileError::Read { path, source }),
    };
    let persisted: PersistedSessions =
        serde_json::from_slice(&bytes).map_err(|source| SessionsFileError::Parse {
            path: path.clone(),
            source,
        })?;
    Sessions::from_persisted(persisted)
        .map_err(|source| SessionsFileError::Invalid { path, source })
}

/// Writes the sessions atomically (0600, like the rest of the state).
pub fn save(state_dir: &Path, sessions: &PersistedSessions) -> std::io::Result<()> {
    // Serializing maps of strings and numbers cannot fail.
    let bytes = serde_json::to_vec_pretty(sessions).unwrap_or_default();
    write_atomic(&state_dir.join(SESSIONS_FILE), &bytes, 0o600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_means_no_sessions_and_saved_sessions_load_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), Sessions::new());
        let mut s = Sessions::new();
        s.connect("d/m", 1, false);
        s.subscribe("d/m", "$iothub/methods/POST/#", 1);
        save(dir.path(), &s.to_persisted()).unwrap();
        let mut back = load(dir.path()).unwrap();
        assert!(back.connect("d/m", 2, false));
        assert_eq!(back.filters("d/m"), ["$iothub/methods/POST/#"]);
    }

    #[test]
    fn a_corrupt_file_is_a_clear_error_and_stays_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SESSIONS_FILE);
        std::fs::write(&path, b"{not json").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(e.to_string().contains("sessions.json is corrupt"), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), b"{not json");
    }
}
