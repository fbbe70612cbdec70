//! Certificate revocation lists: parsing ([`Crl`]) and issuing ([`CrlBuilder`]).

mod builder;
mod parse;

pub use builder::{CrlBuildError, CrlBuilder, CrlReason};
pub use parse::Crl;
