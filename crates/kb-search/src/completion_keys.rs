//! Completion keys: how the titles, labels and organisation names of a document are
//! indexed for suggestions.
//!
//! Each such text gets one key for its first word and one for every later word of 3 or
//! more letters. A key holds its class, the folded words from there to the end, a
//! separator, the kind of text, whether the key starts the text, and the text as
//! written: the topic label "Stress en prestatiedruk" gives
//! `astress en prestatiedruk␁t0Stress en prestatiedruk` and
//! `aprestatiedruk␁t1Stress en prestatiedruk`. Completing a prefix is then a walk over the
//! sorted keys of each class that start with it.
//!
//! The classes keep the few texts many documents share apart from the many titles, each
//! one initiative's: labels and organisation names (`a`), titles from their first word
//! (`b`), titles from a later word (`c`). A walk reads every key of the first class, and
//! of the others only as many as it needs, already in the order they are suggested in.

use crate::analysis::Analyzers;
use crate::{SearchDoc, SuggestionKind};

/// Separates a key's folded words from what follows; sorts below every character, so a
/// shorter text sorts before the longer ones it begins.
const SEP: char = '\u{1}';
/// Longest folded part of a key, in characters; a longer prefix is compared on these.
pub(crate) const KEY_CHARS: usize = 100;
/// Longest text kept in a key, in characters.
const TEXT_CHARS: usize = 200;
/// Fewest letters a word needs for a key to start at it (the first word always has one):
/// "en prestatiedruk" would only add noise.
const KEY_WORD_MIN_CHARS: usize = 3;

/// The class of keys of labels and organisation names.
pub(crate) const SHARED: u8 = b'a';
/// The class of keys of titles, from their first word.
pub(crate) const TITLE_STARTS: u8 = b'b';
/// The class of keys of titles, from a later word.
pub(crate) const TITLE_WORDS: u8 = b'c';

impl SuggestionKind {
    const fn code(self) -> char {
        match self {
            SuggestionKind::Initiative => 'i',
            SuggestionKind::Topic => 't',
            SuggestionKind::Organisation => 'o',
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        match code {
            b'i' => Some(SuggestionKind::Initiative),
            b't' => Some(SuggestionKind::Topic),
            b'o' => Some(SuggestionKind::Organisation),
            _ => None,
        }
    }
}

/// The completion keys of a document's title, labels and organisation names.
pub(crate) fn suggestion_keys(analyzers: &mut Analyzers, doc: &SearchDoc) -> Vec<String> {
    let texts = std::iter::once((SuggestionKind::Initiative, &doc.title))
        .chain(doc.labels.iter().map(|l| (SuggestionKind::Topic, l)))
        .chain(
            doc.organisations
                .iter()
                .map(|o| (SuggestionKind::Organisation, o)),
        );
    let mut keys = Vec::new();
    for (kind, text) in texts {
        let (text, starts) = completion_starts(analyzers, text);
        for (folded, at_start) in starts {
            let start = if at_start { '0' } else { '1' };
            let class = match (kind, at_start) {
                (SuggestionKind::Initiative, true) => TITLE_STARTS,
                (SuggestionKind::Initiative, false) => TITLE_WORDS,
                _ => SHARED,
            };
            keys.push(format!(
                "{}{folded}{SEP}{}{start}{text}",
                char::from(class),
                kind.code()
            ));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// A text as completions show it, and where completions of it start: the folded words
/// from its first word and from every later word of three letters or more, each with
/// whether it is the first.
pub(crate) fn completion_starts(
    analyzers: &mut Analyzers,
    text: &str,
) -> (String, Vec<(String, bool)>) {
    let text = clean(text, TEXT_CHARS);
    let words = analyzers.folded_words(&text);
    let mut starts = Vec::new();
    for k in 0..words.len() {
        if k > 0 && words[k].chars().count() < KEY_WORD_MIN_CHARS {
            continue;
        }
        let folded: String = words[k..].join(" ").chars().take(KEY_CHARS).collect();
        starts.push((folded, k == 0));
    }
    (text, starts)
}

/// `text` on one line: control characters and runs of whitespace made one space, trimmed,
/// at most `max` characters.
pub(crate) fn clean(text: &str, max: usize) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = out.char_indices().nth(max) {
        out.truncate(cut);
    }
    out
}
/// The kind, whether it starts the text, and the text of a completion key.
pub(crate) fn parse_key(key: &[u8]) -> Option<(SuggestionKind, bool, &str)> {
    let (_class, key) = key.split_first()?;
    let sep = key.iter().position(|&b| b == SEP as u8)?;
    let rest = key.get(sep + 1..)?;
    let (&kind, rest) = rest.split_first()?;
    let (&start, text) = rest.split_first()?;
    let kind = SuggestionKind::from_code(kind)?;
    Some((kind, start == b'0', std::str::from_utf8(text).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_domain::InitiativeId;

    #[test]
    fn keys_start_at_the_first_word_and_at_every_later_word_of_three_letters_or_more() {
        let mut analyzers = Analyzers::new();
        let doc = SearchDoc {
            title_en: None,
            summary_en: None,
            id: InitiativeId(1).into(),
            languages: vec![],
            title: "Stress en  Prestatiedruk".into(),
            summary: "niet in de sleutels".into(),
            body: None,
            organisations: vec!["Hogeschool\nDemostad".into()],
            labels: vec!["LGBTQIA2S+".into(), "LGBTQIA2S+".into()],
        };
        assert_eq!(
            suggestion_keys(&mut analyzers, &doc),
            vec![
                "ademostad\u{1}o1Hogeschool Demostad",
                "ahogeschool demostad\u{1}o0Hogeschool Demostad",
                "algbtqia2s\u{1}t0LGBTQIA2S+",
                "bstress en prestatiedruk\u{1}i0Stress en Prestatiedruk",
                "cprestatiedruk\u{1}i1Stress en Prestatiedruk",
            ]
        );
    }
}
