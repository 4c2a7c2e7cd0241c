//! Static files compiled into the binary, so the site and GraphiQL need no other host:
//! the style sheet, the favicon, the suggestion script, and GraphiQL with React
//! (`assets/vendor/graphiql`, licences beside them).

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The style sheet's address; the version in it lets browsers keep it for a day.
pub(crate) const CSS_PATH: &str = concat!("/assets/site.css?v=", env!("CARGO_PKG_VERSION"));
/// The suggestion script's address.
pub(crate) const JS_PATH: &str = concat!("/assets/suggest.js?v=", env!("CARGO_PKG_VERSION"));

const FAVICON: &str = include_str!("../assets/favicon.svg");

/// A file under `/assets/` by name, with its media type.
fn lookup(name: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match name {
        "site.css" => (
            include_bytes!("../assets/site.css"),
            "text/css; charset=utf-8",
        ),
        "suggest.js" => (
            include_bytes!("../assets/suggest.js"),
            "text/javascript; charset=utf-8",
        ),
        "graphiql/graphiql.min.js" => (
            include_bytes!("../assets/vendor/graphiql/graphiql.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "graphiql/graphiql.min.css" => (
            include_bytes!("../assets/vendor/graphiql/graphiql.min.css"),
            "text/css; charset=utf-8",
        ),
        "graphiql/react.production.min.js" => (
            include_bytes!("../assets/vendor/graphiql/react.production.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "graphiql/react-dom.production.min.js" => (
            include_bytes!("../assets/vendor/graphiql/react-dom.production.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "graphiql/LICENSE.graphiql" | "graphiql/LICENSE.react" | "graphiql/LICENSE.react-dom" => (
            match name {
                "graphiql/LICENSE.graphiql" => {
                    include_bytes!("../assets/vendor/graphiql/LICENSE.graphiql").as_slice()
                }
                "graphiql/LICENSE.react" => {
                    include_bytes!("../assets/vendor/graphiql/LICENSE.react").as_slice()
                }
                _ => include_bytes!("../assets/vendor/graphiql/LICENSE.react-dom").as_slice(),
            },
            "text/plain; charset=utf-8",
        ),
        _ => return None,
    })
}

fn cached(body: &'static [u8], media: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

pub(crate) async fn file(Path(name): Path<String>) -> Response {
    match lookup(&name) {
        Some((body, media)) => cached(body, media),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

pub(crate) async fn favicon() -> Response {
    cached(FAVICON.as_bytes(), "image/svg+xml")
}

pub(crate) async fn graphiql() -> Html<&'static str> {
    Html(graphiql_page())
}

/// GraphiQL over `/graphql`, every script and style from this server.
pub fn graphiql_page() -> &'static str {
    r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kennisbank · GraphiQL</title>
<meta name="description" content="GraphiQL, the explorer of the Kennisbank GraphQL API">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/graphiql/graphiql.min.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/assets/graphiql/react.production.min.js"></script>
<script src="/assets/graphiql/react-dom.production.min.js"></script>
<script src="/assets/graphiql/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: '{\n  themes { code label }\n  initiatives(first: 5) { totalCount nodes { slug title } }\n}\n',
    }),
  );
</script>
</body>
</html>
"#
}

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
}
