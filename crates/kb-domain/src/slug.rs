/// A URL slug from a title: lower case ASCII letters and digits joined by single hyphens,
/// diacritics folded ("Suïcidepreventie op de campus" → `suicidepreventie-op-de-campus`),
/// at most 80 characters, cut at a word boundary.
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_dash = false;
    for c in title.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' {
            pending_dash = true;
        }
    }
    if out.len() > 80 {
        let cut = out[..80].rfind('-').unwrap_or(80);
        out.truncate(cut);
    }
    out
}

/// Whether `s` is a well-formed slug.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Folds one character to its ASCII letters where it is a Latin letter with a diacritic.
fn fold(c: char) -> impl Iterator<Item = char> {
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ĳ' => "ij",
        'Ĳ' => "IJ",
        'ñ' | 'ń' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'œ' => "oe",
        'ß' => "ss",
        'š' | 'ś' => "s",
        'Š' => "S",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' => "Z",
        _ => "",
    };
    let single = if s.is_empty() { Some(c) } else { None };
    s.chars().chain(single)
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
    fn punctuation_collapses_to_single_hyphens() {
        assert_eq!(
            slugify("  LGBTQIA2S+ -- community!! "),
            "lgbtqia2s-community"
        );
        assert_eq!(slugify("Students' money"), "students-money");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let s = slugify(&"woord ".repeat(30));
        assert!(s.len() <= 80);
        assert!(!s.ends_with('-'));
        assert!(is_slug(&s));
    }

    #[test]
    fn slug_syntax_is_checked() {
        assert!(is_slug("a-b-1"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("A-b"));
        assert!(!is_slug(""));
    }
}
