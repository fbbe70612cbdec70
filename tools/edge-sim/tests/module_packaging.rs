#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The container packaging of every module directory that `${MODULES.<dir>}` names (this
//! machine has no Docker engine, so the images are not built here; this checks what can be
//! checked by reading): a multi-stage Dockerfile building the module's package on
//! `rust:1.95-bookworm` and running it on `debian:bookworm-slim` as a non-root user in
//! `WORKDIR /appdata`, and a `module.json` (iotedgedev) whose version is the workspace's and
//! whose platforms name Dockerfiles that exist.

use std::path::{Path, PathBuf};

use edge_sim::agent::plan::cargo_package_name;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn module_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("modules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    let names: Vec<String> = dirs
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["cert-agent", "opc-client", "opc-plc"]);
    dirs
}

/// `[workspace.package] version` of the root `Cargo.toml`.
fn workspace_version() -> String {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let mut in_table = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == "[workspace.package]";
        } else if in_table && let Some(value) = line.strip_prefix("version") {
            return value
                .trim_start_matches([' ', '='])
                .trim_matches('"')
                .to_owned();
        }
    }
    panic!("no [workspace.package] version")
}

/// The instructions of a Dockerfile (keyword upper-cased, arguments), continuation lines
/// joined, comments and blank lines dropped.
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(part) = trimmed.strip_suffix('\\') {
            current.push_str(part);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        let (keyword, args) = current.split_once(' ').unwrap_or((&current, ""));
        out.push((keyword.to_ascii_uppercase(), args.trim().to_owned()));
        current.clear();
    }
    out
}

#[test]
fn every_module_has_a_multi_stage_non_root_dockerfile_in_appdata() {
    for dir in module_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let package = cargo_package_name(&dir).unwrap();
        let text = std::fs::read_to_string(dir.join("Dockerfile"))
            .unwrap_or_else(|e| panic!("{name}: Dockerfile: {e}"));
        let all = instructions(&text);
        let froms: Vec<&str> = all
            .iter()
            .filter(|(k, _)| k == "FROM")
            .map(|(_, a)| a.as_str())
            .collect();
        assert_eq!(
            froms,
            ["rust:1.95-bookworm AS build", "debian:bookworm-slim"],
            "{name}"
        );
        let run_stage = all.iter().rposition(|(k, _)| k == "FROM").unwrap();
        let (build, run) = all.split_at(run_stage);
        assert!(
            build.iter().any(|(k, a)| k == "RUN"
                && a.contains("cargo build --profile dist")
                && a.contains(&format!("-p {package}"))),
            "{name}: builds {package}"
        );
        // Only the modules on open62541 need its build tools.
        let installs_cmake = build.iter().any(|(k, a)| k == "RUN" && a.contains("cmake"));
        assert_eq!(installs_cmake, name != "cert-agent", "{name}");
        let last = |keyword: &str| {
            run.iter().rev().find(|(k, _)| k == keyword).map_or_else(
                || panic!("{name}: no {keyword} in the run stage"),
                |(_, a)| a.as_str(),
            )
        };
        let user = last("USER");
        let uid = user.split(':').next().unwrap();
        assert!(
            !uid.is_empty() && uid != "root" && uid != "0",
            "{name}: USER {user}"
        );
        assert_eq!(last("WORKDIR"), "/appdata", "{name}");
        assert_eq!(
            last("ENTRYPOINT"),
            format!("[\"/usr/local/bin/{package}\"]"),
            "{name}"
        );
        assert!(
            run.iter().any(|(k, a)| k == "COPY"
                && a.starts_with("--from=build")
                && a.contains(&format!("/target/dist/{package}"))),
            "{name}"
        );
        // OpenSSL is linked into the binary (ADR 0018): the run stage needs no libssl.
        assert!(
            !run.iter().any(|(k, a)| k == "RUN" && a.contains("libssl")),
            "{name}: installs libssl in the run stage"
        );
        // The working directory belongs to the user the module runs as.
        assert!(
            run.iter().any(|(k, a)| k == "RUN"
                && a.contains(&format!("-o {uid} "))
                && a.contains("/appdata")),
            "{name}: /appdata owned by {uid}"
        );
        let exposes = run.iter().any(|(k, _)| k == "EXPOSE");
        assert_eq!(exposes, name == "opc-plc", "{name}");
    }
}

#[test]
fn every_module_json_names_existing_dockerfiles_and_the_workspace_version() {
    let version = workspace_version();
    for dir in module_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read(dir.join("module.json"))
            .unwrap_or_else(|e| panic!("{name}: module.json: {e}"));
        let json: Value = serde_json::from_slice(&text).unwrap();
        assert_eq!(json["$schema-version"], "0.0.1", "{name}");
        assert_eq!(json["language"], "rust", "{name}");
        let image = &json["image"];
        assert_eq!(
            image["repository"],
            format!("${{CONTAINER_REGISTRY_SERVER}}/{name}"),
            "{name}"
        );
        assert_eq!(image["tag"]["version"], version.as_str(), "{name}");
        // The Dockerfiles copy the whole workspace.
        let context = dir.join(image["contextPath"].as_str().unwrap());
        assert_eq!(
            std::fs::canonicalize(context).unwrap(),
            std::fs::canonicalize(repo()).unwrap(),
            "{name}"
        );
        let platforms = image["tag"]["platforms"].as_object().unwrap();
        assert!(platforms.contains_key("amd64"), "{name}");
        for (platform, file) in platforms {
            let file = dir.join(file.as_str().unwrap());
            assert!(file.is_file(), "{name}: {platform}: {}", file.display());
        }
    }
}
