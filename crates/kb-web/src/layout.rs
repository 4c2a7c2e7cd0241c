//! The frame of every page: `<head>` with title, description, canonical URL and the
//! other language's address; a header with the site's name, navigation, a search box
//! and the language switch; the footer. Also how a failure becomes an error page.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kb_domain::Language;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::assets;
use crate::client::Failure;
use crate::context::Ctx;

/// What a page handler makes; [`respond`] puts it in the frame.
pub(crate) struct Page {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) body: Markup,
    pub(crate) status: StatusCode,
    /// The signed-in person's menu, on their own pages only: public pages may be kept by
    /// shared caches and are the same for everyone.
    pub(crate) personal: Option<Markup>,
}

impl Page {
    pub(crate) fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        body: Markup,
    ) -> Self {
        Page {
            title: title.into(),
            description: description.into(),
            body,
            status: StatusCode::OK,
            personal: None,
        }
    }
}

/// The page, or the error page of its failure.
pub(crate) fn respond(ctx: &Ctx, page: Result<Page, Failure>) -> Response {
    match page {
        Ok(p) => render(ctx, p),
        Err(f) => render(ctx, failure_page(ctx, f)),
    }
}

/// The page of a failure, with its status.
pub(crate) fn failure_page(ctx: &Ctx, failure: Failure) -> Page {
    let (status, title, text) = match &failure {
        Failure::NotFound => (
            StatusCode::NOT_FOUND,
            ctx.t("Pagina niet gevonden", "Page not found"),
            ctx.t(
                "Deze pagina bestaat niet (meer), of is nog niet gepubliceerd.",
                "This page does not exist (any more), or has not been published yet.",
            )
            .to_owned(),
        ),
        Failure::BadInput(m) => (
            StatusCode::BAD_REQUEST,
            ctx.t("Dat kunnen we niet zoeken", "We cannot search for that"),
            m.clone(),
        ),
        Failure::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            ctx.t("Even niet bereikbaar", "Briefly unavailable"),
            ctx.t(
                "De kennisbank kan de database nu niet bereiken. Probeer het zo opnieuw.",
                "The knowledge bank cannot reach its database just now. Try again shortly.",
            )
            .to_owned(),
        ),
        Failure::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            ctx.t("Er ging iets mis", "Something went wrong"),
            ctx.t(
                "Er ging bij ons iets mis. Probeer het later opnieuw.",
                "Something went wrong on our side. Try again later.",
            )
            .to_owned(),
        ),
    };
    let body = html! {
        h1 { (title) }
        p { (text) }
        p {
            a href=(ctx.href("/")) { (ctx.t("Naar de startpagina", "To the home page")) }
            " · "
            a href=(ctx.href("/zoeken")) { (ctx.t("Zoek in de kennisbank", "Search the knowledge bank")) }
        }
    };
    Page {
        title: title.to_owned(),
        description: text,
        body,
        status,
        personal: None,
    }
}

/// The whole document.
pub(crate) fn render(ctx: &Ctx, page: Page) -> Response {
    let other = match ctx.lang {
        Language::Nl => Language::En,
        Language::En => Language::Nl,
    };
    let switch_href = {
        let mut c = ctx.clone();
        c.chosen = true;
        c.address_in(other)
    };
    let site = ctx.t(
        "Kennisbank Studentenwelzijn",
        "Knowledge Bank Student Wellbeing",
    );
    let full_title = if page.title.is_empty() {
        site.to_owned()
    } else {
        format!("{} · {site}", page.title)
    };
    let canonical_nl = {
        let c = Ctx {
            chosen: false,
            lang: Language::Nl,
            ..ctx.clone()
        };
        c.canonical()
    };
    let canonical_en = {
        let c = Ctx {
            lang: Language::En,
            ..ctx.clone()
        };
        c.canonical()
    };
    let q = if ctx.path == "/zoeken" {
        ctx.param("q").unwrap_or("")
    } else {
        ""
    };
    let markup = html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                meta name="description" content=(page.description);
                @if page.status == StatusCode::OK {
                    link rel="canonical" href=(ctx.canonical());
                    link rel="alternate" hreflang="nl" href=(canonical_nl);
                    link rel="alternate" hreflang="en" href=(canonical_en);
                } @else {
                    meta name="robots" content="noindex";
                }
                link rel="alternate" type="application/atom+xml" href="/feeds/initiatives.atom"
                    title=(ctx.t("Nieuwe initiatieven (Atom)", "New initiatives (Atom)"));
                link rel="icon" href="/favicon.svg" type="image/svg+xml";
                link rel="stylesheet" href=(assets::CSS_PATH);
                script src=(assets::JS_PATH) defer {}
            }
            body {
                a.skip href="#inhoud" { (ctx.t("Naar de inhoud", "Skip to content")) }
                header.site {
                    div.bar {
                        a.brand href=(ctx.href("/")) {
                            img src="/favicon.svg" alt="" width="28" height="28";
                            span { (site) }
                        }
                        a.switch href=(switch_href) hreflang=(other.code()) lang=(other.code()) {
                            (match other { Language::En => "English", Language::Nl => "Nederlands" })
                        }
                    }
                    nav aria-label=(ctx.t("Hoofdmenu", "Main menu")) {
                        ul {
                            li { a href=(ctx.href("/zoeken")) { (ctx.t("Initiatieven", "Initiatives")) } }
                            li { a href=(ctx.href("/evenementen")) { (ctx.t("Evenementen", "Events")) } }
                            li { a href=(ctx.href("/analyse")) { (ctx.t("Analyse", "Analysis")) } }
                            li { a href="/graphiql" { "API" } }
                        }
                    }
                    @if let Some(menu) = &page.personal {
                        (menu)
                    }
                    @if ctx.path != "/" {
                        (search_form(ctx, q, "kop"))
                    }
                }
                main id="inhoud" tabindex="-1" { (page.body) }
                footer.site {
                    p {
                        (ctx.t(
                            "Alles wat gepubliceerd is, is vrij en open voor iedereen. De voorbeeldgegevens (organisaties op .example) zijn verzonnen.",
                            "Everything published is free and open to everyone. The demo data (organisations on .example) is fictional.",
                        ))
                    }
                    p {
                        a href="/graphiql" { (ctx.t("GraphQL-API", "GraphQL API")) }
                        " · "
                        a href="/feeds/initiatives.atom" { (ctx.t("Nieuwe initiatieven (Atom)", "New initiatives (Atom)")) }
                        " · "
                        a href="/sitemap.xml" { (ctx.t("Sitemap", "Sitemap")) }
                        " · "
                        a href="/export/initiatives.csv" { (ctx.t("Open data (CSV)", "Open data (CSV)")) }
                        " · "
                        a href=(ctx.href("/privacy")) { (ctx.t("Privacy", "Privacy")) }
                        " · "
                        a href=(ctx.href("/aanmelden")) { (ctx.t("Aanmelden", "Sign in")) }
                    }
                }
            }
        }
    };
    let mut response = (page.status, markup).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(ctx.lang.code()),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

/// The search box: a form that works without JavaScript; the script offers
/// suggestions in its datalist as the visitor types.
pub(crate) fn search_form(ctx: &Ctx, q: &str, id: &str) -> Markup {
    let input = format!("q-{id}");
    let list = format!("suggesties-{id}");
    html! {
        form.search role="search" action="/zoeken" method="get" {
            label for=(input) { (ctx.t("Zoek initiatieven", "Search initiatives")) }
            div.row {
                input id=(input) type="search" name="q" value=(q) list=(list) autocomplete="off"
                    data-suggest=(list) placeholder=(ctx.t("bijvoorbeeld: eenzaamheid, prestatiedruk", "for example: loneliness, performance pressure"));
                datalist id=(list) {}
                @if let Some(l) = ctx.lang_field() {
                    input type="hidden" name="lang" value=(l);
                }
                button type="submit" { (ctx.t("Zoeken", "Search")) }
            }
        }
    }
}

/// A short text for a meta description: at most about 160 characters, cut at a word.
pub(crate) fn describe(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= 160 {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(157).collect();
    if let Some(i) = cut.rfind(' ') {
        cut.truncate(i);
    }
    format!("{cut}…")
}

/// Pre-rendered, already safe HTML (snippets and rich text from the API and renderer).
pub(crate) fn trusted(html: String) -> PreEscaped<String> {
    PreEscaped(html)
}
