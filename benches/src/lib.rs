//! The benchmarks (`scripts/bench`, results in `docs/benchmarks.md`) and the soak
//! (`scripts/soak`, `docs/reliability.md`).
//!
//! Targets are ratios against peers measured in one run, or absolute figures of one run; they
//! are checked here and recorded in the docs, never asserted in timed tests. Like `tests/e2e`
//! this package may use every crate, module library and tool.
//!
//! # Layout
//! - [`certs`]: the CA, its CRL and a CA-signed identity for every server and the client.
//! - [`servers`]: `opc-plc`, asyncua and node-opcua as processes with the same address space
//!   and security, pinned to a core.
//! - [`runs`]: P1 (reads), P2 (memory), P4 (session set-ups) with `opc-load`, interleaved.
//! - [`edge`]: P3 (twin round trips), P6 (fan-out), P7 (provisioning) on edge-sim.
//! - [`stats`], [`report`]: medians, percentiles, ratios; `results.json`, `summary.md`.

pub mod certs;
pub mod edge;
pub mod report;
pub mod runs;
pub mod servers;
pub mod stats;
