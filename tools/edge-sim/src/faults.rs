//! Fault injection for tests: drop a module's connection, refuse connects for a while, delay
//! twin operations, fail the next twin operations with a status such as 429 or 500, and the
//! same delay and failures for service API requests.
//!
//! [`FaultPlan`] holds the decisions and takes the time as an argument; [`Faults`] is the
//! handle tests get from `Running::faults()`. Twin faults apply to twin GET and reported PATCH
//! over MQTT, the operations edgeHub answers with a status; service faults apply to every
//! authenticated service API request (twins, methods, configurations, identities), which a
//! failure answers in IoT Hub's error shape without performing it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hub_proto::ModuleId;
use tokio::time::Instant;

use crate::mqtt::Broker;

/// The pending faults, sans-io.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultPlan {
    refuse_until: Option<Instant>,
    twin_delay: Duration,
    twin_failures: u32,
    twin_failure_status: u16,
    service_delay: Duration,
    service_failures: u32,
    service_failure_status: u16,
}

/// What to do to one twin operation or service API request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwinFault {
    /// Wait this long before answering.
    pub delay: Duration,
    /// Answer with this status instead of performing the operation.
    pub fail_with: Option<u16>,
}

impl FaultPlan {
    /// Refuse connects until `until`.
    pub fn refuse_connects_until(&mut self, until: Instant) {
        self.refuse_until = Some(until);
    }

    /// Whether a connect at `now` is refused.
    #[must_use]
    pub fn refuses_connect(&self, now: Instant) -> bool {
        self.refuse_until.is_some_and(|until| now < until)
    }

    /// Delay every twin operation by `delay` (zero turns it off).
    pub fn delay_twin_operations(&mut self, delay: Duration) {
        self.twin_delay = delay;
    }

    /// Fail the next `count` twin operations with `status`.
    pub fn fail_next_twin_operations(&mut self, count: u32, status: u16) {
        self.twin_failures = count;
        self.twin_failure_status = status;
    }

    /// Delay every service API request by `delay` (zero turns it off).
    pub fn delay_service_requests(&mut self, delay: Duration) {
        self.service_delay = delay;
    }

    /// Fail the next `count` service API requests with `status`.
    pub fn fail_next_service_requests(&mut self, count: u32, status: u16) {
        self.service_failures = count;
        self.service_failure_status = status;
    }

    /// Takes the fault for the next service API request, consuming one failure if any.
    pub fn next_service_request(&mut self) -> TwinFault {
        let fail_with = (self.service_failures > 0).then(|| {
            self.service_failures -= 1;
            self.service_failure_status
        });
        TwinFault {
            delay: self.service_delay,
            fail_with,
        }
    }

    /// Takes the fault for the next twin operation, consuming one failure if any is pending.
    pub fn next_twin_operation(&mut self) -> TwinFault {
        let fail_with = (self.twin_failures > 0).then(|| {
            self.twin_failures -= 1;
            self.twin_failure_status
        });
        TwinFault {
            delay: self.twin_delay,
            fail_with,
        }
    }
}

/// The fault-injection handle of a running simulator.
#[derive(Debug, Clone)]
pub struct Faults {
    plan: Arc<Mutex<FaultPlan>>,
    broker: Arc<Broker>,
}

impl Faults {
    pub(crate) fn new(broker: Arc<Broker>) -> Self {
        Self {
            plan: Arc::default(),
            broker,
        }
    }

    fn with_plan<T>(&self, f: impl FnOnce(&mut FaultPlan) -> T) -> T {
        f(&mut self.plan.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Closes the module's MQTT connection now, without a DISCONNECT; `false` when it had
    /// none.
    #[must_use = "false means the module had no connection"]
    pub fn drop_connection(&self, module: &ModuleId) -> bool {
        self.broker.drop_connection(module)
    }

    /// Whether the module has a live MQTT connection (to wait for its reconnect).
    #[must_use]
    pub fn is_connected(&self, module: &ModuleId) -> bool {
        self.broker.is_connected(module)
    }

    /// How many authenticated MQTT connections the module opened since the simulator
    /// started (each reconnect counts).
    #[must_use]
    pub fn connects(&self, module: &ModuleId) -> u64 {
        self.broker.connects(module)
    }

    /// Answers every CONNECT with CONNACK 3 (server unavailable) for `duration`.
    pub fn refuse_connects_for(&self, duration: Duration) {
        let until = Instant::now() + duration;
        self.with_plan(|p| p.refuse_connects_until(until));
    }

    /// Delays every twin GET and reported PATCH by `delay`; zero turns it off.
    pub fn delay_twin_operations(&self, delay: Duration) {
        self.with_plan(|p| p.delay_twin_operations(delay));
    }

    /// Answers the next `count` twin GETs or reported PATCH requests with `status` (e.g. 429, 500).
    pub fn fail_next_twin_operations(&self, count: u32, status: u16) {
        self.with_plan(|p| p.fail_next_twin_operations(count, status));
    }

    /// Delays every service API request by `delay`; zero turns it off.
    pub fn delay_service_requests(&self, delay: Duration) {
        self.with_plan(|p| p.delay_service_requests(delay));
    }

    /// Answers the next `count` service API requests with `status` (e.g. 429, 500) in IoT
    /// Hub's error shape, without performing them.
    pub fn fail_next_service_requests(&self, count: u32, status: u16) {
        self.with_plan(|p| p.fail_next_service_requests(count, status));
    }

    /// Removes every pending fault.
    pub fn clear(&self) {
        self.with_plan(|p| *p = FaultPlan::default());
    }

    pub(crate) fn refuses_connect(&self) -> bool {
        let now = Instant::now();
        self.with_plan(|p| p.refuses_connect(now))
    }

    pub(crate) fn next_twin_operation(&self) -> TwinFault {
        self.with_plan(FaultPlan::next_twin_operation)
    }

    pub(crate) fn next_service_request(&self) -> TwinFault {
        self.with_plan(FaultPlan::next_service_request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_consumed_one_per_operation() {
        let mut plan = FaultPlan::default();
        plan.fail_next_twin_operations(2, 429);
        assert_eq!(plan.next_twin_operation().fail_with, Some(429));
        assert_eq!(plan.next_twin_operation().fail_with, Some(429));
        assert_eq!(plan.next_twin_operation().fail_with, None);
    }

    #[test]
    fn connects_are_refused_only_until_the_deadline() {
        let mut plan = FaultPlan::default();
        let now = Instant::now();
        assert!(!plan.refuses_connect(now));
        plan.refuse_connects_until(now + Duration::from_secs(1));
        assert!(plan.refuses_connect(now));
        assert!(!plan.refuses_connect(now + Duration::from_secs(2)));
    }

    #[test]
    fn service_faults_are_counted_apart_from_twin_faults() {
        let mut plan = FaultPlan::default();
        plan.fail_next_service_requests(1, 500);
        plan.delay_service_requests(Duration::from_millis(7));
        assert_eq!(plan.next_twin_operation().fail_with, None);
        let fault = plan.next_service_request();
        assert_eq!(
            (fault.fail_with, fault.delay),
            (Some(500), Duration::from_millis(7))
        );
        assert_eq!(plan.next_service_request().fail_with, None);
    }

    #[test]
    fn delay_applies_to_every_operation_until_cleared() {
        let mut plan = FaultPlan::default();
        plan.delay_twin_operations(Duration::from_millis(5));
        assert_eq!(plan.next_twin_operation().delay, Duration::from_millis(5));
        assert_eq!(plan.next_twin_operation().delay, Duration::from_millis(5));
        plan.delay_twin_operations(Duration::ZERO);
        assert_eq!(plan.next_twin_operation().delay, Duration::ZERO);
    }
}
