//! The results of one `bench` run: every figure in `results.json` (what the plots read), and
//! the table of targets in `summary.md`, each target met or missed by a figure of this run.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use opc_load::{ReadReport, SetupReport};
use serde::Serialize;

use crate::edge::{FanOut, FleetRotation, Latencies, Provisioned};
use crate::runs::Outcome;
use crate::stats::ratio;

/// The machine and its load around the run.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// CPU model.
    pub cpu: String,
    /// Online cores.
    pub cores: usize,
    /// `/proc/loadavg` (1, 5, 15 minutes) before the run.
    pub load_before: Vec<f64>,
    /// The same after it.
    pub load_after: Vec<f64>,
    /// UTC start, RFC 3339.
    pub started: String,
}

impl Machine {
    /// The machine now (`load_after` filled by [`Machine::finish`]).
    #[must_use]
    pub fn now() -> Self {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|t| {
                t.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_default();
        Self {
            cpu,
            cores: std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
            load_before: load_average(),
            load_after: Vec::new(),
            started: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        }
    }

    /// Records the load after the run.
    pub fn finish(&mut self) {
        self.load_after = load_average();
    }
}

/// P8's paragraph of the summary.
fn fleet_rotation(p8: &FleetRotation) -> String {
    format!(
        "P8 fleet rotation: {} devices × 2 stores ({} targets, {} certificates issued) in {:.1} s at {} requests/s and {} at a time; {} requests served ({:.1} per store), {} answered 429 and retried; the fleet took {:.1} s to come up and {} KiB of memory ({} KiB per device)",
        p8.devices,
        p8.targets,
        p8.issued,
        p8.rotate_s,
        p8.rate_limit,
        p8.concurrency,
        p8.requests,
        per_store(p8.requests, p8.targets),
        p8.throttled,
        p8.fleet_up_s,
        p8.fleet_rss_kib,
        p8.fleet_rss_kib / u64::from(p8.devices.max(1))
    )
}

/// `requests` per store of `targets` (0 with no store).
#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn per_store(requests: u64, targets: usize) -> f64 {
    if targets == 0 {
        0.0
    } else {
        requests as f64 / targets as f64
    }
}

/// `/proc/loadavg`'s first three fields.
#[must_use]
pub fn load_average() -> Vec<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .map(|t| parse_loadavg(&t))
        .unwrap_or_default()
}

/// P2's target as the issue states it, 15 MB (15,000,000 bytes), in MiB.
const P2_TARGET_MIB: f64 = 15.0e6 / (1024.0 * 1024.0);

/// P4's target as a ratio in the same run: the issue's 2 ms over its anchor for asyncua on this
/// machine, 4.2 ms (absolute CPU times here vary by half from day to day; docs/benchmarks.md).
const P4_TARGET_RATIO: f64 = 2.0 / 4.2;

/// The 1, 5 and 15 minute load averages of `/proc/loadavg`'s text.
#[must_use]
pub fn parse_loadavg(text: &str) -> Vec<f64> {
    text.split_whitespace()
        .take(3)
        .filter_map(|f| f.parse().ok())
        .collect()
}

/// Everything one run measured (benchmarks not selected are absent).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Results {
    /// Where and when.
    pub machine: Option<Machine>,
    /// The name of our PLC's build in P1/P4 (`opc-plc`), and of the other crypto backend's.
    pub plc: String,
    /// See `plc`.
    pub plc_alt: Option<String>,
    /// P1.
    pub p1: Option<Outcome<ReadReport>>,
    /// P2.
    pub p2: Option<Outcome<ReadReport>>,
    /// P3.
    pub p3: Option<Latencies>,
    /// P4.
    pub p4: Option<Outcome<SetupReport>>,
    /// P5: one validation of a chain not seen before (parse and decision on the cached trust
    /// snapshot), criterion's median estimate, milliseconds.
    pub p5_ms: Option<f64>,
    /// P6.
    pub p6: Option<FanOut>,
    /// P7.
    pub p7: Option<Provisioned>,
    /// P8.
    pub p8: Option<crate::edge::FleetRotation>,
    /// The targets, checked.
    pub verdicts: Vec<Verdict>,
}

/// One target and whether this run met it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verdict {
    /// `P1`…`P7`.
    pub id: &'static str,
    /// What is measured.
    pub what: String,
    /// The target.
    pub target: String,
    /// The figure of this run.
    pub measured: String,
    /// Met (`None`: not measured).
    pub met: Option<bool>,
}

fn verdict(
    id: &'static str,
    what: &str,
    target: &str,
    value: Option<f64>,
    shown: impl Fn(f64) -> String,
    met: impl Fn(f64) -> bool,
) -> Verdict {
    Verdict {
        id,
        what: what.to_owned(),
        target: target.to_owned(),
        measured: value.map_or_else(|| "not measured".to_owned(), &shown),
        met: value.map(met),
    }
}

/// P1 and P2: the servers side by side.
fn server_verdicts(r: &Results) -> Vec<Verdict> {
    let plc = r.plc.as_str();
    let mut out = Vec::new();
    if let Some(p1) = &r.p1 {
        let ours = p1.median(plc);
        let x = |v: f64| format!("{v:.1}×");
        out.push(verdict(
            "P1",
            "secure reads of 100 values/s, 10 sessions: opc-plc / asyncua",
            "≥ 15×",
            ratio(ours, p1.median("asyncua")),
            x,
            |v| v >= 15.0,
        ));
        out.push(verdict(
            "P1",
            "secure reads of 100 values/s, 10 sessions: opc-plc / node-opcua",
            "≥ 8×",
            ratio(ours, p1.median("node-opcua")),
            x,
            |v| v >= 8.0,
        ));
    }
    if let Some(p2) = &r.p2 {
        let ours = p2.median(plc);
        out.push(verdict(
            "P2",
            "RSS, 1,000 nodes and 10 active sessions: opc-plc",
            "≤ 15 MB (14.3 MiB)",
            ours,
            |v| format!("{v:.1} MiB"),
            |v| v <= P2_TARGET_MIB,
        ));
        out.push(verdict(
            "P2",
            "RSS: opc-plc / asyncua",
            "≤ 1/7 (0.143)",
            ratio(ours, p2.median("asyncua")),
            |v| format!("{v:.3} (1/{:.1})", 1.0 / v),
            |v| v <= 1.0 / 7.0,
        ));
    }
    out
}

/// Checks every measured figure against its target.
#[must_use]
pub fn verdicts(r: &Results) -> Vec<Verdict> {
    let mut out = server_verdicts(r);
    if let Some(p3) = &r.p3 {
        out.push(verdict(
            "P3",
            "desired PATCH → new thumbprint reported, p50",
            "≤ 50 ms",
            p3.p50_ms,
            |v| format!("{v:.1} ms"),
            |v| v <= 50.0,
        ));
        out.push(verdict(
            "P3",
            "desired PATCH → new thumbprint reported, p99",
            "≤ 200 ms",
            p3.p99_ms,
            |v| format!("{v:.1} ms"),
            |v| v <= 200.0,
        ));
    }
    if let Some(p4) = &r.p4 {
        let plc = r.plc.as_str();
        out.push(verdict(
            "P4",
            "server CPU per secure session set-up: opc-plc",
            "≤ 2 ms",
            p4.median(plc),
            |v| format!("{v:.2} ms"),
            |v| v <= 2.0,
        ));
        out.push(verdict(
            "P4",
            "server CPU per secure session set-up: opc-plc / asyncua",
            "≤ 0.48 (2 ms / 4.2 ms)",
            ratio(p4.median(plc), p4.median("asyncua")),
            |v| format!("{v:.2}×"),
            |v| v <= P4_TARGET_RATIO,
        ));
    }
    out.push(verdict(
        "P5",
        "one validation against a 100,000-entry CRL",
        "≤ 2 ms",
        r.p5_ms,
        |v| format!("{:.0} µs", v * 1000.0),
        |v| v <= 2.0,
    ));
    if let Some(p6) = &r.p6 {
        out.push(verdict(
            "P6",
            &format!(
                "edge-sim: {} module clients, one desired patch each → all reported",
                p6.modules
            ),
            "≤ 2 s",
            Some(p6.all_reported_ms),
            |v| format!("{v:.0} ms"),
            |v| v <= 2000.0,
        ));
    }
    if let Some(p7) = &r.p7 {
        out.push(verdict(
            "P7",
            &format!(
                "opc-vault: sign + provision {} modules on edge-sim",
                p7.modules
            ),
            "≤ 10 s",
            Some(p7.provision_ms),
            |v| format!("{:.2} s", v / 1000.0),
            |v| v <= 10_000.0,
        ));
    }
    if let Some(p8) = &r.p8 {
        out.push(verdict(
            "P8",
            &format!(
                "opc-vault rotate: {} devices × 2 stores on an edge-sim fleet at {} requests/s",
                p8.devices, p8.rate_limit
            ),
            "(figure)",
            Some(p8.rotate_s),
            |v| format!("{v:.1} s"),
            |_| true,
        ));
    }
    out.retain(|v| v.met.is_some() || v.id != "P5");
    out
}

/// The Markdown summary: the machine, the targets, then each benchmark's medians.
#[must_use]
pub fn markdown(r: &Results) -> String {
    let mut md = String::new();
    if let Some(m) = &r.machine {
        let _ = writeln!(
            md,
            "Run {} on {} cores ({}); load average before {:?}, after {:?}.\n",
            m.started, m.cores, m.cpu, m.load_before, m.load_after
        );
    }
    md.push_str("| # | what | target | measured | met |\n| --- | --- | --- | --- | --- |\n");
    for v in &r.verdicts {
        let met = match v.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {met} |",
            v.id, v.what, v.target, v.measured
        );
    }
    let mut table = |title: &str, unit: &str, summaries: &[crate::runs::Summary]| {
        let _ = writeln!(
            md,
            "\n{title}\n\n| server | median ({unit}) | runs | load client CPU | server CPU |\n| --- | --- | --- | --- | --- |"
        );
        for s in summaries {
            let runs: Vec<String> = s.values.iter().map(|v| format!("{v:.2}")).collect();
            let pct = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.0}%", v * 100.0));
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                s.server,
                s.median.map_or("—".to_owned(), |v| format!("{v:.2}")),
                runs.join(", "),
                pct(s.client_cpu),
                pct(s.server_cpu)
            );
        }
    };
    if let Some(p1) = &r.p1 {
        let in_flight = p1.runs.first().map_or(1, |run| run.report.in_flight);
        table(
            &format!("P1 secure reads of 100 values, 10 sessions, {in_flight} in flight each"),
            &p1.unit,
            &p1.summaries,
        );
    }
    if let Some(p2) = &r.p2 {
        table(
            "P2 RSS with 1,000 nodes, 10 sessions",
            &p2.unit,
            &p2.summaries,
        );
    }
    if let Some(p4) = &r.p4 {
        table("P4 server CPU per session set-up", &p4.unit, &p4.summaries);
    }
    if let Some(p3) = &r.p3 {
        let _ = writeln!(
            md,
            "\nP3 twin round trips: {} trials, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            p3.trials_ms.len(),
            p3.p50_ms.unwrap_or(f64::NAN),
            p3.p99_ms.unwrap_or(f64::NAN),
            p3.max_ms.unwrap_or(f64::NAN)
        );
    }
    if let Some(p6) = &r.p6 {
        let _ = writeln!(
            md,
            "\nP6 fan-out: {} modules, patches sent in {:.0} ms, all reported after {:.0} ms",
            p6.modules, p6.patches_sent_ms, p6.all_reported_ms
        );
    }
    if let Some(p8) = &r.p8 {
        let _ = writeln!(md, "\n{}", fleet_rotation(p8));
    }
    if let Some(p7) = &r.p7 {
        let _ = writeln!(
            md,
            "\nP7 provisioning: {} modules in {:.2} s",
            p7.modules,
            p7.provision_ms / 1000.0
        );
    }
    md
}

/// criterion's median estimate (ms) of the benchmark whose folder name starts with `prefix`
/// under `criterion_dir` (`target/criterion`).
pub fn criterion_median_ms(criterion_dir: &Path, prefix: &str) -> Result<f64> {
    for entry in std::fs::read_dir(criterion_dir)
        .with_context(|| format!("reading {}", criterion_dir.display()))?
    {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with(prefix) {
            let file = path.join("new/estimates.json");
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            return estimate_ms(&text).with_context(|| format!("no median in {}", file.display()));
        }
    }
    anyhow::bail!(
        "no criterion result named {prefix}… in {}",
        criterion_dir.display()
    )
}

/// The median point estimate (criterion writes nanoseconds) of an `estimates.json`, in ms.
#[must_use]
pub fn estimate_ms(text: &str) -> Option<f64> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    v["median"]["point_estimate"].as_f64().map(|ns| ns / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::Summary;

    #[test]
    fn loadavg_gives_the_three_averages() {
        assert_eq!(
            parse_loadavg("0.52 1.10 1.30 2/345 6789\n"),
            [0.52, 1.1, 1.3]
        );
    }

    #[test]
    fn criterion_estimates_are_read_in_milliseconds() {
        let text = r#"{"mean":{"point_estimate":310000.0},"median":{"point_estimate":304000.0}}"#;
        assert_eq!(estimate_ms(text), Some(0.304));
        assert_eq!(estimate_ms("{}"), None);
    }

    #[test]
    fn targets_are_met_or_missed_by_the_figures_of_the_run() {
        let r = Results {
            plc: "opc-plc".to_owned(),
            p5_ms: Some(0.3),
            p6: Some(FanOut {
                modules: 200,
                all_reported_ms: 2500.0,
                patches_sent_ms: 900.0,
            }),
            ..Results::default()
        };
        let v = verdicts(&r);
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].id, v[0].met), ("P5", Some(true)));
        assert_eq!(v[0].measured, "300 µs");
        assert_eq!((v[1].id, v[1].met), ("P6", Some(false)));
        let md = markdown(&Results { verdicts: v, ..r });
        assert!(md.contains("| P6 | edge-sim: 200 module clients"), "{md}");
        assert!(md.contains("| **no** |"), "{md}");
    }

    #[test]
    fn p8_reports_the_requests_served_per_store() {
        let line = fleet_rotation(&FleetRotation {
            devices: 1000,
            targets: 2000,
            rate_limit: 200,
            concurrency: 64,
            rotate_s: 35.0,
            issued: 2000,
            throttled: 1134,
            requests: 7001,
            fleet_up_s: 6.0,
            fleet_rss_kib: 32_000,
        });
        assert!(
            line.contains("7001 requests served (3.5 per store), 1134 answered 429"),
            "{line}"
        );
        assert!(line.contains("(32 KiB per device)"), "{line}");
    }

    fn setups(medians: &[(&str, f64)]) -> Outcome<SetupReport> {
        Outcome {
            unit: "ms".to_owned(),
            runs: Vec::new(),
            summaries: medians
                .iter()
                .map(|&(server, median)| Summary {
                    server: server.to_owned(),
                    median: Some(median),
                    values: vec![median],
                    client_cpu: None,
                    server_cpu: None,
                })
                .collect(),
        }
    }

    #[test]
    fn p4_is_judged_in_milliseconds_and_as_a_ratio_to_asyncua_in_the_same_run() {
        let judged = |ours: f64, asyncua: f64| {
            let r = Results {
                plc: "opc-plc".to_owned(),
                p4: Some(setups(&[("opc-plc", ours), ("asyncua", asyncua)])),
                ..Results::default()
            };
            verdicts(&r)
                .into_iter()
                .filter(|v| v.id == "P4")
                .map(|v| (v.measured, v.met))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            judged(2.8, 6.0),
            [
                ("2.80 ms".to_owned(), Some(false)),
                ("0.47×".to_owned(), Some(true))
            ]
        );
        assert_eq!(
            judged(1.9, 3.8),
            [
                ("1.90 ms".to_owned(), Some(true)),
                ("0.50×".to_owned(), Some(false))
            ]
        );
    }
}
