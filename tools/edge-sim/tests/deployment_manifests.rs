#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The repository's deployment manifests (`deployment.template.json` and the real-device
//! example in `examples/`): each validates against the official template 4.0 schema, its
//! generated manifest (placeholders replaced, createOptions as strings) against deployment
//! 2.0, and edge-sim plans it: our modules as processes that find their stores in the volumes
//! exactly as in their containers, Microsoft's images as modules edge-sim cannot run. No
//! process is started here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use edge_sim::agent::plan::{Deployment, ModulePlan, Program, host_path, plan};
use edge_sim::agent::{PlanOptions, Volume};
use edge_sim::validate::{
    DEPLOYMENT_SCHEMA, TEMPLATE_SCHEMA, schema_for, validate, validate_against,
};
use serde_json::{Value, json};

const TEMPLATE: &str = "deployment.template.json";
const EXAMPLE: &str = "examples/microsoft-opc-apps.deployment.template.json";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(file: &str) -> Value {
    let path = repo().join(file);
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Plans `file` as `edge-sim up --manifest <file> --repo <repo>` would, with stand-ins for the
/// module binaries (plan only checks that they exist) and the variables of iotedgedev's
/// `.env`.
fn planned(file: &str, target: &Path, state: &Path) -> Deployment {
    std::fs::create_dir_all(target.join("debug")).unwrap();
    for binary in ["opc-plc", "opc-client", "cert-agent"] {
        std::fs::write(target.join("debug").join(binary), "").unwrap();
    }
    let vars = BTreeMap::from(
        [
            ("CONTAINER_REGISTRY_SERVER", "localhost:5000"),
            ("CONTAINER_REGISTRY_USERNAME", "user"),
            ("CONTAINER_REGISTRY_PASSWORD", "secret"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    let options = PlanOptions {
        repo_root: repo(),
        target_dir: target.to_owned(),
        profile: "debug".to_owned(),
        vars,
        state_dir: state.to_owned(),
    };
    plan(&read(file), &options).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn problems(found: &[edge_sim::validate::Problem]) -> Vec<String> {
    found.iter().map(ToString::to_string).collect()
}

#[test]
fn both_manifests_validate_as_templates_and_as_generated_manifests() {
    let dir = tempfile::tempdir().unwrap();
    for file in [TEMPLATE, EXAMPLE] {
        let template = read(file);
        assert_eq!(template["$schema-template"], "4.0.0", "{file}");
        assert_eq!(schema_for(&template), TEMPLATE_SCHEMA, "{file}");
        assert_eq!(
            problems(&validate(&template)),
            Vec::<String>::new(),
            "{file}"
        );

        let deployment = planned(file, &dir.path().join("target"), &dir.path().join("state"));
        let generated = deployment.manifest.to_value().unwrap();
        assert!(generated.get("$schema-template").is_none(), "{file}");
        assert_eq!(
            problems(&validate_against(&generated, DEPLOYMENT_SCHEMA)),
            Vec::<String>::new(),
            "{file}: {generated:#}"
        );
        // Every placeholder of ours is replaced; createOptions are strings now.
        let text = generated.to_string();
        assert!(!text.contains("${MODULES."), "{file}");
        assert!(!text.contains("$CONTAINER_REGISTRY"), "{file}");
        let modules = &generated["modulesContent"]["$edgeAgent"]["properties.desired"]["modules"];
        for (name, spec) in modules.as_object().unwrap() {
            assert!(
                spec["settings"]["createOptions"].is_string(),
                "{file}: {name}"
            );
            assert_eq!(spec["restartPolicy"], "always", "{file}: {name}");
        }
        let agent = &generated["modulesContent"]["$edgeAgent"]["properties.desired"];
        assert_eq!(agent["schemaVersion"], "1.1");
        assert_eq!(
            agent["systemModules"]["edgeAgent"]["settings"]["image"],
            "mcr.microsoft.com/azureiotedge-agent:1.5"
        );
        assert_eq!(
            agent["systemModules"]["edgeHub"]["settings"]["image"],
            "mcr.microsoft.com/azureiotedge-hub:1.5"
        );
        let hub = &generated["modulesContent"]["$edgeHub"]["properties.desired"];
        assert_eq!(hub["schemaVersion"], "1.2");
        assert_eq!(hub["storeAndForwardConfiguration"]["timeToLiveSecs"], 7200);
        assert!(!hub["routes"].as_object().unwrap().is_empty());
    }
}

#[test]
fn the_edge_sim_binary_validates_both_manifests() {
    for file in [TEMPLATE, EXAMPLE] {
        let out = Command::new(env!("CARGO_BIN_EXE_edge-sim"))
            .arg("validate")
            .arg(repo().join(file))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{file}: {stdout}");
        assert!(
            stdout.contains(&format!("valid ({TEMPLATE_SCHEMA})")),
            "{stdout}"
        );
    }
}

fn module<'a>(d: &'a Deployment, name: &str) -> &'a ModulePlan {
    d.modules
        .iter()
        .find(|m| m.name.as_str() == name)
        .unwrap_or_else(|| panic!("no module {name}"))
}

/// The host directory behind the container path `path` of module `m`: through the module's
/// volume whose target contains it, else in its own directory.
fn resolve(m: &ModulePlan, state: &Path, path: &str) -> PathBuf {
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{}/{path}", m.working_dir)
    };
    let volume: Option<&Volume> = m
        .volumes
        .iter()
        .filter(|v| path == v.target || path.starts_with(&format!("{}/", v.target)))
        .max_by_key(|v| v.target.len());
    match volume {
        Some(v) => host_path(&v.host, &path[v.target.len()..]),
        None => host_path(&m.root(state), &path),
    }
}

/// The value following `flag` in `args`.
fn arg<'a>(m: &'a ModulePlan, flag: &str) -> &'a str {
    let at = m
        .args
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("{}: no {flag} in {:?}", m.name, m.args));
    &m.args[at + 1]
}

#[test]
fn the_deployment_template_runs_our_four_modules_unchanged_on_edge_sim() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    let state = dir.path().join("state");
    let d = planned(TEMPLATE, &target, &state);
    let order: Vec<&str> = d.modules.iter().map(|m| m.name.as_str()).collect();
    // cert-agent last: the apps create their own stores (as their own user) first.
    assert_eq!(order, ["opcplc", "thirdpartyplc", "opcclient", "certagent"]);
    for (name, binary) in [
        ("opcplc", "opc-plc"),
        ("thirdpartyplc", "opc-plc"),
        ("opcclient", "opc-client"),
        ("certagent", "cert-agent"),
    ] {
        let m = module(&d, name);
        assert_eq!(
            m.program,
            Program::Executable(target.join("debug").join(binary)),
            "{name}"
        );
        assert_eq!(m.not_runnable(), None);
        // The images' WORKDIR, and only paths relative to it: the same command line opens the
        // same files in the container and on edge-sim.
        assert_eq!(m.working_dir, "/appdata", "{name}");
        assert_eq!(
            m.workdir(&state),
            state.join("modules").join(name).join("appdata")
        );
        assert!(
            m.args.iter().all(|a| !a.starts_with('/')),
            "{name}: {:?}",
            m.args
        );
        assert_eq!(
            m.env.contains_key("IOTEDGE_SIM_HOSTNAME"),
            name != "certagent"
        );
        assert!(
            !m.args.iter().any(|a| a == "--aa" || a == "--autoaccept"),
            "{name}"
        );
    }
}

#[test]
fn the_deployment_template_keeps_every_store_in_a_volume() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let d = planned(TEMPLATE, &dir.path().join("target"), &state);
    // Each OPC UA module's default store `pki/` is its own volume; thirdpartyplc's store is
    // `thirdpartyplc` on the volume cert-agent's `--pki-root pki` is.
    let volumes = |name: &str| -> Vec<(PathBuf, String)> {
        module(&d, name)
            .volumes
            .iter()
            .map(|v| (v.host.clone(), v.target.clone()))
            .collect()
    };
    let pki = state.join("volumes/pki");
    assert_eq!(
        volumes("opcplc"),
        [(state.join("volumes/opcplc-pki"), "/appdata/pki".to_owned())]
    );
    assert_eq!(
        volumes("opcclient"),
        [(
            state.join("volumes/opcclient-pki"),
            "/appdata/pki".to_owned()
        )]
    );
    assert_eq!(
        volumes("thirdpartyplc"),
        [(pki.clone(), "/appdata/pki".to_owned())]
    );
    assert_eq!(
        volumes("certagent"),
        [(pki.clone(), "/appdata/pki".to_owned())]
    );
    assert_eq!(
        resolve(module(&d, "opcplc"), &state, "pki/own"),
        state.join("volumes/opcplc-pki/own")
    );
    let agent = module(&d, "certagent");
    let root = resolve(agent, &state, arg(agent, "--pki-root"));
    assert_eq!(root, pki);
    let third = module(&d, "thirdpartyplc");
    assert!(third.args.iter().any(|a| a == "--no-twin-pki"));
    for (flag, store) in [
        ("--ap", "own"),
        ("--tp", "trusted"),
        ("--ip", "issuer"),
        ("--rp", "rejected"),
    ] {
        assert_eq!(
            resolve(third, &state, arg(third, flag)),
            root.join("thirdpartyplc").join(store),
            "{flag}"
        );
    }
}

#[test]
fn the_deployment_template_has_the_seed_s_command_lines_the_mgmt_socket_and_initial_twins() {
    let dir = tempfile::tempdir().unwrap();
    let d = planned(
        TEMPLATE,
        &dir.path().join("target"),
        &dir.path().join("state"),
    );
    let third = module(&d, "thirdpartyplc");
    let agent = module(&d, "certagent");
    // Ports and host names as in the seed's testbed; the client tests the PLC.
    assert_eq!(arg(module(&d, "opcplc"), "--pn"), "50000");
    assert_eq!(arg(module(&d, "opcplc"), "--ph"), "opcplc");
    assert_eq!(arg(third, "--pn"), "50001");
    let client = module(&d, "opcclient");
    assert_eq!(arg(client, "--de"), "opc.tcp://opcplc:50000");
    for m in ["opcplc", "opcclient"] {
        assert!(module(&d, m).args.iter().any(|a| a == "--csr"), "{m}");
    }

    // cert-agent restarts modules through the management API; only it binds the socket.
    for m in &d.modules {
        assert_eq!(m.management, m.name.as_str() == "certagent", "{}", m.name);
    }
    assert_eq!(
        agent.env["IOTEDGE_MANAGEMENTURI"],
        "unix:///var/run/iotedge/mgmt.sock"
    );

    // Initial desired properties of the three modules that read their twin.
    let desired = |m: &str| d.modules_content[m]["properties.desired"].clone();
    assert_eq!(desired("opcplc"), json!({"pki": {}}));
    assert_eq!(desired("opcclient"), json!({"pki": {}}));
    assert_eq!(
        desired("certagent"),
        json!({"stores": {"thirdpartyplc": {"restartModule": "thirdpartyplc"}}})
    );
    assert!(d.modules_content.get("thirdpartyplc").is_none());
}

#[test]
fn the_real_device_example_runs_cert_agent_next_to_microsoft_s_images() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let d = planned(EXAMPLE, &dir.path().join("target"), &state);
    let order: Vec<&str> = d.modules.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(order, ["opcplc", "publisher", "certagent"]);
    for (name, image) in [
        ("opcplc", "mcr.microsoft.com/iotedge/opc-plc:2.14.22"),
        ("publisher", "mcr.microsoft.com/iotedge/opc-publisher:2.9"),
    ] {
        let m = module(&d, name);
        assert_eq!(m.program, Program::Image(image.to_owned()));
        assert!(
            m.not_runnable()
                .unwrap()
                .starts_with(&format!("image {image} "))
        );
    }
    let agent = module(&d, "certagent");
    assert!(matches!(agent.program, Program::Executable(_)));
    assert!(agent.management);
    let root = resolve(agent, &state, arg(agent, "--pki-root"));
    assert_eq!(root, state.join("volumes/pki"));

    // Each app's stores are `<store name>/…` on the volume cert-agent's root is, and the
    // twin names each store with the module to restart.
    let stores = d.modules_content["certagent"]["properties.desired"]["stores"].clone();
    let plc = module(&d, "opcplc");
    for (flag, store) in [
        ("--ap", "own"),
        ("--tp", "trusted"),
        ("--ip", "issuer"),
        ("--rp", "rejected"),
    ] {
        let value = plc
            .args
            .iter()
            .find_map(|a| a.strip_prefix(&format!("{flag}=")))
            .unwrap_or_else(|| panic!("{flag}"));
        assert_eq!(resolve(plc, &state, value), root.join("opcplc").join(store));
    }
    let publisher = module(&d, "publisher");
    let pki = publisher
        .args
        .iter()
        .find_map(|a| a.strip_prefix("--pki="))
        .unwrap();
    assert_eq!(resolve(publisher, &state, pki), root.join("publisher"));
    for name in ["opcplc", "publisher"] {
        assert_eq!(stores[name]["restartModule"], name);
    }
}
