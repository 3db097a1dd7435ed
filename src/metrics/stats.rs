//! Numeric statistics over one column of counts (downloads, likes): sums, quantiles,
//! shares, inequality measures, the Lorenz curve and a log-binned histogram.
//!
//! Plain functions over `u64` slices. Sums are exact (`u128`) and `f64` appears only in
//! the final division, so a figure comes out the same to the last digit on every run.
//! Functions that need order take `&mut [u64]` and reorder it in place (selection or
//! sort); callers pass a copy they own. Nothing here knows about models or keys.

use crate::figures::Point;

/// The exact sum of `values`.
pub fn sum(values: &[u64]) -> u128 {
    values.iter().map(|&x| u128::from(x)).sum()
}

/// `num / den` with one rounding per operand; undefined (`NaN`) when `den` is 0, so
/// that a share of nothing never reads as a measured 0% (pages show "n/a", and the
/// build warns, see `site::checks::undefined_warnings`).
pub fn ratio(num: u128, den: u128) -> f64 {
    if den == 0 {
        f64::NAN
    } else {
        num as f64 / den as f64
    }
}

/// The `q`-quantile (0 ≤ q ≤ 1) with numpy's default linear interpolation: position
/// `(n − 1)·q` between the two nearest order statistics, so the median of an even count
/// is the mean of the two middle values. `None` for no values or `q` outside 0..=1.
/// Reorders `values` (selection, O(n)).
pub fn quantile(values: &mut [u64], q: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let position = (values.len() - 1) as f64 * q;
    let lower = (position.floor() as usize).min(values.len() - 1);
    let t = position - lower as f64;
    let (_, &mut a, above) = values.select_nth_unstable(lower);
    let b = above.iter().copied().min().unwrap_or(a);
    // numpy's `_lerp`: from the nearer end, so t = 1 gives b exactly.
    let diff = (b - a) as f64;
    Some(if t >= 0.5 {
        b as f64 - diff * (1.0 - t)
    } else {
        a as f64 + diff * t
    })
}

/// Fraction of values strictly below `threshold`; undefined (`NaN`) for no values.
pub fn share_below(values: &[u64], threshold: f64) -> f64 {
    let below = values.iter().filter(|&&x| (x as f64) < threshold).count();
    ratio(below as u128, values.len() as u128)
}

/// The `n` largest values over the total; undefined (`NaN`) when the total is 0.
/// Reorders `values`.
pub fn top_share(values: &mut [u64], n: usize) -> f64 {
    let total = sum(values);
    if total == 0 {
        return f64::NAN;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n.min(values.len());
    if n < values.len() {
        values.select_nth_unstable_by(n - 1, |a, b| b.cmp(a));
    }
    ratio(sum(&values[..n]), total)
}

/// The Gini coefficient `G = 2·Σ i·x(i) / (n·Σx) − (n+1)/n` over ascending `x(i)`,
/// `i` from 1; undefined (`NaN`) when the total is 0. Computed as the single exact fraction
/// `(2·Σ i·x(i) − (n+1)·Σx) / (n·Σx)`, whose numerator is never negative for sorted
/// input. Sorts `values`.
pub fn gini(values: &mut [u64]) -> f64 {
    let total = sum(values);
    if total == 0 {
        return f64::NAN;
    }
    values.sort_unstable();
    let n = values.len() as u128;
    let weighted: u128 = values
        .iter()
        .zip(1u128..)
        .map(|(&x, i)| i * u128::from(x))
        .sum();
    ratio(2 * weighted - (n + 1) * total, n * total)
}

/// The Herfindahl–Hirschman index of group totals: Σ share², from 1/groups (even) to
/// 1 (one group holds everything); undefined (`NaN`) when the total is 0.
pub fn hhi(weights: &[u128]) -> f64 {
    let total: u128 = weights.iter().sum();
    if total == 0 {
        return f64::NAN;
    }
    let squares = weights.iter().try_fold(0u128, |acc, &w| {
        w.checked_mul(w).and_then(|sq| acc.checked_add(sq))
    });
    match (squares, total.checked_mul(total)) {
        (Some(num), Some(den)) => ratio(num, den),
        // Beyond u128: fall back to summing squared f64 shares.
        _ => weights
            .iter()
            .map(|&w| (w as f64 / total as f64).powi(2))
            .sum(),
    }
}

/// The Lorenz curve at `points + 1` evenly spaced population shares 0, 1/points, …, 1:
/// the share of the total held by the smallest values up to that population share,
/// interpolated linearly between models. Labels are the population share as a short
/// decimal ("0", "0.01", "0.5", "1"); values are cumulative shares in 0..=1. With a zero
/// total the curve is the line of equality. Sorts `values`.
pub fn lorenz(values: &mut [u64], points: usize) -> Vec<Point> {
    values.sort_unstable();
    let total = sum(values);
    let n = values.len() as u128;
    let steps = points.max(1) as u128;
    let mut below: u128 = 0; // sum of the first `taken` values
    let mut taken = 0usize;
    (0..=steps)
        .map(|k| {
            // The population position k·n/steps, split into whole models and a fraction.
            let whole = (k * n / steps) as usize;
            let rem = k * n % steps;
            while taken < whole {
                below += u128::from(values[taken]);
                taken += 1;
            }
            let value = if total == 0 {
                ratio(k, steps)
            } else {
                let partial = if rem > 0 {
                    u128::from(values[whole]) * rem
                } else {
                    0
                };
                ratio(below * steps + partial, total * steps)
            };
            Point {
                label: share_label(k, steps),
                value,
            }
        })
        .collect()
}

/// `k / steps` as a short decimal: at most four places, trailing zeros dropped.
fn share_label(k: u128, steps: u128) -> String {
    let text = format!("{:.4}", ratio(k, steps));
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Counts of values in log10 bins "0", "1–9", "10–99", "100–999", "1K–9.9K",
/// "10K–99K", "100K–999K", "1M–9.9M", … up to the bin of the largest value. Always has
/// at least the "0" bin.
pub fn log_histogram(values: &[u64]) -> Vec<Point> {
    // Bin 0 holds zeros, bin d values with d decimal digits (u64 has at most 20).
    let mut counts = [0u64; 21];
    for &x in values {
        counts[x.checked_ilog10().map_or(0, |d| d as usize + 1)] += 1;
    }
    let last = counts.iter().rposition(|&c| c > 0).unwrap_or(0);
    (0..=last)
        .map(|bin| Point {
            label: bin_label(bin),
            value: counts[bin] as f64,
        })
        .collect()
}

/// The label of log bin `bin` (see `log_histogram`).
fn bin_label(bin: usize) -> String {
    if bin == 0 {
        return "0".to_owned();
    }
    let decade = (bin - 1) as u32;
    if decade < 3 {
        let low = 10u64.pow(decade);
        return format!("{low}\u{2013}{}", low * 10 - 1);
    }
    let s = ["K", "M", "B", "T", "Qa", "Qi"][(decade / 3 - 1) as usize];
    match decade % 3 {
        0 => format!("1{s}\u{2013}9.9{s}"),
        1 => format!("10{s}\u{2013}99{s}"),
        _ => format!("100{s}\u{2013}999{s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn sums_are_exact_beyond_f64() {
        // 2^53 + 1 is not an f64, but the u128 sum keeps it.
        assert_eq!(sum(&[1 << 53, 1]), (1u128 << 53) + 1);
        assert_eq!(sum(&[u64::MAX, u64::MAX]), 2 * u128::from(u64::MAX));
        assert_eq!(sum(&[]), 0);
    }

    #[test]
    fn quantile_interpolates_like_numpy() {
        // Even count: median is the mean of the two middle values (2 and 3).
        assert_eq!(quantile(&mut [4, 1, 3, 2], 0.5), Some(2.5));
        // Odd count: the middle value.
        assert_eq!(quantile(&mut [5, 1, 9], 0.5), Some(5.0));
        // np.quantile([10, 20, 30, 40, 50], 0.9): position 3.6 → 40 + 0.6·10 = 46.
        assert!(close(
            quantile(&mut [50, 10, 40, 20, 30], 0.9).unwrap(),
            46.0
        ));
        // np.quantile([0, 100], 0.25) = 25.
        assert_eq!(quantile(&mut [100, 0], 0.25), Some(25.0));
        assert_eq!(quantile(&mut [7, 3], 0.0), Some(3.0));
        assert_eq!(quantile(&mut [7, 3], 1.0), Some(7.0));
        assert_eq!(quantile(&mut [], 0.5), None);
        assert_eq!(quantile(&mut [1], 1.5), None);
    }

    #[test]
    fn share_below_is_strict() {
        assert_eq!(share_below(&[0, 1, 1, 5], 1.0), 0.25);
        assert_eq!(share_below(&[0, 1, 1, 5], 1.5), 0.75);
        assert!(share_below(&[], 1.0).is_nan());
    }

    #[test]
    fn top_share_takes_the_largest() {
        // Total 100; the two largest are 50 + 30.
        assert_eq!(top_share(&mut [10, 50, 0, 30, 10], 2), 0.8);
        assert_eq!(top_share(&mut [10, 50], 5), 1.0);
        assert_eq!(top_share(&mut [10, 50], 0), 0.0);
        assert!(top_share(&mut [0, 0], 1).is_nan(), "a share of nothing");
    }

    #[test]
    fn gini_follows_the_formula() {
        // x = 1, 2, 3, 4: Σ i·x = 1+4+9+16 = 30, n = 4, Σx = 10.
        // G = 2·30/(4·10) − 5/4 = 1.5 − 1.25 = 0.25.
        assert!(close(gini(&mut [3, 1, 4, 2]), 0.25));
        // All equal: 0. One holds all of n = 4: G = 2·4·1/4 − 5/4 = 0.75 = (n−1)/n.
        assert_eq!(gini(&mut [5, 5, 5]), 0.0);
        assert!(close(gini(&mut [0, 0, 7, 0]), 0.75));
        assert!(gini(&mut [0, 0]).is_nan());
        assert!(gini(&mut []).is_nan());
    }

    #[test]
    fn hhi_sums_squared_shares() {
        // Shares 0.5, 0.25, 0.25 → 0.25 + 0.0625 + 0.0625 = 0.375.
        assert_eq!(hhi(&[2, 1, 1]), 0.375);
        assert_eq!(hhi(&[9]), 1.0);
        assert!(hhi(&[0, 0]).is_nan());
        // Too large for exact squares: the f64 fallback still gives 0.5.
        assert!(close(hhi(&[u128::MAX / 4, u128::MAX / 4]), 0.5));
    }

    #[test]
    fn lorenz_accumulates_from_the_smallest() {
        // Sorted 0, 1, 3 (total 4) at quarters of the population (n = 3):
        // 0 → 0; 0.25 → 0.75 models = 0.75·0 → 0; 0.5 → 1.5 models = 0 + 0.5·1 → 0.125;
        // 0.75 → 2.25 models = 1 + 0.25·3 = 1.75 → 0.4375; 1 → 1.
        let curve = lorenz(&mut [3, 0, 1], 4);
        let labels: Vec<&str> = curve.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["0", "0.25", "0.5", "0.75", "1"]);
        let values: Vec<f64> = curve.iter().map(|p| p.value).collect();
        assert_eq!(values, [0.0, 0.0, 0.125, 0.4375, 1.0]);
        // Short labels for 100 points; a zero total gives the line of equality.
        let curve = lorenz(&mut [0, 0], 100);
        assert_eq!(curve.len(), 101);
        assert_eq!(curve[1].label, "0.01");
        assert_eq!(curve[50].value, 0.5);
        assert_eq!(lorenz(&mut [1, 2], 3)[1].label, "0.3333");
    }

    #[test]
    fn log_histogram_bins_by_decade() {
        let bins = log_histogram(&[0, 0, 1, 9, 10, 999, 1_000, 9_999, 2_500_000]);
        let labels: Vec<&str> = bins.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "0",
                "1–9",
                "10–99",
                "100–999",
                "1K–9.9K",
                "10K–99K",
                "100K–999K",
                "1M–9.9M"
            ]
        );
        let counts: Vec<f64> = bins.iter().map(|p| p.value).collect();
        assert_eq!(counts, [2.0, 2.0, 1.0, 1.0, 2.0, 0.0, 0.0, 1.0]);
        assert_eq!(log_histogram(&[]).len(), 1);
        assert_eq!(bin_label(11), "10B–99B");
        assert_eq!(log_histogram(&[u64::MAX]).len(), 21);
    }
}
