//! Running a GraphQL request or batch once it has been read: authentication, rate limits,
//! the batch size, persisted queries and trusted documents, then the answer as GraphQL
//! over HTTP has it, with an entity tag for GET.

use std::collections::BTreeMap;

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kb_domain::ErrorCode;
use kb_graphql::RequestContext;
use serde::Serialize;

use super::auth::request_context;
use super::kept::Key;
use super::rate_limit::rate_check;
use super::response::{GRAPHQL_RESPONSE, error_response, media_type, refusal, refused_error};
use super::state::AppState;

/// Whether a document failed to parse or validate, so that nothing was executed. Errors
/// raised while executing always carry the path of their field; these carry none.
fn failed_before_execution(r: &async_graphql::Response) -> bool {
    r.data == async_graphql::Value::Null
        && !r.errors.is_empty()
        && r.errors.iter().all(|e| e.path.is_empty())
}

/// One GraphQL response as it is sent. GraphQL over HTTP forbids a `data` entry when
/// the document failed before execution; `application/json` clients keep the
/// `"data": null` they have always had.
#[derive(Serialize)]
struct Sent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [async_graphql::ServerError],
}

impl<'a> Sent<'a> {
    fn of(r: &'a async_graphql::Response, modern: bool) -> Self {
        Sent {
            data: (!(modern && failed_before_execution(r))).then_some(&r.data),
            extensions: &r.extensions,
            errors: &r.errors,
        }
    }
}

/// Runs a (batch) request: authenticates it, applies the rate limits and the batch
/// size, resolves persisted queries and trusted documents (see
/// [`kb_graphql::persisted`]), refuses a mutation that came by GET (`get` holds the URL
/// query string of a GET), and executes the rest.
pub(super) async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    address: std::net::IpAddr,
    batch: BatchRequest,
    get: Option<&str>,
) -> Response {
    let media = media_type(headers);
    let ctx = match request_context(&state.store, headers).await {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if let Err(r) = rate_check(state, &ctx, address, media) {
        return *r;
    }
    if let BatchRequest::Batch(list) = &batch
        && list.len() > state.max_batch
    {
        return error_response(
            media,
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::LimitExceeded,
            &format!("at most {} operations in one batch", state.max_batch),
        );
    }
    let screen = |q: &str| state.limits.screen(q).is_ok();
    let key = ctx.key.clone();
    match batch {
        BatchRequest::Single(mut request) => {
            if let Err(e) = state
                .persisted
                .resolve(&state.store, key.as_ref(), screen, &mut request)
                .await
            {
                return refusal(media, &e);
            }
            if get.is_some() && is_mutation(&state.limits, &request) {
                let mut r = error_response(
                    media,
                    StatusCode::METHOD_NOT_ALLOWED,
                    ErrorCode::BadUserInput,
                    "mutations need POST",
                );
                r.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("POST"));
                return r;
            }
            let batch = BatchRequest::Single(request);
            respond(state, headers, ctx, batch, Vec::new(), get).await
        }
        BatchRequest::Batch(list) => {
            let (mut runs, mut refused) = (Vec::new(), Vec::new());
            for (i, mut request) in list.into_iter().enumerate() {
                match state
                    .persisted
                    .resolve(&state.store, key.as_ref(), screen, &mut request)
                    .await
                {
                    Ok(()) => runs.push(request),
                    Err(e) => refused.push((i, refused_error(&e))),
                }
            }
            let batch = BatchRequest::Batch(runs);
            respond(state, headers, ctx, batch, refused, get).await
        }
    }
}

/// Whether the operation a request runs is a mutation (or a subscription): what GET may
/// not run. Only a text that passes the limits' screen is parsed here; one that does not
/// is refused by the schema itself, mutation or not.
fn is_mutation(limits: &kb_graphql::Limits, request: &async_graphql::Request) -> bool {
    if limits.screen(&request.query).is_err() {
        return false;
    }
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    doc.operations.iter().any(|(name, op)| {
        let selected = match (&request.operation_name, name) {
            (Some(wanted), Some(n)) => wanted.as_str() == n.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        };
        selected && op.node.ty != OperationType::Query
    })
}

/// Executes a (batch) request and answers per GraphQL over HTTP: with
/// `application/graphql-response+json` a document that fails before execution gets
/// 400 and no `data` (in a batch, no `data` for that operation; the batch stays 200);
/// with `application/json` every GraphQL result is 200. `refused` are the operations of
/// a batch refused before execution, with their places in it and their errors.
///
/// A GET query (`get` holds its URL query string) gets an entity tag and `304` when the
/// client holds it (see [`crate::caching::graphql_etag`]); POST is never cached.
async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    ctx: RequestContext,
    batch: BatchRequest,
    refused: Vec<(usize, async_graphql::ServerError)>,
    get: Option<&str>,
) -> Response {
    let media = media_type(headers);
    // An analytics query answers alike until the next change: kept, its bytes are sent
    // again without running it (see `kept`). Its position is read before running it.
    let kept = match &batch {
        BatchRequest::Single(r) => {
            Key::of(r, kb_store::access::reading(ctx.viewer), ctx.lang, media)
                .map(|key| (state.model.applied_at(), key))
        }
        BatchRequest::Batch(_) => None,
    };
    // Read before executing: a change applied meanwhile makes the tag older than the
    // answer, never newer.
    let cache = match get {
        Some(q) => Some((
            state.model.position().await,
            q,
            ctx.key.as_ref().map(|k| k.id),
            ctx.lang,
        )),
        None => None,
    };
    if let Some((position, key)) = &kept
        && let Some(body) = state.kept.get(*position, key)
    {
        kb_graphql::observe::kept(key.name());
        return answer(headers, media, StatusCode::OK, body, true, cache);
    }
    let response = match batch {
        BatchRequest::Batch(list) if list.is_empty() => BatchResponse::Batch(Vec::new()),
        batch => kb_graphql::execute(&state.schema, &state.store, ctx, batch).await,
    };
    let response = match response {
        BatchResponse::Batch(mut list) => {
            for (i, e) in refused {
                list.insert(
                    i.min(list.len()),
                    async_graphql::Response::from_errors(vec![e]),
                );
            }
            BatchResponse::Batch(list)
        }
        single => single,
    };
    let modern = media == GRAPHQL_RESPONSE;
    let status = match &response {
        BatchResponse::Single(r) if modern && failed_before_execution(r) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let sent = |r| Sent::of(r, modern);
    // Room for a page's answer at once; a larger one grows from there.
    let mut body = Vec::with_capacity(16 * 1024);
    let written = match &response {
        BatchResponse::Single(r) => serde_json::to_writer(&mut body, &sent(r)),
        BatchResponse::Batch(list) => {
            serde_json::to_writer(&mut body, &list.iter().map(sent).collect::<Vec<_>>())
        }
    };
    let body = written.map(|()| Bytes::from(body));
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a response");
            return error_response(
                media,
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "internal error",
            );
        }
    };
    let cacheable = status == StatusCode::OK
        && matches!(&response, BatchResponse::Single(r) if r.errors.is_empty());
    if let Some((position, key)) = kept
        && cacheable
    {
        state
            .kept
            .keep(position, state.model.applied_at(), key, body.clone());
    }
    answer(headers, media, status, body, cacheable, cache)
}

/// The HTTP answer of a GraphQL `body`: with an entity tag and `304` for a GET query
/// (`cache` holds what its tag is made of) whose answer is `cacheable`.
fn answer(
    headers: &HeaderMap,
    media: &'static str,
    status: StatusCode,
    body: Bytes,
    cacheable: bool,
    cache: Option<(i64, &str, Option<kb_domain::ApiKeyId>, kb_domain::Language)>,
) -> Response {
    let etag = cache
        .filter(|_| cacheable)
        .map(|(position, query, key, lang)| {
            let tag = crate::caching::graphql_etag(position, query, key, lang, media, &body);
            (tag, key.is_some())
        });
    let respond = move || {
        let mut r = (status, body).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
        r
    };
    let Some((etag, private)) = etag else {
        return respond();
    };
    let mut r = crate::caching::conditional(headers, &etag, private, respond);
    r.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Authorization, Accept, Accept-Language"),
    );
    r
}
