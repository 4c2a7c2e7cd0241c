//! The router of the whole service and the layers around it: body limit, CORS (for the
//! public API, feeds and exports only), the time limit, security headers, HTTPS, request
//! ids and the span of each request.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use kb_domain::ErrorCode;
use kb_graphql::{KbSchema, RequestContext, build_schema};
use kb_store::Store;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use super::graphql::{graphql_get, graphql_post};
use super::health::{healthz, readyz};
use super::kept::{KeptAnswers, Key};
use super::response::{error_response, media_type};
use super::state::AppState;
use crate::ServerConfig;
use crate::shutdown::Shutdown;

/// The router of the whole service, listening at `bound`; its subscribers are told to go
/// when `shutdown` begins.
pub fn router(
    store: Store,
    model: kb_readmodel::ReadModel,
    config: &ServerConfig,
    bound: std::net::SocketAddr,
    shutdown: Shutdown,
) -> Router {
    let public = config.public_address(bound);
    let hosts = Arc::new(crate::public::AllowedHosts::new(
        &public,
        config.public_url.is_some(),
        &config.allowed_hosts,
        bound,
    ));
    let proxies = Arc::new(config.proxies());
    let exports = super::exports::routes(store.clone(), model.clone());
    let feeds = super::feeds::routes(store.clone(), model.clone(), public.origin());
    let csp = Arc::new(super::csp_report::CspReports::default());
    let metrics = config
        .metrics
        .then(|| crate::metrics::routes(store.clone(), model.clone(), csp.clone()));
    let schema = build_schema(
        store.clone(),
        model.clone(),
        config.limits(),
        config.resolver_spans,
    );
    let sessions = Arc::new(super::session::Sessions {
        store: store.clone(),
        cookies: super::session::Cookies {
            lifetime: config.session_lifetime(),
            public: public.clone(),
        },
        max_body: config.max_body_bytes,
    });
    let mailer = config.smtp_url.as_ref().and_then(|url| {
        crate::mail::Mailer::new(url, &config.mail_from)
            .inspect_err(|e| tracing::error!(error = %e, "signing in by e-mail is off"))
            .ok()
    });
    let providers = crate::oidc::OidcProvider::from_flags(
        &config.oidc_issuer,
        &config.oidc_client_id,
        &config.oidc_client_secret,
        &config.oidc_name,
        &format!("{}/aanmelden/oidc", public.origin()),
    )
    .inspect_err(|e| tracing::error!(error = %e, "signing in with OpenID is off"))
    .unwrap_or_default();
    let options = kb_web::SignInOptions {
        email: mailer.is_some(),
        providers: providers
            .iter()
            .map(|p| (p.key.clone(), p.name.clone()))
            .collect(),
    };
    let oidc = Arc::new(super::oidc::Oidc {
        sessions: sessions.clone(),
        providers,
    });
    let sign_in = Arc::new(super::sign_in::SignIn::new(sessions.clone(), mailer));
    let site = kb_web::router(
        site_client(schema.clone(), store.clone(), model.clone()),
        public.origin(),
        config.privacy(),
        options,
    )
    .merge(super::sign_in::routes(sign_in))
    .merge(super::personal_data::routes(sessions.clone()))
    .merge(super::oidc::routes(oidc))
    .layer(middleware::from_fn_with_state(
        sessions,
        super::session::sessions,
    ))
    .layer(middleware::from_fn_with_state(
        hosts,
        crate::public::site_host,
    ));
    let state = Arc::new(AppState {
        schema,
        model,
        store,
        limits: config.limits(),
        max_batch: config.max_batch,
        rate: crate::rate::RateLimits::new(config.rate_limits()),
        subscriptions: crate::live::Subscriptions::new(config.max_subscriptions_per_key, shutdown),
        persisted: kb_graphql::PersistedQueries::new(config.persisted_query_cache),
        kept: Default::default(),
    });
    // The public API, the feeds and the exports: other sites may call and embed them.
    // CORS is theirs alone; the website's pages never carry it.
    let public_answers = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .with_state(state.clone())
        .merge(exports)
        .merge(feeds)
        .layer(cors(&config.cors_origins))
        .layer(middleware::from_fn(super::security::embeddable));
    let transport = Arc::new(super::security::Transport::new(&public, proxies.clone()));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .route(
            "/csp-report",
            axum::routing::post(super::csp_report::receive).with_state(csp),
        )
        .merge(public_answers)
        .merge(metrics.unwrap_or_default())
        .merge(site)
        .layer(crate::compression::layer())
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            time_limit,
        ))
        .layer(middleware::from_fn(super::security::headers))
        .layer(middleware::from_fn_with_state(
            proxies,
            crate::public::client_address,
        ))
        .layer(middleware::from_fn_with_state(
            transport,
            super::security::transport,
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
/// same schema as the API, in the visitor's language, as the anonymous viewer or as the
/// signed-in person's account (whose writes then name them), so the site shows and does
/// exactly what the API would. An analytics document's answer is kept until the next
/// change for the viewer's kind of reader, as `/graphql` keeps its bytes (see `kept`).
fn site_client(schema: KbSchema, store: Store, model: kb_readmodel::ReadModel) -> kb_web::Execute {
    let kept: Arc<KeptAnswers<async_graphql::Value>> = Arc::default();
    Arc::new(move |request, lang, credential| {
        let (schema, store, model, kept) =
            (schema.clone(), store.clone(), model.clone(), kept.clone());
        Box::pin(async move {
            let account = credential.and_then(|c| c.downcast_ref::<kb_store::Account>().cloned());
            let viewer = account
                .as_ref()
                .map_or(kb_domain::Viewer::Anonymous, |a| a.viewer());
            let key = Key::of(
                &request,
                kb_store::access::reading(viewer),
                lang,
                IN_PROCESS,
            )
            .map(|key| (model.applied_at(), key));
            if let Some((position, key)) = &key
                && let Some(answer) = kept.get(*position, key)
            {
                kb_graphql::observe::kept(key.name());
                return async_graphql::Response::new(answer);
            }
            let ctx = match account {
                Some(a) => RequestContext::of_account(a, lang),
                None => RequestContext::new(None, lang),
            };
            let answer = kb_graphql::execute_one(&schema, &store, ctx, request).await;
            if let Some((position, key)) = key
                && answer.errors.is_empty()
                && answer.extensions.is_empty()
            {
                kept.keep(position, model.applied_at(), key, answer.data.clone());
            }
            answer
        })
    })
}

/// The media type of the website's answers, in its kept answers' keys: never sent.
const IN_PROCESS: &str = "application/x-kennisbank-in-process";

/// The span of one request: its method, path and request id (the `x-request-id` the
/// client sent or the one made for it, also sent back in the response), so every log
/// line of the request names it, and the client's network, which
/// `crate::public::client_address` records once it has found the client. The query
/// string is left out (it may hold a search for a name or a sign-in token), and so are
/// the headers (`Authorization` and `Cookie` hold secrets).
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
        client = tracing::field::Empty,
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
