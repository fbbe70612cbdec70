//! The OPC UA client on open62541's C API.
//!
//! The `open62541` crate's client hides `UA_ClientConfig` (ADR 0006): through it our
//! certificate group could only be a Rust trait object without the group pointer, and the
//! service notification, which carries the session id the server assigned, could not be set at
//! all. Here the config is built field by field as the crate does (our logger and a
//! no-password callback first, then `UA_ClientConfig_setDefaultEncryption`), our [`Verifier`]
//! group replaces open62541's accept-all default, and the client is created from it.
//!
//! A [`RawClient`] is used from one thread at a time (`crate::Client` keeps it behind a mutex
//! and calls it on blocking threads): every call is open62541's synchronous API, which runs the
//! client's event loop (channel renewal) until the answer or the timeout, except
//! [`RawClient::read_pipelined`], which keeps several `Read` requests in flight on the one
//! channel with the asynchronous API and runs the event loop itself (`UA_Client_run_iterate`).
//!
//! Pipelined answers arrive in a C callback that open62541 may also call after the pipelined
//! call returned (a request still in flight when it gave up, cancelled with `BadShutdown` by
//! `UA_Client_delete`, `BadSessionClosed` by a disconnect, or answered during a later call):
//! so the answers are queued in [`ClientState`], which lives until after `UA_Client_delete`,
//! never on the call's stack, and each request carries the number of the call that sent it
//! (its `userdata`, a plain integer): answers of another call are dropped.

use std::ffi::{CStr, c_void};
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use open62541::{DataType as _, ua};
use open62541_sys::{
    UA_ApplicationNotificationType, UA_Array_delete, UA_ByteString, UA_Client,
    UA_Client_Service_read, UA_Client_call, UA_Client_connect, UA_Client_delete,
    UA_Client_disconnect, UA_Client_getConfig, UA_Client_getEndpoints, UA_Client_getState,
    UA_Client_newWithConfig, UA_Client_read, UA_Client_run_iterate, UA_Client_sendAsyncReadRequest,
    UA_ClientConfig, UA_ClientConfig_clear, UA_ClientConfig_setDefaultEncryption,
    UA_EndpointDescription, UA_KeyValueMap, UA_NodeId, UA_NodeId_isNull, UA_ReadResponse,
    UA_STATUSCODE_BADCONFIGURATIONERROR, UA_STATUSCODE_BADNOTCONNECTED,
    UA_STATUSCODE_BADOUTOFMEMORY, UA_STATUSCODE_BADTIMEOUT, UA_STATUSCODE_BADUNEXPECTEDERROR,
    UA_SecureChannelState, UA_SessionState, UA_StatusCode, UA_UInt32, UA_Variant,
};

use super::cert_group::{DEFAULT_APPLICATION_GROUP, GroupContext, borrowed, install};
use super::logger;
use super::tracking::scalar;
use crate::status::ua_status;
use crate::verify::Verifier;

/// What a client is built from.
pub(crate) struct ClientSetup<'a> {
    /// Own certificate (DER).
    pub(crate) certificate: &'a [u8],
    /// Its private key (DER, unencrypted).
    pub(crate) private_key: &'a [u8],
    /// The client's application description (its URI must be the certificate's).
    pub(crate) description: ua::ApplicationDescription,
    /// Connect timeout and, until [`RawClient::read`] sets another, request timeout.
    pub(crate) timeout: Duration,
    /// Mode and policy URI of the session's channel; `None` lets open62541 choose (discovery).
    pub(crate) security: Option<(ua::MessageSecurityMode, ua::String)>,
    /// The session timeout requested at `CreateSession`.
    pub(crate) session_timeout: Duration,
    /// The largest message the client accepts (`0`: no limit).
    pub(crate) max_message_size: u32,
    /// Our server check (a [`super::cert_group::GroupRole::Client`] context).
    pub(crate) check: GroupContext,
}

/// What `clientContext` points to: the state the service notification and the pipelined
/// read callback fill.
#[derive(Debug, Default)]
struct ClientState {
    /// The session id of the last service response that carried one.
    session_id: Mutex<Option<ua::NodeId>>,
    /// The answers of the running [`RawClient::read_pipelined`].
    pipeline: Mutex<Pipeline>,
}

/// Answers of pipelined reads, queued by [`read_answer_c`] for the call that sent them.
#[derive(Debug, Default)]
struct Pipeline {
    /// The number of the running pipelined call (odd), or of the last one that ended (even):
    /// answers to requests sent under another number are dropped.
    call: usize,
    /// Answers of this call not yet handed over, in arrival order.
    answers: Vec<ua::ReadResponse>,
}

/// How often open62541 checks async requests for their timeout (its client housekeeping
/// timer, `ua_client.c`): a timed-out request is answered with `BadTimeout` up to this late.
const HOUSEKEEPING: Duration = Duration::from_secs(1);

/// The longest single turn of the event loop in [`RawClient::read_pipelined`] (it returns
/// sooner when anything arrives).
const TURN: Duration = Duration::from_millis(100);

/// What [`RawClient::read_pipelined`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PipelineRun {
    /// Answers handed to the caller (one per read attempted).
    pub(crate) answers: usize,
    /// The most requests in flight at once.
    pub(crate) max_in_flight: usize,
}

/// An open62541 client and the state its callbacks reach through `clientContext`.
#[derive(Debug)]
pub(crate) struct RawClient {
    client: NonNull<UA_Client>,
    state: NonNull<ClientState>,
}

// SAFETY: a `UA_Client` is not tied to the thread that created it; `RawClient` is only used
// through `&mut self` (or `&self` for the mutex-protected state), so one thread at a time.
unsafe impl Send for RawClient {}

fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

impl RawClient {
    /// Builds the client (nothing is sent yet).
    pub(crate) fn new(setup: ClientSetup<'_>) -> Result<Self, ua::StatusCode> {
        let state = NonNull::from(Box::leak(Box::new(ClientState::default())));
        // SAFETY: an all-zero `UA_ClientConfig` is the empty config open62541 itself starts from
        // (`memset` in `UA_Client_new`): null pointers, zero sizes, `None` callbacks.
        let mut config: UA_ClientConfig = unsafe { MaybeUninit::zeroed().assume_init() };
        // Before `setDefaultEncryption`: it hands this logger to the event loop and policies, and
        // would otherwise install its stdout logger.
        config.logging = logger::new();
        config.clientContext = state.as_ptr().cast::<c_void>();
        // Our keys are never encrypted; without this open62541 would prompt on stdin for one.
        config.privateKeyPasswordCallback = Some(no_password_c);
        // SAFETY: `config` is initialised above. The certificate and key are views of the
        // caller's slices (no copy of the key of ours to linger): open62541 only reads them
        // and copies what it keeps (`ua_config_default.c`, `setDefaultEncryption`), and the
        // slices outlive the call. No trust or revocation lists (our group decides).
        let status = unsafe {
            UA_ClientConfig_setDefaultEncryption(
                &raw mut config,
                borrowed(setup.certificate),
                borrowed(setup.private_key),
                ptr::null(),
                0,
                ptr::null(),
                0,
            )
        };
        if status != 0 {
            // SAFETY: `config` was initialised by us and (partly) by open62541; clearing it once
            // frees both, then the state nothing points to any more.
            unsafe { abandon(&mut config, state) };
            return Err(ua_status(status));
        }
        config.timeout = millis(setup.timeout);
        config.requestedSessionTimeout = millis(setup.session_timeout);
        config.localConnectionConfig.localMaxMessageSize = setup.max_message_size;
        setup
            .description
            .move_into_raw(&mut config.clientDescription);
        if let Some((mode, policy)) = setup.security {
            config.securityMode = mode.into_raw();
            policy.move_into_raw(&mut config.securityPolicyUri);
        }
        // SAFETY: the group was initialised by `setDefaultEncryption` (accept-all or a memory
        // store) and is cleared once with the config.
        unsafe {
            install(
                &mut config.certificateVerification,
                DEFAULT_APPLICATION_GROUP,
                setup.check,
            );
        }
        config.serviceNotificationCallback = Some(service_notification_c);
        // SAFETY: `config` is complete; open62541 copies it by value into the client, which
        // then owns everything it points to (we must not clear it), or returns null having
        // zeroed its copy (then we still own it).
        let client = unsafe { UA_Client_newWithConfig(&raw const config) };
        let Some(client) = NonNull::new(client) else {
            // SAFETY: as above: nothing else owns the config.
            unsafe { abandon(&mut config, state) };
            return Err(ua_status(UA_STATUSCODE_BADOUTOFMEMORY));
        };
        Ok(Self { client, state })
    }

    fn config(&mut self) -> &mut UA_ClientConfig {
        // SAFETY: the client is live; its config lives inside it and we hold `&mut self`.
        unsafe { &mut *UA_Client_getConfig(self.client.as_ptr()) }
    }

    /// Opens the channel and the session (`UA_Client_connect`). Once connected, a lost
    /// connection or session is the caller's to handle (the OPC Client's keep-alive threshold,
    /// then a new client with discovery, verification and its log lines): open62541 would
    /// otherwise reconnect inside the next read, silently, with a new session under the old
    /// id. (Not before: connecting itself may re-open the channel, e.g. after the endpoint
    /// lookup on a None channel.)
    pub(crate) fn connect(&mut self, url: &CStr) -> ua::StatusCode {
        // SAFETY: live client, NUL-terminated URL valid for the call.
        let status = ua_status(unsafe { UA_Client_connect(self.client.as_ptr(), url.as_ptr()) });
        if status.is_good() {
            let config = self.config();
            config.noReconnect = true;
            config.noNewSession = true;
        }
        status
    }

    /// `GetEndpoints` on a channel of its own (`UA_Client_getEndpoints`).
    pub(crate) fn get_endpoints(
        &mut self,
        url: &CStr,
    ) -> Result<Vec<ua::EndpointDescription>, ua::StatusCode> {
        let mut size = 0usize;
        let mut array: *mut UA_EndpointDescription = ptr::null_mut();
        // SAFETY: live client, valid URL; the out-parameters receive an array we own.
        let status = unsafe {
            UA_Client_getEndpoints(
                self.client.as_ptr(),
                url.as_ptr(),
                &raw mut size,
                &raw mut array,
            )
        };
        let mut endpoints = Vec::with_capacity(size);
        if !array.is_null() {
            for i in 0..size {
                // SAFETY: `array` holds `size` initialised descriptions; each is moved out once
                // (`take_raw` leaves an empty value behind).
                endpoints.push(ua::EndpointDescription::take_raw(unsafe {
                    &mut *array.add(i)
                }));
            }
            // SAFETY: the array came from open62541 with this size and type; its elements are
            // empty now, so this frees the array itself.
            unsafe {
                UA_Array_delete(
                    array.cast::<c_void>(),
                    size,
                    ua::EndpointDescription::data_type(),
                );
            }
        }
        let status = ua_status(status);
        if status.is_good() {
            Ok(endpoints)
        } else {
            Err(status)
        }
    }

    /// Reads one attribute within `timeout` (`UA_Client_read`); a failed service is the value's
    /// status. Once the connection or session was lost every read fails at once with the
    /// reason (`BadSecureChannelClosed`, `BadSessionIdInvalid`, … or `BadNotConnected`):
    /// open62541's synchronous calls would otherwise try to re-open the channel and the old
    /// session first, up to the whole timeout.
    pub(crate) fn read(&mut self, request: &ua::ReadValueId, timeout: Duration) -> ua::DataValue {
        if let Err(status) = self.session_active() {
            return ua::DataValue::init().with_status(&status);
        }
        self.config().timeout = millis(timeout);
        // SAFETY: live client; `request` is only read for the call.
        let value =
            unsafe { UA_Client_read(self.client.as_ptr(), ua::ReadValueId::as_ptr(request)) };
        // SAFETY: `UA_Client_read` returns an owned data value.
        unsafe { ua::DataValue::from_raw(value) }
    }

    /// Sends `request` (a `Read` of `expected` nodes) within `timeout`
    /// (`UA_Client_Service_read`): one data value per node, in order, each with its own status.
    /// A failed service (or a session lost before, as in [`Self::read`]) is the error; so is an
    /// answer with another number of results than nodes asked for.
    pub(crate) fn read_many(
        &mut self,
        request: &ua::ReadRequest,
        expected: usize,
        timeout: Duration,
    ) -> Result<Vec<ua::DataValue>, ua::StatusCode> {
        self.session_active()?;
        self.config().timeout = millis(timeout);
        // SAFETY: live client; the request is passed as a shallow copy that the callee only
        // reads (it encodes it, after setting the header's token and handle in its copy);
        // `request` keeps ownership of everything it points to.
        let response = unsafe {
            UA_Client_Service_read(self.client.as_ptr(), ua::ReadRequest::to_raw_copy(request))
        };
        // SAFETY: the call returns an owned response.
        read_results(&unsafe { ua::ReadResponse::from_raw(response) }, expected)
    }

    /// Keeps `depth` copies of `request` (a `Read` of `expected` nodes) in flight on the
    /// session and hands every answer, checked as [`Self::read_many`] checks it, to
    /// `on_answer`; each answer is followed by a new request while `on_answer` returns true.
    ///
    /// Once `on_answer` returned false, or the session is lost (a send fails, the event loop
    /// reports the connection gone), nothing more is sent and the requests still in flight are
    /// drained: their answers still go to `on_answer` (its return value then ignored), a lost
    /// connection answers them with its status (open62541 cancels them with
    /// `BadSecureChannelClosed`, `BadSessionClosed`, …). Each request times out after `timeout`
    /// (open62541 answers it with `BadTimeout`, checking once per [`HOUSEKEEPING`]); whatever
    /// is still in flight `timeout` plus that check after the draining began is answered here
    /// with `BadTimeout`, so the call never waits longer and `on_answer` sees exactly one answer
    /// per request attempted (a send that failed is answered with its status at once). Answers
    /// open62541 delivers after the call returned are dropped by [`read_answer_c`].
    ///
    /// `Err` only when the session is not active at the start (nothing sent, `on_answer` not
    /// called).
    pub(crate) fn read_pipelined(
        &mut self,
        request: &ua::ReadRequest,
        expected: usize,
        depth: usize,
        timeout: Duration,
        on_answer: &mut dyn FnMut(Result<Vec<ua::DataValue>, ua::StatusCode>) -> bool,
    ) -> Result<PipelineRun, ua::StatusCode> {
        self.session_active()?;
        self.config().timeout = millis(timeout);
        let call = self.pipeline_begin();
        let mut run = PipelineRun {
            answers: 0,
            max_in_flight: 0,
        };
        let mut in_flight = 0usize;
        // Requests to send before the next turn of the event loop.
        let mut wanted = depth.max(1);
        // `Some(deadline)` once draining: no more sends, give up on the rest at the deadline.
        let mut draining: Option<Instant> = None;
        let drain_by = || Instant::now() + timeout + HOUSEKEEPING;
        loop {
            while draining.is_none() && wanted > 0 {
                wanted -= 1;
                match self.send_read(request, call) {
                    Ok(()) => {
                        in_flight += 1;
                        run.max_in_flight = run.max_in_flight.max(in_flight);
                    }
                    Err(status) => {
                        draining = Some(drain_by());
                        run.answers += 1;
                        on_answer(Err(status));
                    }
                }
            }
            if in_flight == 0 {
                break;
            }
            let turn = match draining {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    left.min(TURN)
                }
                None => TURN,
            };
            // SAFETY: live client; the callbacks this runs (ours: `read_answer_c`,
            // `service_notification_c`) only reach the `ClientState`, never this stack frame.
            let status =
                ua_status(unsafe { UA_Client_run_iterate(self.client.as_ptr(), millis(turn)) });
            for response in self.pipeline_take() {
                in_flight = in_flight.saturating_sub(1);
                run.answers += 1;
                let more = on_answer(read_results(&response, expected));
                if draining.is_none() {
                    if more {
                        wanted += 1;
                    } else {
                        draining = Some(drain_by());
                    }
                }
            }
            if draining.is_none() && (!status.is_good() || self.session_active().is_err()) {
                draining = Some(drain_by());
            }
        }
        // Given up on: answered here, dropped by the callback when open62541 answers later.
        self.pipeline_end();
        for _ in 0..in_flight {
            run.answers += 1;
            on_answer(Err(ua_status(UA_STATUSCODE_BADTIMEOUT)));
        }
        Ok(run)
    }

    /// Sends one pipelined copy of `request` for call number `call`.
    fn send_read(&mut self, request: &ua::ReadRequest, call: usize) -> Result<(), ua::StatusCode> {
        // A shallow copy per request: open62541 writes the header's handle, timestamp and
        // timeout hint into it (and puts the token back), so no request reuses another's.
        // SAFETY: the copy only borrows what `request` owns, and is never cleared.
        let mut copy = unsafe { ua::ReadRequest::to_raw_copy(request) };
        let mut request_id: UA_UInt32 = 0;
        // SAFETY: live client; the copy is valid for the call (it is encoded and sent inside
        // it); `userdata` is a plain number, never dereferenced (`read_answer_c`).
        let status = unsafe {
            UA_Client_sendAsyncReadRequest(
                self.client.as_ptr(),
                &raw mut copy,
                Some(read_answer_c),
                ptr::without_provenance_mut::<c_void>(call),
                &raw mut request_id,
            )
        };
        let status = ua_status(status);
        if status.is_good() {
            Ok(())
        } else {
            Err(status)
        }
    }

    fn pipeline(&self) -> std::sync::MutexGuard<'_, Pipeline> {
        // SAFETY: `state` lives until `drop` (after the client is deleted).
        let state = unsafe { self.state.as_ref() };
        state
            .pipeline
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a pipelined call: its number (odd), and an empty queue.
    fn pipeline_begin(&self) -> usize {
        let mut pipeline = self.pipeline();
        pipeline.call = (pipeline.call | 1) + 2;
        pipeline.answers.clear();
        pipeline.call
    }

    /// The answers queued since the last look.
    fn pipeline_take(&self) -> Vec<ua::ReadResponse> {
        std::mem::take(&mut self.pipeline().answers)
    }

    /// Ends the pipelined call: its late answers will be dropped.
    fn pipeline_end(&self) {
        let mut pipeline = self.pipeline();
        pipeline.call += 1;
        pipeline.answers.clear();
    }

    /// Calls `method` on `object` with `input` within `timeout` (`UA_Client_call`): the
    /// output arguments, or the status of the call (the service's, else the method's).
    pub(crate) fn call(
        &mut self,
        object: &ua::NodeId,
        method: &ua::NodeId,
        input: &[ua::Variant],
        timeout: Duration,
    ) -> Result<Vec<ua::Variant>, ua::StatusCode> {
        self.session_active()?;
        self.config().timeout = millis(timeout);
        let mut size = 0usize;
        let mut output: *mut UA_Variant = ptr::null_mut();
        // SAFETY: live client; the node ids are passed as shallow copies that the callee only
        // reads (`object`/`method` keep ownership); `input` is a slice of `ua::Variant`, which
        // is `#[repr(transparent)]` over `UA_Variant` (the crate's `DataType` contract), read
        // only for the call; the out-parameters receive an array we own.
        let status = unsafe {
            UA_Client_call(
                self.client.as_ptr(),
                ua::NodeId::to_raw_copy(object),
                ua::NodeId::to_raw_copy(method),
                input.len(),
                input.as_ptr().cast::<UA_Variant>(),
                &raw mut size,
                &raw mut output,
            )
        };
        let mut outputs = Vec::with_capacity(size);
        if !output.is_null() {
            for i in 0..size {
                // SAFETY: `output` holds `size` initialised variants; each is moved out once.
                outputs.push(ua::Variant::take_raw(unsafe { &mut *output.add(i) }));
            }
            // SAFETY: the array came from open62541 with this size and type; its elements are
            // empty now, so this frees the array itself.
            unsafe { UA_Array_delete(output.cast::<c_void>(), size, ua::Variant::data_type()) };
        }
        let status = ua_status(status);
        if status.is_good() {
            Ok(outputs)
        } else {
            Err(status)
        }
    }

    /// `Ok` while the session is activated; else why not (the connect status, or
    /// `BadNotConnected`).
    fn session_active(&mut self) -> Result<(), ua::StatusCode> {
        let mut channel = UA_SecureChannelState::UA_SECURECHANNELSTATE_CLOSED;
        let mut session = UA_SessionState::UA_SESSIONSTATE_CLOSED;
        let mut status: UA_StatusCode = 0;
        // SAFETY: live client; the out-parameters are valid for writing.
        unsafe {
            UA_Client_getState(
                self.client.as_ptr(),
                &raw mut channel,
                &raw mut session,
                &raw mut status,
            );
        }
        if session == UA_SessionState::UA_SESSIONSTATE_ACTIVATED && status == 0 {
            Ok(())
        } else if status != 0 {
            Err(ua_status(status))
        } else {
            Err(ua_status(UA_STATUSCODE_BADNOTCONNECTED))
        }
    }

    /// The session id the server assigned (from the last service response of this client).
    pub(crate) fn session_id(&self) -> Option<ua::NodeId> {
        // SAFETY: `state` lives until `drop` (after the client is deleted).
        let state = unsafe { self.state.as_ref() };
        state
            .session_id
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Closes the session and the channel.
    pub(crate) fn disconnect(&mut self) -> ua::StatusCode {
        // SAFETY: live client.
        ua_status(unsafe { UA_Client_disconnect(self.client.as_ptr()) })
    }
}

impl Drop for RawClient {
    fn drop(&mut self) {
        // SAFETY: the client is live and deleted once; deleting clears its config (our group's
        // and logger's `clear`). The callbacks that reach `state` cannot run any more after it.
        unsafe {
            UA_Client_delete(self.client.as_ptr());
            drop(Box::from_raw(self.state.as_ptr()));
        }
    }
}

/// The values of a `Read` answer: a failed service is the error; so is another number of
/// results than `expected`.
fn read_results(
    response: &ua::ReadResponse,
    expected: usize,
) -> Result<Vec<ua::DataValue>, ua::StatusCode> {
    // SAFETY: reading a plain status field of the initialised response header.
    let status = ua_status(unsafe { response.as_ref() }.responseHeader.serviceResult);
    if !status.is_good() {
        return Err(status);
    }
    let results = response
        .results()
        .map(ua::Array::into_vec)
        .unwrap_or_default();
    if results.len() == expected {
        Ok(results)
    } else {
        Err(ua_status(UA_STATUSCODE_BADUNEXPECTEDERROR))
    }
}

/// Frees a config that no client took, and the state.
///
/// # Safety
/// `config` must be initialised and owned by nobody else; `state` must come from `Box::leak`
/// and not be referenced by anything else.
unsafe fn abandon(config: &mut UA_ClientConfig, state: NonNull<ClientState>) {
    // SAFETY: contract.
    unsafe {
        UA_ClientConfig_clear(config);
        drop(Box::from_raw(state.as_ptr()));
    }
}

unsafe extern "C" fn no_password_c(
    _config: *mut UA_ClientConfig,
    _password: *mut UA_ByteString,
) -> UA_StatusCode {
    UA_STATUSCODE_BADCONFIGURATIONERROR
}

/// `config.serviceNotificationCallback`: keeps the `0:session-id` of every service response
/// (open62541 1.5 `ua_client.c`, `processServiceResponse`), so the id is known once
/// `CreateSession` answered.
unsafe extern "C" fn service_notification_c(
    client: *mut UA_Client,
    _kind: UA_ApplicationNotificationType,
    payload: UA_KeyValueMap,
) {
    if client.is_null() {
        return;
    }
    // SAFETY: open62541 passes its live client; the config lives inside it.
    let Some(config) = (unsafe { UA_Client_getConfig(client).as_ref() }) else {
        return;
    };
    // SAFETY: `clientContext` is the `ClientState` set in `RawClient::new`, alive until the
    // client is deleted.
    let Some(state) = (unsafe { config.clientContext.cast::<ClientState>().as_ref() }) else {
        return;
    };
    // SAFETY: the payload map is valid for the call; `UA_NodeId` is the layout of NodeId.
    let Some(id) =
        (unsafe { scalar::<UA_NodeId>(&payload, "session-id", ua::NodeId::data_type()) })
    else {
        return;
    };
    // SAFETY: `id` points into the payload, valid for the call.
    if unsafe { UA_NodeId_isNull(id) } {
        return;
    }
    let id = ua::NodeId::clone_raw(id);
    *state
        .session_id
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(id);
}

/// The answer of a pipelined read (`UA_Client_sendAsyncReadRequest`): queued for the call
/// that sent it when that call still runs (`userdata` is its number), else dropped. Runs
/// inside the event loop: during `UA_Client_run_iterate` of that call, or later inside another
/// call, a disconnect or `UA_Client_delete` (cancelled requests).
unsafe extern "C" fn read_answer_c(
    client: *mut UA_Client,
    userdata: *mut c_void,
    _request_id: UA_UInt32,
    response: *mut UA_ReadResponse,
) {
    if client.is_null() || response.is_null() {
        return;
    }
    // SAFETY: open62541 passes its live client; the config lives inside it.
    let Some(config) = (unsafe { UA_Client_getConfig(client).as_ref() }) else {
        return;
    };
    // SAFETY: `clientContext` is the `ClientState` set in `RawClient::new`, alive until the
    // client is deleted (after its last callback).
    let Some(state) = (unsafe { config.clientContext.cast::<ClientState>().as_ref() }) else {
        return;
    };
    let mut pipeline = state
        .pipeline
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if pipeline.call != userdata.addr() {
        return;
    }
    // SAFETY: the response is open62541's, initialised and valid for the call; taking it
    // leaves an empty response, which open62541 clears after we return.
    let response = ua::ReadResponse::take_raw(unsafe { &mut *response });
    pipeline.answers.push(response);
}

/// Our group context for a client check.
pub(crate) fn client_check(
    verifier: &Arc<Verifier>,
    refusal: &crate::client::Refusal,
    enforce: bool,
) -> GroupContext {
    GroupContext {
        verifier: Arc::clone(verifier),
        role: super::cert_group::GroupRole::Client {
            refusal: Arc::clone(refusal),
            enforce,
        },
    }
}
