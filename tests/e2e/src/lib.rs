//! End-to-end scenarios across crates and tools; everything lives in `tests/`.
//!
//! # Layout
//! - `tests/edge_client.rs`: `edge-client`'s `ModuleClient` against an in-process `edge-sim`
//!   (MQTT over TLS, workload API, fault injection) on ephemeral ports and temp directories.
