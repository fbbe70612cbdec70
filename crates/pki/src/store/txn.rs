//! Crash-safe multi-file updates.
//!
//! A batch of file writes and deletions is made atomic with a redo journal:
//! 1. every new file is written to the staging folder and fsynced;
//! 2. the journal (the list of renames and deletions) is written to a temp file, fsynced and
//!    renamed to `.pki.journal`, then the root is fsynced: **this rename is the commit point**;
//! 3. the staged files are renamed into place and the deletions done, each touched folder fsynced;
//! 4. the journal is removed.
//!
//! After a crash, [`recover`] (run under the store lock before any read or write) rolls a
//! committed journal forward, or throws away an uncommitted staging area, so the store always
//! shows the old or the new state, never a mix.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{StoreError, StoreLayout};

/// One file-level change of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileChange {
    /// Create or replace `path` with `bytes`, with unix permissions `mode` and, when given,
    /// the owner `(uid, gid)` (the owner of the file it replaces: another process, the app
    /// whose store this is, must still be able to read its `0600` key).
    Write {
        path: PathBuf,
        bytes: Vec<u8>,
        mode: u32,
        owner: Option<(u32, u32)>,
    },
    /// Remove `path` (absent is fine).
    Delete { path: PathBuf },
}

impl FileChange {
    pub(crate) fn path(&self) -> &Path {
        match self {
            Self::Write { path, .. } | Self::Delete { path } => path,
        }
    }
}

/// What [`recover`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Nothing was pending.
    Clean,
    /// An interrupted update had not committed; its staged files were discarded.
    RolledBack,
    /// An interrupted update had committed; it was completed.
    RolledForward,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum JournalEntry {
    Rename { staged: PathBuf, target: PathBuf },
    Delete { target: PathBuf },
}

const JOURNAL_HEADER: &str = "pki-journal v1";

/// The file that tests a folder's writability before a commit (removed by recovery when a
/// crash leaves it behind).
const PROBE_FILE: &str = ".pki.probe";

/// Applies `changes` atomically (see the module docs). The caller holds the exclusive lock and
/// has run [`recover`].
pub(crate) fn commit(layout: &StoreLayout, changes: &[FileChange]) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    preflight(changes)?;

    let staging = layout.staging();
    create_private_dir(&staging)?;
    let mut entries = Vec::with_capacity(changes.len());
    for (i, change) in changes.iter().enumerate() {
        match change {
            FileChange::Write {
                path,
                bytes,
                mode,
                owner,
            } => {
                let staged = staging.join(format!("{i}.tmp"));
                write_synced(&staged, bytes, *mode)?;
                if let Some((uid, gid)) = owner {
                    give_to(&staged, path, *uid, *gid)?;
                }
                entries.push(JournalEntry::Rename {
                    staged,
                    target: path.clone(),
                });
            }
            FileChange::Delete { path } => entries.push(JournalEntry::Delete {
                target: path.clone(),
            }),
        }
    }
    sync_dir(&staging)?;

    // The commit point: the journal appears atomically.
    let journal = layout.journal();
    let journal_tmp = journal.with_extension("tmp");
    write_synced(&journal_tmp, encode(&entries).as_bytes(), 0o600)?;
    fs::rename(&journal_tmp, &journal)
        .map_err(|e| StoreError::io("commit the journal", &journal, e))?;
    sync_dir(layout.root())?;

    roll_forward(layout, &entries)
}

/// Completes or discards an interrupted update. Must run under the exclusive lock.
pub(crate) fn recover(layout: &StoreLayout) -> Result<Recovery, StoreError> {
    let journal = layout.journal();
    match fs::read(&journal) {
        Ok(bytes) => {
            let entries = decode(&bytes).ok_or_else(|| StoreError::CorruptJournal {
                path: journal.clone(),
            })?;
            roll_forward(layout, &entries)?;
            Ok(Recovery::RolledForward)
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let mut discarded = remove_if_exists(&journal.with_extension("tmp"))?;
            discarded |= clear_dir(&layout.staging())?;
            for dir in layout.directories() {
                discarded |= remove_if_exists(&dir.join(PROBE_FILE))?;
            }
            Ok(if discarded {
                Recovery::RolledBack
            } else {
                Recovery::Clean
            })
        }
        Err(e) => Err(StoreError::io("read the journal", &journal, e)),
    }
}

/// True when an interrupted update is pending (a reader must then take the writer lock).
pub(crate) fn pending(layout: &StoreLayout) -> bool {
    layout.journal().exists()
        || layout.journal().with_extension("tmp").exists()
        || dir_has_entries(&layout.staging())
        || layout
            .directories()
            .iter()
            .any(|dir| dir.join(PROBE_FILE).exists())
}

fn roll_forward(layout: &StoreLayout, entries: &[JournalEntry]) -> Result<(), StoreError> {
    let mut touched = BTreeSet::new();
    for entry in entries {
        match entry {
            JournalEntry::Rename { staged, target } => {
                match fs::rename(staged, target) {
                    Ok(()) => {}
                    // Already moved by an earlier, interrupted roll-forward.
                    Err(e) if e.kind() == ErrorKind::NotFound && target.exists() => {}
                    Err(e) => {
                        return Err(StoreError::io("move a staged file into place", target, e));
                    }
                }
                if let Some(parent) = target.parent() {
                    touched.insert(parent.to_path_buf());
                }
            }
            JournalEntry::Delete { target } => {
                remove_if_exists(target)?;
                if let Some(parent) = target.parent() {
                    touched.insert(parent.to_path_buf());
                }
            }
        }
    }
    for dir in &touched {
        sync_dir(dir)?;
    }
    let journal = layout.journal();
    fs::remove_file(&journal).map_err(|e| StoreError::io("remove the journal", &journal, e))?;
    sync_dir(layout.root())?;
    clear_dir(&layout.staging())?;
    Ok(())
}

/// Checks every target folder before anything is written, so that an unwritable store fails
/// with a precise error and no trace: folders whose mode has no write bit are treated as
/// read-only even for root (an operator who makes a store read-only means it), and a probe
/// file catches read-only mounts and permission errors.
fn preflight(changes: &[FileChange]) -> Result<(), StoreError> {
    let dirs: BTreeSet<&Path> = changes.iter().filter_map(|c| c.path().parent()).collect();
    for dir in dirs {
        let meta =
            fs::metadata(dir).map_err(|e| StoreError::io("inspect a store folder", dir, e))?;
        if !meta.is_dir() {
            return Err(StoreError::NotADirectory {
                path: dir.to_path_buf(),
            });
        }
        if meta.permissions().mode() & 0o222 == 0 {
            return Err(StoreError::ReadOnly {
                path: dir.to_path_buf(),
            });
        }
        let probe = dir.join(PROBE_FILE);
        match OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&probe)
        {
            Ok(_) => remove_if_exists(&probe).map(|_| ())?,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                return Err(StoreError::ReadOnly {
                    path: dir.to_path_buf(),
                });
            }
            Err(e) => return Err(StoreError::io("write to a store folder", dir, e)),
        }
    }
    for change in changes {
        if let FileChange::Write { path, .. } = change
            && path.is_dir()
        {
            return Err(StoreError::NotAFile { path: path.clone() });
        }
    }
    Ok(())
}

/// Writes a file and fsyncs it, creating it with `mode` (so a key is never readable by others,
/// not even for an instant).
pub(crate) fn write_synced(path: &Path, bytes: &[u8], mode: u32) -> Result<(), StoreError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
        .map_err(|e| StoreError::io("create a file", path, e))?;
    // An existing file keeps its old mode on open: set it explicitly.
    file.set_permissions(fs::Permissions::from_mode(mode))
        .map_err(|e| StoreError::io("set file permissions", path, e))?;
    file.write_all(bytes)
        .map_err(|e| StoreError::io("write a file", path, e))?;
    file.sync_all()
        .map_err(|e| StoreError::io("fsync a file", path, e))
}

/// Gives the staged file for `target` to `uid:gid` (before the commit point: a refusal leaves
/// the store as it was).
fn give_to(staged: &Path, target: &Path, uid: u32, gid: u32) -> Result<(), StoreError> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(staged).map_err(|e| StoreError::io("inspect a file", staged, e))?;
    if meta.uid() == uid && meta.gid() == gid {
        return Ok(());
    }
    std::os::unix::fs::chown(staged, Some(uid), Some(gid)).map_err(|source| StoreError::Owner {
        path: target.to_path_buf(),
        uid,
        gid,
        source,
    })?;
    // Durable with the file's data before the journal names it.
    File::open(staged)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io("fsync a file", staged, e))
}

/// Fsyncs a directory so that renames and removals in it are durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io("fsync a folder", dir, e))
}

/// Creates a folder (and parents) with mode `0700`.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(StoreError::NotADirectory {
            path: dir.to_path_buf(),
        });
    }
    // Like `preflight`: a parent without write bits is read-only even for root.
    if let Some(parent) = dir.ancestors().skip(1).find(|a| a.exists())
        && fs::metadata(parent).is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o222 == 0)
    {
        return Err(StoreError::ReadOnly {
            path: parent.to_path_buf(),
        });
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| match e.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly {
                path: dir.parent().unwrap_or(dir).to_path_buf(),
            },
            _ => StoreError::io("create a store folder", dir, e),
        })
}

fn remove_if_exists(path: &Path) -> Result<bool, StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io("remove a file", path, e)),
    }
}

fn clear_dir(dir: &Path) -> Result<bool, StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(StoreError::io("list the staging folder", dir, e)),
    };
    let mut removed = false;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io("list the staging folder", dir, e))?;
        removed |= remove_if_exists(&entry.path())?;
    }
    Ok(removed)
}

fn dir_has_entries(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

fn encode(entries: &[JournalEntry]) -> String {
    let mut out = String::from(JOURNAL_HEADER);
    out.push('\n');
    for entry in entries {
        match entry {
            JournalEntry::Rename { staged, target } => {
                let _ = writeln!(out, "W {} {}", hex(staged), hex(target));
            }
            JournalEntry::Delete { target } => {
                let _ = writeln!(out, "D {}", hex(target));
            }
        }
    }
    let _ = writeln!(out, "end {}", entries.len());
    out
}

fn decode(bytes: &[u8]) -> Option<Vec<JournalEntry>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.lines();
    if lines.next()? != JOURNAL_HEADER {
        return None;
    }
    let mut entries = Vec::new();
    for line in lines {
        let mut words = line.split(' ');
        match words.next()? {
            "W" => entries.push(JournalEntry::Rename {
                staged: unhex(words.next()?)?,
                target: unhex(words.next()?)?,
            }),
            "D" => entries.push(JournalEntry::Delete {
                target: unhex(words.next()?)?,
            }),
            "end" => {
                let count: usize = words.next()?.parse().ok()?;
                return (count == entries.len()).then_some(entries);
            }
            _ => return None,
        }
    }
    // No end marker: not a complete journal.
    None
}

/// Paths are hex-encoded so any byte (spaces, newlines) survives the line format.
fn hex(path: &Path) -> String {
    path.as_os_str()
        .as_bytes()
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

fn unhex(text: &str) -> Option<PathBuf> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect();
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_round_trips_paths_with_spaces_and_brackets() {
        let entries = vec![
            JournalEntry::Rename {
                staged: PathBuf::from("/s/0.tmp"),
                target: PathBuf::from("/pki/trusted/certs/My CA [AB12].der"),
            },
            JournalEntry::Delete {
                target: PathBuf::from("/pki/own/private/x\ny.pem"),
            },
        ];
        assert_eq!(decode(encode(&entries).as_bytes()), Some(entries));
    }

    #[test]
    fn a_journal_without_its_end_marker_is_not_trusted() {
        let entries = vec![JournalEntry::Delete {
            target: PathBuf::from("/a"),
        }];
        let text = encode(&entries);
        let cut = text
            .trim_end()
            .rsplit_once('\n')
            .map(|(head, _)| head)
            .unwrap();
        assert_eq!(decode(cut.as_bytes()), None);
        assert_eq!(decode(b"garbage"), None);
    }

    #[test]
    fn commit_then_recover_is_clean_and_applies_everything() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StoreLayout::under(dir.path());
        for d in layout.directories() {
            create_private_dir(&d).unwrap();
        }
        let target = layout.certs(super::super::StoreKind::Trusted).join("a.der");
        let gone = layout.certs(super::super::StoreKind::Issuer).join("b.der");
        fs::write(&gone, b"old").unwrap();
        commit(
            &layout,
            &[
                FileChange::Write {
                    path: target.clone(),
                    bytes: b"new".to_vec(),
                    mode: 0o644,
                    owner: None,
                },
                FileChange::Delete { path: gone.clone() },
            ],
        )
        .unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert!(!gone.exists());
        assert_eq!(recover(&layout).unwrap(), Recovery::Clean);
        assert!(!pending(&layout));
    }
}
