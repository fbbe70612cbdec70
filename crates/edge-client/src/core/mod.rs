//! The sans-io core: no tokio, no sockets, time and randomness are arguments.

pub mod backoff;
pub mod renewal;
pub mod session;
