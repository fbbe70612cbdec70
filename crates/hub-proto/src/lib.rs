//! The IoT Hub / IoT Edge module protocol, sans-io.
//!
//! Layer L0 of the workspace: no tokio, no sockets, no clock (expiry checks take `now` in
//! seconds since the Unix epoch) and no environment access. The module client
//! (`edge-client`) and the simulated runtime (`edge-sim`) both speak the protocol through this
//! crate, so the two sides cannot drift apart. Facts and their sources:
//! `docs/reference/iot-edge.md`, cited by its section numbers.
//!
//! # Layout
//! - [`ids`]: newtypes at the boundary — [`DeviceId`], [`ModuleId`], [`RequestId`],
//!   [`MethodName`].
//! - [`topic`]: MQTT topic names ([`Topic`]) and subscription filters ([`Subscription`]).
//! - [`property_bag`]: the URL-encoded properties of message topics ([`PropertyBag`]).
//! - [`twin`]: twin documents ([`TwinProperties`]), patches ([`twin::merge`],
//!   [`twin::apply_patch`], [`twin::diff`]), `$version` ordering ([`TwinVersion`],
//!   [`DesiredState`]) and edgeHub's reported-patch rules ([`twin::validate_reported_patch`]).
//! - [`sas`]: SAS tokens ([`SasToken`], [`Audience`], [`SharedAccessKey`]).
//! - [`method`]: direct-method requests and responses, MQTT and service REST bodies.
//! - [`workload`]: workload API routes, api-versions and JSON bodies.
//! - [`management`]: management API routes (edgelet's `mgmt.sock`; bodies are the workload
//!   API's).
//! - [`manifest`]: deployment manifests ([`DeploymentManifest`]), chunked `createOptions`,
//!   schema versions and template generation.
//! - [`connection_string`]: module, device and service connection strings
//!   ([`ConnectionString`]).
//! - [`env`](mod@env): the `IOTEDGE_*` variable names and [`EdgeEnvironment`].
//! - [`encoding`]: the SDKs' URL encoding (`urllib.parse.quote(s, safe="")`).
//! - [`query`]: twin queries (`POST /devices/query`): the query language subset parsed into a
//!   [`query::Query`] and evaluated against twin JSON, and the paging headers.
//! - [`configuration`]: configurations (layered deployments) as types, and the pure rules of
//!   what they do to module twins: paths, precedence, the desired patch.

pub mod configuration;
pub mod connection_string;
pub mod encoding;
pub mod env;
pub mod ids;
pub mod management;
pub mod manifest;
pub mod method;
pub mod property_bag;
pub mod query;
pub mod sas;
pub mod topic;
pub mod twin;
pub mod workload;

pub use connection_string::{ConnectionString, ConnectionStringError};
pub use env::{EdgeEnvironment, EdgeEnvironmentError};
pub use ids::{DeviceId, IdError, MethodName, ModuleId, RequestId};
pub use manifest::{DeploymentManifest, ManifestError};
pub use method::{MethodRequest, MethodResponse};
pub use property_bag::PropertyBag;
pub use sas::{Audience, SasToken, SharedAccessKey};
pub use topic::{Subscription, Topic, TopicError};
pub use twin::{DesiredState, ReportedPatchError, TwinProperties, TwinVersion};
