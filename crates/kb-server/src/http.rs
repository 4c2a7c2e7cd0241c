use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::{MultipartOptions, receive_batch_body};
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, ParseRequestError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kb_domain::{DomainError, ErrorCode, Language};
use kb_graphql::{KbSchema, RequestContext, build_schema};
use kb_store::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::ServerConfig;

/// The media type of GraphQL-over-HTTP responses.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

struct AppState {
    schema: KbSchema,
    store: Store,
    limits: kb_graphql::Limits,
    max_batch: usize,
    rate: crate::rate::RateLimits,
    /// Open subscriptions per key or address.
    subscriptions: Arc<crate::live::Slots>,
    /// For the change-log position in the entity tags of GET queries.
    model: kb_graph::ReadModel,
    persisted: kb_graphql::PersistedQueries,
}

/// The address a request came from (the peer of its connection), when the server knows it.
struct ClientAddress(std::net::IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(Self(address))
    }
}

/// A WebSocket upgrade, when the request asks for one (`Upgrade: websocket`).
struct MaybeUpgrade(Option<axum::extract::WebSocketUpgrade>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for MaybeUpgrade {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let asks = parts
            .headers
            .get(header::UPGRADE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
        if !asks {
            return Ok(Self(None));
        }
        Ok(Self(
            axum::extract::WebSocketUpgrade::from_request_parts(parts, state)
                .await
                .ok(),
        ))
    }
}

/// The router of the whole service.
pub fn router(store: Store, model: kb_graph::ReadModel, config: &ServerConfig) -> Router {
    let exports = crate::export::routes(store.clone(), model.clone());
    let feeds = crate::feeds::routes(store.clone(), model.clone());
    let metrics = config
        .metrics
        .then(|| crate::metrics::routes(store.clone(), model.clone()));
    let schema = build_schema(
        store.clone(),
        model.clone(),
        config.limits(),
        config.resolver_spans,
    );
    let site = kb_web::router(site_client(schema.clone(), store.clone()));
    let state = Arc::new(AppState {
        schema,
        model,
        store,
        limits: config.limits(),
        max_batch: config.max_batch,
        rate: crate::rate::RateLimits::new(config.rate_limits()),
        subscriptions: crate::live::Slots::new(config.max_subscriptions_per_key),
        persisted: kb_graphql::PersistedQueries::new(config.persisted_query_cache),
    });
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .merge(exports)
        .merge(feeds)
        .merge(metrics.unwrap_or_default())
        .merge(site)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(cors(&config.cors_origins))
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            time_limit,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// CORS for these origins: `*` among them allows every origin (the API is public and
/// authenticates by header, never by cookie, so no credentials are involved); otherwise
/// only the origins listed, and none at all for an empty list.
fn cors(origins: &[String]) -> CorsLayer {
    if origins.iter().any(|o| o == "*") {
        return CorsLayer::permissive();
    }
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter(|o| !o.is_empty())
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_NONE_MATCH,
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            header::ETAG,
            HeaderName::from_static("x-request-id"),
        ])
        .max_age(Duration::from_secs(3600))
}

/// How the website reads: each of its GraphQL documents runs in process through the
/// same schema as the API, as the anonymous viewer in the visitor's language, so the site
/// shows exactly what the API shows the public.
fn site_client(schema: KbSchema, store: Store) -> kb_web::Execute {
    Arc::new(move |request, lang| {
        let (schema, store) = (schema.clone(), store.clone());
        Box::pin(async move {
            let ctx = RequestContext::new(None, lang);
            kb_graphql::execute_one(&schema, &store, ctx, request).await
        })
    })
}

/// The span of one request: its method, path and request id (the `x-request-id` the
/// client sent or the one made for it, also sent back in the response), so every log
/// line of the request names it.
fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// Abandons a request that takes longer than `limit`, body upload included, and answers
/// it with 504 and a `TIMEOUT` error in the GraphQL response shape.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let media = media_type(request.headers());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            error_response(
                media,
                StatusCode::GATEWAY_TIMEOUT,
                ErrorCode::Timeout,
                &format!("the request took longer than {limit:?}"),
            )
        }
    }
}

/// A response with only errors, in the GraphQL response shape and the media type of
/// the GraphQL responses to this client ([`media_type`]).
fn error_response(
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
fn refusal(media: &'static str, e: &DomainError) -> Response {
    let status = StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (status, Json(json!({ "errors": [refused_error(e)] }))).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

/// The GraphQL error of a refusal: its message, code and field.
fn refused_error(e: &DomainError) -> async_graphql::ServerError {
    let mut err = async_graphql::ServerError::new(e.message.clone(), None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", e.code.as_str());
    if let Some(field) = &e.field {
        ext.set("field", field.as_str());
    }
    err.extensions = Some(ext);
    err
}

/// Who is asking, and in which language. A request without credentials is anonymous;
/// one with an unknown, revoked or expired key is refused, never treated as anonymous.
async fn request_context(
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

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(GRAPHQL_RESPONSE))
}

/// The media type GraphQL responses to this client get: the GraphQL-over-HTTP one when
/// it accepts that, else `application/json`, which every client understands.
fn media_type(headers: &HeaderMap) -> &'static str {
    if wants_graphql_response(headers) {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    }
}

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
async fn execute(
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
    let body = match &response {
        BatchResponse::Single(r) => serde_json::to_vec(&sent(r)),
        BatchResponse::Batch(list) => {
            serde_json::to_vec(&list.iter().map(sent).collect::<Vec<_>>())
        }
    };
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

/// Counts a request against its key's or address's rate limit: RATE_LIMITED with
/// `Retry-After` when it is over.
fn rate_check(
    state: &AppState,
    ctx: &RequestContext,
    address: std::net::IpAddr,
    media: &'static str,
) -> Result<(), Box<Response>> {
    let Err(wait) = state
        .rate
        .check(ctx.key.as_ref().map(|k| (k.id, k.role)), address)
    else {
        return Ok(());
    };
    let seconds = crate::rate::retry_after(wait);
    let mut r = error_response(
        media,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        &format!("too many requests; try again in {seconds} s"),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    Err(Box::new(r))
}

#[tracing::instrument(skip_all)]
async fn graphql_post(
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
async fn graphql_get(
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

/// Opens a WebSocket for GraphQL over graphql-transport-ws (or graphql-ws), for the key
/// of the upgrade request if it has one; counted by the rate limits as one request.
async fn websocket(
    state: &AppState,
    upgrade: axum::extract::WebSocketUpgrade,
    headers: &HeaderMap,
    address: std::net::IpAddr,
) -> Response {
    let media = media_type(headers);
    let Some(protocol) = crate::live::protocol(headers) else {
        return error_response(
            media,
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            "ask for the WebSocket subprotocol graphql-transport-ws (or graphql-ws)",
        );
    };
    let ctx = match request_context(&state.store, headers).await {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if let Err(r) = rate_check(state, &ctx, address, media) {
        return *r;
    }
    crate::live::upgrade(
        upgrade,
        protocol,
        state.schema.clone(),
        state.store.clone(),
        state.subscriptions.clone(),
        address,
        ctx,
    )
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
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
