//! The server's address space for a module: namespaces, folders, variables and methods, and
//! value updates from any thread.
//!
//! [`AddressSpace`] is a cheap handle (`Clone`, `Send`, `Sync`) to the running server, got from
//! [`crate::Server::address_space`]. It uses the safe `open62541` crate API; the only raw access
//! is setting a variable's initial value in its attributes (the crate has no setter), see
//! [`Variable`].
//!
//! # Threads
//! The bundled open62541 is built with `UA_MULTITHREADING = 100`: every server function used here
//! (`UA_Server_addNode_*`, `UA_Server_addMethodNodeEx`, `UA_Server_write*`, `UA_Server_read`,
//! `UA_Server_addNamespace`) takes the server's service lock, so a module thread may add nodes
//! and write values while the server thread runs its event loop. Method callbacks run on the
//! server thread, inside that lock: they must be short and must not call back into the address
//! space (that would deadlock), which is why [`AddressSpace::add_method`] takes a plain closure
//! that only touches the module's own state.
//!
//! # Node ids
//! Modules choose their node ids; the OPC PLC uses string ids equal to the browse name in its
//! own namespace (`ns=2;s=StepUp`), and browse names carry the node's namespace index.

use open62541::{
    Attributes as _, DataType as _, MethodCallback, MethodCallbackContext, MethodCallbackError,
    MethodCallbackResult, MethodNode, VariableNode, ua,
};

use std::sync::Arc;

use open62541_sys::UA_NodeAttributesMask;

use crate::ffi::ServerSlot;
use crate::methods::Argument;
use crate::nodes::argument_array;

use crate::status::{ServerError, ua_status};

/// `ns=0;i=85`, the standard `Objects` folder.
pub const OBJECTS_FOLDER: u32 = 85;
/// `ns=0;i=61`, `FolderType`.
const FOLDER_TYPE: u32 = 61;
/// `ns=0;i=35`, `Organizes`.
const ORGANIZES: u32 = 35;
/// `ns=0;i=47`, `HasComponent`.
const HAS_COMPONENT: u32 = 47;
/// `ns=0;i=63`, `BaseDataVariableType`.
const BASE_DATA_VARIABLE_TYPE: u32 = 63;
/// The `specifiedAttributes` bit of the value.
const VALUE_MASK: u32 = UA_NodeAttributesMask::UA_NODEATTRIBUTESMASK_VALUE.0;
/// `ValueRank` of a scalar.
pub(crate) const SCALAR: i32 = -1;
/// `ValueRank` of a one-dimensional array.
pub(crate) const ONE_DIMENSION: i32 = 1;

/// The built-in data types our variables use (OPC 10000-6 §5.1.2 numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `Boolean` (`i=1`).
    Boolean,
    /// `Int32` (`i=6`).
    Int32,
    /// `UInt32` (`i=7`).
    UInt32,
    /// `Float` (`i=10`).
    Float,
    /// `Double` (`i=11`).
    Double,
}

impl ValueType {
    /// The node id of the data type in namespace 0.
    #[must_use]
    pub fn data_type_id(self) -> u32 {
        match self {
            Self::Boolean => 1,
            Self::Int32 => 6,
            Self::UInt32 => 7,
            Self::Float => 10,
            Self::Double => 11,
        }
    }
}

/// A variable to add: its id, browse (and display) name, type and first value.
#[derive(Debug, Clone)]
pub struct Variable {
    /// The node id (its namespace index is also the browse name's).
    pub node_id: ua::NodeId,
    /// Browse name and display name.
    pub name: String,
    /// The data type.
    pub value_type: ValueType,
    /// A one-dimensional array of `value_type` rather than a scalar.
    pub array: bool,
    /// The first value (must match `value_type` and `array`).
    pub initial: ua::Variant,
    /// Clients may write it (`CurrentRead | CurrentWrite`), else read only.
    pub writable: bool,
}

/// A handle to a server's address space (see the module documentation).
#[derive(Debug, Clone)]
pub struct AddressSpace {
    pub(crate) stack: open62541::Server,
    pub(crate) slot: Arc<ServerSlot>,
}

impl AddressSpace {
    pub(crate) fn new(stack: open62541::Server, slot: Arc<ServerSlot>) -> Self {
        Self { stack, slot }
    }

    /// Registers `uri` in the namespace array (or finds it) and returns its index.
    pub fn add_namespace(&self, uri: &str) -> Result<u16, ServerError> {
        if uri.is_empty() || uri.contains('\0') {
            return Err(ServerError::InvalidConfig("namespace URI"));
        }
        Ok(self.stack.add_namespace(uri))
    }

    /// Adds a folder (`FolderType`) organized by `parent`.
    pub fn add_folder(
        &self,
        parent: &ua::NodeId,
        node_id: &ua::NodeId,
        name: &str,
    ) -> Result<ua::NodeId, ServerError> {
        self.add_object(parent, ORGANIZES, node_id, name, FOLDER_TYPE)
    }

    /// Adds a variable (`BaseDataVariableType`) as a component of `parent`.
    pub fn add_variable(
        &self,
        parent: &ua::NodeId,
        variable: &Variable,
    ) -> Result<ua::NodeId, ServerError> {
        let display = localized(&variable.name)?;
        let access = ua::AccessLevelType::NONE
            .with_current_read(true)
            .with_current_write(variable.writable);
        let mut attributes = ua::VariableAttributes::default()
            .with_display_name(&display)
            .with_data_type(&ua::NodeId::ns0(variable.value_type.data_type_id()))
            .with_value_rank(if variable.array {
                ONE_DIMENSION
            } else {
                SCALAR
            })
            .with_access_level(&access);
        if variable.array {
            attributes = attributes.with_array_dimensions(&[0]);
        }
        set_initial_value(&mut attributes, &variable.initial);
        self.stack
            .add_variable_node(VariableNode {
                requested_new_node_id: Some(variable.node_id.clone()),
                parent_node_id: parent.clone(),
                reference_type_id: ua::NodeId::ns0(HAS_COMPONENT),
                browse_name: browse_name(&variable.node_id, &variable.name)?,
                type_definition: ua::NodeId::ns0(BASE_DATA_VARIABLE_TYPE),
                attributes,
            })
            .map_err(ServerError::Stack)
    }

    /// Adds a method without arguments as a component of `parent`; `call` runs on the server
    /// thread for each call (see the module documentation) and its error status goes back to the
    /// client. Call it with `parent` as the object.
    pub fn add_method(
        &self,
        parent: &ua::NodeId,
        node_id: &ua::NodeId,
        name: &str,
        call: impl FnMut() -> Result<(), ua::StatusCode> + Send + 'static,
    ) -> Result<ua::NodeId, ServerError> {
        let (id, _) = self
            .stack
            .add_method_node(
                method_node(parent, node_id, name, (&[], &[]), (None, None))?,
                Method(Box::new(call)),
            )
            .map_err(ServerError::Stack)?;
        Ok(id)
    }

    /// Writes a variable's value (status `Good`, server timestamp now).
    pub fn write(&self, node_id: &ua::NodeId, value: &ua::Variant) -> Result<(), ServerError> {
        self.stack
            .write_value(node_id, value)
            .map_err(ServerError::Stack)
    }

    /// Writes a variable's value with a status code given by its number (e.g. `0x40900000`,
    /// `UncertainLastUsableValue`). open62541 1.5 refuses an empty value for the non-nullable
    /// built-in types (OPC 10000-4 §7.11.5: the status is what tells the value is unusable), so
    /// a `Bad…` status is published with a value too.
    pub fn write_with_status(
        &self,
        node_id: &ua::NodeId,
        value: &ua::Variant,
        status: u32,
    ) -> Result<(), ServerError> {
        let status = ua_status(status);
        let now = ua::DateTime::try_from(time::UtcDateTime::now()).map_err(ServerError::Stack)?;
        let data = ua::DataValue::new(value.clone())
            .with_status(&status)
            .with_source_timestamp(&now)
            .with_server_timestamp(&now);
        self.stack
            .write_data_value(node_id, &data)
            .map_err(ServerError::Stack)
    }

    /// Reads a variable's value inside the server (no session, no access checks).
    pub fn read(&self, node_id: &ua::NodeId) -> Result<ua::Variant, ServerError> {
        let data = self.stack.read_attribute(node_id, ua::AttributeId::VALUE_T);
        if let Some(status) = data.status().filter(|s| !s.is_good()) {
            return Err(ServerError::Stack(open62541::Error::Server(status)));
        }
        Ok(data.into_value().unwrap_or_else(ua::Variant::init))
    }
}

/// An executable method component of `parent` with its arguments (`InputArguments` and
/// `OutputArguments` at `argument_ids`, or where the server chooses).
pub(crate) fn method_node(
    parent: &ua::NodeId,
    node_id: &ua::NodeId,
    name: &str,
    arguments: (&[Argument], &[Argument]),
    argument_ids: (Option<ua::NodeId>, Option<ua::NodeId>),
) -> Result<MethodNode, ServerError> {
    Ok(MethodNode {
        requested_new_node_id: Some(node_id.clone()),
        parent_node_id: parent.clone(),
        reference_type_id: ua::NodeId::ns0(HAS_COMPONENT),
        browse_name: browse_name(node_id, name)?,
        attributes: ua::MethodAttributes::default()
            .with_display_name(&localized(name)?)
            .with_executable(true),
        input_arguments: argument_array(arguments.0)?,
        input_arguments_requested_new_node_id: argument_ids.0,
        output_arguments: argument_array(arguments.1)?,
        output_arguments_requested_new_node_id: argument_ids.1,
    })
}

pub(crate) fn localized(name: &str) -> Result<ua::LocalizedText, ServerError> {
    if name.is_empty() || name.contains('\0') {
        return Err(ServerError::InvalidConfig("node name"));
    }
    ua::LocalizedText::new("", name).map_err(ServerError::Stack)
}

pub(crate) fn browse_name(
    node_id: &ua::NodeId,
    name: &str,
) -> Result<ua::QualifiedName, ServerError> {
    if name.is_empty() || name.contains('\0') {
        return Err(ServerError::InvalidConfig("node name"));
    }
    Ok(ua::QualifiedName::new(namespace_of(node_id), name))
}

fn namespace_of(node_id: &ua::NodeId) -> u16 {
    // SAFETY: a shared reference to the initialised `UA_NodeId` inside `node_id`; only a plain
    // integer field is read.
    unsafe { node_id.as_ref() }.namespaceIndex
}

/// Puts `value` into the attributes as the variable's first value (the crate's
/// `VariableAttributes` has no setter for it), so the node never exists with an empty value of a
/// concrete data type.
pub(crate) fn set_initial_value(attributes: &mut ua::VariableAttributes, value: &ua::Variant) {
    // SAFETY: `attributes` owns an initialised `UA_VariableAttributes`; `clone_into_raw` clears
    // the old (empty) variant and deep-copies `value` into the field, so the attributes own the
    // copy and free it when dropped; the flag only tells the server that the field is set.
    let raw = unsafe { attributes.as_mut() };
    value.clone_into_raw(&mut raw.value);
    raw.specifiedAttributes |= VALUE_MASK;
}

/// The closure of a method node. `Send` because open62541 calls it on the server thread while
/// the module created it on another.
struct Method(Box<dyn FnMut() -> Result<(), ua::StatusCode> + Send>);

impl MethodCallback for Method {
    fn call(&mut self, _context: &mut MethodCallbackContext) -> MethodCallbackResult {
        (self.0)().map_err(MethodCallbackError::from_status_code)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn data_type_ids_are_the_built_in_type_numbers() {
        assert_eq!(ValueType::Boolean.data_type_id(), 1);
        assert_eq!(ValueType::Int32.data_type_id(), 6);
        assert_eq!(ValueType::UInt32.data_type_id(), 7);
        assert_eq!(ValueType::Float.data_type_id(), 10);
        assert_eq!(ValueType::Double.data_type_id(), 11);
    }

    #[test]
    fn the_browse_name_takes_the_namespace_of_the_node_id() {
        let name = browse_name(&ua::NodeId::string(2, "StepUp"), "StepUp").unwrap();
        assert_eq!(name.namespace_index(), 2);
        assert_eq!(name.name().as_str(), Some("StepUp"));
        assert!(browse_name(&ua::NodeId::string(2, "x"), "a\0b").is_err());
        assert!(localized("").is_err());
    }

    #[test]
    fn the_initial_value_is_set_and_flagged_in_the_attributes() {
        let mut attributes = ua::VariableAttributes::default();
        set_initial_value(&mut attributes, &ua::Variant::scalar(ua::UInt32::new(7)));
        // SAFETY: reading fields of the initialised attributes.
        let raw = unsafe { attributes.as_ref() };
        assert_ne!(raw.specifiedAttributes & VALUE_MASK, 0);
        let value = ua::Variant::raw_ref(&raw.value);
        assert_eq!(
            value.as_scalar::<ua::UInt32>().map(ua::UInt32::value),
            Some(7)
        );
    }
}
