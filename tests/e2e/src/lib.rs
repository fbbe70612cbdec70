//! End-to-end scenarios across crates and tools; everything lives in `tests/`.
//!
//! # Layout
//! - `tests/edge_client.rs`: `edge-client`'s `ModuleClient` against an in-process `edge-sim`
//!   (MQTT over TLS, workload API, fault injection) on ephemeral ports and temp directories.
//! - `tests/agent_modules.rs`: edge-sim's agent running instances of `edge-test-module` from a
//!   manifest: shared volume, restart policies, `$edgeAgent`'s `RestartModule`, a module
//!   restarting another through the management API (`edge_client::ManagementClient`).
//! - `src/bin/edge-test-module.rs`: that tiny module, on `edge-client` from the `IOTEDGE_*`
//!   environment (Cargo builds it for the integration tests, `CARGO_BIN_EXE_edge-test-module`).
