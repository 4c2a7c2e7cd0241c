//! Numbers as the charts print them: coordinates with one decimal, values in the page's
//! language (a decimal comma in Dutch), and axis ticks at "nice" steps (1, 2, 2.5 or 5
//! times a power of ten) so that an axis reads 0, 5, 10, 15 rather than 0, 4.3, 8.6.

/// A coordinate with at most one decimal and no trailing zero: `12.5`, `40`, never `-0`.
pub(crate) fn coord(x: f64) -> String {
    trimmed(x, 1, '.')
}

/// A value with at most `decimals` decimals and no trailing zeros, with the decimal point
/// of the page's language (`lang_en`) or a comma.
pub(crate) fn value(x: f64, decimals: usize, lang_en: bool) -> String {
    trimmed(x, decimals, if lang_en { '.' } else { ',' })
}

fn trimmed(x: f64, decimals: usize, point: char) -> String {
    if !x.is_finite() {
        return "0".to_owned();
    }
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        let keep = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(keep);
    }
    if s == "-0" {
        s = "0".to_owned();
    }
    if point != '.' {
        s = s.replace('.', &point.to_string());
    }
    s
}

/// The ticks of an axis that covers `lo..=hi` with about `target` steps: the first at or
/// below `lo`, the last at or above `hi`, each a multiple of a nice step.
pub(crate) fn ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let (lo, hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) if hi > lo => (lo, hi),
        (true, true) if lo == 0.0 => (0.0, 1.0),
        (true, true) => (lo.min(0.0), lo.abs().max(hi)),
        _ => (0.0, 1.0),
    };
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    let values = (first..=last)
        .map(|i| round_to(i as f64 * step, 9))
        .collect();
    Ticks {
        values,
        decimals: decimals_of(step),
    }
}

/// The ticks of an axis, and how many decimals their labels need.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    pub(crate) values: Vec<f64>,
    pub(crate) decimals: usize,
}

impl Ticks {
    pub(crate) fn lo(&self) -> f64 {
        self.values.first().copied().unwrap_or(0.0)
    }

    pub(crate) fn hi(&self) -> f64 {
        self.values.last().copied().unwrap_or(1.0)
    }
}

/// The step between year labels for `span` years: every year up to 12, then 2, 5, 10…
pub(crate) fn year_step(span: i32) -> i32 {
    let mut step = 1;
    for candidate in [1, 2, 5, 10, 20, 25, 50, 100] {
        step = candidate;
        if span / candidate <= 12 {
            break;
        }
    }
    step
}

/// The nice number nearest above `rough`: 1, 2, 2.5 or 5 times a power of ten.
fn nice_step(rough: f64) -> f64 {
    if !(rough.is_finite() && rough > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let fraction = rough / power;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|n| fraction <= *n + 1e-9)
        .unwrap_or(10.0);
    nice * power
}

/// How many decimals print `step` exactly (at most 6).
fn decimals_of(step: f64) -> usize {
    (0..6)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_keep_one_decimal_and_drop_trailing_zeros() {
        assert_eq!(coord(12.54), "12.5");
        assert_eq!(coord(40.0), "40");
        assert_eq!(coord(-0.04), "0");
        assert_eq!(coord(f64::NAN), "0");
    }

    #[test]
    fn values_take_the_decimal_point_of_the_language() {
        assert_eq!(value(14.25, 2, true), "14.25");
        assert_eq!(value(14.25, 2, false), "14,25");
        assert_eq!(value(14.0, 2, false), "14");
        assert_eq!(value(0.1 + 0.2, 2, true), "0.3");
    }

    #[test]
    fn ticks_fall_on_nice_steps_around_the_data() {
        assert_eq!(
            ticks(0.0, 23.0, 5),
            Ticks {
                values: vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0],
                decimals: 0
            }
        );
        assert_eq!(
            ticks(0.0, 0.9, 5).values,
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(ticks(0.0, 0.9, 5).decimals, 1);
        assert_eq!(ticks(0.0, 9.0, 4).values, vec![0.0, 2.5, 5.0, 7.5, 10.0]);
        assert_eq!(ticks(-3.0, 7.0, 5).values.first(), Some(&-4.0));
    }

    #[test]
    fn an_axis_of_one_value_still_has_a_range() {
        assert_eq!(
            ticks(0.0, 0.0, 5).values,
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        let flat = ticks(7.0, 7.0, 5);
        assert_eq!((flat.lo(), flat.hi()), (0.0, 8.0));
    }

    #[test]
    fn years_are_labelled_every_year_up_to_twelve() {
        assert_eq!(year_step(5), 1);
        assert_eq!(year_step(12), 1);
        assert_eq!(year_step(20), 2);
        assert_eq!(year_step(40), 5);
    }
}
