//! Twin-driven PKI: a desired `pki` section (or a cert-agent store) and an OPC UA store in, the
//! store brought to the desired state atomically, and the reported picture out.
//!
//! Layer L1 (ARCHITECTURE §2): no sockets and no tokio; the store is read and written through
//! `pki`'s transactions. The modules call [`reconcile`] with the full desired document after
//! every (re)connect and after every patch, then send the difference between the previous and
//! the new [`Reconciliation::reported`] as their reported patch.
//!
//! Semantics (ARCHITECTURE §4.1): every item is decoded and checked before anything is
//! written; any invalid item refuses the whole document and leaves the store byte-for-byte as
//! it was (`status: rejected` with the item and the reason); otherwise removals, issuers,
//! trusted, CRLs and the application certificate are applied in that order in one crash-safe
//! commit. Which entries the twin installed is kept in the store's record
//! (`<root>/.pki.record.json`), committed with them, so a name dropped from the twin removes
//! exactly its certificate and nothing an operator installed by other means. Private keys never
//! come through the twin; the module reports a CSR for its own key instead.

mod desired;
mod reconcile;
mod record;
mod reported;

pub use desired::{DesiredPki, ItemError, Section};
pub use reconcile::{Context, Reconciliation, Status, reconcile};
pub use reported::{MAX_REPORTED_REJECTED, REPORTED_BUDGET_BYTES, report};
