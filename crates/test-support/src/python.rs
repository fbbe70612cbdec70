//! The pinned Python test peers (`asyncua`, the Azure IoT SDKs) from the repository's `.venv`.
//!
//! Tests that talk to a Python peer call [`python`] with the modules they import. When the
//! interpreter or a module is missing the test panics with the fix (`scripts/prereqs` creates
//! `.venv` from `requirements-test.txt`): a missing peer is a failure, never a skipped test.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (this crate sits at `crates/test-support`).
#[must_use]
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|e| panic!("cannot resolve the repository root: {e}"))
}

/// The venv's Python (else `python3` from `PATH`) after checking it can import every module of
/// `imports` (e.g. `["asyncua"]`); panics with the fix otherwise.
#[must_use]
pub fn python(imports: &[&str]) -> PathBuf {
    let venv = repo_root().join(".venv/bin/python");
    let python = if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    };
    let statement = if imports.is_empty() {
        "pass".to_owned()
    } else {
        format!("import {}", imports.join(", "))
    };
    let check = Command::new(&python)
        .args(["-c", &statement])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "PYTHON MISSING: cannot run {} ({e}); run scripts/prereqs to create .venv \
                 with requirements-test.txt",
                python.display()
            )
        });
    assert!(
        check.status.success(),
        "PYTHON TEST PEER MISSING: {} cannot `{statement}`: {}\n\
         run scripts/prereqs (installs requirements-test.txt into .venv)",
        python.display(),
        String::from_utf8_lossy(&check.stderr)
    );
    python
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_interpreter_and_refuses_a_missing_module() {
        let found = python(&[]);
        assert!(found.to_string_lossy().contains("python"));
        let missing = std::panic::catch_unwind(|| python(&["no_such_module_for_sure_42"]));
        let message = missing
            .err()
            .and_then(|p| p.downcast_ref::<String>().cloned())
            .expect("a missing module must panic with a message");
        assert!(message.contains("PYTHON TEST PEER MISSING"), "{message}");
        assert!(message.contains("scripts/prereqs"), "{message}");
    }
}
