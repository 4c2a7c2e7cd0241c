//! Who is asking: the API key of a bearer token (or nobody), and the language asked for.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use kb_domain::{ErrorCode, Language};
use kb_graphql::RequestContext;
use kb_store::{Store, StoreError};

use super::response::{error_response, media_type};

/// Who is asking, and in which language. A request without credentials is anonymous;
/// one with an unknown, revoked or expired key is refused, never treated as anonymous.
pub(super) async fn request_context(
    store: &Store,
    headers: &HeaderMap,
) -> Result<RequestContext, Box<Response>> {
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or_default();
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        return Ok(RequestContext::new(None, lang));
    };
    let media = media_type(headers);
    let unauthenticated = |m: &str| {
        Box::new(error_response(
            media,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            m,
        ))
    };
    let secret = auth
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").map(str::trim))
        .ok_or_else(|| unauthenticated("use `Authorization: Bearer <API key>`"))?;
    match store.authenticate(secret).await {
        Ok(key) => Ok(RequestContext::new(Some(key), lang)),
        Err(StoreError::Domain(e)) => Err(unauthenticated(&e.message)),
        Err(StoreError::Unavailable(e)) => {
            tracing::warn!(error = %e, "database unavailable");
            Err(Box::new(error_response(
                media,
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "the database cannot be reached just now; try again shortly",
            )))
        }
        Err(e) => {
            tracing::error!(error = %e, "authentication failed");
            Err(Box::new(error_response(
                media,
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "internal error",
            )))
        }
    }
}
