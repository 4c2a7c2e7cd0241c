//! The `/graphql` endpoint: POST bodies of every media type it reads, and GET, which
//! serves a query from the URL, GraphiQL to a browser, or a WebSocket.

use std::sync::Arc;

use async_graphql::http::{MultipartOptions, receive_batch_body};
use async_graphql::{BatchRequest, ParseRequestError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kb_domain::ErrorCode;

use super::execution::execute;
use super::rate_limit::ClientAddress;
use super::response::{error_response, media_type};
use super::state::AppState;
use super::websocket::{MaybeUpgrade, websocket};

#[tracing::instrument(skip_all)]
pub(super) async fn graphql_post(
    State(state): State<Arc<AppState>>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let media = media_type(&headers);
    let body = match body {
        Ok(b) => b,
        Err(BytesRejection::FailedToBufferBody(_)) => {
            return error_response(
                media,
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::LimitExceeded,
                "request body too large",
            );
        }
        Err(e) => {
            return error_response(
                media,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadUserInput,
                &e.body_text(),
            );
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let unsupported = |message| {
        error_response(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadUserInput,
            message,
        )
    };
    let batch = match body_kind(content_type) {
        BodyKind::Json => {
            let received =
                receive_batch_body(content_type, &body[..], MultipartOptions::default()).await;
            match received {
                Ok(batch) => batch,
                Err(e) => return parse_error_response(media, e),
            }
        }
        // async-graphql reads every non-multipart body as JSON; a bare document is ours.
        BodyKind::Document => match std::str::from_utf8(&body) {
            Ok(q) => BatchRequest::Single(async_graphql::Request::new(q)),
            Err(_) => {
                return error_response(
                    media,
                    StatusCode::BAD_REQUEST,
                    ErrorCode::BadUserInput,
                    "the body is not UTF-8",
                );
            }
        },
        // async-graphql would read file uploads, but the schema has no Upload scalar.
        BodyKind::Multipart => {
            return unsupported(
                "multipart requests (file uploads) are not supported: send application/json",
            );
        }
        BodyKind::Other => return unsupported("send application/json (or application/graphql)"),
    };
    execute(&state, &headers, address, batch, None).await
}

/// How a POST body is read, by its media type.
#[derive(Debug, PartialEq, Eq)]
enum BodyKind {
    /// A GraphQL request or a batch of them, as JSON.
    Json,
    /// `application/graphql`: a bare document.
    Document,
    /// `multipart/*`: file uploads.
    Multipart,
    Other,
}

/// Media types are case-insensitive and may carry parameters (`; charset=utf-8`). A
/// body without one is taken for JSON, as clients that send none mean.
fn body_kind(content_type: Option<&str>) -> BodyKind {
    let Some(content_type) = content_type else {
        return BodyKind::Json;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => BodyKind::Json,
        "application/graphql" => BodyKind::Document,
        e if e.starts_with("application/") && e.ends_with("+json") => BodyKind::Json,
        e if e.starts_with("multipart/") => BodyKind::Multipart,
        _ => BodyKind::Other,
    }
}

/// The coded response to a body async-graphql could not read.
fn parse_error_response(media: &'static str, e: ParseRequestError) -> Response {
    let (status, code, message) = match e {
        ParseRequestError::PayloadTooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::LimitExceeded,
            "request body too large".to_owned(),
        ),
        ParseRequestError::InvalidRequest(e) => (
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            format!("invalid GraphQL request: {e}"),
        ),
        ParseRequestError::Io(e) => (
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            format!("cannot read the request body: {e}"),
        ),
        // Multipart is refused before async-graphql sees the body; any other variant
        // is a request we cannot read either.
        other => (
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            format!("invalid GraphQL request: {other}"),
        ),
    };
    error_response(media, status, code, &message)
}

/// GET: a WebSocket for subscriptions when asked to upgrade; GraphiQL for a browser
/// without a query; otherwise a query from the URL, which may not be a mutation.
#[tracing::instrument(skip_all)]
pub(super) async fn graphql_get(
    State(state): State<Arc<AppState>>,
    ClientAddress(address): ClientAddress,
    MaybeUpgrade(upgrade): MaybeUpgrade,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(upgrade) = upgrade {
        return websocket(&state, upgrade, &headers, address).await;
    }
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let media = media_type(&headers);
    let query = query.unwrap_or_default();
    if browser && !query.contains("query=") {
        return Html(kb_web::graphiql_page()).into_response();
    }
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(r) => r,
        Err(e) => {
            return error_response(
                media,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadUserInput,
                &format!("invalid GraphQL request: {e}"),
            );
        }
    };
    execute(
        &state,
        &headers,
        address,
        BatchRequest::Single(request),
        Some(&query),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_read_without_case_or_parameters() {
        assert_eq!(body_kind(None), BodyKind::Json);
        assert_eq!(body_kind(Some("application/json")), BodyKind::Json);
        assert_eq!(
            body_kind(Some("Application/JSON; charset=utf-8")),
            BodyKind::Json
        );
        assert_eq!(
            body_kind(Some("application/graphql-response+json")),
            BodyKind::Json
        );
        assert_eq!(
            body_kind(Some("application/graphql; charset=utf-8")),
            BodyKind::Document
        );
        assert_eq!(
            body_kind(Some("multipart/form-data; boundary=x")),
            BodyKind::Multipart
        );
        assert_eq!(body_kind(Some("text/plain")), BodyKind::Other);
        assert_eq!(body_kind(Some("text/json")), BodyKind::Other);
    }

    #[test]
    fn an_oversized_body_is_limit_exceeded_and_a_malformed_one_bad_input() {
        let r = parse_error_response("application/json", ParseRequestError::PayloadTooLarge);
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let r = parse_error_response(
            "application/json",
            ParseRequestError::InvalidRequest("expected value".into()),
        );
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
}
