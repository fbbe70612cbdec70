//! End-to-end scenarios across crates and tools.
//!
//! # Layout
//! - [`seed`]: the seed walk-through as one scenario (edge-sim running
//!   `deployment.template.json`, `opc-vault`, three acts), shared by `tests/seed.rs` and the
//!   `seed-demo` binary behind `./scripts/demo`.
//! - `tests/edge_client.rs`: `edge-client`'s `ModuleClient` against an in-process `edge-sim`
//!   (MQTT over TLS, workload API, fault injection) on ephemeral ports and temp directories.
//! - `tests/agent_modules.rs`: edge-sim's agent running instances of `edge-test-module` from a
//!   manifest: shared volume, restart policies, `$edgeAgent`'s `RestartModule`, a module
//!   restarting another through the management API (`edge_client::ManagementClient`).
//! - `src/bin/edge-test-module.rs`: that tiny module, on `edge-client` from the `IOTEDGE_*`
//!   environment (Cargo builds it for the integration tests, `CARGO_BIN_EXE_edge-test-module`).

pub mod seed;

/// `error: cause: cause …`, one line.
#[must_use]
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
