//! Searches that find documents through the lexicon's equivalents: across languages,
//! for multi-word terms, below the word itself, and with a change of lexicon taking
//! effect at once.

use kb_domain::InitiativeId;

use crate::fixture::lexicon_entry;
use crate::{Lexicon, SearchDoc, SearchIndex};

fn doc(id: i64, language: &str, title: &str, summary: &str) -> SearchDoc {
    SearchDoc {
        id: InitiativeId(id).into(),
        languages: vec![language.to_owned()],
        title: title.to_owned(),
        summary: summary.to_owned(),
        title_en: None,
        summary_en: None,
        body: None,
        organisations: vec![],
        labels: vec![],
    }
}

fn lexicon() -> Lexicon {
    Lexicon::new(&[
        lexicon_entry(
            "suicide",
            &["suïcide", "suicide", "zelfmoord", "zelfdoding"],
            &["suicide"],
        ),
        lexicon_entry(
            "exam_anxiety",
            &["tentamenstress", "examenvrees"],
            &["exam anxiety", "test anxiety"],
        ),
        lexicon_entry("money_worries", &["geldzorgen"], &["money worries"]),
    ])
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    index
        .upsert(vec![
            doc(
                1,
                "nl",
                "Minder tentamenstress",
                "Rustig de tentamenweek door met een plan.",
            ),
            doc(2, "en", "Exam anxiety course", "Six evenings for students."),
            doc(
                3,
                "nl",
                "Signalen herkennen",
                "Docenten praten over suïcide.",
            ),
            doc(
                4,
                "nl",
                "Het gesprek aangaan",
                "Studenten praten over zelfmoord.",
            ),
            doc(
                5,
                "en",
                "Before the exam",
                "Anxiety is normal; the exam is not everything.",
            ),
            doc(6, "nl", "Spreekuur", "Hulp bij geldzorgen en schulden."),
        ])
        .expect("upsert");
    index.commit(1).expect("commit");
    index
}

fn ids(index: &SearchIndex, text: &str) -> Vec<i64> {
    let hits = index.search(text, 100).expect("search");
    hits.into_iter().map(|h| h.id.0).collect()
}

#[test]
fn an_everyday_word_finds_the_documents_of_its_equivalents_below_its_own() {
    let index = index();
    assert_eq!(ids(&index, "zelfmoord"), vec![4]);
    index.set_lexicon(lexicon());
    assert_eq!(ids(&index, "zelfmoord"), vec![4, 3]);
    assert_eq!(ids(&index, "suïcide"), vec![3, 4]);
    let hits = index.search("zelfmoord", 10).expect("search");
    assert!(hits[0].score > hits[1].score, "{hits:?}");
}

#[test]
fn a_multi_word_english_term_finds_the_dutch_compound_and_the_other_way_round() {
    let index = index();
    index.set_lexicon(lexicon());
    // 2 says "exam anxiety", 5 has both words apart (still required as before), 1 says
    // "tentamenstress".
    let found = ids(&index, "exam anxiety");
    assert_eq!(found[0], 2);
    let mut all = found.clone();
    all.sort();
    assert_eq!(all, vec![1, 2, 5]);
    assert_eq!(ids(&index, "tentamenstress"), vec![1, 2]);
    assert_eq!(ids(&index, "money worries"), vec![6]);
    // A word that is only part of a term finds nothing more.
    assert_eq!(ids(&index, "anxiety"), vec![2, 5]);
}

#[test]
fn the_words_of_a_term_still_combine_with_the_other_words_of_the_query() {
    let index = index();
    index.set_lexicon(lexicon());
    assert_eq!(ids(&index, "docenten zelfmoord"), vec![3]);
    assert_eq!(ids(&index, "exam anxiety course"), vec![2]);
}

#[test]
fn a_change_of_lexicon_is_used_by_the_next_search_kept_hits_and_all() {
    let index = index();
    assert_eq!(ids(&index, "tentamenstress"), vec![1]);
    index.set_lexicon(lexicon());
    assert_eq!(ids(&index, "tentamenstress"), vec![1, 2]);
    assert_eq!(index.inner.recent.len(), 1);
    index.set_lexicon(Lexicon::default());
    assert_eq!(index.inner.recent.len(), 0);
    assert_eq!(ids(&index, "tentamenstress"), vec![1]);
    assert!(index.current_lexicon().is_empty());
}

#[test]
fn snippets_mark_the_equivalents_a_search_found() {
    let index = index();
    index.set_lexicon(lexicon());
    let ids = [InitiativeId(3), InitiativeId(2)];
    let snippets = index.snippets("zelfmoord", None, &ids).expect("snippets");
    assert_eq!(
        snippets[&InitiativeId(3)].text,
        "Docenten praten over <mark>suïcide</mark>."
    );
    let snippets = index
        .snippets("tentamenstress", None, &ids)
        .expect("snippets");
    assert_eq!(
        snippets[&InitiativeId(2)].title,
        "<mark>Exam anxiety</mark> course"
    );
}
