//! The home page: the search box, the eight themes, the topic tree, the newest
//! initiatives and the coming events.

use axum::extract::State;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::client::Failure;
use crate::context::Ctx;
use crate::layout::{Page, respond, search_form};
use crate::pages::{CARD, Card, Counted, EVENT, EventCard, Nodes, Term, cards, event_list, now};

/// The answer to the home page's document.
#[derive(Debug, Deserialize)]
struct Home {
    themes: Vec<Term>,
    topics: Vec<Branch>,
    initiatives: Counted<Card>,
    events: Nodes<EventCard>,
}

/// A topic at the root of the tree, with the topics under it.
#[derive(Debug, Deserialize)]
struct Branch {
    code: String,
    label: String,
    narrower: Vec<Term>,
}

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx) -> Response {
    let page = build(&site, &ctx).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx) -> Result<Page, Failure> {
    let document = format!(
        "query Home($now: DateTime!) {{
           themes {{ code label }}
           topics(rootsOnly: true) {{ code label narrower {{ code label }} }}
           initiatives(first: 6, orderBy: NEWEST) {{ totalCount nodes {{ {CARD} }} }}
           events(filter: {{ from: $now }}, first: 4) {{ nodes {{ {EVENT} }} }}
         }}"
    );
    let data: Home = site
        .query(ctx.lang, &document, json!({ "now": now() }))
        .await?;
    let vocab = site.vocab(ctx.lang).await?;
    let total = data.initiatives.total_count;
    let body = html! {
        @if let Some((kind, text)) = crate::pages::people::notice(ctx) {
            div class=(format!("notice {kind}")) role="status" { (text) }
        }
        h1 { (ctx.t("Kennisbank Studentenwelzijn", "Knowledge Bank Student Wellbeing")) }
        p.lead {
            (ctx.t(
                "Initiatieven van universiteiten, hogescholen en welzijnsorganisaties voor het welzijn van studenten: om op voort te bouwen.",
                "Initiatives by universities, universities of applied sciences and wellbeing organisations for student wellbeing: to build on.",
            ))
            " "
            (total) " " (ctx.t("initiatieven.", "initiatives."))
        }
        (search_form(ctx, "", "start"))
        h2 { (ctx.t("Thema's", "Themes")) }
        ul.tags {
            @for t in &data.themes {
                li { a href=(ctx.href(&format!("/themas/{}", t.code))) { (t.label) } }
            }
        }
        h2 { (ctx.t("Onderwerpen", "Topics")) }
        ul.tree {
            @for t in &data.topics {
                li {
                    a href=(ctx.href(&format!("/onderwerpen/{}", t.code))) { (t.label) }
                    @if !t.narrower.is_empty() {
                        ul {
                            @for n in &t.narrower {
                                li { a href=(ctx.href(&format!("/onderwerpen/{}", n.code))) { (n.label) } }
                            }
                        }
                    }
                }
            }
        }
        h2 { (ctx.t("Nieuwste initiatieven", "Newest initiatives")) }
        (cards(ctx, &vocab, &data.initiatives.nodes))
        p { a href=(ctx.href("/zoeken")) { (ctx.t("Alle initiatieven", "All initiatives")) } }
        h2 { (ctx.t("Komende evenementen", "Coming events")) }
        (event_list(ctx, &data.events.nodes))
        p { a href=(ctx.href("/evenementen")) { (ctx.t("Alle evenementen", "All events")) } }
    };
    Ok(Page::new(
        "",
        ctx.t(
            "De landelijke kennisbank over studentenwelzijn in het hoger onderwijs: initiatieven, thema's, onderwerpen, organisaties en evenementen.",
            "The national knowledge bank on student wellbeing in Dutch higher education: initiatives, themes, topics, organisations and events.",
        ),
        body,
    ))
}
