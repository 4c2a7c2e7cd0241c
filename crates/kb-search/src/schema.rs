//! The fields of the index and how a [`SearchDoc`] fills them.
//!
//! Each part of an initiative's text (title, labels, summary, organisations, body) is
//! indexed three times: stemmed as Dutch, stemmed as English (each only when the
//! document's languages call for it, see [`Stemming`]) and unstemmed but folded. The
//! stemmed fields find other forms of a word; the folded field finds exact words,
//! phrases, typos and prefixes. Text stemmed as Dutch has a fourth field, the parts of
//! its compound words (see `decompound`), stemmed as Dutch: "somberheidsklachten" puts
//! "somber" and "klacht" there, so that a search for "somberheid" finds it, with less
//! weight than a whole word. An initiative's English title and summary, when it has
//! them, are a second value of the title and summary parts, stemmed as English only.
//! Title, summary and body are stored (in their folded
//! field) for snippets; the key (type and id) is a fast field for hits and an indexed one
//! for updates, and the type an indexed one that restricts a search to one type.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{TantivyDocument, Term};

use crate::analysis::{Analyzers, DUTCH, ENGLISH, FOLDED, Stemming};
use crate::completion_keys::suggestion_keys;
use crate::plain::plain_text;
use crate::{DocId, DocType, SearchDoc};

/// The parts of an initiative's text, each with its weight in the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Title,
    Labels,
    Summary,
    Organisations,
    Body,
}

impl Part {
    /// Every part, in order of weight.
    pub(crate) const ALL: [Part; 5] = [
        Part::Title,
        Part::Labels,
        Part::Summary,
        Part::Organisations,
        Part::Body,
    ];

    /// How much a match in this part counts, relative to the body. The title names the
    /// initiative; labels are the curated vocabulary (and carry the synonyms); the summary
    /// is written to be found; organisation names say who, not what; the body is long, so
    /// a word there says least.
    pub(crate) const fn boost(self) -> f32 {
        match self {
            Part::Title => 4.0,
            Part::Labels => 3.0,
            Part::Summary => 2.0,
            Part::Organisations => 1.5,
            Part::Body => 1.0,
        }
    }

    const fn name(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Labels => "labels",
            Part::Summary => "summary",
            Part::Organisations => "organisations",
            Part::Body => "body",
        }
    }

    /// Whether the part's text is stored, for snippets.
    const fn stored(self) -> bool {
        matches!(self, Part::Title | Part::Summary | Part::Body)
    }
}

/// The four fields of one part.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PartFields {
    pub(crate) dutch: Field,
    pub(crate) english: Field,
    pub(crate) folded: Field,
    /// The parts of the Dutch text's compound words, stemmed as Dutch.
    pub(crate) compound_parts: Field,
}

/// Every field of the index.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    /// The document's key (see [`DocId::key`]): indexed (to replace and find a document)
    /// and fast (for hits).
    pub(crate) key: Field,
    /// The document's type, indexed. Searches keep the hits of one type by their key
    /// instead (a clause on this field would add its whole posting list to every
    /// search); the field stays so that an index written before reads the same.
    pub(crate) doc_type: Field,
    parts: [PartFields; 5],
    /// Completion keys of titles, labels and organisation names (see `suggest`).
    pub(crate) suggest: Field,
}

/// The key field's name, also the name of its fast column.
pub(crate) const KEY: &str = "key";
const TYPE: &str = "type";
const SUGGEST: &str = "suggest";

impl Fields {
    /// The fields of `part`.
    pub(crate) fn part(&self, part: Part) -> PartFields {
        self.parts[part as usize]
    }

    /// The term that finds the document of `id`.
    pub(crate) fn key_term(&self, id: DocId) -> Term {
        Term::from_field_i64(self.key, id.key())
    }
}

/// The schema of the index and its fields.
pub(crate) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let key = builder.add_i64_field(KEY, INDEXED | FAST);
    let doc_type = builder.add_u64_field(TYPE, INDEXED);
    let text = |analyzer: &str, record: IndexRecordOption, stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let parts = Part::ALL.map(|part| PartFields {
        // Stemmed fields serve single words only: no positions needed.
        dutch: builder.add_text_field(
            &format!("{}_nl", part.name()),
            text(DUTCH, IndexRecordOption::WithFreqs, false),
        ),
        english: builder.add_text_field(
            &format!("{}_en", part.name()),
            text(ENGLISH, IndexRecordOption::WithFreqs, false),
        ),
        folded: builder.add_text_field(
            &format!("{}_folded", part.name()),
            text(
                FOLDED,
                IndexRecordOption::WithFreqsAndPositions,
                part.stored(),
            ),
        ),
        compound_parts: builder.add_text_field(
            &format!("{}_parts", part.name()),
            text(DUTCH, IndexRecordOption::WithFreqs, false),
        ),
    });
    let suggest = builder.add_text_field(SUGGEST, STRING);
    (
        builder.build(),
        Fields {
            key,
            doc_type,
            parts,
            suggest,
        },
    )
}

/// The tantivy document of `doc`.
pub(crate) fn document(
    fields: &Fields,
    analyzers: &mut Analyzers,
    doc: &SearchDoc,
) -> TantivyDocument {
    let stemming = Stemming::for_languages(&doc.languages);
    let body = doc.body.as_deref().map(plain_text);
    let mut out = TantivyDocument::new();
    out.add_i64(fields.key, doc.id.key());
    out.add_u64(fields.doc_type, doc.id.doc_type.tag());
    let mut add = |part: Part, text: &str| {
        let f = fields.part(part);
        if stemming.dutch {
            out.add_text(f.dutch, text);
            let parts = analyzers.compound_parts(text);
            if !parts.is_empty() {
                out.add_text(f.compound_parts, parts);
            }
        }
        if stemming.english {
            out.add_text(f.english, text);
        }
        out.add_text(f.folded, text);
    };
    add(Part::Title, &doc.title);
    add(Part::Summary, &doc.summary);
    if let Some(body) = &body {
        add(Part::Body, body);
    }
    for label in &doc.labels {
        add(Part::Labels, label);
    }
    for organisation in &doc.organisations {
        add(Part::Organisations, organisation);
    }
    // The English texts come second in their folded field (snippets of English searches
    // read them there) and are stemmed as English only, whatever the languages.
    for (part, text) in [
        (Part::Title, &doc.title_en),
        (Part::Summary, &doc.summary_en),
    ] {
        if let Some(text) = text {
            let f = fields.part(part);
            out.add_text(f.english, text);
            out.add_text(f.folded, text);
        }
    }
    // Completions are of initiatives' titles only.
    if doc.id.doc_type == DocType::Initiative {
        for key in suggestion_keys(analyzers, doc) {
            out.add_text(fields.suggest, key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_has_four_fields_per_part_a_key_a_type_and_suggestion_keys() {
        let (schema, fields) = schema();
        assert_eq!(schema.fields().count(), 5 * 4 + 3);
        assert_eq!(
            schema.get_field("summary_parts").ok(),
            Some(fields.part(Part::Summary).compound_parts)
        );
        assert_eq!(
            schema.get_field("title_nl").ok(),
            Some(fields.part(Part::Title).dutch)
        );
        assert_eq!(
            schema.get_field("body_folded").ok(),
            Some(fields.part(Part::Body).folded)
        );
        assert_eq!(schema.get_field(KEY).ok(), Some(fields.key));
        assert_eq!(schema.get_field(TYPE).ok(), Some(fields.doc_type));
    }

    #[test]
    fn boosts_rank_title_over_labels_over_summary_over_organisations_over_body() {
        let boosts = Part::ALL.map(Part::boost);
        assert!(boosts.windows(2).all(|w| w[0] > w[1]), "{boosts:?}");
    }

    #[test]
    fn a_schema_built_twice_is_equal_so_a_reopened_index_is_recognised() {
        assert_eq!(schema().0, schema().0);
    }

    #[test]
    fn english_texts_are_found_and_shown_to_english_searches() {
        use crate::{SearchIndex, Snippet};
        use kb_domain::{InitiativeId, lang::Language};
        let index = SearchIndex::in_memory().expect("index");
        let doc = |id: i64, title_en: Option<&str>| SearchDoc {
            id: InitiativeId(id).into(),
            languages: vec!["nl".into()],
            title: "Steunpunt voor eerstejaars".into(),
            summary: "Ouderejaars helpen nieuwe studenten op weg.".into(),
            title_en: title_en.map(str::to_owned),
            summary_en: title_en.map(|_| "Senior students help freshers find their way.".into()),
            body: Some("Elke dinsdag open.".into()),
            organisations: vec![],
            labels: vec![],
        };
        index
            .upsert(vec![doc(1, Some("Helpdesk for freshers")), doc(2, None)])
            .expect("upsert");
        index.commit(1).expect("commit");
        let found = |text: &str, lang| {
            let mut ids: Vec<i64> = index
                .hits::<InitiativeId>(text, lang)
                .expect("hits")
                .into_iter()
                .map(|h| h.id.0)
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(found("helpdesk", Some(Language::En)), vec![1]);
        // English stemming: "finding" is "find".
        assert_eq!(found("finding", Some(Language::En)), vec![1]);
        assert_eq!(found("steunpunt", Some(Language::En)), vec![1, 2]);
        let snippet = |lang, id: i64| -> Snippet {
            let mut all = index
                .snippets("helpdesk steunpunt", lang, &[InitiativeId(id)])
                .expect("snippets");
            all.remove(&InitiativeId(id)).expect("a snippet")
        };
        let english = snippet(Some(Language::En), 1);
        assert_eq!(english.title, "<mark>Helpdesk</mark> for freshers");
        assert_eq!(
            english.text,
            "Senior students help freshers find their way."
        );
        let dutch = snippet(Some(Language::Nl), 1);
        assert_eq!(dutch.title, "<mark>Steunpunt</mark> voor eerstejaars");
        assert_eq!(dutch.text, "Ouderejaars helpen nieuwe studenten op weg.");
        // Words read in both languages, texts shown in English.
        let shown = index
            .snippets_in("helpdesk", None, Language::En, &[InitiativeId(1)])
            .expect("snippets");
        assert_eq!(
            shown[&InitiativeId(1)].title,
            "<mark>Helpdesk</mark> for freshers"
        );
        // Without an English title, an English search shows the Dutch one.
        let fallback = snippet(Some(Language::En), 2);
        assert_eq!(fallback.title, "<mark>Steunpunt</mark> voor eerstejaars");
    }
}
