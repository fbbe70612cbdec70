//! What the two OPC UA modules share from the reference apps (the 2018 OPC PLC and OPC
//! Client, docs/reference/opc-ua-apps.md §1.2–§1.5 and §2.2/§2.5): the certificate command
//! line, its decoding into one `pki` batch applied in the 2018 order with the reference's log
//! lines, the store configuration lines and the `--csr` block parameterised by application.
//!
//! Layer L1: depends on `pki` (and clap), never on open62541 or a module; used by
//! `modules/opc-plc` and `modules/opc-client`, which flatten [`CertificateArgs`] into their
//! command lines. What the cert-agent shares with them too (the twin driver, the log dialect)
//! lives in `module-runtime`.
//!
//! # Layout
//! - [`CertificateArgs`] (`args`): the options, the validation policy, the store layout and its
//!   configuration lines.
//! - `provision`: the options as one batch ([`provision::batch_from_cli`]), applied with the
//!   2018 semantics ([`provision::apply`]); `--to` and the "Application certificate is for …"
//!   line.
//! - `csr`: the `--csr` block and `<ApplicationName>.csr`.
//! - `startup`: the certificate start-up both modules run ([`startup::certificates`]): store,
//!   batch, `ApplicationUri` of the certificate in use, `--to`, the certificate line, `--csr`;
//!   the machine's host name and the working directory for a module's `main`.

pub mod args;
pub mod csr;
pub mod provision;
pub mod startup;

pub use args::CertificateArgs;
