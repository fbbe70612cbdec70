//! OPC UA server and client on open62541 with our PKI validator plugged in.
//!
//! Layer L1. A small safe layer over the `open62541` crate (bindings to open62541 1.5, built on
//! OpenSSL, ADR 0013, linked statically, ADR 0018) and `open62541-sys` where the safe API lacks
//! something (server security policies and trust configuration, application URI, endpoints, the `UA_Server*`
//! handle, and the whole client:
//! its config, certificate group and session id are out of the crate's reach, ADR 0006). Every trust decision of
//! the stack — the server's secure channel and session certificate groups and the client's
//! server check — is [`Verifier`], i.e. [`pki::Validator`] reading the store through its cache,
//! so trust-list and CRL changes apply to the next connection without a restart. open62541's
//! default verification (accept everything) is never left in place. Knows nothing of IoT Hub.
//!
//! # Layout
//! - [`Server`], [`ServerOptions`] (`server`): build, run on a thread, replace the own
//!   certificate live ([`Server::update_certificate`]); [`ensure_application_certificate`].
//! - [`AddressSpace`], [`Variable`], [`ValueType`] (`address_space`): a module's namespace,
//!   folders, variables (written from any thread) and methods ([`Server::address_space`]);
//!   (`nodes`) standard objects, object types and properties under their namespace-0 ids,
//!   methods that see their caller, events with fields.
//! - [`UserLogin`], [`Role`], [`Caller`], [`Argument`] (`methods`): user names and passwords
//!   with roles (checked by our login callback, `ffi::methods`), and what a method knows of its
//!   caller (role, channel security mode) for OPC 10000-12's admin-over-SignAndEncrypt gate.
//! - [`Client`], [`ClientOptions`] (`client`): connect with our server check (chain, host name,
//!   application URI), the session id the server assigned, read values such as `i=2258` (with
//!   a string-length limit), many values in one request ([`ReadValues`]), such requests
//!   pipelined several at a time on one session for load generators
//!   ([`Client::read_values_pipelined_blocking`], [`Pipelined`]), namespace array, keep-alive.
//! - [`discover_endpoints`], [`select_endpoint`] (`discovery`): `GetEndpoints` and the most
//!   secure endpoint offered; [`resolve_node_id`], [`format_value`] (`node_text`): `nsu=` node
//!   ids through a namespace array, values as the OPC Client prints them.
//! - [`Verifier`], [`Rejection`] (`verify`): the decision, `--autoaccept`, the record of
//!   refusals; `chain_memory`: the chain a peer sent at OPN, for its `CreateSession`.
//! - [`Identity`], [`SecurityMode`], [`endpoints`] (`identity`): names and the endpoint set.
//! - [`ServerError`], [`ClientError`], [`Status`] (`status`).
//! - `sessions`: which peer certificate each open session was admitted with; the server thread
//!   re-checks them when the store changes and closes revoked ones (live revocation).
//! - `ffi`: the only code touching C structures (certificate groups, raw config, lifecycle hook,
//!   own-certificate update, channel/session notifications, `UA_Server_closeSession`; the client
//!   on the C API, its pipelined reads' callback and its `tracing` logger).

// This is the one crate of the workspace allowed to use `unsafe` (docs/architecture.md §2):
// open62541's certificate groups, raw server config and server handle are only reachable through
// FFI. Every unsafe block carries a `// SAFETY:` comment and is exercised by the tests.
#![allow(unsafe_code)]

mod address_space;
mod chain_memory;
mod client;
mod discovery;
mod ffi;
mod identity;
mod methods;
mod node_text;
mod nodes;
mod server;
mod sessions;
mod status;
mod verify;

pub use address_space::{AddressSpace, OBJECTS_FOLDER, ValueType, Variable};
pub use client::{
    Client, ClientOptions, MESSAGE_HEADROOM, Pipelined, ReadValues, SERVER_CURRENT_TIME,
};
pub use discovery::{EndpointInfo, discover_endpoints, select_endpoint};
pub use identity::{Identity, SECURE_POLICIES, SecurityMode, endpoints, policy_uri, url_host};
pub use methods::{
    Argument, BAD_SECURITY_MODE_INSUFFICIENT, BAD_USER_ACCESS_DENIED, Caller, CallerMethod,
    MethodResult, Role, UserLogin,
};
pub use node_text::{NodeIdError, check_node_id, format_value, resolve_node_id};
pub use nodes::BASE_OBJECT_TYPE;
pub use server::{Server, ServerOptions, ensure_application_certificate};
pub use status::{ClientError, ServerError, Status};
pub use verify::{AUTO_ACCEPT_WARNING, DEFAULT_REJECTIONS_KEPT, Rejection, Verifier};

/// The trait of `ua`'s types (`init` for an empty value, raw conversions).
pub use open62541::DataType;
/// Re-exported so callers can name nodes and values without depending on open62541 directly.
pub use open62541::ua;
