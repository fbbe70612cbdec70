//! Certificate revocation lists: parsing ([`Crl`]) and issuing ([`CrlBuilder`]).

mod builder;

pub use builder::{CrlBuildError, CrlBuilder};
