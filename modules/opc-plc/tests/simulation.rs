//! The PLC's nodes on a real server, read over a secure channel by a CA-signed client the
//! server trusts through its CA: values move per the reference's rules, the methods have their
//! effect, the `Bad…` node walks its statuses. Timing is fast (`--ct` 40 ms, 4 cycles per phase,
//! node sets every 50 ms) so each check ends in about a second; every wait is bounded.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use opc_plc::simulation::{NodeSet, SimulationError};
use opc_plc::slow_fast::NodeType;
use opc_plc::{NAMESPACE_URI, Simulation, SimulationOptions};
use pki::{Store, StoreLayout};
use test_support::{Ca, Issued, LeafSpec, TestStore, self_signed};
use ua::ua as t;
use ua::{Client, ClientError, ClientOptions, Identity, ReadValues, Server, ServerOptions};

const PLC_URI: &str = "urn:OpcPlc:localhost";
const CLIENT_URI: &str = "urn:test:client";
/// Bound of every wait for a value to show up.
const PATIENCE: Duration = Duration::from_secs(10);

struct Plc {
    server: Server,
    simulation: Simulation,
    own: Issued,
    client: Issued,
    _store: TestStore,
}

fn fast_options() -> SimulationOptions {
    SimulationOptions {
        cycles_per_phase: 4,
        cycle_time: Duration::from_millis(40),
        slow: NodeSet {
            count: 2,
            rate: Duration::from_millis(60),
            node_type: NodeType::Double,
        },
        fast: NodeSet {
            count: 1,
            rate: Duration::from_millis(50),
            node_type: NodeType::UInt,
        },
    }
}

fn plc(options: &SimulationOptions) -> Plc {
    let own = self_signed(LeafSpec::server("OpcPlc", PLC_URI, "localhost").ip("127.0.0.1"));
    let ca = Ca::root("Test CA");
    let client = ca.leaf(LeafSpec::client("TestClient", CLIENT_URI));
    let store = TestStore::new()
        .with_own(&own)
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let mut server_options = ServerOptions::new(
        Identity::new("OpcPlc", PLC_URI, opc_plc::PRODUCT_URI, "127.0.0.1"),
        0,
    );
    server_options.listen_host = Some("127.0.0.1".to_owned());
    let server = Server::start(
        &server_options,
        Store::open(StoreLayout::under(store.path())).unwrap(),
    )
    .unwrap();
    let simulation = Simulation::start(&server.address_space(), options).unwrap();
    Plc {
        server,
        simulation,
        own,
        client,
        _store: store,
    }
}

async fn secure_client(plc: &Plc) -> (Client, TestStore) {
    let store = TestStore::new()
        .with_own(&plc.client)
        .with_trusted(&plc.own.cert);
    let path = store.path().to_owned();
    let url = plc.server.endpoint_url().to_owned();
    let client = tokio::task::spawn_blocking(move || {
        Client::connect(
            &url,
            &ClientOptions::new("TestClient"),
            Store::open(StoreLayout::under(path)).unwrap(),
        )
    })
    .await
    .unwrap()
    .unwrap();
    (client, store)
}

/// A value with its status (`Client::read_value` makes a bad status an error).
async fn data_value(client: &Client, node: &t::NodeId) -> t::DataValue {
    let read = ReadValues::new(std::slice::from_ref(node));
    client.read_values(&read).await.unwrap().remove(0)
}

#[derive(Default)]
struct Seen {
    booleans: BTreeSet<bool>,
    step_up: Vec<u32>,
    signed: BTreeSet<i32>,
    unsigned: BTreeSet<u32>,
    spike: Vec<f64>,
    dip: Vec<f64>,
    positive: Vec<f32>,
    negative: Vec<f32>,
    fast: Vec<u32>,
    slow: Vec<f64>,
}

impl Seen {
    async fn sample(&mut self, client: &Client, simulation: &Simulation) {
        let read = async |name: &str| client.read_value(&simulation.node_id(name)).await.unwrap();
        let value = read("AlternatingBoolean").await;
        self.booleans
            .insert(value.as_scalar::<t::Boolean>().unwrap().value());
        let value = read("StepUp").await;
        self.step_up
            .push(value.as_scalar::<t::UInt32>().unwrap().value());
        let value = read("RandomSignedInt32").await;
        self.signed
            .insert(value.as_scalar::<t::Int32>().unwrap().value());
        let value = read("RandomUnsignedInt32").await;
        self.unsigned
            .insert(value.as_scalar::<t::UInt32>().unwrap().value());
        let value = read("SpikeData").await;
        self.spike
            .push(value.as_scalar::<t::Double>().unwrap().value());
        let value = read("DipData").await;
        self.dip
            .push(value.as_scalar::<t::Double>().unwrap().value());
        let value = read("PositiveTrendData").await;
        self.positive
            .push(value.as_scalar::<t::Float>().unwrap().value());
        let value = read("NegativeTrendData").await;
        self.negative
            .push(value.as_scalar::<t::Float>().unwrap().value());
        let value = read("FastUInt1").await;
        self.fast
            .push(value.as_scalar::<t::UInt32>().unwrap().value());
        let value = read("SlowDouble2").await;
        self.slow
            .push(value.as_scalar::<t::Double>().unwrap().value());
    }

    fn check(&self) {
        assert_eq!(
            self.booleans.len(),
            2,
            "AlternatingBoolean toggles per phase"
        );
        let step_up = &self.step_up;
        assert!(
            step_up.windows(2).all(|w| w[0] <= w[1]),
            "StepUp counts up: {step_up:?}"
        );
        assert!(step_up.last() > step_up.first(), "{step_up:?}");
        assert!(
            self.signed.len() >= 3 && self.unsigned.len() >= 3,
            "random values change"
        );
        // With 4 cycles a phase the sine takes 0, 100, 0, -100; the anomaly is ×10 once a phase.
        let sine_or = |v: f64, anomaly: f64| {
            [0.0, 100.0, -100.0, anomaly]
                .iter()
                .any(|x| (v - x).abs() < 1e-9)
        };
        let (spike, dip) = (&self.spike, &self.dip);
        assert!(spike.iter().all(|v| sine_or(*v, 1000.0)), "{spike:?}");
        assert!(
            spike.iter().any(|v| (v - 1000.0).abs() < 1e-9),
            "no spike: {spike:?}"
        );
        assert!(dip.iter().all(|v| sine_or(*v, -1000.0)), "{dip:?}");
        assert!(
            dip.iter().any(|v| (v + 1000.0).abs() < 1e-9),
            "no dip: {dip:?}"
        );
        let (positive, negative) = (&self.positive, &self.negative);
        assert!(positive.windows(2).all(|w| w[0] <= w[1]) && positive[0] >= 100.0);
        assert!(negative.windows(2).all(|w| w[0] >= w[1]) && negative[0] <= 100.0);
        assert!(positive.last() > positive.first(), "{positive:?}");
        let (fast, slow) = (&self.fast, &self.slow);
        assert!(fast.last() > fast.first(), "FastUInt1 counts up: {fast:?}");
        assert!(
            slow.iter().any(|v| *v >= 2.0),
            "SlowDouble2 adds 1.0 per update: {slow:?}"
        );
    }

    fn complete(&self) -> bool {
        self.booleans.len() == 2
            && self.step_up.last() > self.step_up.first()
            && self.signed.len() >= 3
            && self.unsigned.len() >= 3
            && self.spike.iter().any(|v| (v - 1000.0).abs() < 1e-9)
            && self.dip.iter().any(|v| (v + 1000.0).abs() < 1e-9)
            && self.positive.last() > self.positive.first()
            && self.negative.last() < self.negative.first()
            && self.fast.last() > self.fast.first()
            && self.slow.iter().any(|v| *v >= 2.0)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn telemetry_and_node_sets_move_per_the_reference_rules_over_a_secure_channel() {
    let plc = plc(&fast_options());
    assert_eq!(plc.simulation.namespace(), 2);
    let (client, _store) = secure_client(&plc).await;
    let id = |name: &str| plc.simulation.node_id(name);
    let read = async |name: &str| client.read_value(&id(name)).await.unwrap();

    // The namespace array names the reference's namespace at the PLC's index.
    let namespaces = client.read_value(&t::NodeId::ns0(2255)).await.unwrap();
    let namespaces: Vec<String> = namespaces
        .to_array::<t::String>()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(namespaces[2], NAMESPACE_URI, "{namespaces:?}");

    let mut seen = Seen::default();
    let start = Instant::now();
    while !seen.complete() && start.elapsed() < PATIENCE {
        seen.sample(&client, &plc.simulation).await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    seen.check();

    // The node set's other nodes exist with their types.
    assert!(read("SlowDouble1").await.as_scalar::<t::Double>().is_some());
    // The bad nodes answer with a value or, in their uncertain/bad steps, with that status.
    for (name, double) in [("BadSlowDouble1", true), ("BadFastUInt1", false)] {
        match client.read_value(&id(name)).await {
            Ok(v) if double => assert!(v.as_scalar::<t::Double>().is_some(), "{name}"),
            Ok(v) => assert!(v.as_scalar::<t::UInt32>().is_some(), "{name}"),
            Err(ClientError::Request(status)) => assert!(
                [
                    "UncertainLastUsableValue",
                    "BadDataLost",
                    "BadNoCommunication"
                ]
                .contains(&status.name),
                "{name}: {status}"
            ),
            Err(e) => panic!("{name}: {e}"),
        }
    }
    assert!(client.read_value(&id("FastUInt2")).await.is_err());
    client.disconnect().await;
}

async fn step_up(client: &Client, plc: &Plc) -> u32 {
    data_value(client, &plc.simulation.node_id("StepUp"))
        .await
        .value()
        .unwrap()
        .as_scalar::<t::UInt32>()
        .unwrap()
        .value()
}

async fn positive_trend(client: &Client, plc: &Plc) -> f32 {
    data_value(client, &plc.simulation.node_id("PositiveTrendData"))
        .await
        .value()
        .unwrap()
        .as_scalar::<t::Float>()
        .unwrap()
        .value()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_methods_stop_reset_and_start_step_up_and_reset_the_trend() {
    let plc = plc(&fast_options());
    let (client, _store) = secure_client(&plc).await;
    let methods = plc.simulation.node_id("Methods");
    let call = async |name: &str| {
        client
            .call_method(&methods, &plc.simulation.node_id(name), &[])
            .await
            .unwrap()
    };

    call("StopStepUp").await;
    // Let the command and any cycle already under way land, then StepUp stands still.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let stopped = step_up(&client, &plc).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(step_up(&client, &plc).await, stopped);

    call("ResetStepUp").await;
    let start = Instant::now();
    while step_up(&client, &plc).await != 0 {
        assert!(start.elapsed() < PATIENCE, "ResetStepUp had no effect");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        step_up(&client, &plc).await,
        0,
        "still stopped after the reset"
    );

    call("StartStepUp").await;
    let start = Instant::now();
    while step_up(&client, &plc).await == 0 {
        assert!(start.elapsed() < PATIENCE, "StartStepUp had no effect");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // The trend rises 0.1 a cycle; after ten cycles a reset brings it back below.
    let start = Instant::now();
    while positive_trend(&client, &plc).await < 101.0 {
        assert!(start.elapsed() < PATIENCE, "the trend does not rise");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    call("ResetTrend").await;
    let start = Instant::now();
    while positive_trend(&client, &plc).await >= 100.5 {
        assert!(start.elapsed() < PATIENCE, "ResetTrend had no effect");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    client.disconnect().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bad_node_walks_uncertain_and_bad_statuses() {
    let plc = plc(&fast_options());
    let (client, _store) = secure_client(&plc).await;
    let bad = plc.simulation.node_id("BadFastUInt1");
    let mut statuses = BTreeSet::new();
    let start = Instant::now();
    while statuses.len() < 4 && start.elapsed() < PATIENCE {
        let value = data_value(&client, &bad).await;
        statuses.insert(value.status().map_or("Good", |s| s.name()).to_owned());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let want: BTreeSet<String> = [
        "Good",
        "UncertainLastUsableValue",
        "BadDataLost",
        "BadNoCommunication",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(statuses, want);
    // The good node of the set never carries a bad status.
    let good = data_value(&client, &plc.simulation.node_id("FastUInt1")).await;
    assert!(good.status().is_none_or(|s| s.is_good()));
    client.disconnect().await;
}

#[test]
fn invalid_timing_is_refused_with_a_clear_error() {
    let plc = plc(&fast_options());
    let space = plc.server.address_space();
    let mut options = fast_options();
    options.cycle_time = Duration::ZERO;
    let err = Simulation::start(&space, &options).unwrap_err();
    assert!(matches!(err, SimulationError::Invalid(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "invalid simulation option: --ct must be more than 0 ms"
    );
    let mut options = fast_options();
    options.slow.rate = Duration::ZERO;
    assert!(matches!(
        Simulation::start(&space, &options),
        Err(SimulationError::Invalid(_))
    ));
}
