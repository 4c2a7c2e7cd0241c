//! Loaders of related initiatives and lineage: ranked by the read model, their rows
//! loaded by id through the access rule.

use super::*;

/// The initiatives most related to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelatedOf {
    pub id: InitiativeId,
    pub first: usize,
}

/// The lineage of an initiative in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineageOf {
    pub id: InitiativeId,
    pub up: bool,
    pub depth: u32,
}

impl Loader<RelatedOf> for Loaders {
    type Value = Vec<(Related, Initiative)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[RelatedOf]) -> LoadResult<RelatedOf, Vec<(Related, Initiative)>> {
        crate::observe::batch(keys);
        let model = self.model()?;
        let mut found = Vec::new();
        for first in keys
            .iter()
            .map(|k| k.first)
            .collect::<std::collections::BTreeSet<_>>()
        {
            let ids: Vec<InitiativeId> = keys
                .iter()
                .filter(|k| k.first == first)
                .map(|k| k.id)
                .collect();
            for (id, list) in model.related(self.viewer, &ids, first).await {
                found.push((RelatedOf { id, first }, list));
            }
        }
        let rows = self
            .rows(
                found
                    .iter()
                    .flat_map(|(_, l)| l.iter().map(|r| r.id))
                    .collect(),
            )
            .await?;
        Ok(found
            .into_iter()
            .map(|(k, list)| {
                let list = list
                    .into_iter()
                    .filter_map(|r| rows.get(&r.id).cloned().map(|i| (r, i)))
                    .collect();
                (k, list)
            })
            .collect())
    }
}

impl Loader<LineageOf> for Loaders {
    type Value = Vec<(LineageStep, Vec<Initiative>)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[LineageOf],
    ) -> LoadResult<LineageOf, Vec<(LineageStep, Vec<Initiative>)>> {
        crate::observe::batch(keys);
        let model = self.model()?;
        let mut found = Vec::new();
        let shapes: std::collections::BTreeSet<(bool, u32)> =
            keys.iter().map(|k| (k.up, k.depth)).collect();
        for (up, depth) in shapes {
            let ids: Vec<InitiativeId> = keys
                .iter()
                .filter(|k| k.up == up && k.depth == depth)
                .map(|k| k.id)
                .collect();
            let direction = if up { Direction::Up } else { Direction::Down };
            for (id, steps) in model.lineage(self.viewer, &ids, direction, depth).await {
                found.push((LineageOf { id, up, depth }, steps));
            }
        }
        let rows = self
            .rows(
                found
                    .iter()
                    .flat_map(|(_, s)| s.iter().flat_map(|s| s.path.iter().copied()))
                    .collect(),
            )
            .await?;
        Ok(found
            .into_iter()
            .map(|(k, steps)| {
                let steps = steps
                    .into_iter()
                    .filter_map(|s| {
                        let path: Option<Vec<Initiative>> =
                            s.path.iter().map(|id| rows.get(id).cloned()).collect();
                        path.map(|p| (s, p))
                    })
                    .collect();
                (k, steps)
            })
            .collect())
    }
}
