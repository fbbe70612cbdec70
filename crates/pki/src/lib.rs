//! OPC UA PKI: certificate stores, certificates, CRLs, CSRs and trust decisions.
//!
//! Layer L0 of the workspace: no tokio, no sockets, and time is always an argument, so every
//! rule here is tested as a plain function.
//!
//! # Layout
//! - [`der`]: a minimal DER encoder (for issuing CRLs).
//! - [`crl`]: CRL parsing ([`Crl`]) and issuing ([`CrlBuilder`]).

pub mod crl;
mod der;

pub use crl::{CrlBuildError, CrlBuilder};
