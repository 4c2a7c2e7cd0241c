//! The explorer website of Kennisbank: server-rendered HTML pages (home, search and
//! browse, initiatives, themes, topics, organisations, events, an analyst page, the
//! privacy statement), the
//! vendored GraphiQL, `robots.txt` and `sitemap.xml`.
//!
//! The site is a client of the public API: every page executes GraphQL documents in
//! process through the same schema, as an anonymous viewer in the visitor's language, so
//! it never shows what the API would not. It must not depend on the store or any database
//! crate (`.ci/run` checks that); the server hands it an [`Execute`] function.
//! JavaScript is only an enhancement (search suggestions); every page works without it,
//! and nothing is loaded from another host.

/// Static files compiled into the binary: style sheet, favicon, scripts, GraphiQL.
mod assets;
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

/// Executes one GraphQL request as the anonymous viewer in `Language`. The server builds
/// it over its schema; tests may build it over anything.
pub type Execute = Arc<
    dyn Fn(async_graphql::Request, Language) -> BoxFuture<'static, async_graphql::Response>
        + Send
        + Sync,
>;

/// What every page handler shares.
#[derive(Clone)]
pub(crate) struct Site {
    pub(crate) execute: Execute,
    /// The vocabularies' labels per language, read through the API once a minute.
    pub(crate) vocab: Arc<vocab::Kept>,
    /// `scheme://host[:port]` of the deployment: the start of every absolute link.
    pub(crate) origin: Arc<str>,
    /// What the privacy page states: the configured retention periods and the contact.
    pub(crate) privacy: Arc<Privacy>,
}

/// The routes of the website, whose absolute links start with `origin` (the deployment's
/// public address, `scheme://host[:port]`). `/graphql` is not among them: the server
/// keeps the API there and serves [`graphiql_page`] to browsers that open it. The privacy
/// page states `privacy`, which the server makes from the settings it enforces.
pub fn router(execute: Execute, origin: &str, privacy: Privacy) -> Router {
    let site = Site {
        execute,
        vocab: Arc::default(),
        origin: Arc::from(origin.trim_end_matches('/')),
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
