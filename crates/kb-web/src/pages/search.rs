//! Search and browse: full-text `search` when there is a query, else the `initiatives`
//! listing; facet filters with their counts, sorting and paging. Every state is in the
//! address, so a result page can be shared and bookmarked:
//! `/zoeken?q=stress&thema=support&soort=training&sorteer=titel&pagina=2`.

use axum::extract::State;
use axum::response::Response;
use base64::Engine;
use maud::{Markup, html};
use serde_json::{Map, Value, json};

use crate::Site;
use crate::client::{Failure, Read};
use crate::context::Ctx;
use crate::layout::{Page, respond, trusted};
use crate::vocab::{Vocab, Vocabulary, language_name};

/// Results on a page.
const PAGE_SIZE: u64 = 20;
/// Pages beyond this are not offered (the API pages by cursor; 10,000 results).
const MAX_PAGE: u64 = 500;

/// A facet: its address key, the filter field and facet field of the API, how its
/// values are labelled, and its heading.
struct Facet {
    key: &'static str,
    field: &'static str,
    labels: Labels,
    nl: &'static str,
    en: &'static str,
}

enum Labels {
    /// Themes and topics: `{ code label }` objects; the code goes in the filter.
    Taxonomy,
    /// An enum of a vocabulary; its value goes in the filter in upper case.
    Vocabulary(Vocabulary),
    /// ISO 639-1 codes.
    Language,
}

const FACETS: [Facet; 8] = [
    Facet {
        key: "thema",
        field: "themes",
        labels: Labels::Taxonomy,
        nl: "Thema",
        en: "Theme",
    },
    Facet {
        key: "onderwerp",
        field: "topics",
        labels: Labels::Taxonomy,
        nl: "Onderwerp",
        en: "Topic",
    },
    Facet {
        key: "soort",
        field: "kinds",
        labels: Labels::Vocabulary(Vocabulary::InitiativeKind),
        nl: "Soort",
        en: "Kind",
    },
    Facet {
        key: "doelgroep",
        field: "targetGroups",
        labels: Labels::Vocabulary(Vocabulary::TargetGroup),
        nl: "Doelgroep",
        en: "Target group",
    },
    Facet {
        key: "niveau",
        field: "educationLevels",
        labels: Labels::Vocabulary(Vocabulary::EducationLevel),
        nl: "Onderwijsniveau",
        en: "Education level",
    },
    Facet {
        key: "regio",
        field: "regions",
        labels: Labels::Vocabulary(Vocabulary::Region),
        nl: "Regio",
        en: "Region",
    },
    Facet {
        key: "onderbouwing",
        field: "evidenceLevels",
        labels: Labels::Vocabulary(Vocabulary::EvidenceLevel),
        nl: "Onderbouwing",
        en: "Evidence",
    },
    Facet {
        key: "taal",
        field: "languages",
        labels: Labels::Language,
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
            .map(|v| match facet.labels {
                Labels::Vocabulary(_) => Value::from(v.to_ascii_uppercase()),
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
    let (document, variables) = if q.is_empty() {
        (
            format!(
                "query Browse($filter: InitiativeFilter, $order: InitiativeOrder, $after: String) {{
                   list: initiatives(filter: $filter, orderBy: $order, first: {PAGE_SIZE}, after: $after) {{
                     totalCount nodes {{ slug title summary kind }} {FACETS_SELECTION} }} }}"
            ),
            json!({ "filter": filter, "order": order.1, "after": after }),
        )
    } else {
        (
            format!(
                "query Search($q: String!, $filter: InitiativeFilter, $after: String) {{
                   list: search(query: $q, filter: $filter, first: {PAGE_SIZE}, after: $after) {{
                     totalCount
                     nodes {{ snippet {{ title text }} initiative {{ slug title summary kind }} }}
                     {FACETS_SELECTION} }} }}"
            ),
            json!({ "q": q, "filter": filter, "after": after }),
        )
    };
    let mut data: Value = site.query(ctx.lang, &document, variables).await?;
    let vocab = site.vocab(ctx.lang).await?;
    let mut list = data.get_mut("list").map(Value::take).unwrap_or(Value::Null);
    let total = list.int("totalCount").max(0) as u64;
    let pages = total.div_ceil(PAGE_SIZE).clamp(1, MAX_PAGE);
    let facets = list
        .get_mut("facets")
        .map(Value::take)
        .unwrap_or(Value::Null);
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
                    @for node in list.list("nodes") {
                        @let (i, snippet) = match node.get("initiative") {
                            Some(i) => (i, node.get("snippet").filter(|s| !s.is_null())),
                            None => (node, None),
                        };
                        li {
                            h2 {
                                a href=(ctx.href(&format!("/initiatieven/{}", i.str_at("slug")))) {
                                    @match snippet {
                                        Some(s) if !s.str_at("title").is_empty() => (trusted(s.str_at("title").to_owned())),
                                        _ => (i.str_at("title")),
                                    }
                                }
                            }
                            p.meta { (vocab.label(Vocabulary::InitiativeKind, i.str_at("kind"))) }
                            @match snippet {
                                Some(s) if !s.str_at("text").is_empty() => p { (trusted(s.str_at("text").to_owned())) },
                                _ => p { (crate::layout::describe(i.str_at("summary"))) },
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
                    (facet_fieldset(ctx, &vocab, facet, facets.list(facet.field)))
                }
                (years(ctx, facets.list("years")))
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
fn facet_fieldset(ctx: &Ctx, vocab: &Vocab, facet: &Facet, values: &[Value]) -> Markup {
    let chosen = ctx.params(facet.key);
    let options: Vec<(String, String, i64)> = values
        .iter()
        .map(|v| {
            let count = v.int("count");
            let (code, label) = match facet.labels {
                Labels::Taxonomy => {
                    let t = v.get("value").unwrap_or(&Value::Null);
                    (t.str_at("code").to_owned(), t.str_at("label").to_owned())
                }
                Labels::Vocabulary(kind) => {
                    let value = v.str_at("value");
                    (
                        value.to_ascii_lowercase(),
                        vocab.label(kind, value).to_owned(),
                    )
                }
                Labels::Language => {
                    let code = v.str_at("value");
                    (code.to_owned(), language_name(code, ctx.en()))
                }
            };
            (code, label, count)
        })
        .filter(|(code, _, count)| *count > 0 || chosen.contains(&code.as_str()))
        .collect();
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
fn years(ctx: &Ctx, values: &[Value]) -> Markup {
    let years: Vec<i64> = values
        .iter()
        .filter(|v| v.int("count") > 0)
        .map(|v| v.int("value"))
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
