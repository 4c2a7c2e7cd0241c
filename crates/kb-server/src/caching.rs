//! Conditional GET: entity tags and `304 Not Modified`, shared by the exports, the feeds
//! and GET queries on `/graphql`. Every tag starts with the read model's change-log
//! position, so any write makes every tag new; what else goes in says what the content
//! depends on besides (the export, the query text and variables, the viewer, the
//! language), and for generated answers a digest of the body itself, since some answers
//! also move with the clock (coming events leave a list when they end).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Whether `If-None-Match` names `etag` (weak comparison, as for GET) or is `*`.
pub(crate) fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

/// The first 16 hex digits of the SHA-256 of `parts`, each ended by a NUL so that
/// ("ab", "c") and ("a", "bc") differ.
pub(crate) fn digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0]);
    }
    hex::encode(&h.finalize()[..8])
}

/// A weak tag of content named `name` at change-log `position`.
pub(crate) fn etag(position: i64, name: &str) -> String {
    format!("W/\"kb-{position}-{name}\"")
}

/// The tag of a GET query's answer: the position it was read at, the query string
/// (document, variables, operation name), who asked (the key, or no one), the language
/// and media type of the answer, and the answer's digest, so that two different queries
/// or viewers never share a tag and an answer that moved with the clock gets a new one.
pub(crate) fn graphql_etag(
    position: i64,
    query: &str,
    key: Option<kb_domain::ApiKeyId>,
    lang: kb_domain::Language,
    media: &str,
    body: &[u8],
) -> String {
    let who = key.map_or_else(|| "anonymous".to_owned(), |k| format!("key-{}", k.0));
    let lang = lang.code();
    let request = digest([
        query.as_bytes(),
        who.as_bytes(),
        lang.as_bytes(),
        media.as_bytes(),
    ]);
    etag(position, &format!("q-{request}-{}", digest([body])))
}

/// `response` with its tag and the caching rule: caches may keep a copy but ask each
/// time whether it is still current (`private` for what a key reads).
pub(crate) fn tagged(mut response: Response, etag: &str, private: bool) -> Response {
    let Ok(tag) = HeaderValue::from_str(etag) else {
        return response;
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, tag);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if private {
            "private, no-cache"
        } else {
            "no-cache"
        }),
    );
    response
}

/// `304 Not Modified` with the tag and no body, when the client holds `etag`; else the
/// response `make` builds, tagged.
pub(crate) fn conditional(
    headers: &HeaderMap,
    etag: &str,
    private: bool,
    make: impl FnOnce() -> Response,
) -> Response {
    let response = if matches(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        make()
    };
    tagged(response, etag, private)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_reads_lists() {
        let etag = "W/\"kb-3-graph-graphml\"";
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_static(v));
            h
        };
        assert!(matches(&with("W/\"kb-3-graph-graphml\""), etag));
        assert!(matches(&with("\"kb-3-graph-graphml\""), etag));
        assert!(matches(&with("\"x\", W/\"kb-3-graph-graphml\""), etag));
        assert!(matches(&with("*"), etag));
        assert!(!matches(&with("W/\"kb-2-graph-graphml\""), etag));
        assert!(!matches(&HeaderMap::new(), etag));
    }

    #[test]
    fn digests_keep_their_parts_apart() {
        let a = digest([b"ab".as_slice(), b"c".as_slice()]);
        let b = digest([b"a".as_slice(), b"bc".as_slice()]);
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert_eq!(a, digest([b"ab".as_slice(), b"c".as_slice()]));
    }

    #[test]
    fn a_digest_is_the_first_16_lower_case_hex_digits_of_the_sha256() {
        // sha256("abc\0") starts dc1114cd074914bd.
        assert_eq!(digest([b"abc".as_slice()]), "dc1114cd074914bd");
    }

    #[test]
    fn a_matching_tag_is_answered_with_304_and_no_body() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("W/\"kb-1-x\""),
        );
        let r = conditional(&h, "W/\"kb-1-x\"", false, || "body".into_response());
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(r.headers()[header::ETAG], "W/\"kb-1-x\"");
        let r = conditional(&HeaderMap::new(), "W/\"kb-1-x\"", true, || {
            "body".into_response()
        });
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CACHE_CONTROL], "private, no-cache");
    }
}
