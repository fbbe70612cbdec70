//! A client of IoT Hub's service REST API: module twins, twin queries, direct methods,
//! configuration content and module identities, as an operator's tooling uses them.
//!
//! Layer L1 of the workspace, on tokio. [`ServiceClient::from_connection_string`] takes a
//! shared access policy's connection string (`HostName=…;SharedAccessKeyName=…;
//! SharedAccessKey=…`) and a [`TlsTrust`]: [`TlsTrust::System`] for a real hub
//! (`<name>.azure-devices.net`, port 443), [`TlsTrust::CaPem`] for edge-sim
//! (`HostName=localhost:<api port>` and its dev CA). The same requests reach both: paths,
//! headers and bodies are the official Python SDK's (`azure-iot-hub`, api-version
//! [`API_VERSION`], docs/reference/iot-edge.md §5.2).
//!
//! Every call attempt opens its own HTTPS connection (OpenSSL, the server certificate must
//! name the host), signs a fresh policy SAS token with `hub-proto` (so none ever expires in
//! use), and is limited by a timeout. Answers with 429 or 5xx are retried with a short
//! bounded backoff, or after the pause the hub's `Retry-After` asks for (at most a minute)
//! ([`RetryPolicy`]: 3 attempts by default; only 429 and 503 for direct methods, which must
//! not run twice); any other failure is a [`ServiceError`], a refusal
//! as [`ServiceError::Status`] with IoT Hub's error code and message.
//!
//! Twin queries ([`ServiceClient::query_twins`], [`ServiceClient::query_twins_page`]) send
//! `POST /devices/query` with `{"query": …}` in the IoT Hub query language (the subset
//! `hub_proto::query` documents), `x-ms-max-item-count` for the page size and
//! `x-ms-continuation` for each page after the first; every page is its own call with its own
//! retries. An answer whose items are not twins (`SELECT COUNT()`), or a continuation token
//! that repeats, is a [`ServiceError::Protocol`] error rather than a wrong list or a loop.
//!
//! # Layout
//! - `client`: [`ServiceClient`] and its calls; [`MethodResult`]; [`TwinPage`], a page of a
//!   twin query.
//! - [`request`]: the requests without sockets: [`request::Endpoint`] (host and port of
//!   `HostName`), [`request::Route`] (paths with percent-encoded ids), bodies, the
//!   `Authorization` token.
//! - [`retry`]: [`RetryPolicy`], the retry decision as a plain function.
//! - [`error`]: [`ServiceError`], [`ConfigError`] and [`error::parse_error_body`] (IoT Hub's
//!   and edge-sim's error bodies).
//! - `twin`: [`ModuleTwin`], the service twin with helpers that drop `$` metadata.
//! - `identity`: [`ModuleIdentity`] with its keys.
//! - `tls`: [`TlsTrust`] and the OpenSSL connector.

mod client;
pub mod error;
mod identity;
pub mod request;
pub mod retry;
mod tls;
mod twin;

pub use client::{DEFAULT_REQUEST_TIMEOUT, MethodResult, ServiceClient, TwinPage};
pub use error::{ConfigError, ServiceError};
pub use identity::{Authentication, ModuleIdentity, SymmetricKey};
pub use request::API_VERSION;
pub use retry::{Repeatable, RetryPolicy, parse_retry_after};
pub use tls::TlsTrust;
pub use twin::ModuleTwin;
