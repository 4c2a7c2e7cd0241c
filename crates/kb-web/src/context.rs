//! Who the page is for: the visitor's language (`?lang=` first, then `Accept-Language`,
//! then Dutch), the deployment's public address (for canonical URLs and the sitemap; it
//! comes from the server's configuration, never from the request's `Host` or forwarded
//! headers) and the query string, read with repeated keys kept.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use kb_domain::Language;

/// The request as a page sees it.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub(crate) lang: Language,
    /// Whether the language was chosen in the address (`?lang=`): links then keep it.
    pub(crate) chosen: bool,
    /// `scheme://host[:port]` of the deployment, from its configuration.
    pub(crate) origin: String,
    pub(crate) path: String,
    /// The query's pairs in order, `lang` left out.
    pub(crate) params: Vec<(String, String)>,
}

impl FromRequestParts<crate::Site> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        site: &crate::Site,
    ) -> Result<Self, Self::Rejection> {
        Ok(Ctx::of(
            &parts.headers,
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
        )
        .at(&site.origin))
    }
}

impl Ctx {
    pub(crate) fn of(headers: &HeaderMap, path: &str, query: &str) -> Self {
        let mut chosen = None;
        let mut params = Vec::new();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            if k == "lang" {
                chosen = Language::from_code(&v).or(chosen);
            } else {
                params.push((k.into_owned(), v.into_owned()));
            }
        }
        let accepted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Language::from_accept_language);
        Ctx {
            lang: chosen.or(accepted).unwrap_or_default(),
            chosen: chosen.is_some(),
            origin: String::new(),
            path: path.to_owned(),
            params,
        }
    }

    /// The page as served at the deployment's public address `origin`.
    pub(crate) fn at(mut self, origin: &str) -> Self {
        self.origin = origin.to_owned();
        self
    }

    pub(crate) fn en(&self) -> bool {
        self.lang == Language::En
    }

    /// The Dutch or the English text, by the page's language.
    pub(crate) fn t<'a>(&self, nl: &'a str, en: &'a str) -> &'a str {
        if self.en() { en } else { nl }
    }

    /// The `lang` pair links carry: English always, Dutch when the visitor chose it.
    fn carried(&self) -> Option<&'static str> {
        match (self.lang, self.chosen) {
            (Language::En, _) => Some("en"),
            (Language::Nl, true) => Some("nl"),
            (Language::Nl, false) => None,
        }
    }

    /// A link to `target` (a path with or without a query) in the page's language.
    pub(crate) fn href(&self, target: &str) -> String {
        match self.carried() {
            None => target.to_owned(),
            Some(l) if target.contains('?') => format!("{target}&lang={l}"),
            Some(l) => format!("{target}?lang={l}"),
        }
    }

    /// The value of the hidden `lang` field of forms, when links carry one.
    pub(crate) fn lang_field(&self) -> Option<&'static str> {
        self.carried()
    }

    /// The first value of `key` in the query.
    pub(crate) fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key` in the query, in order, empty ones left out.
    pub(crate) fn params(&self, key: &str) -> Vec<&str> {
        self.params
            .iter()
            .filter(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// This page's address in `lang` (for the language switch and canonical URLs):
    /// the path and query, with `lang=en` for English.
    pub(crate) fn address_in(&self, lang: Language) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.params {
            query.append_pair(k, v);
        }
        match lang {
            Language::En => {
                query.append_pair("lang", "en");
            }
            Language::Nl if self.chosen => {
                query.append_pair("lang", "nl");
            }
            Language::Nl => {}
        }
        let query = query.finish();
        if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{query}", self.path)
        }
    }

    /// The canonical URL of this page: absolute, Dutch without `lang`, English with it.
    pub(crate) fn canonical(&self) -> String {
        let plain = Ctx {
            chosen: false,
            ..self.clone()
        };
        format!("{}{}", self.origin, plain.address_in(self.lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(accept: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("kb.example:8080"));
        if let Some(a) = accept {
            h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static(a));
        }
        h
    }

    #[test]
    fn the_address_beats_accept_language_and_dutch_is_the_default() {
        assert_eq!(Ctx::of(&headers(None), "/", "").lang, Language::Nl);
        assert_eq!(
            Ctx::of(&headers(Some("en-GB,en;q=0.8")), "/", "").lang,
            Language::En
        );
        let c = Ctx::of(&headers(Some("en")), "/", "lang=nl");
        assert_eq!((c.lang, c.chosen), (Language::Nl, true));
        assert_eq!(c.href("/zoeken?q=a"), "/zoeken?q=a&lang=nl");
    }

    #[test]
    fn english_links_and_canonicals_carry_the_language() {
        let c = Ctx::of(&headers(Some("en")), "/zoeken", "q=stress&thema=support")
            .at("http://kb.example:8080");
        assert_eq!(c.href("/themas/policy"), "/themas/policy?lang=en");
        assert_eq!(
            c.canonical(),
            "http://kb.example:8080/zoeken?q=stress&thema=support&lang=en"
        );
        assert_eq!(c.address_in(Language::Nl), "/zoeken?q=stress&thema=support");
        let nl = Ctx::of(&headers(None), "/", "").at("http://kb.example:8080");
        assert_eq!(nl.canonical(), "http://kb.example:8080/");
        assert_eq!(nl.href("/zoeken"), "/zoeken");
    }

    #[test]
    fn repeated_keys_are_kept_in_order_and_empty_ones_dropped() {
        let c = Ctx::of(&headers(None), "/zoeken", "thema=a&thema=&thema=b&q=");
        assert_eq!(c.params("thema"), vec!["a", "b"]);
        assert_eq!(c.param("q"), Some(""));
    }

    #[test]
    fn no_link_is_built_from_the_requests_host_or_forwarded_headers() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("evil.example"));
        h.insert("x-forwarded-host", HeaderValue::from_static("evil.example"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let c = Ctx::of(&h, "/zoeken", "q=a").at("https://kennisbank.example");
        assert_eq!(c.canonical(), "https://kennisbank.example/zoeken?q=a");
    }
}
