//! `edge-sim`: a simulated Azure IoT Edge runtime for tests, demos and laptops.
//!
//! Layer L2 (a tool): it depends on `hub-proto` for every protocol fact, so the simulator and
//! our module client cannot drift apart, and knows nothing of OPC UA. It speaks edgeHub's
//! MQTT twin protocol well enough that the official Azure IoT SDKs cannot tell it from the
//! real thing, serves each module's workload API (and the management API to the modules that
//! bind it), and offers IoT Hub's service REST API for twins and methods ("the portal").
//!
//! Start it in-process with [`EdgeSim::start`] (port 0 for free ports) and drive it through
//! the returned [`Running`]; the binary is a thin shell over the same call.
//!
//! # Layout
//! - [`agent`]: the simulated edgeAgent: runs a deployment manifest's modules as processes
//!   ([`Agent`]).
//! - [`config`]: [`Config`], resolved once by the caller.
//! - [`state`]: identities, module twins with `$version`/`$metadata`/etag, persisted as JSON
//!   ([`State`]).
//! - [`tls`]: the dev CA and server certificate ([`DevPki`]).
//! - [`mqtt`]: the MQTT 3.1.1 server over TLS ([`mqtt::auth`], [`mqtt::session`],
//!   [`Broker`]).
//! - [`edgelet`]: what the workload and management APIs share: a unix socket per module,
//!   errors as `{"message": …}`.
//! - [`workload`]: per-module workload API sockets (trust bundle, sign, server certificate).
//! - [`management`]: per-module management API sockets (list, restart, start, stop modules)
//!   for the modules whose manifest binds `/var/run/iotedge/mgmt.sock`; served by the agent.
//! - [`service_api`]: the HTTPS service API (twins, methods, configurations, identities).
//! - [`validate`]: manifests against the official schemas and edgeAgent's rules.
//! - [`faults`]: fault injection for tests ([`Faults`]).
//! - [`fleet`]: fleet devices beside the edge device: their module twins, in-process module
//!   tasks on real stores, online/offline, configurations ([`Fleet`]).
//! - [`harness`]: for tests and demos of modules on edge-sim: manifests, deployments, their
//!   logs and waits on reported properties.
//! - `running`: [`EdgeSim`] and [`Running`], the entry points.

pub mod agent;
pub mod config;
pub mod edgelet;
pub mod faults;
pub mod fleet;
pub mod harness;
pub mod management;
pub mod mqtt;
mod running;
pub mod service_api;
pub mod state;
pub mod tls;
pub mod validate;
pub mod workload;

pub use agent::{Agent, AgentOptions, LogLine};
pub use config::Config;
pub use faults::Faults;
pub use fleet::{Fleet, FleetConfig, FleetModule};
pub use mqtt::{Broker, InvokeError};
pub use running::{EdgeSim, ModuleError, Running, StartError};
pub use state::{State, TwinRecord};
pub use tls::DevPki;
