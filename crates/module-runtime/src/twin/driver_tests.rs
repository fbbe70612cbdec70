//! The twin driver's contract (see the module docs) on tokio's paused clock: the real driver
//! and module client, the hub played by the test (`ModuleClient::scripted`), a reconciler that
//! records its passes and reports what it saw. The 30 s refresh and the 1 s store watch pass
//! on the virtual clock, so the test checks when each pass runs, to the tick, in milliseconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use edge_client::scripted::{Published, ScriptedHub};
use edge_client::{Backoff, ModuleClient, RetryPolicy};
use serde_json::{Map, Value, json};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{DriverOptions, Reconciler, drive};
use crate::twin::Trigger;

const OPTIONS: DriverOptions = DriverOptions {
    refresh: Duration::from_secs(30),
    watch: Duration::from_secs(1),
};

/// One pass: why, when (since the driver started), and the desired `pki` it was given.
#[derive(Debug, Clone, PartialEq)]
struct Pass {
    trigger: Trigger,
    at: Duration,
    version: Option<u64>,
    pki: Value,
}

/// Reports `{"pki": {"desired": <desired pki>, "files": <files in the watched folder>}}`.
struct Recorder {
    dir: PathBuf,
    t0: Instant,
    passes: Arc<Mutex<Vec<Pass>>>,
}

impl Reconciler for Recorder {
    fn properties(&self) -> &'static [&'static str] {
        &["pki"]
    }

    fn watched(&self) -> Vec<PathBuf> {
        vec![self.dir.clone()]
    }

    async fn pass(
        &mut self,
        desired: &Map<String, Value>,
        version: Option<hub_proto::TwinVersion>,
        trigger: Trigger,
    ) -> Option<Map<String, Value>> {
        let pki = desired.get("pki").cloned().unwrap_or(Value::Null);
        self.passes.lock().unwrap().push(Pass {
            trigger,
            at: self.t0.elapsed(),
            version: version.map(hub_proto::TwinVersion::get),
            pki: pki.clone(),
        });
        let files = std::fs::read_dir(&self.dir).unwrap().count();
        let report = json!({ "pki": { "desired": pki, "files": files } });
        Some(report.as_object().unwrap().clone())
    }
}

struct Rig {
    hub: ScriptedHub,
    dir: tempfile::TempDir,
    t0: Instant,
    passes: Arc<Mutex<Vec<Pass>>>,
    shutdown: CancellationToken,
    driver: tokio::task::JoinHandle<()>,
}

fn start() -> Rig {
    let (client, hub) = ModuleClient::scripted(
        "d1",
        "m1",
        RetryPolicy {
            backoff: Backoff::new(Duration::from_millis(100), Duration::from_secs(1)),
            max_attempts: 3,
            response_timeout: Duration::from_secs(30),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let passes = Arc::new(Mutex::new(Vec::new()));
    let recorder = Recorder {
        dir: dir.path().to_owned(),
        t0,
        passes: passes.clone(),
    };
    let shutdown = CancellationToken::new();
    let token = shutdown.clone();
    let driver = tokio::spawn(async move {
        drive(&client, recorder, OPTIONS, &token).await;
        client.shutdown().await;
    });
    Rig {
        hub,
        dir,
        t0,
        passes,
        shutdown,
        driver,
    }
}

fn rid(published: &Published) -> String {
    published
        .topic
        .split("$rid=")
        .nth(1)
        .expect("a twin request")
        .to_owned()
}

impl Rig {
    fn passes(&self) -> Vec<Pass> {
        self.passes.lock().unwrap().clone()
    }

    /// Lets the virtual clock run to `at` (since the driver started).
    async fn until(&self, at: Duration) {
        tokio::time::sleep_until(self.t0 + at).await;
    }

    /// Expects the twin GET (after a connect, or the driver reading the reported properties)
    /// and answers it.
    async fn answer_get(&self, desired: &Value, reported: &Value) {
        let get = self.hub.next_publish().await;
        assert!(get.topic.starts_with("$iothub/twin/GET/"), "{get:?}");
        self.hub.answer_twin(&rid(&get), desired, reported);
    }

    /// Expects a reported patch, acknowledges it and returns its body.
    async fn reported_patch(&self) -> Value {
        let patch = self.hub.next_publish().await;
        assert!(
            patch
                .topic
                .starts_with("$iothub/twin/PATCH/properties/reported/"),
            "{patch:?}"
        );
        self.hub.answer(204, &rid(&patch), &Value::Null);
        patch.json()
    }

    async fn stop(self) {
        self.shutdown.cancel();
        self.driver.await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn passes_follow_documents_the_refresh_and_store_changes_and_only_differences_are_reported() {
    let rig = start();
    rig.hub.connect();

    // Nothing runs before the first desired document, whatever the timers do.
    let connect_get = rig.hub.next_publish().await;
    rig.until(Duration::from_secs(10)).await;
    assert_eq!(rig.passes(), []);

    // The document: one pass; the driver reads the hub's reported properties, then reports.
    let desired = json!({"$version": 3, "pki": {"a": 1}});
    rig.hub
        .answer_twin(&rid(&connect_get), &desired, &json!({"$version": 1}));
    rig.answer_get(&desired, &json!({"$version": 1})).await;
    assert_eq!(
        rig.reported_patch().await,
        json!({"pki": {"desired": {"a": 1}, "files": 0}})
    );
    let document = Pass {
        trigger: Trigger::Document,
        at: Duration::from_secs(10),
        version: Some(3),
        pki: json!({"a": 1}),
    };
    assert_eq!(rig.passes(), std::slice::from_ref(&document));

    // The refresh runs on its own period (from the driver's start): the same picture, so
    // nothing is sent.
    rig.until(Duration::from_millis(30_500)).await;
    let refresh = Pass {
        trigger: Trigger::Refresh,
        at: Duration::from_secs(30),
        ..document.clone()
    };
    assert_eq!(rig.passes(), [document.clone(), refresh.clone()]);
    assert!(rig.hub.is_idle(), "an unchanged picture is not reported");

    // A file appears in the watched folder at 31.5 s: the next watch tick (32 s) sees it, and
    // only what changed is reported.
    rig.until(Duration::from_millis(31_500)).await;
    std::fs::write(rig.dir.path().join("rejected.der"), b"x").unwrap();
    assert_eq!(rig.reported_patch().await, json!({"pki": {"files": 1}}));
    let changed = Pass {
        trigger: Trigger::StoreChanged,
        at: Duration::from_secs(32),
        ..document.clone()
    };
    assert_eq!(rig.passes()[2], changed);

    // A newer desired patch: a pass with the merged document and its version.
    rig.hub
        .desired_patch(hub_proto::TwinVersion::new(4), &json!({"pki": {"a": 2}}));
    assert_eq!(
        rig.reported_patch().await,
        json!({"pki": {"desired": {"a": 2}}})
    );
    assert_eq!(
        rig.passes()[3],
        Pass {
            trigger: Trigger::Document,
            at: Duration::from_secs(32),
            version: Some(4),
            pki: json!({"a": 2}),
        }
    );

    // After a reconnect the full document is passed again and the driver reads what the hub
    // holds: it already holds this picture, so nothing is sent.
    rig.hub.disconnect("edgeHub restarted");
    rig.until(Duration::from_secs(40)).await;
    rig.hub.connect();
    let desired = json!({"$version": 4, "pki": {"a": 2}});
    let held = json!({"$version": 5, "pki": {"desired": {"a": 2}, "files": 1}});
    rig.answer_get(&desired, &held).await;
    rig.answer_get(&desired, &held).await;
    rig.until(Duration::from_secs(41)).await;
    assert_eq!(rig.passes().len(), 5);
    assert_eq!(rig.passes()[4].trigger, Trigger::Document);
    assert!(rig.hub.is_idle(), "the hub holds this picture already");
    rig.stop().await;
}
