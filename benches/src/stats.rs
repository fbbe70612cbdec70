//! The arithmetic of the reports, as plain functions: medians, percentiles, ratios and the
//! interleaved order of runs.

/// The median of `values` (the mean of the middle two for an even count); `None` when empty
/// or when a value is not a number.
#[must_use]
pub fn median(values: &[f64]) -> Option<f64> {
    let sorted = sorted(values)?;
    let n = sorted.len();
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    })
}

/// The `p`-th percentile (0–100) of `values` by the nearest-rank method: the smallest value
/// with at least `p`% of the values at or below it.
#[must_use]
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let sorted = sorted(values)?;
    if !(0.0..=100.0).contains(&p) {
        return None;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn sorted(values: &[f64]) -> Option<Vec<f64>> {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(sorted)
}

/// `a / b`, when both are known and `b` is not zero.
#[must_use]
pub fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b != 0.0 => Some(a / b),
        _ => None,
    }
}

/// The runs of `variants` repeated `reps` times, interleaved (A B C A B C …), each with its
/// repetition number from 1: drifts of the machine (other jobs, thermal state) then spread
/// over every variant instead of favouring the one measured first.
#[must_use]
pub fn interleave<T: Clone>(variants: &[T], reps: usize) -> Vec<(usize, T)> {
    (1..=reps)
        .flat_map(|rep| variants.iter().map(move |v| (rep, v.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), Some(50.0));
        assert_eq!(percentile(&values, 99.0), Some(99.0));
        assert_eq!(percentile(&values, 100.0), Some(100.0));
        assert_eq!(percentile(&values, 0.0), Some(1.0));
        assert_eq!(percentile(&[7.0, 3.0], 99.0), Some(7.0));
        assert_eq!(percentile(&values, 101.0), None);
    }

    #[test]
    fn a_ratio_needs_both_sides_and_a_divisor() {
        assert_eq!(ratio(Some(30.0), Some(2.0)), Some(15.0));
        assert_eq!(ratio(Some(1.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(1.0)), None);
    }

    #[test]
    fn runs_are_interleaved_variant_by_variant() {
        let runs = interleave(&["A", "B", "C"], 2);
        let order: Vec<String> = runs.iter().map(|(r, v)| format!("{v}{r}")).collect();
        assert_eq!(order, ["A1", "B1", "C1", "A2", "B2", "C2"]);
        assert!(interleave(&["A"], 0).is_empty());
    }
}
