//! The full-text index of Kennisbank: initiatives found by the words of their title,
//! labels (themes, topics and the topics' synonyms), summary, organisations and body, in
//! Dutch and English, with typos forgiven, prefixes completed while typing, snippets with
//! the matched words marked, and suggestions for a search box. Events and organisations
//! are documents of the same index, each type searched on its own (see [`DocType`]).
//!
//! It answers with ids and scores only. Who may see an initiative, filters and facets are
//! the read model's (`kb-readmodel`), the rows are the store's: a caller intersects the hits
//! with what the viewer may see and loads the page by id. The index follows the change
//! log like the read model, and keeps the position it reached in its own commits.
//!
//! Depends on the domain's types and on tantivy only: no database, no GraphQL, no HTTP,
//! no async runtime, and nothing of the store or the read model.
//!
//! User text is never parsed as query syntax: the crate reads it as words and quoted
//! phrases and builds the query itself, so the only errors a user can cause are
//! [`SearchError::BadInput`]: empty text, more than [`MAX_QUERY_CHARS`] characters or
//! [`MAX_QUERY_WORDS`] words (a suggestion's prefix: at most [`MAX_PREFIX_CHARS`]).
//!
//! Every method blocks (disk, tantivy's threads): async callers use `spawn_blocking`.

/// The analyzers: word splitting, lower case, diacritics folded, Dutch and English stemming.
mod analysis;
/// Typo and prefix automata, built once per word and kept.
mod automata;
/// How titles, labels and organisation names are indexed for suggestions.
mod completion_keys;
/// Dutch compounds split into their parts, from an embedded word list.
mod decompound;
/// The one error type, whose bad-input variant callers answer as `BAD_USER_INPUT`.
mod error;
/// Which words of a stored text a query matched.
mod highlight;
/// Opening, writing and committing the index, with the change-log position.
mod index;
/// The bilingual lexicon: sets of terms that mean the same, folded as the index folds.
mod lexicon;
/// The tantivy query for a user's words: fields, boosts, typos, prefixes, phrases.
mod matching;
/// The plain text of Markdown and HTML bodies, for indexing and snippets.
mod plain;
/// How a hit's score is made: part boosts, kinds of match, proximity, fallback tiers.
mod ranking;
/// The hits of recent searches, kept until the index changes.
mod recent;
/// Falling back to partial matches when requiring every word finds too little.
mod relaxed;
/// The fields of the index and how a document fills them.
mod schema;
/// Finding the ids and scores that match a user's text.
mod search;
/// The matched words of a title and a fragment of the text, marked and HTML-escaped.
mod snippet;
/// "Did you mean": unknown words replaced by the nearest indexed ones.
mod spelling;
/// What the documents stand for: initiatives, events, organisations.
mod subject;
/// Completions of what a user is typing: titles, topics, organisations.
mod suggest;
/// Reading user text as words and quoted phrases.
mod user_query;

#[cfg(test)]
mod equivalents_tests;
#[cfg(test)]
mod fixture;

use kb_domain::InitiativeId;

pub use error::SearchError;
pub use index::SearchIndex;
pub use lexicon::Lexicon;
pub use relaxed::Matched;
pub use search::best_first;
pub use subject::{DocId, DocType, Subject};
pub use suggest::{MAX_PREFIX_CHARS, Ranked, rank};
pub use user_query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};

/// One initiative, event or organisation as the index sees it. The caller gathers it from
/// the store. An event fills the parts as its title, summary, location (body), labels
/// (themes, topics, kind, region) and organisers; an organisation as its name (title),
/// description (summary and body, one per language) and labels (kind, region, city).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// The document's type and row id; a later document with the same identity replaces
    /// this one.
    pub id: DocId,
    /// ISO 639-1 codes of the document's languages ("nl", "en", …). They decide the
    /// stemming: "nl" Dutch, "en" English, any other or none both.
    pub languages: Vec<String>,
    /// The title, as plain text.
    pub title: String,
    /// The summary, as plain text.
    pub summary: String,
    /// The title in English, when the initiative has one: indexed as English text, and
    /// the title of the snippets of English searches.
    pub title_en: Option<String>,
    /// The summary in English, when the initiative has one; as `title_en`.
    pub summary_en: Option<String>,
    /// The body as stored: sanitised Markdown (with some HTML). Indexed as plain text.
    pub body: Option<String>,
    /// The names of the organisations behind the initiative.
    pub organisations: Vec<String>,
    /// The labels of its themes and topics in both languages, and its topics' alternative
    /// labels (synonyms), each as written in the taxonomy.
    pub labels: Vec<String>,
}

/// A document that matches a search, with its relevance: an initiative unless asked
/// for another [`Subject`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit<S = InitiativeId> {
    /// The initiative, event or organisation.
    pub id: S,
    /// Its score: higher is better. Comparable only within one search.
    pub score: f32,
}

/// What to show of a hit on a result page: both strings are HTML, the user's text escaped
/// and the matched words wrapped in `<mark>…</mark>`. An English search shows an
/// initiative's English title and summary where it has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The whole title.
    pub title: String,
    /// A fragment of the summary, or of the body if only the body matches; `…` marks
    /// where it was cut.
    pub text: String,
}

/// A completion of what a user is typing in a search box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The completion as written in the index (a title, label or name), as plain text:
    /// callers escape it where they build HTML.
    pub text: String,
    /// What the completion names.
    pub kind: SuggestionKind,
    /// The initiative, for [`SuggestionKind::Initiative`].
    pub id: Option<InitiativeId>,
}

/// What a [`Suggestion`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SuggestionKind {
    /// An initiative, by its title.
    Initiative,
    /// A label of the documents: a topic's or theme's label, or a topic's synonym.
    Topic,
    /// An organisation, by its name.
    Organisation,
}

/// Locks `mutex`, also after a panic elsewhere: the writer, the watermark and the
/// crate's caches hold no invariant a panic could break half-way (tantivy's own state is
/// behind its own locks).
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
