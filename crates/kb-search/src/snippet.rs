//! Snippets: the title and a fragment of the text of a hit, with the words that matched
//! marked (see `highlight` for which words).
//!
//! Titles, summaries and bodies are user content: everything around the marks is
//! HTML-escaped, so the strings are safe to insert as HTML.

use std::collections::HashMap;
use std::ops::Range;

use kb_domain::lang::Language;
use kb_domain::markup::escape_into;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::SearchError;
use crate::highlight::Marker;
use crate::index::live_docs;
use crate::schema::Part;
use crate::user_query::UserQuery;
use crate::{SearchIndex, Snippet, Subject};

/// Longest fragment, in bytes of the original text (about as many characters in Dutch
/// and English), before the `…` marks.
const FRAGMENT_BYTES: usize = 240;
/// How much text a fragment shows before its first mark, at most.
const CONTEXT_BYTES: usize = 60;

impl SearchIndex {
    /// The snippets of `ids` for the search `text`: each one's title and a fragment of
    /// its summary (or body, if only the body matches) with the matched words in
    /// `<mark>…</mark>`, HTML-escaped. Ids not in the index are left out. `lang` is the
    /// search's (see [`hits`](Self::hits)); an English search shows an initiative's
    /// English title and summary where it has them.
    pub fn snippets<S: Subject>(
        &self,
        text: &str,
        lang: Option<Language>,
        ids: &[S],
    ) -> Result<HashMap<S, Snippet>, SearchError> {
        self.snippets_in(text, lang, lang.unwrap_or_default(), ids)
    }

    /// The snippets of [`snippets`](Self::snippets), of the texts in `shown`: with
    /// English, an initiative's English title and summary where it has them, whatever
    /// language the search's words are read in.
    pub fn snippets_in<S: Subject>(
        &self,
        text: &str,
        lang: Option<Language>,
        shown: Language,
        ids: &[S],
    ) -> Result<HashMap<S, Snippet>, SearchError> {
        let query = UserQuery::parse_in(text, "query", lang)?;
        let mut analyzers = self.inner.analyzers.clone();
        let (_, lexicon) = self.lexicon();
        let mut marker =
            Marker::new(&query, &mut analyzers).with_equivalents(&lexicon, &query, &mut analyzers);
        let fields = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let english = shown == Language::En;
        let mut out = HashMap::new();
        for &id in ids {
            let Some(address) = address_of(&searcher, &fields.key_term(id.doc_id()))? else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(address)?;
            let stored = |part: Part| stored_text(&doc, fields.part(part).folded, english);
            let title = stored(Part::Title);
            let title_marks = marker.marks(&mut analyzers, title);
            let summary = stored(Part::Summary);
            let body = stored(Part::Body);
            let summary_marks = marker.marks(&mut analyzers, summary);
            // An English summary stands for the text: the body is Dutch.
            let english_summary = english && has_second(&doc, fields.part(Part::Summary).folded);
            let text = if !summary_marks.is_empty() || body.is_empty() || english_summary {
                fragment(summary, &summary_marks)
            } else {
                let body_marks = marker.marks(&mut analyzers, body);
                if body_marks.is_empty() && !summary.is_empty() {
                    fragment(summary, &[])
                } else {
                    fragment(body, &body_marks)
                }
            };
            out.insert(
                id,
                Snippet {
                    title: render(title, 0..title.len(), &title_marks),
                    text,
                },
            );
        }
        Ok(out)
    }
}

/// Where the live document holding the key `term` is: read off the key's postings in
/// each segment, without a query's weight, scorer and collector for one document.
fn address_of(searcher: &Searcher, term: &Term) -> tantivy::Result<Option<DocAddress>> {
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let index = segment.inverted_index(term.field())?;
        let Some(mut postings) = index.read_postings(term, IndexRecordOption::Basic)? else {
            continue;
        };
        if let Some(doc) = live_docs(&mut postings, segment).next() {
            let ord = u32::try_from(ord)
                .map_err(|_| tantivy::TantivyError::InternalError("too many segments".into()))?;
            return Ok(Some(DocAddress::new(ord, doc)));
        }
    }
    Ok(None)
}

/// The text stored in `field`, or "" if it holds none: with `english`, its second value
/// (an initiative's English title or summary) where it has one, else its first.
fn stored_text(doc: &TantivyDocument, field: Field, english: bool) -> &str {
    let second = english.then(|| doc.get_all(field).nth(1)).flatten();
    second
        .or_else(|| doc.get_first(field))
        .and_then(|v| v.as_str())
        .unwrap_or("")
}

/// Whether `field` holds a second value: an English title or summary.
fn has_second(doc: &TantivyDocument, field: Field) -> bool {
    doc.get_all(field).nth(1).is_some()
}

/// A fragment of `text` around its best run of marks, cut at spaces, `…` where cut.
fn fragment(text: &str, marks: &[Range<usize>]) -> String {
    if text.len() <= FRAGMENT_BYTES {
        return render(text, 0..text.len(), marks);
    }
    // The mark that starts the window holding the most marks; the first one on ties.
    let best = (0..marks.len()).max_by_key(|&i| {
        let end = marks[i].start + FRAGMENT_BYTES - CONTEXT_BYTES;
        let held = marks[i..].iter().take_while(|m| m.end <= end).count();
        (held, std::cmp::Reverse(i))
    });
    let start = match best.map(|i| &marks[i]) {
        None => 0,
        Some(first) => {
            let earliest = floor_boundary(text, first.start.saturating_sub(CONTEXT_BYTES));
            match text[earliest..first.start].find(char::is_whitespace) {
                Some(space) if earliest > 0 => earliest + space + 1,
                _ => earliest,
            }
        }
    };
    let mut end = floor_boundary(text, (start + FRAGMENT_BYTES).min(text.len()));
    if end < text.len()
        && let Some(space) = text[start..end].rfind(char::is_whitespace)
    {
        end = start + space;
    }
    let inside: Vec<Range<usize>> = marks
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .cloned()
        .collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(render(text, start..end, &inside).trim());
    if end < text.len() {
        out.push('…');
    }
    out
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text[span]` HTML-escaped, with each of `marks` (inside `span`, in order) wrapped in
/// `<mark>…</mark>`.
fn render(text: &str, span: Range<usize>, marks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(span.len() + marks.len() * 13);
    let mut at = span.start;
    for m in marks {
        escape_into(&mut out, &text[at..m.start]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[m.start..m.end]);
        out.push_str("</mark>");
        at = m.end;
    }
    escape_into(&mut out, &text[at..span.end]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::index;
    use kb_domain::InitiativeId;

    fn snippet(text: &str, id: i64) -> Snippet {
        let index = index();
        let mut all = index
            .snippets(text, None, &[InitiativeId(id)])
            .expect("snippets");
        all.remove(&InitiativeId(id)).expect("a snippet")
    }

    #[test]
    fn the_matched_word_is_marked_in_the_title_and_the_summary() {
        let s = snippet("mindfulness", 10);
        assert_eq!(s.title, "<mark>Mindfulness</mark> for students");
        assert_eq!(s.text, "An eight week course in the evening.");
        // The last word also matches as a prefix, here of the title's first word.
        let s = snippet("suïcide", 3);
        assert_eq!(s.title, "<mark>Suïcidepreventie</mark> op de campus");
        assert_eq!(
            s.text,
            "Docenten leren signalen van <mark>suïcide</mark> herkennen en het gesprek aangaan."
        );
    }

    #[test]
    fn words_found_by_stem_typo_or_prefix_are_marked() {
        assert_eq!(
            snippet("studenten", 1).text,
            "Elke eerstejaars <mark>student</mark> krijgt een ouderejaars buddy."
        );
        assert_eq!(
            snippet("prestatiedrok", 2).title,
            "Omgaan met <mark>prestatiedruk</mark>"
        );
        let s = snippet("prest", 2);
        assert_eq!(s.title, "Omgaan met <mark>prestatiedruk</mark>");
        assert_eq!(
            s.text,
            "Een training over <mark>prestaties</mark>, faalangst en perfectionisme."
        );
    }

    #[test]
    fn the_body_is_shown_when_only_the_body_matches() {
        let s = snippet("mindfulness", 8);
        assert_eq!(s.title, "Studiekeuzecheck met welzijnsvragen");
        assert_eq!(
            s.text,
            "Wie twijfelt, krijgt een gesprek en een korte <mark>mindfulness</mark> oefening."
        );
    }

    #[test]
    fn a_phrase_is_marked_as_a_whole_where_its_words_stand_together() {
        assert_eq!(
            snippet("\"sociale steun\"", 1).text,
            "Een buddy biedt <mark>sociale steun</mark> in de eerste weken. Zie de site."
        );
        assert_eq!(
            snippet("\"sociale steun\"", 2).text,
            "Een training over prestaties, faalangst en perfectionisme."
        );
    }

    #[test]
    fn stop_words_are_not_marked() {
        assert_eq!(
            snippet("de mindfulness", 8).text,
            "Wie twijfelt, krijgt een gesprek en een korte <mark>mindfulness</mark> oefening."
        );
    }

    #[test]
    fn user_text_is_escaped_around_the_marks() {
        let s = snippet("mentorgesprekken", 9);
        assert_eq!(
            s.title,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>Mentorgesprekken</mark>"
        );
        assert_eq!(
            s.text,
            "Mentoren praten met studenten over welzijn &amp; voortgang, zonder prestatie-eisen."
        );
        assert_eq!(
            snippet("script", 9).title,
            "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt; Mentorgesprekken"
        );
    }

    #[test]
    fn ids_not_in_the_index_are_left_out() {
        let index = index();
        let all = index
            .snippets("mindfulness", None, &[InitiativeId(8), InitiativeId(99)])
            .expect("snippets");
        assert_eq!(
            all.keys().copied().collect::<Vec<_>>(),
            vec![InitiativeId(8)]
        );
    }

    #[test]
    fn the_query_of_a_snippet_is_checked_like_a_search() {
        let index = index();
        assert!(matches!(
            index.snippets("((", None, &[InitiativeId(1)]),
            Err(SearchError::BadInput { field: "query", .. })
        ));
    }

    #[test]
    fn a_long_text_is_cut_around_its_marks_at_spaces() {
        let text = format!(
            "{}het woord mindfulness staat hier{}",
            "aanloop ".repeat(40),
            " en nog wat".repeat(40)
        );
        let start = text.find("mindfulness").expect("word");
        let mark = start..start + "mindfulness".len();
        let f = fragment(&text, std::slice::from_ref(&mark));
        assert!(f.starts_with("…aanloop "), "{f}");
        assert!(
            f.contains("het woord <mark>mindfulness</mark> staat hier en nog wat"),
            "{f}"
        );
        // Cut at spaces: what is shown is a run of whole words of the text.
        let shown = f
            .trim_start_matches('…')
            .trim_end_matches('…')
            .replace("<mark>", "")
            .replace("</mark>", "");
        let at = text.find(&shown).expect("a part of the text");
        assert_eq!(&text[at - 1..at], " ");
        assert_eq!(&text[at + shown.len()..at + shown.len() + 1], " ");
        assert!(f.ends_with('…'), "{f}");
        assert!(shown.len() <= FRAGMENT_BYTES);
        let without = fragment(&text, &[]);
        assert!(
            without.starts_with("aanloop aanloop") && without.ends_with("aanloop…"),
            "{without}"
        );
    }
}
