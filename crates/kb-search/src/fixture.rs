//! Ten fictional initiatives for the tests, by fictional organisations ("Demostad",
//! "Voorbeeldhaven", "Exampleton"). Each text is written for the tests that use it; the
//! comments say which words matter where.

use kb_domain::{InitiativeId, LexiconEntry};

use crate::{SearchDoc, SearchIndex};

fn doc(
    id: i64,
    languages: &[&str],
    title: &str,
    summary: &str,
    body: Option<&str>,
    organisations: &[&str],
    labels: &[&str],
) -> SearchDoc {
    let strings = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
    SearchDoc {
        title_en: None,
        summary_en: None,
        id: InitiativeId(id).into(),
        languages: strings(languages),
        title: title.to_owned(),
        summary: summary.to_owned(),
        body: body.map(str::to_owned),
        organisations: strings(organisations),
        labels: strings(labels),
    }
}

/// The labels of the taxonomy's topics, in both languages with their synonyms.
const SOCIAL: &[&str] = &[
    "Sociale verbondenheid",
    "Social connection and belonging",
    "eenzaamheid",
    "loneliness",
    "erbij horen",
];
const PRESSURE: &[&str] = &[
    "Stress en prestatiedruk",
    "Stress and performance pressure",
    "studiestress",
    "faalangst",
    "burn-out",
];
const SUICIDE: &[&str] = &[
    "Suïcidepreventie",
    "Suicide prevention",
    "zelfdoding",
    "113",
];
const LGBTQIA: &[&str] = &[
    "LGBTQIA2S+",
    "LHBTI",
    "LHBTIQ+",
    "queer",
    "genderdiversiteit",
];
const MONEY: &[&str] = &[
    "Financiële problemen",
    "Financial problems",
    "geldzorgen",
    "schulden",
    "studieschuld",
];
const INTERNATIONAL: &[&str] = &[
    "Internationale studenten",
    "International students",
    "buitenlandse studenten",
];

/// The documents: ids 1 to 10.
pub(crate) fn docs() -> Vec<SearchDoc> {
    vec![
        // "student" (singular, Dutch); the exact phrase "sociale steun"; "eenzaamheid" only as a label.
        doc(
            1,
            &["nl"],
            "Buddyprogramma voor eerstejaars",
            "Elke eerstejaars student krijgt een ouderejaars buddy.",
            Some(
                "Een **buddy** biedt sociale steun in de eerste weken. Zie [de site](https://demostad.example/buddy).",
            ),
            &["Hogeschool Demostad"],
            SOCIAL,
        ),
        // "prestatiedruk", "prestaties"; "sociale" and "steun" apart.
        doc(
            2,
            &["nl"],
            "Omgaan met prestatiedruk",
            "Een training over prestaties, faalangst en perfectionisme.",
            Some("Sociale contacten en de steun van docenten helpen."),
            &["Universiteit van Voorbeeldhaven"],
            PRESSURE,
        ),
        // "suïcide" with its diaeresis; "docenten".
        doc(
            3,
            &["nl"],
            "Suïcidepreventie op de campus",
            "Docenten leren signalen van suïcide herkennen en het gesprek aangaan.",
            None,
            &["Stichting Fictief Welzijn"],
            SUICIDE,
        ),
        // English "students".
        doc(
            4,
            &["en"],
            "Peer support for international students",
            "Students meet every week with a trained peer.",
            None,
            &["University of Exampleton"],
            INTERNATIONAL,
        ),
        // "suicide" without a diaeresis; English "student", singular only.
        doc(
            5,
            &["en"],
            "Suicide prevention toolkit",
            "A guide for staff on how to talk about suicide with a student.",
            None,
            &["University of Exampleton"],
            SUICIDE,
        ),
        // "geld" (four letters) and "geldzorgen".
        doc(
            6,
            &["nl"],
            "Geldzorgen? Praat erover",
            "Een spreekuur over geld en schulden.",
            None,
            &["Hogeschool Demostad"],
            MONEY,
        ),
        // "LHBTI" only as a label.
        doc(
            7,
            &["nl", "en"],
            "Regenboogcafé voor queer studenten",
            "Elke maand een avond om elkaar te ontmoeten.",
            None,
            &["Studentenvereniging Fictief"],
            LGBTQIA,
        ),
        // "mindfulness" in the body only; a title starting with "Stud".
        doc(
            8,
            &["nl"],
            "Studiekeuzecheck met welzijnsvragen",
            "Aankomende studenten beantwoorden vragen over hun welzijn.",
            Some("Wie twijfelt, krijgt een gesprek en een korte mindfulness oefening."),
            &["Hogeschool Demostad"],
            PRESSURE,
        ),
        // A title with markup; "prestatie" singular.
        doc(
            9,
            &["nl"],
            "<script>alert('x')</script> Mentorgesprekken",
            "Mentoren praten met studenten over welzijn & voortgang, zonder prestatie-eisen.",
            None,
            &["Universiteit van Voorbeeldhaven"],
            &[],
        ),
        // "mindfulness" in the title.
        doc(
            10,
            &["en"],
            "Mindfulness for students",
            "An eight week course in the evening.",
            None,
            &["University of Exampleton"],
            &[],
        ),
    ]
}

/// An in-memory index holding [`docs`], committed at change-log position 10.
pub(crate) fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("an index in memory");
    index.upsert(docs()).expect("upsert");
    index.commit(10).expect("commit");
    index
}

/// The ids that `text` finds, best first.
pub(crate) fn ids(index: &SearchIndex, text: &str) -> Vec<i64> {
    let hits = index.search(text, 100).expect("search");
    hits.into_iter().map(|h| h.id.0).collect()
}

/// The ids that `text` finds, in order of id.
pub(crate) fn id_set(index: &SearchIndex, text: &str) -> Vec<i64> {
    let mut ids = ids(index, text);
    ids.sort();
    ids
}

/// A lexicon entry of `code` with its Dutch and English terms.
pub(crate) fn lexicon_entry(code: &str, nl: &[&str], en: &[&str]) -> LexiconEntry {
    let list = |l: &[&str]| l.iter().map(|t| t.to_string()).collect();
    LexiconEntry {
        code: code.to_owned(),
        nl: list(nl),
        en: list(en),
    }
}
