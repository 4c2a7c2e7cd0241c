//! Search and browse: full-text `search` when there is a query, else the `initiatives`
//! listing; facet filters with their counts, sorting and paging. Every state is in the
//! address, so a result page can be shared and bookmarked:
//! `/zoeken?q=stress&thema=support&soort=training&sorteer=titel&pagina=2`.

/// The facets: the filter the address holds, the counts the API gives for it, and the
/// form's checkboxes.
pub(crate) mod facets;

use axum::extract::State;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, respond, trusted};
use crate::pages::{CARD, Card};
use crate::paging;
use crate::vocab::Vocabulary;

use facets::{FACETS_SELECTION, Facets, filter};

/// Results on a page.
const PAGE_SIZE: u64 = 20;

/// The answer to the listing's and the search's document alike: under `list`, with
/// [`Card`]s or [`Hit`]s as nodes.
#[derive(Debug, Deserialize)]
struct Answer<N> {
    list: Listing<N>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Listing<N> {
    total_count: i64,
    nodes: Vec<N>,
    facets: Facets,
    /// The words of a search that later hits may lack (a listing has none).
    #[serde(default)]
    left_out: Vec<String>,
    /// The search with its spelling corrected, when it found little.
    #[serde(default)]
    suggestions: Vec<String>,
}

impl Listing<Card> {
    /// The listing's initiatives as hits without snippets.
    fn into_hits(self) -> Listing<Hit> {
        Listing {
            total_count: self.total_count,
            nodes: self
                .nodes
                .into_iter()
                .map(|initiative| Hit {
                    snippet: None,
                    initiative,
                })
                .collect(),
            facets: self.facets,
            left_out: Vec::new(),
            suggestions: Vec::new(),
        }
    }
}

/// A search result: the initiative, and its title and text with the matches marked.
#[derive(Debug, Deserialize)]
struct Hit {
    #[serde(deserialize_with = "nullable")]
    snippet: Option<Snippet>,
    initiative: Card,
}

/// Already safe HTML from the API, with `<mark>` around the matches.
#[derive(Debug, Deserialize)]
struct Snippet {
    title: String,
    text: String,
}

/// The orders a listing offers, by their address value.
const ORDERS: [(&str, &str, &str, &str); 3] = [
    ("nieuwste", "NEWEST", "Nieuwste eerst", "Newest first"),
    ("titel", "TITLE", "Titel (A–Z)", "Title (A–Z)"),
    (
        "bijgewerkt",
        "RECENTLY_UPDATED",
        "Laatst bijgewerkt",
        "Recently updated",
    ),
];

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx) -> Response {
    let page = build(&site, &ctx).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx) -> Result<Page, Failure> {
    let q = ctx.param("q").unwrap_or("").trim().to_owned();
    let page_no = paging::page_number(ctx);
    let order = ctx
        .param("sorteer")
        .and_then(|s| ORDERS.iter().find(|o| o.0 == s))
        .unwrap_or(&ORDERS[0]);
    let filter = filter(ctx);
    let organisations = organisation_names(site, ctx).await?;
    let after = paging::cursor_before(page_no, PAGE_SIZE);
    let list = if q.is_empty() {
        let document = format!(
            "query Browse($filter: InitiativeFilter, $order: InitiativeOrder, $after: String) {{
               list: initiatives(filter: $filter, orderBy: $order, first: {PAGE_SIZE}, after: $after) {{
                 totalCount nodes {{ {CARD} }} {FACETS_SELECTION} }} }}"
        );
        let variables = json!({ "filter": filter, "order": order.1, "after": after });
        let answer: Answer<Card> = site.query(ctx.lang, &document, variables).await?;
        answer.list.into_hits()
    } else {
        let document = format!(
            "query Search($q: String!, $filter: InitiativeFilter, $after: String) {{
               list: search(query: $q, filter: $filter, first: {PAGE_SIZE}, after: $after) {{
                 totalCount leftOut suggestions
                 nodes {{ snippet {{ title text }} initiative {{ {CARD} }} }}
                 {FACETS_SELECTION} }} }}"
        );
        let variables = json!({ "q": q, "filter": filter, "after": after });
        let answer: Answer<Hit> = site.query(ctx.lang, &document, variables).await?;
        answer.list
    };
    let vocab = site.vocab(ctx.lang).await?;
    let total = list.total_count.max(0) as u64;
    let pages = paging::pages(total, PAGE_SIZE).max(1);
    let title = if q.is_empty() {
        ctx.t("Initiatieven", "Initiatives").to_owned()
    } else {
        format!("{} “{q}”", ctx.t("Zoeken naar", "Search for"))
    };
    let count_text = match (total, ctx.en()) {
        (1, false) => "1 initiatief gevonden".to_owned(),
        (1, true) => "1 initiative found".to_owned(),
        (n, false) => format!("{n} initiatieven gevonden"),
        (n, true) => format!("{n} initiatives found"),
    };
    let body = html! {
        h1 { (title) }
        div.layout {
            section aria-labelledby="aantal" {
                p id="aantal" role="status" { strong { (count_text) } }
                @if !list.left_out.is_empty() {
                    // The fallback's words, as Meilisearch and web search engines show
                    // them: struck through.
                    p.left-out {
                        (ctx.t("Niet alles gevonden; ook resultaten zonder: ", "Not everything found; also results without: "))
                        @for (i, w) in list.left_out.iter().enumerate() {
                            @if i > 0 { ", " }
                            del { (w) }
                        }
                    }
                }
                @for suggestion in &list.suggestions {
                    p.did-you-mean {
                        (ctx.t("Bedoelde u: ", "Did you mean: "))
                        a href=(ctx.href(&format!("/zoeken?q={}", encode(suggestion)))) { (suggestion) }
                        "?"
                    }
                }
                p.jump { a href="#filters" { (ctx.t("Naar de filters", "To the filters")) } }
                ol.results start=((page_no - 1) * PAGE_SIZE + 1) {
                    @for Hit { snippet, initiative: i } in &list.nodes {
                        // A snippet is of the same text the page shows: the English one
                        // of an English search, where the initiative has it.
                        @let (title, summary) = (i.title(ctx), i.summary(ctx));
                        li {
                            h2 lang=[title.lang] {
                                a href=(ctx.href(&format!("/initiatieven/{}", i.slug))) {
                                    @match snippet {
                                        Some(s) if !s.title.is_empty() => (trusted(s.title.clone())),
                                        _ => (title.text),
                                    }
                                }
                            }
                            p.meta { (vocab.label(Vocabulary::InitiativeKind, &i.kind)) }
                            @match snippet {
                                Some(s) if !s.text.is_empty() => p lang=[summary.lang] { (trusted(s.text.clone())) },
                                _ => p lang=[summary.lang] { (crate::layout::describe(summary.text)) },
                            }
                        }
                    }
                }
                @if total == 0 {
                    p { (ctx.t("Probeer minder filters of andere woorden.", "Try fewer filters or other words.")) }
                }
                (paging::pager(ctx, "/zoeken", page_no, pages))
            }
            form.facets id="filters" action="/zoeken" method="get" aria-label=(ctx.t("Filters", "Filters")) {
                @if !q.is_empty() { input type="hidden" name="q" value=(q); }
                @if let Some(l) = ctx.lang_field() { input type="hidden" name="lang" value=(l); }
                h2.visually-hidden { (ctx.t("Filters", "Filters")) }
                @if q.is_empty() {
                    p {
                        label for="sorteer" { (ctx.t("Sorteren", "Sort")) " " }
                        select id="sorteer" name="sorteer" {
                            @for o in &ORDERS {
                                option value=(o.0) selected[o.0 == order.0] { (ctx.t(o.2, o.3)) }
                            }
                        }
                    }
                }
                p { button type="submit" { (ctx.t("Filters toepassen", "Apply filters")) } }
                (facets::fieldsets(ctx, &vocab, &list.facets, &organisations))
                p { button type="submit" { (ctx.t("Filters toepassen", "Apply filters")) } }
                p { a href=(ctx.href(&if q.is_empty() { "/zoeken".to_owned() } else { format!("/zoeken?q={}", encode(&q)) })) { (ctx.t("Alle filters wissen", "Clear all filters")) } }
            }
        }
    };
    let description = if q.is_empty() {
        ctx.t(
            "Blader door alle initiatieven over studentenwelzijn, met filters op thema, onderwerp, soort, doelgroep en meer.",
            "Browse every initiative on student wellbeing, filtered by theme, topic, kind, target group and more.",
        )
        .to_owned()
    } else {
        format!("{count_text}: {title}")
    };
    Ok(Page::new(title, description, body))
}

/// The names of the organisations the address asks to hold all at once
/// (`elke-organisatie`), by id; none asked, nothing read.
async fn organisation_names(site: &Site, ctx: &Ctx) -> Result<Vec<(String, String)>, Failure> {
    let ids = ctx.params("elke-organisatie");
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(Deserialize)]
    struct Named {
        nodes: Vec<Option<Org>>,
    }
    #[derive(Deserialize)]
    struct Org {
        id: Option<String>,
        name: Option<String>,
    }
    let answer: Named = site
        .query(
            ctx.lang,
            "query Names($ids: [ID!]!) { nodes(ids: $ids) { ... on Organisation { id name } } }",
            json!({ "ids": ids }),
        )
        .await?;
    Ok(answer
        .nodes
        .into_iter()
        .flatten()
        .filter_map(|o| Some((o.id?, o.name?)))
        .collect())
}

fn encode(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}
