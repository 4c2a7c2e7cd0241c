//! Finding the ids and scores that match a user's text.

use std::cmp::Ordering;
use std::marker::PhantomData;

use kb_domain::InitiativeId;
use kb_domain::lang::Language;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId as Address, Score, SegmentOrdinal, SegmentReader};

use crate::error::SearchError;
use crate::matching::Respelled;
use crate::schema::KEY;
use crate::user_query::UserQuery;
use crate::{DocId, Hit, SearchIndex, Subject, matching};

impl SearchIndex {
    /// Every initiative matching `text`, best first, at most `limit`; equal scores in
    /// order of id. `text` is read as words and quoted phrases (see the crate's doc): every
    /// word must match, in any part of the text.
    ///
    /// Callers that filter the hits afterwards (visibility, facets) ask for all of them
    /// with a `limit` of at least [`len`](Self::len).
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        if limit == 0 {
            // Bad input is reported whatever the limit.
            UserQuery::parse(text, "query")?;
            return Ok(Vec::new());
        }
        let mut hits = self.hits::<InitiativeId>(text, None)?;
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit, best_first);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(best_first);
        Ok(hits)
    }
}

impl SearchIndex {
    /// Every document of type `S` matching `text` with its score, in no particular order:
    /// for callers that filter the hits before they rank a page of them (see
    /// [`best_first`]). A `lang` says which language the text is written in: its words
    /// are then stemmed in that language only (they match as written in any language);
    /// without one, in Dutch and English both.
    pub fn hits<S: Subject>(
        &self,
        text: &str,
        lang: Option<Language>,
    ) -> Result<Vec<Hit<S>>, SearchError> {
        let user_query = UserQuery::parse_in(text, "query", lang)?;
        self.hits_of(&user_query, text, lang, &Respelled::new())
    }

    /// The hits of `text` (parsed as `user_query`) with its unknown words also matched
    /// as `respelled`; kept for the searcher's generation.
    pub(crate) fn hits_of<S: Subject>(
        &self,
        user_query: &UserQuery,
        text: &str,
        lang: Option<Language>,
        respelled: &Respelled,
    ) -> Result<Vec<Hit<S>>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let generation = searcher.generation().generation_id();
        let (lexicon_generation, lexicon) = self.lexicon();
        let mut spelled: Vec<(String, String)> = respelled
            .iter()
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        spelled.sort();
        let key = (S::TYPE, lang, text.to_owned(), lexicon_generation, spelled);
        if let Some(hits) = self.inner.recent.get(generation, &key) {
            return Ok(hits);
        }
        let mut analyzers = self.inner.analyzers.clone();
        let fields = &self.inner.fields;
        let automata = &self.inner.automata;
        let built = matching::build(
            fields,
            &mut analyzers,
            automata,
            &lexicon,
            respelled,
            user_query,
        )?;
        let hits = match built {
            // The collector keeps the documents of the type asked for. (As a clause of
            // the query, the type would add its whole posting list to every search.)
            Some(query) => searcher.search(query.as_ref(), &AllHits(PhantomData))?,
            None => Vec::new(),
        };
        self.inner.recent.keep(generation, key, &hits);
        Ok(hits)
    }
}

/// The order of search results: higher score first, then lower id.
pub fn best_first<S: Ord>(a: &Hit<S>, b: &Hit<S>) -> Ordering {
    b.score.total_cmp(&a.score).then(a.id.cmp(&b.id))
}

/// Collects every matching document's id and score. A result page needs them all anyway:
/// the caller removes what the viewer may not see before it pages.
pub(crate) struct AllHits<S>(pub(crate) PhantomData<S>);

impl<S: Subject> Collector for AllHits<S> {
    type Fruit = Vec<Hit<S>>;
    type Child = SegmentHits<S>;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits<S>> {
        Ok(SegmentHits {
            keys: reader.fast_fields().i64(KEY)?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<Hit<S>>>) -> tantivy::Result<Vec<Hit<S>>> {
        Ok(segments.into_iter().flatten().collect())
    }
}

pub(crate) struct SegmentHits<S> {
    keys: Column<i64>,
    hits: Vec<Hit<S>>,
}

impl<S: Subject> SegmentCollector for SegmentHits<S> {
    type Fruit = Vec<Hit<S>>;

    fn collect(&mut self, doc: Address, score: Score) {
        if let Some(id) = self
            .keys
            .first(doc)
            .and_then(DocId::from_key)
            .filter(|d| d.doc_type == S::TYPE)
        {
            self.hits.push(Hit {
                id: S::from_row(id.id),
                score,
            });
        }
    }

    fn harvest(self) -> Vec<Hit<S>> {
        self.hits
    }
}

#[cfg(test)]
mod tests {
    use kb_domain::InitiativeId;
    use kb_domain::lang::Language;

    use crate::SearchError;
    use crate::fixture::{id_set, ids, index};

    #[test]
    fn a_search_asked_again_is_answered_from_the_kept_hits_until_the_index_changes() {
        let index = index();
        let first = index.hits::<InitiativeId>("studenten", None).expect("hits");
        assert_eq!(index.inner.recent.len(), 1);
        let again = index.hits::<InitiativeId>("studenten", None).expect("hits");
        assert_eq!(again, first);
        assert_eq!(index.inner.recent.len(), 1);
        // Another language, text or type is another search.
        index
            .hits::<InitiativeId>("studenten", Some(Language::En))
            .expect("hits");
        index
            .hits::<kb_domain::EventId>("studenten", None)
            .expect("hits");
        assert_eq!(index.inner.recent.len(), 3);

        // A change becomes visible at the commit, and what was kept goes with it.
        let mut docs = crate::fixture::docs();
        docs.retain(|d| d.id == InitiativeId(1).into());
        docs[0].title = "Buddy's voor eerstejaars".to_owned();
        docs[0].summary = "Elke eerstejaars krijgt een ouderejaars buddy.".to_owned();
        index.upsert(docs).expect("upsert");
        assert_eq!(
            index.hits::<InitiativeId>("studenten", None).expect("hits"),
            first,
            "not committed yet"
        );
        index.commit(11).expect("commit");
        let after = index.hits::<InitiativeId>("studenten", None).expect("hits");
        assert_eq!(index.inner.recent.len(), 1);
        let mut found: Vec<i64> = after.iter().map(|h| h.id.0).collect();
        found.sort();
        assert_eq!(found, vec![4, 7, 8, 9]);
    }

    #[test]
    fn a_dutch_plural_finds_the_singular_in_dutch_text() {
        let index = index();
        // 1 says "student"; 7, 8 and 9 say "studenten"; 4 has the label "Internationale studenten".
        assert_eq!(id_set(&index, "studenten"), vec![1, 4, 7, 8, 9]);
        // 9 says "prestatie" (in "prestatie-eisen"), 2 "prestaties"; 8 has the label
        // "Stress en prestatiedruk", a compound of "prestatie".
        assert_eq!(id_set(&index, "prestaties"), vec![2, 8, 9]);
    }

    #[test]
    fn an_english_plural_finds_the_singular_in_english_text() {
        let index = index();
        // 5 says only "student"; 4 and 10 "students"; 1 is Dutch "student", which the
        // Dutch stemmer also makes of "students".
        assert_eq!(id_set(&index, "students"), vec![1, 4, 5, 10]);
        assert_eq!(id_set(&index, "toolkits"), vec![5]);
    }

    #[test]
    fn diacritics_are_ignored_both_ways() {
        let index = index();
        // 3 writes "suïcide", 5 "suicide".
        assert_eq!(id_set(&index, "suicide"), vec![3, 5]);
        assert_eq!(id_set(&index, "suïcide"), vec![3, 5]);
        assert_eq!(ids(&index, "regenboogcafe"), vec![7]);
        assert_eq!(ids(&index, "SUÏCIDEPREVENTIE campus"), vec![3]);
    }

    #[test]
    fn a_synonym_among_the_labels_finds_the_initiative() {
        let index = index();
        assert_eq!(ids(&index, "LHBTI"), vec![7]);
        assert_eq!(ids(&index, "lhbti"), vec![7]);
        assert_eq!(ids(&index, "eenzaamheid"), vec![1]);
    }

    #[test]
    fn a_word_of_five_or_more_letters_matches_with_one_typo() {
        let index = index();
        // 2 and 8 carry "prestatiedruk" (8 through its label).
        assert_eq!(id_set(&index, "prestatiedruk"), vec![2, 8]);
        assert_eq!(id_set(&index, "prestatiedrok"), vec![2, 8]);
        assert_eq!(id_set(&index, "prestatidruk"), vec![2, 8]);
        assert_eq!(id_set(&index, "perstatiedruk"), vec![2, 8]);
        assert_eq!(id_set(&index, "prestatiedruk campus"), Vec::<i64>::new());
    }

    #[test]
    fn a_word_of_four_letters_with_a_typo_does_not_match() {
        let index = index();
        assert_eq!(ids(&index, "geld"), vec![6]);
        assert_eq!(ids(&index, "gelt"), Vec::<i64>::new());
        assert_eq!(ids(&index, "gelt spreekuur"), Vec::<i64>::new());
    }

    #[test]
    fn the_last_word_also_matches_as_a_prefix() {
        let index = index();
        // "prestatiedruk" (2, 8), "prestaties" (2), "prestatie" (9).
        assert_eq!(id_set(&index, "prest"), vec![2, 8, 9]);
        assert_eq!(ids(&index, "omgaan prest"), vec![2]);
        // Only the last word: "prest" before another word must be a whole word.
        assert_eq!(ids(&index, "prest omgaan"), Vec::<i64>::new());
        // Not in quotes.
        assert_eq!(ids(&index, "\"prest\""), Vec::<i64>::new());
    }

    #[test]
    fn a_quoted_phrase_matches_only_the_words_in_that_order() {
        let index = index();
        // 1 says "sociale steun"; 2 says "Sociale contacten en de steun".
        assert_eq!(id_set(&index, "sociale steun"), vec![1, 2]);
        assert_eq!(ids(&index, "\"sociale steun\""), vec![1]);
        assert_eq!(ids(&index, "\"steun sociale\""), Vec::<i64>::new());
        assert_eq!(ids(&index, "„sociale steun” buddy"), vec![1]);
    }

    #[test]
    fn a_stop_word_is_not_required_to_match() {
        let index = index();
        assert_eq!(ids(&index, "geldzorgen de"), vec![6]);
        assert_eq!(ids(&index, "the mindfulness"), vec![10, 8]);
    }

    #[test]
    fn hostile_input_gives_results_or_bad_input_never_an_internal_error() {
        let index = index();
        let long = "a".repeat(10_000);
        let words = "woord ".repeat(40);
        let inputs = [
            "*",
            "title:x",
            "\"unbalanced",
            &long,
            "\0",
            "((((",
            "AND OR NOT",
            "a\0b",
            "\"",
            "\"\"\"",
            "-",
            "~2",
            "[1 TO 5]",
            "body_nl:student^10",
            "\u{202e}\u{200b}",
            "🦄",
            &words,
            "\\",
            "%00",
            "' OR 1=1 --",
        ];
        for text in inputs {
            match index.search(text, 10) {
                Ok(_) | Err(SearchError::BadInput { field: "query", .. }) => {}
                Err(e) => panic!("{text:?} gave {e}"),
            }
        }
        assert!(matches!(
            index.search("*", 10),
            Err(SearchError::BadInput { .. })
        ));
        assert!(matches!(
            index.search(&long, 10),
            Err(SearchError::BadInput { .. })
        ));
        assert!(matches!(
            index.search("\0", 10),
            Err(SearchError::BadInput { .. })
        ));
        assert_eq!(ids(&index, "title:x"), Vec::<i64>::new());
        assert_eq!(ids(&index, "\"unbalanced"), Vec::<i64>::new());
        // "and" is an English stop word: optional, so the labels with "and" match.
        assert_eq!(id_set(&index, "AND OR NOT"), vec![1, 2, 8]);
        assert_eq!(ids(&index, "title:mindfulness"), Vec::<i64>::new());
        assert_eq!(ids(&index, "mindfulness*"), vec![10, 8]);
    }

    #[test]
    fn random_text_gives_results_or_bad_input_in_search_snippets_and_suggestions() {
        let index = index();
        let alphabet: Vec<char> =
            "ab zé\"“”„*:()[]{}^~-+!?\\/'\0\t\n\u{7f}\u{308}\u{200b}\u{202e}🦄北ß0"
                .chars()
                .collect();
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for _ in 0..500 {
            let len = next(40);
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let ok = |r: Result<(), SearchError>| match r {
                Ok(()) | Err(SearchError::BadInput { .. }) => {}
                Err(e) => panic!("{text:?} gave {e}"),
            };
            ok(index.search(&text, 10).map(drop));
            ok(index
                .snippets(&text, None, &[InitiativeId(1), InitiativeId(9)])
                .map(drop));
            ok(index.suggest(&text, 10).map(drop));
        }
    }

    #[test]
    fn a_title_match_ranks_above_a_body_only_match() {
        let index = index();
        // 10 has "Mindfulness" in its title, 8 in its body.
        assert_eq!(ids(&index, "mindfulness"), vec![10, 8]);
        // 3 has "Docenten" in its summary, 2 in its body.
        assert_eq!(ids(&index, "docenten"), vec![3, 2]);
    }

    #[test]
    fn a_label_match_ranks_above_a_summary_match() {
        let index = index();
        // 7 has "studenten" in its title, 4 in a label, 8 and 9 in their summaries,
        // 1 only "student" in its summary.
        assert_eq!(ids(&index, "studenten"), vec![7, 4, 8, 9, 1]);
    }

    #[test]
    fn hits_are_best_first_and_cut_at_the_limit() {
        let index = index();
        let hits = index.search("studenten", 2).expect("search");
        assert_eq!(hits.iter().map(|h| h.id.0).collect::<Vec<_>>(), vec![7, 4]);
        assert!(hits[0].score > hits[1].score);
        assert_eq!(index.search("studenten", 0).expect("search"), vec![]);
        assert_eq!(
            index.search("studenten", usize::MAX).expect("search").len(),
            5
        );
    }

    /// The fixture with an event and an organisation whose row ids are those of
    /// initiatives 1 and 2, and which say "buddy" and "studenten" like them.
    fn with_other_types() -> crate::SearchIndex {
        use crate::SearchDoc;
        use kb_domain::{EventId, OrganisationId};
        let index = index();
        let event = SearchDoc {
            title_en: None,
            summary_en: None,
            id: EventId(1).into(),
            languages: vec![],
            title: "Netwerkdag buddy-projecten".into(),
            summary: "Studenten en docenten delen ervaringen.".into(),
            body: Some("Demostad, aula".into()),
            organisations: vec!["Hogeschool Demostad".into()],
            labels: vec!["Sociale verbondenheid".into()],
        };
        let organisation = SearchDoc {
            title_en: None,
            summary_en: None,
            id: OrganisationId(2).into(),
            languages: vec![],
            title: "Studentenvereniging Voorbeeldhaven".into(),
            summary: "Een vereniging voor internationale studenten.".into(),
            body: Some("An association for international students.".into()),
            organisations: vec![],
            labels: vec!["Studentenorganisatie".into(), "Voorbeeldhaven".into()],
        };
        index.upsert(vec![event, organisation]).expect("upsert");
        index.commit(100).expect("commit");
        index
    }

    fn of<S: crate::Subject>(index: &crate::SearchIndex, text: &str) -> Vec<S> {
        let mut hits = index.hits::<S>(text, None).expect("search");
        hits.sort_by(crate::best_first);
        hits.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn events_and_organisations_are_found_as_their_own_types_only() {
        use kb_domain::{EventId, OrganisationId};
        let index = with_other_types();
        assert_eq!(index.len(), 12);
        // Initiative searches are as before: neither the event nor the organisation.
        assert_eq!(id_set(&index, "buddy"), vec![1]);
        assert_eq!(id_set(&index, "netwerkdag"), Vec::<i64>::new());
        assert_eq!(of::<EventId>(&index, "netwerkdag"), vec![EventId(1)]);
        assert_eq!(of::<EventId>(&index, "buddy"), vec![EventId(1)]);
        assert_eq!(of::<OrganisationId>(&index, "buddy"), vec![]);
        // Stemming, typos and prefixes work for every type.
        assert_eq!(
            of::<OrganisationId>(&index, "verenigingen"),
            vec![OrganisationId(2)]
        );
        assert_eq!(
            of::<OrganisationId>(&index, "voorbeeldhavn"),
            vec![OrganisationId(2)]
        );
        assert_eq!(of::<EventId>(&index, "netwerk"), vec![EventId(1)]);
        // A type's row ids are its own: deleting event 1 leaves initiative 1.
        index.delete(&[EventId(1)]).expect("delete");
        index.commit(101).expect("commit");
        assert_eq!(of::<EventId>(&index, "buddy"), vec![]);
        assert_eq!(id_set(&index, "buddy"), vec![1]);
        // Snippets of other types come from their own documents.
        let s = index
            .snippets("vereniging", None, &[OrganisationId(2)])
            .expect("snippets");
        assert_eq!(
            s[&OrganisationId(2)].text,
            "Een <mark>vereniging</mark> voor internationale studenten."
        );
        // No completions come from them.
        let titles = index.suggest_titles("netwerkdag", 5).expect("suggest");
        assert!(titles.is_empty(), "{titles:?}");
    }

    #[test]
    fn a_query_in_one_language_is_stemmed_in_that_language_only() {
        use kb_domain::lang::Language;
        let index = index();
        let found = |text: &str, lang| {
            let mut ids: Vec<i64> = index
                .hits::<InitiativeId>(text, lang)
                .expect("search")
                .into_iter()
                .map(|h| h.id.0)
                .collect();
            ids.sort();
            ids
        };
        // "student" is one typo from "students" in any language: no test of stemming.
        assert_eq!(found("students", Some(Language::Nl)), vec![1, 4, 5, 10]);
        // Dutch plural to singular (1 says "student"), only when the query is read as
        // Dutch or in both languages; as written, "studenten" is in 4, 7, 8 and 9.
        assert_eq!(found("studenten", None), vec![1, 4, 7, 8, 9]);
        assert_eq!(found("studenten", Some(Language::Nl)), vec![1, 4, 7, 8, 9]);
        assert_eq!(found("studenten", Some(Language::En)), vec![4, 7, 8, 9]);
        // "the" is a stop word in English, an ordinary word in Dutch.
        assert_eq!(found("the mindfulness", Some(Language::En)), vec![8, 10]);
    }

    #[test]
    fn a_word_too_long_to_be_indexed_finds_nothing() {
        let index = index();
        assert_eq!(ids(&index, &"x".repeat(100)), Vec::<i64>::new());
    }
}
