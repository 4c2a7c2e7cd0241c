//! Relevance measures of one ranked answer against graded judgements: nDCG@k, recall@k
//! and the reciprocal rank of the first judged hit. Pure functions, so their values can
//! be checked by hand.

use std::collections::BTreeMap;

/// Grades of the judged initiatives of one query, by slug: 2 highly relevant, 1 relevant.
/// An initiative that is not judged has grade 0.
pub type Grades = BTreeMap<String, u32>;

fn grade(grades: &Grades, slug: &str) -> u32 {
    grades.get(slug).copied().unwrap_or(0)
}

/// The discount of rank `i` (0-based): 1 / log2(i + 2).
fn discount(i: usize) -> f64 {
    1.0 / ((i + 2) as f64).log2()
}

/// Normalised discounted cumulative gain of the first `k` of `ranked`: the gain of each
/// hit is its grade, discounted by log2 of its rank plus one; the ideal ranks every judged
/// initiative by grade. 0 when nothing is judged.
pub fn ndcg_at(k: usize, ranked: &[String], grades: &Grades) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, slug)| f64::from(grade(grades, slug)) * discount(i))
        .sum();
    let mut ideal: Vec<u32> = grades.values().copied().filter(|g| *g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, g)| f64::from(*g) * discount(i))
        .sum();
    // An empty sum of floats is -0.0; answer a plain 0 when nothing was gained.
    if dcg == 0.0 || idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// The judged initiatives among the first `k` of `ranked`, divided by `min(k, judged)`.
/// 0 when nothing is judged.
pub fn recall_at(k: usize, ranked: &[String], grades: &Grades) -> f64 {
    let judged = grades.values().filter(|g| **g > 0).count();
    if judged == 0 {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|slug| grade(grades, slug) > 0)
        .count();
    found as f64 / k.min(judged) as f64
}

/// 1 / the rank of the first judged initiative in `ranked`; 0 when none is there.
pub fn reciprocal_rank(ranked: &[String], grades: &Grades) -> f64 {
    ranked
        .iter()
        .position(|slug| grade(grades, slug) > 0)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// The arithmetic mean; 0 for no values.
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(slugs: &[&str]) -> Vec<String> {
        slugs.iter().map(|s| (*s).to_owned()).collect()
    }

    fn grades(pairs: &[(&str, u32)]) -> Grades {
        pairs.iter().map(|(s, g)| ((*s).to_owned(), *g)).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn ndcg_of_a_hand_computed_ranking() {
        // Ranked: x (0), a (2), b (1). DCG = 2/log2(3) + 1/log2(4) = 1.261860 + 0.5.
        // Ideal: a (2), b (1), c (1). IDCG = 2 + 1/log2(3) + 1/2 = 3.130930.
        let g = grades(&[("a", 2), ("b", 1), ("c", 1)]);
        let v = ndcg_at(10, &ranked(&["x", "a", "b"]), &g);
        let dcg = 2.0 / 3f64.log2() + 0.5;
        let idcg = 2.0 + 1.0 / 3f64.log2() + 0.5;
        assert!(close(v, dcg / idcg), "{v}");
        assert!((v - 0.562_727).abs() < 1e-6, "{v}");
    }

    #[test]
    fn the_ideal_ranking_has_ndcg_one_and_no_hit_has_zero() {
        let g = grades(&[("a", 2), ("b", 1)]);
        assert!(close(ndcg_at(10, &ranked(&["a", "b", "x"]), &g), 1.0));
        assert!(close(ndcg_at(10, &ranked(&["x", "y"]), &g), 0.0));
        assert!(close(ndcg_at(10, &[], &g), 0.0));
        assert!(
            ndcg_at(10, &[], &g).is_sign_positive(),
            "printed as 0.000, not -0.000"
        );
    }

    #[test]
    fn ndcg_counts_only_the_first_k_hits() {
        // `a` at rank 3 is outside k = 2: DCG 0.
        let g = grades(&[("a", 2)]);
        assert!(close(ndcg_at(2, &ranked(&["x", "y", "a"]), &g), 0.0));
        // At rank 3 inside k = 10: (2 / log2 4) / 2 = 0.5.
        assert!(close(ndcg_at(10, &ranked(&["x", "y", "a"]), &g), 0.5));
    }

    #[test]
    fn recall_divides_by_the_smaller_of_k_and_the_judged() {
        let g = grades(&[("a", 2), ("b", 1), ("c", 1)]);
        // Two of three judged in the top 5.
        let v = recall_at(5, &ranked(&["a", "x", "c", "y", "z", "b"]), &g);
        assert!(close(v, 2.0 / 3.0), "{v}");
        // Seven judged, four of them in the top 5: 4 / 5.
        let many = grades(&[
            ("a", 1),
            ("b", 1),
            ("c", 1),
            ("d", 1),
            ("e", 1),
            ("f", 1),
            ("g", 1),
        ]);
        let v = recall_at(5, &ranked(&["a", "b", "x", "c", "d", "e"]), &many);
        assert!(close(v, 0.8), "{v}");
    }

    #[test]
    fn reciprocal_rank_is_one_over_the_first_judged_rank() {
        let g = grades(&[("b", 1), ("c", 2)]);
        assert!(close(
            reciprocal_rank(&ranked(&["x", "y", "b", "c"]), &g),
            1.0 / 3.0
        ));
        assert!(close(reciprocal_rank(&ranked(&["c"]), &g), 1.0));
        assert!(close(reciprocal_rank(&ranked(&["x"]), &g), 0.0));
    }

    #[test]
    fn the_mean_of_nothing_is_zero() {
        assert!(close(mean(&[]), 0.0));
        assert!(close(mean(&[1.0, 0.5, 0.0]), 0.5));
    }
}
