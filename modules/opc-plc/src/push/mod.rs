//! OPC 10000-12 push management on the PLC: the standard `ServerConfiguration` object, so GDS
//! tools (a GDS server, `UaExpert`'s push plugin, the .NET `ServerPushConfigurationClient`,
//! node-opcua's push client) manage the PLC's certificate and trust list the way Microsoft's OPC
//! PLC 2.14 lets them — on the same store and the same transaction engine as the module twin.
//!
//! # Contract
//! - **Nodes** (ADR 0017): the reduced namespace 0 of the bundled open62541 has none of them, so
//!   [`PushManagement::install`] adds them under their standard ids and browse names below
//!   `Server` (`i=2253`): `ServerConfiguration` (`i=12637`) with `CreateSigningRequest`,
//!   `UpdateCertificate`, `ApplyChanges`, `GetRejectedList` and the capability properties;
//!   `CertificateGroups/DefaultApplicationGroup` with `CertificateTypes` and the `TrustList`
//!   file (`Open`, `OpenWithMasks`, `Read`, `Write`, `Close`, `CloseAndUpdate`,
//!   `AddCertificate`, `RemoveCertificate`, `GetPosition`, `SetPosition`, `Size`, `OpenCount`,
//!   `Writable`, `UserWritable`, `LastUpdateTime`, `UpdateFrequency`).
//! - **Access**: every method needs a `SignAndEncrypt` channel (`BadSecurityModeInsufficient`) and
//!   the administrator (`--au/--ac`, `BadUserAccessDenied`); properties are readable by all.
//! - **Transactions**: trust-list writes (`CloseAndUpdate`), `AddCertificate`,
//!   `RemoveCertificate` and `UpdateCertificate` are only staged (they return
//!   `applyChangesRequired = true`); `ApplyChanges` plans them against the store under its lock
//!   and commits them as one `pki` transaction, with the OPC PLC's log lines, or refuses the
//!   whole set and leaves the store byte for byte as it was (`provisioning::push`). A
//!   transaction belongs to the session that staged it; another session's staging gets
//!   `BadTransactionPending`; a closed session's transaction and file handles are dropped.
//! - **After apply**: the PLC's store watch activates a new application certificate within a
//!   second and closes the sessions of the old one; trust changes apply to the next connection.
//!   The module twin's driver sees the store change within a second and reports it.
//! - **Ownership** (ADR 0017): entries the twin installed stay the twin's; a push that would
//!   remove one, or replace an application certificate the twin names, is refused with
//!   `BadRequestNotAllowed`.
//! - Every refusal is logged with its status and reason; the PLC keeps running.
//!
//! # Layout
//! This module builds the nodes and holds the state; `methods` the method bodies, `args` the
//! arguments in and out, `nodes` the standard ids, `expiry` the expiration alarm.

pub mod args;
pub mod expiry;
mod methods;
pub mod nodes;

use std::sync::{Arc, Mutex, PoisonError};

use ::ua::{AddressSpace, Argument, Caller, MethodResult, Role, ServerError, Status, ua};
use pki::{PrivateKey, Store};
use provisioning::push::{self, Masks, PushError, TrustList, TrustListFile};
use time::OffsetDateTime;

use args::Inputs;
use nodes::{data_type, default_application_group as group, server_configuration as config};

/// The largest trust list accepted, in bytes of its encoding (`MaxTrustListSize`).
pub const MAX_TRUST_LIST_SIZE: u32 = 4 * 1024 * 1024;
/// `UpdateFrequency`: how often a GDS should look for trust-list updates (a day, in ms).
const UPDATE_FREQUENCY_MS: f64 = 86_400_000.0;
/// `BadInvalidArgument`.
const BAD_INVALID_ARGUMENT: u32 = 0x80AB_0000;
/// `BadNotSupported`.
const BAD_NOT_SUPPORTED: u32 = 0x803D_0000;
/// `BadInternalError`.
const BAD_INTERNAL_ERROR: u32 = 0x8002_0000;

/// What push management needs to know of the PLC.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The PLC's `ApplicationUri` (a new certificate must carry it; the CSR asks for it).
    pub application_uri: String,
    /// The host names the CSR asks for.
    pub dns_names: Vec<String>,
    /// The server's validator: its policy in force (the command line's, or the twin's) checks a
    /// new application certificate's chain.
    pub validator: Arc<pki::Validator>,
}

/// How far a staged change is checked when the method that brings it is called.
#[derive(Debug, Clone, Copy)]
enum Check {
    /// Decoded and replayed over the trust lists, ownership respected (`push::plan`).
    Plan,
    /// Also planned by the store with the application's validation policy (`push::check`),
    /// so a new application certificate that would not validate is refused by
    /// `UpdateCertificate` (OPC 10000-12 §7.10.5), not later by `ApplyChanges`.
    Store,
}

/// The push state shared by the methods and properties (all run on the server thread).
struct State {
    store: Store,
    options: PushOptions,
    file: TrustListFile<String>,
    pending: push::Pending<String>,
    /// The key `CreateSigningRequest` generated with `regeneratePrivateKey`, and the session
    /// that asked for it; used by that session's `UpdateCertificate` (never leaves the process).
    new_key: Option<(String, PrivateKey)>,
    last_update: OffsetDateTime,
    address_space: AddressSpace,
}

/// The installed `ServerConfiguration` object.
pub struct PushManagement {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for PushManagement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushManagement(..)")
    }
}

type Body = fn(&mut State, &Caller, &Inputs<'_>) -> MethodResult;

/// A method's node id and the ids of its `InputArguments`/`OutputArguments` properties.
type Ids = (u32, Option<u32>, Option<u32>);

/// A method to add: browse name, ids, arguments, body.
type MethodSpec = (
    &'static str,
    Ids,
    (&'static [Argument], &'static [Argument]),
    Body,
);

/// The methods of `ServerConfiguration`.
const SERVER_CONFIGURATION_METHODS: [MethodSpec; 4] = [
    (
        "CreateSigningRequest",
        with_both(config::CREATE_SIGNING_REQUEST),
        nodes::CREATE_SIGNING_REQUEST_ARGS,
        methods::create_signing_request,
    ),
    (
        "UpdateCertificate",
        with_both(config::UPDATE_CERTIFICATE),
        nodes::UPDATE_CERTIFICATE_ARGS,
        methods::update_certificate,
    ),
    (
        "ApplyChanges",
        (config::APPLY_CHANGES, None, None),
        (&[], &[]),
        methods::apply_changes,
    ),
    (
        "GetRejectedList",
        with_output(config::GET_REJECTED_LIST),
        nodes::GET_REJECTED_LIST_ARGS,
        methods::get_rejected_list,
    ),
];

/// The methods of the `TrustList` file.
const TRUST_LIST_METHODS: [MethodSpec; 10] = [
    (
        "Open",
        with_both(group::OPEN),
        nodes::OPEN_ARGS,
        methods::open,
    ),
    (
        "Close",
        with_input(group::CLOSE),
        nodes::CLOSE_ARGS,
        methods::close,
    ),
    (
        "Read",
        with_both(group::READ),
        nodes::READ_ARGS,
        methods::read,
    ),
    (
        "Write",
        with_input(group::WRITE),
        nodes::WRITE_ARGS,
        methods::write,
    ),
    (
        "GetPosition",
        with_both(group::GET_POSITION),
        nodes::GET_POSITION_ARGS,
        methods::get_position,
    ),
    (
        "SetPosition",
        with_input(group::SET_POSITION),
        nodes::SET_POSITION_ARGS,
        methods::set_position,
    ),
    (
        "OpenWithMasks",
        with_both(group::OPEN_WITH_MASKS),
        nodes::OPEN_WITH_MASKS_ARGS,
        methods::open_with_masks,
    ),
    (
        "CloseAndUpdate",
        with_both(group::CLOSE_AND_UPDATE),
        nodes::CLOSE_AND_UPDATE_ARGS,
        methods::close_and_update,
    ),
    (
        "AddCertificate",
        with_input(group::ADD_CERTIFICATE),
        nodes::ADD_CERTIFICATE_ARGS,
        methods::add_certificate,
    ),
    (
        "RemoveCertificate",
        with_input(group::REMOVE_CERTIFICATE),
        nodes::REMOVE_CERTIFICATE_ARGS,
        methods::remove_certificate,
    ),
];

/// A property of the `TrustList` read from the state at every read.
type Source = (u32, &'static str, u32, fn(&State) -> ua::Variant);

/// The objects: parent, reference type, id, browse name, type definition (all namespace 0).
const OBJECTS: [(u32, u32, u32, &str, u32); 4] = [
    (
        nodes::SERVER,
        nodes::HAS_COMPONENT,
        config::OBJECT,
        "ServerConfiguration",
        config::TYPE,
    ),
    (
        config::OBJECT,
        nodes::HAS_COMPONENT,
        config::CERTIFICATE_GROUPS,
        "CertificateGroups",
        config::CERTIFICATE_GROUPS_TYPE,
    ),
    (
        config::CERTIFICATE_GROUPS,
        nodes::ORGANIZES,
        group::OBJECT,
        "DefaultApplicationGroup",
        group::TYPE,
    ),
    (
        group::OBJECT,
        nodes::HAS_COMPONENT,
        group::TRUST_LIST,
        "TrustList",
        group::TRUST_LIST_TYPE,
    ),
];

/// The properties with fixed values: parent, id, browse name, data type, value.
fn fixed_properties() -> [(u32, u32, &'static str, u32, ua::Variant); 8] {
    [
        (
            config::OBJECT,
            config::SERVER_CAPABILITIES,
            "ServerCapabilities",
            data_type::STRING,
            args::strings(&["NA"]),
        ),
        (
            config::OBJECT,
            config::SUPPORTED_PRIVATE_KEY_FORMATS,
            "SupportedPrivateKeyFormats",
            data_type::STRING,
            args::strings(&["PEM", "PFX"]),
        ),
        (
            config::OBJECT,
            config::MAX_TRUST_LIST_SIZE,
            "MaxTrustListSize",
            data_type::UINT32,
            args::u32(MAX_TRUST_LIST_SIZE),
        ),
        (
            config::OBJECT,
            config::MULTICAST_DNS_ENABLED,
            "MulticastDnsEnabled",
            data_type::BOOLEAN,
            args::boolean(false),
        ),
        (
            group::OBJECT,
            group::CERTIFICATE_TYPES,
            "CertificateTypes",
            data_type::NODE_ID,
            args::node_ids(&[group::RSA_SHA256_APPLICATION_CERTIFICATE_TYPE]),
        ),
        (
            group::TRUST_LIST,
            group::WRITABLE,
            "Writable",
            data_type::BOOLEAN,
            args::boolean(true),
        ),
        (
            group::TRUST_LIST,
            group::USER_WRITABLE,
            "UserWritable",
            data_type::BOOLEAN,
            args::boolean(true),
        ),
        (
            group::TRUST_LIST,
            group::UPDATE_FREQUENCY,
            "UpdateFrequency",
            data_type::DOUBLE,
            args::double(UPDATE_FREQUENCY_MS),
        ),
    ]
}

/// The `TrustList`'s properties that follow the state.
const READ_PROPERTIES: [Source; 3] = [
    (group::SIZE, "Size", data_type::UINT64, trust_list_size),
    (group::OPEN_COUNT, "OpenCount", data_type::UINT16, |s| {
        args::u16(s.file.open_count())
    }),
    (
        group::LAST_UPDATE_TIME,
        "LastUpdateTime",
        data_type::DATE_TIME,
        |s| args::date_time(s.last_update),
    ),
];

impl PushManagement {
    /// Adds the `ServerConfiguration` object and its methods to the running server.
    pub fn install(
        space: &AddressSpace,
        store: Store,
        options: PushOptions,
    ) -> Result<Self, ServerError> {
        let state = Arc::new(Mutex::new(State {
            store,
            options,
            file: TrustListFile::new(MAX_TRUST_LIST_SIZE as usize),
            pending: push::Pending::default(),
            new_key: None,
            last_update: OffsetDateTime::now_utc(),
            address_space: space.clone(),
        }));
        for (id, name, supertype) in nodes::OBJECT_TYPES {
            let id = ua::NodeId::ns0(id);
            if !space.has_node(&id) {
                space.add_object_type(supertype, &id, name)?;
            }
        }
        let alarm_type = ua::NodeId::ns0(nodes::expiration_alarm::TYPE);
        for (id, name, data_type) in nodes::expiration_alarm::FIELDS {
            let id = ua::NodeId::ns0(id);
            if !space.has_node(&id) {
                space.add_property(&alarm_type, &id, name, data_type, &args::empty(data_type))?;
            }
        }
        // Parents before children: each object's parent is added before it.
        for (parent, reference, id, name, type_definition) in OBJECTS {
            space.add_object(
                &ua::NodeId::ns0(parent),
                reference,
                &ua::NodeId::ns0(id),
                name,
                type_definition,
            )?;
        }
        for (parent, id, name, data_type, value) in fixed_properties() {
            space.add_property(
                &ua::NodeId::ns0(parent),
                &ua::NodeId::ns0(id),
                name,
                data_type,
                &value,
            )?;
        }
        let trust_list = ua::NodeId::ns0(group::TRUST_LIST);
        for (id, name, data_type, read) in READ_PROPERTIES {
            let state = Arc::clone(&state);
            space.add_property_source(
                &trust_list,
                &ua::NodeId::ns0(id),
                name,
                data_type,
                false,
                move || read(&lock(&state)),
            )?;
        }
        let methods = SERVER_CONFIGURATION_METHODS
            .iter()
            .map(|m| (config::OBJECT, m))
            .chain(TRUST_LIST_METHODS.iter().map(|m| (group::TRUST_LIST, m)));
        for (parent, &(name, ids, arguments, body)) in methods {
            add_method(
                space,
                &state,
                &ua::NodeId::ns0(parent),
                name,
                ids,
                arguments,
                body,
            )?;
        }
        tracing::info!(
            target: "push",
            "OPC UA push management (ServerConfiguration, OPC 10000-12) is available to the administrator over SignAndEncrypt."
        );
        Ok(Self { state })
    }

    /// When the last `ApplyChanges` committed (or the server started).
    #[must_use]
    pub fn last_update(&self) -> OffsetDateTime {
        lock(&self.state).last_update
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

const fn with_both((method, input, output): (u32, u32, u32)) -> (u32, Option<u32>, Option<u32>) {
    (method, Some(input), Some(output))
}

const fn with_input((method, input): (u32, u32)) -> (u32, Option<u32>, Option<u32>) {
    (method, Some(input), None)
}

const fn with_output((method, output): (u32, u32)) -> (u32, Option<u32>, Option<u32>) {
    (method, None, Some(output))
}

/// Adds one method whose body runs behind the administrator gate, with the state locked, and
/// whose refusals are logged.
fn add_method(
    space: &AddressSpace,
    state: &Arc<Mutex<State>>,
    parent: &ua::NodeId,
    name: &'static str,
    (id, input_id, output_id): (u32, Option<u32>, Option<u32>),
    arguments: (&[Argument], &[Argument]),
    body: Body,
) -> Result<(), ServerError> {
    let state = Arc::clone(state);
    space.add_caller_method(
        parent,
        &ua::NodeId::ns0(id),
        name,
        arguments,
        (
            input_id.map(ua::NodeId::ns0),
            output_id.map(ua::NodeId::ns0),
        ),
        move |caller, inputs| {
            if let Err(code) = caller.require(Role::SecurityAdmin) {
                tracing::warn!(
                    target: "push",
                    session = %caller.session,
                    "{name} refused ({}): push management needs the administrator over SignAndEncrypt",
                    status_name(code)
                );
                return Err(code);
            }
            let mut state = lock(&state);
            state.forget_closed_sessions();
            body(&mut state, caller, &Inputs(inputs)).inspect_err(|code| {
                tracing::debug!(target: "push", session = %caller.session, "{name} returned {}", status_name(*code));
            })
        },
    )?;
    Ok(())
}

/// The symbolic name of a status code number.
fn status_name(code: u32) -> &'static str {
    Status::from_code(code).name
}

/// Logs a push refusal and turns it into its status code.
fn refuse(method: &str, error: &PushError) -> u32 {
    tracing::warn!(target: "push", "{method} refused ({}): {}", error.code.name(), error.message);
    error.code.code()
}

fn session_of(caller: &Caller) -> String {
    caller.session.to_string()
}

impl State {
    /// Drops the file handles and the staged transaction of sessions that are gone.
    fn forget_closed_sessions(&mut self) {
        let live: Vec<String> = self
            .address_space
            .session_ids()
            .iter()
            .map(ToString::to_string)
            .collect();
        self.file.forget_sessions_except(&live);
        if let Some(owner) = self.pending.session().cloned()
            && !live.contains(&owner)
        {
            tracing::info!(target: "push", "The push transaction of a closed session was discarded.");
            self.pending.discard(&owner);
        }
        if self
            .new_key
            .as_ref()
            .is_some_and(|(s, _)| !live.contains(s))
        {
            self.new_key = None;
        }
    }

    /// The key `session`'s `CreateSigningRequest` generated, if any.
    fn key_of(&self, session: &str) -> Option<&PrivateKey> {
        self.new_key
            .as_ref()
            .filter(|(s, _)| s == session)
            .map(|(_, k)| k)
    }

    /// Stages one change for `session` with `stage`, then plans the whole transaction against
    /// the store so the method that brought a bad item is the one that fails; with
    /// [`Check::Store`] the store validates it too, as `ApplyChanges` will. A refused change is
    /// unstaged (and a transaction it began is dropped).
    fn stage(
        &mut self,
        method: &str,
        session: &str,
        check: Check,
        stage: impl FnOnce(&mut push::Transaction<String>, &push::TwinOwned) -> Result<(), PushError>,
    ) -> Result<(), u32> {
        let (contents, record) = self.store.contents_and_record().map_err(|e| {
            tracing::error!(target: "push", "Cannot read the certificate store: {e}");
            BAD_INTERNAL_ERROR
        })?;
        let owned = push::twin_owned(record.as_deref());
        let key = self.key_of(session).cloned();
        let session = session.to_owned();
        let began = self.pending.for_session(&session).is_none();
        let transaction = self
            .pending
            .begin(&session)
            .map_err(|e| refuse(method, &e))?;
        if let Err(e) = stage(transaction, &owned) {
            if began {
                self.pending.discard(&session);
            }
            return Err(refuse(method, &e));
        }
        let now = OffsetDateTime::now_utc();
        let planned = match check {
            Check::Plan => push::plan(
                &contents,
                record.as_deref(),
                transaction.staged(),
                key.as_ref(),
                now,
            )
            .map(drop),
            Check::Store => push::check(
                &self.store,
                transaction.staged(),
                key.as_ref(),
                &self.options.validator.options(),
                now,
            ),
        };
        if let Err(e) = planned {
            transaction.unstage_last();
            if began || transaction.staged().is_empty() {
                self.pending.discard(&session);
            }
            return Err(refuse(method, &e));
        }
        Ok(())
    }

    fn contents(&self) -> Result<pki::StoreContents, u32> {
        self.store.contents().map_err(|e| {
            tracing::error!(target: "push", "Cannot read the certificate store: {e}");
            BAD_INTERNAL_ERROR
        })
    }

    fn snapshot(&self, masks: Masks) -> Vec<u8> {
        match self.store.contents() {
            Ok(contents) => TrustList::from_store(&contents, masks).encode(),
            Err(e) => {
                tracing::error!(target: "push", "Cannot read the certificate store: {e}");
                TrustList::from_store(&pki::StoreContents::default(), masks).encode()
            }
        }
    }
}

fn trust_list_size(state: &State) -> ua::Variant {
    args::u64(state.snapshot(Masks::ALL).len() as u64)
}
