//! Completions of labels and organisation names, held in memory: the taxonomy's labels
//! (themes, topics with their synonyms, kinds, target groups, education levels) and the
//! names of published organisations, each with the bitmap of the initiatives that carry
//! it. A prefix is a binary search in their sorted completion keys, and how many
//! initiatives carry a text is a bitmap count over what the viewer may see: no walk over
//! index keys, no postings, however many organisations share a word. Titles, one per
//! initiative, still come from the index (`SearchIndex::suggest_titles`).

use std::collections::HashMap;

use kb_domain::lang::Localised;
use kb_domain::{
    EducationLevel, InitiativeKind, OrganisationId, Status, TargetGroup, Theme, ThemeId, Topic,
    TopicId, Vocabulary,
};
use kb_search::{Ranked, SearchIndex, Suggestion, SuggestionKind};
use kb_store::OrganisationFacts;
use roaring::RoaringBitmap;

/// What a label or a name stands for: the initiatives filed under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carrier {
    Theme(ThemeId),
    Topic(TopicId),
    Kind(&'static str),
    TargetGroup(&'static str),
    EducationLevel(&'static str),
    Organisation(OrganisationId),
}

/// One suggestion: a kind and folded words, with every spelling of it and what carries
/// each ("Mentale gezondheid" and "mentale gezondheid" are one).
#[derive(Debug, Clone)]
struct Entry {
    kind: SuggestionKind,
    folded: String,
    spellings: Vec<(String, Carrier)>,
}

/// The labels and names completions are made of: the taxonomy, the flat vocabularies'
/// labels by vocabulary and code, and the organisations.
pub(crate) struct Sources<'a> {
    pub(crate) themes: &'a [Theme],
    pub(crate) topics: &'a [Topic],
    pub(crate) terms: &'a HashMap<(String, String), Localised>,
    pub(crate) organisations: Vec<&'a OrganisationFacts>,
}

/// The completion keys of every label and published organisation name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Completions {
    /// Folded words from a starting word on, the entry, and whether it is the first word;
    /// sorted.
    keys: Vec<(String, u32, bool)>,
    entries: Vec<Entry>,
}

impl Completions {
    /// The completions of the taxonomy, terms and published organisations, cut into keys
    /// as the index cuts its own.
    pub(crate) fn build(p: &Sources<'_>, index: &SearchIndex) -> Self {
        let mut texts: Vec<(SuggestionKind, String, Carrier)> = Vec::new();
        let mut label = |text: &str, carrier: Carrier| {
            texts.push((SuggestionKind::Topic, text.to_owned(), carrier));
        };
        for t in p.themes {
            label(&t.label.nl, Carrier::Theme(t.id));
            if let Some(en) = &t.label.en {
                label(en, Carrier::Theme(t.id));
            }
        }
        for t in p.topics {
            label(&t.label.nl, Carrier::Topic(t.id));
            if let Some(en) = &t.label.en {
                label(en, Carrier::Topic(t.id));
            }
            for alt in &t.alt_labels {
                label(alt, Carrier::Topic(t.id));
            }
        }
        let vocabularies: [(&str, Vec<(&'static str, Carrier)>); 3] = [
            (
                InitiativeKind::NAME,
                InitiativeKind::ALL
                    .iter()
                    .map(|k| (k.code(), Carrier::Kind(k.code())))
                    .collect(),
            ),
            (
                TargetGroup::NAME,
                TargetGroup::ALL
                    .iter()
                    .map(|k| (k.code(), Carrier::TargetGroup(k.code())))
                    .collect(),
            ),
            (
                EducationLevel::NAME,
                EducationLevel::ALL
                    .iter()
                    .map(|k| (k.code(), Carrier::EducationLevel(k.code())))
                    .collect(),
            ),
        ];
        for (vocabulary, codes) in vocabularies {
            for (code, carrier) in codes {
                if let Some(l) = p.terms.get(&(vocabulary.to_owned(), code.to_owned())) {
                    label(&l.nl, carrier);
                    if let Some(en) = &l.en {
                        label(en, carrier);
                    }
                }
            }
        }
        for o in &p.organisations {
            if o.status == Status::Published {
                texts.push((
                    SuggestionKind::Organisation,
                    o.name.clone(),
                    Carrier::Organisation(o.id),
                ));
            }
        }
        let mut out = Self::default();
        let mut at: HashMap<(SuggestionKind, String), u32> = HashMap::new();
        let mut keys: Vec<(String, u32, bool)> = Vec::new();
        for (kind, text, carrier) in texts {
            let (text, starts) = index.completion_starts(&text);
            let Some((folded, _)) = starts.iter().find(|(_, first)| *first) else {
                continue;
            };
            let n = *at.entry((kind, folded.clone())).or_insert_with(|| {
                out.entries.push(Entry {
                    kind,
                    folded: folded.clone(),
                    spellings: Vec::new(),
                });
                u32::try_from(out.entries.len() - 1).unwrap_or(u32::MAX)
            });
            if let Some(e) = out.entries.get_mut(n as usize)
                && !e.spellings.contains(&(text.clone(), carrier))
            {
                e.spellings.push((text, carrier));
            }
            keys.extend(starts.into_iter().map(|(k, first)| (k, n, first)));
        }
        keys.sort();
        keys.dedup();
        out.keys = keys;
        out
    }

    /// The labels and names completing `folded` (a folded prefix) that initiatives
    /// `visible` carry, with how many of those carry each; `carried` gives the
    /// initiatives filed under a carrier.
    pub(crate) fn complete<'p>(
        &self,
        carried: &dyn Fn(Carrier) -> Option<&'p RoaringBitmap>,
        folded: &str,
        visible: &RoaringBitmap,
    ) -> Vec<Ranked> {
        let from = self.keys.partition_point(|(k, _, _)| k.as_str() < folded);
        let mut hits: HashMap<u32, bool> = HashMap::new();
        for (key, entry, first) in &self.keys[from..] {
            if !key.starts_with(folded) {
                break;
            }
            *hits.entry(*entry).or_default() |= *first;
        }
        let mut out = Vec::with_capacity(hits.len());
        for (n, at_start) in hits {
            let Some(e) = self.entries.get(n as usize) else {
                continue;
            };
            // Each spelling's carriers count; the suggestion counts their union.
            let mut all: Option<RoaringBitmap> = None;
            let mut best: Option<(u64, &str)> = None;
            for (text, carrier) in &e.spellings {
                let Some(b) = carried(*carrier) else {
                    continue;
                };
                let n = b.intersection_len(visible);
                if e.spellings.len() > 1 {
                    *all.get_or_insert_with(RoaringBitmap::new) |= b;
                }
                // The most used spelling; the first in byte order on ties.
                if best.is_none_or(|(m, t)| n > m || (n == m && text.as_str() < t)) {
                    best = Some((n, text));
                }
            }
            let docs = match (&all, best) {
                (Some(all), _) => all.intersection_len(visible),
                (None, Some((n, _))) => n,
                (None, None) => 0,
            };
            if docs == 0 {
                continue;
            }
            if let Some((_, text)) = best {
                out.push(Ranked {
                    suggestion: Suggestion {
                        text: text.to_owned(),
                        kind: e.kind,
                        id: None,
                    },
                    docs,
                    at_start,
                    folded: e.folded.clone(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::Projection;
    use crate::projection::tests::facts;
    use kb_domain::{OrganisationKind, Viewer};
    use kb_store::OrganisationFacts;

    fn org(id: i64, name: &str, status: Status) -> OrganisationFacts {
        OrganisationFacts {
            id: OrganisationId(id),
            kind: OrganisationKind::Other,
            status,
            name: name.into(),
        }
    }

    /// North carries two published initiatives and a draft, South one published, East
    /// (itself a draft) one published.
    fn projection() -> Projection {
        let with = |id: i64, org: i64, status: Status| {
            let mut f = facts(id);
            f.organisations = vec![OrganisationId(org)];
            f.status = status;
            f
        };
        Projection::new(
            vec![
                with(1, 1, Status::Published),
                with(2, 1, Status::Published),
                with(3, 1, Status::Draft),
                with(4, 2, Status::Published),
                with(5, 3, Status::Published),
            ],
            vec![
                org(1, "Gezondheidsdienst Noord", Status::Published),
                org(2, "Gezondheidsdienst Zuid", Status::Published),
                org(3, "Gezondheidshuis Oost", Status::Draft),
            ],
            vec![],
            vec![],
        )
    }

    fn complete(p: &Projection, prefix: &str, viewer: Viewer) -> Vec<(String, u64, bool)> {
        let index = SearchIndex::in_memory().expect("index");
        let c = Completions::build(&p.completion_sources(), &index);
        let folded = index.fold_prefix(prefix).expect("prefix");
        let mut found = c.complete(&|c| p.carried(c), &folded, &p.visible(viewer));
        found.sort_by(kb_search::rank);
        found
            .into_iter()
            .map(|r| (r.suggestion.text, r.docs, r.at_start))
            .collect()
    }

    #[test]
    fn names_rank_by_the_initiatives_the_viewer_sees() {
        let p = projection();
        assert_eq!(
            complete(&p, "gezond", Viewer::Anonymous),
            vec![
                ("Gezondheidsdienst Noord".to_owned(), 2, true),
                ("Gezondheidsdienst Zuid".to_owned(), 1, true),
            ]
        );
        assert_eq!(
            complete(&p, "GEZÖND", Viewer::Editor),
            vec![
                ("Gezondheidsdienst Noord".to_owned(), 3, true),
                ("Gezondheidsdienst Zuid".to_owned(), 1, true),
            ]
        );
        // A later word completes too, after those matched from the first.
        assert_eq!(
            complete(&p, "zuid", Viewer::Anonymous),
            vec![("Gezondheidsdienst Zuid".to_owned(), 1, false)]
        );
        assert!(complete(&p, "oost", Viewer::Editor).is_empty());
    }
}
