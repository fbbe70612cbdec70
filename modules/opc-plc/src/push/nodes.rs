//! The node ids, browse names and arguments of OPC 10000-12's `ServerConfiguration` object
//! (namespace 0, `Opc.Ua.NodeIds.csv`), and the built-in data type ids its arguments use.

use ::ua::Argument;

/// `Server` (`i=2253`): the parent of `ServerConfiguration` and the source of its events.
pub const SERVER: u32 = 2253;
/// `HasComponent`.
pub const HAS_COMPONENT: u32 = 47;
/// `Organizes`.
pub const ORGANIZES: u32 = 35;
/// `FolderType`.
pub const FOLDER_TYPE: u32 = 61;
/// `BaseEventType`.
pub const BASE_EVENT_TYPE: u32 = 2041;

/// Built-in data types (OPC 10000-6 §5.1.2).
pub mod data_type {
    /// `Boolean`.
    pub const BOOLEAN: u32 = 1;
    /// `Byte`.
    pub const BYTE: u32 = 3;
    /// `UInt16`.
    pub const UINT16: u32 = 5;
    /// `Int32`.
    pub const INT32: u32 = 6;
    /// `UInt32`.
    pub const UINT32: u32 = 7;
    /// `UInt64`.
    pub const UINT64: u32 = 9;
    /// `Double` (`Duration` values are Doubles).
    pub const DOUBLE: u32 = 11;
    /// `String`.
    pub const STRING: u32 = 12;
    /// `DateTime`.
    pub const DATE_TIME: u32 = 13;
    /// `ByteString`.
    pub const BYTE_STRING: u32 = 15;
    /// `NodeId`.
    pub const NODE_ID: u32 = 17;
}

/// The object types the objects below are instances of, with their supertypes: added (without
/// instance declarations) when the reduced namespace 0 lacks them, so `HasTypeDefinition` names
/// the standard type.
pub const OBJECT_TYPES: [(u32, &str, u32); 6] = [
    (11575, "FileType", ua::BASE_OBJECT_TYPE),
    (12522, "TrustListType", 11575),
    (12555, "CertificateGroupType", ua::BASE_OBJECT_TYPE),
    (13813, "CertificateGroupFolderType", FOLDER_TYPE),
    (12581, "ServerConfigurationType", ua::BASE_OBJECT_TYPE),
    // OPC 10000-12 §7.8.5 derives it from SystemOffNormalAlarmType; the reduced namespace 0 has
    // no condition types, so here it is an event type directly below BaseEventType (ADR 0017).
    (13225, "CertificateExpirationAlarmType", BASE_EVENT_TYPE),
];

/// `ServerConfiguration` and its children.
pub mod server_configuration {
    /// The object.
    pub const OBJECT: u32 = 12637;
    /// `ServerConfigurationType`.
    pub const TYPE: u32 = 12581;
    /// `SupportedPrivateKeyFormats` (`String[]`).
    pub const SUPPORTED_PRIVATE_KEY_FORMATS: u32 = 12639;
    /// `MaxTrustListSize` (`UInt32`, bytes).
    pub const MAX_TRUST_LIST_SIZE: u32 = 12640;
    /// `MulticastDnsEnabled` (`Boolean`).
    pub const MULTICAST_DNS_ENABLED: u32 = 12641;
    /// `ServerCapabilities` (`String[]`).
    pub const SERVER_CAPABILITIES: u32 = 12710;
    /// `CreateSigningRequest` and its argument properties.
    pub const CREATE_SIGNING_REQUEST: (u32, u32, u32) = (12737, 12738, 12739);
    /// `ApplyChanges` (no arguments).
    pub const APPLY_CHANGES: u32 = 12740;
    /// `GetRejectedList` and its output argument property.
    pub const GET_REJECTED_LIST: (u32, u32) = (12777, 12778);
    /// `UpdateCertificate` and its argument properties.
    pub const UPDATE_CERTIFICATE: (u32, u32, u32) = (13737, 13738, 13739);
    /// `CertificateGroups` (`CertificateGroupFolderType`).
    pub const CERTIFICATE_GROUPS: u32 = 14053;
    /// `CertificateGroupFolderType`.
    pub const CERTIFICATE_GROUPS_TYPE: u32 = 13813;
}

/// `CertificateGroups/DefaultApplicationGroup` and its `TrustList`.
pub mod default_application_group {
    /// The group object.
    pub const OBJECT: u32 = 14156;
    /// `CertificateGroupType`.
    pub const TYPE: u32 = 12555;
    /// `CertificateTypes` (`NodeId[]`).
    pub const CERTIFICATE_TYPES: u32 = 14161;
    /// `RsaSha256ApplicationCertificateType`: the type of our application certificate.
    pub const RSA_SHA256_APPLICATION_CERTIFICATE_TYPE: u32 = 12560;
    /// `RsaMinApplicationCertificateType` (accepted as a request's type too: same RSA group).
    pub const RSA_MIN_APPLICATION_CERTIFICATE_TYPE: u32 = 12559;
    /// `ApplicationCertificateType` (the abstract supertype).
    pub const APPLICATION_CERTIFICATE_TYPE: u32 = 12557;
    /// The `TrustList` object.
    pub const TRUST_LIST: u32 = 12642;
    /// `TrustListType`.
    pub const TRUST_LIST_TYPE: u32 = 12522;
    /// `Size` (`UInt64`).
    pub const SIZE: u32 = 12643;
    /// `OpenCount` (`UInt16`).
    pub const OPEN_COUNT: u32 = 12646;
    /// `Writable` (`Boolean`).
    pub const WRITABLE: u32 = 14157;
    /// `UserWritable` (`Boolean`).
    pub const USER_WRITABLE: u32 = 14158;
    /// `LastUpdateTime` (`DateTime`).
    pub const LAST_UPDATE_TIME: u32 = 12662;
    /// `UpdateFrequency` (`Duration`).
    pub const UPDATE_FREQUENCY: u32 = 22567;
    /// `Open`, its input and output argument properties.
    pub const OPEN: (u32, u32, u32) = (12647, 12648, 12649);
    /// `Close`, its input argument property.
    pub const CLOSE: (u32, u32) = (12650, 12651);
    /// `Read`, its input and output argument properties.
    pub const READ: (u32, u32, u32) = (12652, 12653, 12654);
    /// `Write`, its input argument property.
    pub const WRITE: (u32, u32) = (12655, 12656);
    /// `GetPosition`, its input and output argument properties.
    pub const GET_POSITION: (u32, u32, u32) = (12657, 12658, 12659);
    /// `SetPosition`, its input argument property.
    pub const SET_POSITION: (u32, u32) = (12660, 12661);
    /// `OpenWithMasks`, its input and output argument properties.
    pub const OPEN_WITH_MASKS: (u32, u32, u32) = (12663, 12664, 12665);
    /// `CloseAndUpdate`, its input and output argument properties.
    pub const CLOSE_AND_UPDATE: (u32, u32, u32) = (12666, 14160, 12667);
    /// `AddCertificate`, its input argument property.
    pub const ADD_CERTIFICATE: (u32, u32) = (12668, 12669);
    /// `RemoveCertificate`, its input argument property.
    pub const REMOVE_CERTIFICATE: (u32, u32) = (12670, 12671);
}

/// `CertificateExpirationAlarmType` and the fields of its events.
pub mod expiration_alarm {
    use super::data_type::{BYTE_STRING, DATE_TIME, DOUBLE, NODE_ID};

    /// The event type.
    pub const TYPE: u32 = 13225;
    /// Its own properties (id, browse name, data type): an event filter's select clause names
    /// them by browse path from the type, and the server checks the path exists on the type.
    pub const FIELDS: [(u32, &str, u32); 4] = [
        (13325, "ExpirationDate", DATE_TIME),
        (13326, "CertificateType", NODE_ID),
        (13327, "Certificate", BYTE_STRING),
        (14900, "ExpirationLimit", DOUBLE),
    ];
}

use data_type::{BOOLEAN, BYTE, BYTE_STRING, INT32, NODE_ID, STRING, UINT32, UINT64};

/// `CreateSigningRequest`'s inputs and outputs.
pub const CREATE_SIGNING_REQUEST_ARGS: (&[Argument], &[Argument]) = (
    &[
        Argument::scalar("CertificateGroupId", NODE_ID),
        Argument::scalar("CertificateTypeId", NODE_ID),
        Argument::scalar("SubjectName", STRING),
        Argument::scalar("RegeneratePrivateKey", BOOLEAN),
        Argument::scalar("Nonce", BYTE_STRING),
    ],
    &[Argument::scalar("CertificateRequest", BYTE_STRING)],
);
/// `UpdateCertificate`'s inputs and outputs.
pub const UPDATE_CERTIFICATE_ARGS: (&[Argument], &[Argument]) = (
    &[
        Argument::scalar("CertificateGroupId", NODE_ID),
        Argument::scalar("CertificateTypeId", NODE_ID),
        Argument::scalar("Certificate", BYTE_STRING),
        Argument::array("IssuerCertificates", BYTE_STRING),
        Argument::scalar("PrivateKeyFormat", STRING),
        Argument::scalar("PrivateKey", BYTE_STRING),
    ],
    &[Argument::scalar("ApplyChangesRequired", BOOLEAN)],
);
/// `GetRejectedList`'s outputs.
pub const GET_REJECTED_LIST_ARGS: (&[Argument], &[Argument]) =
    (&[], &[Argument::array("Certificates", BYTE_STRING)]);
/// `Open`.
pub const OPEN_ARGS: (&[Argument], &[Argument]) = (
    &[Argument::scalar("Mode", BYTE)],
    &[Argument::scalar("FileHandle", UINT32)],
);
/// `Close`.
pub const CLOSE_ARGS: (&[Argument], &[Argument]) = (&[Argument::scalar("FileHandle", UINT32)], &[]);
/// `Read`.
pub const READ_ARGS: (&[Argument], &[Argument]) = (
    &[
        Argument::scalar("FileHandle", UINT32),
        Argument::scalar("Length", INT32),
    ],
    &[Argument::scalar("Data", BYTE_STRING)],
);
/// `Write`.
pub const WRITE_ARGS: (&[Argument], &[Argument]) = (
    &[
        Argument::scalar("FileHandle", UINT32),
        Argument::scalar("Data", BYTE_STRING),
    ],
    &[],
);
/// `GetPosition`.
pub const GET_POSITION_ARGS: (&[Argument], &[Argument]) = (
    &[Argument::scalar("FileHandle", UINT32)],
    &[Argument::scalar("Position", UINT64)],
);
/// `SetPosition`.
pub const SET_POSITION_ARGS: (&[Argument], &[Argument]) = (
    &[
        Argument::scalar("FileHandle", UINT32),
        Argument::scalar("Position", UINT64),
    ],
    &[],
);
/// `OpenWithMasks`.
pub const OPEN_WITH_MASKS_ARGS: (&[Argument], &[Argument]) = (
    &[Argument::scalar("Masks", UINT32)],
    &[Argument::scalar("FileHandle", UINT32)],
);
/// `CloseAndUpdate`.
pub const CLOSE_AND_UPDATE_ARGS: (&[Argument], &[Argument]) = (
    &[Argument::scalar("FileHandle", UINT32)],
    &[Argument::scalar("ApplyChangesRequired", BOOLEAN)],
);
/// `AddCertificate`.
pub const ADD_CERTIFICATE_ARGS: (&[Argument], &[Argument]) = (
    &[
        Argument::scalar("Certificate", BYTE_STRING),
        Argument::scalar("IsTrustedCertificate", BOOLEAN),
    ],
    &[],
);
/// `RemoveCertificate`.
pub const REMOVE_CERTIFICATE_ARGS: (&[Argument], &[Argument]) = (
    &[
        Argument::scalar("Thumbprint", STRING),
        Argument::scalar("IsTrustedCertificate", BOOLEAN),
    ],
    &[],
);
