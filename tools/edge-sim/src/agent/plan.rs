//! From a deployment manifest (or template) to the processes edge-sim runs: placeholders
//! expanded, images resolved to executables (a container image becomes a module edge-sim
//! cannot run, [`Program::Image`]), `env` and `createOptions` mapped, container paths
//! (`WorkingDir`, volume targets) mapped into the module's directory (see `docs/edge-sim.md`,
//! "Manifest fields").
//!
//! Pure apart from [`cargo_package_name`], which reads a module's `Cargo.toml`, and the
//! existence check of executables; directories are only computed here, the driver creates
//! them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hub_proto::ManifestError;
use hub_proto::ModuleId;
use hub_proto::manifest::{
    CreateOptionsError, DeploymentManifest, ModuleSpec, ModuleStatus, Placeholder, RestartPolicy,
    generate,
};
use serde_json::{Map, Value};

/// The variable carrying a module's `createOptions.Hostname` (processes share the host name).
pub const HOSTNAME_VAR: &str = "IOTEDGE_SIM_HOSTNAME";

/// The names the deployment's modules are reached by on a container network (each module's
/// name and its `createOptions.Hostname`) as `name=127.0.0.1,…`, sorted: on edge-sim every
/// module is a process on this machine. A module that dials another by its host name (the
/// OPC client its server) maps it with this list (`EDGE_SIM_HOSTS`).
#[must_use]
pub fn host_aliases(modules: &[ModulePlan]) -> String {
    let mut names: Vec<String> = modules
        .iter()
        .flat_map(|m| [Some(m.name.to_string()), m.env.get(HOSTNAME_VAR).cloned()])
        .flatten()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    names
        .iter()
        .map(|n| format!("{n}=127.0.0.1"))
        .collect::<Vec<_>>()
        .join(",")
}
/// The prefix of the variables naming a volume's host directory by its container path.
pub const VOLUME_VAR_PREFIX: &str = "EDGE_SIM_VOLUME_";
/// The host paths of the runtime's management socket that deployments bind into a module
/// (`"Binds": ["/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock"]`); such a bind is not
/// a volume but gives the module the management API ([`ModulePlan::management`]).
pub const MANAGEMENT_SOCKETS: [&str; 2] = ["/var/run/iotedge/mgmt.sock", "/run/iotedge/mgmt.sock"];

/// Where images and variables come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOptions {
    /// The repository root: `${MODULES.<dir>}` is `<repo_root>/modules/<dir>`.
    pub repo_root: PathBuf,
    /// Cargo's target directory (`CARGO_TARGET_DIR`, else `<repo_root>/target`).
    pub target_dir: PathBuf,
    /// The Cargo profile directory under the target directory (`debug`, `release`).
    pub profile: String,
    /// Variables for `${NAME}` / `$NAME` (the process environment, usually).
    pub vars: BTreeMap<String, String>,
    /// The simulator's state directory (volumes live in `<state>/volumes/<name>`).
    pub state_dir: PathBuf,
}

/// Why a manifest cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The manifest is not a deployment manifest.
    #[error("not a deployment manifest")]
    Manifest(#[from] ManifestError),
    /// `${MODULES.<dir>}` names a directory without a readable `Cargo.toml` package name.
    #[error("cannot find the cargo package of {dir}")]
    ModuleDir {
        /// The module directory.
        dir: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The module's binary has not been built.
    #[error("{path} does not exist: run `cargo build -p {package}` first")]
    NotBuilt {
        /// The expected binary.
        path: PathBuf,
        /// The cargo package to build.
        package: String,
    },
    /// A module name is not a valid module id.
    #[error("invalid module name {0:?}")]
    ModuleName(String),
    /// `createOptions` is not a JSON object.
    #[error("module {module}: invalid createOptions")]
    CreateOptions {
        /// The module.
        module: String,
        /// The cause.
        #[source]
        source: CreateOptionsError,
    },
    /// A bind or mount cannot be mapped.
    #[error("module {module}: cannot map volume {spec:?}")]
    Volume {
        /// The module.
        module: String,
        /// The bind or mount.
        spec: String,
    },
}

/// A volume: a host directory and the container path it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// The host directory (`<state>/volumes/<name>` for named volumes).
    pub host: PathBuf,
    /// The container path (`/appdata`).
    pub target: String,
}

/// What a module's expanded `settings.image` stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// An absolute path (a `${MODULES.<dir>}` binary, or a path written in the manifest): run
    /// as a process.
    Executable(PathBuf),
    /// Anything else, i.e. a container image (`mcr.microsoft.com/iotedge/opc-plc:2.14`): the
    /// module gets its identity and twin but no process, and is reported as not runnable
    /// ([`ModulePlan::not_runnable`]).
    Image(String),
}

impl Program {
    /// An absolute path is an executable, anything else an image.
    #[must_use]
    pub fn of(image: &str) -> Self {
        let path = Path::new(image);
        if path.is_absolute() {
            Self::Executable(path.to_owned())
        } else {
            Self::Image(image.to_owned())
        }
    }
}

/// One module as a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModulePlan {
    /// The module id.
    pub name: ModuleId,
    /// The expanded image: an executable, or a container image edge-sim cannot run.
    pub program: Program,
    /// `Entrypoint` then `Cmd` of `createOptions`.
    pub args: Vec<String>,
    /// The manifest's `env`, `createOptions.Env`, [`HOSTNAME_VAR`] and the volume variables.
    pub env: BTreeMap<String, String>,
    /// Volumes from `HostConfig.Binds` and `HostConfig.Mounts`.
    pub volumes: Vec<Volume>,
    /// `createOptions.WorkingDir` as a normalised container path ([`container_path`]); `/`
    /// when not given. The process runs in the directory standing for it ([`Self::workdir`]).
    pub working_dir: String,
    /// Whether a bind or mount has the runtime's management socket as its source (one of
    /// [`MANAGEMENT_SOCKETS`]): the module gets its own management API socket.
    pub management: bool,
    /// Desired status.
    pub status: ModuleStatus,
    /// Restart policy.
    pub restart_policy: RestartPolicy,
    /// `startupOrder` (absent = `u32::MAX`).
    pub startup_order: u32,
}

impl ModulePlan {
    /// Why edge-sim cannot run the module (the `statusDescription` it reports), `None` for
    /// an executable.
    #[must_use]
    pub fn not_runnable(&self) -> Option<String> {
        match &self.program {
            Program::Executable(_) => None,
            Program::Image(image) => Some(format!(
                "image {image} cannot run as a process on edge-sim: use ${{MODULES.<dir>}} or an absolute path to an executable"
            )),
        }
    }

    /// The directory standing for the container's `/`: `<state>/modules/<m>/`.
    #[must_use]
    pub fn root(&self, state_dir: &Path) -> PathBuf {
        state_dir.join("modules").join(self.name.as_str())
    }

    /// The host directory the process runs in: the container path [`Self::working_dir`]
    /// under [`Self::root`] (`/appdata` → `<state>/modules/<m>/appdata`).
    #[must_use]
    pub fn workdir(&self, state_dir: &Path) -> PathBuf {
        host_path(&self.root(state_dir), &self.working_dir)
    }
}

/// A container path normalised lexically like Docker's (Go's `path.Clean` on an absolute
/// path): a relative path is taken relative to `/`, `.` and empty components are dropped,
/// `..` removes the previous component (never above `/`), no trailing `/`
/// (`appdata/./pki/` → `/appdata/pki`, `/../x` → `/x`).
#[must_use]
pub fn container_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The host path standing for the container path `path` in a module whose `/` is `root`:
/// `root` joined with the normalised path without its leading `/`.
#[must_use]
pub fn host_path(root: &Path, path: &str) -> PathBuf {
    let normalised = container_path(path);
    let relative = normalised.trim_start_matches('/');
    if relative.is_empty() {
        root.to_owned()
    } else {
        root.join(relative)
    }
}

/// A manifest ready to run.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// The generated manifest.
    pub manifest: DeploymentManifest,
    /// The expanded `modulesContent`, as seeded into the twins.
    pub modules_content: Map<String, Value>,
    /// User modules in start order.
    pub modules: Vec<ModulePlan>,
    /// The options it was planned with (a later desired deployment is planned the same way).
    pub options: PlanOptions,
}

/// Expands `template` and maps every user module to a process (or, for a container image, to
/// a module that gets its identity and twin but does not run).
pub fn plan(template: &Value, options: &PlanOptions) -> Result<Deployment, PlanError> {
    let mut failure = None;
    let mut resolve = |p: &Placeholder<'_>| match p {
        Placeholder::ModuleImage { folder, .. } => match module_binary(options, folder) {
            Ok(path) => Some(path.display().to_string()),
            Err(e) => {
                failure.get_or_insert(e);
                None
            }
        },
        Placeholder::ModuleDir { .. } => None,
        Placeholder::Variable(name) => options.vars.get(*name).cloned(),
    };
    let manifest = generate(template, &mut resolve)?;
    if let Some(e) = failure {
        return Err(e);
    }
    let expanded = manifest.to_value()?;
    let modules_content = expanded
        .get("modulesContent")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let agent = &manifest.modules_content.edge_agent.desired;
    let modules = agent
        .modules_in_startup_order()
        .into_iter()
        .map(|(name, spec)| module_plan(name, spec, &options.state_dir))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Deployment {
        manifest,
        modules_content,
        modules,
        options: options.clone(),
    })
}

/// The binary of `modules/<dir>`: `<target_dir>/<profile>/<package name>`, the package name
/// read from `modules/<dir>/Cargo.toml` (a module crate's binary is named like its package).
/// Always an absolute path (a relative target directory is taken relative to edge-sim's
/// working directory): the module runs in another directory, and only an absolute image is
/// run as a process ([`Program::of`]).
pub fn module_binary(options: &PlanOptions, dir: &str) -> Result<PathBuf, PlanError> {
    let module_dir = options.repo_root.join("modules").join(dir);
    let package = cargo_package_name(&module_dir)?;
    let relative = options.target_dir.join(&options.profile).join(&package);
    let path = std::path::absolute(&relative).unwrap_or(relative);
    if path.is_file() {
        Ok(path)
    } else {
        Err(PlanError::NotBuilt { path, package })
    }
}

/// The `name` of the `[package]` table of `<dir>/Cargo.toml`.
pub fn cargo_package_name(dir: &Path) -> Result<String, PlanError> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|source| PlanError::ModuleDir {
        dir: dir.to_owned(),
        source,
    })?;
    package_name(&text).ok_or_else(|| PlanError::ModuleDir {
        dir: dir.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "no name in the [package] table",
        ),
    })
}

/// Finds `name = "…"` in the `[package]` table of a `Cargo.toml` text.
fn package_name(text: &str) -> Option<String> {
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if in_package
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "name"
        {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

fn module_plan(name: &str, spec: &ModuleSpec, state_dir: &Path) -> Result<ModulePlan, PlanError> {
    let module = ModuleId::new(name).map_err(|_| PlanError::ModuleName(name.to_owned()))?;
    let program = Program::of(&spec.settings.image);
    let mut env: BTreeMap<String, String> = spec
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.value.to_string()))
        .collect();
    let options = match &spec.settings.create_options {
        Some(options) => options
            .to_json()
            .map_err(|source| PlanError::CreateOptions {
                module: name.to_owned(),
                source,
            })?
            .unwrap_or_default(),
        None => Map::new(),
    };
    let mut args = strings(options.get("Entrypoint"));
    args.extend(strings(options.get("Cmd")));
    for entry in strings(options.get("Env")) {
        if let Some((k, v)) = entry.split_once('=') {
            env.entry(k.to_owned()).or_insert_with(|| v.to_owned());
        }
    }
    if let Some(host) = options.get("Hostname").and_then(Value::as_str) {
        env.insert(HOSTNAME_VAR.to_owned(), host.to_owned());
    }
    let working_dir = container_path(
        options
            .get("WorkingDir")
            .and_then(Value::as_str)
            .unwrap_or("/"),
    );
    let Mapped {
        volumes,
        management,
    } = volumes(name, &options, state_dir)?;
    for volume in &volumes {
        env.insert(
            volume_var(&volume.target),
            volume.host.display().to_string(),
        );
    }
    Ok(ModulePlan {
        name: module,
        program,
        args,
        env,
        volumes,
        working_dir,
        management,
        status: spec.status,
        restart_policy: spec.restart_policy,
        startup_order: spec.startup_order(),
    })
}

/// `EDGE_SIM_VOLUME_<TARGET>`: the container path upper-cased, every other character than
/// ASCII letters and digits turned into `_`, leading and trailing `_` dropped
/// (`/appdata/pki` → `EDGE_SIM_VOLUME_APPDATA_PKI`).
#[must_use]
pub fn volume_var(target: &str) -> String {
    let name: String = target
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{VOLUME_VAR_PREFIX}{}", name.trim_matches('_'))
}

/// A string or an array of strings (Docker accepts both for `Cmd` and `Entrypoint`).
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What the binds and mounts of a module map to.
struct Mapped {
    volumes: Vec<Volume>,
    /// The management socket is bound.
    management: bool,
}

fn volumes(
    module: &str,
    options: &Map<String, Value>,
    state_dir: &Path,
) -> Result<Mapped, PlanError> {
    let host_config = options.get("HostConfig");
    let bad = |spec: String| PlanError::Volume {
        module: module.to_owned(),
        spec,
    };
    let mut out = Mapped {
        volumes: Vec::new(),
        management: false,
    };
    let mut add =
        |source: &str, target: &str, spec: &dyn Fn() -> String| -> Result<(), PlanError> {
            if MANAGEMENT_SOCKETS.contains(&source) {
                out.management = true;
                return Ok(());
            }
            out.volumes
                .push(volume(source, target, state_dir).ok_or_else(|| bad(spec()))?);
            Ok(())
        };
    for bind in strings(host_config.and_then(|h| h.get("Binds"))) {
        // Docker: `source:target[:options]`.
        let mut parts = bind.splitn(3, ':');
        let (Some(source), Some(target)) = (parts.next(), parts.next()) else {
            return Err(bad(bind));
        };
        add(source, target, &|| bind.clone())?;
    }
    if let Some(Value::Array(mounts)) = host_config.and_then(|h| h.get("Mounts")) {
        for mount in mounts {
            let field = |k: &str| mount.get(k).and_then(Value::as_str);
            let (Some(source), Some(target)) = (field("Source"), field("Target")) else {
                return Err(bad(mount.to_string()));
            };
            add(source, target, &|| mount.to_string())?;
        }
    }
    Ok(out)
}

/// A named volume maps to `<state>/volumes/<name>`, an absolute source to itself; the target
/// must be an absolute container path other than `/` and is normalised ([`container_path`]).
fn volume(source: &str, target: &str, state_dir: &Path) -> Option<Volume> {
    if source.is_empty() || !target.starts_with('/') {
        return None;
    }
    let target = container_path(target);
    if target == "/" {
        return None;
    }
    let host = if source.starts_with('/') {
        PathBuf::from(source)
    } else if source.contains('/') || source == "." || source == ".." {
        return None;
    } else {
        state_dir.join("volumes").join(source)
    };
    Some(Volume { host, target })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn options(dir: &Path) -> PlanOptions {
        PlanOptions {
            repo_root: dir.to_owned(),
            target_dir: dir.join("target"),
            profile: "debug".to_owned(),
            vars: BTreeMap::from([("GREETING".to_owned(), "hello".to_owned())]),
            state_dir: dir.join("state"),
        }
    }

    fn template(image: &str, create_options: &Value) -> Value {
        json!({
            "$schema-template": "4.0.0",
            "modulesContent": {
                "$edgeAgent": {"properties.desired": {
                    "schemaVersion": "1.1",
                    "runtime": {"type": "docker", "settings": {}},
                    "systemModules": {
                        "edgeAgent": {"type": "docker", "settings": {"image": "mcr.microsoft.com/azureiotedge-agent:1.5"}},
                        "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                                    "settings": {"image": "mcr.microsoft.com/azureiotedge-hub:1.5"}}
                    },
                    "modules": {
                        "b": {"type": "docker", "status": "running", "restartPolicy": "never", "startupOrder": 2,
                              "settings": {"image": image, "createOptions": create_options.to_string()},
                              "env": {"SAY": {"value": "${GREETING}"}, "N": {"value": 3}}},
                        "a": {"type": "docker", "status": "stopped", "restartPolicy": "on-failure", "startupOrder": 1,
                              "settings": {"image": image}}
                    }
                }},
                "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {}, "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
                "b": {"properties.desired": {"x": "$GREETING"}}
            }
        })
    }

    #[test]
    fn module_names_and_host_names_resolve_to_the_loopback_address() {
        let dir = tempfile::tempdir().unwrap();
        let exe = std::env::current_exe().unwrap();
        let d = plan(
            &template(exe.to_str().unwrap(), &json!({"Hostname": "PLC-1"})),
            &options(dir.path()),
        )
        .unwrap();
        assert_eq!(
            host_aliases(&d.modules),
            "a=127.0.0.1,b=127.0.0.1,plc-1=127.0.0.1"
        );
        assert_eq!(host_aliases(&[]), "");
    }

    #[test]
    fn package_name_is_read_from_the_package_table() {
        let text = "[workspace]\nname = \"no\"\n[package]\nversion = \"1\"\nname = \"opc-plc\"\n";
        assert_eq!(package_name(text).as_deref(), Some("opc-plc"));
        assert_eq!(package_name("[lib]\nname = \"x\"\n"), None);
    }

    #[test]
    fn module_placeholder_resolves_to_the_built_binary_of_the_module_package() {
        let dir = tempfile::tempdir().unwrap();
        let o = options(dir.path());
        std::fs::create_dir_all(dir.path().join("modules/plc")).unwrap();
        std::fs::write(
            dir.path().join("modules/plc/Cargo.toml"),
            "[package]\nname = \"opc-plc\"\n",
        )
        .unwrap();
        let err = plan(&template("${MODULES.plc}", &json!({})), &o).unwrap_err();
        assert!(err.to_string().contains("cargo build -p opc-plc"), "{err}");
        std::fs::create_dir_all(dir.path().join("target/debug")).unwrap();
        std::fs::write(dir.path().join("target/debug/opc-plc"), "").unwrap();
        let d = plan(&template("${MODULES.plc}", &json!({})), &o).unwrap();
        assert_eq!(
            d.modules[0].program,
            Program::Executable(dir.path().join("target/debug/opc-plc"))
        );
    }

    #[test]
    fn a_module_binary_is_absolute_when_the_repository_is_given_relative() {
        // `edge-sim up --manifest deployment.template.json` in the repository: the manifest's
        // directory, the default repository, is the empty path.
        let dir = tempfile::tempdir().unwrap();
        // The temporary directory as a path relative to the working directory.
        let cwd = std::env::current_dir().unwrap();
        let mut relative: PathBuf = cwd.components().skip(1).map(|_| "..").collect();
        relative.push(dir.path().strip_prefix("/").unwrap());
        let relative = relative.as_path();
        assert!(relative.is_relative());
        std::fs::create_dir_all(dir.path().join("modules/plc")).unwrap();
        std::fs::write(
            dir.path().join("modules/plc/Cargo.toml"),
            "[package]\nname = \"opc-plc\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("target/debug")).unwrap();
        std::fs::write(dir.path().join("target/debug/opc-plc"), "").unwrap();
        let mut o = options(relative);
        o.state_dir = dir.path().join("state");
        let d = plan(&template("${MODULES.plc}", &json!({})), &o).unwrap();
        let Program::Executable(program) = &d.modules[0].program else {
            panic!("{:?}", d.modules[0].program);
        };
        assert!(program.is_absolute(), "{}", program.display());
        assert_eq!(
            std::fs::canonicalize(program).unwrap(),
            std::fs::canonicalize(dir.path().join("target/debug/opc-plc")).unwrap()
        );
    }

    #[test]
    fn create_options_become_args_env_and_volumes_in_startup_order() {
        let dir = tempfile::tempdir().unwrap();
        let o = options(dir.path());
        let create = json!({
            "Hostname": "plc",
            "Entrypoint": ["--first"],
            "Cmd": ["--pn=50000", "--autoaccept"],
            "Env": ["EXTRA=1"],
            "HostConfig": {
                "Binds": ["pki:/appdata/pki", "/tmp/abs:/abs:ro"],
                "Mounts": [{"Type": "volume", "Source": "logs", "Target": "/logs"}]
            }
        });
        let d = plan(&template("/bin/true", &create), &o).unwrap();
        let names: Vec<&str> = d.modules.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let b = &d.modules[1];
        assert_eq!(b.args, ["--first", "--pn=50000", "--autoaccept"]);
        assert_eq!(b.env["SAY"], "hello");
        assert_eq!(b.env["N"], "3");
        assert_eq!(b.env["EXTRA"], "1");
        assert_eq!(b.env[HOSTNAME_VAR], "plc");
        let pki = dir.path().join("state/volumes/pki");
        assert_eq!(b.volumes[0].host, pki);
        assert_eq!(b.volumes[1].host, PathBuf::from("/tmp/abs"));
        assert_eq!(b.volumes[2].target, "/logs");
        assert_eq!(
            b.env["EDGE_SIM_VOLUME_APPDATA_PKI"],
            pki.display().to_string()
        );
        assert_eq!(d.modules_content["b"]["properties.desired"]["x"], "hello");
        assert_eq!(d.modules[0].status, ModuleStatus::Stopped);
    }

    #[test]
    fn a_bind_of_the_management_socket_is_no_volume_but_gives_the_management_api() {
        let dir = tempfile::tempdir().unwrap();
        let o = options(dir.path());
        for create in [
            json!({"HostConfig": {"Binds": ["/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock", "pki:/pki"]}}),
            json!({"HostConfig": {"Binds": ["pki:/pki"], "Mounts": [{"Type": "bind", "Source": "/run/iotedge/mgmt.sock", "Target": "/mgmt.sock"}]}}),
        ] {
            let d = plan(&template("/bin/true", &create), &o).unwrap();
            let b = &d.modules[1];
            assert!(b.management, "{create}");
            let targets: Vec<&str> = b.volumes.iter().map(|v| v.target.as_str()).collect();
            assert_eq!(targets, ["/pki"], "{create}");
            assert!(!b.env.keys().any(|k| k.contains("MGMT")), "{:?}", b.env);
        }
        let d = plan(
            &template(
                "/bin/true",
                &json!({"HostConfig": {"Binds": ["/var/run/iotedge/workload.sock:/w.sock"]}}),
            ),
            &o,
        )
        .unwrap();
        assert!(!d.modules[1].management);
        assert!(!d.modules[0].management);
    }

    #[test]
    fn a_container_image_is_planned_as_a_module_that_does_not_run() {
        let dir = tempfile::tempdir().unwrap();
        let image = "mcr.microsoft.com/iotedge/opc-plc:2.14";
        let create = json!({"Cmd": ["--pn=50000"], "HostConfig": {"Binds": ["pki:/app/pki"]}});
        let d = plan(&template(image, &create), &options(dir.path())).unwrap();
        // Both modules (the stopped one too) are planned; their twins are seeded.
        assert_eq!(d.modules.len(), 2);
        for m in &d.modules {
            assert_eq!(m.program, Program::Image(image.to_owned()));
            assert_eq!(
                m.not_runnable().unwrap(),
                "image mcr.microsoft.com/iotedge/opc-plc:2.14 cannot run as a process on edge-sim: \
                 use ${MODULES.<dir>} or an absolute path to an executable"
            );
        }
        assert_eq!(d.modules[1].args, ["--pn=50000"]);
        assert_eq!(d.modules_content["b"]["properties.desired"]["x"], "hello");
        // A relative path is no executable either; an absolute one is.
        assert!(matches!(Program::of("bin/plc"), Program::Image(_)));
        assert_eq!(
            Program::of("/bin/true"),
            Program::Executable(PathBuf::from("/bin/true"))
        );
        let runnable = plan(&template("/bin/true", &create), &options(dir.path())).unwrap();
        assert_eq!(runnable.modules[1].not_runnable(), None);
    }

    #[test]
    fn container_paths_are_normalised_against_the_root() {
        for (path, normalised) in [
            ("/appdata", "/appdata"),
            ("appdata", "/appdata"),
            ("./appdata/./pki/", "/appdata/pki"),
            ("/appdata/../app", "/app"),
            ("/../../x", "/x"),
            ("", "/"),
            ("/", "/"),
            ("//a//b", "/a/b"),
        ] {
            assert_eq!(container_path(path), normalised, "{path:?}");
        }
        let root = Path::new("/state/modules/m");
        assert_eq!(host_path(root, "/"), root);
        assert_eq!(host_path(root, "appdata"), root.join("appdata"));
        assert_eq!(host_path(root, "/a/../../b"), root.join("b"));
    }

    #[test]
    fn working_dir_maps_into_the_module_directory() {
        let dir = tempfile::tempdir().unwrap();
        let o = options(dir.path());
        let create =
            json!({"WorkingDir": "/appdata", "HostConfig": {"Binds": ["pki:/appdata/pki/"]}});
        let d = plan(&template("/bin/true", &create), &o).unwrap();
        let (a, b) = (&d.modules[0], &d.modules[1]);
        let state = dir.path().join("state");
        assert_eq!(b.working_dir, "/appdata");
        assert_eq!(b.root(&state), state.join("modules/b"));
        assert_eq!(b.workdir(&state), state.join("modules/b/appdata"));
        assert_eq!(b.volumes[0].target, "/appdata/pki");
        // Without WorkingDir the process runs in the directory standing for `/`, as before.
        assert_eq!(a.working_dir, "/");
        assert_eq!(a.workdir(&state), state.join("modules/a"));
        let relative = plan(
            &template("/bin/true", &json!({"WorkingDir": "appdata"})),
            &o,
        )
        .unwrap();
        assert_eq!(relative.modules[1].working_dir, "/appdata");
        // A volume on `/` cannot be linked.
        let err = plan(
            &template("/bin/true", &json!({"HostConfig": {"Binds": ["pki:/"]}})),
            &o,
        )
        .unwrap_err();
        assert!(matches!(err, PlanError::Volume { .. }), "{err}");
    }
}
