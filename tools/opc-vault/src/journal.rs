//! The journal of a fleet run: what an interrupted `rotate` (or `provision --where`) needs to
//! continue where it stopped without signing a CSR twice.
//!
//! One file per run, `<vault>/runs/<run>.jsonl`, one JSON event per line, appended and
//! fsynced before the step it records is taken further:
//!
//! ```text
//! {"event":"start","run":"20261207T013000Z-rotate","command":"rotate","at":"…"}
//! {"event":"signing","target":"plant-0001/opcplc","csrSha256":"…"}
//! {"event":"signed","target":"plant-0001/opcplc","csrSha256":"…","serial":"…"}
//! {"event":"done","target":"plant-0001/opcplc","status":"applied"}
//! {"event":"finish","at":"…"}
//! ```
//!
//! The commit protocol: a `signing` line is written and fsynced, the certificate is signed
//! (the vault's index is its own commit point), its `signed` line is written and fsynced,
//! then the twin is patched. The resumed run reuses the certificate of a CSR whose hash has a
//! `signed` line; for one with only a `signing` line (a crash between the vault's commit and
//! the `signed` line) it looks in the vault's index for a certificate issued since the run
//! began for the same URI and public key, and reuses that one if the vault committed it. So
//! no crash makes a run sign one CSR twice. A target whose `done` line says it succeeded is not
//! looked at again. A torn last line (a crash in the middle of a write) is ignored; any other
//! line that does not read is an error naming the line, so a damaged journal is never
//! silently half-used.
//!
//! [`JournalState::parse`] is the reading rule, a plain function over the text.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use openssl::sha::sha256;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::VaultError;
use crate::fsio;

/// The folder of the journals inside the vault.
pub const RUNS_DIR: &str = "runs";

/// One line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "camelCase", deny_unknown_fields)]
pub enum Event {
    /// The run began.
    #[serde(rename_all = "camelCase")]
    Start {
        /// Its name (the file's stem).
        run: String,
        /// `rotate`, `provision`, …
        command: String,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// A target's CSR is about to be signed.
    #[serde(rename_all = "camelCase")]
    Signing {
        /// `device/target`.
        target: String,
        /// SHA-256 of the CSR's DER, hex.
        csr_sha256: String,
    },
    /// A target's CSR was signed.
    #[serde(rename_all = "camelCase")]
    Signed {
        /// `device/target`.
        target: String,
        /// SHA-256 of the CSR's DER, hex.
        csr_sha256: String,
        /// The certificate's serial number.
        serial: String,
    },
    /// A target ended.
    #[serde(rename_all = "camelCase")]
    Done {
        /// `device/target`.
        target: String,
        /// `applied`, `unchanged`, `rejected`, `error`, `timeout`, `unreachable`, `failed`.
        status: String,
    },
    /// The run ended (every target was looked at).
    Finish {
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

/// Whether a `done` status means the target needs nothing more.
#[must_use]
pub fn succeeded(status: &str) -> bool {
    matches!(status, "applied" | "unchanged")
}

/// What a journal says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalState {
    /// The run's name and command, from its `start` line.
    pub run: Option<(String, String)>,
    /// When the run started.
    pub started: Option<OffsetDateTime>,
    /// CSR hashes a signature was begun for (whether or not it was recorded as done).
    pub signing: std::collections::BTreeSet<String>,
    /// CSR hash → serial of the certificate signed for it in this run.
    pub signed: BTreeMap<String, String>,
    /// Target → its last `done` status.
    pub done: BTreeMap<String, String>,
    /// Whether the run finished.
    pub finished: bool,
}

impl JournalState {
    /// Reads a journal's text (see the module docs for the rules).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut state = Self::default();
        let lines: Vec<&str> = text.split('\n').collect();
        for (number, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let last = number + 1 == lines.len();
            let event: Event = match serde_json::from_str(line) {
                Ok(event) => event,
                // A line without its newline is the one a crash cut short.
                Err(_) if last => break,
                Err(e) => return Err(format!("line {}: {e}", number + 1)),
            };
            match event {
                Event::Start { run, command, at } => {
                    if state.run.is_some() {
                        return Err(format!("line {}: a second start", number + 1));
                    }
                    state.run = Some((run, command));
                    state.started = Some(at);
                }
                Event::Signing { csr_sha256, .. } => {
                    state.signing.insert(csr_sha256);
                }
                Event::Signed {
                    csr_sha256, serial, ..
                } => {
                    state.signed.insert(csr_sha256, serial);
                }
                Event::Done { target, status } => {
                    state.done.insert(target, status);
                }
                Event::Finish { .. } => state.finished = true,
            }
            if state.run.is_none() {
                return Err(format!(
                    "line {}: the journal does not begin with start",
                    number + 1
                ));
            }
        }
        Ok(state)
    }

    /// Whether `target` needs nothing more.
    #[must_use]
    pub fn is_done(&self, target: &str) -> bool {
        self.done.get(target).is_some_and(|s| succeeded(s))
    }
}

/// The SHA-256 of a CSR as the journal keys it: of its DER when it is base64 of DER (what
/// the twins carry), else of the bytes as given.
#[must_use]
pub fn csr_key(csr: &str) -> String {
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(csr.trim())
        .unwrap_or_else(|_| csr.as_bytes().to_vec());
    crate::issue::hex(&sha256(&der))
}

/// An open journal, appended to by concurrent targets.
#[derive(Debug)]
pub struct RunJournal {
    path: PathBuf,
    file: Mutex<File>,
    state: Mutex<JournalState>,
}

impl RunJournal {
    /// Starts the journal of a new run of `command` in `vault_dir/runs/`.
    pub fn start(vault_dir: &Path, command: &str, now: OffsetDateTime) -> Result<Self, VaultError> {
        let dir = vault_dir.join(RUNS_DIR);
        fsio::create_dir(&dir)?;
        let stamp = format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        );
        let mut run = format!("{stamp}-{command}");
        let mut n = 1;
        while dir.join(format!("{run}.jsonl")).exists() {
            n += 1;
            run = format!("{stamp}-{command}-{n}");
        }
        let path = dir.join(format!("{run}.jsonl"));
        let journal = Self::open_file(&path, JournalState::default())?;
        journal.append(&Event::Start {
            run,
            command: command.to_owned(),
            at: now,
        })?;
        fsio::sync_dir(&dir)?;
        Ok(journal)
    }

    /// The newest journal of `command` that did not finish, to continue.
    pub fn resume(vault_dir: &Path, command: &str) -> Result<Option<Self>, VaultError> {
        let dir = vault_dir.join(RUNS_DIR);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(None);
        };
        let mut names: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        names.sort();
        for path in names.into_iter().rev() {
            let text = String::from_utf8_lossy(&fsio::read(&path)?).into_owned();
            let state = JournalState::parse(&text).map_err(|reason| VaultError::Corrupt {
                path: path.clone(),
                reason,
            })?;
            if state.run.as_ref().is_some_and(|(_, c)| c == command) {
                return if state.finished {
                    Ok(None)
                } else {
                    Self::open_file(&path, state).map(Some)
                };
            }
        }
        Ok(None)
    }

    fn open_file(path: &Path, state: JournalState) -> Result<Self, VaultError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(fsio::FILE_MODE)
            .open(path)
            .map_err(|source| VaultError::Io {
                action: "open the run journal",
                path: path.to_owned(),
                source,
            })?;
        Ok(Self {
            path: path.to_owned(),
            file: Mutex::new(file),
            state: Mutex::new(state),
        })
    }

    /// The journal's file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The run's name.
    #[must_use]
    pub fn run(&self) -> String {
        self.lock_state()
            .run
            .clone()
            .map(|(r, _)| r)
            .unwrap_or_default()
    }

    /// A copy of what the journal says now.
    #[must_use]
    pub fn state(&self) -> JournalState {
        self.lock_state().clone()
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, JournalState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Appends `event` and fsyncs it.
    pub fn append(&self, event: &Event) -> Result<(), VaultError> {
        let mut line = serde_json::to_vec(event).unwrap_or_default();
        line.push(b'\n');
        {
            let mut file = self
                .file
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            file.write_all(&line)
                .and_then(|()| file.sync_data())
                .map_err(|source| VaultError::Io {
                    action: "append to the run journal",
                    path: self.path.clone(),
                    source,
                })?;
        }
        let mut state = self.lock_state();
        match event {
            Event::Start { run, command, at } => {
                state.run = Some((run.clone(), command.clone()));
                state.started = Some(*at);
            }
            Event::Signing { csr_sha256, .. } => {
                state.signing.insert(csr_sha256.clone());
            }
            Event::Signed {
                csr_sha256, serial, ..
            } => {
                state.signed.insert(csr_sha256.clone(), serial.clone());
            }
            Event::Done { target, status } => {
                state.done.insert(target.clone(), status.clone());
            }
            Event::Finish { .. } => state.finished = true,
        }
        Ok(())
    }

    /// The serial signed for this CSR hash earlier in the run.
    #[must_use]
    pub fn signed(&self, csr_sha256: &str) -> Option<String> {
        self.lock_state().signed.get(csr_sha256).cloned()
    }

    /// When a signature of this CSR hash was begun earlier in the run without its `signed`
    /// line (a crash between the vault's commit and the journal's line): the run's start,
    /// after which the vault's index must be searched for it.
    #[must_use]
    pub fn begun_since(&self, csr_sha256: &str) -> Option<OffsetDateTime> {
        let state = self.lock_state();
        if state.signing.contains(csr_sha256) && !state.signed.contains_key(csr_sha256) {
            state.started
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const AT: OffsetDateTime = datetime!(2026-12-07 01:30 UTC);

    #[test]
    fn a_journal_reads_back_what_was_signed_and_done_and_a_torn_last_line_is_ignored() {
        let text = concat!(
            r#"{"event":"start","run":"r","command":"rotate","at":"2026-12-07T01:30:00Z"}"#,
            "\n",
            r#"{"event":"signed","target":"d/m","csrSha256":"AB","serial":"01"}"#,
            "\n",
            r#"{"event":"done","target":"d/m","status":"applied"}"#,
            "\n",
            r#"{"event":"done","target":"d/n","status":"timeout"}"#,
            "\n",
            r#"{"event":"done","target":"d/o","sta"#
        );
        let state = JournalState::parse(text).unwrap();
        assert_eq!(state.run, Some(("r".into(), "rotate".into())));
        assert_eq!(state.signed.get("AB").map(String::as_str), Some("01"));
        assert!(state.is_done("d/m"));
        assert!(!state.is_done("d/n"));
        assert!(!state.is_done("d/o"));
        assert!(!state.finished);
    }

    #[test]
    fn a_damaged_line_in_the_middle_or_a_missing_start_is_an_error_naming_the_line() {
        let middle = "{\"event\":\"start\",\"run\":\"r\",\"command\":\"c\",\"at\":\"2026-12-07T01:30:00Z\"}\nnot json\n{\"event\":\"finish\",\"at\":\"2026-12-07T01:30:00Z\"}\n";
        assert!(
            JournalState::parse(middle)
                .unwrap_err()
                .starts_with("line 2:")
        );
        let headless = "{\"event\":\"done\",\"target\":\"d/m\",\"status\":\"applied\"}\n";
        assert!(
            JournalState::parse(headless)
                .unwrap_err()
                .contains("does not begin with start")
        );
        assert_eq!(JournalState::parse("").unwrap(), JournalState::default());
    }

    #[test]
    fn an_unfinished_run_is_resumed_with_its_state_and_a_finished_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let journal = RunJournal::start(dir.path(), "rotate", AT).unwrap();
        journal
            .append(&Event::Signed {
                target: "d/m".into(),
                csr_sha256: "AB".into(),
                serial: "01".into(),
            })
            .unwrap();
        drop(journal);
        let resumed = RunJournal::resume(dir.path(), "rotate").unwrap().unwrap();
        assert_eq!(resumed.signed("AB").as_deref(), Some("01"));
        assert!(
            RunJournal::resume(dir.path(), "provision")
                .unwrap()
                .is_none()
        );
        resumed.append(&Event::Finish { at: AT }).unwrap();
        assert!(RunJournal::resume(dir.path(), "rotate").unwrap().is_none());
        // A second run in the same second gets its own file.
        let again = RunJournal::start(dir.path(), "rotate", AT).unwrap();
        assert!(again.run().ends_with("-rotate-2"), "{}", again.run());
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(again.path()).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_signature_begun_but_not_recorded_points_at_the_runs_start() {
        let dir = tempfile::tempdir().unwrap();
        let journal = RunJournal::start(dir.path(), "rotate", AT).unwrap();
        let signing = |csr: &str| Event::Signing {
            target: "d/m".into(),
            csr_sha256: csr.into(),
        };
        journal.append(&signing("AB")).unwrap();
        journal.append(&signing("CD")).unwrap();
        journal
            .append(&Event::Signed {
                target: "d/m".into(),
                csr_sha256: "CD".into(),
                serial: "02".into(),
            })
            .unwrap();
        drop(journal);
        let resumed = RunJournal::resume(dir.path(), "rotate").unwrap().unwrap();
        assert_eq!(resumed.begun_since("AB"), Some(AT));
        assert_eq!(resumed.begun_since("CD"), None, "recorded: reuse by serial");
        assert_eq!(resumed.begun_since("EF"), None, "never begun");
    }

    #[test]
    fn the_csr_key_hashes_the_der_of_base64_text() {
        use base64::Engine as _;
        let der = [0x30u8, 0x03, 0x02, 0x01, 0x05];
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        assert_eq!(csr_key(&b64), crate::issue::hex(&sha256(&der)));
        assert_eq!(csr_key(&format!(" {b64}\n")), csr_key(&b64));
    }
}
