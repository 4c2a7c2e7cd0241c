//! An initiative's title and summary in the page's language. Initiatives are written in
//! Dutch and may carry an English title and summary: the English site shows those where
//! given, else the Dutch text, marked `lang="nl"` on its element so that a screen reader
//! reads it as Dutch. The Dutch site shows the Dutch text.

/// A text as a page shows it, with the language to mark on its element when that is not
/// the page's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shown<'a> {
    pub(crate) text: &'a str,
    /// `Some("nl")` for a Dutch text on the English site; `None` in the page's language.
    pub(crate) lang: Option<&'static str>,
}

/// The text to show of `nl` and its English version `en` on a page in English
/// (`english`) or Dutch.
pub(crate) fn shown<'a>(english: bool, nl: &'a str, en: Option<&'a str>) -> Shown<'a> {
    match en.filter(|t| !t.trim().is_empty()) {
        Some(en) if english => Shown {
            text: en,
            lang: None,
        },
        _ if english => Shown {
            text: nl,
            lang: Some("nl"),
        },
        _ => Shown {
            text: nl,
            lang: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_site_shows_the_english_text_where_given_and_marks_the_dutch_fallback() {
        assert_eq!(
            shown(true, "Buddyprogramma", Some("Buddy programme")),
            Shown {
                text: "Buddy programme",
                lang: None
            }
        );
        for missing in [None, Some(""), Some("  ")] {
            assert_eq!(
                shown(true, "Buddyprogramma", missing),
                Shown {
                    text: "Buddyprogramma",
                    lang: Some("nl")
                }
            );
        }
    }

    #[test]
    fn the_dutch_site_shows_the_dutch_text_unmarked() {
        assert_eq!(
            shown(false, "Buddyprogramma", Some("Buddy programme")),
            Shown {
                text: "Buddyprogramma",
                lang: None
            }
        );
    }
}
