//! Twin-driven PKI: a desired `pki` section (or a cert-agent store) and an OPC UA store in, the
//! store brought to the desired state atomically, and the reported picture out.
//!
//! Layer L1 (docs/architecture.md §2): no sockets and no tokio; time is an argument; the
//! store is read and written through `pki`'s transactions. The modules call [`reconcile`] with
//! the full desired document after every (re)connect and after every patch, then send the
//! difference between the hub's reported section and the new [`ReportedPki`] as their patch.
//!
//! Semantics (docs/architecture.md §4): every item is decoded and checked before anything is
//! written; any invalid item refuses the whole document and leaves the store byte-for-byte as
//! it was (`status: rejected` with the item and the reason); otherwise removals, issuers,
//! trusted, approvals, CRLs and the application certificate are applied in that order in one
//! crash-safe commit. Which entries the twin installed is kept in the store's record
//! (`<root>/.pki.record.json`), committed with them, so a name dropped from the twin removes
//! exactly its certificate and nothing an operator installed by other means. Private keys never
//! come through the twin; the module reports a CSR for its own key instead.
//!
//! # Layout
//! - [`contract`]: the twin documents as types ([`DesiredPki`], [`ReportedPki`], [`ItemError`]
//!   with its [`ErrorCode`]).
//! - `decode`: a desired document with its certificates and CRLs parsed ([`Desired`]).
//! - `reconcile`: [`reconcile`] (read, [`plan`], commit, report) and [`report`] (the picture
//!   only);
//!   [`record_restart`] for cert-agent's restarts.
//! - `report`: the picture read back from the store, within its size budget.
//! - [`expiry`]: days left, the summary, the warnings a module logs once a day.
//! - `record`: the store's record of twin-installed entries.
//! - [`store_name`]: the names of cert-agent's stores ([`StoreName`]).

pub mod contract;
mod decode;
pub mod expiry;
pub mod push;
mod reconcile;
mod record;
mod report;
pub mod store_name;

pub use contract::{
    DesiredPki, DesiredStores, ErrorCode, ItemError, PKI_PROPERTY, ReportedPki, ReportedStores,
    STORES_PROPERTY, Section, Status,
};
pub use decode::{DEFAULT_EXPIRY_WARNING_DAYS, Desired, PolicyKnobs};
pub use reconcile::{
    Context, DesiredInput, Outcome, Reconciliation, StorePlan, plan, reconcile, record_restart,
    report,
};
pub use report::{MAX_REPORTED_REJECTED, REPORTED_BUDGET_BYTES};
pub use store_name::StoreName;
