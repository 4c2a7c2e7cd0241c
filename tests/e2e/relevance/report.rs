//! The relevance figures of a run: one row per query, the totals and the means per kind,
//! printed as Markdown tables (so they can go into docs/BENCHMARKS.md as they are), and
//! which totals fell past their floors.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::metrics::{Grades, mean};
use super::set::{Floors, Kind};

/// The measures of one query.
pub struct Row {
    pub text: String,
    pub kind: Kind,
    pub ndcg_at_10: f64,
    pub recall_at_5: f64,
    pub reciprocal_rank: f64,
    /// The search's `totalCount`.
    pub hits: u64,
    /// Whether the query has a judged initiative.
    pub judged: bool,
}

/// The figures of a group of queries.
pub struct Totals {
    pub queries: usize,
    pub ndcg_at_10: f64,
    pub recall_at_5: f64,
    pub mrr: f64,
    pub no_result: usize,
    pub no_result_share: f64,
    pub judged_without_result: usize,
}

impl Totals {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Totals {
        let rows: Vec<&Row> = rows.into_iter().collect();
        let no_result = rows.iter().filter(|r| r.hits == 0).count();
        Totals {
            queries: rows.len(),
            ndcg_at_10: mean(&rows.iter().map(|r| r.ndcg_at_10).collect::<Vec<_>>()),
            recall_at_5: mean(&rows.iter().map(|r| r.recall_at_5).collect::<Vec<_>>()),
            mrr: mean(&rows.iter().map(|r| r.reciprocal_rank).collect::<Vec<_>>()),
            no_result,
            no_result_share: if rows.is_empty() {
                0.0
            } else {
                no_result as f64 / rows.len() as f64
            },
            judged_without_result: rows.iter().filter(|r| r.judged && r.hits == 0).count(),
        }
    }

    /// Each figure past its floor, with both values.
    pub fn fallen(&self, f: &Floors) -> Vec<String> {
        let mut out = Vec::new();
        for (name, value, floor) in [
            ("ndcg_at_10", self.ndcg_at_10, f.ndcg_at_10),
            ("recall_at_5", self.recall_at_5, f.recall_at_5),
            ("mrr", self.mrr, f.mrr),
        ] {
            if value < floor {
                out.push(format!("{name} {value:.4} is below its floor {floor}"));
            }
        }
        if self.no_result_share > f.max_no_result_share {
            out.push(format!(
                "no_result_share {:.4} is above its maximum {}",
                self.no_result_share, f.max_no_result_share
            ));
        }
        if self.judged_without_result > f.max_judged_without_result {
            out.push(format!(
                "judged_without_result {} is above its maximum {}",
                self.judged_without_result, f.max_judged_without_result
            ));
        }
        out
    }
}

/// At most `n` characters of `s`, an ellipsis marking a cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut c: String = s.chars().take(n - 1).collect();
        c.push('…');
        c
    }
}

/// The table per query, the totals and the means per kind.
pub fn render(rows: &[Row]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| query | kind | nDCG@10 | recall@5 | RR | hits |\n|---|---|---:|---:|---:|---:|"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {:.3} | {:.2} | {:.3} | {} |",
            clip(&r.text, 48),
            r.kind.name(),
            r.ndcg_at_10,
            r.recall_at_5,
            r.reciprocal_rank,
            r.hits
        );
    }
    let t = Totals::of(rows);
    let _ = writeln!(
        s,
        "\n| queries | mean nDCG@10 | mean recall@5 | MRR | no result (share) | judged, no result |\
         \n|---:|---:|---:|---:|---:|---:|\
         \n| {} | {:.3} | {:.3} | {:.3} | {} ({:.3}) | {} |",
        t.queries,
        t.ndcg_at_10,
        t.recall_at_5,
        t.mrr,
        t.no_result,
        t.no_result_share,
        t.judged_without_result
    );
    let mut kinds: BTreeMap<Kind, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        kinds.entry(r.kind).or_default().push(r);
    }
    let _ = writeln!(
        s,
        "\n| kind | queries | mean nDCG@10 | mean recall@5 | MRR | no result |\
         \n|---|---:|---:|---:|---:|---:|"
    );
    for (kind, rows) in kinds {
        let k = Totals::of(rows);
        let _ = writeln!(
            s,
            "| {} | {} | {:.3} | {:.3} | {:.3} | {} |",
            kind.name(),
            k.queries,
            k.ndcg_at_10,
            k.recall_at_5,
            k.mrr,
            k.no_result
        );
    }
    s
}

/// Where a query's judged initiatives stand among `ranked` (grade 2 `**`, grade 1 `*`),
/// the first ten hits in order and the judged ones past them or missing: what
/// `RELEVANCE_DETAIL=1 scripts/relevance.sh` prints for a query whose recall@5 is below 1,
/// and `RELEVANCE_DETAIL=all` for `every` query.
pub fn detail(
    text: &str,
    ranked: &[String],
    scores: &[f64],
    grades: &Grades,
    every: bool,
) -> String {
    let mark = |slug: &str| match grades.get(slug) {
        Some(2) => "**",
        Some(1) => "*",
        _ => "",
    };
    if super::metrics::recall_at(5, ranked, grades) >= 1.0 && !every {
        return String::new();
    }
    let mut out = format!("{text:?}\n");
    let score = |i: usize| scores.get(i).copied().unwrap_or(0.0);
    for (i, slug) in ranked.iter().take(10).enumerate() {
        let _ = writeln!(out, "  {:>2}. {}{slug} {:.2}", i + 1, mark(slug), score(i));
    }
    for slug in grades.keys() {
        match ranked.iter().position(|r| r == slug) {
            Some(i) if i >= 10 => {
                let _ = writeln!(out, "  {:>2}. {}{slug} {:.2}", i + 1, mark(slug), score(i));
            }
            Some(_) => {}
            None => {
                let _ = writeln!(out, "   -  {}{slug}", mark(slug));
            }
        }
    }
    out
}
