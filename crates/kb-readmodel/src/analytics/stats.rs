//! The measures of one co-occurrence cell, computed from four counts: the cell's count
//! `a`, its row total `r`, its column total `c` and the population `n`.
//!
//! | measure  | definition | when it is undefined |
//! | -------- | ---------- | -------------------- |
//! | expected | `r·c / n` | `n = 0`: 0 |
//! | lift     | `a / expected` | `expected = 0`: 0 |
//! | Jaccard  | `a / (r + c − a)` | `r + c − a = 0`: 0 |
//! | NPMI     | `ln(a·n / (r·c)) / −ln(a / n)` | `a = 0`: −1 (never together) when `r, c > 0`, else 0; `a = n`: 1 |
//! | p-value  | `P(X ≥ a)`, X hypergeometric: `c` draws from `n` holding `r` successes | `a = 0`: 1 |
//! | p-value under | `P(X ≤ a)`: how surprising so few are together | `a` at its least possible: 1 |
//!
//! Every value is finite, so none turns into NaN or infinity in JSON. The p-value is
//! summed exactly term by term in log space (log-factorials, no normal approximation);
//! the log-factorials of a population of 100,000 are near 1e6, so a p-value carries a
//! relative error near 1e-10: an absolute error under 1e-11, inside the 1e-9 asked.
//! A table's cells share their population, so the log-factorials up to it are read from
//! a table kept for the process ([`LnFactorials`]) rather than computed for each term.

use std::sync::{Arc, OnceLock, RwLock};

/// The measures of one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellMeasures {
    pub count: u64,
    pub expected: f64,
    pub lift: f64,
    pub jaccard: f64,
    pub npmi: f64,
    /// `P(X ≥ count)`: together more often than chance.
    pub p_value: f64,
    /// `P(X ≤ count)`: together less often than chance.
    pub p_under: f64,
}

/// Below this, `ln n!` comes from a table of exact products; from here on from
/// Stirling's series, whose first omitted term is under 1e-16 at 32.
const TABLE: usize = 32;

/// `ln n!`.
pub fn ln_factorial(n: u64) -> f64 {
    static SMALL: OnceLock<[f64; TABLE]> = OnceLock::new();
    let small = SMALL.get_or_init(|| {
        let mut t = [0f64; TABLE];
        let mut product = 1f64;
        for (k, slot) in t.iter_mut().enumerate().skip(1) {
            product *= k as f64;
            *slot = product.ln();
        }
        t
    });
    if let Some(v) = usize::try_from(n).ok().and_then(|i| small.get(i)) {
        return *v;
    }
    let x = n as f64;
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    // ln n! = n ln n − n + ½ ln(2πn) + 1/12n − 1/360n³ + 1/1260n⁵ − 1/1680n⁷ + …
    let series = inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + series
}

/// The most log-factorials [`LnFactorials`] keeps: populations up to 2 million (16 MiB).
const KEPT: usize = 1 << 21;

/// The log-factorials kept for the process, `ln k!` at `k`.
static KEPT_TABLE: RwLock<Option<Arc<Vec<f64>>>> = RwLock::new(None);

/// `ln k!` for every `k` up to a population: each value computed once per process by
/// [`ln_factorial`], so reading it gives the same number as computing it.
#[derive(Debug, Clone)]
pub struct LnFactorials(Arc<Vec<f64>>);

impl LnFactorials {
    /// The table up to `n` (up to [`KEPT`]), extended if no population asked before was
    /// as large.
    pub fn upto(n: u64) -> Self {
        let want = usize::try_from(n).map_or(KEPT, |n| n.saturating_add(1).min(KEPT));
        if let Ok(kept) = KEPT_TABLE.read()
            && let Some(t) = kept.as_ref().filter(|t| t.len() >= want)
        {
            return Self(t.clone());
        }
        let Ok(mut kept) = KEPT_TABLE.write() else {
            return Self(Arc::new(Vec::new()));
        };
        let table = match kept.as_ref() {
            Some(t) if t.len() >= want => t.clone(),
            old => {
                let mut t: Vec<f64> = Vec::with_capacity(want);
                t.extend_from_slice(old.map_or(&[][..], |o| o.as_slice()));
                let from = t.len() as u64;
                t.extend((from..want as u64).map(ln_factorial));
                let t = Arc::new(t);
                *kept = Some(t.clone());
                t
            }
        };
        Self(table)
    }

    /// `ln k!`.
    fn get(&self, k: u64) -> f64 {
        usize::try_from(k)
            .ok()
            .and_then(|i| self.0.get(i))
            .copied()
            .unwrap_or_else(|| ln_factorial(k))
    }

    /// `ln C(n, k)`; `k ≤ n`.
    fn ln_choose(&self, n: u64, k: u64) -> f64 {
        self.get(n) - self.get(k) - self.get(n - k)
    }
}

/// Terms smaller than this share of the sum so far end a tail's summation.
const NEGLIGIBLE: f64 = 1e-17;

/// `P(X ≥ k)` for X hypergeometric: `draws` drawn without replacement from
/// `population` items of which `successes` are successes.
pub fn hypergeometric_upper_tail(population: u64, successes: u64, draws: u64, k: u64) -> f64 {
    upper_tail(
        &LnFactorials::upto(population),
        population,
        successes,
        draws,
        k,
    )
}

/// `P(X ≤ k)` for X hypergeometric as in [`hypergeometric_upper_tail`].
pub fn hypergeometric_lower_tail(population: u64, successes: u64, draws: u64, k: u64) -> f64 {
    lower_tail(
        &LnFactorials::upto(population),
        population,
        successes,
        draws,
        k,
    )
}

/// `P(X ≤ k)` with the log-factorials of `ln`, summed as an upper tail: `X ≤ k` exactly
/// when the failures drawn, `Y = draws − X` (hypergeometric with the failures as
/// successes), number at least `draws − k`. Summing that tail term by term keeps small
/// probabilities exact, where `1 − P(X ≥ k + 1)` would round them to 0.
fn lower_tail(ln: &LnFactorials, population: u64, successes: u64, draws: u64, k: u64) -> f64 {
    let (n, d) = (population, draws.min(population));
    let failures = n - successes.min(n);
    if k >= d {
        return 1.0;
    }
    upper_tail(ln, n, failures, d, d - k)
}

/// [`hypergeometric_upper_tail`] with the log-factorials of `ln`.
fn upper_tail(ln: &LnFactorials, population: u64, successes: u64, draws: u64, k: u64) -> f64 {
    let (n, big_k, d) = (population, successes.min(population), draws.min(population));
    let lo = (d + big_k).saturating_sub(n);
    let hi = d.min(big_k);
    if k <= lo {
        return 1.0;
    }
    if k > hi {
        return 0.0;
    }
    let ln_pmf =
        |x: u64| ln.ln_choose(big_k, x) + ln.ln_choose(n - big_k, d - x) - ln.ln_choose(n, d);
    // Summed away from the mode, where terms only shrink: the upper tail itself when `k`
    // lies above the mode, else one minus the lower tail below `k`.
    let mode = (d + 1) * (big_k + 1) / (n + 2);
    if k > mode {
        let mut term = ln_pmf(k).exp();
        let mut sum = term;
        let mut x = k;
        while x < hi {
            let ratio = ((big_k - x) as f64 * (d - x) as f64)
                / ((x + 1) as f64 * (n + x + 1 - big_k - d) as f64);
            term *= ratio;
            sum += term;
            x += 1;
            if term <= sum * NEGLIGIBLE {
                break;
            }
        }
        sum.clamp(0.0, 1.0)
    } else {
        let mut x = k - 1;
        let mut term = ln_pmf(x).exp();
        let mut sum = term;
        while x > lo {
            let ratio = (x as f64 * (n + x - big_k - d) as f64)
                / ((big_k - x + 1) as f64 * (d - x + 1) as f64);
            term *= ratio;
            sum += term;
            x -= 1;
            if term <= sum * NEGLIGIBLE {
                break;
            }
        }
        (1.0 - sum).clamp(0.0, 1.0)
    }
}

/// The measures of a cell of count `a` in row `r` and column `c` of a population `n`.
#[cfg(test)]
pub fn cell(a: u64, r: u64, c: u64, n: u64) -> CellMeasures {
    cell_with(&LnFactorials::upto(n), a, r, c, n)
}

/// [`cell`] with the log-factorials of `ln` (those up to `n` at least, for speed).
pub fn cell_with(ln: &LnFactorials, a: u64, r: u64, c: u64, n: u64) -> CellMeasures {
    let (af, rf, cf, nf) = (a as f64, r as f64, c as f64, n as f64);
    let expected = if n == 0 { 0.0 } else { rf * cf / nf };
    let lift = if expected > 0.0 { af / expected } else { 0.0 };
    let union = r + c - a.min(r + c);
    let jaccard = if union == 0 { 0.0 } else { af / union as f64 };
    let npmi = if a == 0 {
        if r > 0 && c > 0 { -1.0 } else { 0.0 }
    } else if a >= n {
        1.0
    } else {
        let p_ab = af / nf;
        ((af * nf) / (rf * cf)).ln() / -p_ab.ln()
    };
    let p_value = if a == 0 {
        1.0
    } else {
        upper_tail(ln, n, r, c, a)
    };
    let p_under = lower_tail(ln, n, r, c, a);
    CellMeasures {
        count: a,
        expected,
        lift,
        jaccard,
        npmi,
        p_value,
        p_under,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, tolerance: f64) {
        assert!(
            (got - want).abs() <= tolerance,
            "{got} is not {want} within {tolerance}"
        );
    }

    #[test]
    fn log_factorials_match_exact_products_and_stirling_joins_smoothly() {
        close(ln_factorial(0), 0.0, 0.0);
        close(ln_factorial(5), 120f64.ln(), 1e-15);
        // 40! = 815915283247897734345611269596115894272000000000
        close(ln_factorial(40), 8.159_152_832_478_977e47_f64.ln(), 1e-13);
        // Across the join, ln n! − ln (n−1)! is ln n.
        close(ln_factorial(32) - ln_factorial(31), 32f64.ln(), 1e-13);
        close(
            ln_factorial(100_000) - ln_factorial(99_999),
            100_000f64.ln(),
            1e-9,
        );
    }

    #[test]
    fn the_upper_tail_sums_the_hypergeometric_terms() {
        // 10 items, 4 successes, 5 drawn: P(X ≥ 3) = (C(4,3)·C(6,2) + C(4,4)·C(6,1)) / C(10,5)
        close(hypergeometric_upper_tail(10, 4, 5, 3), 66.0 / 252.0, 1e-15);
        // P(X ≥ 1) = 1 − C(6,5) / C(10,5)
        close(hypergeometric_upper_tail(10, 4, 5, 1), 246.0 / 252.0, 1e-15);
        close(hypergeometric_upper_tail(10, 4, 5, 4), 6.0 / 252.0, 1e-15);
        assert_eq!(hypergeometric_upper_tail(10, 4, 5, 5), 0.0);
        assert_eq!(hypergeometric_upper_tail(10, 4, 5, 0), 1.0);
        // At least 2 successes must be drawn when 8 of 10 are drawn and 4 succeed.
        assert_eq!(hypergeometric_upper_tail(10, 4, 8, 2), 1.0);
    }

    #[test]
    fn every_small_tail_matches_exact_counting() {
        fn choose(n: u64, k: u64) -> u128 {
            if k > n {
                return 0;
            }
            (0..k).fold(1u128, |c, i| c * u128::from(n - i) / u128::from(i + 1))
        }
        for n in 0..=30u64 {
            for big_k in 0..=n {
                for d in 0..=n {
                    for k in 0..=d.min(big_k) + 1 {
                        let ways: u128 = (k..=d.min(big_k))
                            .map(|x| choose(big_k, x) * choose(n - big_k, d - x))
                            .sum();
                        let exact = ways as f64 / choose(n, d) as f64;
                        close(hypergeometric_upper_tail(n, big_k, d, k), exact, 1e-13);
                    }
                }
            }
        }
    }

    #[test]
    fn large_tails_are_exact_to_far_below_one_in_a_billion() {
        // Exact rationals (Python's fractions and math.comb), rounded to 17 digits.
        close(
            hypergeometric_upper_tail(100_000, 900, 5_000, 60),
            0.015_780_627_759_983_44,
            1e-11,
        );
        close(
            hypergeometric_upper_tail(100_000, 900, 5_000, 30),
            0.993_938_596_790_666,
            1e-11,
        );
        close(
            hypergeometric_upper_tail(1_000, 300, 900, 280),
            0.012_444_265_273_186_704,
            1e-11,
        );
    }

    #[test]
    fn the_lower_tail_matches_exact_counting_and_keeps_small_probabilities() {
        // 10 items, 4 successes, 5 drawn: P(X ≤ 1) = (C(6,5) + C(4,1)·C(6,4)) / C(10,5)
        close(hypergeometric_lower_tail(10, 4, 5, 1), 66.0 / 252.0, 1e-15);
        close(hypergeometric_lower_tail(10, 4, 5, 0), 6.0 / 252.0, 1e-15);
        assert_eq!(hypergeometric_lower_tail(10, 4, 5, 4), 1.0);
        assert_eq!(hypergeometric_lower_tail(10, 4, 5, 5), 1.0);
        // Every k: the two tails overlap in exactly P(X = k).
        for k in 0..=4u64 {
            let both =
                hypergeometric_lower_tail(10, 4, 5, k) + hypergeometric_upper_tail(10, 4, 5, k);
            let at =
                hypergeometric_upper_tail(10, 4, 5, k) - hypergeometric_upper_tail(10, 4, 5, k + 1);
            close(both, 1.0 + at, 1e-14);
        }
        // Exact rationals (Python's fractions and math.comb), rounded to 17 digits. The
        // first is far below what 1 − P(X ≥ 1) could show.
        let p = hypergeometric_lower_tail(100_000, 5_000, 2_000, 0);
        close(p / 9.636_917_797_248_54e-46, 1.0, 1e-9);
        close(
            hypergeometric_lower_tail(100_000, 900, 5_000, 30),
            0.009_785_175_312_759_024,
            1e-11,
        );
    }

    #[test]
    fn a_cell_of_three_in_five_is_less_surprising_than_three_hundred_in_nine_hundred() {
        // One column of 1,000 in 10,000: 3 of a row of 5 and 300 of a row of 900.
        let small = cell(3, 5, 1000, 10_000);
        let large = cell(300, 900, 1000, 10_000);
        assert!(small.lift > large.lift);
        assert!(small.p_value > large.p_value);
    }

    #[test]
    fn every_cell_measure_has_its_hand_computed_value() {
        // 2 of 10 together; row 4, column 5.
        let m = cell(2, 4, 5, 10);
        close(m.expected, 2.0, 1e-15);
        close(m.lift, 1.0, 1e-15);
        close(m.jaccard, 2.0 / 7.0, 1e-15);
        close(m.npmi, 0.0, 1e-15);
        // P(X ≥ 2) = 1 − (C(6,5) + C(4,1)·C(6,4)) / C(10,5) = 1 − 66/252
        close(m.p_value, 186.0 / 252.0, 1e-15);
        let m = cell(3, 4, 5, 10);
        close(m.npmi, (3.0f64 * 10.0 / 20.0).ln() / -(0.3f64).ln(), 1e-15);
    }

    #[test]
    fn empty_and_zero_cells_are_defined() {
        let empty = cell(0, 0, 0, 0);
        assert_eq!(
            (
                empty.expected,
                empty.lift,
                empty.jaccard,
                empty.npmi,
                empty.p_value
            ),
            (0.0, 0.0, 0.0, 0.0, 1.0)
        );
        let apart = cell(0, 3, 4, 10);
        assert_eq!((apart.lift, apart.jaccard, apart.npmi), (0.0, 0.0, -1.0));
        close(apart.expected, 1.2, 1e-15);
        let everywhere = cell(10, 10, 10, 10);
        assert_eq!(
            (everywhere.lift, everywhere.jaccard, everywhere.npmi),
            (1.0, 1.0, 1.0)
        );
        assert_eq!(everywhere.p_value, 1.0);
    }
}
