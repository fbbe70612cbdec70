//! Everything that touches open62541's C structures directly. Each `unsafe` block says why it
//! is sound (`// SAFETY:`) and is exercised by the crate's tests (the server tests in
//! `tests/server_trust.rs` run every callback: verification, clear, lifecycle, certificate
//! update; the client tests in `tests/client_session.rs` run the client's group, logger and
//! service notification; `tests/pipelined_reads.rs` the pipelined reads' callback, late and
//! cancelled answers included).

mod cert_group;
mod client;
mod config;
mod logger;
mod methods;
mod policy;
mod slot;
mod tracking;

pub(crate) use client::{ClientSetup, PipelineRun, RawClient, client_check};
pub(crate) use config::Configurator;
pub(crate) use methods::{emit_event, set_caller_method};
pub(crate) use slot::ServerSlot;
