//! Rows and columns of a co-occurrence table in the order of their similarity, so that
//! blocks of values that go together show as blocks: both sides sorted by their score on
//! the first axis of correspondence analysis, found by reciprocal averaging (Hill 1973).
//! A row's score is the count-weighted mean of the column scores and a column's the mean
//! of the row scores; centred and scaled each round, the scores converge to the first
//! non-trivial axis. The start (taxonomy order) and the sign (the one that keeps the most
//! of the taxonomy's order) make the result the same for the same table. Rows or columns
//! without counts keep their order after the others.

use super::cooccurrence::Cooccurrence;

/// How the rows and columns of a table are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// As the dimension lists its values (the taxonomy's order, names, years).
    #[default]
    Taxonomy,
    /// By similarity: [`Cooccurrence::seriated`].
    Similarity,
}

/// Rounds of reciprocal averaging at most.
const ROUNDS: usize = 500;
/// Scores moving less than this (in sum) end the rounds.
const SETTLED: f64 = 1e-12;

/// Centres `scores` on their `weights`' mean and scales them to unit weighted variance;
/// those of weight 0 are left as they are.
fn standardise(scores: &mut [f64], weights: &[f64]) {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return;
    }
    let mean = scores.iter().zip(weights).map(|(s, w)| s * w).sum::<f64>() / total;
    let variance = scores
        .iter()
        .zip(weights)
        .map(|(s, w)| w * (s - mean) * (s - mean))
        .sum::<f64>()
        / total;
    let sd = variance.sqrt();
    for (s, w) in scores.iter_mut().zip(weights) {
        if *w > 0.0 {
            *s = if sd > 0.0 { (*s - mean) / sd } else { 0.0 };
        }
    }
}

/// The positions of `scores` sorted: those with weight first by score, then the others,
/// ties in their given order.
fn order(scores: &[f64], weights: &[f64]) -> Vec<usize> {
    let mut at: Vec<usize> = (0..scores.len()).collect();
    at.sort_by(|&a, &b| {
        (weights[a] <= 0.0)
            .cmp(&(weights[b] <= 0.0))
            .then(scores[a].total_cmp(&scores[b]))
            .then(a.cmp(&b))
    });
    at
}

/// The first-axis scores of the rows and columns of the `rows` × `columns` counts.
pub(crate) fn scores(counts: &[Vec<f64>], columns: usize) -> (Vec<f64>, Vec<f64>) {
    let row_weights: Vec<f64> = counts.iter().map(|r| r.iter().sum()).collect();
    let column_weights: Vec<f64> = (0..columns)
        .map(|j| counts.iter().map(|r| r[j]).sum())
        .collect();
    let mut y: Vec<f64> = (0..columns).map(|j| j as f64).collect();
    standardise(&mut y, &column_weights);
    let mut x = vec![0.0; counts.len()];
    for _ in 0..ROUNDS {
        for (i, row) in counts.iter().enumerate() {
            if row_weights[i] > 0.0 {
                x[i] = row.iter().zip(&y).map(|(a, s)| a * s).sum::<f64>() / row_weights[i];
            }
        }
        standardise(&mut x, &row_weights);
        let mut moved = 0.0;
        for j in 0..columns {
            if column_weights[j] > 0.0 {
                let s =
                    counts.iter().zip(&x).map(|(r, s)| r[j] * s).sum::<f64>() / column_weights[j];
                moved += (s - y[j]).abs();
                y[j] = s;
            }
        }
        standardise(&mut y, &column_weights);
        if moved < SETTLED {
            break;
        }
    }
    // The sign that agrees with the taxonomy's order of the rows.
    let agreement: f64 = x
        .iter()
        .enumerate()
        .zip(&row_weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|((i, s), _)| i as f64 * s)
        .sum();
    if agreement < 0.0 {
        x.iter_mut().for_each(|s| *s = -*s);
        y.iter_mut().for_each(|s| *s = -*s);
    }
    (x, y)
}

impl Cooccurrence {
    /// The same table with rows and columns ordered by similarity; cells follow, row by
    /// row.
    pub fn seriated(&self) -> Cooccurrence {
        let (r, c) = (self.rows.len(), self.columns.len());
        let mut counts = vec![vec![0.0; c]; r];
        for cell in &self.cells {
            if let Some(slot) = counts
                .get_mut(cell.row)
                .and_then(|row| row.get_mut(cell.column))
            {
                *slot = cell.measures.count as f64;
            }
        }
        let (x, y) = scores(&counts, c);
        let row_weights: Vec<f64> = counts.iter().map(|r| r.iter().sum()).collect();
        let column_weights: Vec<f64> = (0..c).map(|j| counts.iter().map(|r| r[j]).sum()).collect();
        let row_order = order(&x, &row_weights);
        let column_order = order(&y, &column_weights);
        let mut row_at = vec![0; r];
        for (new, &old) in row_order.iter().enumerate() {
            row_at[old] = new;
        }
        let mut column_at = vec![0; c];
        for (new, &old) in column_order.iter().enumerate() {
            column_at[old] = new;
        }
        let mut cells: Vec<_> = self
            .cells
            .iter()
            .map(|cell| {
                let mut moved = cell.clone();
                moved.row = row_at[cell.row];
                moved.column = column_at[cell.column];
                moved
            })
            .collect();
        cells.sort_by_key(|cell| (cell.row, cell.column));
        Cooccurrence {
            population: self.population,
            rows: row_order.iter().map(|&i| self.rows[i].clone()).collect(),
            columns: column_order
                .iter()
                .map(|&j| self.columns[j].clone())
                .collect(),
            cells,
        }
    }
}

#[cfg(test)]
mod tests {
    use kb_domain::lang::Localised;

    use super::*;
    use crate::analytics::cooccurrence::{Cell, DimensionValue, Margin};
    use crate::analytics::stats::cell;

    fn table(counts: &[&[u64]]) -> Cooccurrence {
        let margin = |name: String| Margin {
            value: DimensionValue {
                value: name.clone(),
                label: Localised::new(name, None),
            },
            total: 1,
        };
        let columns = counts.first().map_or(0, |r| r.len());
        let mut cells = Vec::new();
        for (i, row) in counts.iter().enumerate() {
            for (j, a) in row.iter().enumerate() {
                cells.push(Cell {
                    row: i,
                    column: j,
                    measures: cell(*a, 10, 10, 100),
                    q_value: 1.0,
                    q_under: 1.0,
                });
            }
        }
        Cooccurrence {
            population: 100,
            rows: (0..counts.len()).map(|i| margin(format!("r{i}"))).collect(),
            columns: (0..columns).map(|j| margin(format!("c{j}"))).collect(),
            cells,
        }
    }

    fn names(m: &[Margin]) -> Vec<&str> {
        m.iter().map(|m| m.value.value.as_str()).collect()
    }

    #[test]
    fn interleaved_blocks_are_brought_together() {
        // Rows 0 and 2 go with columns 1 and 3; rows 1 and 3 with columns 0 and 2.
        let t = table(&[&[0, 9, 1, 8], &[7, 0, 9, 1], &[1, 8, 0, 9], &[9, 1, 8, 0]]);
        let s = t.seriated();
        // Each block is together, and the rows' block at the start goes with the
        // columns' block at the start: the large counts lie on the diagonal.
        let (rows, columns) = (names(&s.rows), names(&s.columns));
        let pair = |v: &[&str], a: &str, b: &str| {
            let (i, j) = (
                v.iter().position(|x| *x == a),
                v.iter().position(|x| *x == b),
            );
            i.zip(j).map(|(i, j)| (i.min(j), i.max(j)))
        };
        let even_rows = pair(&rows, "r0", "r2");
        let odd_columns = pair(&columns, "c1", "c3");
        assert!(matches!(even_rows, Some((0, 1)) | Some((2, 3))), "{rows:?}");
        assert_eq!(even_rows, odd_columns, "{rows:?} {columns:?}");
        assert!(matches!(
            pair(&rows, "r1", "r3"),
            Some((0, 1)) | Some((2, 3))
        ));
        assert_eq!(pair(&rows, "r1", "r3"), pair(&columns, "c0", "c2"));
        // Each cell moved with its row and column.
        let at = |t: &Cooccurrence, r: &str, c: &str| {
            let i = t.rows.iter().position(|m| m.value.value == r).unwrap_or(99);
            let j = t
                .columns
                .iter()
                .position(|m| m.value.value == c)
                .unwrap_or(99);
            t.cells
                .iter()
                .find(|x| x.row == i && x.column == j)
                .map(|x| x.measures.count)
        };
        for r in ["r0", "r1", "r2", "r3"] {
            for c in ["c0", "c1", "c2", "c3"] {
                assert_eq!(at(&t, r, c), at(&s, r, c), "{r} {c}");
            }
        }
        let order: Vec<(usize, usize)> = s.cells.iter().map(|c| (c.row, c.column)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        // The same table gives the same order.
        assert_eq!(t.seriated(), s);
    }

    #[test]
    fn empty_rows_keep_their_place_after_the_others() {
        let t = table(&[&[0, 0], &[5, 1], &[1, 5]]);
        let s = t.seriated();
        assert_eq!(names(&s.rows), ["r1", "r2", "r0"]);
        assert_eq!(names(&s.columns), ["c0", "c1"]);
        let empty = table(&[]);
        assert_eq!(empty.seriated(), empty);
    }
}
