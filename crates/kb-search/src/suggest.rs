//! Suggestions: completions of what a user is typing, from the titles, labels and
//! organisation names the index holds. A walk over the completion keys (see
//! `completion_keys`) that start with the folded prefix gives each text, its kind, and
//! (through the postings) the live documents that carry it; no query is run.

use std::collections::HashMap;

use crate::index::live_docs;
use kb_domain::InitiativeId;
use roaring::RoaringBitmap;
use tantivy::schema::IndexRecordOption;

use crate::completion_keys::{
    self, KEY_CHARS, SHARED, TITLE_STARTS, TITLE_WORDS, clean, parse_key,
};
use crate::error::SearchError;
use crate::schema::KEY;
use crate::{DocId, DocType};
use crate::{SearchIndex, Suggestion, SuggestionKind};

/// Longest prefix accepted, in characters.
pub const MAX_PREFIX_CHARS: usize = 100;
/// Most keys of labels and organisation names one suggestion walks. A short prefix on a
/// large index stops there, and its completions then come from the first keys in
/// alphabetical order. Titles are walked only as far as the suggestions need.
const MAX_KEYS_WALKED: usize = 2_000;

/// A text found by its completion keys: the documents that carry it (numbered across
/// the searcher's segments), and whether the prefix matched its first word.
#[derive(Default)]
struct Found {
    docs: RoaringBitmap,
    at_start: bool,
}

/// The texts of one suggestion, merged.
#[derive(Default)]
struct Merged {
    docs: RoaringBitmap,
    at_start: bool,
    /// Each spelling, with how many documents use it.
    spellings: HashMap<String, usize>,
}

/// A text found by a kind, an id for initiatives, and the text as written.
type FoundKey = (SuggestionKind, Option<i64>, String);

/// A completion with what ranks it among others.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub suggestion: Suggestion,
    /// How many documents carry it.
    pub docs: u64,
    /// Whether the prefix matched its first word.
    pub at_start: bool,
    /// Its folded words.
    pub folded: String,
}

/// The order of completions: carried by more documents first, then those whose first
/// word matched, then by their folded words, kind and initiative.
pub fn rank(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    (b.docs, b.at_start)
        .cmp(&(a.docs, a.at_start))
        .then_with(|| a.folded.cmp(&b.folded))
        .then_with(|| a.suggestion.kind.cmp(&b.suggestion.kind))
        .then_with(|| a.suggestion.id.cmp(&b.suggestion.id))
}

impl SearchIndex {
    /// Up to `limit` completions of `prefix` (case and diacritics ignored): initiative
    /// titles, labels and organisation names in the index that have a word starting with
    /// it (a prefix of several words matches words in a row). Each text once per kind (a
    /// title once per initiative), most documents first, then those whose first word
    /// matched, then alphabetically.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        let mut ranked = self.ranked(prefix, limit, true)?;
        ranked.sort_by(rank);
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|r| r.suggestion)
            .collect())
    }

    /// Completions of `prefix` among initiative titles only, at most `limit` of those that
    /// match from their first word and `limit` of the others, with what ranks them: for
    /// callers that hold the labels and names themselves (see [`completion_starts`]).
    pub fn suggest_titles(&self, prefix: &str, limit: usize) -> Result<Vec<Ranked>, SearchError> {
        self.ranked(prefix, limit, false)
    }

    /// `prefix` as completions compare it: folded words, at most [`KEY_CHARS`]
    /// characters; bad input when it is empty, too long or holds no letters or digits.
    pub fn fold_prefix(&self, prefix: &str) -> Result<String, SearchError> {
        let cleaned = clean(prefix, usize::MAX);
        if cleaned.is_empty() {
            return Err(SearchError::bad_input("prefix", "the prefix is empty"));
        }
        if cleaned.chars().count() > MAX_PREFIX_CHARS {
            return Err(SearchError::bad_input(
                "prefix",
                format!("the prefix is longer than {MAX_PREFIX_CHARS} characters"),
            ));
        }
        let mut analyzers = self.inner.analyzers.clone();
        let folded: String = analyzers
            .folded_words(&cleaned)
            .join(" ")
            .chars()
            .take(KEY_CHARS)
            .collect();
        if folded.is_empty() {
            return Err(SearchError::bad_input(
                "prefix",
                "the prefix holds no letters or digits",
            ));
        }
        Ok(folded)
    }

    /// A text as completions show it, and the folded words completions of it start with
    /// (each with whether it is the text's first word): what the index's own completion
    /// keys hold, for callers that complete texts they hold themselves.
    pub fn completion_starts(&self, text: &str) -> (String, Vec<(String, bool)>) {
        let mut analyzers = self.inner.analyzers.clone();
        completion_keys::completion_starts(&mut analyzers, text)
    }

    /// The completions of `prefix`, of labels and names too with `shared`, unranked.
    fn ranked(&self, prefix: &str, limit: usize, shared: bool) -> Result<Vec<Ranked>, SearchError> {
        let folded = self.fold_prefix(prefix)?;
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut analyzers = self.inner.analyzers.clone();
        // Texts that differ only in case or diacritics ("Mentale gezondheid", "mentale
        // gezondheid") are one suggestion, shown in the spelling most documents use.
        let mut merged: HashMap<(SuggestionKind, Option<i64>, String), Merged> = HashMap::new();
        for ((kind, id, text), found) in self.walk_keys(&folded, limit, shared)? {
            let folded_text = analyzers.folded_words(&text).join(" ");
            let m = merged.entry((kind, id, folded_text)).or_default();
            *m.spellings.entry(text).or_default() += found.docs.len() as usize;
            m.docs |= found.docs;
            m.at_start |= found.at_start;
        }
        Ok(merged
            .into_iter()
            .filter_map(|((kind, id, folded), m)| {
                // The most used spelling; the first in byte order on ties.
                let (text, _) = m
                    .spellings
                    .into_iter()
                    .max_by(|(s, n), (t, k)| n.cmp(k).then_with(|| t.cmp(s)))?;
                Some(Ranked {
                    suggestion: Suggestion {
                        text,
                        kind,
                        id: id.map(InitiativeId),
                    },
                    docs: m.docs.len(),
                    at_start: m.at_start,
                    folded,
                })
            })
            .collect())
    }

    /// The keys starting with `folded`, as their text (with kind, and id for an
    /// initiative) and the live documents that carry it: every label and organisation
    /// name (up to [`MAX_KEYS_WALKED`]), and of each segment the first `titles` titles
    /// matching from their first word and the first `titles` matching from a later one.
    fn walk_keys(
        &self,
        folded: &str,
        titles: usize,
        shared: bool,
    ) -> Result<HashMap<FoundKey, Found>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let mut out: HashMap<FoundKey, Found> = HashMap::new();
        // Documents are numbered across segments: each segment's from where the previous
        // one ends.
        let mut base: u32 = 0;
        for segment in searcher.segment_readers() {
            let first = base;
            base = base.saturating_add(segment.max_doc());
            let doc_keys = segment.fast_fields().i64(KEY)?;
            let inverted = segment.inverted_index(self.inner.fields.suggest)?;
            let shared_keys = if shared { MAX_KEYS_WALKED } else { 0 };
            for (class, most) in [
                (SHARED, shared_keys),
                (TITLE_STARTS, titles),
                (TITLE_WORDS, titles),
            ] {
                let mut start = vec![class];
                start.extend_from_slice(folded.as_bytes());
                let mut keys = inverted.terms().range().ge(&start).into_stream()?;
                // Keys of deleted documents stay until segments merge: walk a few more.
                let (mut taken, mut walked) = (0, 0);
                while taken < most && walked < most.saturating_mul(2) && keys.advance() {
                    walked += 1;
                    let key = keys.key();
                    if !key.starts_with(&start) {
                        break;
                    }
                    let Some((kind, at_start, text)) = parse_key(key) else {
                        continue;
                    };
                    let mut postings = inverted
                        .read_postings_from_terminfo(keys.value(), IndexRecordOption::Basic)?;
                    // A title is one initiative's; a label or a name is shared by many
                    // documents, gathered first and filed once.
                    let mut docs: Vec<u32> = Vec::new();
                    for doc in live_docs(&mut postings, segment) {
                        let global = first.saturating_add(doc);
                        let id = doc_keys
                            .first(doc)
                            .and_then(DocId::from_key)
                            .filter(|d| d.doc_type == DocType::Initiative)
                            .map(|d| d.id);
                        match (kind, id) {
                            (SuggestionKind::Initiative, Some(id)) => {
                                let found =
                                    out.entry((kind, Some(id), text.to_owned())).or_default();
                                found.docs.insert(global);
                                found.at_start |= at_start;
                                taken += 1;
                            }
                            (SuggestionKind::Initiative, None) => {}
                            _ => docs.push(global),
                        }
                    }
                    if !docs.is_empty() {
                        let found = out.entry((kind, None, text.to_owned())).or_default();
                        // Postings come in document order: the bitmap is built in bulk.
                        found.docs |= match RoaringBitmap::from_sorted_iter(docs.iter().copied()) {
                            Ok(sorted) => sorted,
                            Err(_) => docs.into_iter().collect(),
                        };
                        found.at_start |= at_start;
                        taken += 1;
                    }
                }
                if taken >= most && class == SHARED {
                    tracing::debug!(
                        prefix = folded,
                        "suggestions stopped after {MAX_KEYS_WALKED} labels and names"
                    );
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SearchDoc;
    use crate::fixture::index;
    use SuggestionKind::{Initiative, Organisation, Topic};

    fn suggest(
        index: &SearchIndex,
        prefix: &str,
        limit: usize,
    ) -> Vec<(String, SuggestionKind, Option<i64>)> {
        let all = index.suggest(prefix, limit).expect("suggest");
        all.into_iter()
            .map(|s| (s.text, s.kind, s.id.map(|i| i.0)))
            .collect()
    }

    fn s(
        text: &str,
        kind: SuggestionKind,
        id: Option<i64>,
    ) -> (String, SuggestionKind, Option<i64>) {
        (text.to_owned(), kind, id)
    }

    fn bad_input_message(index: &SearchIndex, prefix: &str) -> String {
        match index.suggest(prefix, 10) {
            Err(SearchError::BadInput {
                field: "prefix",
                message,
            }) => message,
            other => panic!("{prefix:?} gave {other:?}"),
        }
    }

    #[test]
    fn a_prefix_completes_to_titles_labels_and_names_most_documents_first() {
        let index = index();
        let expected = vec![
            // On two initiatives (2 and 8).
            s("studiestress", Topic, None),
            // On one each; the text starts with the prefix.
            s("Studentenvereniging Fictief", Organisation, None),
            s("Studiekeuzecheck met welzijnsvragen", Initiative, Some(8)),
            s("studieschuld", Topic, None),
            // A later word starts with it.
            s("buitenlandse studenten", Topic, None),
            s("International students", Topic, None),
            s("Internationale studenten", Topic, None),
            s("Mindfulness for students", Initiative, Some(10)),
            s(
                "Peer support for international students",
                Initiative,
                Some(4),
            ),
            s("Regenboogcafé voor queer studenten", Initiative, Some(7)),
        ];
        assert_eq!(suggest(&index, "stud", 20), expected);
        assert_eq!(suggest(&index, "STUD", 20), expected);
        assert_eq!(suggest(&index, " Stüd", 20), expected);
        assert_eq!(suggest(&index, "stud", 3), expected[..3].to_vec());
    }

    #[test]
    fn a_prefix_of_several_words_matches_words_in_a_row() {
        let index = index();
        assert_eq!(
            suggest(&index, "stress en p", 10),
            vec![s("Stress en prestatiedruk", Topic, None)]
        );
        assert_eq!(
            suggest(&index, "prestatie", 10),
            vec![
                s("Stress en prestatiedruk", Topic, None),
                s("Omgaan met prestatiedruk", Initiative, Some(2)),
            ]
        );
        assert_eq!(
            suggest(&index, "suicide", 10),
            vec![
                s("Suicide prevention", Topic, None),
                s("Suïcidepreventie", Topic, None),
                s("Suicide prevention toolkit", Initiative, Some(5)),
                s("Suïcidepreventie op de campus", Initiative, Some(3)),
            ]
        );
    }

    #[test]
    fn texts_differing_in_case_or_diacritics_are_one_suggestion_in_the_most_used_spelling() {
        let index = SearchIndex::in_memory().expect("index");
        let doc = |id: i64, label: &str| SearchDoc {
            title_en: None,
            summary_en: None,
            id: InitiativeId(id).into(),
            languages: vec!["nl".into()],
            title: format!("Initiatief {id}"),
            summary: String::new(),
            body: None,
            organisations: vec![],
            labels: vec![label.into()],
        };
        index
            .upsert(vec![
                doc(1, "Mentale gezondheid"),
                doc(2, "mentale gezondheid"),
                doc(3, "Mentale gezondheid"),
                doc(4, "Méntale  gezondheid"),
            ])
            .expect("upsert");
        index.commit(1).expect("commit");
        assert_eq!(
            suggest(&index, "ment", 10),
            vec![s("Mentale gezondheid", Topic, None)]
        );
    }

    #[test]
    fn deleted_documents_no_longer_suggest_their_texts() {
        let index = index();
        index.delete(&[InitiativeId(8)]).expect("delete");
        index.commit(11).expect("commit");
        assert_eq!(
            suggest(&index, "studi", 10),
            vec![
                s("studieschuld", Topic, None),
                s("studiestress", Topic, None),
            ]
        );
    }

    #[test]
    fn an_empty_or_wordless_or_long_prefix_is_bad_input() {
        let index = index();
        assert_eq!(bad_input_message(&index, ""), "the prefix is empty");
        assert_eq!(bad_input_message(&index, " \0 "), "the prefix is empty");
        assert_eq!(
            bad_input_message(&index, "*"),
            "the prefix holds no letters or digits"
        );
        assert_eq!(
            bad_input_message(&index, &"a".repeat(101)),
            "the prefix is longer than 100 characters"
        );
        assert_eq!(suggest(&index, "stud", 0), vec![]);
        assert_eq!(suggest(&index, "title:", 10), vec![]);
        assert_eq!(suggest(&index, "xyz", 10), vec![]);
    }
}
