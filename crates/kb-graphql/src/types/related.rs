//! Related initiatives with their score and reasons, and lineage with its paths: what a
//! frontend shows beside an initiative ("who else works on this, what did it build on").

use async_graphql::{Context, Enum, Object, SimpleObject};
use kb_readmodel::{LineageStep, Related};

use super::nodes::{Initiative, Organisation, Theme, Topic};
use super::vocab::LinkType;
use crate::context::loader;
use crate::error::loader_error;

/// Which way lineage goes.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineageDirection {
    /// What this initiative builds on or was inspired by, and what those build on.
    Up,
    /// What builds on or was inspired by this initiative, and what builds on those.
    Down,
}

/// Another initiative, how related it is, and why.
pub struct RelatedInitiative(pub(crate) Related, pub(crate) Initiative);

/// Another initiative, how related it is, and why.
#[Object]
impl RelatedInitiative {
    /// The related initiative.
    async fn initiative(&self) -> &Initiative {
        &self.1
    }
    /// The relatedness score (see docs/api.md): shared topics, themes and organisations
    /// weighted by their rarity, plus explicit links. Higher is closer.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// What the two share.
    async fn reasons(&self) -> RelatedReasons {
        RelatedReasons(self.0.clone())
    }
}

/// Why two initiatives are related.
pub struct RelatedReasons(Related);

/// Why two initiatives are related.
#[Object]
impl RelatedReasons {
    /// Topics both are filed under.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        let found = loader(ctx)?
            .load_many(self.0.topics.iter().copied())
            .await
            .map_err(loader_error)?;
        Ok(self
            .0
            .topics
            .iter()
            .filter_map(|id| found.get(id).cloned().map(Topic))
            .collect())
    }
    /// Themes both are placed under.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        let found = loader(ctx)?
            .load_many(self.0.themes.iter().copied())
            .await
            .map_err(loader_error)?;
        Ok(self
            .0
            .themes
            .iter()
            .filter_map(|id| found.get(id).cloned().map(Theme))
            .collect())
    }
    /// Organisations behind both (those the viewer may see).
    async fn organisations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let found = loader(ctx)?
            .load_many(self.0.organisations.iter().copied())
            .await
            .map_err(loader_error)?;
        Ok(self
            .0
            .organisations
            .iter()
            .filter_map(|id| found.get(id).cloned().map(Organisation))
            .collect())
    }
    /// The types of the links between the two, in either direction.
    async fn links(&self) -> Vec<LinkType> {
        self.0.links.iter().map(|l| (*l).into()).collect()
    }
}

/// An initiative reached by following BUILDS_ON and INSPIRED_BY links.
#[derive(SimpleObject)]
pub struct LineageEntry {
    /// The initiative reached.
    pub initiative: Initiative,
    /// How many links away.
    pub depth: i32,
    /// The initiatives on the way, the start excluded and this one included.
    pub path: Vec<Initiative>,
    /// The type of the last link of the path.
    pub via: LinkType,
}

impl LineageEntry {
    pub(crate) fn new(step: LineageStep, path: Vec<kb_domain::Initiative>) -> Option<Self> {
        let last = path.last()?.clone();
        Some(Self {
            initiative: Initiative(last),
            depth: i32::try_from(step.depth).unwrap_or(i32::MAX),
            path: path.into_iter().map(Initiative).collect(),
            via: step.via.into(),
        })
    }
}
