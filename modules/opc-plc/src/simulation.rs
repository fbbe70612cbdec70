//! The PLC's address space and the thread that drives it (docs/reference/opc-ua-apps.md §1.6).
//!
//! Namespace `http://microsoft.com/Opc/OpcPlc/` (index 2 on our server: 0 is OPC UA, 1 the
//! application URI). Every node id is a string equal to the browse name, as the reference PLC
//! does (`ns=2;s=StepUp`):
//!
//! ```text
//! Objects/OpcPlc                      folder
//!   Telemetry                         folder
//!     AlternatingBoolean   Boolean    read
//!     RandomSignedInt32    Int32      read
//!     RandomUnsignedInt32  UInt32     read
//!     StepUp               UInt32     read/write
//!     SpikeData            Double     read
//!     DipData              Double     read
//!     PositiveTrendData    Float      read
//!     NegativeTrendData    Float      read
//!     Slow                 folder: Slow<Type><n> (n = 1..--sn), BadSlow<Type>1  read/write
//!     Fast                 folder: Fast<Type><n> (n = 1..--fn), BadFast<Type>1  read/write
//!   Methods                           folder
//!     ResetStepUp, StartStepUp, StopStepUp, ResetTrend   (no arguments)
//! ```
//!
//! One thread (`plc-simulation`) runs three timers: the simulation cycle (`--ct` ms; `--sc`
//! cycles make a phase), the slow nodes (`--sr` s) and the fast nodes (`--fr` s). It writes the
//! values through [`ua::AddressSpace`] while the server runs on its own thread. Method calls run
//! on the server thread and only send a [`Command`] to this thread (which applies it at once), so
//! no callback ever waits for the address space.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rand::Rng as _;
use ua::{AddressSpace, OBJECTS_FOLDER, ServerError, ValueType, Variable, ua as t};

use crate::slow_fast::{self, NodeType, Value};
use crate::telemetry::{self, Cycle};

/// The reference PLC's namespace.
pub const NAMESPACE_URI: &str = "http://microsoft.com/Opc/OpcPlc/";

/// The telemetry nodes, their types and whether clients may write them.
pub const TELEMETRY_NODES: [(&str, ValueType, bool); 8] = [
    ("AlternatingBoolean", ValueType::Boolean, false),
    ("RandomSignedInt32", ValueType::Int32, false),
    ("RandomUnsignedInt32", ValueType::UInt32, false),
    ("StepUp", ValueType::UInt32, true),
    ("SpikeData", ValueType::Double, false),
    ("DipData", ValueType::Double, false),
    ("PositiveTrendData", ValueType::Float, false),
    ("NegativeTrendData", ValueType::Float, false),
];

/// The methods, in `OpcPlc/Methods`.
pub const METHODS: [(&str, Command); 4] = [
    ("ResetStepUp", Command::ResetStepUp),
    ("StartStepUp", Command::StartStepUp),
    ("StopStepUp", Command::StopStepUp),
    ("ResetTrend", Command::ResetTrend),
];

/// One node set (slow or fast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSet {
    /// Number of nodes (`--sn`/`--fn`); the `Bad…` node always exists.
    pub count: u32,
    /// Update period (`--sr`/`--fr`, seconds in the CLI).
    pub rate: Duration,
    /// Data type (`--st`/`--ft`).
    pub node_type: NodeType,
}

/// Everything the simulation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulationOptions {
    /// Cycles per phase (`--sc`, at least 1).
    pub cycles_per_phase: u32,
    /// Length of a cycle (`--ct`, more than 0).
    pub cycle_time: Duration,
    /// `Slow…` nodes.
    pub slow: NodeSet,
    /// `Fast…` nodes.
    pub fast: NodeSet,
}

impl Default for SimulationOptions {
    /// The reference's defaults: 50 cycles of 100 ms, one slow `UInt` node every 10 s and one
    /// fast `UInt` node every second.
    fn default() -> Self {
        Self {
            cycles_per_phase: 50,
            cycle_time: Duration::from_millis(100),
            slow: NodeSet {
                count: 1,
                rate: Duration::from_secs(10),
                node_type: NodeType::UInt,
            },
            fast: NodeSet {
                count: 1,
                rate: Duration::from_secs(1),
                node_type: NodeType::UInt,
            },
        }
    }
}

/// What a method call asks the simulation thread to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `ResetStepUp`: `StepUp` back to 0.
    ResetStepUp,
    /// `StartStepUp`: `StepUp` counts again.
    StartStepUp,
    /// `StopStepUp`: `StepUp` stays where it is.
    StopStepUp,
    /// `ResetTrend`: both trends back to their start value.
    ResetTrend,
}

/// Why the simulation could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimulationError {
    /// An option is out of range.
    #[error("invalid simulation option: {0}")]
    Invalid(&'static str),
    /// The server refused a node.
    #[error("cannot build the OPC PLC address space")]
    AddressSpace(#[from] ServerError),
    /// The thread could not be spawned.
    #[error("cannot spawn the simulation thread")]
    Thread(#[source] std::io::Error),
}

/// The running simulation; dropping it stops the thread (the nodes stay).
#[derive(Debug)]
pub struct Simulation {
    commands: mpsc::Sender<Message>,
    thread: Option<JoinHandle<()>>,
    namespace: u16,
}

#[derive(Debug)]
enum Message {
    Command(Command),
    Stop,
}

impl Simulation {
    /// Builds the PLC's nodes in `space` and starts driving them.
    pub fn start(
        space: &AddressSpace,
        options: &SimulationOptions,
    ) -> Result<Self, SimulationError> {
        if options.cycle_time.is_zero() {
            return Err(SimulationError::Invalid("--ct must be more than 0 ms"));
        }
        if options.cycles_per_phase == 0 {
            return Err(SimulationError::Invalid("--sc must be at least 1"));
        }
        if options.slow.rate.is_zero() || options.fast.rate.is_zero() {
            return Err(SimulationError::Invalid(
                "--sr and --fr must be at least 1 s",
            ));
        }
        let ns = space.add_namespace(NAMESPACE_URI)?;
        let (commands, inbox) = mpsc::channel();
        let nodes = build(space, ns, options, &commands)?;
        let (space, options) = (space.clone(), *options);
        let thread = std::thread::Builder::new()
            .name("plc-simulation".to_owned())
            .spawn(move || Driver::new(space, nodes, options).run(&inbox))
            .map_err(SimulationError::Thread)?;
        Ok(Self {
            commands,
            thread: Some(thread),
            namespace: ns,
        })
    }

    /// The namespace index of [`NAMESPACE_URI`].
    #[must_use]
    pub fn namespace(&self) -> u16 {
        self.namespace
    }

    /// The node id of a PLC node by name (`StepUp`, `SlowUInt1`, `ResetTrend`, …).
    #[must_use]
    pub fn node_id(&self, name: &str) -> t::NodeId {
        t::NodeId::string(self.namespace, name)
    }

    /// Stops the thread and waits for it.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        let _ = self.commands.send(Message::Stop);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!(target: "opc_plc", "the simulation thread panicked");
        }
    }
}

impl Drop for Simulation {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Node ids the driver writes.
struct Nodes {
    telemetry: [t::NodeId; 8],
    slow: Set,
    fast: Set,
}

struct Set {
    node_type: NodeType,
    nodes: Vec<t::NodeId>,
    bad: t::NodeId,
}

fn build(
    space: &AddressSpace,
    ns: u16,
    options: &SimulationOptions,
    commands: &mpsc::Sender<Message>,
) -> Result<Nodes, ServerError> {
    let id = |name: &str| t::NodeId::string(ns, name);
    let root = space.add_folder(&t::NodeId::ns0(OBJECTS_FOLDER), &id("OpcPlc"), "OpcPlc")?;
    let telemetry_folder = space.add_folder(&root, &id("Telemetry"), "Telemetry")?;
    let first = first_values(options);
    let mut telemetry = Vec::with_capacity(TELEMETRY_NODES.len());
    for ((name, value_type, writable), initial) in TELEMETRY_NODES.iter().zip(first) {
        telemetry.push(space.add_variable(
            &telemetry_folder,
            &Variable {
                node_id: id(name),
                name: (*name).to_owned(),
                value_type: *value_type,
                array: false,
                initial,
                writable: *writable,
            },
        )?);
    }
    let telemetry: [t::NodeId; 8] = telemetry
        .try_into()
        .map_err(|_| ServerError::InvalidConfig("telemetry node count"))?;

    let methods = space.add_folder(&root, &id("Methods"), "Methods")?;
    for (name, command) in METHODS {
        let sender = commands.clone();
        space.add_method(&methods, &id(name), name, move || {
            tracing::debug!(target: "opc_plc", "{name} method called");
            sender
                .send(Message::Command(command))
                .map_err(|_| t::StatusCode::BADINVALIDSTATE)
        })?;
    }

    let slow = build_set(space, ns, &telemetry_folder, "Slow", &options.slow)?;
    let fast = build_set(space, ns, &telemetry_folder, "Fast", &options.fast)?;
    Ok(Nodes {
        telemetry,
        slow,
        fast,
    })
}

fn build_set(
    space: &AddressSpace,
    ns: u16,
    telemetry: &t::NodeId,
    prefix: &str,
    set: &NodeSet,
) -> Result<Set, ServerError> {
    let folder = space.add_folder(telemetry, &t::NodeId::string(ns, prefix), prefix)?;
    let (names, bad_name) = slow_fast::node_names(prefix, set.node_type, set.count);
    if set.count > 0 {
        tracing::info!(target: "opc_plc", "Creating {} {prefix} nodes of type: {}", set.count, set.node_type);
        tracing::info!(target: "opc_plc", "Node values will change every {} ms", set.rate.as_millis());
    }
    let (value_type, array) = match set.node_type {
        NodeType::UInt => (ValueType::UInt32, false),
        NodeType::Double => (ValueType::Double, false),
        NodeType::Bool => (ValueType::Boolean, false),
        NodeType::UIntArray => (ValueType::UInt32, true),
    };
    let add = |name: &str| {
        space.add_variable(
            &folder,
            &Variable {
                node_id: t::NodeId::string(ns, name),
                name: name.to_owned(),
                value_type,
                array,
                initial: to_variant(&set.node_type.first_value()),
                writable: true,
            },
        )
    };
    let nodes = names
        .iter()
        .map(|n| add(n))
        .collect::<Result<Vec<_>, _>>()?;
    let bad = add(&bad_name)?;
    Ok(Set {
        node_type: set.node_type,
        nodes,
        bad,
    })
}

/// The first values, in the order of [`TELEMETRY_NODES`].
fn first_values(options: &SimulationOptions) -> [t::Variant; 8] {
    let cycle = Cycle::new(0, options.cycles_per_phase);
    [
        t::Variant::scalar(t::Boolean::new(telemetry::alternating_boolean(cycle))),
        t::Variant::scalar(t::Int32::new(0)),
        t::Variant::scalar(t::UInt32::new(0)),
        t::Variant::scalar(t::UInt32::new(telemetry::step_up(0))),
        t::Variant::scalar(t::Double::new(0.0)),
        t::Variant::scalar(t::Double::new(0.0)),
        t::Variant::scalar(t::Float::new(telemetry::positive_trend(0))),
        t::Variant::scalar(t::Float::new(telemetry::negative_trend(0))),
    ]
}

/// A slow/fast value as an OPC UA variant.
#[must_use]
pub fn to_variant(value: &Value) -> t::Variant {
    match value {
        Value::UInt(v) => t::Variant::scalar(t::UInt32::new(*v)),
        Value::Double(v) => t::Variant::scalar(t::Double::new(*v)),
        Value::Bool(v) => t::Variant::scalar(t::Boolean::new(*v)),
        Value::UIntArray(v) => {
            let items: Vec<t::UInt32> = v.iter().map(|x| t::UInt32::new(*x)).collect();
            t::Variant::array(t::Array::from_slice(&items))
        }
    }
}

/// A variant as a slow/fast value of `node_type` (`None` when empty or of another type).
#[must_use]
pub fn from_variant(node_type: NodeType, variant: &t::Variant) -> Option<Value> {
    match node_type {
        NodeType::UInt => variant
            .as_scalar::<t::UInt32>()
            .map(|v| Value::UInt(v.value())),
        NodeType::Double => variant
            .as_scalar::<t::Double>()
            .map(|v| Value::Double(v.value())),
        NodeType::Bool => variant
            .as_scalar::<t::Boolean>()
            .map(|v| Value::Bool(v.value())),
        NodeType::UIntArray => variant
            .to_array::<t::UInt32>()
            .map(|a| Value::UIntArray(a.iter().map(t::UInt32::value).collect())),
    }
}

/// The simulation thread's state.
struct Driver {
    space: AddressSpace,
    nodes: Nodes,
    options: SimulationOptions,
    cycle: u64,
    step_up_running: bool,
    trend_cycles: u32,
    spike_at: u32,
    dip_at: u32,
    slow_updates: u64,
    fast_updates: u64,
    slow_restart: bool,
    fast_restart: bool,
    rng: rand::rngs::ThreadRng,
}

impl Driver {
    fn new(space: AddressSpace, nodes: Nodes, options: SimulationOptions) -> Self {
        Self {
            space,
            nodes,
            options,
            cycle: 0,
            step_up_running: true,
            trend_cycles: 0,
            spike_at: 0,
            dip_at: 0,
            slow_updates: 0,
            fast_updates: 0,
            slow_restart: false,
            fast_restart: false,
            rng: rand::rng(),
        }
    }

    fn run(&mut self, inbox: &mpsc::Receiver<Message>) {
        let start = Instant::now();
        let mut next_cycle = start + self.options.cycle_time;
        let mut next_slow = start + self.options.slow.rate;
        let mut next_fast = start + self.options.fast.rate;
        loop {
            let now = Instant::now();
            let due = next_cycle.min(next_slow).min(next_fast);
            match inbox.recv_timeout(due.saturating_duration_since(now)) {
                Ok(Message::Command(command)) => {
                    self.apply(command);
                    continue;
                }
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {}
            }
            let now = Instant::now();
            if now >= next_cycle {
                self.tick_cycle();
                next_cycle = reschedule(next_cycle, self.options.cycle_time, now);
            }
            if now >= next_slow {
                self.tick_set(true);
                next_slow = reschedule(next_slow, self.options.slow.rate, now);
            }
            if now >= next_fast {
                self.tick_set(false);
                next_fast = reschedule(next_fast, self.options.fast.rate, now);
            }
        }
    }

    fn write(&self, node: &t::NodeId, value: &t::Variant) {
        if let Err(e) = self.space.write(node, value) {
            tracing::warn!(target: "opc_plc", error = %e, node = %node, "cannot update a node");
        }
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::ResetStepUp => self.write(
                &self.nodes.telemetry[3],
                &t::Variant::scalar(t::UInt32::new(0)),
            ),
            Command::StartStepUp => self.step_up_running = true,
            Command::StopStepUp => self.step_up_running = false,
            Command::ResetTrend => {
                self.trend_cycles = 0;
                self.write_trends();
            }
        }
    }

    fn write_trends(&self) {
        self.write(
            &self.nodes.telemetry[6],
            &t::Variant::scalar(t::Float::new(telemetry::positive_trend(self.trend_cycles))),
        );
        self.write(
            &self.nodes.telemetry[7],
            &t::Variant::scalar(t::Float::new(telemetry::negative_trend(self.trend_cycles))),
        );
    }

    /// One simulation cycle: every telemetry node moves per its rule.
    fn tick_cycle(&mut self) {
        self.cycle += 1;
        let cycle = Cycle::new(self.cycle, self.options.cycles_per_phase);
        if cycle.in_phase() == 0 {
            // A new phase: its spike and dip happen at a random cycle, as in the 2018 PLC.
            self.spike_at = self.rng.random_range(0..cycle.per_phase);
            self.dip_at = self.rng.random_range(0..cycle.per_phase);
        }
        let (signed, unsigned): (i32, u32) = (self.rng.random(), self.rng.random());
        let nodes = &self.nodes.telemetry;
        self.write(
            &nodes[0],
            &t::Variant::scalar(t::Boolean::new(telemetry::alternating_boolean(cycle))),
        );
        self.write(&nodes[1], &t::Variant::scalar(t::Int32::new(signed)));
        self.write(&nodes[2], &t::Variant::scalar(t::UInt32::new(unsigned)));
        if self.step_up_running {
            // From the node's current value, so a client's write or a reset counts.
            let current = self
                .space
                .read(&nodes[3])
                .ok()
                .and_then(|v| v.as_scalar::<t::UInt32>().map(t::UInt32::value))
                .unwrap_or(0);
            self.write(
                &nodes[3],
                &t::Variant::scalar(t::UInt32::new(current.wrapping_add(1))),
            );
        }
        self.write(
            &nodes[4],
            &t::Variant::scalar(t::Double::new(telemetry::spike(cycle, self.spike_at))),
        );
        self.write(
            &nodes[5],
            &t::Variant::scalar(t::Double::new(telemetry::dip(cycle, self.dip_at))),
        );
        self.trend_cycles = self.trend_cycles.saturating_add(1);
        self.write_trends();
    }

    /// One update of the slow (or fast) node set.
    fn tick_set(&mut self, slow: bool) {
        let (set, updates) = if slow {
            (&self.nodes.slow, &mut self.slow_updates)
        } else {
            (&self.nodes.fast, &mut self.fast_updates)
        };
        let status = slow_fast::bad_status(*updates);
        *updates += 1;
        for node in &set.nodes {
            let current = self
                .space
                .read(node)
                .ok()
                .and_then(|v| from_variant(set.node_type, &v));
            let next = slow_fast::next_value(set.node_type, current.as_ref());
            if let Err(e) = self.space.write(node, &to_variant(&next)) {
                tracing::warn!(target: "opc_plc", error = %e, node = %node, "cannot update a node");
            }
        }
        // The reference sets no value with `BadNoCommunication` and starts again from the first
        // value after it; open62541 refuses an empty value for these types, so the node keeps
        // its last value under the bad status and the driver remembers to start again.
        let current = self
            .space
            .read(&set.bad)
            .ok()
            .and_then(|v| from_variant(set.node_type, &v));
        let restart = if slow {
            &mut self.slow_restart
        } else {
            &mut self.fast_restart
        };
        let value = if status.has_value() {
            let base = if *restart { None } else { current.as_ref() };
            *restart = false;
            slow_fast::next_value(set.node_type, base)
        } else {
            *restart = true;
            current.unwrap_or_else(|| set.node_type.first_value())
        };
        if let Err(e) = self
            .space
            .write_with_status(&set.bad, &to_variant(&value), status.code())
        {
            tracing::warn!(target: "opc_plc", error = %e, node = %set.bad, "cannot update a node");
        }
    }
}

/// The next deadline after `deadline`; after a stall it restarts from `now` instead of catching
/// up with a burst of updates.
fn reschedule(deadline: Instant, period: Duration, now: Instant) -> Instant {
    let next = deadline + period;
    if next <= now { now + period } else { next }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reschedule_keeps_the_period_and_skips_missed_ticks() {
        let t0 = Instant::now();
        let p = Duration::from_millis(100);
        assert_eq!(reschedule(t0, p, t0), t0 + p);
        assert_eq!(reschedule(t0, p, t0 + p * 5), t0 + p * 6);
    }

    #[test]
    fn variants_round_trip_for_every_node_type() {
        for node_type in [
            NodeType::UInt,
            NodeType::Double,
            NodeType::Bool,
            NodeType::UIntArray,
        ] {
            let value = slow_fast::next_value(node_type, Some(&node_type.first_value()));
            assert_eq!(
                from_variant(node_type, &to_variant(&value)),
                Some(value),
                "{node_type}"
            );
        }
        let other = t::Variant::scalar(t::Boolean::new(true));
        assert_eq!(from_variant(NodeType::UInt, &other), None);
    }
}
