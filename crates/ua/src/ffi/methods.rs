//! The access control's login callback (roles as session contexts), the refusal of node
//! management to clients, caller-aware method callbacks and events with fields (`crate::methods`).
//!
//! A session's role travels as its `sessionContext`: the login callback stores a pointer to one
//! of three statics ([`ROLE_ANONYMOUS`] …), and open62541 hands that pointer back to every
//! method callback of the session. Nothing is allocated, so nothing has to be freed when the
//! session closes (the default access control's `closeSession` does nothing). A session our
//! callback did not mark (an X.509 user token never reaches it) has a null context: [`role_of`]
//! maps it to [`Role::User`] when the token was a certificate and never to the administrator.

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use open62541::{DataType as _, ua};
use open62541_sys::{
    UA_AccessControl, UA_AddNodesItem, UA_AddReferencesItem, UA_Boolean, UA_ByteString,
    UA_DeleteNodesItem, UA_DeleteReferencesItem, UA_KeyValueMap, UA_KeyValuePair, UA_NodeId,
    UA_STATUSCODE_BADINTERNALERROR, UA_STATUSCODE_BADUSERACCESSDENIED, UA_STATUSCODE_GOOD,
    UA_Server, UA_ServerConfig, UA_StatusCode, UA_String, UA_UsernamePasswordLogin, UA_Variant,
};

use super::cert_group::byte_string_slice;
use super::tracking::slot_of;
use crate::methods::{Caller, Role, UserLogin};

/// The session contexts that carry a role (their addresses are what matters).
static ROLE_ANONYMOUS: u8 = 0;
static ROLE_USER: u8 = 1;
static ROLE_ADMIN: u8 = 2;

fn marker(role: Role) -> *mut c_void {
    let marker: &'static u8 = match role {
        Role::Anonymous => &ROLE_ANONYMOUS,
        Role::User => &ROLE_USER,
        Role::SecurityAdmin => &ROLE_ADMIN,
    };
    ptr::from_ref(marker).cast_mut().cast()
}

/// The role a session context stands for. Null is a session our login callback never saw: an
/// X.509 user token (its certificate was verified by our user-token group) — a user, not the
/// administrator.
pub(crate) fn role_of(context: *mut c_void) -> Role {
    if context == marker(Role::SecurityAdmin) {
        Role::SecurityAdmin
    } else if context == marker(Role::Anonymous) {
        Role::Anonymous
    } else {
        Role::User
    }
}

/// What the login callback checks against (its `loginContext`): owned by the server slot,
/// which outlives the config.
#[derive(Debug, Default)]
pub(crate) struct Logins(pub(crate) Vec<UserLogin>);

impl Logins {
    /// The role of a user-name login, or `None` when no login matches.
    fn role(&self, name: &[u8], password: &[u8]) -> Option<Role> {
        // Every login is compared, so the time taken does not tell which name exists.
        self.0
            .iter()
            .filter(|l| l.matches(name, password))
            .map(|l| l.role)
            .fold(None, |best, r| Some(best.map_or(r, |b: Role| b.max(r))))
    }
}

/// Installs the default access control with our login check, and refuses node management to
/// every client.
///
/// # Safety
/// `config` must be an initialised server config with its security policies added; `logins`
/// must stay alive and unmoved as long as the config (it is the callback's context).
pub(crate) unsafe fn install_access_control(
    config: &mut UA_ServerConfig,
    logins: &Logins,
) -> Result<(), UA_StatusCode> {
    // The list is handed over only so the access control offers the UserName token policy; the
    // check itself is `login_c` (which also assigns roles).
    let names: Vec<ua::String> = logins
        .0
        .iter()
        .map(|l| ua::String::new(&l.name).unwrap_or_else(|_| ua::String::init()))
        .collect();
    let raw: Vec<UA_UsernamePasswordLogin> = names
        .iter()
        .map(|name| UA_UsernamePasswordLogin {
            // SAFETY: a shallow copy the access control deep-copies during the call; `names`
            // outlives it.
            username: unsafe { ua::String::to_raw_copy(name) },
            // No password: the access control keeps a copy of what it is given, and the check is
            // ours. An empty password matches nothing here (`login_c` decides).
            // SAFETY: an all-zero `UA_ByteString` is the null byte string.
            password: unsafe { std::mem::zeroed::<UA_ByteString>() },
        })
        .collect();
    // SAFETY: the config is initialised (contract); `raw` is read during the call only; the login
    // context is `logins`, alive as long as the config (contract).
    let status = unsafe {
        open62541_sys::UA_AccessControl_defaultWithLoginCallback(
            config,
            true,
            ptr::null(),
            raw.len(),
            if raw.is_empty() {
                ptr::null()
            } else {
                raw.as_ptr()
            },
            Some(login_c),
            ptr::from_ref(logins).cast_mut().cast(),
        )
    };
    if status != UA_STATUSCODE_GOOD {
        return Err(status);
    }
    let ac: &mut UA_AccessControl = &mut config.accessControl;
    ac.allowAddNode = Some(deny_add_node_c);
    ac.allowAddReference = Some(deny_add_reference_c);
    ac.allowDeleteNode = Some(deny_delete_node_c);
    ac.allowDeleteReference = Some(deny_delete_reference_c);
    Ok(())
}

/// `UA_UsernamePasswordLoginCallback`: anonymous (an empty name and password) gets the anonymous
/// role; a user name gets the role of the login it matches, else `BadUserAccessDenied`.
unsafe extern "C" fn login_c(
    user_name: *const UA_String,
    password: *const UA_ByteString,
    _size: usize,
    _logins: *const UA_UsernamePasswordLogin,
    session_context: *mut *mut c_void,
    login_context: *mut c_void,
) -> UA_StatusCode {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: open62541 passes valid (possibly empty) strings for the call; the login context
        // is the `Logins` of `install_access_control`.
        let (name, password, logins) = unsafe {
            (
                user_name
                    .as_ref()
                    .map(|s| string_slice(s))
                    .unwrap_or_default(),
                password
                    .as_ref()
                    .map(|b| byte_string_slice(b))
                    .unwrap_or_default(),
                login_context.cast::<Logins>().as_ref(),
            )
        };
        let role = if name.is_empty() && password.is_empty() {
            Some(Role::Anonymous)
        } else {
            logins.and_then(|l| l.role(name, password))
        };
        match role {
            Some(role) => {
                if !session_context.is_null() {
                    // SAFETY: open62541 passes the session's context slot for the call.
                    unsafe { *session_context = marker(role) };
                }
                UA_STATUSCODE_GOOD
            }
            None => UA_STATUSCODE_BADUSERACCESSDENIED,
        }
    }));
    outcome.unwrap_or(UA_STATUSCODE_BADINTERNALERROR)
}

/// The bytes of a `UA_String`.
///
/// # Safety
/// `s` must be a valid `UA_String` that outlives the slice.
unsafe fn string_slice(s: &UA_String) -> &[u8] {
    if s.data.is_null() || s.length == 0 {
        return &[];
    }
    // SAFETY: a valid string's `data` holds `length` bytes (contract).
    unsafe { std::slice::from_raw_parts(s.data, s.length) }
}

unsafe extern "C" fn deny_add_node_c(
    _server: *mut UA_Server,
    _ac: *mut UA_AccessControl,
    _session: *const UA_NodeId,
    _context: *mut c_void,
    _item: *const UA_AddNodesItem,
) -> UA_Boolean {
    false
}

unsafe extern "C" fn deny_add_reference_c(
    _server: *mut UA_Server,
    _ac: *mut UA_AccessControl,
    _session: *const UA_NodeId,
    _context: *mut c_void,
    _item: *const UA_AddReferencesItem,
) -> UA_Boolean {
    false
}

unsafe extern "C" fn deny_delete_node_c(
    _server: *mut UA_Server,
    _ac: *mut UA_AccessControl,
    _session: *const UA_NodeId,
    _context: *mut c_void,
    _item: *const UA_DeleteNodesItem,
) -> UA_Boolean {
    false
}

unsafe extern "C" fn deny_delete_reference_c(
    _server: *mut UA_Server,
    _ac: *mut UA_AccessControl,
    _session: *const UA_NodeId,
    _context: *mut c_void,
    _item: *const UA_DeleteReferencesItem,
) -> UA_Boolean {
    false
}

/// Points the method node `method` at [`caller_method_c`], which dispatches to the body the slot
/// holds for it.
///
/// # Safety
/// `server` must be a live server.
pub(crate) unsafe fn set_caller_method(
    server: *mut UA_Server,
    method: &ua::NodeId,
) -> UA_StatusCode {
    // SAFETY: the server is live (contract); the node id is passed as a shallow copy the callee
    // only reads during the call.
    unsafe {
        open62541_sys::UA_Server_setMethodNodeCallback(
            server,
            ua::NodeId::to_raw_copy(method),
            Some(caller_method_c),
        )
    }
}

/// `UA_MethodCallback` of every caller-aware method: builds the [`Caller`] (session, role from
/// the session context, the security mode of its channel) and runs the method's body.
unsafe extern "C" fn caller_method_c(
    server: *mut UA_Server,
    session_id: *const UA_NodeId,
    session_context: *mut c_void,
    method_id: *const UA_NodeId,
    _method_context: *mut c_void,
    _object_id: *const UA_NodeId,
    _object_context: *mut c_void,
    input_size: usize,
    input: *const UA_Variant,
    output_size: usize,
    output: *mut UA_Variant,
) -> UA_StatusCode {
    // SAFETY: open62541 passes its live server.
    let Some(slot) = (unsafe { slot_of(server) }) else {
        return UA_STATUSCODE_BADINTERNALERROR;
    };
    // SAFETY: open62541 passes valid ids for the call.
    let (Some(session), Some(method)) = (unsafe { session_id.as_ref() }, unsafe {
        method_id.as_ref()
    }) else {
        return UA_STATUSCODE_BADINTERNALERROR;
    };
    let session = ua::NodeId::clone_raw(session);
    let method = ua::NodeId::clone_raw(method);
    let inputs: Vec<ua::Variant> = (0..input_size)
        // SAFETY: `input` holds `input_size` initialised variants for the call.
        .map(|i| ua::Variant::clone_raw(unsafe { &*input.add(i) }))
        .collect();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let caller = Caller {
            security_mode: slot.security_mode(&session),
            session,
            role: role_of(session_context),
        };
        slot.call_method(&method, &caller, &inputs)
    }));
    match outcome {
        Ok(Some(Ok(outputs))) if outputs.len() == output_size => {
            for (i, value) in outputs.into_iter().enumerate() {
                // SAFETY: `output` holds `output_size` initialised (empty) variants the caller
                // owns and frees; `move_into_raw` clears the old one first.
                value.move_into_raw(unsafe { &mut *output.add(i) });
            }
            UA_STATUSCODE_GOOD
        }
        Ok(Some(Ok(outputs))) => {
            tracing::error!(target: "ua", method = %method, got = outputs.len(), expected = output_size, "a method returned the wrong number of outputs");
            UA_STATUSCODE_BADINTERNALERROR
        }
        Ok(Some(Err(code))) => code,
        Ok(None) | Err(_) => UA_STATUSCODE_BADINTERNALERROR,
    }
}

/// `UA_AttributeId` `EventNotifier`: the attribute an event monitored item watches.
const EVENT_NOTIFIER: u32 = 12;

/// `config.monitoredItemRegisterCallback`: counts the event monitored items clients create, so a
/// module can raise its current alarms again for a new subscriber (events are not retained).
pub(crate) unsafe extern "C" fn monitored_item_c(
    server: *mut UA_Server,
    _session: *const UA_NodeId,
    _session_context: *mut c_void,
    _node: *const UA_NodeId,
    _node_context: *mut c_void,
    attribute: u32,
    removed: UA_Boolean,
) {
    if removed || attribute != EVENT_NOTIFIER {
        return;
    }
    // SAFETY: open62541 passes its live server.
    if let Some(slot) = unsafe { slot_of(server) } {
        slot.event_item_created();
    }
}

/// Emits an event of `event_type` from `source` with `fields` (`/ExpirationDate`-style paths
/// from the event type, OPC 10000-4 §7.4.4.5) besides the base fields open62541 fills.
///
/// # Safety
/// `server` must be a live server. Must not be called from inside a server callback (it takes the
/// server's lock).
pub(crate) unsafe fn emit_event(
    server: *mut UA_Server,
    source: &ua::NodeId,
    event_type: &ua::NodeId,
    severity: u16,
    message: &ua::LocalizedText,
    fields: &[(&str, ua::Variant)],
) -> UA_StatusCode {
    let keys: Vec<ua::QualifiedName> = fields
        .iter()
        .map(|(path, _)| ua::QualifiedName::new(0, path))
        .collect();
    let mut pairs: Vec<UA_KeyValuePair> = keys
        .iter()
        .zip(fields)
        .map(|(key, (_, value))| UA_KeyValuePair {
            // SAFETY: shallow copies read during the call; `keys` and `fields` outlive it.
            key: unsafe { ua::QualifiedName::to_raw_copy(key) },
            // SAFETY: as above.
            value: unsafe { ua::Variant::to_raw_copy(value) },
        })
        .collect();
    let map = UA_KeyValueMap {
        mapSize: pairs.len(),
        map: pairs.as_mut_ptr(),
    };
    // SAFETY: the server is live (contract); every argument is read during the call only.
    unsafe {
        open62541_sys::UA_Server_createEvent(
            server,
            ua::NodeId::to_raw_copy(source),
            ua::NodeId::to_raw_copy(event_type),
            severity,
            ua::LocalizedText::to_raw_copy(message),
            &raw const map,
            ptr::null(),
            ptr::null_mut(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_context_carries_the_role_and_null_is_never_the_administrator() {
        for role in [Role::Anonymous, Role::User, Role::SecurityAdmin] {
            assert_eq!(role_of(marker(role)), role);
        }
        assert_eq!(role_of(ptr::null_mut()), Role::User);
    }

    #[test]
    fn a_login_gets_the_role_of_the_entry_it_matches() {
        let logins = Logins(vec![
            UserLogin::new("sysadmin", "demo", Role::SecurityAdmin),
            UserLogin::new("user1", "password", Role::User),
        ]);
        assert_eq!(logins.role(b"sysadmin", b"demo"), Some(Role::SecurityAdmin));
        assert_eq!(logins.role(b"user1", b"password"), Some(Role::User));
        assert_eq!(logins.role(b"user1", b"demo"), None);
        assert_eq!(logins.role(b"nobody", b""), None);
    }
}
