//! Sort keys of titles and names, so that lists sort alike on every database.
//!
//! PostgreSQL sorts text by the collation of its column (`nl_NL.UTF-8`, `C`, an ICU
//! locale, …), SQLite by bytes, and linguistic collations disagree among themselves about
//! accents, case, spaces and punctuation. Rather than depend on any of them, a store can
//! keep next to each title a key spelt in lower case ASCII and order by that key
//! compared byte by byte (`COLLATE "C"` in PostgreSQL, SQLite's default `BINARY`). Byte
//! order on such a key is the same everywhere, and close to what a Dutch or English
//! reader expects: "Émile" < "ezel" < "Zebra", "Ångström" among the a's.

use crate::ascii::spell;

/// Longest sort key, in characters (all ASCII, so also in bytes). The key is stored in an
/// indexed column, and index entries must stay small (a PostgreSQL B-tree refuses entries
/// over about 2.7 kB); a title of 200 characters can spell much longer in ASCII (a Han
/// character takes several letters, "北" → "bei "). Titles alike in their first 200 key
/// characters tie, so an ordering by key needs a tie-breaker such as the id.
pub const SORT_KEY_MAX: usize = 200;

/// The sort key of `text`: spelt in ASCII (letters of any script transliterated, "Émile"
/// → `emile`, "Ångström" → `angstrom`; emoji and symbols become spaces), lower case, every
/// run of whitespace made one space, trimmed, and at most [`SORT_KEY_MAX`] characters.
///
/// Leading characters that are not ASCII letters or digits are dropped, so quotes and
/// punctuation before the first word do not sort a title apart: `"Zorg"` sorts as `zorg"`
/// among the z's, `'t Hoekje` as `t hoekje`, `…en toen` as `en toen`. Digits are kept
/// and sort before letters (`2e kans` before `aandacht`). Punctuation inside the text is
/// kept as spelt (`rock-'n-roll`).
pub fn sort_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(SORT_KEY_MAX));
    let mut pending_space = false;
    for a in text.chars().flat_map(|c| spell(c).chars()) {
        if a == ' ' {
            pending_space = true;
            continue;
        }
        if out.is_empty() && !a.is_ascii_alphanumeric() {
            continue;
        }
        let space = pending_space && !out.is_empty();
        if out.len() + usize::from(space) + 1 > SORT_KEY_MAX {
            break;
        }
        if space {
            out.push(' ');
        }
        pending_space = false;
        out.push(a.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_letters_sort_with_their_plain_letter() {
        assert!(sort_key("Émile") < sort_key("ezel"));
        assert!(sort_key("ezel") < sort_key("Zebra"));
        assert!(sort_key("Aap") < sort_key("Ångström"));
        assert!(sort_key("Ångström") < sort_key("Bakker"));
        assert_eq!(sort_key("Ångström"), "angstrom");
    }

    #[test]
    fn case_is_ignored() {
        assert_eq!(sort_key("ZEBRA"), sort_key("zebra"));
        assert!(sort_key("appel") < sort_key("Banaan"));
        assert!(sort_key("Appel") < sort_key("banaan"));
    }

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        assert_eq!(sort_key("  Dubbel   spatie "), "dubbel spatie");
        assert_eq!(sort_key("Tab\tregel\neinde\u{a0}x"), "tab regel einde x");
    }

    #[test]
    fn leading_quotes_and_punctuation_are_dropped() {
        assert_eq!(sort_key("\"Zorg\""), "zorg\"");
        assert_eq!(sort_key("'t Hoekje"), "t hoekje");
        assert_eq!(sort_key("‘t Hoekje"), "t hoekje");
        assert_eq!(sort_key("«Aandacht»"), "aandacht>>");
        assert_eq!(sort_key("…en toen"), "en toen");
        assert_eq!(sort_key("🎉 Feest"), "feest");
    }

    #[test]
    fn digits_are_kept_and_sort_before_letters() {
        assert_eq!(sort_key("2e kans"), "2e kans");
        assert_eq!(sort_key("#1 tips"), "1 tips");
        assert!(sort_key("2e kans") < sort_key("aandacht"));
    }

    #[test]
    fn other_scripts_are_transliterated() {
        assert_eq!(sort_key("Łódź"), "lodz");
        assert_eq!(sort_key("Москва"), "moskva");
    }

    #[test]
    fn text_without_letters_or_digits_gives_an_empty_key() {
        assert_eq!(sort_key(""), "");
        assert_eq!(sort_key(" 🦄 … "), "");
    }

    #[test]
    fn a_long_text_is_cut_to_200_characters_without_a_trailing_space() {
        assert_eq!(sort_key(&"a".repeat(300)).len(), SORT_KEY_MAX);
        // Words of 9 letters and a space: a space would fall at the limit.
        let key = sort_key(&"abcdefghi ".repeat(40));
        assert_eq!(key.len(), SORT_KEY_MAX - 1);
        assert!(!key.ends_with(' '));
        // Han characters spell longer than they are.
        let key = sort_key(&"北京".repeat(100));
        assert!(key.len() <= SORT_KEY_MAX);
        assert!(key.starts_with("bei jing bei"));
        assert!(!key.ends_with(' '));
    }

    #[test]
    fn every_key_is_lower_case_ascii() {
        let key = sort_key("Ÿ Æ ß Ψ Ж 北 ½ ™ 🦄 Ǆ");
        assert!(key.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()));
    }
}
