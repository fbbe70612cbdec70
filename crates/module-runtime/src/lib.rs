//! What every module of ours runs on, whether it embeds an OPC UA stack (`opc-plc`,
//! `opc-client`) or manages the stores of apps that do (`cert-agent`).
//!
//! Layer L1: depends on `pki`, `provisioning`, `edge-client` and `hub-proto` (and clap,
//! tracing; tokio only inside the twin driver's own thread), never on `ua`/open62541 or a
//! module, so the cert-agent binary links no OPC UA stack.
//!
//! # Layout
//! - [`twin`]: the module twin drives PKI stores through `provisioning` and reports their
//!   picture: the driver ([`twin::TwinDriver`], [`twin::Reconciler`]), the per-store state
//!   ([`twin::StoreTwin`]) and the own-`pki` reconciler of the OPC UA modules
//!   ([`twin::TwinPki`]).
//! - [`logging`]: `[HH:mm:ss INF] message` ([`SerilogFormat`]), the `--lf --ll --lt` options
//!   ([`logging::LogArgs`]), `--ll` names, the `--lf` file; [`logging::init`] installs the
//!   subscriber (called only from a module's `main`, through [`logging::init_for_main`]).
//! - [`memory`]: one malloc arena and fixed thresholds, first thing in a module's `main`.
//! - [`signals`]: SIGINT and SIGTERM as a shutdown for a module's `main`.

pub mod logging;
pub mod memory;
pub mod signals;
pub mod twin;

pub use logging::SerilogFormat;
