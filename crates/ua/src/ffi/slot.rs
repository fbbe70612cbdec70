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

use std::ptr::NonNull;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use open62541::{DataType as _, ua};
use open62541_sys::{UA_STATUSCODE_GOOD, UA_Server, UA_Server_getConfig, UA_StatusCode};

use super::cert_group::byte_string_slice;
use crate::status::{ServerError, Status, ua_status};

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
    key_der: Vec<u8>,
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
                key_der: key_der.to_vec(),
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
    let key = ua::ByteString::new(key_der);
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
        // passed as shallow copies the callee only reads (it copies what it keeps); `cert` and
        // `key` keep ownership.
        let status = unsafe {
            update(
                policy,
                ua::ByteString::to_raw_copy(&cert),
                ua::ByteString::to_raw_copy(&key),
            )
        };
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
