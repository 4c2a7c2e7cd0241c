//! Search and browse: full-text `search` when there is a query, else the `initiatives`
//! listing; facet filters with their counts, sorting and paging. Every state is in the
//! address, so a result page can be shared and bookmarked:
//! `/zoeken?q=stress&thema=support&soort=training&sorteer=titel&pagina=2`.

use axum::extract::State;
use axum::response::Response;
use base64::Engine;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::Site;
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, respond, trusted};
use crate::pages::{CARD, Card, Term};
use crate::vocab::{Vocab, Vocabulary, language_name};

/// Results on a page.
const PAGE_SIZE: u64 = 20;
/// Pages beyond this are not offered (the API pages by cursor; 10,000 results).
const MAX_PAGE: u64 = 500;

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

/// The facets' counts, as [`FACETS_SELECTION`] asks for them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Facets {
    themes: Vec<Count<Term>>,
    topics: Vec<Count<Term>>,
    kinds: Vec<Count<String>>,
    target_groups: Vec<Count<String>>,
    education_levels: Vec<Count<String>>,
    regions: Vec<Count<String>>,
    evidence_levels: Vec<Count<String>>,
    languages: Vec<Count<String>>,
    years: Vec<Count<i64>>,
}

/// A facet's value with the number of initiatives that have it.
#[derive(Debug, Deserialize)]
struct Count<V> {
    value: V,
    count: i64,
}

/// A facet: its address key, the filter field of the API, where its counts are and how
/// its values are labelled, and its heading.
struct Facet {
    key: &'static str,
    field: &'static str,
    values: Values,
    nl: &'static str,
    en: &'static str,
}

/// A facet's counts in [`Facets`], by the kind of its values.
enum Values {
    /// Themes and topics: `{ code label }` objects; the code goes in the filter.
    Taxonomy(fn(&Facets) -> &[Count<Term>]),
    /// An enum of a vocabulary; its value goes in the filter in upper case.
    Vocabulary(Vocabulary, fn(&Facets) -> &[Count<String>]),
    /// ISO 639-1 codes.
    Language(fn(&Facets) -> &[Count<String>]),
}

const FACETS: [Facet; 8] = [
    Facet {
        key: "thema",
        field: "themes",
        values: Values::Taxonomy(|f| &f.themes),
        nl: "Thema",
        en: "Theme",
    },
    Facet {
        key: "onderwerp",
        field: "topics",
        values: Values::Taxonomy(|f| &f.topics),
        nl: "Onderwerp",
        en: "Topic",
    },
    Facet {
        key: "soort",
        field: "kinds",
        values: Values::Vocabulary(Vocabulary::InitiativeKind, |f| &f.kinds),
        nl: "Soort",
        en: "Kind",
    },
    Facet {
        key: "doelgroep",
        field: "targetGroups",
        values: Values::Vocabulary(Vocabulary::TargetGroup, |f| &f.target_groups),
        nl: "Doelgroep",
        en: "Target group",
    },
    Facet {
        key: "niveau",
        field: "educationLevels",
        values: Values::Vocabulary(Vocabulary::EducationLevel, |f| &f.education_levels),
        nl: "Onderwijsniveau",
        en: "Education level",
    },
    Facet {
        key: "regio",
        field: "regions",
        values: Values::Vocabulary(Vocabulary::Region, |f| &f.regions),
        nl: "Regio",
        en: "Region",
    },
    Facet {
        key: "onderbouwing",
        field: "evidenceLevels",
        values: Values::Vocabulary(Vocabulary::EvidenceLevel, |f| &f.evidence_levels),
        nl: "Onderbouwing",
        en: "Evidence",
    },
    Facet {
        key: "taal",
        field: "languages",
        values: Values::Language(|f| &f.languages),
        nl: "Taal",
        en: "Language",
    },
];

const FACETS_SELECTION: &str = "facets {
    themes { value { code label } count } topics { value { code label } count }
    kinds { value count } targetGroups { value count } educationLevels { value count }
    regions { value count } evidenceLevels { value count } languages { value count }
    years { value count } }";

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

/// A value from the address is used only when it looks like a code, so that an odd
/// value is ignored rather than an error.
fn is_code(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The `InitiativeFilter` the address holds.
pub(crate) fn filter(ctx: &Ctx) -> Value {
    let mut f = Map::new();
    for facet in &FACETS {
        let values: Vec<Value> = ctx
            .params(facet.key)
            .into_iter()
            .filter(|v| is_code(v))
            .map(|v| match facet.values {
                Values::Vocabulary(..) => Value::from(v.to_ascii_uppercase()),
                _ => Value::from(v.to_owned()),
            })
            .collect();
        if !values.is_empty() {
            f.insert(facet.field.to_owned(), Value::Array(values));
        }
    }
    for (key, field) in [("vanaf", "yearFrom"), ("tot", "yearTo")] {
        if let Some(y) = ctx.param(key).and_then(|v| v.parse::<i64>().ok())
            && (1900..=2100).contains(&y)
        {
            f.insert(field.to_owned(), Value::from(y));
        }
    }
    Value::Object(f)
}

/// The cursor after which page `page` (from 1) starts. The API's cursors stand for
/// positions in the list (`kb-graphql`'s connection module); a change there shows in
/// the site's paging test.
fn cursor_before(page: u64) -> Option<String> {
    (page > 1).then(|| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("cursor:{}", (page - 1) * PAGE_SIZE - 1))
    })
}

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx) -> Response {
    let page = build(&site, &ctx).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx) -> Result<Page, Failure> {
    let q = ctx.param("q").unwrap_or("").trim().to_owned();
    let page_no = ctx
        .param("pagina")
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_PAGE);
    let order = ctx
        .param("sorteer")
        .and_then(|s| ORDERS.iter().find(|o| o.0 == s))
        .unwrap_or(&ORDERS[0]);
    let filter = filter(ctx);
    let after = cursor_before(page_no);
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
                 totalCount
                 nodes {{ snippet {{ title text }} initiative {{ {CARD} }} }}
                 {FACETS_SELECTION} }} }}"
        );
        let variables = json!({ "q": q, "filter": filter, "after": after });
        let answer: Answer<Hit> = site.query(ctx.lang, &document, variables).await?;
        answer.list
    };
    let vocab = site.vocab(ctx.lang).await?;
    let total = list.total_count.max(0) as u64;
    let pages = total.div_ceil(PAGE_SIZE).clamp(1, MAX_PAGE);
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
                p.jump { a href="#filters" { (ctx.t("Naar de filters", "To the filters")) } }
                ol.results start=((page_no - 1) * PAGE_SIZE + 1) {
                    @for Hit { snippet, initiative: i } in &list.nodes {
                        li {
                            h2 {
                                a href=(ctx.href(&format!("/initiatieven/{}", i.slug))) {
                                    @match snippet {
                                        Some(s) if !s.title.is_empty() => (trusted(s.title.clone())),
                                        _ => (i.title),
                                    }
                                }
                            }
                            p.meta { (vocab.label(Vocabulary::InitiativeKind, &i.kind)) }
                            @match snippet {
                                Some(s) if !s.text.is_empty() => p { (trusted(s.text.clone())) },
                                _ => p { (crate::layout::describe(&i.summary)) },
                            }
                        }
                    }
                }
                @if total == 0 {
                    p { (ctx.t("Probeer minder filters of andere woorden.", "Try fewer filters or other words.")) }
                }
                (pager(ctx, page_no, pages))
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
                @for facet in &FACETS {
                    (facet_fieldset(ctx, &vocab, facet, &list.facets))
                }
                (years(ctx, &list.facets.years))
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

fn encode(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// One facet as checkboxes with counts; values without initiatives are left out unless
/// chosen. Long facets fold away behind their first eight values.
fn facet_fieldset(ctx: &Ctx, vocab: &Vocab, facet: &Facet, facets: &Facets) -> Markup {
    let chosen = ctx.params(facet.key);
    let mut options: Vec<(String, String, i64)> = match facet.values {
        Values::Taxonomy(counts) => counts(facets)
            .iter()
            .map(|c| (c.value.code.clone(), c.value.label.clone(), c.count))
            .collect(),
        Values::Vocabulary(kind, counts) => counts(facets)
            .iter()
            .map(|c| {
                (
                    c.value.to_ascii_lowercase(),
                    vocab.label(kind, &c.value).to_owned(),
                    c.count,
                )
            })
            .collect(),
        Values::Language(counts) => counts(facets)
            .iter()
            .map(|c| (c.value.clone(), language_name(&c.value, ctx.en()), c.count))
            .collect(),
    };
    options.retain(|(code, _, count)| *count > 0 || chosen.contains(&code.as_str()));
    if options.is_empty() {
        return html! {};
    }
    let item = |(i, (code, label, count)): (usize, &(String, String, i64))| {
        let id = format!("f-{}-{i}", facet.key);
        html! {
            label for=(id) {
                input type="checkbox" id=(id) name=(facet.key) value=(code) checked[chosen.contains(&code.as_str())];
                span { (label) }
                span.count { (count) }
            }
        }
    };
    html! {
        fieldset {
            legend { (ctx.t(facet.nl, facet.en)) }
            @for entry in options.iter().enumerate().take(8) { (item(entry)) }
            @if options.len() > 8 {
                details open[options.iter().skip(8).any(|o| chosen.contains(&o.0.as_str()))] {
                    summary { (ctx.t("Meer", "More")) " (" (options.len() - 8) ")" }
                    @for entry in options.iter().enumerate().skip(8) { (item(entry)) }
                }
            }
        }
    }
}

/// The year range: active from, active until, from the years the results hold.
fn years(ctx: &Ctx, values: &[Count<i64>]) -> Markup {
    let years: Vec<i64> = values
        .iter()
        .filter(|v| v.count > 0)
        .map(|v| v.value)
        .collect();
    if years.is_empty() {
        return html! {};
    }
    let select = |key: &str, id: &str, label: &str| {
        let chosen = ctx.param(key).unwrap_or("");
        html! {
            p {
                label for=(id) { (label) " " }
                select id=(id) name=(key) {
                    option value="" { (ctx.t("alle jaren", "any year")) }
                    @for y in &years {
                        option value=(y) selected[chosen == y.to_string()] { (y) }
                    }
                }
            }
        }
    };
    html! {
        fieldset {
            legend { (ctx.t("Actief in", "Active in")) }
            (select("vanaf", "f-vanaf", ctx.t("Vanaf", "From")))
            (select("tot", "f-tot", ctx.t("Tot en met", "Until")))
        }
    }
}

/// Previous and next page links, keeping every other part of the address.
fn pager(ctx: &Ctx, page: u64, pages: u64) -> Markup {
    let to = |p: u64| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in ctx.params.iter().filter(|(k, _)| k != "pagina") {
            query.append_pair(k, v);
        }
        if p > 1 {
            query.append_pair("pagina", &p.to_string());
        }
        let query = query.finish();
        ctx.href(&if query.is_empty() {
            "/zoeken".to_owned()
        } else {
            format!("/zoeken?{query}")
        })
    };
    html! {
        @if pages > 1 {
            nav.pager aria-label=(ctx.t("Paginering", "Pagination")) {
                @if page > 1 { a href=(to(page - 1)) rel="prev" { "← " (ctx.t("Vorige", "Previous")) } }
                span { (ctx.t("Pagina", "Page")) " " (page) " " (ctx.t("van", "of")) " " (pages) }
                @if page < pages { a href=(to(page + 1)) rel="next" { (ctx.t("Volgende", "Next")) " →" } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn the_address_becomes_the_api_filter() {
        let ctx = Ctx::of(
            &HeaderMap::new(),
            "/zoeken",
            "thema=support&soort=training&soort=guide&taal=en&vanaf=2020&tot=x&regio=%3Cscript%3E",
        );
        assert_eq!(
            filter(&ctx),
            json!({ "themes": ["support"], "kinds": ["TRAINING", "GUIDE"], "languages": ["en"], "yearFrom": 2020 })
        );
    }

    #[test]
    fn page_three_starts_after_the_fortieth_result() {
        assert_eq!(cursor_before(1), None);
        let c = cursor_before(3).unwrap_or_default();
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(c)
            .unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&decoded), "cursor:39");
    }
}
