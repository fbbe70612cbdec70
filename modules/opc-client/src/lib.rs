//! The OPC Client module: the reference OPC Client's options, action file and log lines
//! (docs/reference/opc-ua-apps.md §2), on open62541 with our `pki` validator deciding whether to
//! trust a server (`ua`).
//!
//! Layer L3 (a module): depends on `pki`, `ua` and `module_cli` (the certificate command line,
//! its batch, the CSR block and the Serilog dialect shared with the OPC PLC); nothing depends on
//! it. `main.rs` only resolves the [`Config`] (flags > env > defaults), sets up logging and
//! calls [`run`].
//!
//! # Layout
//! - [`Cli`], [`Config`] (`config`): the command line of docs/reference/opc-ua-apps.md §2.2 plus
//!   the PLC's certificate options (`module_cli::CertificateArgs`), identity defaults of §2.1,
//!   the create-session backoff.
//! - `action`: the action file (docs/reference/opc-ua-apps.md §2.3), strict parsing with
//!   line/field errors, grouping into sessions.
//! - `session`: one loop per (endpoint, security): discovery, most secure endpoint, session
//!   creation with backoff, per-action intervals, keep-alive threshold, reconnect
//!   (docs/reference/opc-ua-apps.md §2.4/§2.5).
//! - [`run`] (`run`): start-up in the reference order, sessions and `--di` diagnostics until
//!   shutdown.

pub mod action;
pub mod config;
pub mod hosts;
mod run;
pub mod session;

pub use config::{APPLICATION_NAME, Cli, Config, PRODUCT_URI};
pub use run::{FAILED_UNEXPECTEDLY, RunError, run};
