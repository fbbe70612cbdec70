//! P1, P2 and P4: every server started fresh for each run, pinned to one core, driven by
//! `opc-load` pinned to the other, the runs interleaved (A B C A B C …); medians per server
//! and ratios from the same run.
//!
//! - P1 `reads`: 10 sessions reading the 100 `Double`s in one request each, [`P1_IN_FLIGHT`]
//!   requests in flight per session (a new one as each answer arrives), the same depth for
//!   every server: with one at a time, 10 sessions measured the round trip, not the server.
//! - P2 `memory`: 1,000 `Double`s, 10 sessions each reading all of them twice a second; the
//!   server's RSS at the end of the window (and its peak).
//! - P4 `setups`: sessions opened (secure channel, `CreateSession`, `ActivateSession`) and
//!   closed in a loop; the server's CPU time per set-up.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use opc_load::{ReadReport, SetupReport};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::certs::Fixture;
use crate::servers::{self, Launch, Server};
use crate::stats::{interleave, median};

/// Where and how the runs go.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The `opc-load` binary.
    pub load: PathBuf,
    /// Repetitions of each server.
    pub reps: usize,
    /// The measured window of each run.
    pub seconds: f64,
    /// Warm-up before the window.
    pub warmup: f64,
    /// The server's core and the client's core (`None`: not pinned).
    pub cores: Option<(usize, usize)>,
    /// Logs of every process.
    pub logs: PathBuf,
    /// Record a perf profile of every `opc-plc` run into this folder (`perf record
    /// --call-graph dwarf -p`, attached after the start, stopped after the load).
    pub perf: Option<PathBuf>,
}

/// One run of one server.
#[derive(Debug, Clone, Serialize)]
pub struct Run<T> {
    /// The server.
    pub server: String,
    /// Its repetition (from 1).
    pub rep: usize,
    /// What the load measured.
    pub report: T,
}

/// The figure of one server over its runs.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The server.
    pub server: String,
    /// The median of the figure.
    pub median: Option<f64>,
    /// Every run's figure, in run order.
    pub values: Vec<f64>,
    /// The median CPU of the load client (share of its core) in these runs.
    pub client_cpu: Option<f64>,
    /// The median CPU of the server (share of its core) in these runs.
    pub server_cpu: Option<f64>,
}

/// The runs and summaries of one benchmark.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome<T> {
    /// What the figure is (`reads/s`, `MiB`, `ms`).
    pub unit: String,
    /// Every run.
    pub runs: Vec<Run<T>>,
    /// One summary per server, in the order given.
    pub summaries: Vec<Summary>,
}

impl<T> Outcome<T> {
    /// The median of `server`.
    #[must_use]
    pub fn median(&self, server: &str) -> Option<f64> {
        self.summaries
            .iter()
            .find(|s| s.server == server)
            .and_then(|s| s.median)
    }
}

/// Summaries of `runs` per server: the median of `figure`, of the client's and the server's CPU.
pub fn summarise<T>(
    servers: &[Server],
    runs: &[Run<T>],
    figure: impl Fn(&T) -> Option<f64>,
    cpus: impl Fn(&T) -> (f64, Option<f64>),
) -> Vec<Summary> {
    servers
        .iter()
        .map(|s| {
            let mine: Vec<&Run<T>> = runs.iter().filter(|r| r.server == s.name).collect();
            let values: Vec<f64> = mine.iter().filter_map(|r| figure(&r.report)).collect();
            let client: Vec<f64> = mine.iter().map(|r| cpus(&r.report).0).collect();
            let server: Vec<f64> = mine.iter().filter_map(|r| cpus(&r.report).1).collect();
            Summary {
                server: s.name.clone(),
                median: median(&values),
                values,
                client_cpu: median(&client),
                server_cpu: median(&server),
            }
        })
        .collect()
}

/// Runs `opc-load` with `args` (pinned when asked) and parses its JSON report.
pub fn opc_load<T: DeserializeOwned>(
    options: &RunOptions,
    args: &[String],
    log: &Path,
) -> Result<T> {
    let mut command = vec![options.load.display().to_string()];
    command.extend(args.iter().cloned());
    let command = servers::pinned(command, options.cores.map(|(_, client)| client));
    let output = Command::new(&command[0])
        .args(&command[1..])
        .output()
        .with_context(|| format!("running {}", command.join(" ")))?;
    std::fs::write(log, &output.stderr)?;
    if !output.status.success() {
        bail!(
            "{} failed ({}): {}",
            command.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8(output.stdout)?;
    serde_json::from_str(text.trim()).with_context(|| format!("opc-load's report: {text}"))
}

/// Runs `load_args` against each server `reps` times, interleaved; `make_args` adds the target
/// of one run (URL, pid, URI) to the load's arguments.
fn each_server<T: DeserializeOwned>(
    name: &str,
    servers: &[Server],
    fixture: &Fixture,
    options: &RunOptions,
    doubles: u32,
    load_args: &[String],
    check: impl Fn(&T) -> Result<()>,
) -> Result<Vec<Run<T>>> {
    let mut runs = Vec::new();
    for (rep, server) in interleave(servers, options.reps) {
        let slug = format!("{name}-{}-{rep}", slug(&server.name));
        let launch = Launch {
            doubles,
            port: servers::free_port()?,
            core: options.cores.map(|(server, _)| server),
            log: options.logs.join(format!("{slug}.server.log")),
        };
        eprintln!(
            "[bench] {name}: {} (run {rep} of {})",
            server.name, options.reps
        );
        let mut running = servers::start(&server, fixture, &launch)?;
        let profile = match (&options.perf, &server.kind) {
            (Some(dir), servers::Kind::OpcPlc(_)) => Some(servers::Profile::start(
                running.pid,
                &dir.join(format!("{slug}.perf.data")),
            )?),
            _ => None,
        };
        let mut args = load_args.to_vec();
        args.extend([
            "--url".to_owned(),
            running.url.clone(),
            "--pki".to_owned(),
            fixture.client_store.display().to_string(),
            "--server-pid".to_owned(),
            running.pid.to_string(),
            "--server-uri".to_owned(),
            running.uri.to_owned(),
            "--warmup".to_owned(),
            options.warmup.to_string(),
            "--seconds".to_owned(),
            options.seconds.to_string(),
        ]);
        let report: Result<T> = opc_load(
            options,
            &args,
            &options.logs.join(format!("{slug}.load.log")),
        );
        if let Some(profile) = profile {
            profile.stop()?;
        }
        let alive = running.is_running();
        let tail = running.log_tail();
        running.stop()?;
        let report = report.with_context(|| format!("{}: server log:\n{tail}", server.name))?;
        if !alive {
            bail!("{} died during the run:\n{tail}", server.name);
        }
        check(&report).with_context(|| format!("{} run {rep}", server.name))?;
        runs.push(Run {
            server: server.name.clone(),
            rep,
            report,
        });
    }
    Ok(runs)
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn no_read_errors(r: &ReadReport) -> Result<()> {
    if r.errors > 0 {
        bail!("{} errors: {:?}", r.errors, r.error_messages);
    }
    if r.reads == 0 {
        bail!("no read completed");
    }
    Ok(())
}

/// Read requests each P1 session keeps in flight, unless `bench run --in-flight` says otherwise.
pub const P1_IN_FLIGHT: usize = 8;

/// P1: secure reads of the 100 values per second, 10 sessions, `in_flight` requests in flight
/// per session.
pub fn reads(
    servers: &[Server],
    fixture: &Fixture,
    options: &RunOptions,
    in_flight: usize,
) -> Result<Outcome<ReadReport>> {
    let in_flight = in_flight.to_string();
    let args: Vec<String> = [
        "reads",
        "--sessions",
        "10",
        "--fast-doubles",
        "100",
        "--in-flight",
        &in_flight,
    ]
    .map(String::from)
    .to_vec();
    let runs = each_server("p1", servers, fixture, options, 100, &args, no_read_errors)?;
    let summaries = summarise(
        servers,
        &runs,
        |r: &ReadReport| Some(r.reads_per_second),
        |r| (r.client_cpu, r.server_cpu),
    );
    Ok(Outcome {
        unit: "reads/s".to_owned(),
        runs,
        summaries,
    })
}

/// KiB in a MiB.
const KIB_PER_MIB: f64 = 1024.0;

/// P2: the server's RSS (MiB) with 1,000 `Double`s and 10 sessions reading all of them twice a
/// second; RSS sampled every second, the figure is the last sample of the window.
pub fn memory(
    servers: &[Server],
    fixture: &Fixture,
    options: &RunOptions,
) -> Result<Outcome<ReadReport>> {
    let args: Vec<String> = [
        "reads",
        "--sessions",
        "10",
        "--fast-doubles",
        "1000",
        "--interval-ms",
        "500",
        "--sample-every",
        "1",
    ]
    .map(String::from)
    .to_vec();
    let runs = each_server("p2", servers, fixture, options, 1000, &args, no_read_errors)?;
    #[allow(clippy::cast_precision_loss)] // KiB far below 2^52
    let summaries = summarise(
        servers,
        &runs,
        |r: &ReadReport| r.server_end.map(|s| s.rss_kib as f64 / KIB_PER_MIB),
        |r| (r.client_cpu, r.server_cpu),
    );
    Ok(Outcome {
        unit: "MiB".to_owned(),
        runs,
        summaries,
    })
}

/// P4: the server's CPU per session set-up (ms), 4 set-up loops.
pub fn setups(
    servers: &[Server],
    fixture: &Fixture,
    options: &RunOptions,
) -> Result<Outcome<SetupReport>> {
    let args: Vec<String> = ["setups", "--concurrency", "4"].map(String::from).to_vec();
    let runs = each_server(
        "p4",
        servers,
        fixture,
        options,
        100,
        &args,
        |r: &SetupReport| {
            if r.errors > 0 {
                bail!("{} errors: {:?}", r.errors, r.error_messages);
            }
            if r.setups == 0 {
                bail!("no session was set up");
            }
            Ok(())
        },
    )?;
    let summaries = summarise(
        servers,
        &runs,
        |r: &SetupReport| r.server_cpu_ms_per_setup,
        |r| (r.client_cpu, r.server_cpu),
    );
    Ok(Outcome {
        unit: "ms".to_owned(),
        runs,
        summaries,
    })
}

/// The wall time a benchmark of `servers` takes, roughly (for the progress line).
#[must_use]
pub fn estimate(servers: usize, options: &RunOptions) -> Duration {
    #[allow(clippy::cast_precision_loss)]
    let runs = (servers * options.reps) as f64;
    Duration::from_secs_f64(runs * (options.warmup + options.seconds + 3.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::servers::Kind;

    fn server(name: &str) -> Server {
        Server {
            name: name.to_owned(),
            kind: Kind::OpcPlc(PathBuf::from("/bin/true")),
        }
    }

    #[test]
    fn summaries_take_medians_per_server_in_the_order_given() {
        let servers = [server("a"), server("b")];
        let runs: Vec<Run<(f64, f64)>> = [
            ("a", 10.0),
            ("b", 1.0),
            ("a", 30.0),
            ("b", 3.0),
            ("a", 20.0),
        ]
        .iter()
        .enumerate()
        .map(|(i, (s, v))| Run {
            server: (*s).to_owned(),
            rep: i,
            report: (*v, *v / 100.0),
        })
        .collect();
        let s = summarise(&servers, &runs, |r| Some(r.0), |r| (r.1, Some(1.0)));
        assert_eq!(s[0].server, "a");
        assert_eq!(s[0].median, Some(20.0));
        assert_eq!(s[0].values, [10.0, 30.0, 20.0]);
        assert_eq!(s[0].client_cpu, Some(0.2));
        assert_eq!(s[1].median, Some(2.0));
    }

    #[test]
    fn slugs_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slug("opc-plc (mbedTLS)"), "opc-plc-mbedtls");
        assert_eq!(slug("node-opcua"), "node-opcua");
    }
}
