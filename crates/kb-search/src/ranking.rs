//! How a hit's score is made: one formula, here and in the README's "How search ranks".
//!
//! ```text
//! score = TIER × words matched                       (only when the search fell back)
//!       + Σ over the query's words, Σ over the parts of the text of
//!             best match in the part  +  0.1 × its other matches there
//!       + PROXIMITY × title boost × BM25 of the phrase  (words near each other in the title)
//! match = BM25(word, field) × part boost × weight(kind of match)
//! ```
//!
//! A word's forms in one part say it once; each part that says it again adds to it, as a
//! field-weighted BM25 does: a labelled initiative that also says the word in its body
//! ranks above one that only carries the label.
//!
//! - **Part boost** ([`crate::schema::Part::boost`]): title 4, labels (themes, topics and
//!   their synonyms) 3, summary 2, organisations 1.5, body 1. A hit in the title or on a
//!   topic outranks one in the body.
//! - **Kind of match** ([`weight`]): the whole word as typed 1.0, a part of a compound
//!   0.8, a stem ("depressieve" for "depressie") 0.7, an equivalent from the lexicon 0.6, a
//!   typo or a prefix 0.5 (typos, prefixes and a compound query word found by its parts
//!   score a constant, not BM25). Whole
//!   words outrank compound parts, stems, synonyms and typos, in that order. A word no
//!   document holds matches as its nearest indexed spelling (`spelling::respellings`)
//!   by BM25 at the typo's weight, its stems at the stem's share of that, its compound's
//!   parts at the typo's share of a compound's constant.
//! - **Stop words** count only in proximity, or when the query has no other word.
//! - **Proximity**: the words typed near each other (at most three positions apart, in
//!   the order typed) in the title add [`PROXIMITY`] × the title's boost × BM25 of the
//!   phrase.
//! - **Fallback** (`relaxed.rs`): when requiring every word finds too little, documents
//!   matching fewer words follow those matching more: each word matched adds [`TIER`],
//!   which no text score reaches, so the number of words matched decides first. In a
//!   question the lexicon's words are left out last.

/// The kind of match of a query word in a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Match {
    /// The word as typed (folded: case and diacritics aside).
    Whole,
    /// A part of a compound in the text ("somberheid" in "somberheidsklachten"), or the
    /// parts of a compound typed found in the text.
    Part,
    /// The same stem in Dutch or English ("depressieve" for "depressie").
    Stem,
    /// An equivalent of the word from the lexicon ("suïcide" for "zelfmoord").
    Synonym,
    /// One typo away.
    Typo,
    /// The start of a longer word (the word being typed).
    Prefix,
}

/// The weight of a kind of match, multiplying its part's boost.
pub(crate) const fn weight(kind: Match) -> f32 {
    match kind {
        Match::Whole => 1.0,
        Match::Part => 0.8,
        Match::Stem => 0.7,
        Match::Synonym => 0.6,
        Match::Typo | Match::Prefix => 0.5,
    }
}

/// How much words near each other add, as a share of their part's boost.
pub(crate) const PROXIMITY: f32 = 0.5;

/// What each word matched adds to a hit's score when a search falls back to partial
/// matches: more than any text score, so hits matching more words come first.
pub(crate) const TIER: f32 = 10_000.0;

/// The score of a hit of a fallen-back search that matched `words` of the query's words
/// with the text score `text`.
pub(crate) fn tiered(words: usize, text: f32) -> f32 {
    TIER * words as f32 + text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_outrank_parts_stems_synonyms_and_typos_in_that_order() {
        let order = [
            Match::Whole,
            Match::Part,
            Match::Stem,
            Match::Synonym,
            Match::Typo,
        ]
        .map(weight);
        assert!(order.windows(2).all(|w| w[0] > w[1]), "{order:?}");
        assert_eq!(weight(Match::Prefix), weight(Match::Typo));
    }

    #[test]
    fn more_words_matched_outrank_any_text_score() {
        // The best text score of one word: BM25 stays well below 100 for any field,
        // times the title's boost of 4.
        assert!(tiered(2, 0.0) > tiered(1, 400.0));
        assert_eq!(tiered(1, 2.5), 10_002.5);
    }
}
