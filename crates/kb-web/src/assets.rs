//! Static files compiled into the binary, so the site and GraphiQL need no other host:
//! the style sheet, the favicon, the suggestion and map scripts, and GraphiQL with React
//! (`assets/vendor/graphiql`, licences beside them) and the script and style sheet that
//! start it (`assets/graphiql`). No page carries an inline script or style, so the
//! server's Content-Security-Policy refuses them all.
//!
//! Pages link each file at an address that holds the hash of its content
//! (`/assets/site.3f2a9c1b.css`, computed by `build.rs`), which browsers may keep for a
//! year without asking again: a new content is a new address. The hash sits in the file
//! name rather than in a query string, because some caches on the way do not keep
//! answers to addresses with a query. The address without a hash, and one with a hash
//! that is no longer current (from a page cached before an upgrade), still answer with
//! the file as it is now, kept only briefly.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The style sheet's address.
pub(crate) const CSS_PATH: &str = concat!("/assets/site.", env!("KB_ASSET_SITE_CSS"), ".css");
/// The suggestion script's address.
pub(crate) const JS_PATH: &str = concat!("/assets/suggest.", env!("KB_ASSET_SUGGEST_JS"), ".js");

/// The map script's address.
pub(crate) const MAP_JS_PATH: &str = concat!("/assets/map.", env!("KB_ASSET_MAP_JS"), ".js");

/// How long a file at its hashed address is kept: a year, without asking again.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// How long a file at another address is kept: five minutes, so a page cached from
/// before an upgrade soon gets the new one.
const SHORT: &str = "public, max-age=300";
/// How long the favicon, whose address is fixed by convention, is kept: a day.
const A_DAY: &str = "public, max-age=86400";

const FAVICON: &str = include_str!("../assets/favicon.svg");

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// A file under `/assets/`.
struct Asset {
    /// Its name under `/assets/`, without the hash.
    name: &'static str,
    /// The first 8 hex digits of the SHA-256 of its content.
    hash: &'static str,
    body: &'static [u8],
    media: &'static str,
}

const ASSETS: [Asset; 12] = [
    Asset {
        name: "site.css",
        hash: env!("KB_ASSET_SITE_CSS"),
        body: include_bytes!("../assets/site.css"),
        media: CSS,
    },
    Asset {
        name: "suggest.js",
        hash: env!("KB_ASSET_SUGGEST_JS"),
        body: include_bytes!("../assets/suggest.js"),
        media: JS,
    },
    Asset {
        name: "map.js",
        hash: env!("KB_ASSET_MAP_JS"),
        body: include_bytes!("../assets/map.js"),
        media: JS,
    },
    Asset {
        name: "graphiql/graphiql.min.js",
        hash: env!("KB_ASSET_GRAPHIQL_JS"),
        body: include_bytes!("../assets/vendor/graphiql/graphiql.min.js"),
        media: JS,
    },
    Asset {
        name: "graphiql/graphiql.min.css",
        hash: env!("KB_ASSET_GRAPHIQL_CSS"),
        body: include_bytes!("../assets/vendor/graphiql/graphiql.min.css"),
        media: CSS,
    },
    Asset {
        name: "graphiql/react.production.min.js",
        hash: env!("KB_ASSET_REACT_JS"),
        body: include_bytes!("../assets/vendor/graphiql/react.production.min.js"),
        media: JS,
    },
    Asset {
        name: "graphiql/react-dom.production.min.js",
        hash: env!("KB_ASSET_REACT_DOM_JS"),
        body: include_bytes!("../assets/vendor/graphiql/react-dom.production.min.js"),
        media: JS,
    },
    Asset {
        name: "graphiql/start.js",
        hash: env!("KB_ASSET_GRAPHIQL_START_JS"),
        body: include_bytes!("../assets/graphiql/start.js"),
        media: JS,
    },
    Asset {
        name: "graphiql/page.css",
        hash: env!("KB_ASSET_GRAPHIQL_PAGE_CSS"),
        body: include_bytes!("../assets/graphiql/page.css"),
        media: CSS,
    },
    Asset {
        name: "graphiql/LICENSE.graphiql",
        hash: env!("KB_ASSET_LICENSE_GRAPHIQL"),
        body: include_bytes!("../assets/vendor/graphiql/LICENSE.graphiql"),
        media: TEXT,
    },
    Asset {
        name: "graphiql/LICENSE.react",
        hash: env!("KB_ASSET_LICENSE_REACT"),
        body: include_bytes!("../assets/vendor/graphiql/LICENSE.react"),
        media: TEXT,
    },
    Asset {
        name: "graphiql/LICENSE.react-dom",
        hash: env!("KB_ASSET_LICENSE_REACT_DOM"),
        body: include_bytes!("../assets/vendor/graphiql/LICENSE.react-dom"),
        media: TEXT,
    },
];

/// A file under `/assets/` by name, with a hash (`site.3f2a9c1b.css`) or without one
/// (`site.css`), and whether the hash is the current one.
fn lookup(name: &str) -> Option<(&'static Asset, bool)> {
    let (plain, hash) = split_hash(name);
    let asset = ASSETS.iter().find(|a| a.name == plain)?;
    Some((asset, hash == Some(asset.hash)))
}

/// `name` without a hash before its extension, and the hash: `graphiql.min.3f2a9c1b.js`
/// is `graphiql.min.js` with hash `3f2a9c1b`.
fn split_hash(name: &str) -> (String, Option<&str>) {
    if let Some((rest, extension)) = name.rsplit_once('.')
        && let Some((stem, hash)) = rest.rsplit_once('.')
        && hash.len() == 8
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return (format!("{stem}.{extension}"), Some(hash));
    }
    (name.to_owned(), None)
}

fn cached(body: &'static [u8], media: &'static str, cache: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

pub(crate) async fn file(Path(name): Path<String>) -> Response {
    serve(&name)
}

/// The answer for `/assets/{name}`.
fn serve(name: &str) -> Response {
    match lookup(name) {
        Some((asset, true)) => cached(asset.body, asset.media, IMMUTABLE),
        Some((asset, false)) => cached(asset.body, asset.media, SHORT),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

pub(crate) async fn favicon() -> Response {
    cached(FAVICON.as_bytes(), "image/svg+xml", A_DAY)
}

pub(crate) async fn graphiql() -> Html<&'static str> {
    Html(graphiql_page())
}

/// GraphiQL over `/graphql`, every script and style from this server and none inline.
pub fn graphiql_page() -> &'static str {
    GRAPHIQL_PAGE
}

const GRAPHIQL_PAGE: &str = concat!(
    r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kennisbank · GraphiQL</title>
<meta name="description" content="GraphiQL, the explorer of the Kennisbank GraphQL API">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/graphiql/graphiql.min."#,
    env!("KB_ASSET_GRAPHIQL_CSS"),
    r#".css">
<link rel="stylesheet" href="/assets/graphiql/page."#,
    env!("KB_ASSET_GRAPHIQL_PAGE_CSS"),
    r#".css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/assets/graphiql/react.production.min."#,
    env!("KB_ASSET_REACT_JS"),
    r#".js"></script>
<script src="/assets/graphiql/react-dom.production.min."#,
    env!("KB_ASSET_REACT_DOM_JS"),
    r#".js"></script>
<script src="/assets/graphiql/graphiql.min."#,
    env!("KB_ASSET_GRAPHIQL_JS"),
    r#".js"></script>
<script src="/assets/graphiql/start."#,
    env!("KB_ASSET_GRAPHIQL_START_JS"),
    r#".js"></script>
</body>
</html>
"#
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_graphiql_page_loads_nothing_from_another_host() {
        let page = graphiql_page();
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "{page}"
        );
        for src in [
            "graphiql.min.js",
            "graphiql.min.css",
            "react.production.min.js",
            "react-dom.production.min.js",
        ] {
            assert!(lookup(&format!("graphiql/{src}")).is_some(), "{src}");
        }
    }

    fn hash_of(content: &[u8]) -> String {
        use sha2::Digest;
        hex::encode(&sha2::Sha256::digest(content)[..4])
    }

    #[test]
    fn every_asset_carries_the_first_8_hex_digits_of_the_sha256_of_its_content() {
        for asset in &ASSETS {
            assert_eq!(asset.hash, hash_of(asset.body), "{}", asset.name);
        }
        assert_eq!(
            CSS_PATH,
            format!("/assets/site.{}.css", hash_of(ASSETS[0].body))
        );
        assert_eq!(
            JS_PATH,
            format!("/assets/suggest.{}.js", hash_of(ASSETS[1].body))
        );
        assert_eq!(
            MAP_JS_PATH,
            format!("/assets/map.{}.js", hash_of(ASSETS[2].body))
        );
    }

    #[test]
    fn the_graphiql_page_loads_its_scripts_and_style_at_their_current_hashed_addresses() {
        let page = graphiql_page();
        let scripts_and_styles = ASSETS
            .iter()
            .filter(|a| a.name.starts_with("graphiql/") && !a.name.contains("LICENSE"));
        for asset in scripts_and_styles {
            let (stem, extension) = asset.name.rsplit_once('.').expect("an extension");
            let url = format!("\"/assets/{stem}.{}.{extension}\"", asset.hash);
            assert!(page.contains(&url), "{url}");
        }
        assert!(
            !page.contains("graphiql.min.js\""),
            "an address without a hash"
        );
    }

    #[test]
    fn a_hash_is_read_from_before_the_extension() {
        assert_eq!(
            split_hash("graphiql/graphiql.min.0123abcd.js"),
            ("graphiql/graphiql.min.js".to_owned(), Some("0123abcd"))
        );
        assert_eq!(split_hash("site.css"), ("site.css".to_owned(), None));
        // Not 8 lower-case hex digits: part of the name.
        assert_eq!(
            split_hash("graphiql/react.production.min.js"),
            ("graphiql/react.production.min.js".to_owned(), None)
        );
        assert_eq!(
            split_hash("site.0123ABCD.css"),
            ("site.0123ABCD.css".to_owned(), None)
        );
    }

    fn cache_control(r: &Response) -> &str {
        r.headers()[header::CACHE_CONTROL].to_str().expect("ASCII")
    }

    #[test]
    fn a_file_at_its_hashed_address_is_kept_for_a_year_without_asking_again() {
        let r = serve(CSS_PATH.trim_start_matches("/assets/"));
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(cache_control(&r), "public, max-age=31536000, immutable");
        assert_eq!(r.headers()[header::CONTENT_TYPE], CSS);
    }

    #[test]
    fn an_address_without_a_hash_or_with_an_old_one_still_answers_but_briefly() {
        for name in ["site.css", "site.00000000.css"] {
            let r = serve(name);
            assert_eq!(r.status(), StatusCode::OK, "{name}");
            assert_eq!(cache_control(&r), "public, max-age=300", "{name}");
            let (asset, current) = lookup(name).expect("the style sheet");
            assert_eq!((asset.name, current), ("site.css", false));
        }
        assert_eq!(serve("nothing.0123abcd.js").status(), StatusCode::NOT_FOUND);
    }
}
