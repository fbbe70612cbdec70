//! `seed-demo`: the seed walk-through played live, the second half of `./scripts/demo`.
//!
//! It runs `deployment.template.json` on an in-process edge-sim with the module binaries of its
//! own build profile, initialises an `opc-vault`, and plays the three acts of the seed with
//! zero manual steps: (1) the modules self-signed and the client's secure session refused;
//! (2) `opc-vault provision` of every target, the client reading `i=2258`, the third-party PLC
//! (restarted by cert-agent) accepting a client of the same CA; (3) the client revoked and
//! refused. Each step is shown as it happens and in a final table with its time.
//!
//! ```text
//! seed-demo [--work-dir DIR] [--keep] [--page [--listen ADDR]]
//! ```
//!
//! With `--page` it plays act 1 only, then serves the operator's page (`opc-vault serve`,
//! ADR 0014) on the running deployment and prints its link: acts 2 and 3 are the operator's,
//! from the browser, until Ctrl-C.
//!
//! Exit codes: 0 when every step behaved as expected (the client's session at most 2 s after
//! `provision` ended), 1 when one did not (the table says which and why), 2 for a usage error,
//! 130 after Ctrl-C (everything is stopped first).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use e2e::seed::{Seed, SeedOptions, StepFailed};

/// The target from the end of `provision` to the client's trusted session.
const SESSION_TARGET: Duration = Duration::from_secs(2);

struct Row {
    step: String,
    result: String,
    took: Duration,
}

struct Table {
    rows: Vec<Row>,
    started: Instant,
}

impl Table {
    fn begin(step: &str) {
        println!("\n▶ {step}");
    }

    fn end(&mut self, step: &str, result: Result<String, String>, took: Duration) -> bool {
        let (mark, result, ok) = match result {
            Ok(note) => ("✔", note, true),
            Err(why) => ("✘", why, false),
        };
        println!("{mark} {step} ({:.1} s) {result}", took.as_secs_f64());
        self.rows.push(Row {
            step: step.to_owned(),
            result: if ok {
                "ok".to_owned()
            } else {
                format!("FAILED: {result}")
            },
            took,
        });
        ok
    }

    fn print(&self) {
        println!("\n{:<3} {:<62} {:>7}  result", "#", "step", "time");
        for (i, row) in self.rows.iter().enumerate() {
            let first = row.result.lines().next().unwrap_or_default();
            println!(
                "{:<3} {:<62} {:>6.1}s  {first}",
                i + 1,
                row.step,
                row.took.as_secs_f64()
            );
        }
        println!(
            "total {:.1} s after the build, 0 manual steps",
            self.started.elapsed().as_secs_f64()
        );
    }
}

struct Args {
    work_dir: Option<PathBuf>,
    keep: bool,
    page: bool,
    listen: std::net::SocketAddr,
}

fn args() -> Result<Args, String> {
    let mut out = Args {
        work_dir: None,
        keep: false,
        page: false,
        listen: opc_vault::serve::DEFAULT_LISTEN
            .parse()
            .map_err(|e| format!("{e}"))?,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--work-dir" => {
                out.work_dir = Some(args.next().ok_or("--work-dir needs a folder")?.into());
            }
            "--keep" => out.keep = true,
            "--page" => out.page = true,
            "--listen" => {
                let addr = args.next().ok_or("--listen needs an address")?;
                out.listen = addr
                    .parse()
                    .map_err(|e| format!("--listen {addr:?}: {e}"))?;
            }
            "-h" | "--help" => {
                return Err(
                    "usage: seed-demo [--work-dir DIR] [--keep] [--page [--listen ADDR]]\n  plays the seed walk-through on edge-sim with deployment.template.json (see ./scripts/demo);\n  --page: act 1, then the operator's page on the running deployment until Ctrl-C"
                        .to_owned(),
                );
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(out)
}

/// The target directory and profile this binary was built in (`<target>/<profile>/seed-demo`).
fn build_location() -> Option<(PathBuf, String)> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?;
    let profile = profile_dir.file_name()?.to_str()?.to_owned();
    Some((profile_dir.parent()?.to_owned(), profile))
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let Some((target_dir, profile)) = build_location() else {
        eprintln!("cannot tell where seed-demo was built");
        return ExitCode::FAILURE;
    };
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let temp = tempdir_in(&target_dir);
    let work_dir = args.work_dir.clone().unwrap_or_else(|| temp.clone());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = SeedOptions {
        repo_root,
        target_dir,
        profile,
        work_dir: work_dir.clone(),
        patience: Duration::from_mins(1),
    };
    let (page, listen) = (args.page, args.listen);
    let code = runtime.block_on(async move {
        let mut table = Table {
            rows: Vec::new(),
            started: Instant::now(),
        };
        let say: e2e::seed::Say = Arc::new(|line: &str| println!("    {line}"));
        let step = "edge-sim runs deployment.template.json, opc-vault init";
        Table::begin(step);
        let begun = Instant::now();
        let seed = tokio::select! {
            seed = Seed::start(options, say) => seed,
            _ = tokio::signal::ctrl_c() => return ExitCode::from(130),
        };
        let mut seed = match seed {
            Ok(seed) => seed,
            Err(e) => {
                table.end(step, Err(e.to_string()), begun.elapsed());
                table.print();
                return ExitCode::FAILURE;
            }
        };
        table.end(step, Ok(String::new()), begun.elapsed());
        if page {
            let ok = serve_page(&mut seed, &mut table, listen).await;
            seed.shutdown().await;
            return if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        let ok = tokio::select! {
            ok = play(&mut seed, &mut table) => ok,
            _ = tokio::signal::ctrl_c() => {
                println!("\nCtrl-C: stopping the modules and edge-sim");
                seed.shutdown().await;
                return ExitCode::from(130);
            }
        };
        seed.shutdown().await;
        table.print();
        if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    });
    if !args.keep && args.work_dir.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    } else {
        println!("state kept in {}", work_dir.display());
    }
    code
}

/// A fresh folder under the target directory (the demo's state; removed at the end).
fn tempdir_in(target: &Path) -> PathBuf {
    let dir = target.join(format!("seed-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The three acts; false when one did not behave.
async fn play(seed: &mut Seed, table: &mut Table) -> bool {
    let step = "act 1: self-signed, the client's secure session is refused";
    Table::begin(step);
    let begun = Instant::now();
    let result = seed
        .self_signed()
        .await
        .map(|s| format!("{} CSRs reported, stores on the volumes", s.csrs.len()));
    if !table.end(
        step,
        result.map_err(|e: StepFailed| e.to_string()),
        begun.elapsed(),
    ) {
        return false;
    }

    let step = "act 2: opc-vault provision, the client reads i=2258";
    Table::begin(step);
    let begun = Instant::now();
    let provisioned = match seed.provision().await {
        Ok(p) => p,
        Err(e) => {
            table.end(step, Err(e.to_string()), begun.elapsed());
            return false;
        }
    };
    let session = provisioned.session_after;
    let note = format!(
        "provision {:.1} s; session {:.1} s after it (target ≤ {} s); {} restarted {}×",
        provisioned.provision_took.as_secs_f64(),
        session.as_secs_f64(),
        SESSION_TARGET.as_secs(),
        e2e::seed::THIRD_PARTY,
        provisioned.third_party_restarts
    );
    let result = if session <= SESSION_TARGET {
        Ok(note)
    } else {
        Err(format!(
            "the client's session came {:.1} s after provision: {note}",
            session.as_secs_f64()
        ))
    };
    if !table.end(step, result, begun.elapsed()) {
        return false;
    }

    let step = "act 3: the client revoked, the PLC refuses it";
    Table::begin(step);
    let begun = Instant::now();
    let result = seed.revoke_client().await.map(|r| {
        format!(
            "refused {:.1} s after the CRL reached the PLC",
            r.refused_after.as_secs_f64()
        )
    });
    table.end(step, result.map_err(|e| e.to_string()), begun.elapsed())
}

/// `--page`: act 1, then the operator's page on the running deployment until Ctrl-C; false
/// when act 1 or the page failed.
async fn serve_page(seed: &mut Seed, table: &mut Table, listen: std::net::SocketAddr) -> bool {
    let step = "act 1: self-signed, the client's secure session is refused";
    Table::begin(step);
    let begun = Instant::now();
    let result = tokio::select! {
        result = seed.self_signed() => result,
        _ = tokio::signal::ctrl_c() => return true,
    };
    let result = result.map(|s| format!("{} CSRs reported, stores on the volumes", s.csrs.len()));
    if !table.end(step, result.map_err(|e| e.to_string()), begun.elapsed()) {
        return false;
    }
    let shutdown = tokio_util::sync::CancellationToken::new();
    let served = match opc_vault::serve::start(
        seed.vault().clone(),
        opc_vault::serve::ServeOptions {
            listen,
            hub: seed.hub().clone(),
            hub_key: None,
            token: None,
            tls: None,
            provision: opc_vault::provision::ProvisionOptions::default(),
        },
        shutdown.clone(),
    )
    .await
    {
        Ok(served) => served,
        Err(e) => {
            println!("✘ the operator's page: {}", e2e::chain(&e));
            return false;
        }
    };
    println!(
        "\n▶ the operator's page\n\n    {}\n\n\
         Open it in a browser. On opcclient's card the PLC certificate it refused waits for\n\
         Approve; Provision signs a module's CSR and its card shows the new thumbprint;\n\
         Revoke on opcclient pushes the CRL to every store. Ctrl-C stops everything.",
        served.url
    );
    let _ = tokio::signal::ctrl_c().await;
    println!("\nCtrl-C: stopping the page, the modules and edge-sim");
    shutdown.cancel();
    served.stopped().await;
    true
}
