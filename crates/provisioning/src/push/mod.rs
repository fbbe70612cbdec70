//! The rules of OPC 10000-12 §7.7–7.8 push management as plain functions over values.
//!
//! (Contract in progress.)

pub mod csr;
mod error;
pub mod file;
pub mod rejected;
pub mod stage;
pub mod trust_list;

pub use csr::{SigningRequest, create_signing_request};
pub use error::{PushError, PushStatus};
pub use file::{MAX_HANDLES_PER_SESSION, TrustListFile};
pub use rejected::rejected_list;
pub use stage::{
    ApplicationCertificate, Change, Pending, PushPlan, Staged, Transaction, TwinOwned, plan,
    twin_owned,
};
pub use trust_list::{Masks, TrustList};
