//! Full-text search over the read model: the index (`kb-search`) finds ids and scores, the
//! projection keeps those the viewer may see and the filter holds, pages them by score and
//! counts facets over them. The index follows the change log with the projection.

use std::collections::HashMap;

use kb_domain::{
    DomainError, EducationLevel, InitiativeFilter, InitiativeId, InitiativeKind, PageRequest,
    TargetGroup, Viewer, Vocabulary,
};
use kb_search::{SearchDoc, SearchError, SearchIndex, Snippet, Suggestion, SuggestionKind};
use kb_store::{InitiativeFacets, InitiativeText, StoreError};
use roaring::RoaringBitmap;

use crate::projection::{Projection, member};

/// A page of search hits the viewer may see, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    /// The hits of the page with their scores.
    pub hits: Vec<(InitiativeId, f32)>,
    pub offset: u64,
    /// How many hits the viewer may see under the filter.
    pub total: u64,
    pub has_next: bool,
}

/// How many texts one statement reads while (re)indexing.
pub(crate) const CHUNK: usize = 2_000;

/// A search error as the store's: bad input keeps its field, the rest is internal.
pub(crate) fn store_error(e: SearchError) -> StoreError {
    match e {
        SearchError::BadInput { field, message } => {
            StoreError::Domain(DomainError::bad_input(field, message))
        }
        other => StoreError::Internal(other.to_string()),
    }
}

/// The documents of these texts, with what the projection knows of their initiatives:
/// languages; the labels of their themes, topics (with the topics' synonyms), kind, target
/// groups and education levels in both languages (so `hbo` finds hbo initiatives); and the
/// names of their published organisations.
pub(crate) fn documents(p: &Projection, texts: Vec<InitiativeText>) -> Vec<SearchDoc> {
    texts
        .into_iter()
        .filter_map(|t| {
            let f = p.facts(t.id)?;
            let mut labels = Vec::new();
            for theme in p.themes.iter().filter(|x| f.themes.contains(&x.id)) {
                labels.push(theme.label.nl.clone());
                labels.extend(theme.label.en.clone());
            }
            for topic in p.topics.iter().filter(|x| f.topics.contains(&x.id)) {
                labels.push(topic.label.nl.clone());
                labels.extend(topic.label.en.clone());
                labels.extend(topic.alt_labels.iter().cloned());
            }
            let terms = std::iter::once((InitiativeKind::NAME, f.kind.code()))
                .chain(
                    f.target_groups
                        .iter()
                        .map(|t| (TargetGroup::NAME, t.code())),
                )
                .chain(
                    f.education_levels
                        .iter()
                        .map(|e| (EducationLevel::NAME, e.code())),
                );
            for (vocabulary, code) in terms {
                if let Some(l) = p.terms.get(&(vocabulary.to_owned(), code.to_owned())) {
                    labels.push(l.nl.clone());
                    labels.extend(l.en.clone());
                }
            }
            let organisations = f
                .organisations
                .iter()
                .filter_map(|o| p.organisations.get(o))
                .filter(|o| o.status == kb_domain::Status::Published)
                .map(|o| o.name.clone())
                .collect();
            Some(SearchDoc {
                id: t.id,
                languages: f.languages.clone(),
                title: t.title,
                summary: t.summary,
                body: t.body,
                organisations,
                labels,
            })
        })
        .collect()
}

impl Projection {
    /// A page of the hits of `text` that `viewer` may see under `filter`, best first.
    pub fn search_page(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        text: &str,
        filter: &InitiativeFilter,
        page: PageRequest,
    ) -> Result<SearchPage, StoreError> {
        let allowed = self.select(viewer, filter)?;
        let hits = index
            .search(text, self.len().max(1) as usize)
            .map_err(store_error)?;
        let kept: Vec<(InitiativeId, f32)> = hits
            .into_iter()
            .filter(|h| member(h.id).is_some_and(|m| allowed.contains(m)))
            .map(|h| (h.id, h.score))
            .collect();
        let start = (page.offset as usize).min(kept.len());
        let end = (start + page.limit as usize).min(kept.len());
        Ok(SearchPage {
            hits: kept[start..end].to_vec(),
            offset: page.offset,
            total: kept.len() as u64,
            has_next: kept.len() > end,
        })
    }

    /// Disjunctive facets over the hits of `text` (each facet honours the other filter
    /// fields, not its own).
    pub fn search_facets(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        text: &str,
        filter: &InitiativeFilter,
    ) -> Result<InitiativeFacets, StoreError> {
        let hits: RoaringBitmap = index
            .search(text, self.len().max(1) as usize)
            .map_err(store_error)?
            .into_iter()
            .filter_map(|h| member(h.id))
            .collect();
        Ok(self.disjunctive_facets(viewer, filter, &hits)?)
    }

    /// Completions of `prefix`: initiatives only where `viewer` may see them.
    pub fn suggestions(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, StoreError> {
        let visible = self.visible(viewer);
        // Ask for more than needed: some titles may be hidden from this viewer.
        let found = index
            .suggest(prefix, limit.saturating_mul(4).max(limit))
            .map_err(store_error)?;
        Ok(found
            .into_iter()
            .filter(|s| match (s.kind, s.id) {
                (SuggestionKind::Initiative, Some(id)) => {
                    member(id).is_some_and(|m| visible.contains(m))
                }
                (SuggestionKind::Initiative, None) => false,
                _ => true,
            })
            .take(limit)
            .collect())
    }
}

/// Snippets of a page of hits.
pub(crate) fn snippets(
    index: &SearchIndex,
    text: &str,
    ids: &[InitiativeId],
) -> Result<HashMap<InitiativeId, Snippet>, StoreError> {
    index.snippets(text, ids).map_err(store_error)
}
