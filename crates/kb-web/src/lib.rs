//! The explorer website of Kennisbank: server-rendered HTML pages (home, search and
//! browse, initiatives, themes, topics, organisations, events, an analyst page, the
//! privacy statement), the
//! vendored GraphiQL, `robots.txt` and `sitemap.xml`.
//!
//! The site is a client of the public API: every page executes GraphQL documents in
//! process through the same schema, as an anonymous viewer in the visitor's language, so
//! it never shows what the API would not. It must not depend on the store or any database
//! crate (`.ci/run` checks that); the server hands it an [`Execute`] function.
//! JavaScript is only an enhancement (search suggestions, zooming maps); every page works without it,
//! and nothing is loaded from another host.

/// Static files compiled into the binary: style sheet, favicon, scripts, GraphiQL.
mod assets;
/// An initiative's title and summary in the page's language, Dutch fallbacks marked.
mod bilingual;
/// Trend charts and network maps drawn as accessible SVG, for the analyst's pages.
pub mod charts;
/// The in-process GraphQL client and the failures a page can meet.
mod client;
/// The request's language, origin and links that keep the language.
mod context;
/// Dates and times shown in the Netherlands' time zone, in Dutch or English.
mod dates;
/// The frame of every page: head, header with search and language switch, footer.
mod layout;
/// `robots.txt`, `sitemap.xml` and the page for an unknown address.
mod meta;
/// One module per kind of page.
mod pages;
/// Lists shown a page at a time: page numbers, cursors, previous and next links.
mod paging;
/// A posted form's fields.
mod posted;
/// Rich text (sanitised Markdown) as HTML.
mod rich_text;
/// Labels of the controlled vocabularies, as the API gives them.
mod vocab;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use futures_util::future::BoxFuture;
use kb_domain::Language;

pub use assets::graphiql_page;
pub use pages::privacy::{Privacy, Retention};

/// A page of the site with one message and `status` (in the language the request asks
/// for), for answers the server gives to forms of the site it refuses.
pub fn message_page(
    headers: &axum::http::HeaderMap,
    uri: &axum::http::Uri,
    origin: &str,
    status: axum::http::StatusCode,
    (title_nl, text_nl): (&str, &str),
    (title_en, text_en): (&str, &str),
) -> axum::response::Response {
    let ctx = context::Ctx::of(headers, uri.path(), uri.query().unwrap_or("")).at(origin);
    let (title, text) = if ctx.en() {
        (title_en, text_en)
    } else {
        (title_nl, text_nl)
    };
    pages::people::message(&ctx, status, title, text)
}

/// Executes one GraphQL request in `Language`, as the anonymous viewer or as the person
/// a [`Credential`] stands for. The server builds it over its schema; tests may build it
/// over anything.
pub type Execute = Arc<
    dyn Fn(
            async_graphql::Request,
            Language,
            Option<Credential>,
        ) -> BoxFuture<'static, async_graphql::Response>
        + Send
        + Sync,
>;

/// What the server's [`Execute`] needs to run a document as a signed-in person. Opaque
/// to the site, which knows no store: it only hands it back.
pub type Credential = Arc<dyn std::any::Any + Send + Sync>;

/// A signed-in person, as the server found them by their session cookie and put them in
/// the request's extensions. Visitors who did not sign in have none (and no cookie).
#[derive(Clone)]
pub struct Visitor {
    pub name: String,
    pub email: Option<String>,
    /// `contributor`, `editor` or `admin`.
    pub role: String,
    /// `active`, `pending` or `refused`.
    pub status: String,
    /// The global id of their organisation, and of the one a pending request names.
    pub organisation: Option<String>,
    pub requested_organisation: Option<String>,
    /// The session's token, which every form of a signed-in person carries.
    pub csrf_token: String,
    pub credential: Credential,
}

impl std::fmt::Debug for Visitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Visitor")
            .field("role", &self.role)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// The ways of signing in this deployment offers, for the sign-in page.
#[derive(Debug, Clone, Default)]
pub struct SignInOptions {
    /// Whether links by e-mail are on (`--smtp-url`).
    pub email: bool,
    /// OpenID providers: the key in their address and the label of their button.
    pub providers: Vec<(String, String)>,
}

/// What every page handler shares.
#[derive(Clone)]
pub(crate) struct Site {
    pub(crate) execute: Execute,
    /// The vocabularies' labels per language, read through the API once a minute.
    pub(crate) vocab: Arc<vocab::Kept>,
    /// `scheme://host[:port]` of the deployment: the start of every absolute link.
    pub(crate) origin: Arc<str>,
    pub(crate) sign_in: Arc<SignInOptions>,
    /// What the privacy page states: the configured retention periods and the contact.
    pub(crate) privacy: Arc<Privacy>,
}

/// The routes of the website, whose absolute links start with `origin` (the deployment's
/// public address, `scheme://host[:port]`). `/graphql` is not among them: the server
/// keeps the API there and serves [`graphiql_page`] to browsers that open it. The privacy
/// page states `privacy`, which the server makes from the settings it enforces; the
/// sign-in page offers the ways of `sign_in`.
pub fn router(execute: Execute, origin: &str, privacy: Privacy, sign_in: SignInOptions) -> Router {
    let site = Site {
        execute,
        vocab: Arc::default(),
        origin: Arc::from(origin.trim_end_matches('/')),
        sign_in: Arc::new(sign_in),
        privacy: Arc::new(privacy),
    };
    Router::new()
        .route("/", get(pages::home::page))
        .route("/zoeken", get(pages::search::page))
        .route("/initiatieven/{slug}", get(pages::initiative::page))
        .route("/themas/{code}", get(pages::taxonomy::theme))
        .route("/onderwerpen/{code}", get(pages::taxonomy::topic))
        .route("/organisaties/{slug}", get(pages::organisation::page))
        .route("/evenementen", get(pages::events::list))
        .route("/evenementen/{slug}", get(pages::events::page))
        .route("/analyse", get(pages::analysis::page))
        .route("/analyse/tabel.csv", get(pages::analysis::table_csv))
        .route("/analyse/tabel.svg", get(pages::analysis::table_svg))
        .route("/analyse/trends", get(pages::analysis::trend_page))
        .route("/analyse/trends.csv", get(pages::analysis::trend_csv))
        .route("/analyse/trends.svg", get(pages::analysis::trend_svg))
        .route("/analyse/kaart", get(pages::analysis::map_page))
        .route("/analyse/kaart.csv", get(pages::analysis::map_csv))
        .route("/analyse/kaart.svg", get(pages::analysis::map_svg))
        .route(
            "/analyse/kaart-vosviewer-map.txt",
            get(pages::analysis::vosviewer_map),
        )
        .route(
            "/analyse/kaart-vosviewer-network.txt",
            get(pages::analysis::vosviewer_network),
        )
        .route("/aanmelden", get(pages::people::sign_in))
        .route("/aanmelden/link", get(pages::people::confirm_link))
        .route("/mijn-account", get(pages::people::account))
        .route("/mijn-initiatieven", get(pages::workspace::list))
        .route(
            "/mijn-initiatieven/nieuw",
            get(pages::workspace::new).post(pages::workspace::post_new),
        )
        .route(
            "/mijn-initiatieven/{id}",
            get(pages::workspace::edit).post(pages::workspace::post_edit),
        )
        .route(
            "/mijn-initiatieven/{id}/voorbeeld",
            get(pages::workspace::preview),
        )
        .route("/redactie", get(pages::desk::queue))
        .route(
            "/redactie/aanvragen",
            axum::routing::post(pages::desk::post_account),
        )
        .route(
            "/redactie/voorstellen",
            axum::routing::post(pages::desk::post_proposal),
        )
        .route(
            "/redactie/{id}",
            get(pages::desk::review).post(pages::desk::decide),
        )
        .route(
            "/redactie/contacten",
            get(pages::contact_reviews::list).post(pages::contact_reviews::resolve),
        )
        .route("/privacy", get(pages::privacy::page))
        .route("/graphiql", get(assets::graphiql))
        .route("/robots.txt", get(meta::robots))
        .route("/sitemap.xml", get(meta::sitemap))
        .route("/favicon.svg", get(assets::favicon))
        .route("/favicon.ico", get(assets::favicon))
        .route("/assets/{*file}", get(assets::file))
        .fallback(meta::not_found)
        .with_state(site)
}
