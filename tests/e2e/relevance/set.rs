//! The relevance test set (`tests/relevance/queries.toml`): queries a visitor would type,
//! each with graded judgements over the published demo initiatives, and the floors CI
//! holds the totals to (`tests/relevance/floors.toml`).

use std::collections::BTreeSet;

use serde::Deserialize;

use super::metrics::Grades;
use crate::oracle;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/relevance");

/// At least this many queries, so one query moves a mean by little.
pub const MIN_QUERIES: usize = 85;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuerySet {
    pub query: Vec<Query>,
}

/// One query and its judgements.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub text: String,
    /// The language the query is written in, passed as the search's `lang`.
    pub lang: Option<Lang>,
    pub kind: Kind,
    /// Highly relevant (grade 2): the initiative is about this.
    #[serde(default)]
    pub highly: Vec<String>,
    /// Relevant (grade 1): the initiative treats this in part.
    #[serde(default)]
    pub relevant: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    /// The value of the API's `Language` enum.
    pub fn api(self) -> &'static str {
        match self {
            Lang::Nl => "NL",
            Lang::En => "EN",
        }
    }
}

/// What a query tests; totals are also given per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Word,
    Compound,
    Typo,
    Synonym,
    Everyday,
    CrossLanguage,
    Question,
    Abbreviation,
    Phrase,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Compound => "compound",
            Kind::Typo => "typo",
            Kind::Synonym => "synonym",
            Kind::Everyday => "everyday",
            Kind::CrossLanguage => "cross_language",
            Kind::Question => "question",
            Kind::Abbreviation => "abbreviation",
            Kind::Phrase => "phrase",
        }
    }
}

impl Query {
    /// The grade of every judged initiative.
    pub fn grades(&self) -> Grades {
        let mut g: Grades = self.relevant.iter().map(|s| (s.clone(), 1)).collect();
        g.extend(self.highly.iter().map(|s| (s.clone(), 2)));
        g
    }
}

/// The floors of the totals: a run fails when a mean falls below its floor or a share or
/// count of failures rises above its maximum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Floors {
    pub ndcg_at_10: f64,
    pub recall_at_5: f64,
    pub mrr: f64,
    pub max_no_result_share: f64,
    pub max_judged_without_result: usize,
}

fn read(name: &str) -> String {
    let path = format!("{DIR}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn queries() -> QuerySet {
    toml::from_str(&read("queries.toml")).unwrap_or_else(|e| panic!("queries.toml: {e}"))
}

pub fn floors() -> Floors {
    toml::from_str(&read("floors.toml")).unwrap_or_else(|e| panic!("floors.toml: {e}"))
}

/// What is wrong with the set: too few queries, a query without a judged initiative or
/// reason, a slug that is not a published demo initiative, a slug judged twice.
pub fn problems(set: &QuerySet) -> Vec<String> {
    let demo = oracle::demo();
    let published: BTreeSet<&str> = demo.published().map(|i| i.slug.as_str()).collect();
    let mut out = Vec::new();
    if set.query.len() < MIN_QUERIES {
        out.push(format!(
            "{} queries, at least {MIN_QUERIES} wanted",
            set.query.len()
        ));
    }
    let mut texts = BTreeSet::new();
    for q in &set.query {
        let t = &q.text;
        if !texts.insert((t.to_lowercase(), q.lang.map(Lang::api))) {
            out.push(format!("{t:?}: the same query twice"));
        }
        if t.trim().is_empty() {
            out.push("a query without text".to_owned());
        }
        if q.reason.trim().is_empty() {
            out.push(format!("{t:?}: no reason"));
        }
        if q.highly.is_empty() && q.relevant.is_empty() {
            out.push(format!("{t:?}: nothing judged"));
        }
        let mut seen = BTreeSet::new();
        for slug in q.highly.iter().chain(&q.relevant) {
            if !published.contains(slug.as_str()) {
                out.push(format!("{t:?}: {slug} is not a published demo initiative"));
            }
            if !seen.insert(slug) {
                out.push(format!("{t:?}: {slug} judged twice"));
            }
        }
    }
    out
}

#[test]
fn the_relevance_set_judges_only_published_demo_initiatives() {
    let problems = problems(&queries());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_relevance_floors_parse() {
    let f = floors();
    for (name, v) in [
        ("ndcg_at_10", f.ndcg_at_10),
        ("recall_at_5", f.recall_at_5),
        ("mrr", f.mrr),
        ("max_no_result_share", f.max_no_result_share),
    ] {
        assert!((0.0..=1.0).contains(&v), "{name} = {v}");
    }
}
