//! Our [`Verifier`] as an open62541 `UA_CertificateGroup` (server `secureChannelPKI` and
//! `sessionPKI`, client `certificateVerification`), and the lifecycle hook that captures the `UA_Server*`.
//!
//! Measured (docs/reference/open62541.md): only `verifyCertificate` and `clear` are ever called;
//! the other six pointers are called unchecked by `UA_Server_addCertificates`/`removeCertificates`,
//! which we never call, so they get stubs returning `BadNotSupported` as insurance.

use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, PoisonError};

use open62541::{DataType as _, ua};
use open62541_sys::{
    UA_Boolean, UA_ByteString, UA_CertificateGroup, UA_LifecycleState,
    UA_STATUSCODE_BADINTERNALERROR, UA_STATUSCODE_BADNOTSUPPORTED, UA_STATUSCODE_GOOD, UA_Server,
    UA_Server_getConfig, UA_StatusCode, UA_TrustListDataType,
};
use time::OffsetDateTime;

use super::slot::ServerSlot;
use crate::client::Refusal;
use crate::verify::Verifier;

/// `DefaultApplicationGroup` (OPC 10000-12 §7.8.3): the secure channel's certificate group.
pub(crate) const DEFAULT_APPLICATION_GROUP: u32 = 14156;
/// `DefaultUserTokenGroup`: certificates of X509 user identity tokens.
pub(crate) const DEFAULT_USER_TOKEN_GROUP: u32 = 14122;

/// What a certificate group's `context` points to (boxed; freed by [`clear_c`]).
#[derive(Debug)]
pub(crate) struct GroupContext {
    /// The trust decision.
    pub(crate) verifier: Arc<Verifier>,
    /// Whose group it is.
    pub(crate) role: GroupRole,
}

/// The server's groups or the client's server check.
#[derive(Debug)]
pub(crate) enum GroupRole {
    /// A server group: where the lifecycle hook stores the server handle (only read through the
    /// secure channel group).
    Server(Arc<ServerSlot>),
    /// A client's check of the server it connects to.
    Client {
        /// Our exact refusal, kept for the error of the failed connect.
        refusal: Refusal,
        /// `false` for None/None: the certificate secures nothing there (no signature, no
        /// encryption, OPC 10000-4 §7.20), so it is not judged.
        enforce: bool,
    },
}

impl GroupContext {
    /// The server slot of a server group.
    pub(crate) fn slot(&self) -> Option<&ServerSlot> {
        match &self.role {
            GroupRole::Server(slot) => Some(slot),
            GroupRole::Client { .. } => None,
        }
    }
}

/// Replaces `group` (open62541's default accepts everything) with our verifier, keeping the
/// group's logging pointer.
///
/// # Safety
/// `group` must be a certificate group initialised by open62541 (or all zero), owned by a config
/// that will call its `clear` exactly once when it is cleaned up.
pub(crate) unsafe fn install(
    group: &mut UA_CertificateGroup,
    group_id: u32,
    context: GroupContext,
) {
    let logging = group.logging;
    if let Some(clear) = group.clear {
        // SAFETY: `group` is initialised (caller's contract); its own `clear` releases what the
        // previous plugin allocated, after which we overwrite every field.
        unsafe { clear(group) };
    }
    // SAFETY: `UA_CertificateGroup` is a C struct of a NodeId, raw pointers and nullable function
    // pointers (`Option<fn>`); all-zero is a valid, empty value of each.
    let mut fresh: UA_CertificateGroup = unsafe { MaybeUninit::zeroed().assume_init() };
    fresh.certificateGroupId = ua::NodeId::ns0(group_id).into_raw();
    fresh.logging = logging;
    fresh.context = Box::into_raw(Box::new(context)).cast::<c_void>();
    fresh.verifyCertificate = Some(verify_c);
    fresh.clear = Some(clear_c);
    fresh.getTrustList = Some(get_trust_list_c);
    fresh.setTrustList = Some(set_trust_list_c);
    fresh.addToTrustList = Some(set_trust_list_c);
    fresh.removeFromTrustList = Some(set_trust_list_c);
    fresh.getRejectedList = Some(get_rejected_list_c);
    fresh.getCertificateCrls = Some(get_certificate_crls_c);
    *group = fresh;
}

/// Our context behind `group`, if `group` is one of ours.
pub(crate) fn context_of(group: &UA_CertificateGroup) -> Option<&GroupContext> {
    let ours = group
        .verifyCertificate
        .is_some_and(|f| std::ptr::fn_addr_eq(f, verify_c as VerifyFn));
    if !ours {
        return None;
    }
    // SAFETY: a group whose `verifyCertificate` is ours was filled by `install`, so `context` is
    // a live `Box<GroupContext>` until `clear_c` nulls it (then `as_ref` yields `None`).
    unsafe { group.context.cast::<GroupContext>().as_ref() }
}

type VerifyFn =
    unsafe extern "C" fn(*mut UA_CertificateGroup, *const UA_ByteString) -> UA_StatusCode;

/// The bytes of a `UA_ByteString` (empty when null).
///
/// # Safety
/// `bytes` must be null or point to a valid `UA_ByteString` that outlives the returned slice.
pub(crate) unsafe fn byte_string_slice<'a>(bytes: *const UA_ByteString) -> &'a [u8] {
    // SAFETY: caller's contract.
    let Some(bytes) = (unsafe { bytes.as_ref() }) else {
        return &[];
    };
    if bytes.data.is_null() || bytes.length == 0 {
        return &[];
    }
    // SAFETY: a valid UA_ByteString owns `length` initialised bytes at `data`.
    unsafe { std::slice::from_raw_parts(bytes.data, bytes.length) }
}

/// A `UA_ByteString` viewing `bytes`, for calls that only read their by-value argument (no
/// copy of a private key of ours to linger in freed memory).
pub(crate) fn borrowed(bytes: &[u8]) -> UA_ByteString {
    UA_ByteString {
        length: bytes.len(),
        data: bytes.as_ptr().cast_mut(),
    }
}

unsafe extern "C" fn verify_c(
    group: *mut UA_CertificateGroup,
    certificate: *const UA_ByteString,
) -> UA_StatusCode {
    // SAFETY: open62541 passes the group it owns; it stays valid for the call.
    let Some(context) = (unsafe { group.as_ref() }).and_then(context_of) else {
        return UA_STATUSCODE_BADINTERNALERROR;
    };
    if let GroupRole::Client { enforce: false, .. } = context.role {
        return UA_STATUSCODE_GOOD;
    }
    // SAFETY: open62541 passes the certificate it received; valid for the call.
    let bytes = unsafe { byte_string_slice(certificate) };
    // A panic must not unwind into C: it becomes an internal error (and a refused peer).
    let verdict = catch_unwind(AssertUnwindSafe(|| {
        context.verifier.verify(bytes, OffsetDateTime::now_utc())
    }));
    match verdict {
        Ok(Ok(_)) => UA_STATUSCODE_GOOD,
        Ok(Err(err)) => {
            let code = err.status.code();
            if let GroupRole::Client { refusal, .. } = &context.role {
                *refusal.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
            }
            code
        }
        Err(_) => UA_STATUSCODE_BADINTERNALERROR,
    }
}

unsafe extern "C" fn clear_c(group: *mut UA_CertificateGroup) {
    // SAFETY: open62541 passes the group it owns and calls `clear` once.
    let Some(group) = (unsafe { group.as_mut() }) else {
        return;
    };
    let context = std::mem::replace(&mut group.context, std::ptr::null_mut());
    if !context.is_null() {
        // SAFETY: `context` came from `Box::into_raw` in `install` and is nulled above, so it is
        // reclaimed exactly once.
        drop(unsafe { Box::from_raw(context.cast::<GroupContext>()) });
    }
    drop(ua::NodeId::take_raw(&mut group.certificateGroupId));
}

unsafe extern "C" fn get_trust_list_c(
    _group: *mut UA_CertificateGroup,
    _trust_list: *mut UA_TrustListDataType,
) -> UA_StatusCode {
    UA_STATUSCODE_BADNOTSUPPORTED
}

unsafe extern "C" fn set_trust_list_c(
    _group: *mut UA_CertificateGroup,
    _trust_list: *const UA_TrustListDataType,
) -> UA_StatusCode {
    UA_STATUSCODE_BADNOTSUPPORTED
}

unsafe extern "C" fn get_rejected_list_c(
    _group: *mut UA_CertificateGroup,
    rejected: *mut *mut UA_ByteString,
    size: *mut usize,
) -> UA_StatusCode {
    // An empty list, so a caller that ignores the status still reads valid values.
    // SAFETY: out-pointers from open62541 are null or valid for writing.
    unsafe {
        if let Some(rejected) = rejected.as_mut() {
            *rejected = std::ptr::null_mut();
        }
        if let Some(size) = size.as_mut() {
            *size = 0;
        }
    }
    UA_STATUSCODE_BADNOTSUPPORTED
}

unsafe extern "C" fn get_certificate_crls_c(
    _group: *mut UA_CertificateGroup,
    _certificate: *const UA_ByteString,
    _is_trusted: UA_Boolean,
    crls: *mut *mut UA_ByteString,
    size: *mut usize,
) -> UA_StatusCode {
    // SAFETY: as in `get_rejected_list_c`.
    unsafe { get_rejected_list_c(std::ptr::null_mut(), crls, size) }
}

/// `config.notifyLifecycleState`: stores the server handle at STARTED, drops it at STOPPING.
/// It has no context argument, so it finds our state through the secure channel group.
pub(crate) unsafe extern "C" fn lifecycle_c(server: *mut UA_Server, state: UA_LifecycleState) {
    if server.is_null() {
        return;
    }
    // SAFETY: open62541 passes its live server; the config lives as long as the server.
    let Some(config) = (unsafe { UA_Server_getConfig(server).as_ref() }) else {
        return;
    };
    let Some(slot) = context_of(&config.secureChannelPKI).and_then(GroupContext::slot) else {
        return;
    };
    if state == UA_LifecycleState::UA_LIFECYCLESTATE_STARTED {
        let urls = (0..config.applicationDescription.discoveryUrlsSize)
            .filter_map(|i| {
                // SAFETY: `discoveryUrls` holds `discoveryUrlsSize` valid strings.
                let s = unsafe { &*config.applicationDescription.discoveryUrls.add(i) };
                // SAFETY: a UA_String is a UA_ByteString (same layout, open62541 typedef).
                let bytes = unsafe { byte_string_slice(std::ptr::from_ref(s)) };
                std::str::from_utf8(bytes).ok().map(str::to_owned)
            })
            .collect();
        slot.started(server, urls);
    } else {
        slot.stopped();
    }
}
