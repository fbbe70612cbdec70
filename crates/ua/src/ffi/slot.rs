//! The running server's `UA_Server*`, captured by the lifecycle hook, and the own-certificate
//! replacement the safe crate lacks.
//!
//! Why not `UA_Server_updateCertificate`: measured here, it crashes the server (NULL
//! dereference in `secureChannel_delayedClose`, open62541 1.5 `ua_server.c`) when a TCP
//! connection that has not sent its `OpenSecureChannel` yet — a client in the middle of connecting,
//! or a port scanner — exists when its delayed callback runs: such a channel has no security
//! policy. Instead the server thread itself, between two event-loop iterations (so no service
//! runs concurrently), does what that function does minus the delayed close: each RSA-SHA256
//! policy's `updateCertificate` and each endpoint's `serverCertificate`.

use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use open62541::{DataType as _, ua};
use open62541_sys::{UA_STATUSCODE_GOOD, UA_Server, UA_Server_getConfig, UA_StatusCode};
use zeroize::Zeroizing;

use super::cert_group::{borrowed, byte_string_slice};
use super::methods::Logins;
use super::tracking::{Sessions, close_session};
use crate::identity::SecurityMode;
use crate::methods::{Caller, CallerMethod, MethodResult, UserLogin};
use crate::sessions::RecheckClock;
use crate::status::{ServerError, Status, ua_status};
use crate::verify::Verifier;

/// `RsaSha256ApplicationCertificateType` (OPC 10000-12 §7.8.4): the type of every RSA policy's
/// application certificate.
const RSA_SHA256_APPLICATION_CERTIFICATE_TYPE: u32 = 12560;

/// How long a certificate update waits for the server thread (it iterates at least every
/// 200 ms, usually at once).
const UPDATE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the server's handle and listening URLs are published by the server thread, and where
/// other threads leave work for it.
#[derive(Debug, Default)]
pub(crate) struct ServerSlot {
    state: Mutex<SlotState>,
    changed: Condvar,
    /// Filled by the channel and session notifications (`ffi::tracking`), on the server thread.
    sessions: Mutex<Sessions>,
    clock: Mutex<RecheckClock>,
    /// The user names and passwords the access control's login callback checks (its context).
    logins: Logins,
    /// The bodies of caller-aware methods, by method node id (`ffi::methods`).
    methods: Mutex<MethodTable>,
    /// How many event monitored items clients have created so far (`ffi::methods`).
    event_items: std::sync::atomic::AtomicU64,
}

/// The bodies of caller-aware methods by node id (their text).
#[derive(Default)]
struct MethodTable(HashMap<String, CallerMethod>);

impl std::fmt::Debug for MethodTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

#[derive(Debug, Default)]
struct SlotState {
    server: Option<ServerPtr>,
    discovery_urls: Vec<String>,
    stopped: bool,
    pending: Option<PendingUpdate>,
}

#[derive(Debug)]
struct PendingUpdate {
    cert_der: Vec<u8>,
    key_der: Zeroizing<Vec<u8>>,
    reply: mpsc::Sender<Result<(), ServerError>>,
}

/// A `UA_Server*` that may be stored beside other threads. It is dereferenced on the server
/// thread ([`ServerSlot::run_pending`]) and, to wake that thread, in [`wake`].
#[derive(Debug, Clone, Copy)]
struct ServerPtr(NonNull<UA_Server>);

// SAFETY: the pointer is only stored here; the server's state is changed solely on the server
// thread that published it; other threads only wake its event loop (`wake`), which open62541
// supports from any thread.
unsafe impl Send for ServerPtr {}

impl ServerSlot {
    /// A slot whose server accepts `logins`.
    pub(crate) fn with_logins(logins: Vec<UserLogin>) -> Self {
        Self {
            logins: Logins(logins),
            ..Self::default()
        }
    }

    /// The logins the access control checks (its login callback's context).
    pub(crate) fn logins(&self) -> &Logins {
        &self.logins
    }

    /// Registers the body of a caller-aware method.
    pub(crate) fn set_method(&self, method: &ua::NodeId, body: CallerMethod) {
        self.methods
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
            .insert(method.to_string(), body);
    }

    /// Runs the body of `method` for `caller`; `None` when it has none.
    pub(crate) fn call_method(
        &self,
        method: &ua::NodeId,
        caller: &Caller,
        inputs: &[ua::Variant],
    ) -> Option<MethodResult> {
        let mut methods = self.methods.lock().unwrap_or_else(PoisonError::into_inner);
        let body = methods.0.get_mut(&method.to_string())?;
        Some(body(caller, inputs))
    }

    /// Counts an event monitored item a client created.
    pub(crate) fn event_item_created(&self) {
        self.event_items
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many event monitored items clients have created so far.
    pub(crate) fn event_items(&self) -> u64 {
        self.event_items.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The security mode of the channel `session` is bound to.
    pub(crate) fn security_mode(&self, session: &ua::NodeId) -> Option<SecurityMode> {
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .security_mode(session)
    }

    /// The running server, for calls open62541 documents as thread-safe.
    pub(crate) fn raw_server(&self) -> Option<*mut UA_Server> {
        self.server().map(|s| s.0.as_ptr())
    }

    /// Called by the lifecycle hook at STARTED.
    pub(crate) fn started(&self, server: *mut UA_Server, discovery_urls: Vec<String>) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.server = NonNull::new(server).map(ServerPtr);
        state.discovery_urls = discovery_urls;
        self.changed.notify_all();
    }

    /// Called by the lifecycle hook at STOPPING/STOPPED, and by the runner when it ends.
    pub(crate) fn stopped(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.server = None;
        state.stopped = true;
        if let Some(pending) = state.pending.take() {
            let _ = pending.reply.send(Err(ServerError::NotRunning));
        }
        self.changed.notify_all();
    }

    /// Waits until the server started (its discovery URLs) or stopped (`None`).
    pub(crate) fn wait_started(&self, timeout: Duration) -> Option<Vec<String>> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.server.is_none() && !s.stopped)
            .unwrap_or_else(PoisonError::into_inner);
        state.server.map(|_| state.discovery_urls.clone())
    }

    /// Asks the server thread to replace the application certificate of every RSA policy and
    /// secure endpoint, and waits for the result. New connections see the new certificate;
    /// open channels keep their keys until they renew (then they fail and clients reconnect).
    ///
    /// The caller must keep the `open62541::Server` owning the server alive during the call.
    pub(crate) fn update_certificate(
        &self,
        cert_der: &[u8],
        key_der: &[u8],
    ) -> Result<(), ServerError> {
        let (reply, result) = mpsc::channel();
        let server = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(server) = state.server else {
                return Err(ServerError::NotRunning);
            };
            state.pending = Some(PendingUpdate {
                cert_der: cert_der.to_vec(),
                key_der: Zeroizing::new(key_der.to_vec()),
                reply,
            });
            server
        };
        // SAFETY: the caller keeps the owning `open62541::Server` alive, so the server, its
        // config and its event loop stay allocated (see `wake`).
        unsafe { wake(server.0.as_ptr()) };
        result
            .recv_timeout(UPDATE_TIMEOUT)
            .map_err(|_| ServerError::NotRunning)?
    }

    /// Changes the session table (from the notification callbacks).
    pub(crate) fn with_sessions(&self, change: impl FnOnce(&mut Sessions)) {
        change(&mut self.sessions.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// Number of sessions currently tracked.
    pub(crate) fn session_count(&self) -> usize {
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .session_count()
    }

    /// Ids of the sessions currently tracked.
    pub(crate) fn session_ids(&self) -> Vec<ua::NodeId> {
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .all_sessions()
    }

    /// Live revocation, on the server thread between two iterations: about once a second, asks
    /// the trust cache whether the store changed; if its generation moved, re-checks every open
    /// session's peer certificate and closes the sessions now refused (e.g. revoked).
    pub(crate) fn recheck_sessions(&self, verifier: &Verifier, now: Instant) {
        if !self
            .clock
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .due(now)
        {
            return;
        }
        let cache = verifier.validator().cache();
        // The snapshot re-reads the store only when it changed, and then bumps the generation.
        if let Err(e) = cache.snapshot() {
            tracing::error!(target: "ua", error = %e, "could not read the trust store");
            return;
        }
        let generation = cache.generation();
        if !self
            .clock
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .changed(generation)
        {
            return;
        }
        let Some(server) = self.server() else {
            return;
        };
        let open = self
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .sessions_with_certificates();
        let wall_clock = time::OffsetDateTime::now_utc();
        for (session, certificate) in open {
            let Err(err) = verifier.recheck(&certificate, wall_clock) else {
                continue;
            };
            tracing::warn!(
                target: "ua",
                status = %err.status,
                subject = %err.subject,
                session = %session,
                "Closing the session of '{}': {}",
                err.subject,
                err.status
            );
            // SAFETY: on the server thread between iterations (the runner's contract), the
            // server is STARTED; the table's lock is not held (closing notifies SESSION_CLOSED).
            let status = unsafe { close_session(server.0.as_ptr(), &session) };
            if status != UA_STATUSCODE_GOOD {
                tracing::debug!(target: "ua", session = %session, status = %Status::from_ua(&ua_status(status)), "the session was already gone");
            }
        }
    }

    fn server(&self) -> Option<ServerPtr> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .server
    }

    /// Closes every tracked session (they were opened under the previous own certificate).
    ///
    /// # Safety
    /// On the server thread between two iterations, `server` started.
    unsafe fn close_all_sessions(&self, server: *mut UA_Server) {
        let all = self
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .all_sessions();
        for session in all {
            tracing::info!(target: "ua", session = %session, "Closing a session of the previous application certificate");
            // SAFETY: the function's contract; the table's lock is released above.
            let _ = unsafe { close_session(server, &session) };
        }
    }

    /// Runs work left for the server thread. Called by the runner between two iterations of the
    /// event loop, on the server thread.
    pub(crate) fn run_pending(&self) {
        let (server, pending) = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            match (state.server, state.pending.take()) {
                (Some(server), Some(pending)) => (server, pending),
                (None, Some(pending)) => {
                    let _ = pending.reply.send(Err(ServerError::NotRunning));
                    return;
                }
                _ => return,
            }
        };
        // SAFETY: we are on the server thread between iterations (the runner's contract), the
        // server is STARTED (the pointer is cleared at STOPPING), and the buffers are valid.
        let status = unsafe {
            replace_own_certificate(server.0.as_ptr(), &pending.cert_der, &pending.key_der)
        };
        let result = if status == UA_STATUSCODE_GOOD {
            // SAFETY: as above.
            unsafe { self.close_all_sessions(server.0.as_ptr()) };
            Ok(())
        } else {
            Err(ServerError::UpdateCertificate(Status::from_ua(&ua_status(
                status,
            ))))
        };
        let _ = pending.reply.send(result);
    }
}

/// Interrupts the server thread's wait in its event loop, so pending work runs now rather than
/// after the loop's timeout (up to 500 ms measured).
///
/// # Safety
/// `server` must point to an allocated server (its owning `open62541::Server` is alive).
unsafe fn wake(server: *mut UA_Server) {
    // SAFETY: `UA_Server_getConfig` only computes the address of the config inside the live
    // server; `eventLoop` is written once before the server starts and never changes while it
    // exists; the POSIX event loop's `cancel` only writes a byte to its self-pipe when the loop
    // is executing, which is how open62541 lets other threads interrupt `run`.
    unsafe {
        let Some(config) = UA_Server_getConfig(server).as_ref() else {
            return;
        };
        let Some(event_loop) = config.eventLoop.as_mut() else {
            return;
        };
        if let Some(cancel) = event_loop.cancel {
            cancel(event_loop);
        }
    }
}

/// What `UA_Server_updateCertificate` does, without its crashing delayed channel close.
///
/// # Safety
/// `server` must be a started server, and the call must run on its thread between two
/// iterations of its event loop (nothing else reads or writes the policies and endpoints then).
unsafe fn replace_own_certificate(
    server: *mut UA_Server,
    cert_der: &[u8],
    key_der: &[u8],
) -> UA_StatusCode {
    // SAFETY: `server` is live (contract); the config lives as long as the server.
    let Some(config) = (unsafe { UA_Server_getConfig(server).as_mut() }) else {
        return ua::StatusCode::BADINTERNALERROR.into_raw();
    };
    let rsa = ua::NodeId::ns0(RSA_SHA256_APPLICATION_CERTIFICATE_TYPE);
    let cert = ua::ByteString::new(cert_der);
    let mut updated: Vec<Vec<u8>> = Vec::new();
    for i in 0..config.securityPoliciesSize {
        // SAFETY: `securityPolicies` holds `securityPoliciesSize` initialised policies.
        let policy = unsafe { &mut *config.securityPolicies.add(i) };
        if ua::NodeId::raw_ref(&policy.certificateTypeId) != &rsa {
            continue;
        }
        let Some(update) = policy.updateCertificate else {
            continue;
        };
        // SAFETY: the policy is initialised and not in use (contract); certificate and key are
        // views of the caller's slices, which the callee only reads (it copies what it keeps).
        let status = unsafe { update(policy, borrowed(cert_der), borrowed(key_der)) };
        if status != UA_STATUSCODE_GOOD {
            return status;
        }
        // SAFETY: the policy URI is a valid string of the policy.
        updated.push(unsafe { byte_string_slice(&raw const policy.policyUri) }.to_vec());
    }
    for i in 0..config.endpointsSize {
        // SAFETY: `endpoints` holds `endpointsSize` initialised endpoint descriptions.
        let endpoint = unsafe { &mut *config.endpoints.add(i) };
        // SAFETY: a valid string of the endpoint.
        let uri = unsafe { byte_string_slice(&raw const endpoint.securityPolicyUri) };
        if updated.iter().any(|u| u.as_slice() == uri) {
            cert.clone().move_into_raw(&mut endpoint.serverCertificate);
        }
    }
    UA_STATUSCODE_GOOD
}
