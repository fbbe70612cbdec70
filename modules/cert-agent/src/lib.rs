//! `cert-agent`: the module twin for OPC UA applications that cannot read one (Microsoft's .NET
//! OPC PLC, OPC Publisher, vendor servers). They keep their PKI in OPC UA directory stores on
//! a volume; cert-agent keeps each store `<pki-root>/<storeName>/` as its own module twin's
//! `properties.desired.stores.<storeName>` says, with exactly the semantics of a module's own
//! `pki` (docs/twin-pki.md), and reports each store's picture under
//! `properties.reported.stores.<storeName>`: the CSR built from the app's own key (which never
//! moves), thumbprints, expiry, rejected certificates, errors, and the restart it asked the
//! IoT Edge runtime for after the app's own certificate changed.
//!
//! Layer L3 (a module): on `provisioning` and `module-runtime`; it links no OPC UA stack.
//!
//! # Layout
//! - [`config`]: the command line ([`Cli`]) resolved into a [`Config`].
//! - [`stores`]: the reconciler of `stores` ([`AgentStores`]): stores by name or found on the
//!   volume, each reconciled on its own, then the restarts.
//! - [`restart`]: restarting a module through the IoT Edge management API ([`Management`]).
//! - `run`: [`run`], the agent until shutdown.

pub mod config;
pub mod restart;
mod run;
pub mod stores;

pub use config::{Cli, Config};
pub use restart::{Management, Restarter};
pub use run::{RunError, run};
pub use stores::AgentStores;
