//! The media type GraphQL responses get, and the responses in the GraphQL shape that
//! carry only errors: refusals before the schema sees a request, and failures around it.

use async_graphql::ServerError;
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kb_domain::{DomainError, ErrorCode};
use serde_json::json;

/// The media type of GraphQL-over-HTTP responses.
pub(super) const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// A response with only errors, in the GraphQL response shape and the media type of
/// the GraphQL responses to this client ([`media_type`]).
pub(super) fn error_response(
    media: &'static str,
    status: StatusCode,
    code: ErrorCode,
    message: &str,
) -> Response {
    let body =
        json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    let mut r = (status, Json(body)).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

/// A request refused before the schema saw it, with the status of its code (200 for
/// `PERSISTED_QUERY_NOT_FOUND`, which Apollo's clients answer by sending the text).
pub(super) fn refusal(media: &'static str, e: &DomainError) -> Response {
    let status = StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (status, Json(json!({ "errors": [refused_error(e)] }))).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

/// The GraphQL error of a refusal: its message, code and field.
pub(super) fn refused_error(e: &DomainError) -> ServerError {
    let mut err = ServerError::new(e.message.clone(), None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", e.code.as_str());
    if let Some(field) = &e.field {
        ext.set("field", field.as_str());
    }
    err.extensions = Some(ext);
    err
}

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(GRAPHQL_RESPONSE))
}

/// The media type GraphQL responses to this client get: the GraphQL-over-HTTP one when
/// it accepts that, else `application/json`, which every client understands.
pub(super) fn media_type(headers: &HeaderMap) -> &'static str {
    if wants_graphql_response(headers) {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    }
}
