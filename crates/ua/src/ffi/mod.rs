//! Everything that touches open62541's C structures directly. Each `unsafe` block says why it
//! is sound (`// SAFETY:`) and is exercised by the crate's tests (the server tests in
//! `tests/server_trust.rs` run every callback: verification, clear, lifecycle, certificate
//! update).

mod cert_group;
mod config;
mod slot;
mod tracking;

pub(crate) use config::Configurator;
pub(crate) use slot::ServerSlot;
