//! Reliability, the items of issue #12 ("Prove it") this suite proves:
//!
//! - R1 bad input ([`bad_input`]): one corpus of bad twin documents, command-line values,
//!   files on the shared volume and malformed MQTT and HTTP, each case asserting a precise
//!   error, an unchanged store and a live process.
//! - R2 crash ([`crash`]): random `SIGKILL`s of opc-plc while its twin switches its PKI, the
//!   store always the old or the new state and the module converging after a restart;
//! - R4 trust matrix ([`trust_matrix`]): OPC 10000-4 Table 106 decided on opc-plc and on
//!   opc-client with asyncua as the peer, the table in `docs/trust-matrix.md` checked against
//!   the test's.
//!
//! The module binaries come from the workspace's build (`cargo test --workspace` builds them).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines,
    missing_docs
)]

mod bad_input;
mod crash;
mod support;
mod trust_matrix;
