//! Trend series in the API: a few values followed through a window of start years.

use async_graphql::{Context, Object, SimpleObject};
use kb_readmodel::analytics as a;

use crate::types::vocab::{Language, lang_of};

/// One value's count and share in one start year.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct TrendPoint {
    /// The start year.
    pub year: i32,
    /// Initiatives of the population that started that year and hold the value.
    pub count: i64,
    /// `count` as a share of the year's initiatives; 0 in a year without initiatives.
    pub share: f64,
}

/// One value of a dimension followed through the years of a window.
#[derive(Debug, Clone)]
pub struct TrendSeries(pub a::Series);

/// One value of a dimension followed through the years of a window.
#[Object]
impl TrendSeries {
    /// The code, as in `DimensionTotal.value`.
    async fn value(&self) -> &str {
        &self.0.value.value
    }
    /// The value's label in `lang` (by default the request's language).
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language of the label; by default the request's.")] lang: Option<
            Language,
        >,
    ) -> String {
        self.0.value.label.get(lang_of(ctx, lang)).to_owned()
    }
    /// Initiatives holding the value that started in the window.
    async fn total(&self) -> i64 {
        self.0.total as i64
    }
    /// Every year of the window, oldest first.
    async fn points(&self) -> Vec<TrendPoint> {
        self.0
            .points
            .iter()
            .map(|p| TrendPoint {
                year: p.year,
                count: p.count as i64,
                share: p.share,
            })
            .collect()
    }
    /// The last year's count minus the first year's.
    async fn change(&self) -> i64 {
        self.0.change()
    }
    /// The last year's share minus the first year's (0.05 is five percentage points).
    async fn share_change(&self) -> f64 {
        self.0.share_change()
    }
    /// The relative change of the count from the first year to the last,
    /// `(last − first) / first` (0.5 is 50 % more); null when the first year counts none.
    async fn growth(&self) -> Option<f64> {
        self.0.growth()
    }
}
