//! Deciding trust in a peer certificate (OPC 10000-4 §6.1.3, Table 106).
//!
//! [`validate_chain`] is the pure walk over a [`TrustSnapshot`]; [`Validator`] adds the cached
//! snapshot of a store on disk and the copy of rejected certificates to `rejected/certs`.

mod cache;
mod chain;
mod options;
mod parsed;
mod snapshot;
mod status;

pub use cache::{FingerprintError, FolderFingerprint, TrustCache, Validator};
pub use chain::{ValidatedChain, ValidationError, validate_chain};
pub use options::{KEY_SIZE_RANGE, PeerExpectations, PeerRole, SecurityPolicy, ValidationOptions};
pub use parsed::ParsedChains;
pub use snapshot::TrustSnapshot;
pub use status::StatusCode;
