//! The demo data set read straight from its TOML file: an independent source of the
//! values the API must return (counts, facets, visibility), computed without the store.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

const DEMO: &str = include_str!("../../crates/kb-store/seed/demo.toml");
const TAXONOMY: &str = include_str!("../../crates/kb-store/seed/taxonomy.toml");

#[derive(Debug, Deserialize)]
pub struct Demo {
    pub organisation: Vec<Org>,
    pub initiative: Vec<Init>,
    pub event: Vec<Ev>,
    pub link: Vec<Link>,
}

#[derive(Debug, Deserialize)]
pub struct Org {
    pub slug: String,
    pub kind: String,
    pub part_of: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct OrgRef {
    pub slug: String,
}

#[derive(Debug, Deserialize)]
pub struct Init {
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub languages: Vec<String>,
    pub themes: Vec<String>,
    pub topics: Vec<String>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    pub region: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub organisations: Vec<OrgRef>,
}

#[derive(Debug, Deserialize)]
pub struct Ev {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub themes: Vec<String>,
    pub organisers: Vec<String>,
    #[serde(default)]
    pub initiatives: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Link {
    pub from: String,
    pub to: String,
    #[serde(rename = "type")]
    pub link_type: String,
}

#[derive(Debug, Deserialize)]
struct Taxonomy {
    topic: Vec<TopicRow>,
}

#[derive(Debug, Deserialize)]
struct TopicRow {
    code: String,
    broader: Option<String>,
}

pub fn demo() -> Demo {
    toml::from_str(DEMO).expect("demo.toml")
}

impl Demo {
    pub fn published(&self) -> impl Iterator<Item = &Init> {
        self.initiative.iter().filter(|i| i.status == "published")
    }

    pub fn hidden(&self) -> impl Iterator<Item = &Init> {
        self.initiative.iter().filter(|i| i.status != "published")
    }

    pub fn initiative(&self, slug: &str) -> &Init {
        self.initiative
            .iter()
            .find(|i| i.slug == slug)
            .expect("initiative in demo")
    }

    /// Published initiatives counted per value of `values(i)`.
    pub fn facet<'a>(&'a self, values: impl Fn(&'a Init) -> Vec<String>) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for i in self.published() {
            let set: BTreeSet<String> = values(i).into_iter().collect();
            for v in set {
                *out.entry(v).or_insert(0) += 1;
            }
        }
        out
    }

    pub fn org_kind(&self, slug: &str) -> &str {
        &self
            .organisation
            .iter()
            .find(|o| o.slug == slug)
            .expect("organisation")
            .kind
    }
}

/// The codes of a topic and of every topic below it.
pub fn topic_subtree(code: &str) -> Vec<String> {
    let t: Taxonomy = toml::from_str(TAXONOMY).expect("taxonomy.toml");
    let mut out = vec![code.to_owned()];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].clone();
        out.extend(
            t.topic
                .iter()
                .filter(|r| r.broader.as_deref() == Some(&parent))
                .map(|r| r.code.clone()),
        );
        i += 1;
    }
    out
}

/// The root topic of each topic code.
pub fn topic_root(code: &str) -> String {
    let t: Taxonomy = toml::from_str(TAXONOMY).expect("taxonomy.toml");
    let mut c = code.to_owned();
    while let Some(b) = t
        .topic
        .iter()
        .find(|r| r.code == c)
        .and_then(|r| r.broader.clone())
    {
        c = b;
    }
    c
}
