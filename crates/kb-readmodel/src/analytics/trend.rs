//! Trends: the initiatives of a population per start year and value of a dimension,
//! counted as intersections of the projection's bitmaps.

use kb_domain::{DomainError, Viewer};
use roaring::RoaringBitmap;

use super::cooccurrence::{Dimension, DimensionValue};
use crate::projection::Projection;

/// One value's count in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendValue {
    pub value: DimensionValue,
    pub count: u64,
    /// `count / total` of the year; 0 in a year without initiatives.
    pub share: f64,
}

/// The counts of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendYear {
    pub year: i32,
    /// Initiatives of the population that started that year.
    pub total: u64,
    pub values: Vec<TrendValue>,
}

/// The most years a trend spans.
pub const MAX_TREND_YEARS: i32 = 200;

impl Projection {
    /// The initiatives of `population` per start year and value of `d`, from `from` to
    /// `to` (the population's first and last start years when absent), each year with
    /// every value of `d` the population holds in the range.
    pub fn trend(
        &self,
        viewer: Viewer,
        d: Dimension,
        from: Option<i32>,
        to: Option<i32>,
        population: &RoaringBitmap,
    ) -> Result<Vec<TrendYear>, DomainError> {
        let held = || {
            self.start_year
                .iter()
                .filter(|(_, b)| !b.is_disjoint(population))
                .map(|(y, _)| *y)
        };
        let (Some(from), Some(to)) = (
            from.or_else(|| held().next()),
            to.or_else(|| held().next_back()),
        ) else {
            return Ok(Vec::new());
        };
        if from > to {
            return Err(DomainError::bad_input(
                "yearFrom",
                "yearFrom comes after yearTo",
            ));
        }
        if to - from >= MAX_TREND_YEARS {
            return Err(DomainError::limit(format!(
                "a trend spans at most {MAX_TREND_YEARS} years"
            ))
            .with_field("yearTo"));
        }
        let mut in_range = RoaringBitmap::new();
        for (_, b) in self.start_year.range(from..=to) {
            in_range |= b;
        }
        in_range &= population;
        let values = self.dimension(viewer, d, &in_range);
        Ok((from..=to)
            .map(|year| {
                let of_year = self
                    .start_year
                    .get(&year)
                    .map(|b| b & &in_range)
                    .unwrap_or_default();
                let total = of_year.len();
                TrendYear {
                    year,
                    total,
                    values: values
                        .iter()
                        .map(|(v, m)| {
                            let count = m.within(&of_year);
                            TrendValue {
                                value: v.clone(),
                                count,
                                share: share(count, total),
                            }
                        })
                        .collect(),
                }
            })
            .collect())
    }
}

/// `count` as a share of the year's `total`; 0 in a year without initiatives.
pub(super) fn share(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}
