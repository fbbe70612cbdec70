//! Standard information-model nodes for a module to build: objects and object types with the
//! node ids the OPC UA specifications assign (namespace 0), read-only properties (fixed, or read
//! from the module's state at every read), methods that see their [`Caller`], and events
//! with fields.
//!
//! The bundled open62541 is built with the reduced namespace 0, which lacks the nodes of OPC
//! 10000-12 (ADR 0017): a module adds them here under their standard ids and browse names, so
//! clients that call methods by node id and clients that follow browse paths both find them.
//!
//! Threads: as for the rest of [`AddressSpace`]; a method body and a property's read function run
//! on the server thread inside its lock and must not call back into the address space.

use open62541::{
    Attributes as _, DataSource, DataSourceReadContext, DataSourceResult, DataType as _,
    MethodCallback, MethodCallbackContext, MethodCallbackError, MethodCallbackResult, Node,
    ObjectNode, VariableNode, ua,
};

use crate::address_space::{
    AddressSpace, ONE_DIMENSION, SCALAR, browse_name, localized, method_node, set_initial_value,
};
use crate::ffi::{emit_event, set_caller_method};
use crate::methods::{Argument, Caller, MethodResult};
use crate::status::{ServerError, ua_status};

/// `ns=0;i=45`, `HasSubtype`.
const HAS_SUBTYPE: u32 = 45;
/// `ns=0;i=46`, `HasProperty`.
const HAS_PROPERTY: u32 = 46;
/// `ns=0;i=68`, `PropertyType`.
const PROPERTY_TYPE: u32 = 68;
/// `ns=0;i=58`, `BaseObjectType`.
pub const BASE_OBJECT_TYPE: u32 = 58;

impl AddressSpace {
    /// Ids of the server's open (activated) sessions.
    #[must_use]
    pub fn session_ids(&self) -> Vec<ua::NodeId> {
        self.slot.session_ids()
    }

    /// How many event monitored items clients have created since the server started: when it
    /// grows, a module raises its current alarms again (events are not retained, and the reduced
    /// namespace 0 has no `ConditionRefresh`).
    #[must_use]
    pub fn event_subscriptions(&self) -> u64 {
        self.slot.event_items()
    }

    /// Whether a node with `node_id` exists.
    #[must_use]
    pub fn has_node(&self, node_id: &ua::NodeId) -> bool {
        let data = self
            .stack
            .read_attribute(node_id, ua::AttributeId::BROWSENAME_T);
        data.status().is_none_or(|s| s.is_good())
    }

    /// Adds an object of `type_definition` (ns=0) under `parent` with `reference_type` (ns=0,
    /// e.g. `HasComponent` 47, `Organizes` 35).
    pub fn add_object(
        &self,
        parent: &ua::NodeId,
        reference_type: u32,
        node_id: &ua::NodeId,
        name: &str,
        type_definition: u32,
    ) -> Result<ua::NodeId, ServerError> {
        let display = localized(name)?;
        self.stack
            .add_object_node(ObjectNode {
                requested_new_node_id: Some(node_id.clone()),
                parent_node_id: parent.clone(),
                reference_type_id: ua::NodeId::ns0(reference_type),
                browse_name: browse_name(node_id, name)?,
                type_definition: ua::NodeId::ns0(type_definition),
                attributes: ua::ObjectAttributes::default().with_display_name(&display),
            })
            .map_err(ServerError::Stack)
    }

    /// Adds an object type as a subtype of `supertype` (ns=0), without instance declarations.
    pub fn add_object_type(
        &self,
        supertype: u32,
        node_id: &ua::NodeId,
        name: &str,
    ) -> Result<ua::NodeId, ServerError> {
        let display = localized(name)?;
        let node = Node::new(
            ua::NodeId::ns0(supertype),
            ua::NodeId::ns0(HAS_SUBTYPE),
            browse_name(node_id, name)?,
            ua::ObjectTypeAttributes::default().with_display_name(&display),
        )
        .with_requested_new_node_id(node_id.clone());
        self.stack.add_node(node).map_err(ServerError::Stack)
    }

    /// Adds a read-only property (`PropertyType`, `HasProperty`) with a fixed value of data type
    /// `data_type` (ns=0).
    pub fn add_property(
        &self,
        parent: &ua::NodeId,
        node_id: &ua::NodeId,
        name: &str,
        data_type: u32,
        value: &ua::Variant,
    ) -> Result<ua::NodeId, ServerError> {
        let mut node = property_node(parent, node_id, name, data_type, !value.is_scalar())?;
        set_initial_value(&mut node.attributes, value);
        self.stack
            .add_variable_node(node)
            .map_err(ServerError::Stack)
    }

    /// Adds a read-only property whose value `read` returns at every read (e.g. a file's size).
    pub fn add_property_source(
        &self,
        parent: &ua::NodeId,
        node_id: &ua::NodeId,
        name: &str,
        data_type: u32,
        array: bool,
        read: impl FnMut() -> ua::Variant + Send + 'static,
    ) -> Result<ua::NodeId, ServerError> {
        let node = property_node(parent, node_id, name, data_type, array)?;
        self.stack
            .add_data_source_variable_node(node, ReadOnly(Box::new(read)))
            .map_err(ServerError::Stack)
    }

    /// Adds a method component of `parent` whose body sees its [`Caller`] (session, role,
    /// channel security mode). `argument_ids` are the ids of its `InputArguments` and
    /// `OutputArguments` properties (standard ids for standard methods; `None` lets the server
    /// choose). The body's error is a status code number returned to the client.
    pub fn add_caller_method(
        &self,
        parent: &ua::NodeId,
        node_id: &ua::NodeId,
        name: &str,
        arguments: (&[Argument], &[Argument]),
        argument_ids: (Option<ua::NodeId>, Option<ua::NodeId>),
        body: impl FnMut(&Caller, &[ua::Variant]) -> MethodResult + Send + 'static,
    ) -> Result<ua::NodeId, ServerError> {
        let server = self.slot.raw_server().ok_or(ServerError::NotRunning)?;
        let (id, _) = self
            .stack
            .add_method_node(
                method_node(parent, node_id, name, arguments, argument_ids)?,
                // Replaced below before any client can call it.
                Unreachable,
            )
            .map_err(ServerError::Stack)?;
        self.slot.set_method(&id, Box::new(body));
        // SAFETY: the server is running (its pointer was published at STARTED and this handle
        // keeps it alive); the call is documented thread-safe.
        check(unsafe { set_caller_method(server, &id) })?;
        Ok(id)
    }

    /// Emits an event of `event_type` from `source` (e.g. the `Server` object `i=2253`) with
    /// `fields` given by browse path from the event type (`/ExpirationDate`), besides the base
    /// fields the server fills (`EventId`, `EventType`, `SourceNode`, `Time`, `Message`, `Severity`). Must not
    /// be called from a method body or a property's read function.
    pub fn emit_event(
        &self,
        source: &ua::NodeId,
        event_type: &ua::NodeId,
        severity: u16,
        message: &str,
        fields: &[(&str, ua::Variant)],
    ) -> Result<(), ServerError> {
        let server = self.slot.raw_server().ok_or(ServerError::NotRunning)?;
        let message = ua::LocalizedText::new("", message).map_err(ServerError::Stack)?;
        // SAFETY: the server is running (see `add_caller_method`); not called from a callback
        // (documented contract of this method).
        check(unsafe { emit_event(server, source, event_type, severity, &message, fields) })
    }
}

/// A read-only property of `parent` (`PropertyType`, `HasProperty`), without a value yet.
fn property_node(
    parent: &ua::NodeId,
    node_id: &ua::NodeId,
    name: &str,
    data_type: u32,
    array: bool,
) -> Result<VariableNode, ServerError> {
    Ok(VariableNode {
        requested_new_node_id: Some(node_id.clone()),
        parent_node_id: parent.clone(),
        reference_type_id: ua::NodeId::ns0(HAS_PROPERTY),
        browse_name: browse_name(node_id, name)?,
        type_definition: ua::NodeId::ns0(PROPERTY_TYPE),
        attributes: property_attributes(name, data_type, array)?,
    })
}

fn property_attributes(
    name: &str,
    data_type: u32,
    array: bool,
) -> Result<ua::VariableAttributes, ServerError> {
    let display = localized(name)?;
    let mut attributes = ua::VariableAttributes::default()
        .with_display_name(&display)
        .with_data_type(&ua::NodeId::ns0(data_type))
        .with_value_rank(if array { ONE_DIMENSION } else { SCALAR })
        .with_access_level(&ua::AccessLevelType::NONE.with_current_read(true));
    if array {
        attributes = attributes.with_array_dimensions(&[0]);
    }
    Ok(attributes)
}

/// A status from open62541 as a result.
fn check(status: u32) -> Result<(), ServerError> {
    let status = ua_status(status);
    if status.is_good() {
        Ok(())
    } else {
        Err(ServerError::Stack(open62541::Error::Server(status)))
    }
}

pub(crate) fn argument_array(
    arguments: &[Argument],
) -> Result<ua::Array<ua::Argument>, ServerError> {
    let mut out = Vec::with_capacity(arguments.len());
    for argument in arguments {
        // Array dimensions stay unset: `[0]` (any length) says the same for a 1-D array.
        out.push(
            ua::Argument::init()
                .with_name(&ua::String::new(argument.name).map_err(ServerError::Stack)?)
                .with_data_type(&ua::NodeId::ns0(argument.data_type))
                .with_value_rank(if argument.array {
                    ONE_DIMENSION
                } else {
                    SCALAR
                }),
        );
    }
    Ok(ua::Array::from_slice(&out))
}

/// The placeholder callback a caller-aware method node is created with.
struct Unreachable;

impl MethodCallback for Unreachable {
    fn call(&mut self, _context: &mut MethodCallbackContext) -> MethodCallbackResult {
        Err(MethodCallbackError::from_status_code(
            ua::StatusCode::BADINTERNALERROR,
        ))
    }
}

/// A read-only data source.
struct ReadOnly(Box<dyn FnMut() -> ua::Variant + Send>);

impl DataSource for ReadOnly {
    fn read(&mut self, context: &mut DataSourceReadContext) -> DataSourceResult {
        context.set_variant((self.0)());
        Ok(())
    }
}
