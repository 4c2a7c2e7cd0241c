//! The Benjamini–Hochberg false discovery rate over the cells of one table: each cell's
//! q-value is the smallest false discovery rate at which it would be called
//! significant, `q_(i) = min over j ≥ i of (m / j) · p_(j)` for the p-values in
//! ascending order `p_(1) ≤ … ≤ p_(m)`, at most 1 (as statsmodels'
//! `multipletests(method="fdr_bh")` computes it).

/// The q-value of each p-value, in the order given.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    // Ties keep their input order; a NaN (never produced by the measures) sorts last.
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut q = vec![0.0; m];
    let mut least = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let scaled = p[i] * m as f64 / (rank + 1) as f64;
        least = least.min(scaled);
        q[i] = least.clamp(0.0, 1.0);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::benjamini_hochberg;

    #[test]
    fn q_values_are_the_step_up_minimum_of_scaled_p_values() {
        // statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]
        let p = [0.01, 0.04, 0.03, 0.005, 0.5];
        let q = benjamini_hochberg(&p);
        let want = [0.025, 0.05, 0.05, 0.025, 0.5];
        for (got, want) in q.iter().zip(want) {
            assert!((got - want).abs() < 1e-15, "{q:?}");
        }
    }

    #[test]
    fn ties_empty_tables_and_the_cap_at_one() {
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_eq!(benjamini_hochberg(&[1.0, 1.0, 1.0]), vec![1.0, 1.0, 1.0]);
        assert_eq!(benjamini_hochberg(&[0.02, 0.02]), vec![0.02, 0.02]);
        assert_eq!(benjamini_hochberg(&[0.9, 0.95]), vec![0.95, 0.95]);
    }
}
