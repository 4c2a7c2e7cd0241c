//! Full-text search over the read model: the index (`kb-search`) finds ids and scores, the
//! projection keeps those the viewer may see and the filter holds, pages them by score and
//! counts facets over them. Events and organisations are searched the same way, each as
//! their own type, kept by the store's access rule for them. The index follows the change
//! log with the projection.

use std::collections::{BTreeSet, HashMap};

use kb_domain::lang::Language;
use kb_domain::{
    DomainError, EducationLevel, EventId, EventKind, InitiativeFilter, InitiativeId,
    InitiativeKind, OrganisationId, OrganisationKind, PageRequest, Region, TargetGroup, Viewer,
    Vocabulary,
};
use kb_search::{Hit, SearchDoc, SearchError, SearchIndex, Snippet, Subject, Suggestion};
use kb_store::access::{sees_event, sees_organisation};
use kb_store::{EventText, InitiativeFacets, InitiativeText, OrganisationText, StoreError};
use roaring::RoaringBitmap;

use crate::completions::{Carrier, Completions, Sources};
use crate::projection::{Projection, member};

/// What a search answers besides its page of ids and scores, when the client asks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchParts {
    /// The highlighted snippets of the page's hits.
    pub snippets: bool,
    /// The facets of the search (initiatives only).
    pub facets: bool,
    /// The language of the texts the snippets show: with English, initiatives' English
    /// titles and summaries where they have them.
    pub shown: Language,
    /// Corrections of the query's spelling ("did you mean").
    pub suggestions: bool,
}

/// A page of the initiatives matching a search that the viewer may see, best first, and
/// what the search's facets count over; with the snippets and facets asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    /// The page of hits; its total is how many the viewer may see under the filter.
    pub page: HitPage<InitiativeId>,
    /// Every initiative matching the text, whatever the viewer and the filter: what the
    /// facets of the search count over (see [`Projection::facets_of_matches`]).
    pub matched: RoaringBitmap,
    /// The snippets of the page's hits, when asked for.
    pub snippets: HashMap<InitiativeId, Snippet>,
    /// The facets, when asked for.
    pub facets: Option<InitiativeFacets>,
    /// The query with its unknown words corrected, when asked for and the search found
    /// fewer than [`ENOUGH`] or read a word as its nearest spelling.
    pub suggestions: Vec<String>,
    /// Whether a word no document holds was read as its nearest spelling.
    pub respelled: bool,
}

/// A page of the events or organisations matching a search, with the snippets of its hits
/// when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<S: std::hash::Hash + Eq> {
    pub page: HitPage<S>,
    pub snippets: HashMap<S, Snippet>,
}

/// A page of the initiatives, events or organisations matching a search that the viewer
/// may see, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct HitPage<S> {
    /// The hits of the page with their scores.
    pub hits: Vec<(S, f32)>,
    pub offset: u64,
    /// How many hits the viewer may see.
    pub total: u64,
    pub has_next: bool,
    /// The words of the query that hits may lack: requiring every word found fewer than
    /// [`ENOUGH`] the viewer may see, so the best partial matches follow (see
    /// `kb_search::Matched`).
    pub left_out: Vec<String>,
}

/// Fewest hits a viewer may see before a search falls back to partial matches and
/// offers a correction of its spelling: a first screen of results.
pub const ENOUGH: usize = 5;

/// The page `page` of `hits`, best first: only the best of them up to the page's end are
/// ranked, since a page needs no order beyond itself.
fn page_of<S: Ord + Copy>(mut hits: Vec<Hit<S>>, page: PageRequest) -> HitPage<S> {
    let total = hits.len();
    let start = usize::try_from(page.offset)
        .unwrap_or(usize::MAX)
        .min(total);
    let end = start.saturating_add(page.limit as usize).min(total);
    if end < total {
        hits.select_nth_unstable_by(end, kb_search::best_first);
        hits.truncate(end);
    }
    hits.sort_unstable_by(kb_search::best_first);
    HitPage {
        hits: hits[start..end].iter().map(|h| (h.id, h.score)).collect(),
        offset: page.offset,
        total: total as u64,
        has_next: total > end,
        left_out: Vec::new(),
    }
}

/// The documents a batch of changes asks to index again.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    pub(crate) initiatives: RoaringBitmap,
    pub(crate) events: BTreeSet<EventId>,
    pub(crate) organisations: BTreeSet<OrganisationId>,
}

impl Touched {
    /// Adds what a change of the row `id` of `entity_type` touches, with the projection
    /// as it stands after the change: the row's own document, and the documents that
    /// carry its label or name (an organisation's initiatives and events, a theme's or
    /// topic's).
    pub(crate) fn add(&mut self, p: &Projection, entity_type: &str, id: i64) {
        match entity_type {
            // A link's change names the initiative it goes out from.
            "initiative" | "initiative_link" => {
                self.initiatives.extend(member(InitiativeId(id)));
            }
            "event" => {
                self.events.insert(EventId(id));
            }
            "organisation" => {
                let id = OrganisationId(id);
                self.organisations.insert(id);
                self.initiatives |= p.organisation.any(&[id]);
                self.events
                    .extend(p.graph.by_organiser.get(&id).into_iter().flatten());
            }
            "topic" => {
                let id = kb_domain::TopicId(id);
                self.initiatives |= p.topic.any(&[id]);
                self.events
                    .extend(p.graph.by_topic.get(&id).into_iter().flatten());
            }
            "theme" => {
                let id = kb_domain::ThemeId(id);
                self.initiatives |= p.theme.any(&[id]);
                self.events
                    .extend(p.graph.by_theme.get(&id).into_iter().flatten());
            }
            _ => {}
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.initiatives.is_empty() && self.events.is_empty() && self.organisations.is_empty()
    }
}

/// Those of `asked` that are not `present`: rows that no longer exist.
pub(crate) fn gone<S: Copy + Eq + std::hash::Hash>(
    asked: &[S],
    present: impl Iterator<Item = S>,
) -> Vec<S> {
    let present: std::collections::HashSet<S> = present.collect();
    asked
        .iter()
        .filter(|id| !present.contains(id))
        .copied()
        .collect()
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
            p.push_taxonomy_labels(&mut labels, &f.themes, &f.topics);
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
                p.push_term_labels(&mut labels, vocabulary, code);
            }
            let organisations = p.published_names(&f.organisations);
            Some(SearchDoc {
                title_en: t.title_en,
                summary_en: t.summary_en,
                id: t.id.into(),
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

/// The documents of these events: title, summary, location (as the body), the labels of
/// their themes and topics (with synonyms), kind and region in both languages, and the
/// names of their published organisers. Events the projection does not hold are left out.
pub(crate) fn event_documents(p: &Projection, texts: Vec<EventText>) -> Vec<SearchDoc> {
    texts
        .into_iter()
        .filter_map(|t| {
            let f = p.graph.events.get(&t.id)?;
            let mut labels = Vec::new();
            p.push_taxonomy_labels(&mut labels, &f.themes, &f.topics);
            p.push_term_labels(&mut labels, EventKind::NAME, &t.kind);
            if let Some(region) = &t.region {
                p.push_term_labels(&mut labels, Region::NAME, region);
            }
            Some(SearchDoc {
                title_en: None,
                summary_en: None,
                id: t.id.into(),
                languages: Vec::new(),
                title: t.title,
                summary: t.summary,
                body: t.location,
                organisations: p.published_names(&f.organisers),
                labels,
            })
        })
        .collect()
}

/// The documents of these organisations: name (as the title), Dutch description (as the
/// summary) and English one (as the body), and the labels of their kind and region in
/// both languages and their city.
pub(crate) fn organisation_documents(
    p: &Projection,
    texts: Vec<OrganisationText>,
) -> Vec<SearchDoc> {
    texts
        .into_iter()
        .map(|t| {
            let mut labels = Vec::new();
            p.push_term_labels(&mut labels, OrganisationKind::NAME, &t.kind);
            if let Some(region) = &t.region {
                p.push_term_labels(&mut labels, Region::NAME, region);
            }
            labels.extend(t.city);
            SearchDoc {
                title_en: None,
                summary_en: None,
                id: t.id.into(),
                languages: Vec::new(),
                title: t.name,
                summary: t.description.nl,
                body: t.description.en,
                organisations: Vec::new(),
                labels,
            }
        })
        .collect()
}

impl Projection {
    /// Adds the labels of `code` in `vocabulary` in both languages.
    fn push_term_labels(&self, labels: &mut Vec<String>, vocabulary: &str, code: &str) {
        if let Some(l) = self.terms.get(&(vocabulary.to_owned(), code.to_owned())) {
            labels.push(l.nl.clone());
            labels.extend(l.en.clone());
        }
    }

    /// Adds the labels of these themes and topics in both languages, and the topics'
    /// synonyms.
    fn push_taxonomy_labels(
        &self,
        labels: &mut Vec<String>,
        themes: &[kb_domain::ThemeId],
        topics: &[kb_domain::TopicId],
    ) {
        for theme in self.themes.iter().filter(|x| themes.contains(&x.id)) {
            labels.push(theme.label.nl.clone());
            labels.extend(theme.label.en.clone());
        }
        for topic in self.topics.iter().filter(|x| topics.contains(&x.id)) {
            labels.push(topic.label.nl.clone());
            labels.extend(topic.label.en.clone());
            labels.extend(topic.alt_labels.iter().cloned());
        }
    }

    /// The names of those of `ids` that are published organisations.
    fn published_names(&self, ids: &[OrganisationId]) -> Vec<String> {
        ids.iter()
            .filter_map(|o| self.organisations.get(o))
            .filter(|o| o.status == kb_domain::Status::Published)
            .map(|o| o.name.clone())
            .collect()
    }
}

impl Projection {
    /// A page of the hits of `text` (written in `lang`, if given) that `viewer` may see
    /// under `filter`, best first.
    pub fn search_page(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        filter: &InitiativeFilter,
        page: PageRequest,
    ) -> Result<SearchPage, StoreError> {
        let allowed = self.select(viewer, filter)?;
        let visible = |h: &Hit| member(h.id).is_some_and(|m| allowed.contains(m));
        let found = index
            .matching::<InitiativeId>(text, lang, visible, ENOUGH)
            .map_err(store_error)?;
        let matched: RoaringBitmap = found.hits.iter().filter_map(|h| member(h.id)).collect();
        let kept: Vec<Hit> = found.hits.into_iter().filter(visible).collect();
        let mut page = page_of(kept, page);
        page.left_out = found.left_out;
        Ok(SearchPage {
            page,
            matched,
            snippets: HashMap::new(),
            facets: None,
            suggestions: Vec::new(),
            respelled: found.respelled,
        })
    }

    /// The query `text` with its unknown words corrected, if a document `viewer` may see
    /// under `filter` holds the correction.
    pub fn spelling(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        filter: &InitiativeFilter,
    ) -> Result<Vec<String>, StoreError> {
        let allowed = self.select(viewer, filter)?;
        let corrected = index
            .spelling::<InitiativeId>(text, lang, |hits| {
                hits.iter()
                    .any(|h| member(h.id).is_some_and(|m| allowed.contains(m)))
            })
            .map_err(store_error)?;
        Ok(corrected.into_iter().collect())
    }

    /// A page of the events matching `text` that `viewer` may see, best first.
    pub fn search_events(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        page: PageRequest,
    ) -> Result<HitPage<EventId>, StoreError> {
        self.search_others(index, text, lang, page, |id: EventId| {
            self.graph
                .events
                .get(&id)
                .is_some_and(|e| sees_event(viewer, e.status, &e.organisers))
        })
    }

    /// A page of the organisations matching `text` that `viewer` may see, best first.
    pub fn search_organisations(
        &self,
        index: &SearchIndex,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        page: PageRequest,
    ) -> Result<HitPage<OrganisationId>, StoreError> {
        self.search_others(index, text, lang, page, |id: OrganisationId| {
            self.organisations
                .get(&id)
                .is_some_and(|o| sees_organisation(viewer, id, o.status))
        })
    }

    fn search_others<S: Subject>(
        &self,
        index: &SearchIndex,
        text: &str,
        lang: Option<Language>,
        page: PageRequest,
        sees: impl Fn(S) -> bool,
    ) -> Result<HitPage<S>, StoreError> {
        let found = index
            .matching::<S>(text, lang, |h| sees(h.id), ENOUGH)
            .map_err(store_error)?;
        let mut hits = found.hits;
        hits.retain(|h| sees(h.id));
        let mut page = page_of(hits, page);
        page.left_out = found.left_out;
        Ok(page)
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
pub(crate) fn snippets<S: Subject>(
    index: &SearchIndex,
    text: &str,
    lang: Option<Language>,
    ids: &[S],
) -> Result<HashMap<S, Snippet>, StoreError> {
    index.snippets(text, lang, ids).map_err(store_error)
}

/// Snippets of a page of initiatives' hits, of their texts in `shown`.
pub(crate) fn snippets_in(
    index: &SearchIndex,
    text: &str,
    lang: Option<Language>,
    shown: Language,
    ids: &[InitiativeId],
) -> Result<HashMap<InitiativeId, Snippet>, StoreError> {
    index
        .snippets_in(text, lang, shown, ids)
        .map_err(store_error)
}
