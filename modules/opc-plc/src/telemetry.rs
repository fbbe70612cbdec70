//! Values of the `OpcPlc/Telemetry` nodes (docs/reference/opc-ua-apps.md §1.6) as pure functions of
//! the cycle counter, so the simulation rules are tested without a clock.
//!
//! One cycle lasts `--ct` ms and a phase is `--sc` cycles. The anomaly cycle of a phase (where
//! the spike or dip happens) is chosen by the driver (the 2018 PLC draws it at random per
//! phase) and passed in, which keeps these functions deterministic.

use std::f64::consts::PI;

/// Amplitude of the `SpikeData` and `DipData` sine.
pub const SINE_AMPLITUDE: f64 = 100.0;
/// Factor of the spike (and, negated, of the dip) at the anomaly cycle.
pub const ANOMALY_FACTOR: f64 = 10.0;
/// Start value of the trend nodes after a reset.
pub const TREND_START: f32 = 100.0;
/// Change of the trend nodes per cycle.
pub const TREND_STEP: f32 = 0.1;

/// Position in the simulation: the cycle counter and the phase length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    /// Cycles since the start (or the last reset).
    pub count: u64,
    /// Cycles per phase (`--sc`, at least 1).
    pub per_phase: u32,
}

impl Cycle {
    /// Cycle `count` with `per_phase` cycles per phase (0 is taken as 1).
    #[must_use]
    pub fn new(count: u64, per_phase: u32) -> Self {
        Self {
            count,
            per_phase: per_phase.max(1),
        }
    }

    /// The phase number.
    #[must_use]
    pub fn phase(self) -> u64 {
        self.count / u64::from(self.per_phase)
    }

    /// The cycle within the phase, `0..per_phase`.
    #[must_use]
    pub fn in_phase(self) -> u32 {
        // The remainder is below `per_phase`, a u32.
        u32::try_from(self.count % u64::from(self.per_phase)).unwrap_or(0)
    }
}

/// `AlternatingBoolean`: false in even phases, true in odd ones (toggles once per phase).
#[must_use]
pub fn alternating_boolean(cycle: Cycle) -> bool {
    cycle.phase() % 2 == 1
}

/// `StepUp`: +1 per cycle (wrapping like the reference's `UInt32`).
#[must_use]
pub fn step_up(steps: u64) -> u32 {
    // Wrapping to 32 bits is the point: the node is a UInt32 counter.
    #[allow(clippy::cast_possible_truncation)]
    let value = steps as u32;
    value
}

fn sine(cycle: Cycle) -> f64 {
    SINE_AMPLITUDE * (2.0 * PI * f64::from(cycle.in_phase()) / f64::from(cycle.per_phase)).sin()
}

/// `SpikeData`: a sine of amplitude 100 over the phase, ×10 at the phase's anomaly cycle.
#[must_use]
pub fn spike(cycle: Cycle, anomaly_cycle: u32) -> f64 {
    if cycle.in_phase() == anomaly_cycle {
        SINE_AMPLITUDE * ANOMALY_FACTOR
    } else {
        sine(cycle)
    }
}

/// `DipData`: the same sine, ×−10 at the phase's anomaly cycle.
#[must_use]
pub fn dip(cycle: Cycle, anomaly_cycle: u32) -> f64 {
    if cycle.in_phase() == anomaly_cycle {
        -SINE_AMPLITUDE * ANOMALY_FACTOR
    } else {
        sine(cycle)
    }
}

/// `PositiveTrendData`: rises by [`TREND_STEP`] per cycle since the last reset.
#[must_use]
pub fn positive_trend(cycles_since_reset: u32) -> f32 {
    #[allow(clippy::cast_precision_loss)] // a Float node; precision loss is the node's own
    let cycles = cycles_since_reset as f32;
    TREND_START + TREND_STEP * cycles
}

/// `NegativeTrendData`: falls by [`TREND_STEP`] per cycle since the last reset.
#[must_use]
pub fn negative_trend(cycles_since_reset: u32) -> f32 {
    #[allow(clippy::cast_precision_loss)]
    let cycles = cycles_since_reset as f32;
    TREND_START - TREND_STEP * cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternating_boolean_toggles_once_per_phase() {
        let values: Vec<bool> = (0..12)
            .map(|c| alternating_boolean(Cycle::new(c, 4)))
            .collect();
        assert_eq!(
            values,
            [
                false, false, false, false, true, true, true, true, false, false, false, false
            ]
        );
    }

    #[test]
    fn step_up_counts_cycles_and_wraps_like_a_uint32() {
        assert_eq!(step_up(0), 0);
        assert_eq!(step_up(41), 41);
        assert_eq!(step_up(u64::from(u32::MAX) + 2), 1);
    }

    #[test]
    fn spike_data_spikes_exactly_once_per_phase() {
        let per_phase = 50;
        for phase in 0..3_u64 {
            let spikes = (0..u64::from(per_phase))
                .map(|i| spike(Cycle::new(phase * u64::from(per_phase) + i, per_phase), 17))
                .filter(|v| (*v - 1000.0).abs() < f64::EPSILON)
                .count();
            assert_eq!(spikes, 1);
        }
        assert!(spike(Cycle::new(3, per_phase), 17).abs() <= SINE_AMPLITUDE);
    }

    #[test]
    fn dip_data_dips_exactly_once_per_phase() {
        let dips = (0..100)
            .map(|c| dip(Cycle::new(c, 50), 3))
            .filter(|v| (*v + 1000.0).abs() < f64::EPSILON)
            .count();
        assert_eq!(dips, 2);
    }

    #[test]
    fn the_sine_runs_once_over_a_phase() {
        assert!(sine(Cycle::new(0, 4)).abs() < 1e-9);
        assert!((sine(Cycle::new(1, 4)) - 100.0).abs() < 1e-9);
        assert!((sine(Cycle::new(3, 4)) + 100.0).abs() < 1e-9);
    }

    #[test]
    fn trends_move_by_a_tenth_per_cycle_from_100() {
        assert!((positive_trend(0) - 100.0).abs() < f32::EPSILON);
        assert!((positive_trend(10) - 101.0).abs() < 1e-4);
        assert!((negative_trend(10) - 99.0).abs() < 1e-4);
    }
}
