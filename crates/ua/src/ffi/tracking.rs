//! The server's channel and session notifications, feeding the [`SessionTable`] of the
//! [`ServerSlot`], and the `UA_Server_closeSession` call that ends a session (live revocation,
//! own-certificate update).
//!
//! Payloads (open62541 1.5 `common.h`, `UA_ApplicationNotificationType`): `SECURECHANNEL_*`
//! carry `0:securechannel-id` (`UInt32`), `0:security-mode` (`MessageSecurityMode`) and
//! `0:remote-certificate` (`ByteString`, what the peer sent at OPN); `SESSION_*` carry `0:session-id` (`NodeId`) and `0:securechannel-id`. Both
//! callbacks run on the server thread with the server's (re-entrant) mutex held.

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use open62541::{DataType as _, ua};
use open62541_sys::{
    UA_ApplicationNotificationType, UA_ByteString, UA_DataType, UA_KeyValueMap,
    UA_KeyValueMap_getScalar, UA_MessageSecurityMode, UA_NodeId, UA_Server, UA_Server_closeSession,
    UA_Server_getConfig, UA_StatusCode, UA_TYPES, UA_TYPES_MESSAGESECURITYMODE,
};

use super::cert_group::{GroupContext, byte_string_slice, context_of};
use super::slot::ServerSlot;
use crate::identity::SecurityMode;
use crate::sessions::SessionTable;

/// The table the callbacks fill: session ids as open62541 `NodeId`s (Guid).
pub(crate) type Sessions = SessionTable<ua::NodeId>;

/// `config.secureChannelNotificationCallback`.
pub(crate) unsafe extern "C" fn channel_notification_c(
    server: *mut UA_Server,
    kind: UA_ApplicationNotificationType,
    payload: UA_KeyValueMap,
) {
    // SAFETY: open62541 passes its live server and a payload valid for the call.
    let Some(slot) = (unsafe { slot_of(server) }) else {
        return;
    };
    // SAFETY: as above; the key's value is a UInt32 scalar (payload documentation).
    let channel = unsafe { scalar::<u32>(&payload, "securechannel-id", ua::UInt32::data_type()) };
    let Some(channel) = channel.copied() else {
        return;
    };
    // Never unwind into C.
    let _ = catch_unwind(AssertUnwindSafe(|| match kind {
        UA_ApplicationNotificationType::UA_APPLICATIONNOTIFICATIONTYPE_SECURECHANNEL_OPENED => {
            // SAFETY: as above; a ByteString scalar, copied before the call returns.
            let cert = unsafe {
                scalar::<UA_ByteString>(&payload, "remote-certificate", ua::ByteString::data_type())
            }
            // SAFETY: `cert` points into the payload, valid for the call.
            .map(|b| unsafe { byte_string_slice(b) }.to_vec())
            .unwrap_or_default();
            // The safe crate's `MessageSecurityMode::data_type()` names `UInt32` (its layout),
            // while the payload's variant has the enum's own type, so the enum's entry of
            // `UA_TYPES` is named directly.
            // SAFETY: `UA_TYPES` is open62541's immutable table of built-in types; only the
            // address of one entry is taken. The value is a 32-bit enum scalar (payload docs).
            let mode = unsafe {
                scalar::<UA_MessageSecurityMode>(
                    &payload,
                    "security-mode",
                    &raw const UA_TYPES[UA_TYPES_MESSAGESECURITYMODE as usize],
                )
            }
            .and_then(security_mode);
            slot.with_sessions(|t| {
                t.channel_opened(channel, cert);
                if let Some(mode) = mode {
                    t.channel_mode(channel, mode);
                }
            });
        }
        UA_ApplicationNotificationType::UA_APPLICATIONNOTIFICATIONTYPE_SECURECHANNEL_CLOSED => {
            slot.with_sessions(|t| t.channel_closed(channel));
        }
        _ => {}
    }));
}

/// `config.sessionNotificationCallback`.
pub(crate) unsafe extern "C" fn session_notification_c(
    server: *mut UA_Server,
    kind: UA_ApplicationNotificationType,
    payload: UA_KeyValueMap,
) {
    // SAFETY: open62541 passes its live server and a payload valid for the call.
    let Some(slot) = (unsafe { slot_of(server) }) else {
        return;
    };
    // SAFETY: as above; the value is a NodeId scalar, cloned before the call returns.
    let session = unsafe { scalar::<UA_NodeId>(&payload, "session-id", ua::NodeId::data_type()) }
        .map(ua::NodeId::clone_raw);
    let Some(session) = session else {
        return;
    };
    // SAFETY: as above; a UInt32 scalar.
    let channel = unsafe { scalar::<u32>(&payload, "securechannel-id", ua::UInt32::data_type()) }
        .copied()
        .unwrap_or(0);
    let _ = catch_unwind(AssertUnwindSafe(|| match kind {
        UA_ApplicationNotificationType::UA_APPLICATIONNOTIFICATIONTYPE_SESSION_ACTIVATED => {
            slot.with_sessions(|t| t.session_activated(session, channel));
        }
        UA_ApplicationNotificationType::UA_APPLICATIONNOTIFICATIONTYPE_SESSION_CLOSED => {
            slot.with_sessions(|t| t.session_closed(&session));
        }
        _ => {}
    }));
}

/// Our name of a channel's message security mode (`Invalid` is none).
fn security_mode(mode: &UA_MessageSecurityMode) -> Option<SecurityMode> {
    match *mode {
        UA_MessageSecurityMode::UA_MESSAGESECURITYMODE_NONE => Some(SecurityMode::None),
        UA_MessageSecurityMode::UA_MESSAGESECURITYMODE_SIGN => Some(SecurityMode::Sign),
        UA_MessageSecurityMode::UA_MESSAGESECURITYMODE_SIGNANDENCRYPT => {
            Some(SecurityMode::SignAndEncrypt)
        }
        _ => None,
    }
}

/// Closes a session (`UA_Server_closeSession`); its `SESSION_CLOSED` notification removes it
/// from the table. The caller must not hold the table's lock.
///
/// # Safety
/// `server` must be a started server and the call must run on its thread.
pub(crate) unsafe fn close_session(server: *mut UA_Server, session: &ua::NodeId) -> UA_StatusCode {
    // SAFETY: `server` is live (contract); the NodeId is only read during the call.
    unsafe { UA_Server_closeSession(server, session.as_ptr()) }
}

/// Our slot, found through the secure channel group (the callbacks have no context argument).
///
/// # Safety
/// `server` must be null or a live server.
pub(crate) unsafe fn slot_of<'a>(server: *mut UA_Server) -> Option<&'a ServerSlot> {
    if server.is_null() {
        return None;
    }
    // SAFETY: the server is live (contract); its config lives as long as it does.
    let config = unsafe { UA_Server_getConfig(server).as_ref() }?;
    context_of(&config.secureChannelPKI).and_then(GroupContext::slot)
}

/// The scalar of type `data_type` under `0:<name>` in `payload`, if present with that type.
///
/// # Safety
/// `payload` must be a valid key-value map; `T` must be the Rust layout of `data_type`. The
/// returned reference is valid while `payload` is.
pub(crate) unsafe fn scalar<'a, T>(
    payload: &'a UA_KeyValueMap,
    name: &str,
    data_type: *const UA_DataType,
) -> Option<&'a T> {
    let key = ua::QualifiedName::new(0, name);
    // SAFETY: the map is valid (contract); the key is passed as a shallow copy the callee only
    // reads; `key` keeps ownership. The result is null or points to a `T` inside the map.
    let found: *const c_void = unsafe {
        UA_KeyValueMap_getScalar(payload, ua::QualifiedName::to_raw_copy(&key), data_type)
    };
    // SAFETY: see above.
    unsafe { found.cast::<T>().as_ref() }
}
