//! Dutch compounds split into their parts: "somberheidsklachten" is "somberheid" and
//! "klachten", "tentamenstress" is "tentamen" and "stress", so that a search for a part
//! finds the compound and a search for the compound finds its parts (see `schema` and
//! `matching`, where parts weigh [`Match::Part`](crate::ranking::Match::Part)'s weight of a
//! whole word).
//!
//! Like Lucene's dictionary decompounder, the parts come from a word list; like its
//! hyphenation decompounder, a part may only start where a syllable can. A folded
//! lower-case word is split when it can be covered entirely by words of the list:
//!
//! - each part has at least [`MIN_PART_CHARS`] letters: shorter words ("de", "bij",
//!   "les") are found inside too many others;
//! - between two parts may stand a linking "s", "e" or "en" ("somberheid|s|klachten",
//!   "ervaring|s|deskundigen"), which belongs to no part;
//! - a part after the first starts a syllable: the consonants it starts with are the
//!   longest Dutch onset of the consonants around the cut ("geld|zorgen", but not
//!   "vers|laving", which is "ver-sla-ving"); after a linking "s", which closes the
//!   syllable before it, an onset of its own will do ("welzijn|s|monitor");
//! - a few words of the list are never parts because they are spelled like a suffix or
//!   a word's remnant far more often than they are meant ("heid", "eren", "amen"):
//!   `data/nl-not-parts.txt`;
//! - of several splits the one with the fewest parts wins, and among those the one whose
//!   first part is longest, then the second, and so on: deterministic, and a word of the
//!   list is never split (one part is the fewest).
//!
//! The word list, `data/nl-words.txt`, is derived from the OpenTaal Dutch word list
//! (BSD or CC-BY 3.0, © OpenTaal; Debian's package `wdutch`) by
//! `scripts/derive-dutch-words.py`: lower-case words of 4 to 20 letters, folded, without
//! the compounds (a compound of the list splits into words of the list, so it need not be
//! there, and leaving it out lets its parts be found). It is a fixed list, embedded in the
//! binary, rather than the index's own vocabulary or the taxonomy's labels: a word splits
//! the same way whatever else is indexed, on any machine, so a rebuilt index is the same
//! index. The list is searched as embedded (a binary search over its sorted lines), so
//! nothing is built from it at start-up; each word's split is kept (see [`Splits`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use crate::lock;

/// Fewest letters of a part.
pub(crate) const MIN_PART_CHARS: usize = 4;

/// What may stand between two parts, tried in this order.
const LINKS: [&str; 4] = ["", "s", "e", "en"];

/// The consonant clusters a Dutch syllable can start with (with the loan words' "ch",
/// "cl", "cr", "ph" and "th"); a single consonant always can.
const ONSETS: [&str; 40] = [
    "bl", "br", "ch", "chr", "cl", "cr", "dr", "dw", "fl", "fr", "gl", "gr", "kl", "kn", "kr",
    "kw", "ph", "pl", "pr", "sch", "schr", "sj", "sk", "sl", "sm", "sn", "sp", "spl", "spr", "st",
    "str", "sw", "th", "tj", "tr", "tw", "vl", "vr", "wr", "zw",
];

const WORDS: &str = include_str!("../data/nl-words.txt");
const NOT_PARTS: &str = include_str!("../data/nl-not-parts.txt");

/// The words of the list and the words that are never parts.
struct WordList {
    /// The word list as embedded: sorted, one word a line, searched in place.
    words: &'static str,
    not_parts: HashSet<&'static str>,
}

fn word_list() -> &'static WordList {
    static WORDS_LIST: OnceLock<WordList> = OnceLock::new();
    WORDS_LIST.get_or_init(|| WordList {
        words: WORDS,
        not_parts: NOT_PARTS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect(),
    })
}

impl WordList {
    fn is_part(&self, part: &str) -> bool {
        part.len() >= MIN_PART_CHARS && self.contains(part) && !self.not_parts.contains(part)
    }

    /// Whether `word` is a line of the sorted list: a binary search over its bytes, so
    /// that nothing is built from the list (about 18 steps in 164 000 words).
    fn contains(&self, word: &str) -> bool {
        let bytes = self.words.as_bytes();
        let word = word.as_bytes();
        // `lo` and `hi` are at the start of a line (or the end of the list).
        let (mut lo, mut hi) = (0, bytes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = bytes[lo..mid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(lo, |at| lo + at + 1);
            let end = bytes[start..hi]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(hi, |at| start + at);
            match bytes[start..end].cmp(word) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        false
    }
}

/// The parts of `word` (folded, lower case), in order, if it is a compound of two or more
/// parts; `None` for any other word, and for a word with other characters than a to z.
pub(crate) fn split(word: &str) -> Option<Vec<&str>> {
    if word.len() < 2 * MIN_PART_CHARS || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let lexicon = word_list();
    if lexicon.contains(word) {
        return None;
    }
    // best[i]: the best split of word[i..] as the ends of its parts, or none.
    let n = word.len();
    let mut best: Vec<Option<Vec<(usize, usize)>>> = vec![None; n + 1];
    for from in (0..n).rev() {
        let mut found: Option<Vec<(usize, usize)>> = None;
        if from > 0 && lexicon.is_part(&word[from..]) {
            found = Some(vec![(from, n)]);
        }
        // Longest first part first: a later split replaces it only with fewer parts.
        for to in (from + MIN_PART_CHARS..=n.saturating_sub(MIN_PART_CHARS)).rev() {
            if !lexicon.is_part(&word[from..to]) {
                continue;
            }
            for link in LINKS {
                if !word[to..].starts_with(link) {
                    continue;
                }
                let next = to + link.len();
                if n - next < MIN_PART_CHARS || !part_starts(word.as_bytes(), next, link) {
                    continue;
                }
                let Some(rest) = &best[next] else { continue };
                if found.as_ref().is_none_or(|f| rest.len() + 1 < f.len()) {
                    let mut parts = Vec::with_capacity(rest.len() + 1);
                    parts.push((from, to));
                    parts.extend_from_slice(rest);
                    found = Some(parts);
                }
            }
        }
        best[from] = found;
    }
    let parts = best[0].take()?;
    (parts.len() >= 2).then(|| parts.into_iter().map(|(a, b)| &word[a..b]).collect())
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

fn is_onset(consonants: &[u8]) -> bool {
    consonants.len() <= 1 || ONSETS.iter().any(|o| o.as_bytes() == consonants)
}

/// Whether a part after `link` can start at byte `at` of `word`. After a linking "s" the
/// cut is where the hyphenation puts it, "wel-zijns-mo-ni-tor", "poort-wach-ters-trai-ning":
/// the "s" closes the syllable before, so the part only needs to start with an onset of
/// its own, although "sm" and "str" are onsets too. Elsewhere it must start a syllable.
fn part_starts(word: &[u8], at: usize, link: &str) -> bool {
    if link != "s" {
        return starts_syllable(word, at);
    }
    let end = (at..word.len())
        .find(|&i| is_vowel(word[i]))
        .unwrap_or(word.len());
    is_onset(&word[at..end])
}

/// Whether a syllable can start at byte `at` of `word`: the consonants from there to the
/// next vowel are the longest onset of the consonants around `at` (a part starting with
/// a vowel always can).
fn starts_syllable(word: &[u8], at: usize) -> bool {
    let mut start = at;
    while start > 0 && !is_vowel(word[start - 1]) {
        start -= 1;
    }
    let mut end = at;
    while end < word.len() && !is_vowel(word[end]) {
        end += 1;
    }
    if end == at {
        return true;
    }
    (start..end).find(|&s| is_onset(&word[s..end])) == Some(at)
}

/// The splits of words seen before, shared by every clone of the analyzers: indexing
/// splits every word of every text, and most words recur. Emptied when it grows past
/// [`Splits::MAX_WORDS`], like the stems' memo.
#[derive(Default)]
pub(crate) struct Splits {
    kept: Mutex<HashMap<Box<str>, PartsOf>>,
}

/// A word's parts, `None` for a word that is no compound.
type PartsOf = Option<Vec<Box<str>>>;

impl Splits {
    const MAX_WORDS: usize = 200_000;

    /// The parts of `word`, as [`split`] gives them.
    pub(crate) fn of(&self, word: &str) -> Option<Vec<String>> {
        if word.len() < 2 * MIN_PART_CHARS {
            return None;
        }
        if let Some(found) = lock(&self.kept).get(word) {
            return found
                .as_ref()
                .map(|parts| parts.iter().map(|p| p.to_string()).collect());
        }
        let parts: Option<Vec<String>> =
            split(word).map(|parts| parts.into_iter().map(str::to_owned).collect());
        let mut kept = lock(&self.kept);
        if kept.len() >= Self::MAX_WORDS {
            kept.clear();
        }
        kept.insert(
            word.into(),
            parts
                .as_ref()
                .map(|p| p.iter().map(|s| s.as_str().into()).collect()),
        );
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(word: &str) -> Vec<&str> {
        split(word).unwrap_or_else(|| vec![word])
    }

    #[test]
    fn compounds_of_the_demo_data_split_into_their_parts() {
        let cases: [(&str, &[&str]); 27] = [
            ("somberheidsklachten", &["somberheid", "klachten"]),
            ("tentamenstress", &["tentamen", "stress"]),
            ("geldzorgen", &["geld", "zorgen"]),
            ("prestatiedruk", &["prestatie", "druk"]),
            ("eerstejaars", &["eerste", "jaars"]),
            ("ouderejaars", &["oudere", "jaars"]),
            (
                "studieloopbaanbegeleiders",
                &["studie", "loop", "baan", "begeleiders"],
            ),
            ("suicidepreventie", &["suicide", "preventie"]),
            ("lotgenotengroep", &["lotgenoten", "groep"]),
            ("ervaringsdeskundigen", &["ervaring", "deskundigen"]),
            ("studiestress", &["studie", "stress"]),
            ("faalangst", &["faal", "angst"]),
            ("groepsdruk", &["groep", "druk"]),
            ("tijdsdruk", &["tijds", "druk"]),
            ("werkdruk", &["werk", "druk"]),
            ("studieschuld", &["studie", "schuld"]),
            ("schuldhulp", &["schuld", "hulp"]),
            ("zelfdoding", &["zelf", "doding"]),
            ("mantelzorg", &["mantel", "zorg"]),
            ("huisarts", &["huis", "arts"]),
            ("koopverslaving", &["koop", "verslaving"]),
            ("tentamenangst", &["tentamen", "angst"]),
            ("gezondheidsdienst", &["gezondheid", "dienst"]),
            ("genderdiversiteit", &["gender", "diversiteit"]),
            // A linking "s" before an "m" or a "tr": "sm" and "str" are onsets as well.
            ("welzijnsmonitor", &["welzijn", "monitor"]),
            (
                "studentenwelzijnsmonitor",
                &["studenten", "welzijn", "monitor"],
            ),
            ("poortwachterstraining", &["poortwachter", "training"]),
        ];
        for (word, expected) in cases {
            assert_eq!(parts(word), expected, "{word}");
        }
    }

    #[test]
    fn words_that_are_not_compounds_stay_whole() {
        for word in [
            "student",
            "studenten",
            "beleid",
            "somberheid",
            "eenzaamheid",
            "tentamen",
            "praktijk",
            "verslaving",
            "kinderen",
            "jongeren",
            "gesprekken",
            "belangrijk",
            "mogelijkheden",
            "document",
            "maastricht",
            "besturen",
            "luisteren",
        ] {
            assert_eq!(split(word), None, "{word}");
        }
    }

    #[test]
    fn short_words_and_other_characters_are_never_split() {
        assert_eq!(split("geldgeld"), Some(vec!["geld", "geld"]));
        assert_eq!(split("geldzak"), None);
        assert_eq!(split("geld2zorgen"), None);
        assert_eq!(split("Geldzorgen"), None);
        assert_eq!(split(""), None);
    }

    #[test]
    fn a_part_starts_where_a_syllable_can() {
        assert!(starts_syllable(b"geldzorgen", 4));
        assert!(starts_syllable(b"tentamenstress", 8));
        assert!(!starts_syllable(b"verslaving", 4));
        assert!(starts_syllable(b"verslaving", 3));
        assert!(starts_syllable(b"huisarts", 4));
        // After a linking "s" the part needs an onset of its own, not the longest one.
        assert!(!starts_syllable(b"welzijnsmonitor", 8));
        assert!(part_starts(b"welzijnsmonitor", 8, "s"));
        assert!(!part_starts(b"welzijnsmonitor", 8, ""));
        assert!(!part_starts(b"geldsrzorgen", 5, "s"));
        // "voor|stelling", never "voor|s|telling": a link only where no part starts.
        assert_eq!(split("voorstelling"), Some(vec!["voor", "stelling"]));
    }

    #[test]
    fn the_memo_gives_what_split_gives() {
        let splits = Splits::default();
        for _ in 0..2 {
            assert_eq!(
                splits.of("geldzorgen"),
                Some(vec!["geld".to_owned(), "zorgen".to_owned()])
            );
            assert_eq!(splits.of("student"), None);
        }
    }

    #[test]
    fn the_word_list_loads_quickly_and_is_sorted_lower_case() {
        let started = std::time::Instant::now();
        let size = word_list().words.len();
        let took = started.elapsed();
        assert!(size > 150_000, "{size}");
        assert!(took.as_millis() < 2_000, "{took:?}");
        assert!(
            WORDS
                .lines()
                .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        );
        assert!(WORDS.lines().zip(WORDS.lines().skip(1)).all(|(a, b)| a < b));
        assert!(WORDS.len() < 2_000_000);
    }
}
