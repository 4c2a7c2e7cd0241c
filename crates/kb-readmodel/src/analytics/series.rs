//! Trend series: a few values of a dimension followed year by year through a window, as
//! counts and as shares of the year, with their change from the window's first year to
//! its last. Computed from a trend's years; no counting of its own.

use super::cooccurrence::DimensionValue;
use super::trend::TrendYear;

/// The most series compared at once.
pub const MAX_SERIES: usize = 6;

/// One value's count and share in one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub year: i32,
    pub count: u64,
    /// `count / total` of the year; 0 in a year without initiatives.
    pub share: f64,
}

/// One value followed through the window.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub value: DimensionValue,
    /// Initiatives holding the value over the whole window.
    pub total: u64,
    pub points: Vec<Point>,
}

impl Series {
    fn ends(&self) -> Option<(Point, Point)> {
        Some((*self.points.first()?, *self.points.last()?))
    }

    /// The count of the last year minus that of the first.
    pub fn change(&self) -> i64 {
        self.ends()
            .map_or(0, |(a, b)| b.count as i64 - a.count as i64)
    }

    /// The share of the last year minus that of the first.
    pub fn share_change(&self) -> f64 {
        self.ends().map_or(0.0, |(a, b)| b.share - a.share)
    }

    /// The relative change of the count from the first year to the last
    /// (`(last − first) / first`); `None` when the first year counts none.
    pub fn growth(&self) -> Option<f64> {
        let (a, b) = self.ends()?;
        (a.count > 0).then(|| (b.count as f64 - a.count as f64) / a.count as f64)
    }
}

/// The series of `values` (by code, in the order given; codes the window does not hold
/// give no series) or, when none are given, of the `first` values holding the most
/// initiatives over the window (ties in the dimension's order).
pub fn series(years: &[TrendYear], values: &[String], first: usize) -> Vec<Series> {
    let Some(template) = years.first() else {
        return Vec::new();
    };
    let all: Vec<Series> = template
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let points: Vec<Point> = years
                .iter()
                .map(|y| {
                    let (count, share) =
                        y.values.get(i).map_or((0, 0.0), |tv| (tv.count, tv.share));
                    Point {
                        year: y.year,
                        count,
                        share,
                    }
                })
                .collect();
            Series {
                value: v.value.clone(),
                total: points.iter().map(|p| p.count).sum(),
                points,
            }
        })
        .collect();
    if values.is_empty() {
        let mut ranked: Vec<(usize, Series)> = all.into_iter().enumerate().collect();
        ranked.sort_by(|(i, a), (j, b)| b.total.cmp(&a.total).then(i.cmp(j)));
        return ranked.into_iter().take(first).map(|(_, s)| s).collect();
    }
    values
        .iter()
        .filter_map(|code| all.iter().find(|s| s.value.value == *code).cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use kb_domain::lang::Localised;

    use super::*;
    use crate::analytics::trend::TrendValue;

    fn years() -> Vec<TrendYear> {
        let value = |code: &str| DimensionValue {
            value: code.to_owned(),
            label: Localised::new(code, None),
        };
        let year = |year, counts: [u64; 3]| {
            let total = counts.iter().sum::<u64>();
            TrendYear {
                year,
                total,
                values: ["a", "b", "c"]
                    .iter()
                    .zip(counts)
                    .map(|(code, count)| TrendValue {
                        value: value(code),
                        count,
                        share: crate::analytics::trend::share(count, total),
                    })
                    .collect(),
            }
        };
        vec![
            year(2020, [2, 0, 2]),
            year(2021, [0, 0, 0]),
            year(2022, [3, 5, 2]),
        ]
    }

    #[test]
    fn series_follow_their_values_with_counts_shares_and_growth() {
        let s = series(&years(), &["c".into(), "a".into(), "x".into()], 6);
        let codes: Vec<&str> = s.iter().map(|s| s.value.value.as_str()).collect();
        assert_eq!(codes, ["c", "a"]);
        let a = &s[1];
        assert_eq!(a.total, 5);
        assert_eq!(
            a.points
                .iter()
                .map(|p| (p.year, p.count))
                .collect::<Vec<_>>(),
            [(2020, 2), (2021, 0), (2022, 3)]
        );
        assert_eq!(a.change(), 1);
        assert_eq!(a.growth(), Some(0.5));
        assert!((a.share_change() - (0.3 - 0.5)).abs() < 1e-15);
        assert_eq!(s[0].growth(), Some(0.0));
    }

    #[test]
    fn without_values_the_largest_are_followed_and_a_start_of_none_has_no_growth() {
        let s = series(&years(), &[], 2);
        let codes: Vec<&str> = s.iter().map(|s| s.value.value.as_str()).collect();
        // a: 5, b: 5, c: 4; a and b tie, a comes first in the dimension.
        assert_eq!(codes, ["a", "b"]);
        assert_eq!(s[1].growth(), None);
        assert_eq!(s[1].change(), 5);
        assert!(series(&[], &[], 6).is_empty());
    }
}
