//! The ASCII spelling of text, one character at a time, through `deunicode`.
//!
//! `deunicode` spells every script in ASCII ("Łódź" → "Lodz", "Москва" → "Moskva",
//! "北京" → "Bei Jing"), but it also spells emoji and symbols as words ("🦄" → "unicorn",
//! "€" → "EUR", "©" → "(c)"). A slug or a sort key made from "🎉 Feest" should not start
//! with "tada", so only letters and digits may bring letters and digits into the result;
//! every other character keeps its spelling only when that spelling holds none (quotes,
//! dashes and combining marks do) and is a space otherwise.

/// The ASCII spelling of `c`: for a letter or digit of any script its transliteration
/// (several characters for some, "Æ" → "AE"; a space if `deunicode` does not know it);
/// for any other character its transliteration if that holds no ASCII letter or digit
/// (`’` → `'`, `–` → `-`, a combining accent → ""), else a space. Whitespace and control
/// characters are a space.
///
/// The result is always ASCII, and never holds a control character.
pub(crate) fn spell(c: char) -> &'static str {
    if c.is_whitespace() || c.is_control() {
        return " ";
    }
    match deunicode::deunicode_char(c) {
        Some(s) if c.is_alphanumeric() => s,
        Some(s) if !s.bytes().any(|b| b.is_ascii_alphanumeric()) => s,
        _ => " ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_of_other_scripts_are_spelled_in_ascii() {
        assert_eq!(spell('ł'), "l");
        assert_eq!(spell('Đ'), "D");
        assert_eq!(spell('ß'), "ss");
        assert_eq!(spell('Ж'), "Zh");
        assert_eq!(spell('Ψ'), "Ps");
        assert_eq!(spell('²'), "2");
    }

    #[test]
    fn emoji_and_symbols_are_spelled_as_a_space_not_as_a_word() {
        assert_eq!(spell('🦄'), " ");
        assert_eq!(spell('€'), " ");
        assert_eq!(spell('©'), " ");
    }

    #[test]
    fn punctuation_keeps_its_ascii_spelling_and_accents_vanish() {
        assert_eq!(spell('’'), "'");
        assert_eq!(spell('–'), "-");
        assert_eq!(spell('\u{301}'), "");
        assert_eq!(spell('a'), "a");
        assert_eq!(spell('?'), "?");
    }

    #[test]
    fn whitespace_and_control_characters_are_a_space() {
        assert_eq!(spell('\t'), " ");
        assert_eq!(spell('\u{a0}'), " ");
        assert_eq!(spell('\u{0}'), " ");
    }

    #[test]
    fn every_spelling_is_ascii_without_control_characters() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let s = spell(c);
            assert!(
                s.bytes().all(|b| b.is_ascii() && !b.is_ascii_control()),
                "{c:?} spelled {s:?}"
            );
        }
    }
}
