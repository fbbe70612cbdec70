//! Module twins: documents, patches, `$version` ordering and edgeHub's reported-patch rules.
//!
//! A twin section (desired or reported) is a JSON object; `serde_json::Map` is used as is, so
//! that no property is lost in translation. The functions here are the only place where the
//! client and the simulator decide what a patch does.

mod desired;
mod document;
mod patch;
mod validate;
mod version;

pub use desired::{DesiredState, PatchOutcome, TwinOutcome};
pub use document::{TwinDocumentError, TwinProperties, properties_only};
pub use patch::{apply_patch, diff, merge};
pub use validate::{
    MAX_DEPTH, MAX_NAME_BYTES, MAX_PATCH_BYTES, MAX_SAFE_INTEGER, MAX_STRING_BYTES,
    MIN_SAFE_INTEGER, ReportedPatchError, parse_reported_patch, validate_property_name,
    validate_reported_patch,
};
pub use version::{TwinVersion, VERSION_KEY};
