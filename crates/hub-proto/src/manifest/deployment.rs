//! Deployment manifest types: `modulesContent` with `$edgeAgent`, `$edgeHub` and module twins.
//!
//! Field set from the SchemaStore deployment schemas and docs/reference/iot-edge.md §3.1. Unknown
//! members of typed objects are ignored, as edgeAgent does; module twins' desired properties are
//! kept as raw JSON.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::Error as _;
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Number, Value};

use super::create_options::CreateOptions;

/// A deployment manifest: a template (`deployment.template.json`) or a generated
/// `deployment.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentManifest {
    /// `$schema-template` of a template (`4.0.0`); removed on generation.
    #[serde(
        rename = "$schema-template",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schema_template: Option<String>,
    /// The desired properties of every twin the deployment sets.
    #[serde(rename = "modulesContent")]
    pub modules_content: ModulesContent,
}

/// Why a manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The manifest is not JSON of the manifest's shape.
    #[error("deployment manifest is invalid")]
    Json(#[source] serde_json::Error),
    /// The manifest is JSON but not an object.
    #[error("deployment manifest is not a json object")]
    NotAnObject,
}

impl DeploymentManifest {
    /// Parses a manifest from JSON bytes.
    pub fn from_slice(json: &[u8]) -> Result<Self, ManifestError> {
        Self::from_value(serde_json::from_slice(json).map_err(ManifestError::Json)?)
    }

    /// Parses a manifest from a JSON value.
    pub fn from_value(json: Value) -> Result<Self, ManifestError> {
        // serde would also accept an array for the struct; a manifest is an object.
        if !json.is_object() {
            return Err(ManifestError::NotAnObject);
        }
        serde_json::from_value(json).map_err(ManifestError::Json)
    }

    /// The manifest as JSON, with `createOptions` in 512-character chunks.
    pub fn to_value(&self) -> Result<Value, ManifestError> {
        serde_json::to_value(self).map_err(ManifestError::Json)
    }
}

/// `modulesContent`: `$edgeAgent`, `$edgeHub` and one entry per module twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModulesContent {
    /// `$edgeAgent.properties.desired`.
    #[serde(rename = "$edgeAgent")]
    pub edge_agent: TwinContent<EdgeAgentDesired>,
    /// `$edgeHub.properties.desired`.
    #[serde(rename = "$edgeHub")]
    pub edge_hub: TwinContent<EdgeHubDesired>,
    /// Other modules' desired properties, which overwrite those twins' desired sections.
    #[serde(flatten)]
    pub modules: BTreeMap<String, TwinContent<Map<String, Value>>>,
}

/// A twin entry of `modulesContent`: `{"properties.desired": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwinContent<T> {
    /// The desired properties.
    #[serde(rename = "properties.desired")]
    pub desired: T,
}

/// `$edgeAgent`'s desired properties: runtime and modules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeAgentDesired {
    /// `1.0` or `1.1` (see [`super::SchemaVersion`]).
    pub schema_version: String,
    /// The container runtime.
    pub runtime: Runtime,
    /// edgeAgent and edgeHub.
    pub system_modules: SystemModules,
    /// User modules by name.
    #[serde(default)]
    pub modules: BTreeMap<String, ModuleSpec>,
}

impl EdgeAgentDesired {
    /// User modules in start order: ascending `startupOrder` (absent = last), then by name.
    #[must_use]
    pub fn modules_in_startup_order(&self) -> Vec<(&str, &ModuleSpec)> {
        let mut modules: Vec<(&str, &ModuleSpec)> =
            self.modules.iter().map(|(k, v)| (k.as_str(), v)).collect();
        modules.sort_by_key(|(name, spec)| (spec.startup_order(), *name));
        modules
    }
}

/// The `runtime` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Runtime {
    /// Always `docker`.
    #[serde(rename = "type")]
    pub kind: ModuleType,
    /// Runtime settings.
    #[serde(default)]
    pub settings: RuntimeSettings,
}

/// `runtime.settings`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeSettings {
    /// Minimum Docker version, e.g. `v1.25`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_docker_version: Option<String>,
    /// Docker logging options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging_options: Option<String>,
    /// Registry credentials by name.
    #[serde(default)]
    pub registry_credentials: BTreeMap<String, RegistryCredential>,
}

/// A container registry login.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryCredential {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Registry address.
    pub address: String,
}

impl fmt::Debug for RegistryCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryCredential")
            .field("username", &self.username)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// `systemModules`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemModules {
    /// The edgeAgent module.
    #[serde(rename = "edgeAgent")]
    pub edge_agent: EdgeAgentModule,
    /// The edgeHub module.
    #[serde(rename = "edgeHub")]
    pub edge_hub: ModuleSpec,
}

/// `systemModules.edgeAgent`: no status or restart policy (it is always running).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeAgentModule {
    /// Always `docker`.
    #[serde(rename = "type")]
    pub kind: ModuleType,
    /// Image and create options.
    pub settings: ModuleSettings,
    /// Environment variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, EnvVar>,
    /// When to pull the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
}

/// A module of `modules` (and `systemModules.edgeHub`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleSpec {
    /// Free-form module version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Always `docker`.
    #[serde(rename = "type")]
    pub kind: ModuleType,
    /// Whether the module should run.
    pub status: ModuleStatus,
    /// When to restart it.
    pub restart_policy: RestartPolicy,
    /// When to pull the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Start order (lower first); absent means last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_order: Option<u32>,
    /// Image and create options.
    pub settings: ModuleSettings,
    /// Environment variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, EnvVar>,
}

impl ModuleSpec {
    /// The effective start order: the given one, else `u32::MAX` (edgeAgent's default).
    #[must_use]
    pub fn startup_order(&self) -> u32 {
        self.startup_order.unwrap_or(u32::MAX)
    }
}

/// `type` of a module or runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleType {
    /// A Docker container.
    Docker,
}

/// Desired `status` of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleStatus {
    /// Keep it running.
    Running,
    /// Keep it stopped.
    Stopped,
}

/// How a module ended, for [`RestartPolicy::restarts_after`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleExit {
    /// Exited with status 0.
    Success,
    /// Exited with a non-zero status or was killed.
    Failure,
    /// Still running but reported unhealthy.
    Unhealthy,
}

/// `restartPolicy` of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestartPolicy {
    /// Never restart.
    Never,
    /// Restart after a crash, not after a clean exit.
    OnFailure,
    /// Restart after a crash or when unhealthy.
    OnUnhealthy,
    /// Restart after any exit, and when unhealthy.
    Always,
}

impl RestartPolicy {
    /// Whether edgeAgent restarts a module with this policy after `exit` (IoT Edge docs,
    /// "module composition": restart policies).
    #[must_use]
    pub fn restarts_after(self, exit: ModuleExit) -> bool {
        match self {
            Self::Never => false,
            Self::OnFailure => exit == ModuleExit::Failure,
            Self::OnUnhealthy => exit != ModuleExit::Success,
            Self::Always => true,
        }
    }
}

/// `imagePullPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImagePullPolicy {
    /// Pull when the module is created.
    OnCreate,
    /// Never pull.
    Never,
}

/// An `env` entry: `{"value": string | number | bool}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvVar {
    /// The value.
    pub value: EnvValue,
}

/// The value of an `env` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EnvValue {
    /// A string.
    String(String),
    /// A number.
    Number(Number),
    /// A boolean.
    Bool(bool),
}

impl fmt::Display for EnvValue {
    /// The text the variable is set to: strings as is, numbers and booleans as JSON.
    ///
    /// edgeAgent reads `value` into a .NET string; depending on the reader path a boolean may
    /// come out as `True` there. `true` is what the JSON says and what a POSIX tool expects.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(s) => f.write_str(s),
            Self::Number(n) => n.fmt(f),
            Self::Bool(b) => b.fmt(f),
        }
    }
}

/// A module's `settings`: image, create options (joined from chunks) and digest.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleSettings {
    /// The image reference (or a `${MODULES.…}` placeholder in a template).
    pub image: String,
    /// The joined `createOptions`, if any chunk is present.
    pub create_options: Option<CreateOptions>,
    /// Image digest pin.
    pub digest: Option<String>,
}

impl<'de> Deserialize<'de> for ModuleSettings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Map::<String, Value>::deserialize(deserializer)?;
        let image = match raw.get("image") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(D::Error::custom("settings.image is not a string")),
            None => return Err(D::Error::missing_field("image")),
        };
        let digest = match raw.get("digest") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(D::Error::custom("settings.digest is not a string")),
            None => None,
        };
        let create_options = CreateOptions::from_settings(&raw).map_err(D::Error::custom)?;
        Ok(Self {
            image,
            create_options,
            digest,
        })
    }
}

impl Serialize for ModuleSettings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let chunks = match &self.create_options {
            Some(options) => options.chunks().map_err(S::Error::custom)?,
            None => Vec::new(),
        };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("image", &self.image)?;
        for (key, chunk) in &chunks {
            map.serialize_entry(key, chunk)?;
        }
        if let Some(digest) = &self.digest {
            map.serialize_entry("digest", digest)?;
        }
        map.end()
    }
}

/// `$edgeHub`'s desired properties: routes and store-and-forward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeHubDesired {
    /// `1.0` … `1.3`.
    pub schema_version: String,
    /// Routes by name.
    #[serde(default)]
    pub routes: BTreeMap<String, Route>,
    /// Store-and-forward settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_and_forward_configuration: Option<StoreAndForward>,
    /// Other members (`mqttBroker`, `integrity`, …), kept as JSON.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A route: `FROM … [WHERE …] INTO …`, with priority and TTL from schema 1.1 on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Route {
    /// The route text only.
    Plain(String),
    /// The route with its options.
    Detailed {
        /// The route text.
        route: String,
        /// 0 (highest) … 9.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<u8>,
        /// Message time to live in seconds.
        #[serde(
            rename = "timeToLiveSecs",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        time_to_live_secs: Option<u32>,
    },
}

impl Route {
    /// The route text.
    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            Self::Plain(route) | Self::Detailed { route, .. } => route,
        }
    }
}

/// `storeAndForwardConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreAndForward {
    /// How long edgeHub keeps undelivered messages.
    pub time_to_live_secs: u32,
}
