//! Deployment manifests: typed `modulesContent`, chunked `createOptions`, schema versions and
//! template generation.

mod create_options;
mod deployment;
mod schema_version;
mod template;

pub use create_options::{CHUNK_CHARS, CreateOptions, CreateOptionsError, MAX_CHUNKS, chunk_key};
pub use deployment::{
    DeploymentManifest, EdgeAgentDesired, EdgeAgentModule, EdgeHubDesired, EnvValue, EnvVar,
    ImagePullPolicy, ManifestError, ModuleExit, ModuleSettings, ModuleSpec, ModuleStatus,
    ModuleType, ModulesContent, RegistryCredential, RestartPolicy, Route, Runtime, RuntimeSettings,
    StoreAndForward, SystemModules, TwinContent,
};
pub use schema_version::{SchemaVersion, SchemaVersionError};
pub use template::{Placeholder, expand_text, expand_value, generate};
