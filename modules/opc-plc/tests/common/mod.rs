//! Shared by the process tests: the `opc-plc` binary in a working directory, listening on the
//! loopback on an ephemeral port.

use std::path::Path;
use std::process::Command;

/// `opc-plc` run in `dir` with `--pn=0 --listenhost 127.0.0.1 --ph <host>`; the test adds its
/// own options and how it runs the process.
pub fn plc_command(dir: &Path, host: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opc-plc"));
    command
        .current_dir(dir)
        .args(["--pn=0", "--listenhost", "127.0.0.1", "--ph", host]);
    command
}
