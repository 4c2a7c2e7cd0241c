//! Full-text search over the read model: the index (`kb-search`) finds ids and scores, the
//! projection keeps those the viewer may see and the filter holds, pages them by score and
//! counts facets over them. The index follows the change log with the projection.

use std::collections::HashMap;

use kb_domain::{
    DomainError, EducationLevel, InitiativeFilter, InitiativeId, InitiativeKind, PageRequest,
    TargetGroup, Viewer, Vocabulary,
};
use kb_search::{SearchDoc, SearchError, SearchIndex, Snippet, Suggestion};
use kb_store::{InitiativeFacets, InitiativeText, StoreError};
use roaring::RoaringBitmap;

use crate::completions::{Carrier, Completions, Sources};
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
    /// Every initiative matching the text, whatever the viewer and the filter: what the
    /// facets of the search count over (see [`Projection::facets_of_matches`]).
    pub matched: RoaringBitmap,
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
        let hits = index.hits(text).map_err(store_error)?;
        let matched: RoaringBitmap = hits.iter().filter_map(|h| member(h.id)).collect();
        let mut kept: Vec<kb_search::Hit> = hits
            .into_iter()
            .filter(|h| member(h.id).is_some_and(|m| allowed.contains(m)))
            .collect();
        let total = kept.len();
        let start = usize::try_from(page.offset)
            .unwrap_or(usize::MAX)
            .min(total);
        let end = start.saturating_add(page.limit as usize).min(total);
        // Only the best `end` are ranked: a page needs no order beyond itself.
        if end < total {
            kept.select_nth_unstable_by(end, kb_search::best_first);
            kept.truncate(end);
        }
        kept.sort_unstable_by(kb_search::best_first);
        Ok(SearchPage {
            hits: kept[start..end].iter().map(|h| (h.id, h.score)).collect(),
            offset: page.offset,
            total: total as u64,
            has_next: total > end,
            matched,
        })
    }

    /// Disjunctive facets over the initiatives a search `matched` (each facet honours the
    /// other filter fields, not its own), counting only what `viewer` may see.
    pub fn facets_of_matches(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
        matched: &RoaringBitmap,
    ) -> Result<InitiativeFacets, StoreError> {
        Ok(self.disjunctive_facets(viewer, filter, matched)?)
    }

    /// Completions of `prefix` for `viewer`: titles of initiatives it may see (from the
    /// index), labels and published organisation names that such initiatives carry (from
    /// memory), carried by more of them first (see [`kb_search::rank`]).
    pub fn suggestions(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, StoreError> {
        let folded = index.fold_prefix(prefix).map_err(store_error)?;
        if limit == 0 {
            return Ok(Vec::new());
        }
        let visible = self.visible(viewer);
        let completions = self
            .completions
            .get_or_init(|| Completions::build(&self.completion_sources(), index));
        let mut ranked = completions.complete(&|c| self.carried(c), &folded, &visible);
        // Ask for more titles than needed: some may be hidden from this viewer.
        let titles = index
            .suggest_titles(prefix, limit.saturating_mul(4).max(limit))
            .map_err(store_error)?;
        ranked.extend(titles.into_iter().filter(|r| {
            r.suggestion
                .id
                .and_then(member)
                .is_some_and(|m| visible.contains(m))
        }));
        ranked.sort_by(kb_search::rank);
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|r| r.suggestion)
            .collect())
    }
}

impl Projection {
    /// What completions of labels and names are made of.
    pub(crate) fn completion_sources(&self) -> Sources<'_> {
        Sources {
            themes: &self.themes,
            topics: &self.topics,
            terms: &self.terms,
            organisations: self.organisations.values().collect(),
        }
    }

    /// The initiatives filed under what `carrier` stands for.
    pub(crate) fn carried(&self, carrier: Carrier) -> Option<&RoaringBitmap> {
        match carrier {
            Carrier::Theme(id) => self.theme.by.get(&id),
            Carrier::Topic(id) => self.topic.by.get(&id),
            Carrier::Kind(code) => self.kind.by.get(code),
            Carrier::TargetGroup(code) => self.target_group.by.get(code),
            Carrier::EducationLevel(code) => self.education_level.by.get(code),
            Carrier::Organisation(id) => self.organisation.by.get(&id),
        }
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
