//! Models created per calendar month, as a zero-filled `YYYY-MM` series.
//!
//! Months are counted as in `Repos::created_month` (`Month::index`, 0 when the row has
//! no `createdAt`; such rows are not counted).

use crate::dates::Month;
use crate::figures::Point;

/// Rows created per month, for every month from the first month present (or `since`)
/// to the last month present, zero-filled; with `cumulative`, the running total of rows
/// created up to the end of each month, counting rows created before `since` too.
/// Only rows with `keep[row]` count. Empty when no kept row has a month or `since` is
/// after the last one.
pub fn count_by_month(
    created_month: &[u32],
    keep: &[bool],
    since: Option<Month>,
    cumulative: bool,
) -> Vec<Point> {
    let months = || {
        created_month
            .iter()
            .zip(keep)
            .filter(|&(&m, &k)| k && m != 0)
            .map(|(&m, _)| m)
    };
    let (Some(first), Some(last)) = (months().min(), months().max()) else {
        return Vec::new();
    };
    let first = since.map_or(first, Month::index);
    if first > last {
        return Vec::new();
    }
    let mut counts = vec![0u64; (last - first + 1) as usize];
    let mut before = 0u64;
    for m in months() {
        match m.checked_sub(first) {
            Some(offset) => counts[offset as usize] += 1,
            None => before += 1,
        }
    }
    let mut running = before;
    counts
        .iter()
        .zip(first..)
        .map(|(&count, month)| {
            running += count;
            Point {
                label: Month::from_index(month).to_string(),
                value: if cumulative { running } else { count } as f64,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(year: u32, month: u32) -> u32 {
        year * 12 + month - 1
    }

    fn pairs(points: &[Point]) -> Vec<(&str, f64)> {
        points.iter().map(|p| (p.label.as_str(), p.value)).collect()
    }

    #[test]
    fn counts_every_month_zero_filled() {
        // Nov 2023 ×1, Jan 2024 ×2; a row without a date and a filtered-out row ignored.
        let created = [m(2024, 1), m(2023, 11), 0, m(2024, 1), m(2024, 3)];
        let keep = [true, true, true, true, false];
        let points = count_by_month(&created, &keep, None, false);
        assert_eq!(
            pairs(&points),
            [("2023-11", 1.0), ("2023-12", 0.0), ("2024-01", 2.0)]
        );
        let running = count_by_month(&created, &keep, None, true);
        assert_eq!(
            pairs(&running),
            [("2023-11", 1.0), ("2023-12", 1.0), ("2024-01", 3.0)]
        );
    }

    #[test]
    fn since_trims_the_start_but_not_the_running_total() {
        let created = [m(2023, 11), m(2024, 1), m(2024, 2)];
        let keep = [true; 3];
        let since = Some("2024-01".parse().unwrap());
        assert_eq!(
            pairs(&count_by_month(&created, &keep, since, false)),
            [("2024-01", 1.0), ("2024-02", 1.0)]
        );
        assert_eq!(
            pairs(&count_by_month(&created, &keep, since, true)),
            [("2024-01", 2.0), ("2024-02", 3.0)]
        );
        let late = Some(Month::from_index(m(2025, 1)));
        assert!(count_by_month(&created, &keep, late, false).is_empty());
        assert!(count_by_month(&[0], &[true], None, false).is_empty());
    }
}
