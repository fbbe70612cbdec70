//! The two loads: sessions reading a set of values in one `Read` request each, as fast as the
//! server answers or at a fixed pace ([`run_reads`]), and sessions being set up and closed
//! ([`run_setups`]).
//!
//! Each session is a thread of its own with a blocking [`ua::Client`] (no async runtime: a hop
//! to a blocking pool per request would cost the client more CPU than the read). A reading
//! session keeps [`ReadLoad::in_flight`] requests in flight, pipelined on its one secure
//! channel ([`ua::Client::read_values_pipelined_blocking`]), a new one as each answer arrives;
//! with 1 it sends each request after the last answer (then a few sessions measure the round
//! trip rather than the server). The measured window starts after a warm-up, once every
//! session is connected; the counts, this process's CPU and, when given, the server's CPU and
//! memory are taken at both ends of the window, so the figures of one run are of the same
//! seconds.
//!
//! Errors are counted, never hidden: a failed read (service, a value's status, a value that is
//! not a `Double`) is an error, its session closes the client and connects again (a failed
//! connect is another error, retried after [`RETRY_PAUSE`]); with several reads in flight the
//! session stops sending at the first failed read and every read still in flight is counted
//! as its answer says before the reconnect. The first [`ERRORS_KEPT`] messages are kept for
//! the report.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pki::{Store, StoreLayout};
use serde::{Deserialize, Serialize};
use ua::{Client, ClientOptions, ReadValues, resolve_node_id};

use crate::procfs::{self, ProcError, Sample};

/// How long a session waits before connecting again after a failed connect.
pub const RETRY_PAUSE: Duration = Duration::from_millis(100);
/// How many error messages a report keeps.
pub const ERRORS_KEPT: usize = 5;
/// `Server_NamespaceArray`.
const NAMESPACE_ARRAY: u32 = 2255;

/// The server and how to reach it.
#[derive(Debug, Clone)]
pub struct Target {
    /// `opc.tcp://host:port[/path]`.
    pub url: String,
    /// The root of the client's PKI store (`own`, `trusted`, `issuer`, `rejected` below it).
    pub store_root: std::path::PathBuf,
    /// Policy, mode and the checks of the server's certificate.
    pub options: ClientOptions,
    /// The server's process, for its CPU and memory (`None`: not sampled).
    pub server_pid: Option<u32>,
}

impl Target {
    fn store(&self) -> Result<Store, LoadError> {
        Store::open(StoreLayout::under(&self.store_root)).map_err(LoadError::Store)
    }

    fn connect(&self) -> Result<Client, String> {
        let store = self.store().map_err(|e| error_text(&e))?;
        Client::connect(&self.url, &self.options, store).map_err(|e| error_text(&e))
    }
}

/// Why a load could not run at all (errors during the run are counted instead).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The client store could not be opened.
    #[error("cannot open the client store")]
    Store(#[source] pki::StoreError),
    /// Not every session connected before the warm-up ended.
    #[error("only {connected} of {sessions} sessions connected; first error: {error}")]
    NotConnected {
        /// Sessions wanted.
        sessions: usize,
        /// Sessions that connected.
        connected: usize,
        /// The first connect error.
        error: String,
    },
    /// A node id could not be resolved on the server.
    #[error("node '{node}': {message}")]
    Node {
        /// The node id text.
        node: String,
        /// What failed.
        message: String,
    },
    /// A process could not be sampled.
    #[error(transparent)]
    Proc(#[from] ProcError),
    /// A session thread could not be started.
    #[error("cannot start a session thread")]
    Thread(#[source] std::io::Error),
    /// The load asks for something impossible.
    #[error("invalid load: {0}")]
    Invalid(&'static str),
}

/// A read load.
#[derive(Debug, Clone)]
pub struct ReadLoad {
    /// Node ids as text (`ns=2;s=FastDouble1`, `nsu=<uri>;s=FastDouble1`), all read in one
    /// request; `nsu=` ids are resolved through the server's namespace array once.
    pub nodes: Vec<String>,
    /// Concurrent sessions.
    pub sessions: usize,
    /// Before the window, with every session connected.
    pub warmup: Duration,
    /// The measured window.
    pub duration: Duration,
    /// Pause between two reads of a session (`None`: the next read as soon as the last answer).
    /// Only with `in_flight` 1.
    pub interval: Option<Duration>,
    /// Read requests each session keeps in flight (1: the next only after the last answer).
    pub in_flight: usize,
    /// Samples of the server's memory during the window, this far apart (`None`: at its ends).
    pub sample_every: Option<Duration>,
}

/// What a read load measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadReport {
    /// Sessions that read.
    pub sessions: usize,
    /// Values per request.
    pub values_per_read: usize,
    /// Read requests each session kept in flight.
    #[serde(default = "one")]
    pub in_flight: usize,
    /// The window, seconds.
    pub seconds: f64,
    /// Reads answered with every value good within the window.
    pub reads: u64,
    /// `reads / seconds`.
    pub reads_per_second: f64,
    /// Failed reads and connects during the whole run (warm-up included).
    pub errors: u64,
    /// Sessions connected again after an error.
    pub reconnects: u64,
    /// The first error messages.
    pub error_messages: Vec<String>,
    /// This process's CPU in the window, as a share of one core (1.0 = one core busy).
    pub client_cpu: f64,
    /// The server's CPU in the window, as a share of one core.
    pub server_cpu: Option<f64>,
    /// The server at the start and the end of the window.
    pub server_start: Option<Sample>,
    /// See `server_start`.
    pub server_end: Option<Sample>,
    /// The largest RSS (KiB) seen in the window's samples.
    pub server_rss_max_kib: Option<u64>,
    /// Every memory sample of the window: (seconds since its start, RSS KiB).
    pub server_rss_samples: Vec<(f64, u64)>,
}

/// Reports written before `in_flight` existed read one request at a time.
fn one() -> usize {
    1
}

/// A set-up load: each session thread connects (secure channel, `CreateSession`,
/// `ActivateSession`) and closes again, in a loop.
#[derive(Debug, Clone)]
pub struct SetupLoad {
    /// Concurrent set-up loops.
    pub concurrency: usize,
    /// Before the window.
    pub warmup: Duration,
    /// The measured window.
    pub duration: Duration,
}

/// What a set-up load measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetupReport {
    /// Concurrent loops.
    pub concurrency: usize,
    /// The window, seconds.
    pub seconds: f64,
    /// Sessions set up and closed within the window.
    pub setups: u64,
    /// Failed connects during the whole run.
    pub errors: u64,
    /// The first error messages.
    pub error_messages: Vec<String>,
    /// This process's CPU in the window, as a share of one core.
    pub client_cpu: f64,
    /// The server's CPU time in the window divided by `setups`, milliseconds.
    pub server_cpu_ms_per_setup: Option<f64>,
    /// The server's CPU in the window, as a share of one core.
    pub server_cpu: Option<f64>,
}

/// What the session threads share.
#[derive(Debug, Default)]
struct Shared {
    done: AtomicU64,
    errors: AtomicU64,
    reconnects: AtomicU64,
    connected: AtomicU64,
    stop: AtomicBool,
    messages: Mutex<Vec<String>>,
}

impl Shared {
    fn error(&self, message: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut kept = self.messages.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() < ERRORS_KEPT {
            kept.push(message);
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// An error and its causes on one line.
fn error_text(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Checks one answer of a read: as many values as nodes, each good and a `Double`.
pub fn check_values(values: &[ua::ua::DataValue], nodes: &[String]) -> Result<(), String> {
    if values.len() != nodes.len() {
        return Err(format!("{} values for {} nodes", values.len(), nodes.len()));
    }
    for (value, node) in values.iter().zip(nodes) {
        if let Some(status) = value.status().filter(|s| !s.is_good()) {
            return Err(format!("{node}: {}", status.name()));
        }
        let is_double = value
            .value()
            .is_some_and(|v| v.as_scalar::<ua::ua::Double>().is_some());
        if !is_double {
            return Err(format!("{node}: not a Double"));
        }
    }
    Ok(())
}

/// The node ids of `texts` on the server `client` is connected to (`nsu=` through its
/// namespace array, read once).
fn resolve(client: &Client, texts: &[String]) -> Result<Vec<ua::ua::NodeId>, LoadError> {
    let needs_namespaces = texts.iter().any(|t| t.starts_with("nsu="));
    let namespaces: Vec<String> = if needs_namespaces {
        let read = ReadValues::new(&[ua::ua::NodeId::ns0(NAMESPACE_ARRAY)]);
        let values = client
            .read_values_blocking(&read)
            .map_err(|e| LoadError::Node {
                node: "i=2255".to_owned(),
                message: error_text(&e),
            })?;
        values
            .first()
            .and_then(|v| v.value())
            .and_then(ua::ua::Variant::to_array::<ua::ua::String>)
            .map(|a| {
                a.iter()
                    .map(|s| s.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .ok_or_else(|| LoadError::Node {
                node: "i=2255".to_owned(),
                message: "NamespaceArray is not an array of strings".to_owned(),
            })?
    } else {
        Vec::new()
    };
    texts
        .iter()
        .map(|t| {
            resolve_node_id(t, &namespaces).map_err(|e| LoadError::Node {
                node: t.clone(),
                message: e.to_string(),
            })
        })
        .collect()
}

fn cpu_share(before: Duration, after: Duration, wall: Duration) -> f64 {
    after.saturating_sub(before).as_secs_f64() / wall.as_secs_f64()
}

/// Starts `load.sessions` reading threads and waits until each has connected (or given up):
/// the threads, or `NotConnected` (the threads stopped) if a session could not be set up.
fn start_sessions(
    target: &Target,
    load: &ReadLoad,
    nodes: &ReadValues,
    shared: &Arc<Shared>,
) -> Result<Vec<JoinHandle<()>>, LoadError> {
    let texts = Arc::new(load.nodes.clone());
    let barrier = Arc::new(Barrier::new(load.sessions + 1));
    let mut threads: Vec<JoinHandle<()>> = Vec::with_capacity(load.sessions);
    for i in 0..load.sessions {
        let (target, shared, barrier) = (target.clone(), Arc::clone(shared), Arc::clone(&barrier));
        let (read, texts) = (nodes.clone(), Arc::clone(&texts));
        let pace = Pace {
            interval: load.interval,
            in_flight: load.in_flight,
        };
        let thread = std::thread::Builder::new()
            .name(format!("reads-{i}"))
            .spawn(move || read_session(&target, &read, &texts, pace, &shared, &barrier))
            .map_err(LoadError::Thread)?;
        threads.push(thread);
    }
    barrier.wait();
    let connected = usize::try_from(shared.connected.load(Ordering::Relaxed)).unwrap_or(0);
    if connected < load.sessions {
        shared.stop.store(true, Ordering::Relaxed);
        join(threads);
        let error = shared
            .messages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .first()
            .cloned()
            .unwrap_or_default();
        return Err(LoadError::NotConnected {
            sessions: load.sessions,
            connected,
            error,
        });
    }
    Ok(threads)
}

/// Runs a read load on `target`.
pub fn run_reads(target: &Target, load: &ReadLoad) -> Result<ReadReport, LoadError> {
    if load.in_flight == 0 {
        return Err(LoadError::Invalid("at least one read in flight"));
    }
    if load.in_flight > 1 && load.interval.is_some() {
        return Err(LoadError::Invalid(
            "a pause between reads only with one read in flight",
        ));
    }
    // The node ids once, on a session of their own.
    let nodes = {
        let client = target.connect().map_err(|error| LoadError::NotConnected {
            sessions: 1,
            connected: 0,
            error,
        })?;
        let nodes = resolve(&client, &load.nodes)?;
        client.disconnect_blocking();
        ReadValues::new(&nodes)
    };
    let shared = Arc::new(Shared::default());
    let threads = start_sessions(target, load, &nodes, &shared)?;
    std::thread::sleep(load.warmup);

    let started = Instant::now();
    let reads_before = shared.done.load(Ordering::Relaxed);
    let client_before = procfs::sample(None)?;
    let server_before = target
        .server_pid
        .map(|p| procfs::sample(Some(p)))
        .transpose()?;
    let mut rss_samples = Vec::new();
    let end = started + load.duration;
    if let Some(every) = load.sample_every {
        let mut next = started;
        while next < end {
            if let Some(pid) = target.server_pid {
                let s = procfs::sample(Some(pid))?;
                rss_samples.push((started.elapsed().as_secs_f64(), s.rss_kib));
            }
            next += every;
            std::thread::sleep(next.min(end).saturating_duration_since(Instant::now()));
        }
    } else {
        std::thread::sleep(load.duration);
    }
    let reads_after = shared.done.load(Ordering::Relaxed);
    let client_after = procfs::sample(None)?;
    let server_after = target
        .server_pid
        .map(|p| procfs::sample(Some(p)))
        .transpose()?;
    let wall = started.elapsed();

    shared.stop.store(true, Ordering::Relaxed);
    join(threads);

    if let Some(s) = server_after {
        rss_samples.push((wall.as_secs_f64(), s.rss_kib));
    }
    let reads = reads_after - reads_before;
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let reads_per_second = reads as f64 / wall.as_secs_f64();
    Ok(ReadReport {
        sessions: load.sessions,
        values_per_read: nodes.len(),
        in_flight: load.in_flight,
        seconds: wall.as_secs_f64(),
        reads,
        reads_per_second,
        errors: shared.errors.load(Ordering::Relaxed),
        reconnects: shared.reconnects.load(Ordering::Relaxed),
        error_messages: shared
            .messages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone(),
        client_cpu: cpu_share(client_before.cpu, client_after.cpu, wall),
        server_cpu: server_before
            .zip(server_after)
            .map(|(b, a)| cpu_share(b.cpu, a.cpu, wall)),
        server_start: server_before,
        server_end: server_after,
        server_rss_max_kib: rss_samples.iter().map(|(_, r)| *r).max(),
        server_rss_samples: rss_samples,
    })
}

fn join(threads: Vec<JoinHandle<()>>) {
    for t in threads {
        // A panicking session thread is a bug of this crate: surface it.
        if let Err(panic) = t.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

/// How a session sends its reads.
#[derive(Debug, Clone, Copy)]
struct Pace {
    interval: Option<Duration>,
    in_flight: usize,
}

/// One reading session: connect (once before the barrier), then read until stopped.
fn read_session(
    target: &Target,
    read: &ReadValues,
    texts: &[String],
    pace: Pace,
    shared: &Shared,
    ready: &Barrier,
) {
    let mut client = match target.connect() {
        Ok(c) => {
            shared.connected.fetch_add(1, Ordering::Relaxed);
            Some(c)
        }
        Err(e) => {
            shared.error(format!("connect: {e}"));
            None
        }
    };
    ready.wait();
    let mut next = Instant::now();
    while !shared.stopped() {
        let Some(session) = client.as_ref() else {
            std::thread::sleep(RETRY_PAUSE);
            match target.connect() {
                Ok(c) => {
                    shared.reconnects.fetch_add(1, Ordering::Relaxed);
                    client = Some(c);
                }
                Err(e) => shared.error(format!("connect: {e}")),
            }
            continue;
        };
        let failed = if pace.in_flight > 1 {
            !read_pipelined(session, read, texts, pace.in_flight, shared)
        } else {
            !read_once(session, read, texts, shared)
        };
        if failed && let Some(c) = client.take() {
            c.disconnect_blocking();
        }
        if let Some(every) = pace.interval {
            next += every;
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            } else {
                next = now;
            }
        }
    }
    if let Some(c) = client {
        c.disconnect_blocking();
    }
}

/// Counts one answer of a read: a good one as done, else an error. True when good.
fn count(
    answer: Result<Vec<ua::ua::DataValue>, ua::ClientError>,
    texts: &[String],
    shared: &Shared,
) -> bool {
    let outcome = answer
        .map_err(|e| error_text(&e))
        .and_then(|values| check_values(&values, texts));
    match outcome {
        Ok(()) => {
            shared.done.fetch_add(1, Ordering::Relaxed);
            true
        }
        Err(e) => {
            shared.error(format!("read: {e}"));
            false
        }
    }
}

/// One read, the next only after its answer. False when it failed.
fn read_once(session: &Client, read: &ReadValues, texts: &[String], shared: &Shared) -> bool {
    count(session.read_values_blocking(read), texts, shared)
}

/// Reads with `depth` requests in flight until stopped or a read failed (the ones still in
/// flight then counted as they are answered). False when a read failed.
fn read_pipelined(
    session: &Client,
    read: &ReadValues,
    texts: &[String],
    depth: usize,
    shared: &Shared,
) -> bool {
    let mut failed = false;
    let run = session.read_values_pipelined_blocking(read, depth, |answer| {
        failed |= !count(answer, texts, shared);
        !failed && !shared.stopped()
    });
    if let Err(e) = run {
        shared.error(format!("read: {}", error_text(&e)));
        return false;
    }
    !failed
}

/// Runs a set-up load on `target`.
pub fn run_setups(target: &Target, load: &SetupLoad) -> Result<SetupReport, LoadError> {
    // The store must open before any thread starts.
    target.store()?;
    let shared = Arc::new(Shared::default());
    let mut threads = Vec::with_capacity(load.concurrency);
    for i in 0..load.concurrency {
        let (target, shared) = (target.clone(), Arc::clone(&shared));
        let thread = std::thread::Builder::new()
            .name(format!("setups-{i}"))
            .spawn(move || {
                while !shared.stopped() {
                    match target.connect() {
                        Ok(client) => {
                            client.disconnect_blocking();
                            shared.done.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            shared.error(format!("connect: {e}"));
                            std::thread::sleep(RETRY_PAUSE);
                        }
                    }
                }
            })
            .map_err(LoadError::Thread)?;
        threads.push(thread);
    }
    std::thread::sleep(load.warmup);
    let started = Instant::now();
    let before = shared.done.load(Ordering::Relaxed);
    let client_before = procfs::sample(None)?;
    let server_before = target
        .server_pid
        .map(|p| procfs::sample(Some(p)))
        .transpose()?;
    std::thread::sleep(load.duration);
    let after = shared.done.load(Ordering::Relaxed);
    let client_after = procfs::sample(None)?;
    let server_after = target
        .server_pid
        .map(|p| procfs::sample(Some(p)))
        .transpose()?;
    let wall = started.elapsed();
    shared.stop.store(true, Ordering::Relaxed);
    join(threads);

    let setups = after - before;
    let server_cpu = server_before
        .zip(server_after)
        .map(|(b, a)| a.cpu.saturating_sub(b.cpu));
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let per_setup = server_cpu
        .filter(|_| setups > 0)
        .map(|cpu| cpu.as_secs_f64() * 1000.0 / setups as f64);
    Ok(SetupReport {
        concurrency: load.concurrency,
        seconds: wall.as_secs_f64(),
        setups,
        errors: shared.errors.load(Ordering::Relaxed),
        error_messages: shared
            .messages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone(),
        client_cpu: cpu_share(client_before.cpu, client_after.cpu, wall),
        server_cpu_ms_per_setup: per_setup,
        server_cpu: server_cpu.map(|c| c.as_secs_f64() / wall.as_secs_f64()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ua::ua::{DataValue, Double, StatusCode, UInt32, Variant};

    fn nodes(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("ns=2;s=FastDouble{i}")).collect()
    }

    #[test]
    fn an_answer_passes_only_with_one_good_double_per_node() {
        let good = || DataValue::new(Variant::scalar(Double::new(1.0)));
        assert_eq!(check_values(&[good(), good()], &nodes(2)), Ok(()));
        assert_eq!(
            check_values(&[good()], &nodes(2)),
            Err("1 values for 2 nodes".to_owned())
        );
        let bad = good().with_status(&StatusCode::BADNODEIDUNKNOWN);
        assert_eq!(
            check_values(&[good(), bad], &nodes(2)),
            Err("ns=2;s=FastDouble2: BadNodeIdUnknown".to_owned())
        );
        let uint = DataValue::new(Variant::scalar(UInt32::new(1)));
        assert_eq!(
            check_values(&[uint], &nodes(1)),
            Err("ns=2;s=FastDouble1: not a Double".to_owned())
        );
    }

    #[test]
    fn cpu_share_is_cpu_time_over_wall_time() {
        let share = cpu_share(
            Duration::from_millis(500),
            Duration::from_millis(2500),
            Duration::from_secs(4),
        );
        assert!((share - 0.5).abs() < 1e-9);
    }
}
