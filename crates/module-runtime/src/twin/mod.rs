//! The module twin drives PKI stores (docs/architecture.md §4): every desired document goes
//! through `provisioning`, and the difference between what the hub holds as reported
//! properties and the new picture is sent as a reported patch (with `null`s for what is gone).
//!
//! # Driving contract
//!
//! [`TwinDriver`] runs a [`Reconciler`] on its own thread with a small tokio runtime, next to
//! whatever else the module runs (an OPC UA stack picks store changes up itself). The driver
//! calls [`Reconciler::pass`] with the full desired document and a [`Trigger`]:
//! - [`Trigger::Document`] after every connect (the full document: patches sent while offline
//!   are lost by IoT Hub's design) and after every newer patch;
//! - [`Trigger::Refresh`] every [`DriverOptions::refresh`] (30 s), so the picture follows time
//!   (days left, a CRL past its `nextUpdate`) and what the store shows;
//! - [`Trigger::StoreChanged`] within [`DriverOptions::watch`] (1 s) of a change in one of the
//!   folders [`Reconciler::watched`] names (an app wrote a rejected certificate or replaced its
//!   own): the same folder fingerprints the PLC's store watch and the validators' trust cache
//!   use (`pki::FolderFingerprint`), polled, because a mounted volume may not deliver inotify
//!   events.
//!
//! The reconciler returns the full value of each top-level reported property it owns
//! ([`Reconciler::properties`]); the driver diffs it against the hub's reported properties
//! (read after every connect) and sends only the difference. Nothing is sent before the first
//! desired document arrived.
//!
//! [`OwnPki`] is the reconciler of `opc-plc` and `opc-client` (`pki`); cert-agent has its own
//! for `stores`. Both keep per-store state in a [`StoreTwin`].

mod driver;
mod own;
mod store_twin;

pub use driver::{DriverOptions, Reconciler, TwinDriver, TwinStartError};
pub use own::{OwnPki, PolicySink, RejectionReasons, TwinPki, TwinPkiOptions};
pub use store_twin::{StorePass, StoreTwin};

/// Why a pass runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A desired document arrived (full after a connect, or a newer patch).
    Document,
    /// The periodic refresh.
    Refresh,
    /// A watched store folder changed.
    StoreChanged,
}

#[cfg(test)]
pub(crate) mod fixtures {
    #![allow(clippy::unwrap_used)]

    use pki::{Store, StoreLayout};
    use test_support::{LeafSpec, TestStore, self_signed};

    /// The application URI of the test module.
    pub const URI: &str = "urn:OpcPlc:test";

    /// A module's store after its first start: a self-signed certificate and its key.
    pub fn module_store() -> (TestStore, Store) {
        let dir = TestStore::new().with_own(&self_signed(LeafSpec::server("OpcPlc", URI, "plc")));
        let store = Store::open(StoreLayout::under(dir.path())).unwrap();
        (dir, store)
    }
}
