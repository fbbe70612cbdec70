#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The simulated edgeAgent: shell-script modules started from a manifest with the real
//! `IOTEDGE_*` environment, multiplexed logs, volumes, restart policies, startup order,
//! `$edgeAgent` reported status, `RestartModule`, and the management API served to a module
//! that binds `/var/run/iotedge/mgmt.sock`; a container-image module reported as not runnable
//! next to running ones; `createOptions.WorkingDir`.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Sim, https, service_token, start};
use edge_sim::agent::PlanOptions;
use edge_sim::agent::plan::plan;
use edge_sim::harness::{self, FAST, Module};
use edge_sim::{Agent, LogLine};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(20);

/// Writes an executable `sh` script.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A manifest whose modules are `(name, image, restartPolicy, startupOrder, createOptions)`,
/// each with `SAY` from `${TEST_GREETING}` and the desired `greeting` `$TEST_GREETING`.
fn manifest(modules: &[(&str, &Path, &str, u32, Value)]) -> Value {
    let mut manifest =
        harness::manifest(modules.iter().map(|(name, image, policy, order, create)| {
            let module = Module::new(image.display().to_string())
                .restart_policy(policy)
                .startup_order(*order)
                .env("SAY", "${TEST_GREETING}");
            let module = create
                .as_object()
                .into_iter()
                .flatten()
                .fold(module, |m, (key, value)| {
                    m.create_option(key, value.clone())
                });
            (*name, module)
        }));
    for (name, ..) in modules {
        manifest["modulesContent"][*name] =
            json!({"properties.desired": {"greeting": "$TEST_GREETING"}});
    }
    manifest
}

struct Deployed {
    sim: Sim,
    agent: Agent,
    logs: mpsc::UnboundedReceiver<LogLine>,
    seen: Vec<String>,
}

async fn deploy(manifest: &Value) -> Deployed {
    let sim = start(&[]).await;
    let options = PlanOptions {
        vars: BTreeMap::from([("TEST_GREETING".to_owned(), "hello".to_owned())]),
        ..harness::plan_options(&sim.running, sim.dir.path())
    };
    let deployment = plan(manifest, &options).unwrap();
    let (tx, logs) = mpsc::unbounded_channel();
    let agent = Agent::start(&sim.running, deployment, FAST, tx, CancellationToken::new())
        .await
        .unwrap();
    Deployed {
        sim,
        agent,
        logs,
        seen: Vec::new(),
    }
}

impl Deployed {
    /// Waits for a log line equal to `line` (formatted as `module | line`).
    async fn wait_log(&mut self, line: &str) {
        let found = tokio::time::timeout(WAIT, async {
            loop {
                let next = self.logs.recv().await.unwrap().to_string();
                self.seen.push(next.clone());
                if next == line {
                    return;
                }
            }
        })
        .await;
        assert!(found.is_ok(), "no {line:?} in {:#?}", self.seen);
    }

    /// The first line (seen before or arriving now) that `matches`, whatever the order in
    /// which the modules' lines arrive.
    async fn wait_seen(&mut self, matches: impl Fn(&str) -> bool) -> String {
        if let Some(line) = self.seen.iter().find(|l| matches(l)) {
            return line.clone();
        }
        let found = tokio::time::timeout(WAIT, async {
            loop {
                let next = self.logs.recv().await.unwrap().to_string();
                self.seen.push(next.clone());
                if matches(&next) {
                    return next;
                }
            }
        })
        .await;
        found.unwrap_or_else(|_| panic!("no matching line in {:#?}", self.seen))
    }

    /// `$edgeAgent` reported `modules.<m>`.
    fn status(&self, module: &str) -> Value {
        harness::agent_status(&self.sim.running, module)
    }

    async fn wait_status(&self, module: &str, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let status = self.status(module);
            if check(&status) {
                return status;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{module}: {status:#}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn count(&self, line: &str) -> usize {
        self.seen.iter().filter(|l| *l == line).count()
    }
}

/// The names in a `GET /modules` answer (workload or management API), in its order.
fn module_names(listed: &Value) -> Vec<&str> {
    listed["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn module_runs_with_the_edge_environment_manifest_env_args_and_a_shared_volume() {
    let dir = tempfile::tempdir().unwrap();
    let writer = script(
        dir.path(),
        "writer.sh",
        "echo \"id=$IOTEDGE_MODULEID uri=$IOTEDGE_WORKLOADURI say=$SAY args=$*\"\n\
         echo \"host=$IOTEDGE_SIM_HOSTNAME\" >&2\n\
         echo shared > data/note\nexec sleep 300",
    );
    let reader = script(
        dir.path(),
        "reader.sh",
        "while [ ! -f \"$EDGE_SIM_VOLUME_MNT_DATA/note\" ]; do sleep 0.05; done\n\
         echo \"read=$(cat mnt/data/note) gen=${IOTEDGE_MODULEGENERATIONID:+set}\"\nexec sleep 300",
    );
    let mut d = deploy(&manifest(&[
        (
            "writer",
            &writer,
            "always",
            0,
            json!({"Hostname": "plc", "Cmd": ["--pn", "50000"], "HostConfig": {"Binds": ["shared:/data"]}}),
        ),
        (
            "reader",
            &reader,
            "always",
            1,
            json!({"HostConfig": {"Mounts": [{"Type": "volume", "Source": "shared", "Target": "/mnt/data"}]}}),
        ),
    ]))
    .await;
    let socket = d.sim.running.workload_socket("writer").unwrap();
    // stdout and stderr are separate pipes: their lines may arrive in any order.
    let first = format!(
        "writer | id=writer uri=unix://{} say=hello args=--pn 50000",
        socket.display()
    );
    d.wait_seen(|l| l == first).await;
    d.wait_seen(|l| l == "writer | host=plc").await;
    d.wait_seen(|l| l == "reader | read=shared gen=set").await;
    let twin = d.sim.running.twin("writer").unwrap();
    assert_eq!(twin.desired.properties()["greeting"], "hello");
    d.wait_status("reader", |s| s["runtimeStatus"] == "running")
        .await;
    // The workload API lists the deployed modules with their runtime status.
    let (status, text) = common::uds(&socket, "GET", "/modules?api-version=2022-08-03", "").await;
    assert_eq!(status, 200, "{text}");
    let listed: Value = serde_json::from_str(&text).unwrap();
    let names = module_names(&listed);
    assert_eq!(names, ["reader", "writer"], "{listed}");
    assert_eq!(
        listed["modules"][0]["status"]["runtimeStatus"]["status"], "running",
        "{listed}"
    );
    assert_eq!(
        listed["modules"][0]["config"]["settings"]["image"],
        reader.display().to_string()
    );
    let Deployed { sim, agent, .. } = d;
    agent.shutdown().await;
    let twin = sim.running.twin("$edgeAgent").unwrap();
    assert_eq!(
        twin.reported.properties()["modules"]["writer"]["runtimeStatus"],
        "stopped"
    );
}

#[tokio::test]
async fn on_failure_restarts_a_failing_module_with_backoff_and_never_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let failing = script(dir.path(), "fail.sh", "echo start\nexit 3");
    let began = std::time::Instant::now();
    let mut d = deploy(&manifest(&[
        ("again", &failing, "on-failure", 0, json!({})),
        ("once", &failing, "never", 0, json!({})),
    ]))
    .await;
    let again = d
        .wait_status("again", |s| s["restartCount"].as_u64() >= Some(3))
        .await;
    assert_eq!(again["exitCode"], 3, "{again:#}");
    // Backoff (fast options): restarts wait 0, 200 and 400 ms.
    assert!(
        began.elapsed() >= Duration::from_millis(600),
        "{:?}",
        began.elapsed()
    );
    let once = d
        .wait_status("once", |s| s["runtimeStatus"] == "failed")
        .await;
    assert_eq!(once["exitCode"], 3);
    assert_eq!(once["restartCount"], 0);
    d.wait_log("again | start").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    while let Ok(line) = d.logs.try_recv() {
        d.seen.push(line.to_string());
    }
    assert_eq!(d.count("once | start"), 1, "{:#?}", d.seen);
    d.agent.shutdown().await;
}

#[tokio::test]
async fn modules_start_in_startup_order_and_stopped_ones_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = script(dir.path(), "sleep.sh", "exec sleep 300");
    let mut m = manifest(&[
        ("third", &sleeper, "always", 2, json!({})),
        ("first", &sleeper, "always", 0, json!({})),
        ("second", &sleeper, "always", 1, json!({})),
        ("off", &sleeper, "always", 0, json!({})),
    ]);
    m["modulesContent"]["$edgeAgent"]["properties.desired"]["modules"]["off"]["status"] =
        json!("stopped");
    let d = deploy(&m).await;
    let starts: Vec<String> = ["first", "second", "third"]
        .iter()
        .map(|m| d.status(m)["lastStartTimeUtc"].as_str().unwrap().to_owned())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    assert_eq!(d.status("off")["runtimeStatus"], "stopped");
    assert!(d.status("off").get("lastStartTimeUtc").is_none());
    let twin = d.sim.running.twin("$edgeAgent").unwrap();
    assert_eq!(twin.reported.properties()["schemaVersion"], "1.1");
    assert_eq!(
        twin.reported.properties()["systemModules"]["edgeHub"]["runtimeStatus"],
        "running"
    );
    d.agent.shutdown().await;
}

#[tokio::test]
async fn restart_module_through_the_service_api_restarts_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("child.pid");
    let module = script(
        dir.path(),
        "m.sh",
        &format!(
            "echo up\nsleep 300 &\necho $! > {}\nwait",
            pidfile.display()
        ),
    );
    let mut d = deploy(&manifest(&[("m", &module, "never", 0, json!({}))])).await;
    d.wait_log("m | up").await;
    let path = format!(
        "/twins/{}/modules/$edgeAgent/methods?api-version=2021-04-12",
        d.sim.running.device_id()
    );
    let h = vec![("authorization", service_token(&d.sim.running))];
    let call = json!({"methodName": "RestartModule", "payload": {"schemaVersion": "1.0", "id": "m"}, "responseTimeoutInSeconds": 20});
    let (status, text) = https(&d.sim.running, "POST", &path, &h, &call.to_string()).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["status"], 200);
    d.wait_log("m | up").await;
    d.wait_status("m", |s| {
        s["restartCount"] == 1 && s["runtimeStatus"] == "running"
    })
    .await;
    let unknown =
        json!({"methodName": "RestartModule", "payload": {"schemaVersion": "1.0", "id": "nope"}});
    let (_, text) = https(&d.sim.running, "POST", &path, &h, &unknown.to_string()).await;
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["status"], 404);

    // Shutdown kills the whole process group, the backgrounded `sleep` included.
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    d.agent.shutdown().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while alive(pid) {
        assert!(tokio::time::Instant::now() < deadline, "child survived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Whether `pid` exists and is not a zombie (an orphan may wait for a reaper).
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
    })
}

#[tokio::test]
async fn a_changed_desired_deployment_starts_stops_and_restarts_modules() {
    let dir = tempfile::tempdir().unwrap();
    let script_a = script(dir.path(), "a.sh", "echo \"a say=$SAY\"\nexec sleep 300");
    let script_b = script(dir.path(), "b.sh", "echo \"b pid=$$\"\nexec sleep 300");
    let script_c = script(dir.path(), "c.sh", "echo c up\nexec sleep 300");
    let mut d = deploy(&manifest(&[
        ("a", &script_a, "always", 0, json!({})),
        ("b", &script_b, "always", 0, json!({})),
    ]))
    .await;
    // Lines of different modules may arrive in any order.
    d.wait_seen(|l| l == "a | a say=hello").await;
    let b_line = d.wait_seen(|l| l.starts_with("b | b pid=")).await;
    let b_pid: i32 = b_line["b | b pid=".len()..].parse().unwrap();

    // "The portal" changes the deployment: b removed, c added, a's env changed.
    let twin_path = format!(
        "/twins/{}/modules/$edgeAgent?api-version=2021-04-12",
        d.sim.running.device_id()
    );
    let auth = vec![("authorization", service_token(&d.sim.running))];
    let c_spec = json!({
        "version": "1.0", "type": "docker", "status": "running", "restartPolicy": "always",
        "settings": {"image": script_c.display().to_string()}
    });
    let change = json!({"properties": {"desired": {"modules": {
        "b": null, "c": c_spec, "a": {"env": {"SAY": {"value": "changed"}}}
    }}}});
    let (status, text) = https(
        &d.sim.running,
        "PATCH",
        &twin_path,
        &auth,
        &change.to_string(),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let version = d.sim.running.twin("$edgeAgent").unwrap().desired.version();
    d.wait_seen(|l| l == "a | a say=changed").await;
    d.wait_seen(|l| l == "c | c up").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while alive(b_pid) {
        assert!(tokio::time::Instant::now() < deadline, "b still runs");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    d.wait_status("c", |s| s["runtimeStatus"] == "running")
        .await;
    d.wait_status("a", |s| s["runtimeStatus"] == "running")
        .await;
    d.wait_status("b", Value::is_null).await;
    let reported = d.sim.running.twin("$edgeAgent").unwrap().reported;
    assert_eq!(reported.properties()["lastDesiredVersion"], version);
    assert_eq!(reported.properties()["lastDesiredStatus"]["code"], 200);

    // An unusable change is refused with the reason; the modules keep running untouched.
    let bad =
        json!({"properties": {"desired": {"modules": {"c": {"restartPolicy": "sometimes"}}}}});
    let (status, _) = https(&d.sim.running, "PATCH", &twin_path, &auth, &bad.to_string()).await;
    assert_eq!(status, 200);
    let deadline = tokio::time::Instant::now() + WAIT;
    let refused = loop {
        let twin = d.sim.running.twin("$edgeAgent").unwrap();
        let status = twin.reported.properties()["lastDesiredStatus"].clone();
        if status["code"] == 400 {
            break status;
        }
        assert!(tokio::time::Instant::now() < deadline, "{status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        refused["description"]
            .as_str()
            .unwrap()
            .contains("manifest"),
        "{refused}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    while let Ok(line) = d.logs.try_recv() {
        d.seen.push(line.to_string());
    }
    assert_eq!(d.count("c | c up"), 1, "{:#?}", d.seen);
    assert_eq!(d.status("c")["runtimeStatus"], "running");
    d.agent.shutdown().await;
}

/// The bind a real deployment writes to give a module the management API.
const MGMT_BIND: &str = "/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock";

/// The pid in a line `… pid=<pid> …`.
fn pid_in(line: &str) -> i32 {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("pid="))
        .unwrap()
        .parse()
        .unwrap()
}

fn json_body(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

/// A deployment of `caller`, which binds the management socket (and whose manifest env names
/// the container path), and `other`, which does not and exits cleanly on SIGTERM (with
/// `on-failure` it then stays stopped). Checks the environment both got and returns the
/// deployment, the caller's socket and `other`'s first `other pid=… mgmt=…` line.
async fn deploy_caller_and_other(dir: &Path) -> (Deployed, PathBuf, String) {
    let caller = script(
        dir,
        "caller.sh",
        "echo \"caller mgmt=${IOTEDGE_MANAGEMENTURI-unset}\"\nexec sleep 300",
    );
    let other = script(
        dir,
        "other.sh",
        "trap 'exit 0' TERM\necho \"other pid=$$ mgmt=${IOTEDGE_MANAGEMENTURI-unset}\"\nsleep 300 &\nwait",
    );
    let mut m = manifest(&[
        (
            "caller",
            &caller,
            "always",
            0,
            json!({"HostConfig": {"Binds": [MGMT_BIND]}}),
        ),
        ("other", &other, "on-failure", 0, json!({})),
    ]);
    // What a deployment for a real device would add; the container path means nothing here.
    m["modulesContent"]["$edgeAgent"]["properties.desired"]["modules"]["caller"]["env"]["IOTEDGE_MANAGEMENTURI"] =
        json!({"value": "unix:///var/run/iotedge/mgmt.sock"});
    let mut d = deploy(&m).await;

    // The caller's variable names its own live socket; the other module has none.
    let line = d
        .wait_seen(|l| l.starts_with("caller | caller mgmt="))
        .await;
    let uri = &line["caller | caller mgmt=".len()..];
    let socket = PathBuf::from(
        uri.strip_prefix("unix://")
            .unwrap_or_else(|| panic!("{uri}")),
    );
    assert_eq!(socket, d.sim.running.state_dir().join("mgmt/caller.sock"));
    let first = d.wait_seen(|l| l.starts_with("other | other pid=")).await;
    assert!(first.ends_with(" mgmt=unset"), "{first}");
    assert!(!d.sim.running.state_dir().join("mgmt/other.sock").exists());
    d.wait_status("other", |s| s["runtimeStatus"] == "running")
        .await;
    d.wait_status("caller", |s| s["runtimeStatus"] == "running")
        .await;

    (d, socket, first)
}

#[tokio::test]
async fn the_management_socket_is_the_binding_module_s_own_and_lists_the_deployment() {
    let dir = tempfile::tempdir().unwrap();
    let (d, socket, _) = deploy_caller_and_other(dir.path()).await;
    let other = dir.path().join("other.sh");

    // GET /modules: both modules with their status, like the workload API's list.
    let (status, text) = common::uds(&socket, "GET", "/modules?api-version=2018-06-28", "").await;
    assert_eq!(status, 200, "{text}");
    let listed = json_body(&text);
    let names = module_names(&listed);
    assert_eq!(names, ["caller", "other"], "{listed}");
    assert_eq!(
        listed["modules"][1]["status"]["runtimeStatus"]["status"],
        "running"
    );
    let (status, text) =
        common::uds(&socket, "GET", "/modules/other?api-version=2022-08-03", "").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        json_body(&text)["config"]["settings"]["image"],
        other.display().to_string()
    );

    // Errors: edgelet's status codes with a message.
    for (method, target, expected, says) in [
        (
            "POST",
            "/modules/nope/restart?api-version=2018-06-28",
            404,
            "nope",
        ),
        ("GET", "/modules/nope?api-version=2018-06-28", 404, "nope"),
        ("GET", "/modules", 400, "api-version"),
        (
            "POST",
            "/modules/other/restart?api-version=2017-11-10",
            400,
            "2017-11-10",
        ),
        (
            "DELETE",
            "/modules/x?api-version=2018-06-28",
            403,
            "$edgeAgent",
        ),
        (
            "POST",
            "/modules/other/prepareupdate?api-version=2018-06-28",
            403,
            "$edgeAgent",
        ),
    ] {
        let (status, text) = common::uds(&socket, method, target, "").await;
        assert_eq!(status, expected, "{method} {target}: {text}");
        let message = json_body(&text)["message"].as_str().unwrap().to_owned();
        assert!(message.contains(says), "{method} {target}: {message}");
    }
    assert_eq!(d.status("caller")["restartCount"], 0);
    d.agent.shutdown().await;
    assert!(!socket.exists(), "the socket outlived the agent");
}

#[tokio::test]
async fn another_module_is_restarted_stopped_and_started_over_the_management_socket() {
    let dir = tempfile::tempdir().unwrap();
    let (mut d, socket, first) = deploy_caller_and_other(dir.path()).await;
    let first_pid = pid_in(&first);

    // Restart: 204 once the new process runs, reported like any restart.
    let (status, text) = common::uds(
        &socket,
        "POST",
        "/modules/other/restart?api-version=2022-08-03",
        "",
    )
    .await;
    assert_eq!((status, text.as_str()), (204, ""));
    let after = d.status("other");
    assert_eq!(after["restartCount"], 1, "{after:#}");
    assert_eq!(after["runtimeStatus"], "running", "{after:#}");
    assert!(after["lastRestartTimeUtc"].is_string(), "{after:#}");
    let second = d
        .wait_seen(|l| l.starts_with("other | other pid=") && l != first)
        .await;
    let second_pid = pid_in(&second);
    assert_ne!(second_pid, first_pid);
    assert!(!alive(first_pid), "the first process survived the restart");

    // Stop: 204 once the process is gone; its clean exit under `on-failure` leaves it stopped.
    let (status, text) = common::uds(
        &socket,
        "POST",
        "/modules/other/stop?api-version=2018-06-28",
        "",
    )
    .await;
    assert_eq!((status, text.as_str()), (204, ""));
    assert!(!alive(second_pid), "the process survived the stop");
    let stopped = d.status("other");
    assert_eq!(stopped["runtimeStatus"], "stopped", "{stopped:#}");
    assert_eq!(stopped["exitCode"], 0, "{stopped:#}");
    assert_eq!(stopped["restartCount"], 1, "{stopped:#}");
    let (status, text) =
        common::uds(&socket, "GET", "/modules/other?api-version=2018-06-28", "").await;
    assert_eq!(status, 200, "{text}");
    let details = json_body(&text);
    assert_eq!(
        details["status"]["runtimeStatus"]["status"], "stopped",
        "{details}"
    );
    assert_eq!(
        details["status"]["exitStatus"]["statusCode"], "0",
        "{details}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(d.status("other")["runtimeStatus"], "stopped");
    // Stopping a stopped module changes nothing.
    let (status, _) = common::uds(
        &socket,
        "POST",
        "/modules/other/stop?api-version=2018-06-28",
        "",
    )
    .await;
    assert_eq!(status, 204);

    // Start: 204 once it runs again; a start is no restart.
    let (status, text) = common::uds(
        &socket,
        "POST",
        "/modules/other/start?api-version=2018-06-28",
        "",
    )
    .await;
    assert_eq!((status, text.as_str()), (204, ""));
    let started = d.status("other");
    assert_eq!(started["runtimeStatus"], "running", "{started:#}");
    assert_eq!(started["restartCount"], 1, "{started:#}");
    let third = d
        .wait_seen(|l| l.starts_with("other | other pid=") && l != first && l != second)
        .await;
    assert!(alive(pid_in(&third)));
    // Starting a running module changes nothing either.
    let (status, _) = common::uds(
        &socket,
        "POST",
        "/modules/other/start?api-version=2018-06-28",
        "",
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        d.status("other")["lastStartTimeUtc"],
        started["lastStartTimeUtc"]
    );

    d.agent.shutdown().await;
}

#[tokio::test]
async fn a_module_stopped_through_the_management_api_is_restarted_when_its_policy_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let caller = script(
        dir.path(),
        "caller.sh",
        "echo \"caller mgmt=$IOTEDGE_MANAGEMENTURI\"\nexec sleep 300",
    );
    let steady = script(
        dir.path(),
        "steady.sh",
        "echo \"steady pid=$$\"\nexec sleep 300",
    );
    let mut d = deploy(&manifest(&[
        (
            "caller",
            &caller,
            "always",
            0,
            json!({"HostConfig": {"Mounts": [{"Type": "bind", "Source": "/run/iotedge/mgmt.sock", "Target": "/run/iotedge/mgmt.sock"}]}}),
        ),
        ("steady", &steady, "always", 0, json!({})),
    ]))
    .await;
    let line = d
        .wait_seen(|l| l.starts_with("caller | caller mgmt=unix://"))
        .await;
    let socket = PathBuf::from(&line["caller | caller mgmt=unix://".len()..]);
    let first = d.wait_seen(|l| l.starts_with("steady | steady pid=")).await;
    d.wait_status("steady", |s| s["runtimeStatus"] == "running")
        .await;

    let (status, text) = common::uds(
        &socket,
        "POST",
        "/modules/steady/stop?api-version=2018-06-28",
        "",
    )
    .await;
    assert_eq!((status, text.as_str()), (204, ""));
    assert!(!alive(pid_in(&first)));
    // SIGTERM ended it (128 + 15); `always` starts it again, as edgeAgent does.
    let again = d
        .wait_status("steady", |s| {
            s["runtimeStatus"] == "running" && s["restartCount"] == 1
        })
        .await;
    assert_eq!(again["exitCode"], 143, "{again:#}");
    d.wait_seen(|l| l.starts_with("steady | steady pid=") && l != first)
        .await;
    d.agent.shutdown().await;
}

/// A module whose image is a container image, as a real device's manifest names it.
const IMAGE: &str = "mcr.microsoft.com/iotedge/opc-plc:2.14";

/// What edge-sim reports for [`IMAGE`].
fn image_reason() -> String {
    format!(
        "image {IMAGE} cannot run as a process on edge-sim: use ${{MODULES.<dir>}} or an absolute path to an executable"
    )
}

/// A deployment of `caller` (a process binding the management socket and a volume), `plc`
/// ([`IMAGE`], binding a volume and the management socket too) and `off` (another image,
/// desired stopped); returns it once `caller` runs, with `caller`'s management socket.
async fn deploy_with_images(dir: &Path) -> (Deployed, PathBuf) {
    let caller = script(
        dir,
        "caller.sh",
        "echo \"caller mgmt=$IOTEDGE_MANAGEMENTURI\"\nexec sleep 300",
    );
    let mut m = manifest(&[
        (
            "caller",
            &caller,
            "always",
            2,
            json!({"HostConfig": {"Binds": [MGMT_BIND, "pki:/appdata/pki"]}}),
        ),
        (
            "plc",
            &caller,
            "always",
            0,
            json!({"Hostname": "plc", "HostConfig": {"Binds": ["pki:/app/pki", MGMT_BIND]}}),
        ),
        ("off", &caller, "always", 1, json!({})),
    ]);
    let modules = &mut m["modulesContent"]["$edgeAgent"]["properties.desired"]["modules"];
    modules["plc"]["settings"]["image"] = json!(IMAGE);
    modules["off"]["settings"]["image"] = json!("opc-plc:latest");
    modules["off"]["status"] = json!("stopped");
    let mut d = deploy(&m).await;
    let line = d
        .wait_seen(|l| l.starts_with("caller | caller mgmt=unix://"))
        .await;
    let socket = PathBuf::from(&line["caller | caller mgmt=unix://".len()..]);
    d.wait_status("caller", |s| s["runtimeStatus"] == "running")
        .await;
    (d, socket)
}

#[tokio::test]
async fn a_container_image_module_gets_its_twin_and_is_reported_while_the_others_run() {
    let dir = tempfile::tempdir().unwrap();
    let (mut d, _) = deploy_with_images(dir.path()).await;
    // The image module is reported with the reason and logged once.
    let reason = image_reason();
    let plc = d.status("plc");
    assert_eq!(plc["runtimeStatus"], "failed", "{plc:#}");
    assert_eq!(plc["statusDescription"], reason.as_str());
    assert_eq!(plc["settings"]["image"], IMAGE);
    assert_eq!(plc["restartCount"], 0);
    assert!(plc.get("lastStartTimeUtc").is_none(), "{plc:#}");
    d.wait_seen(|l| l == format!("plc | edge-sim: {reason}"))
        .await;
    // A stopped one is `stopped`, with the reason too.
    let off = d.status("off");
    assert_eq!(off["runtimeStatus"], "stopped", "{off:#}");
    let text = off["statusDescription"].as_str().unwrap();
    assert!(
        text.starts_with("desired status is stopped; image opc-plc:latest cannot run"),
        "{text}"
    );
    // Identity and twin, desired properties seeded like any module's; no directory, no
    // management socket. The process module runs with its volume.
    let twin = d.sim.running.twin("plc").unwrap();
    assert_eq!(twin.desired.properties()["greeting"], "hello");
    assert!(d.sim.running.workload_socket("plc").unwrap().exists());
    let state = d.sim.running.state_dir().to_owned();
    assert!(!state.join("modules/plc").exists());
    assert!(!state.join("mgmt/plc.sock").exists());
    assert!(state.join("modules/caller/appdata/pki").is_dir());
    let twin = d.sim.running.twin("$edgeAgent").unwrap();
    assert_eq!(twin.reported.properties()["lastDesiredStatus"]["code"], 200);
    d.agent.shutdown().await;
}

#[tokio::test]
async fn restarting_a_container_image_module_answers_why_it_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let (d, socket) = deploy_with_images(dir.path()).await;
    let reason = image_reason();
    // The management API lists it; restart and start answer 500 with the reason, stop 204.
    let (status, text) =
        common::uds(&socket, "GET", "/modules/plc?api-version=2022-08-03", "").await;
    assert_eq!(status, 200, "{text}");
    let listed = json_body(&text);
    assert_eq!(listed["status"]["runtimeStatus"]["status"], "failed");
    assert_eq!(
        listed["status"]["runtimeStatus"]["description"],
        reason.as_str()
    );
    assert_eq!(listed["config"]["settings"]["image"], IMAGE);
    for action in ["restart", "start"] {
        let target = format!("/modules/plc/{action}?api-version=2022-08-03");
        let (status, text) = common::uds(&socket, "POST", &target, "").await;
        assert_eq!(status, 500, "{action}: {text}");
        let message = json_body(&text)["message"].as_str().unwrap().to_owned();
        assert_eq!(message, format!("module plc did not start: {reason}"));
    }
    let (status, _) = common::uds(
        &socket,
        "POST",
        "/modules/plc/stop?api-version=2022-08-03",
        "",
    )
    .await;
    assert_eq!(status, 204);
    // `RestartModule` answers 500 with the same message, as for a module that cannot start.
    let path = format!(
        "/twins/{}/modules/$edgeAgent/methods?api-version=2021-04-12",
        d.sim.running.device_id()
    );
    let h = vec![("authorization", service_token(&d.sim.running))];
    let call =
        json!({"methodName": "RestartModule", "payload": {"schemaVersion": "1.0", "id": "plc"}});
    let (status, text) = https(&d.sim.running, "POST", &path, &h, &call.to_string()).await;
    assert_eq!(status, 200, "{text}");
    let answer = json_body(&text);
    assert_eq!(answer["status"], 500, "{answer}");
    assert!(
        answer["payload"]["message"]
            .as_str()
            .unwrap()
            .ends_with(&reason),
        "{answer}"
    );
    assert_eq!(d.status("plc")["runtimeStatus"], "failed");
    assert_eq!(d.status("caller")["restartCount"], 0);
    d.agent.shutdown().await;
}

#[tokio::test]
async fn working_dir_is_the_directory_standing_for_the_container_path() {
    let dir = tempfile::tempdir().unwrap();
    // Like a container with WORKDIR /appdata: it writes its store relative to it.
    let module = script(
        dir.path(),
        "store.sh",
        "mkdir -p pki/own && echo key > pki/x\necho \"pwd=$(pwd -P) logical=$PWD\"\nexec sleep 300",
    );
    let plain = script(
        dir.path(),
        "plain.sh",
        "echo \"pwd=$(pwd -P)\"\nexec sleep 300",
    );
    let mut d = deploy(&manifest(&[
        (
            "store",
            &module,
            "always",
            0,
            json!({"WorkingDir": "/appdata", "HostConfig": {"Binds": ["pki:/appdata/pki"]}}),
        ),
        ("plain", &plain, "always", 0, json!({})),
    ]))
    .await;
    let state = std::fs::canonicalize(d.sim.running.state_dir()).unwrap();
    let line = d.wait_seen(|l| l.starts_with("store | pwd=")).await;
    assert!(
        line.starts_with(&format!(
            "store | pwd={} ",
            state.join("modules/store/appdata").display()
        )),
        "{line}"
    );
    // `pki/x` relative to /appdata is in the volume, as in the container.
    let written = state.join("volumes/pki/x");
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "key\n");
    assert!(state.join("volumes/pki/own").is_dir());
    assert!(!state.join("modules/store/pki").exists());
    // Without WorkingDir nothing changed: the module directory.
    d.wait_seen(|l| l == format!("plain | pwd={}", state.join("modules/plain").display()))
        .await;
    d.agent.shutdown().await;
}
