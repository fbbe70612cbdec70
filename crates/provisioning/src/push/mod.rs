//! The rules of OPC 10000-12 §7.7–7.8 push management (the `ServerConfiguration` object's
//! methods and its `TrustList` file) as plain functions over values.
//!
//! No sockets and no OPC UA stack types: the server glue converts method arguments to these
//! Rust values and answers with the [`PushError`]'s [`PushStatus::code`]. Time is an argument.
//!
//! # Contract
//! - **What is read:** `TrustList` `Open`/`OpenWithMasks` serve a snapshot of the store's lists
//!   ([`TrustList::from_store`], encoded as `TrustListDataType`), fixed when the handle opens;
//!   `GetRejectedList` is [`rejected_list`]; `CreateSigningRequest` is
//!   [`create_signing_request`] (a new key stays with the caller until `UpdateCertificate`).
//! - **What is staged:** a trust list written through the file ([`TrustListFile`], decoded by
//!   [`TrustList::decode`] at `CloseAndUpdate`), `AddCertificate`, `RemoveCertificate` and
//!   `UpdateCertificate` go into the session's [`Transaction`]; only one session has changes
//!   pending at a time ([`Pending`], `BadTransactionPending` for the others). Nothing touches
//!   the store while changes are staged.
//! - **What is applied:** `ApplyChanges` replays the staged changes in order over the store's
//!   lists and commits the difference as one `pki` transaction ([`plan`], [`apply`]): every
//!   certificate and CRL is decoded first and one bad item refuses the whole push; a trust list
//!   replaces the lists its mask specifies; a new application certificate must match the key
//!   sent with it, the key of `CreateSigningRequest`, or the current key, and must carry the
//!   application's URI; its issuers join `issuer/certs` in the same commit. All or nothing:
//!   a refusal leaves the store byte-for-byte as it was.
//! - **Ownership:** the module twin owns what its record names (`<root>/.pki.record.json`:
//!   `trusted`, `issuers`, `crls`, `approved`; [`twin_owned`]). A push that would remove one
//!   of those is refused with `BadRequestNotAllowed` naming the twin's entry (`trusted.plcCa`);
//!   change it through the module twin. While the desired document names `applicationCert`, the
//!   twin manages the application certificate and `UpdateCertificate` is refused the same way.
//!   What a push installs is not in the record: the twin reports it under its thumbprint and
//!   never removes it.
//!
//! # For the server glue
//! - Session checks come first (the glue's own): `BadSecurityModeInsufficient` without an
//!   encrypted channel, `BadUserAccessDenied` for a user without the security-admin role.
//! - `Open` for writing: [`Pending::begin`] for the session (`BadTransactionPending` when
//!   another session has changes pending), then [`TrustListFile::open`].
//! - `CloseAndUpdate`: [`TrustListFile::close_and_update`], [`TrustList::decode`] with the
//!   `MaxTrustListSize`, [`Transaction::stage_trust_list`], then [`plan`] to answer with its
//!   error ([`Transaction::unstage_last`] on a refusal); `applyChangesRequired` is true.
//! - `AddCertificate`/`RemoveCertificate`: refused with `BadInvalidState` while the file is
//!   open ([`TrustListFile::open_count`]); otherwise staged and checked like a trust list.
//! - `ApplyChanges`: [`Pending::take`] for the session, then [`apply`]; afterwards reload the
//!   trust lists or take the new application certificate as [`Applied`] says.
//! - A closed session: [`TrustListFile::forget_session`] and [`Pending::discard`].
//!
//! # Layout
//! - `error`: [`PushError`] and [`PushStatus`] (names and 32-bit codes).
//! - [`trust_list`][]: `TrustListDataType` in OPC UA Binary, [`Masks`].
//! - [`file`](mod@file): the `TrustList` file's handles and their rules.
//! - [`stage`][]: [`Transaction`], [`Pending`], [`twin_owned`].
//! - [`plan`](mod@plan): [`plan`](fn@plan), [`apply`].
//! - [`csr`][]: [`create_signing_request`].
//! - [`rejected`][]: [`rejected_list`].

pub mod csr;
mod error;
pub mod file;
pub mod plan;
pub mod rejected;
pub mod stage;
pub mod trust_list;

pub use csr::{SigningRequest, create_signing_request};
pub use error::{PushError, PushStatus};
pub use file::{MAX_HANDLES_PER_SESSION, TrustListFile};
pub use plan::{Applied, PushPlan, apply, check, plan};
pub use rejected::rejected_list;
pub use stage::{
    ApplicationCertificate, Change, Pending, Staged, Transaction, TwinOwned, twin_owned,
};
pub use trust_list::{Masks, TrustList};
