//! `opc-load`: runs one load against an OPC UA server and prints its report as one JSON line
//! on stdout (a summary goes to stderr).
//!
//! Exit codes: 0 when the load ran (errors are in the report) unless `--fail-on-error` and
//! errors occurred (3); 1 when it could not run; 2 for usage errors.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory as _, Parser, Subcommand};
use opc_load::{PLC_NAMESPACE, ReadLoad, SetupLoad, Target, fast_doubles, run_reads, run_setups};
use pki::SecurityPolicy;
use ua::{ClientOptions, SecurityMode};

/// Load for OPC UA servers on our client: reads or session set-ups, over
/// Basic256Sha256/SignAndEncrypt unless told otherwise.
#[derive(Debug, Parser)]
#[command(name = "opc-load", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sessions reading values, each read one `Read` request of every node.
    Reads(ReadsArgs),
    /// Sessions opened (channel, `CreateSession`, `ActivateSession`) and closed in a loop.
    Setups(SetupsArgs),
}

#[derive(Debug, Args)]
struct TargetArgs {
    /// The server's endpoint URL.
    #[arg(long)]
    url: String,
    /// Root of the client's PKI store (own, trusted, issuer, rejected).
    #[arg(long)]
    pki: PathBuf,
    /// The server's process id, to report its CPU and memory.
    #[arg(long)]
    server_pid: Option<u32>,
    /// The server's application URI its certificate must carry.
    #[arg(long)]
    server_uri: Option<String>,
    /// Seconds of warm-up before the measured window.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Seconds of the measured window.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Exit with 3 when any error occurred.
    #[arg(long)]
    fail_on_error: bool,
}

impl TargetArgs {
    fn target(&self) -> Target {
        let mut options = ClientOptions::new("OpcLoad");
        options.security_policy = SecurityPolicy::Basic256Sha256;
        options.security_mode = SecurityMode::SignAndEncrypt;
        options.expected_server_uri.clone_from(&self.server_uri);
        Target {
            url: self.url.clone(),
            store_root: self.pki.clone(),
            options,
            server_pid: self.server_pid,
        }
    }
}

#[derive(Debug, Args)]
struct ReadsArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Concurrent sessions.
    #[arg(long, default_value_t = 10)]
    sessions: usize,
    /// Read the OPC PLC's fast Double nodes FastDouble1..N (in --namespace).
    #[arg(long, default_value_t = 100)]
    fast_doubles: u32,
    /// The namespace of the fast Double nodes.
    #[arg(long, default_value = PLC_NAMESPACE)]
    namespace: String,
    /// More node ids to read in the same request.
    #[arg(long = "node")]
    nodes: Vec<String>,
    /// Milliseconds between two reads of a session (0: back to back; only with --in-flight 1).
    #[arg(long, default_value_t = 0)]
    interval_ms: u64,
    /// Read requests each session keeps in flight, pipelined on its secure channel: a new one
    /// as each answer arrives (1: the next only after the last answer).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    in_flight: u16,
    /// Seconds between samples of the server's memory during the window (0: at its ends).
    #[arg(long, default_value_t = 0.0)]
    sample_every: f64,
}

#[derive(Debug, Args)]
struct SetupsArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Concurrent set-up loops.
    #[arg(long, default_value_t = 2)]
    concurrency: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (json, errors, fail_on_error) = match cli.command {
        Command::Reads(args) => {
            if args.in_flight > 1 && args.interval_ms > 0 {
                Cli::command()
                    .error(
                        clap::error::ErrorKind::ArgumentConflict,
                        "--interval-ms paces one read at a time: only with --in-flight 1",
                    )
                    .exit();
            }
            let mut nodes = fast_doubles(&args.namespace, args.fast_doubles);
            nodes.extend(args.nodes.iter().cloned());
            let load = ReadLoad {
                nodes,
                sessions: args.sessions,
                warmup: Duration::from_secs_f64(args.target.warmup),
                duration: Duration::from_secs_f64(args.target.seconds),
                interval: (args.interval_ms > 0).then(|| Duration::from_millis(args.interval_ms)),
                in_flight: usize::from(args.in_flight),
                sample_every: (args.sample_every > 0.0)
                    .then(|| Duration::from_secs_f64(args.sample_every)),
            };
            match run_reads(&args.target.target(), &load) {
                Ok(r) => {
                    eprintln!(
                        "[opc-load] {} sessions, {} in flight each: {:.0} reads/s of {} values, {} errors, client CPU {:.0}%{}",
                        r.sessions,
                        r.in_flight,
                        r.reads_per_second,
                        r.values_per_read,
                        r.errors,
                        r.client_cpu * 100.0,
                        r.server_cpu
                            .map(|c| format!(", server CPU {:.0}%", c * 100.0))
                            .unwrap_or_default()
                    );
                    (
                        serde_json::to_string(&r),
                        r.errors,
                        args.target.fail_on_error,
                    )
                }
                Err(e) => return fail(&e),
            }
        }
        Command::Setups(args) => {
            let load = SetupLoad {
                concurrency: args.concurrency,
                warmup: Duration::from_secs_f64(args.target.warmup),
                duration: Duration::from_secs_f64(args.target.seconds),
            };
            match run_setups(&args.target.target(), &load) {
                Ok(r) => {
                    eprintln!(
                        "[opc-load] {} set-ups in {:.1} s, {} errors, client CPU {:.0}%{}",
                        r.setups,
                        r.seconds,
                        r.errors,
                        r.client_cpu * 100.0,
                        r.server_cpu_ms_per_setup
                            .map(|c| format!(", server CPU {c:.2} ms per set-up"))
                            .unwrap_or_default()
                    );
                    (
                        serde_json::to_string(&r),
                        r.errors,
                        args.target.fail_on_error,
                    )
                }
                Err(e) => return fail(&e),
            }
        }
    };
    match json {
        Ok(line) => println!("{line}"),
        Err(e) => return fail(&e),
    }
    if fail_on_error && errors > 0 {
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}

fn fail(error: &dyn std::error::Error) -> ExitCode {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    eprintln!("[opc-load] {text}");
    ExitCode::FAILURE
}
