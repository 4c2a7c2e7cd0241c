//! Slugs: the readable last part of an item's address (`/initiatieven/studentenpsycholoog`).
//!
//! A slug is stored in a `varchar(80)` column and must be unique, so the store takes the
//! slug of the title and, when it is taken, tries `-2`, `-3`, … after it. [`slugify`]
//! therefore leaves room for such a suffix, and [`with_suffix`] cuts further when a
//! number is too long for that room.

use crate::ascii::spell;

/// Longest slug, in characters (all ASCII, so also in bytes): the width of the `slug`
/// columns.
pub const SLUG_MAX: usize = 80;

/// Longest slug [`slugify`] makes. The 8 characters up to [`SLUG_MAX`] hold a suffix from
/// `-2` to `-9999999`, so a slug needs no further cut before ten million namesakes.
pub const SLUG_BASE_MAX: usize = 72;

/// A URL slug from a title: the title spelt in ASCII (letters of any script transliterated:
/// "Suïcidepreventie op de campus" → `suicidepreventie-op-de-campus`, "Łódź" → `lodz`,
/// "Москва" → `moskva`), lower case, its letters and digits in runs joined by single
/// hyphens. Apostrophes do not split a word ("student’s" → `students`); emoji, symbols and
/// other punctuation do. At most [`SLUG_BASE_MAX`] characters, cut at a word boundary
/// (inside the first word only if that word alone is longer).
///
/// A title with no letters or digits (only emoji, say) gives the empty string, for which
/// the caller chooses a default word.
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len().min(SLUG_BASE_MAX + 2));
    let mut pending_hyphen = false;
    for c in title.chars() {
        // Two characters past the limit tell whether a word ends exactly at it.
        if out.len() > SLUG_BASE_MAX + 1 {
            break;
        }
        for a in spell(c).chars() {
            if a.is_ascii_alphanumeric() {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(a.to_ascii_lowercase());
            } else if a != '\'' {
                pending_hyphen = true;
            }
        }
    }
    cut_at_word(&mut out, SLUG_BASE_MAX);
    out
}

/// The slug `base` with the number `n` after it, for the `n`-th item whose title has that
/// slug: `base` itself for `n` ≤ 1, `{base}-{n}` otherwise.
///
/// The result is at most [`SLUG_MAX`] characters for every `n`: where `base` and the
/// suffix do not fit, `base` is cut, at a hyphen where there is one in reach, and never
/// ends in a hyphen. An empty `base` gives the number alone (`"2"`), still a slug.
pub fn with_suffix(base: &str, n: u32) -> String {
    let mut out = base.to_owned();
    if n <= 1 {
        cut_at_word(&mut out, SLUG_MAX);
        return out;
    }
    let suffix = n.to_string();
    cut_at_word(&mut out, SLUG_MAX - 1 - suffix.len());
    if out.is_empty() {
        return suffix;
    }
    out.push('-');
    out.push_str(&suffix);
    out
}

/// Whether `s` is a well-formed slug: 1 to [`SLUG_MAX`] lower case ASCII letters, digits
/// and single hyphens, not starting or ending with a hyphen.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= SLUG_MAX
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Cuts `s` to at most `max` bytes: at the last hyphen within them (or right at `max` when
/// a word ends there), else at `max` itself, on a character boundary; then drops trailing
/// hyphens.
fn cut_at_word(s: &mut String, max: usize) {
    if s.len() > max {
        let cut = if s.as_bytes()[max] == b'-' {
            max
        } else {
            let end = s.floor_char_boundary(max);
            match s[..end].rfind('-') {
                Some(i) if i > 0 => i,
                _ => end,
            }
        };
        s.truncate(cut);
    }
    let kept = s.trim_end_matches('-').len();
    s.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_are_folded() {
        assert_eq!(
            slugify("Suïcidepreventie op de campus"),
            "suicidepreventie-op-de-campus"
        );
        assert_eq!(
            slugify("Café-gesprekken: ‘Hoe gaat het écht?’"),
            "cafe-gesprekken-hoe-gaat-het-echt"
        );
    }

    #[test]
    fn letters_without_a_decomposition_are_transliterated() {
        assert_eq!(slugify("Łódź"), "lodz");
        assert_eq!(slugify("Đakovo"), "dakovo");
        assert_eq!(slugify("Şişli"), "sisli");
        assert_eq!(slugify("Erdős"), "erdos");
        assert_eq!(slugify("Straße & Æsop"), "strasse-aesop");
    }

    #[test]
    fn a_decomposed_accent_does_not_split_a_word() {
        assert_eq!(slugify("e\u{301}cht waar"), "echt-waar");
    }

    #[test]
    fn greek_and_cyrillic_titles_are_transliterated() {
        assert_eq!(slugify("Ψυχολογία φοιτητών"), "psukhologia-phoiteton");
        assert_eq!(
            slugify("Психологическая помощь"),
            "psikhologicheskaia-pomoshch"
        );
    }

    #[test]
    fn punctuation_collapses_to_single_hyphens() {
        assert_eq!(
            slugify("  LGBTQIA2S+ -- community!! "),
            "lgbtqia2s-community"
        );
        assert_eq!(slugify("Students' money"), "students-money");
    }

    #[test]
    fn apostrophes_do_not_split_a_word() {
        assert_eq!(slugify("The student’s guide"), "the-students-guide");
        assert_eq!(slugify("'t Hoekje"), "t-hoekje");
    }

    #[test]
    fn emoji_and_symbols_split_words_but_add_none() {
        assert_eq!(slugify("🦄🎉"), "");
        assert_eq!(slugify("Feest🎉week"), "feest-week");
        assert_eq!(slugify("Budget €50"), "budget-50");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let s = slugify(&"woord ".repeat(30));
        assert_eq!(s.len(), 71);
        assert!(!s.ends_with('-'));
        assert!(is_slug(&s));
    }

    #[test]
    fn a_title_of_200_characters_gives_at_most_72() {
        let title = "Mentale gezondheid van studenten: een overzicht ".repeat(5);
        let title: String = title.chars().take(200).collect();
        let s = slugify(&title);
        assert!(s.len() <= SLUG_BASE_MAX, "{s}");
        assert!(!s.ends_with('-'));
        assert!(is_slug(&s));
        assert!(s.starts_with("mentale-gezondheid-van-studenten-een-overzicht-mentale"));
    }

    #[test]
    fn a_word_ending_exactly_at_the_limit_is_kept_whole() {
        let title = format!("abcdefghi{}", " abcdefgh".repeat(10));
        let s = slugify(&title);
        assert_eq!(s.len(), SLUG_BASE_MAX);
        assert!(s.ends_with("-abcdefgh"));
    }

    #[test]
    fn a_single_long_word_is_cut_inside() {
        assert_eq!(slugify(&"a".repeat(200)), "a".repeat(SLUG_BASE_MAX));
    }

    #[test]
    fn a_suffix_is_added_from_two_on() {
        assert_eq!(with_suffix("stress", 0), "stress");
        assert_eq!(with_suffix("stress", 1), "stress");
        assert_eq!(with_suffix("stress", 2), "stress-2");
        assert_eq!(
            with_suffix("stress-op-de-campus", 17),
            "stress-op-de-campus-17"
        );
        assert_eq!(with_suffix("", 3), "3");
    }

    #[test]
    fn a_full_base_with_the_largest_suffix_still_fits() {
        let base = slugify(&"woorden ".repeat(20));
        assert!(base.len() >= SLUG_BASE_MAX - 7);
        let s = with_suffix(&base, u32::MAX);
        assert!(s.len() <= SLUG_MAX, "{s}");
        assert!(is_slug(&s), "{s}");
        assert!(s.ends_with("-4294967295"));

        let base = "a".repeat(SLUG_BASE_MAX);
        let s = with_suffix(&base, u32::MAX);
        assert_eq!(s.len(), SLUG_MAX);
        assert!(is_slug(&s), "{s}");
    }

    #[test]
    fn a_base_is_cut_at_a_hyphen_for_a_long_suffix_and_keeps_no_trailing_hyphen() {
        // 69 characters fit before "-4294967295"; a hyphen sits at 68 or 69.
        for at in [68, 69] {
            let base = format!("{}-{}", "a".repeat(at), "b".repeat(SLUG_BASE_MAX - at - 1));
            let s = with_suffix(&base, u32::MAX);
            assert_eq!(s, format!("{}-4294967295", "a".repeat(at)));
        }
    }

    #[test]
    fn every_suffix_keeps_every_slug_within_the_limit() {
        let bases = [
            slugify(&"woord ".repeat(30)),
            slugify(&"abcdefghijk ".repeat(10)),
            slugify(&"x".repeat(100)),
            "a-b".to_owned(),
        ];
        for base in &bases {
            let mut n = 0_u32;
            loop {
                let s = with_suffix(base, n);
                assert!(s.len() <= SLUG_MAX && is_slug(&s), "{s}");
                let kept = match s.rsplit_once('-') {
                    Some((kept, suffix)) if n > 1 && suffix == n.to_string() => kept,
                    _ => s.as_str(),
                };
                assert!(base.starts_with(kept), "{s} from {base}");
                n = match n.checked_mul(10).and_then(|m| m.checked_add(9)) {
                    Some(m) => m,
                    None if n == u32::MAX => break,
                    None => u32::MAX,
                };
            }
        }
    }

    #[test]
    fn slug_syntax_is_checked() {
        assert!(is_slug("a-b-1"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("A-b"));
        assert!(!is_slug(""));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a-"));
        assert!(is_slug(&"a".repeat(SLUG_MAX)));
        assert!(!is_slug(&"a".repeat(SLUG_MAX + 1)));
    }
}
