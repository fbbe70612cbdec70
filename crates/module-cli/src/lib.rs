//! What the OPC UA modules share from the reference apps (the 2018 OPC PLC and OPC Client,
//! reference §1.2–§1.5 and §2.2/§2.5): the certificate command line, its decoding into one `pki`
//! batch applied in the 2018 order with the reference's log lines, the store configuration
//! lines, the `--csr` block parameterised by application, and the Serilog console/file dialect.
//!
//! Layer L1: depends on `pki`, `provisioning` and `edge-client` (and clap, tracing; tokio only
//! inside the twin driver's own thread), never on open62541 or a module; used by
//! `modules/opc-plc` and `modules/opc-client`, which flatten [`CertificateArgs`] into their
//! command lines and start [`twin::TwinPki`].
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
//! - `logging`: `[HH:mm:ss INF] message` ([`SerilogFormat`]), the `--lf --ll --lt` options
//!   ([`logging::LogArgs`]), `--ll` names, the `--lf` file; [`logging::init`] installs the
//!   subscriber (called only from a module's `main`, through [`logging::init_for_main`]).
//! - `twin`: the module twin drives the own store through `provisioning` and reports its
//!   picture ([`twin::TwinPki`]), when the environment names a module identity.

pub mod args;
pub mod csr;
pub mod logging;
pub mod provision;
pub mod startup;
pub mod twin;

pub use args::CertificateArgs;
pub use logging::SerilogFormat;
