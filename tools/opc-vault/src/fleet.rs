//! Fleet runs: targets chosen by an IoT Hub twin query instead of a list, worked on with
//! bounded concurrency, recorded in a run journal (`journal`), summed up as a fleet table and
//! a JSON summary.
//!
//! - [`query_of`] turns what an operator writes after `--where` (a condition, `WHERE …`,
//!   `FROM devices.modules WHERE …` or a whole `SELECT * …`) into the query sent.
//! - [`targets_of`] turns the twins it finds into targets: a module's own `pki` when it
//!   reports one, and each store it reports under `stores`.
//! - [`classify`] puts each target's outcome into the fleet table's columns: `ok`, `pending`
//!   (connected, but no report in time), `rejected` (the module refused), `unreachable` (its
//!   twin says it is disconnected) and `failed` (the hub or the vault failed).
//! - [`run`] does it: reads the selection, skips what an interrupted run already finished,
//!   provisions the rest (`provision::provision_many`), and builds the [`FleetReport`].
//!
//! Everything goes through the service API, so the hub does the selecting, the paging and the
//! throttling; no second database holds the fleet.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use hub_service::{ModuleTwin, ServiceClient};
use provisioning::{PKI_PROPERTY, STORES_PROPERTY};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use crate::error::VaultError;
use crate::journal::{Event, RunJournal};
use crate::provision::{
    DeviceTarget, DoneSink, ProgressSink, ProvisionOptions, RunHooks, Target, provision_many,
};
use crate::vault::Vault;

/// The retries of fleet runs: 8 attempts per call, each after the hub's `Retry-After` (or a
/// doubling pause up to 2 s): a fleet run makes many calls and meets a throttling hub.
pub const RETRY: hub_service::RetryPolicy = hub_service::RetryPolicy {
    max_attempts: 8,
    base_delay: std::time::Duration::from_millis(250),
    max_delay: std::time::Duration::from_secs(2),
    max_retry_after: std::time::Duration::from_mins(1),
};

/// The modules that have a store, when `--where` is not given.
pub const EVERY_STORE: &str =
    "IS_DEFINED(properties.reported.pki) OR IS_DEFINED(properties.reported.stores)";

/// The query for a `--where` text: a condition (`properties.reported.pki.expiry.status =
/// 'warning'`), `WHERE <condition>`, `FROM devices.modules WHERE <condition>`, or a whole
/// `SELECT * FROM devices.modules …` query, which is sent as it is.
#[must_use]
pub fn query_of(text: &str) -> String {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    if upper.starts_with("SELECT ") {
        return text.to_owned();
    }
    if upper.starts_with("FROM ") {
        return format!("SELECT * {text}");
    }
    let condition = if upper.starts_with("WHERE ") {
        text[6..].trim()
    } else {
        text
    };
    if condition.is_empty() {
        "SELECT * FROM devices.modules".to_owned()
    } else {
        format!("SELECT * FROM devices.modules WHERE {condition}")
    }
}

/// Whether `rotate --days N` issues fresh CRLs before it runs: when a CA's current CRL is
/// due (`nextUpdate`) in less than `days` days at `now` (or has no `nextUpdate`). The run
/// then writes them to every store, so no module keeps a CRL due within the window.
#[must_use]
pub fn crls_due(state: &crate::vault::VaultState, days: u32, now: OffsetDateTime) -> bool {
    let horizon = now + time::Duration::days(i64::from(days));
    state
        .crls
        .iter()
        .any(|issued| issued.crl.next_update().is_none_or(|next| next < horizon))
}

/// The targets of the twins a query found: each twin's own `pki` when it reports one, and
/// every store it reports under `stores`; in (device, module, store) order, each once.
#[must_use]
pub fn targets_of(twins: &[ModuleTwin]) -> Vec<DeviceTarget> {
    let mut targets = std::collections::BTreeSet::new();
    for twin in twins {
        if twin.reported(PKI_PROPERTY).is_some() {
            targets.insert(DeviceTarget {
                device: twin.device_id.clone(),
                target: Target::own(&twin.module_id),
            });
        }
        if let Some(Value::Object(stores)) = twin.reported(STORES_PROPERTY) {
            for store in stores.keys() {
                targets.insert(DeviceTarget {
                    device: twin.device_id.clone(),
                    target: Target::store(&twin.module_id, store),
                });
            }
        }
    }
    targets.into_iter().collect()
}

/// A column of the fleet table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Column {
    /// Applied, or nothing to do.
    Ok,
    /// Connected, but no final report in time.
    Pending,
    /// The module refused the document or could not write its store.
    Rejected,
    /// Its twin says the module is disconnected.
    Unreachable,
    /// The hub or the vault failed for it.
    Failed,
}

impl Column {
    /// Its name in the table and the JSON summary.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Pending => "pending",
            Self::Rejected => "rejected",
            Self::Unreachable => "unreachable",
            Self::Failed => "failed",
        }
    }
}

/// The column of a target's `status` (`TargetReport::status`), knowing whether its twin says
/// it is connected (`None` when unknown).
#[must_use]
pub fn classify(status: &str, connected: Option<bool>) -> Column {
    match status {
        "applied" | "unchanged" | "done before" => Column::Ok,
        "rejected" | "error" => Column::Rejected,
        "timeout" if connected == Some(false) => Column::Unreachable,
        "timeout" => Column::Pending,
        _ => Column::Failed,
    }
}

/// One target's line of the fleet table.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    /// The device.
    pub device: String,
    /// `module` or `module:store`.
    pub target: String,
    /// Its column.
    pub column: Column,
    /// `applied`, `unchanged`, `rejected`, `error`, `timeout`, `failed`, or `done before`
    /// (finished by the interrupted run this one resumed).
    pub status: String,
    /// The thumbprint it reports last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbprint: Option<String>,
    /// Whether a certificate was issued for it in this run.
    pub issued: bool,
    /// The failure, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a fleet run did (the JSON summary of `--json`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetReport {
    /// The run's journal name.
    pub run: String,
    /// The query sent.
    pub query: String,
    /// Targets found.
    pub targets: usize,
    /// Targets per column.
    pub counts: BTreeMap<Column, usize>,
    /// Certificates issued in this run.
    pub issued: usize,
    /// Seconds the run took.
    pub seconds: f64,
    /// Every target, in (device, target) order.
    pub rows: Vec<FleetRow>,
}

impl FleetReport {
    /// Whether every target is `ok`.
    #[must_use]
    pub fn all_ok(&self) -> bool {
        self.rows.iter().all(|r| r.column == Column::Ok)
    }
}

/// Told of each target's end with the number of targets being worked on (progress bars).
pub type FleetDoneSink = Arc<dyn Fn(&crate::provision::TargetReport, usize) + Send + Sync>;

/// How a fleet run goes.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// The query (see [`query_of`]).
    pub query: String,
    /// How each target is provisioned (renewal window, CRLs only, concurrency, timeout).
    pub provision: ProvisionOptions,
    /// The journal's command name (`rotate`, `provision`, `crl`, …).
    pub command: String,
    /// Continue the newest unfinished run of the same command instead of starting anew.
    pub resume: bool,
}

/// Runs a fleet command; `Err` only when the selection or the vault cannot be read, or the
/// journal cannot be written.
pub async fn run(
    vault: &Vault,
    hub: &ServiceClient,
    options: &FleetOptions,
    now: OffsetDateTime,
    progress: ProgressSink,
    done: Option<FleetDoneSink>,
) -> Result<FleetReport, VaultError> {
    let started = Instant::now();
    let journal = if options.resume {
        RunJournal::resume(vault.dir(), &options.command)?
    } else {
        None
    };
    let journal = Arc::new(match journal {
        Some(journal) => {
            progress(&crate::provision::Progress {
                target: None,
                message: format!("resuming the interrupted run {}", journal.run()),
            });
            journal
        }
        None => RunJournal::start(vault.dir(), &options.command, now)?,
    });
    let twins = hub
        .query_twins(&options.query, Some(1000))
        .await
        .map_err(|e| {
            VaultError::Invalid(format!(
                "the query {:?} failed: {}",
                options.query,
                crate::error_chain(&e)
            ))
        })?;
    let all = targets_of(&twins);
    let before = journal.state();
    let (finished, todo): (Vec<DeviceTarget>, Vec<DeviceTarget>) = all
        .iter()
        .cloned()
        .partition(|t| before.is_done(&t.to_string()));
    progress(&crate::provision::Progress {
        target: None,
        message: format!(
            "{} target(s) match; {} done by the run being resumed; working on {} at most {} at a time",
            all.len(),
            finished.len(),
            todo.len(),
            options.provision.concurrency
        ),
    });
    let total = todo.len();
    let done: Option<DoneSink> = done.map(|sink| {
        Arc::new(move |report: &crate::provision::TargetReport| sink(report, total)) as DoneSink
    });
    let reports = provision_many(
        vault,
        hub,
        &todo,
        &options.provision,
        now,
        progress,
        RunHooks {
            journal: Some(Arc::clone(&journal)),
            done,
        },
    )
    .await?;
    let mut rows = rows_of(hub, &finished, &reports).await;
    rows.sort_by(|a, b| (&a.device, &a.target).cmp(&(&b.device, &b.target)));
    let mut counts = BTreeMap::new();
    for row in &rows {
        *counts.entry(row.column).or_insert(0) += 1;
    }
    let report = FleetReport {
        run: journal.run(),
        query: options.query.clone(),
        targets: all.len(),
        counts,
        issued: rows.iter().filter(|r| r.issued).count(),
        seconds: started.elapsed().as_secs_f64(),
        rows,
    };
    if report.all_ok() {
        journal.append(&Event::Finish {
            at: OffsetDateTime::now_utc(),
        })?;
    }
    Ok(report)
}

/// The table's rows: the targets the resumed run had finished, then each report with its
/// column (a timed-out target's twin is read to tell pending from unreachable).
async fn rows_of(
    hub: &ServiceClient,
    finished: &[DeviceTarget],
    reports: &[crate::provision::TargetReport],
) -> Vec<FleetRow> {
    let mut rows: Vec<FleetRow> = finished
        .iter()
        .map(|t| FleetRow {
            device: t.device.clone(),
            target: t.target.to_string(),
            column: Column::Ok,
            status: "done before".to_owned(),
            thumbprint: None,
            issued: false,
            error: None,
        })
        .collect();
    for report in reports {
        let status = report.status();
        let connected = if status == "timeout" {
            connected(hub, &report.device, &report.target.module).await
        } else {
            None
        };
        rows.push(FleetRow {
            device: report.device.clone(),
            target: report.target.to_string(),
            column: classify(status, connected),
            status: status.to_owned(),
            thumbprint: report.thumbprint.clone(),
            issued: report.action == crate::provision::CertAction::Issued,
            error: report.error(),
        });
    }
    rows
}

/// Whether the module's twin says it is connected (`connectionState`), when it can be read.
async fn connected(hub: &ServiceClient, device: &str, module: &str) -> Option<bool> {
    let twin = hub.get_module_twin(device, module).await.ok()?;
    twin.other
        .get("connectionState")
        .and_then(Value::as_str)
        .map(|s| s.eq_ignore_ascii_case("connected"))
}

/// The fleet table for operators: one line per column count, then the targets that are not
/// `ok` with their reason.
#[must_use]
pub fn table(report: &FleetReport) -> String {
    let mut out = String::new();
    let count = |c: Column| report.counts.get(&c).copied().unwrap_or(0);
    out.push_str(&crate::table::render(
        &[
            "OK",
            "PENDING",
            "REJECTED",
            "UNREACHABLE",
            "FAILED",
            "ISSUED",
            "TARGETS",
            "SECONDS",
        ],
        &[vec![
            count(Column::Ok).to_string(),
            count(Column::Pending).to_string(),
            count(Column::Rejected).to_string(),
            count(Column::Unreachable).to_string(),
            count(Column::Failed).to_string(),
            report.issued.to_string(),
            report.targets.to_string(),
            format!("{:.1}", report.seconds),
        ]],
    ));
    let problems: Vec<Vec<String>> = report
        .rows
        .iter()
        .filter(|r| r.column != Column::Ok)
        .map(|r| {
            vec![
                format!("{}/{}", r.device, r.target),
                r.column.as_str().to_owned(),
                r.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    if !problems.is_empty() {
        out.push('\n');
        out.push_str(&crate::table::render(
            &["TARGET", "COLUMN", "WHY"],
            &problems,
        ));
    }
    out
}

/// A one-line progress bar: `[#####-----] 512/1000 ok 500 pending 2 …`.
#[must_use]
pub fn progress_bar(
    done: usize,
    total: usize,
    counts: &BTreeMap<Column, usize>,
    width: usize,
) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(width);
    let mut line = format!(
        "[{}{}] {done}/{total}",
        "#".repeat(filled),
        "-".repeat(width.saturating_sub(filled))
    );
    for (column, n) in counts {
        let _ = write!(line, " {}:{n}", column.as_str());
    }
    line
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_where_text_becomes_a_module_query_in_any_of_its_forms() {
        let want =
            "SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.status = 'warning'";
        assert_eq!(
            query_of("properties.reported.pki.expiry.status = 'warning'"),
            want
        );
        assert_eq!(
            query_of("WHERE properties.reported.pki.expiry.status = 'warning'"),
            want
        );
        assert_eq!(
            query_of(
                " FROM devices.modules WHERE properties.reported.pki.expiry.status = 'warning' "
            ),
            want
        );
        assert_eq!(query_of(want), want);
        assert_eq!(query_of(""), "SELECT * FROM devices.modules");
    }

    #[test]
    fn twins_give_their_own_store_and_every_reported_store_once_in_order() {
        let twin = |device: &str, module: &str, reported: Value| -> ModuleTwin {
            serde_json::from_value(json!({
                "deviceId": device, "moduleId": module,
                "properties": {"desired": {}, "reported": reported},
            }))
            .unwrap_or_else(|e| panic!("{e}"))
        };
        let twins = vec![
            twin("b", "certagent", json!({"stores": {"z": {}, "a": {}}})),
            twin("a", "opcplc", json!({"pki": {}})),
            twin("a", "opcplc", json!({"pki": {}})),
            twin("a", "sensor", json!({"interval": 1})),
        ];
        let found: Vec<String> = targets_of(&twins).iter().map(ToString::to_string).collect();
        assert_eq!(found, vec!["a/opcplc", "b/certagent:a", "b/certagent:z"]);
    }

    #[test]
    fn fresh_crls_are_due_when_a_crl_runs_out_within_the_window() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let now = time::macros::datetime!(2026-12-07 0:00 UTC);
        // CRLs valid for 7 days.
        let vault = Vault::init(
            &dir.path().join("v"),
            &crate::vault::InitOptions::default(),
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let state = vault.read().unwrap_or_else(|e| panic!("{e}"));
        assert!(crls_due(&state, 30, now));
        assert!(crls_due(&state, 8, now));
        assert!(!crls_due(&state, 7, now));
        assert!(!crls_due(&state, 0, now));
        assert!(crls_due(
            &state,
            1,
            now + time::Duration::days(6) + time::Duration::hours(1)
        ));
    }

    #[test]
    fn outcomes_fall_into_the_fleet_tables_columns() {
        assert_eq!(classify("applied", None), Column::Ok);
        assert_eq!(classify("unchanged", None), Column::Ok);
        assert_eq!(classify("done before", None), Column::Ok);
        assert_eq!(classify("rejected", Some(true)), Column::Rejected);
        assert_eq!(classify("error", None), Column::Rejected);
        assert_eq!(classify("timeout", Some(false)), Column::Unreachable);
        assert_eq!(classify("timeout", Some(true)), Column::Pending);
        assert_eq!(classify("timeout", None), Column::Pending);
        assert_eq!(classify("failed", Some(true)), Column::Failed);
    }

    #[test]
    fn the_progress_bar_fills_with_the_share_done() {
        let mut counts = BTreeMap::new();
        counts.insert(Column::Ok, 3);
        counts.insert(Column::Pending, 1);
        assert_eq!(
            progress_bar(4, 8, &counts, 10),
            "[#####-----] 4/8 ok:3 pending:1"
        );
        assert_eq!(progress_bar(0, 0, &BTreeMap::new(), 4), "[####] 0/0");
    }
}
