//! The twin documents as types: what crosses the process boundary between a CA tool or an
//! operator (desired) and a module (reported). Writers serialise these types; modules read
//! the desired side with [`DesiredPki::from_twin`] and report [`ReportedPki`].

mod desired;
mod error;
mod reported;

pub use desired::{
    DesiredPki, DesiredStores, KEY_SIZE_RANGE, MAX_EXPIRY_WARNING_DAYS, PKI_PROPERTY,
    POLICY_PROPERTIES, STORES_PROPERTY, Section,
};
pub use error::{ErrorCode, ItemError, Status};
pub use reported::{
    ApplicationCertReport, CertificateReport, CrlReport, ExpiryReport, ExpiryStatus,
    RejectedReport, ReportedPki, ReportedStores, RestartReport, RestartState, SoonestReport,
};
