//! Shared by the process tests: the `opc-plc` binary in a working directory, listening on the
//! loopback on an ephemeral port, and a client session to it.

#![allow(dead_code, clippy::unwrap_used)]

pub mod plc;

use std::path::Path;
use std::process::Command;

use pki::{Store, StoreLayout};
use ua::{Client, ClientError, ClientOptions};

/// `opc-plc` run in `dir` with `--pn=0 --listenhost 127.0.0.1 --ph <host>`; the test adds its
/// own options and how it runs the process.
pub fn plc_command(dir: &Path, host: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opc-plc"));
    command
        .current_dir(dir)
        .args(["--pn=0", "--listenhost", "127.0.0.1", "--ph", host]);
    command
}

/// A session of `TestClient` (its store under `store`) to the PLC on `port` at 127.0.0.1.
pub fn connect(port: u16, store: &Path) -> Result<Client, ClientError> {
    let mut options = ClientOptions::new("TestClient");
    // The PLC's certificates name `localhost`; the test connects by address.
    options.check_host_name = false;
    Client::connect(
        &format!("opc.tcp://127.0.0.1:{port}"),
        &options,
        Store::open(StoreLayout::under(store)).unwrap(),
    )
}
