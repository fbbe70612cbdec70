//! The OPC PLC module: the reference OPC PLC's identity, certificate command line and log lines
//! (docs/reference/opc-ua-apps.md §1), served by open62541 with our `pki` validator deciding trust
//! (`ua`).
//!
//! Layer L3 (a module): depends on `pki`, `ua` and `module_cli` (the certificate command line,
//! its batch, the CSR block and the Serilog dialect shared with the OPC Client); nothing
//! depends on it. `main.rs` only resolves the [`Config`] (flags > env > defaults), sets up
//! logging and calls [`run`].
//!
//! # Layout
//! - [`Cli`], [`Config`] (`config`): the command line of docs/reference/opc-ua-apps.md §1.2 (2018
//!   column plus `--mks`, `--rsha1`, `--drurs`, `--cdn`, flattened from
//!   `module_cli::CertificateArgs`), identity defaults of §1.1.
//! - [`run`] (`run`): start-up in the 2018 order, then the server until shutdown.
//! - `telemetry`: the `OpcPlc/Telemetry` value rules as pure functions of the cycle counter.
//! - `slow_fast`: the slow and fast node sets' names, types and update rules.
//! - [`Simulation`] (`simulation`): the PLC's nodes and methods in the server's address space,
//!   driven by one timer thread.
//! - [`push::PushManagement`] (`push`): OPC 10000-12 push management (the standard
//!   `ServerConfiguration` object) on the PLC's store; `push::expiry` its
//!   `CertificateExpirationAlarm`.
//! - [`StoreWatcher`] (`watcher`): notices store changes while the PLC runs and applies a new
//!   application certificate without a restart.

pub mod config;
pub mod push;
mod run;
pub mod simulation;
pub mod slow_fast;
pub mod telemetry;
pub mod watcher;

pub use config::{APPLICATION_NAME, Cli, Config, DEFAULT_PORT, PRODUCT_URI};
pub use run::{FAILED_UNEXPECTEDLY, RunError, run};
pub use simulation::{NAMESPACE_URI, Simulation, SimulationOptions};
pub use watcher::StoreWatcher;
