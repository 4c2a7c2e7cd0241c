use std::collections::HashMap;

use kb_domain::{DomainError, NodeId, Term, Theme, ThemeId, Topic, TopicId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::convert::{all, rows, typed};
use crate::entity::{theme, topic, vocabulary_term};
use crate::window::{Edge, Sort, linked};
use crate::{Result, Store};
use sea_orm::Condition;
use sea_orm::sea_query::Expr;

impl Store {
    /// All themes, in the taxonomy's order.
    pub async fn themes(&self) -> Result<Vec<Theme>> {
        let rows = theme::Entity::find()
            .order_by_asc(theme::Column::Position)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(Theme::from).collect())
    }

    /// Themes by code, in no particular order; unknown codes are skipped.
    pub async fn themes_by_codes(&self, codes: &[String]) -> Result<Vec<Theme>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let rows = theme::Entity::find()
            .filter(theme::Column::Code.is_in(codes.iter().cloned()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(Theme::from).collect())
    }

    /// Themes by row id.
    pub async fn themes_by_ids(&self, ids: &[ThemeId]) -> Result<Vec<Theme>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = theme::Entity::find()
            .filter(theme::Column::Id.is_in(rows(ids)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(Theme::from).collect())
    }

    /// All topics (or only the roots of the tree), in the taxonomy's order.
    pub async fn topics(&self, roots_only: bool) -> Result<Vec<Topic>> {
        let mut q = topic::Entity::find().order_by_asc(topic::Column::Position);
        if roots_only {
            q = q.filter(topic::Column::BroaderId.is_null());
        }
        all(q.all(&self.db).await?)
    }

    /// Topics by code; unknown codes are skipped.
    pub async fn topics_by_codes(&self, codes: &[String]) -> Result<Vec<Topic>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        all(topic::Entity::find()
            .filter(topic::Column::Code.is_in(codes.iter().cloned()))
            .all(&self.db)
            .await?)
    }

    /// Topics by row id.
    pub async fn topics_by_ids(&self, ids: &[TopicId]) -> Result<Vec<Topic>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        all(topic::Entity::find()
            .filter(topic::Column::Id.is_in(rows(ids)))
            .all(&self.db)
            .await?)
    }

    /// The narrower topics of each of `ids`, in the taxonomy's order.
    pub async fn narrower_topics(&self, ids: &[TopicId]) -> Result<HashMap<TopicId, Vec<Topic>>> {
        let mut out: HashMap<TopicId, Vec<Topic>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = topic::Entity::find()
            .filter(topic::Column::BroaderId.is_in(rows(ids)))
            .order_by_asc(topic::Column::Position)
            .all(&self.db)
            .await?;
        for row in rows {
            if let Some(parent) = row.broader_id {
                out.entry(TopicId(parent))
                    .or_default()
                    .push(Topic::try_from(row)?);
            }
        }
        Ok(out)
    }

    /// Row ids of theme codes; an unknown code is bad input on `field`.
    pub(crate) async fn theme_ids(&self, field: &str, codes: &[String]) -> Result<Vec<i64>> {
        let found = self.themes_by_codes(codes).await?;
        known(field, "theme", codes, found.iter().map(|t| t.code.as_str()))?;
        Ok(found.into_iter().map(|t| t.id.0).collect())
    }

    /// Row ids of topic codes; an unknown code is bad input on `field`.
    pub(crate) async fn topic_ids(&self, field: &str, codes: &[String]) -> Result<Vec<i64>> {
        let found = self.topics_by_codes(codes).await?;
        known(field, "topic", codes, found.iter().map(|t| t.code.as_str()))?;
        Ok(found.into_iter().map(|t| t.id.0).collect())
    }

    /// Row ids of theme and topic codes, for writes (`input.themes`, `input.topics`).
    pub(crate) async fn theme_and_topic_ids(
        &self,
        themes: &[String],
        topics: &[String],
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        Ok((
            self.theme_ids("input.themes", themes).await?,
            self.topic_ids("input.topics", topics).await?,
        ))
    }

    /// The ids of the topics with these codes and of every topic below them, in one
    /// read of the (small) topic table; an unknown code is bad input on `field`.
    pub(crate) async fn topic_subtree_ids(
        &self,
        field: &str,
        codes: &[String],
    ) -> Result<Vec<i64>> {
        let all = topic::Entity::find().all(&self.db).await?;
        known(field, "topic", codes, all.iter().map(|t| t.code.as_str()))?;
        let roots: Vec<i64> = all
            .iter()
            .filter(|t| codes.contains(&t.code))
            .map(|t| t.id)
            .collect();
        let tree: Vec<(i64, Option<i64>)> = all.iter().map(|t| (t.id, t.broader_id)).collect();
        Ok(kb_domain::with_narrower(&tree, roots))
    }

    /// The labels of every flat vocabulary, by vocabulary and position.
    pub async fn vocabulary_terms(&self) -> Result<Vec<Term>> {
        let rows = vocabulary_term::Entity::find()
            .order_by_asc(vocabulary_term::Column::Vocabulary)
            .order_by_asc(vocabulary_term::Column::Position)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(Term::from).collect())
    }

    /// Themes linked to each parent through `edge`, in the taxonomy's order.
    pub(crate) async fn themes_linked<P: NodeId>(
        &self,
        edge: Edge,
        ids: &[P],
    ) -> Result<Vec<(P, Theme)>> {
        let order = [Sort::asc(Expr::col((
            theme::Entity,
            theme::Column::Position,
        )))];
        let rows = linked::<theme::Entity, _>(
            &self.db,
            edge,
            &rows(ids),
            Condition::all(),
            None,
            &order,
            &[],
        )
        .await?;
        Ok(typed(
            rows.into_iter()
                .map(|l| (l.parent, Theme::from(l.model)))
                .collect(),
        ))
    }

    /// Topics linked to each parent through `edge`, in the taxonomy's order.
    pub(crate) async fn topics_linked<P: NodeId>(
        &self,
        edge: Edge,
        ids: &[P],
    ) -> Result<Vec<(P, Topic)>> {
        let order = [Sort::asc(Expr::col((
            topic::Entity,
            topic::Column::Position,
        )))];
        let rows = linked::<topic::Entity, _>(
            &self.db,
            edge,
            &rows(ids),
            Condition::all(),
            None,
            &order,
            &[],
        )
        .await?;
        let pairs = rows
            .into_iter()
            .map(|l| Ok((l.parent, Topic::try_from(l.model)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(typed(pairs))
    }
}

/// Refuses the first code that is not among `found`.
fn known<'a>(
    field: &str,
    what: &str,
    codes: &[String],
    found: impl Iterator<Item = &'a str> + Clone,
) -> Result<()> {
    match codes
        .iter()
        .find(|c| !found.clone().any(|f| f == c.as_str()))
    {
        Some(bad) => Err(DomainError::bad_input(field, format!("unknown {what} `{bad}`")).into()),
        None => Ok(()),
    }
}
