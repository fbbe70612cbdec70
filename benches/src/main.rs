//! `bench`: runs the benchmarks (`bench run`) or the soak (`bench soak`) with binaries built
//! beforehand (`scripts/bench` and `scripts/soak` build opc-plc in the dist profile, the rest in
//! release), and writes `results.json` and `summary.md` into `--out`.
//!
//! Exit codes: 0 when every selected benchmark ran (a missed target is reported, not an
//! error), 1 when one could not run, 2 for usage errors; `soak` exits 3 when a read failed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use bench::certs::Fixture;
use bench::edge;
use bench::report::{self, Machine, Results};
use bench::runs::{self, RunOptions};
use bench::servers::{self, Kind, Launch, Server};
use clap::{Args, Parser, Subcommand};
use opc_load::ReadReport;

#[derive(Debug, Parser)]
#[command(name = "bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The benchmarks P1–P8.
    Run(Box<RunArgs>),
    /// 100 (or --sessions) secure sessions reading from opc-plc for --minutes.
    Soak(SoakArgs),
}

#[derive(Debug, Args)]
struct Binaries {
    /// The opc-plc binary (the dist profile, as its image ships it).
    #[arg(long)]
    plc: PathBuf,
    /// The opc-load binary (release).
    #[arg(long)]
    load: PathBuf,
    /// Where results, logs and the PKI go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    bin: Binaries,
    /// Benchmarks to run (p1,p2,p3,p4,p5,p6,p7,p8).
    #[arg(long, value_delimiter = ',', default_value = "p1,p2,p3,p4,p5,p6,p7,p8")]
    only: Vec<String>,
    /// Name of the opc-plc build in the reports.
    #[arg(long, default_value = "opc-plc")]
    plc_name: String,
    /// An opc-plc built with the other crypto backend, measured beside it in P1 and P4.
    #[arg(long)]
    plc_alt: Option<PathBuf>,
    /// Its name in the reports.
    #[arg(long, default_value = "opc-plc (other backend)")]
    plc_alt_name: String,
    /// The Python with asyncua (the repository's .venv).
    #[arg(long, default_value = ".venv/bin/python")]
    python: PathBuf,
    /// Node.js.
    #[arg(long, default_value = "node")]
    node: PathBuf,
    /// The repository (for the peers' scripts).
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// Read requests each P1 session keeps in flight (pipelined), the same for every server.
    #[arg(long, default_value_t = runs::P1_IN_FLIGHT)]
    in_flight: usize,
    /// Repetitions of each server in P1, P2, P4.
    #[arg(long, default_value_t = 3)]
    reps: usize,
    /// Seconds of each measured window.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seconds of warm-up before each window.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Do not pin servers and client to cores.
    #[arg(long)]
    no_pin: bool,
    /// Record a perf profile of every opc-plc run in P1, P2, P4 (into <out>/perf).
    #[arg(long)]
    perf: bool,
    /// P3 trials.
    #[arg(long, default_value_t = 100)]
    trials: usize,
    /// P6 module clients.
    #[arg(long, default_value_t = 200)]
    fan_out: usize,
    /// P7 modules.
    #[arg(long, default_value_t = 50)]
    provision: usize,
    /// P8 fleet devices (two stores each).
    #[arg(long, default_value_t = 1000)]
    fleet_devices: u32,
    /// P8 service API rate limit, requests per second.
    #[arg(long, default_value_t = 200)]
    fleet_rate: u32,
    /// P8 targets at a time.
    #[arg(long, default_value_t = 64)]
    fleet_concurrency: usize,
    /// criterion's output folder, for P5 (`cargo bench -p pki --bench validation` first).
    #[arg(long, default_value = "target/criterion")]
    criterion: PathBuf,
}

#[derive(Debug, Args)]
struct SoakArgs {
    #[command(flatten)]
    bin: Binaries,
    /// Minutes of reading.
    #[arg(long, default_value_t = 10.0)]
    minutes: f64,
    /// Concurrent sessions.
    #[arg(long, default_value_t = 100)]
    sessions: usize,
    /// Milliseconds between two reads of a session (0: back to back).
    #[arg(long, default_value_t = 0)]
    interval_ms: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run(&args).map(|()| ExitCode::SUCCESS),
        Command::Soak(args) => soak(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("[bench] {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn absolute(path: &std::path::Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| format!("{} does not exist", path.display()))
}

/// A fresh output folder with its logs folder; the PKI fixture in it.
fn prepare(out: &std::path::Path) -> Result<(PathBuf, Fixture)> {
    std::fs::create_dir_all(out)?;
    let out = absolute(out)?;
    let pki = out.join("pki");
    if pki.exists() {
        std::fs::remove_dir_all(&pki)?;
    }
    std::fs::create_dir_all(out.join("logs"))?;
    let fixture = Fixture::create(&pki, time::OffsetDateTime::now_utc())?;
    Ok((out, fixture))
}

/// The servers of P1 and P4 (ours, its other build if given, the peers), those of P2 (ours
/// and the peers), and the other build's name.
fn servers_under_test(
    args: &RunArgs,
    plc: &std::path::Path,
    repo: &std::path::Path,
) -> Result<(Vec<Server>, Vec<Server>, Option<String>)> {
    let ours = Server {
        name: args.plc_name.clone(),
        kind: Kind::OpcPlc(plc.to_owned()),
    };
    let alt = args
        .plc_alt
        .as_ref()
        .map(|p| -> Result<Server> {
            Ok(Server {
                name: args.plc_alt_name.clone(),
                kind: Kind::OpcPlc(absolute(p)?),
            })
        })
        .transpose()?;
    let peers = [
        Server {
            name: "asyncua".to_owned(),
            kind: Kind::Asyncua {
                python: args.python.clone(),
                script: repo.join("benches/peers/asyncua_server.py"),
            },
        },
        Server {
            name: "node-opcua".to_owned(),
            kind: Kind::NodeOpcua {
                node: args.node.clone(),
                script: repo.join("benches/peers/node-opcua/server.js"),
            },
        },
    ];
    let mut with_alt = vec![ours.clone()];
    with_alt.extend(alt.iter().cloned());
    with_alt.extend(peers.iter().cloned());
    let mut plain = vec![ours.clone()];
    plain.extend(peers.iter().cloned());

    Ok((with_alt, plain, alt.map(|a| a.name)))
}

/// The benchmarks `--only` names, checked.
fn selection(only: &[String]) -> Result<BTreeSet<String>> {
    let selected: BTreeSet<String> = only.iter().map(|s| s.trim().to_lowercase()).collect();
    if let Some(unknown) = selected
        .iter()
        .find(|s| !["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"].contains(&s.as_str()))
    {
        bail!("unknown benchmark {unknown} (p1 … p8)");
    }
    Ok(selected)
}

fn run(args: &RunArgs) -> Result<()> {
    let selected = selection(&args.only)?;
    let plc = absolute(&args.bin.plc)?;
    let (out, fixture) = prepare(&args.bin.out)?;
    let repo = absolute(&args.repo)?;
    let options = RunOptions {
        load: absolute(&args.bin.load)?,
        reps: args.reps,
        seconds: args.seconds,
        warmup: args.warmup,
        cores: (!args.no_pin).then_some((0, 1)),
        logs: out.join("logs"),
        perf: args.perf.then(|| out.join("perf")),
    };
    let (with_alt, plain, alt) = servers_under_test(args, &plc, &repo)?;

    let mut results = Results {
        machine: Some(Machine::now()),
        plc: args.plc_name.clone(),
        plc_alt: alt,
        ..Results::default()
    };
    let save = |results: &Results| -> Result<()> {
        std::fs::write(
            out.join("results.json"),
            serde_json::to_string_pretty(results)?,
        )?;
        std::fs::write(out.join("summary.md"), report::markdown(results))?;
        Ok(())
    };
    if selected.contains("p5") {
        results.p5_ms = Some(report::criterion_median_ms(
            &args.criterion,
            "validate new peer",
        )?);
    }
    if selected.contains("p1") {
        eprintln!(
            "[bench] P1 reads: about {:?}",
            runs::estimate(with_alt.len(), &options)
        );
        results.p1 = Some(runs::reads(&with_alt, &fixture, &options, args.in_flight)?);
        save(&results)?;
    }
    if selected.contains("p4") {
        eprintln!(
            "[bench] P4 set-ups: about {:?}",
            runs::estimate(with_alt.len(), &options)
        );
        results.p4 = Some(runs::setups(&with_alt, &fixture, &options)?);
        save(&results)?;
    }
    if selected.contains("p2") {
        eprintln!(
            "[bench] P2 memory: about {:?}",
            runs::estimate(plain.len(), &options)
        );
        results.p2 = Some(runs::memory(&plain, &fixture, &options)?);
        save(&results)?;
    }
    let wants_edge = ["p3", "p6", "p7", "p8"]
        .iter()
        .any(|p| selected.contains(*p));
    if wants_edge {
        edge_benchmarks(args, &selected, &plc, &out, &fixture, &mut results, &save)?;
    }
    if let Some(m) = results.machine.as_mut() {
        m.finish();
    }
    results.verdicts = report::verdicts(&results);
    save(&results)?;
    println!("{}", report::markdown(&results));
    eprintln!("[bench] results in {}", out.display());
    Ok(())
}

/// P3, P6, P7 and P8: the twin path on in-process edge-sims.
fn edge_benchmarks(
    args: &RunArgs,
    selected: &std::collections::BTreeSet<String>,
    plc: &std::path::Path,
    out: &std::path::Path,
    fixture: &Fixture,
    results: &mut Results,
    save: &dyn Fn(&Results) -> Result<()>,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let work = out.join("edge");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    if selected.contains("p3") {
        eprintln!("[bench] P3 twin round trips: {} trials", args.trials);
        results.p3 = Some(runtime.block_on(edge::twin_round_trips(
            plc,
            &work,
            &fixture.vault,
            args.trials,
        ))?);
        save(results)?;
    }
    if selected.contains("p6") {
        eprintln!("[bench] P6 fan-out: {} module clients", args.fan_out);
        results.p6 = Some(runtime.block_on(edge::fan_out(&work, args.fan_out))?);
        save(results)?;
    }
    if selected.contains("p7") {
        eprintln!("[bench] P7 provisioning: {} modules", args.provision);
        results.p7 = Some(runtime.block_on(edge::provision_many(&work, args.provision))?);
        save(results)?;
    }
    if selected.contains("p8") {
        eprintln!(
            "[bench] P8 fleet rotation: {} devices × 2 stores at {} requests/s",
            args.fleet_devices, args.fleet_rate
        );
        results.p8 = Some(runtime.block_on(edge::fleet_rotation(
            &work,
            args.fleet_devices,
            args.fleet_rate,
            args.fleet_concurrency,
        ))?);
        save(results)?;
    }
    Ok(())
}

fn soak(args: &SoakArgs) -> Result<ExitCode> {
    let plc = absolute(&args.bin.plc)?;
    let (out, fixture) = prepare(&args.bin.out)?;
    let server = Server {
        name: "opc-plc".to_owned(),
        kind: Kind::OpcPlc(plc),
    };
    let launch = Launch {
        doubles: 100,
        port: servers::free_port()?,
        core: None,
        log: out.join("logs/soak.server.log"),
    };
    let mut running = servers::start(&server, &fixture, &launch)?;
    let options = RunOptions {
        load: absolute(&args.bin.load)?,
        reps: 1,
        seconds: args.minutes * 60.0,
        warmup: 10.0,
        cores: None,
        logs: out.join("logs"),
        perf: None,
    };
    let load_args: Vec<String> = vec![
        "reads".into(),
        "--sessions".into(),
        args.sessions.to_string(),
        "--fast-doubles".into(),
        "100".into(),
        "--interval-ms".into(),
        args.interval_ms.to_string(),
        "--sample-every".into(),
        "10".into(),
        "--url".into(),
        running.url.clone(),
        "--pki".into(),
        fixture.client_store.display().to_string(),
        "--server-pid".into(),
        running.pid.to_string(),
        "--server-uri".into(),
        running.uri.to_owned(),
        "--warmup".into(),
        options.warmup.to_string(),
        "--seconds".into(),
        options.seconds.to_string(),
    ];
    eprintln!(
        "[bench] soak: {} sessions reading for {} minutes",
        args.sessions, args.minutes
    );
    let report: Result<ReadReport> =
        runs::opc_load(&options, &load_args, &out.join("logs/soak.load.log"));
    let alive = running.is_running();
    let tail = running.log_tail();
    running.stop()?;
    let report = report.with_context(|| format!("server log:\n{tail}"))?;
    std::fs::write(
        out.join("soak.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    let kib = |s: Option<opc_load::procfs::Sample>| s.map_or(0, |s| s.rss_kib);
    println!(
        "soak: {} sessions, {:.0} s, {} reads ({:.0}/s), {} errors, {} reconnects; server RSS start {} KiB, end {} KiB, max {} KiB; server CPU {:.0}%, client CPU {:.0}%",
        report.sessions,
        report.seconds,
        report.reads,
        report.reads_per_second,
        report.errors,
        report.reconnects,
        kib(report.server_start),
        kib(report.server_end),
        report.server_rss_max_kib.unwrap_or(0),
        report.server_cpu.unwrap_or(0.0) * 100.0,
        report.client_cpu * 100.0,
    );
    if !alive {
        bail!("opc-plc died during the soak:\n{tail}");
    }
    for m in &report.error_messages {
        println!("  error: {m}");
    }
    Ok(if report.errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
