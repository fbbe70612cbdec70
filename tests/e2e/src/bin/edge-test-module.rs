//! `edge-test-module`: a tiny IoT Edge module for the agent scenarios of `tests/e2e`.
//!
//! It is what a real module does, small: it connects with `edge-client` from the `IOTEDGE_*`
//! environment edge-sim's agent gives it (workload API for the trust bundle and SAS
//! signatures), counts its starts in `starts` in its working directory, reports what it did
//! as reported properties, and answers the `ping` direct method.
//!
//! ```text
//! edge-test-module write <path> <text>   write <text> to <path> (atomically: a temp file renamed), report {"wrote": <text>}, run
//! edge-test-module read <path>           wait for <path>, report {"read": <content>}, run
//! edge-test-module crash <code>          report, then exit with <code>
//! edge-test-module restart <module>      restart <module> through the management API
//!                                        (IOTEDGE_MANAGEMENTURI), report {"restarted":
//!                                        <module>, "status": "ok" | <error>}, run
//! ```
//!
//! Every role reports `{"role", "starts"}` first. The MQTT port comes from
//! `EDGE_SIM_MQTT_PORT` (edge-sim's agent sets it), else 8883. Exit codes: 0 never (it runs
//! until SIGTERM) except after `crash 0`; the `crash` code; 2 for a usage error; 1 for any
//! other failure (printed on stderr).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use edge_client::{ClientOptions, ManagementClient, MethodReply, ModuleClient};
use hub_proto::MethodName;
use hub_proto::env::IOTEDGE_MANAGEMENTURI;
use serde_json::{Value, json};

/// What the module was asked to do.
enum Role {
    Write { path: PathBuf, text: String },
    Read { path: PathBuf },
    Crash { code: u8 },
    Restart { module: String },
}

impl Role {
    fn parse(args: &[String]) -> Option<Self> {
        match args {
            [role, path, text] if role == "write" => Some(Self::Write {
                path: path.into(),
                text: text.clone(),
            }),
            [role, path] if role == "read" => Some(Self::Read { path: path.into() }),
            [role, code] if role == "crash" => code.parse().ok().map(|code| Self::Crash { code }),
            [role, module] if role == "restart" => Some(Self::Restart {
                module: module.clone(),
            }),
            _ => None,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Write { .. } => "write",
            Self::Read { .. } => "read",
            Self::Crash { .. } => "crash",
            Self::Restart { .. } => "restart",
        }
    }
}

/// How long `read` waits for its file.
const READ_WAIT: Duration = Duration::from_secs(20);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(role) = Role::parse(&args) else {
        eprintln!(
            "usage: edge-test-module write <path> <text> | read <path> | crash <code> | restart <module> (got {args:?})"
        );
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("edge-test-module: cannot start tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(role)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("edge-test-module: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(role: Role) -> Result<ExitCode, String> {
    let starts = count_start(Path::new("starts"))?;
    println!("{} start {starts}", role.name());
    let port = match std::env::var("EDGE_SIM_MQTT_PORT") {
        Ok(port) => port
            .parse()
            .map_err(|e| format!("EDGE_SIM_MQTT_PORT={port:?}: {e}"))?,
        Err(_) => edge_client::options::DEFAULT_MQTT_PORT,
    };
    let options = ClientOptions {
        port,
        product_info: "edge-test-module".to_owned(),
        ..ClientOptions::default()
    };
    let client = ModuleClient::from_environment(|k| std::env::var(k).ok(), options)
        .await
        .map_err(|e| format!("cannot build the module client: {}", chain(&e)))?;
    let ping = MethodName::new("ping").map_err(|e| e.to_string())?;
    client.on_method(ping, |call| async move {
        MethodReply::ok(json!({"pong": call.payload}))
    });
    report(&client, json!({"role": role.name(), "starts": starts})).await?;
    match role {
        Role::Crash { code } => {
            client.shutdown().await;
            println!("crash exit {code}");
            return Ok(ExitCode::from(code));
        }
        Role::Write { path, text } => {
            // Written beside and renamed into place: the reader on the shared volume polls for
            // the file and must never see it created but not yet written (it did, once, in CI).
            let partial = path.with_extension("part");
            std::fs::write(&partial, &text)
                .and_then(|()| std::fs::rename(&partial, &path))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            report(&client, json!({"wrote": text})).await?;
            println!("wrote {}", path.display());
        }
        Role::Read { path } => {
            let content = wait_for(&path).await?;
            report(&client, json!({"read": content})).await?;
            println!("read {}", path.display());
        }
        Role::Restart { module } => {
            let status = match restart(&module).await {
                Ok(()) => "ok".to_owned(),
                Err(e) => e,
            };
            report(&client, json!({"restarted": module, "status": status})).await?;
            println!("restart {module}: {status}");
        }
    }
    // A module runs until it is stopped (SIGTERM from the agent ends the process).
    std::future::pending::<()>().await;
    Ok(ExitCode::SUCCESS)
}

/// Adds one to the counter in `file` and returns the new count.
fn count_start(file: &Path) -> Result<u64, String> {
    let previous = match std::fs::read_to_string(file) {
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .map_err(|e| format!("{} is not a count: {e}", file.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    let starts = previous + 1;
    std::fs::write(file, starts.to_string())
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(starts)
}

async fn report(client: &ModuleClient, patch: Value) -> Result<(), String> {
    client
        .update_reported(patch)
        .await
        .map_err(|e| format!("reported patch refused: {}", chain(&e)))
}

/// Restarts `module` through the management API the environment names.
async fn restart(module: &str) -> Result<(), String> {
    let management = ManagementClient::from_environment(|k| std::env::var(k).ok())
        .map_err(|e| chain(&e))?
        .ok_or_else(|| {
            format!(
                "the management API is not available: {IOTEDGE_MANAGEMENTURI} is not set \
                 (the module's createOptions do not bind /var/run/iotedge/mgmt.sock)"
            )
        })?;
    management.restart(module).await.map_err(|e| chain(&e))
}

async fn wait_for(path: &Path) -> Result<String, String> {
    let deadline = tokio::time::Instant::now() + READ_WAIT;
    loop {
        match std::fs::read_to_string(path) {
            Ok(content) => return Ok(content),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!(
                "{} did not appear within {READ_WAIT:?}",
                path.display()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
