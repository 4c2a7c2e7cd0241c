//! Compression of text answers (brotli or gzip, as the client accepts): pages, JSON and
//! GraphQL responses, style sheets and scripts, the Atom and iCalendar feeds and the
//! CSV, GraphML, JSON and JSON-LD exports. Text shrinks to a fifth or less; images other
//! than SVG are compressed already, and a few hundred bytes gain nothing.
//!
//! The layer itself is tower-http's. What it compresses is decided here, by media type
//! and status, rather than by tower-http's default (everything but images, gRPC and
//! event streams): an answer of a kind added later is left alone until it is listed.
//! Event streams are never compressed, since the encoder would hold back each event
//! until it had gathered enough bytes; and a `101 Switching Protocols` answer (the
//! WebSocket upgrade of subscriptions), like any answer without a body, is passed on as
//! it is: tower-http itself looks only at the predicate, not at the status.

use axum::http::{HeaderMap, Response, StatusCode, header};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Answers smaller than this go out as they are: below it the headers and the framing
/// of a compressed body cost about what compression saves.
pub const MIN_SIZE: u16 = 256;

/// Whether an answer is worth compressing: see the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compressible;

impl Predicate for Compressible {
    fn should_compress<B>(&self, response: &Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        has_body(response.status())
            && is_text(response.headers())
            && SizeAbove::new(MIN_SIZE.into()).should_compress(response)
    }
}

/// The compression layer of every route: brotli or gzip, at a level that keeps the time
/// spent compressing small next to the time spent answering.
pub(crate) fn layer() -> CompressionLayer<Compressible> {
    CompressionLayer::new()
        // Brotli's own default (11) takes tens of milliseconds for a large page; 4
        // compresses about as well as gzip's best, several times faster.
        .quality(CompressionLevel::Precise(4))
        .compress_when(Compressible)
}

/// Informational answers (`101` included), `204 No Content` and `304 Not Modified` have
/// no body to compress.
fn has_body(status: StatusCode) -> bool {
    !(status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED)
}

/// Whether the answer's media type is text: `text/*` but event streams, JSON and XML
/// with their `+json` and `+xml` kinds (GraphQL responses, JSON-LD, Atom, GraphML, SVG),
/// and JavaScript.
fn is_text(headers: &HeaderMap) -> bool {
    let Some(media) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
    else {
        return false;
    };
    let media = media.trim().to_ascii_lowercase();
    let Some((kind, subtype)) = media.split_once('/') else {
        return false;
    };
    match kind {
        "text" => subtype != "event-stream",
        "application" | "image" => {
            matches!(subtype, "json" | "xml" | "javascript")
                || subtype.ends_with("+json")
                || subtype.ends_with("+xml")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, header::HeaderValue};
    use axum::routing::get;
    use tower::ServiceExt;

    fn answer(status: StatusCode, media: &str, size: usize) -> Response<Body> {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, media)
            .body(Body::from("a".repeat(size)))
            .expect("a response")
    }

    fn compressed(status: StatusCode, media: &str, size: usize) -> bool {
        Compressible.should_compress(&answer(status, media, size))
    }

    #[test]
    fn every_text_answer_of_the_service_is_compressed() {
        for media in [
            "text/html; charset=utf-8",
            "application/json",
            "application/graphql-response+json",
            "text/css; charset=utf-8",
            "text/javascript; charset=utf-8",
            "application/javascript",
            "application/atom+xml; charset=utf-8",
            "application/xml; charset=utf-8",
            "text/calendar; charset=utf-8",
            "text/csv; charset=utf-8",
            "application/graphml+xml",
            "application/ld+json",
            "text/plain; version=0.0.4",
            "image/svg+xml",
            "Text/HTML",
        ] {
            assert!(compressed(StatusCode::OK, media, 4096), "{media}");
        }
        assert!(compressed(StatusCode::NOT_FOUND, "text/html", 4096));
    }

    #[test]
    fn images_event_streams_and_unknown_kinds_are_not_compressed() {
        for media in [
            "image/png",
            "image/jpeg",
            "text/event-stream",
            "application/octet-stream",
            "application/zip",
            "font/woff2",
            "",
        ] {
            assert!(!compressed(StatusCode::OK, media, 4096), "{media:?}");
        }
        let mut no_type = answer(StatusCode::OK, "text/html", 4096);
        no_type.headers_mut().remove(header::CONTENT_TYPE);
        assert!(!Compressible.should_compress(&no_type));
    }

    #[test]
    fn answers_below_the_minimum_size_are_sent_as_they_are() {
        let min = usize::from(MIN_SIZE);
        assert!(!compressed(StatusCode::OK, "text/html", min - 1));
        assert!(compressed(StatusCode::OK, "text/html", min));
    }

    #[test]
    fn switching_protocols_and_answers_without_a_body_are_left_alone() {
        for status in [
            StatusCode::SWITCHING_PROTOCOLS,
            StatusCode::NO_CONTENT,
            StatusCode::NOT_MODIFIED,
        ] {
            assert!(!compressed(status, "text/html", 4096), "{status}");
        }
    }

    fn app() -> Router {
        let page = "<p>Welzijn van studenten</p>".repeat(100);
        Router::new()
            .route(
                "/page",
                get(move || async move { axum::response::Html(page) }),
            )
            .route(
                "/upgrade",
                get(|| async {
                    Response::builder()
                        .status(StatusCode::SWITCHING_PROTOCOLS)
                        .header(header::CONNECTION, "upgrade")
                        .header(header::UPGRADE, "websocket")
                        .body(Body::empty())
                        .expect("a response")
                }),
            )
            .layer(layer())
    }

    async fn fetch(path: &str, accept: &str) -> Response<Body> {
        app()
            .oneshot(
                Request::get(path)
                    .header(header::ACCEPT_ENCODING, accept)
                    .body(Body::empty())
                    .expect("a request"),
            )
            .await
            .expect("an answer")
    }

    fn encoding(r: &Response<Body>) -> Option<&HeaderValue> {
        r.headers().get(header::CONTENT_ENCODING)
    }

    #[tokio::test]
    async fn a_page_is_sent_in_brotli_or_gzip_as_the_client_accepts() {
        let br = fetch("/page", "gzip, br").await;
        assert_eq!(encoding(&br).map(HeaderValue::as_bytes), Some(&b"br"[..]));
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        let gzip = fetch("/page", "gzip").await;
        assert_eq!(
            encoding(&gzip).map(HeaderValue::as_bytes),
            Some(&b"gzip"[..])
        );
        let plain = fetch("/page", "identity").await;
        assert_eq!(encoding(&plain), None);
        let body = axum::body::to_bytes(plain.into_body(), usize::MAX)
            .await
            .expect("the body");
        assert_eq!(body.len(), 2800);
    }

    #[tokio::test]
    async fn a_websocket_upgrade_passes_through_untouched() {
        let r = fetch("/upgrade", "gzip, br").await;
        assert_eq!(r.status(), StatusCode::SWITCHING_PROTOCOLS);
        assert_eq!(encoding(&r), None);
        assert_eq!(r.headers().get(header::VARY), None);
        assert_eq!(r.headers()[header::UPGRADE], "websocket");
    }
}
