//! MQTT topic names of the IoT Hub / edgeHub module protocol: parse and format.
//!
//! Templates (docs/reference/iot-edge.md §1.5–1.10; edgeHub `appsettings_hub.json`, Python SDK
//! `mqtt_topic_iothub.py`):
//!
//! | topic | direction |
//! | --- | --- |
//! | `$iothub/twin/GET/?$rid={rid}` | module → hub |
//! | `$iothub/twin/res/{status}/?$rid={rid}[&$version={n}]` | hub → module |
//! | `$iothub/twin/PATCH/properties/reported/?$rid={rid}` | module → hub |
//! | `$iothub/twin/PATCH/properties/desired/?$version={n}` | hub → module |
//! | `$iothub/methods/POST/{name}/?$rid={rid}` | hub → module |
//! | `$iothub/methods/res/{status}/?$rid={rid}` | module → hub |
//! | `devices/{d}/modules/{m}/messages/events/{properties}` | module → hub |
//! | `devices/{d}/modules/{m}/inputs/{input}/{properties}` | hub → module |

use std::fmt;

use crate::encoding::{DecodeError, decode_component, encode_component};
use crate::ids::{DeviceId, IdError, MethodName, ModuleId, RequestId};
use crate::property_bag::PropertyBag;
use crate::twin::TwinVersion;

/// Subscription filter for twin responses (an exact string for edgeHub).
pub const TWIN_RESPONSES_FILTER: &str = "$iothub/twin/res/#";
/// Subscription filter for desired-property notifications.
pub const DESIRED_PATCHES_FILTER: &str = "$iothub/twin/PATCH/properties/desired/#";
/// Subscription filter for direct-method requests.
pub const METHOD_REQUESTS_FILTER: &str = "$iothub/methods/POST/#";

/// Subscription filter for a module's input messages, as the Python SDK sends it.
#[must_use]
pub fn module_inputs_filter(device: &DeviceId, module: &ModuleId) -> String {
    format!("devices/{device}/modules/{module}/inputs/#")
}

/// A topic filter that edgeHub recognises in a SUBSCRIBE (edgeHub `SessionStateParser.cs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscription {
    /// `$iothub/methods/POST/…`: direct-method requests.
    Methods,
    /// `$iothub/twin/PATCH/properties/desired/…`: desired-property notifications.
    DesiredPatches,
    /// Exactly `$iothub/twin/res/#`: twin responses.
    TwinResponses,
    /// `…messages/devicebound/#`: cloud-to-device messages (devices only).
    CloudToDevice,
    /// `devices/{d}/modules/{m}/…/#`: module input messages.
    ModuleInputs,
}

impl Subscription {
    /// Classifies a SUBSCRIBE filter; `None` is edgeHub's "Ignoring unknown subscription".
    #[must_use]
    pub fn classify(filter: &str) -> Option<Self> {
        if filter.starts_with("$iothub/methods/POST/") {
            Some(Self::Methods)
        } else if filter.starts_with("$iothub/twin/PATCH/properties/desired/") {
            Some(Self::DesiredPatches)
        } else if filter == TWIN_RESPONSES_FILTER {
            Some(Self::TwinResponses)
        } else if filter.ends_with("messages/devicebound/#") {
            Some(Self::CloudToDevice)
        } else if is_module_inputs_filter(filter) {
            Some(Self::ModuleInputs)
        } else {
            None
        }
    }
}

// edgeHub's regex `^devices/.+/modules/.+/#$`.
fn is_module_inputs_filter(filter: &str) -> bool {
    filter
        .strip_prefix("devices/")
        .and_then(|rest| rest.strip_suffix("/#"))
        .and_then(|middle| middle.split_once("/modules/"))
        .is_some_and(|(device, module)| !device.is_empty() && !module.is_empty())
}

/// A parsed topic name of the module protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// Twin GET request.
    TwinGet {
        /// Correlates the response.
        rid: RequestId,
    },
    /// Response to a twin GET or reported PATCH.
    TwinResponse {
        /// HTTP-like status: 200 (GET), 204 (PATCH), 400, 429, 5xx.
        status: u16,
        /// The request this answers.
        rid: RequestId,
        /// New reported version; IoT Hub sends it on 204, edgeHub does not.
        version: Option<TwinVersion>,
    },
    /// Reported-properties PATCH request.
    ReportedPatch {
        /// Correlates the response.
        rid: RequestId,
    },
    /// Desired-properties notification.
    DesiredPatch {
        /// The desired `$version` after this patch.
        version: TwinVersion,
    },
    /// Direct-method request.
    MethodRequest {
        /// The method name.
        name: MethodName,
        /// Correlates the response.
        rid: RequestId,
    },
    /// Direct-method response.
    MethodResponse {
        /// Any integer the module chooses.
        status: i32,
        /// The request this answers.
        rid: RequestId,
    },
    /// Telemetry or output message sent by a module.
    ModuleEvent {
        /// The sending device.
        device: DeviceId,
        /// The sending module.
        module: ModuleId,
        /// Message properties (`$.on` names the output).
        properties: PropertyBag,
    },
    /// Message delivered to a module input.
    ModuleInput {
        /// The receiving device.
        device: DeviceId,
        /// The receiving module.
        module: ModuleId,
        /// The input name.
        input: String,
        /// Message properties.
        properties: PropertyBag,
    },
}

/// Why a topic name could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicError {
    /// The topic matches none of the protocol's templates.
    #[error("unknown topic {0:?}")]
    Unknown(String),
    /// A required query parameter (`$rid`, `$version`) is missing or empty.
    #[error("topic lacks the {0} parameter")]
    MissingParameter(&'static str),
    /// A status or version is not a number.
    #[error("topic has a non-numeric {what}: {value:?}")]
    NotANumber {
        /// `status` or `$version`.
        what: &'static str,
        /// The text found.
        value: String,
    },
    /// A topic level or parameter has invalid percent-encoding.
    #[error("topic has invalid percent-encoding")]
    Encoding(#[source] DecodeError),
    /// A device, module, request id or method name is not valid.
    #[error("topic holds an invalid identifier")]
    Id(#[source] IdError),
}

impl From<DecodeError> for TopicError {
    fn from(e: DecodeError) -> Self {
        Self::Encoding(e)
    }
}

impl From<IdError> for TopicError {
    fn from(e: IdError) -> Self {
        Self::Id(e)
    }
}

/// The `key=value` parameters after `?`, percent-decoded.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: &str) -> Result<Self, TopicError> {
        let mut pairs = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            pairs.push((
                decode_component(k)?.into_owned(),
                decode_component(v)?.into_owned(),
            ));
        }
        Ok(Self(pairs))
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    fn rid(&self) -> Result<RequestId, TopicError> {
        let rid = self
            .get("$rid")
            .ok_or(TopicError::MissingParameter("$rid"))?;
        Ok(RequestId::new(rid)?)
    }

    fn version(&self) -> Result<Option<TwinVersion>, TopicError> {
        self.get("$version")
            .map(|v| {
                v.parse().map_err(|_| TopicError::NotANumber {
                    what: "$version",
                    value: v.to_owned(),
                })
            })
            .transpose()
    }
}

fn parse_status<T: std::str::FromStr>(s: &str) -> Result<T, TopicError> {
    s.parse().map_err(|_| TopicError::NotANumber {
        what: "status",
        value: s.to_owned(),
    })
}

impl Topic {
    /// Parses a topic name received in a PUBLISH.
    pub fn parse(topic: &str) -> Result<Self, TopicError> {
        let unknown = || TopicError::Unknown(topic.to_owned());
        if let Some(rest) = topic.strip_prefix("$iothub/") {
            // `…/GET/?$rid=1`; a missing `/` before `?` is tolerated.
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            let path = path.strip_suffix('/').unwrap_or(path);
            let query = Query::parse(query)?;
            let levels: Vec<&str> = path.split('/').collect();
            return match levels.as_slice() {
                ["twin", "GET"] => Ok(Self::TwinGet { rid: query.rid()? }),
                ["twin", "res", status] => Ok(Self::TwinResponse {
                    status: parse_status(status)?,
                    rid: query.rid()?,
                    version: query.version()?,
                }),
                ["twin", "PATCH", "properties", "reported"] => {
                    Ok(Self::ReportedPatch { rid: query.rid()? })
                }
                ["twin", "PATCH", "properties", "desired"] => Ok(Self::DesiredPatch {
                    version: query
                        .version()?
                        .ok_or(TopicError::MissingParameter("$version"))?,
                }),
                ["methods", "POST", name] => Ok(Self::MethodRequest {
                    name: MethodName::new(*name)?,
                    rid: query.rid()?,
                }),
                ["methods", "res", status] => Ok(Self::MethodResponse {
                    status: parse_status(status)?,
                    rid: query.rid()?,
                }),
                _ => Err(unknown()),
            };
        }
        let rest = topic.strip_prefix("devices/").ok_or_else(unknown)?;
        let mut levels = rest.splitn(4, '/');
        let (Some(device), Some("modules"), Some(module), Some(tail)) =
            (levels.next(), levels.next(), levels.next(), levels.next())
        else {
            return Err(unknown());
        };
        let device = DeviceId::new(device)?;
        let module = ModuleId::new(module)?;
        if let Some(bag) = tail.strip_prefix("messages/events").and_then(|t| {
            if t.is_empty() {
                Some(t)
            } else {
                t.strip_prefix('/')
            }
        }) {
            return Ok(Self::ModuleEvent {
                device,
                module,
                properties: PropertyBag::parse(bag)?,
            });
        }
        if let Some(input_and_bag) = tail.strip_prefix("inputs/") {
            let (input, bag) = input_and_bag.split_once('/').unwrap_or((input_and_bag, ""));
            let input = decode_component(input)?;
            if input.is_empty() {
                return Err(unknown());
            }
            return Ok(Self::ModuleInput {
                device,
                module,
                input: input.into_owned(),
                properties: PropertyBag::parse(bag)?,
            });
        }
        Err(unknown())
    }
}

impl fmt::Display for Topic {
    /// Formats the topic exactly as the SDKs and edgeHub put it on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The Python SDK encodes `$rid` with `quote(rid, safe="")`; for UUIDs and integers
        // that is the identity.
        let rid = |rid: &RequestId| encode_component(rid.as_str()).into_owned();
        match self {
            Self::TwinGet { rid: r } => write!(f, "$iothub/twin/GET/?$rid={}", rid(r)),
            Self::TwinResponse {
                status,
                rid: r,
                version,
            } => {
                write!(f, "$iothub/twin/res/{status}/?$rid={}", rid(r))?;
                if let Some(v) = version {
                    write!(f, "&$version={v}")?;
                }
                Ok(())
            }
            Self::ReportedPatch { rid: r } => {
                write!(f, "$iothub/twin/PATCH/properties/reported/?$rid={}", rid(r))
            }
            Self::DesiredPatch { version } => {
                write!(
                    f,
                    "$iothub/twin/PATCH/properties/desired/?$version={version}"
                )
            }
            Self::MethodRequest { name, rid: r } => {
                write!(f, "$iothub/methods/POST/{name}/?$rid={}", rid(r))
            }
            Self::MethodResponse { status, rid: r } => {
                write!(f, "$iothub/methods/res/{status}/?$rid={}", rid(r))
            }
            Self::ModuleEvent {
                device,
                module,
                properties,
            } => write!(
                f,
                "devices/{device}/modules/{module}/messages/events/{properties}"
            ),
            Self::ModuleInput {
                device,
                module,
                input,
                properties,
            } => write!(
                f,
                "devices/{device}/modules/{module}/inputs/{}/{properties}",
                encode_component(input)
            ),
        }
    }
}
