/// The languages labels are kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    /// Its ISO 639-1 code: `nl`, `en`.
    pub const fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// The language of an ISO 639-1 code (lower case); `None` for any other.
    pub fn from_code(code: &str) -> Option<Self> {
        [Language::Nl, Language::En]
            .into_iter()
            .find(|l| l.code() == code)
    }

    /// The first supported language of an `Accept-Language` header, by quality; `None`
    /// when the header names none of them.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Language)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let Some(lang) = Language::from_code(primary) else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// A text in Dutch and, where given, English.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localised {
    pub nl: String,
    pub en: Option<String>,
}

impl Localised {
    pub fn new(nl: impl Into<String>, en: Option<String>) -> Self {
        Self { nl: nl.into(), en }
    }

    /// The text in `lang`, falling back to Dutch where no English text exists.
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::En => self
                .en
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(&self.nl),
            Language::Nl => &self.nl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for l in [Language::Nl, Language::En] {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        assert_eq!(Language::from_code("de"), None);
        assert_eq!(Language::from_code("NL"), None);
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(
            Language::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Some(Language::En)
        );
        assert_eq!(
            Language::from_accept_language("de, nl;q=0.5, en;q=0.4"),
            Some(Language::Nl)
        );
        assert_eq!(Language::from_accept_language("fr, de"), None);
        assert_eq!(
            Language::from_accept_language("en;q=0, nl-BE"),
            Some(Language::Nl)
        );
    }

    #[test]
    fn english_falls_back_to_dutch() {
        let l = Localised::new("Beleid", None);
        assert_eq!(l.get(Language::En), "Beleid");
        let l = Localised::new("Beleid", Some("Policy".into()));
        assert_eq!(l.get(Language::En), "Policy");
    }
}
