//! The OPC PLC module: the reference OPC PLC's identity, certificate command line and log lines
//! (reference §1), served by open62541 with our `pki` validator deciding trust (`ua`).
//!
//! Layer L3 (a module): depends on `pki` and `ua`, nothing depends on it. `main.rs` only
//! resolves the [`Config`] (flags > env > defaults), sets up logging and calls [`run`].
//!
//! # Layout
//! - [`Cli`], [`Config`] (`config`): the command line of reference §1.2 (2018 column plus
//!   `--mks`, `--drurs`, `--cdn`), identity defaults of §1.1.
//! - `provision`: the certificate options as one `pki` batch in the 2018 order, with the
//!   reference's error lines ([`provision::Step`]).
//! - `csr`: the `--csr` block of §1.5.4 and `OpcPlc.csr`.
//! - `logging`: the 2018 console dialect `[HH:mm:ss INF] message` ([`SerilogFormat`]).
//! - [`run`] (`run`): start-up in the 2018 order, then the server until shutdown.
//! - `telemetry`: the `OpcPlc/Telemetry` value rules as pure functions of the cycle counter.
//! - `slow_fast`: the slow and fast node sets' names, types and update rules.
//! - [`Simulation`] (`simulation`): the PLC's nodes and methods in the server's address space,
//!   driven by one timer thread.
//! - [`StoreWatcher`] (`watcher`): notices store changes while the PLC runs and applies a new
//!   application certificate without a restart.

pub mod config;
pub mod csr;
pub mod logging;
pub mod provision;
mod run;
pub mod simulation;
pub mod slow_fast;
pub mod telemetry;
pub mod watcher;

pub use config::{APPLICATION_NAME, Cli, Config, DEFAULT_PORT, PRODUCT_URI};
pub use logging::SerilogFormat;
pub use run::{FAILED_UNEXPECTEDLY, RunError, run};
pub use simulation::{NAMESPACE_URI, Simulation, SimulationOptions};
pub use watcher::StoreWatcher;
