//! One initiative with everything around it: its text and metadata, themes and topics,
//! organisations, events, what it builds on and what builds on it, and the related
//! initiatives with the reasons they are related.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

use crate::Site;
use crate::client::{Failure, Read};
use crate::context::Ctx;
use crate::dates;
use crate::layout::{Page, describe, respond, trusted};
use crate::pages::{EVENT, event_list};
use crate::rich_text;
use crate::vocab::{Vocabulary, language_name};

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let page = build(&site, &ctx, &slug).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx, slug: &str) -> Result<Page, Failure> {
    let document = format!(
        "query Initiative($slug: String!) {{
           initiative(slug: $slug) {{
             id title summary body kind languages targetGroups educationLevels format cost
             preventionLevel evidenceLevel region startYear endYear website contactEmail
             publishedAt updatedAt isDemo
             themes {{ code label }} topics {{ code label }}
             organisations {{ role organisation {{ slug name }} }}
             events(first: 10) {{ nodes {{ {EVENT} }} }}
             buildsOn {{ slug title }} builtOnBy {{ slug title }}
             inspiredBy {{ slug title }} inspired {{ slug title }} relatedTo {{ slug title }}
             related(first: 5) {{
               score initiative {{ slug title }}
               reasons {{ links themes {{ label }} topics {{ label }} organisations {{ name }} }}
             }}
           }} }}"
    );
    let data: Value = site
        .query(ctx.lang, &document, json!({ "slug": slug }))
        .await?;
    let vocab = site.vocab(ctx.lang).await?;
    let Some(i) = data.get("initiative").filter(|i| !i.is_null()) else {
        return Err(Failure::NotFound);
    };
    let label = |kind: Vocabulary, key: &str| -> Option<String> {
        let v = i.str_at(key);
        (!v.is_empty()).then(|| vocab.label(kind, v).to_owned())
    };
    let labels = |kind: Vocabulary, key: &str| -> Option<String> {
        let v: Vec<&str> = i
            .list(key)
            .iter()
            .filter_map(Value::as_str)
            .map(|v| vocab.label(kind, v))
            .collect();
        (!v.is_empty()).then(|| v.join(", "))
    };
    let years = match (i.int("startYear"), i.int("endYear")) {
        (0, _) => None,
        (s, 0) => Some(format!("{s} –")),
        (s, e) if s == e => Some(s.to_string()),
        (s, e) => Some(format!("{s} – {e}")),
    };
    let languages: Vec<String> = i
        .list("languages")
        .iter()
        .filter_map(Value::as_str)
        .map(|c| language_name(c, ctx.en()))
        .collect();
    let facts: Vec<(&str, Option<String>)> = vec![
        (
            ctx.t("Soort", "Kind"),
            label(Vocabulary::InitiativeKind, "kind"),
        ),
        (
            ctx.t("Doelgroepen", "Target groups"),
            labels(Vocabulary::TargetGroup, "targetGroups"),
        ),
        (
            ctx.t("Onderwijsniveaus", "Education levels"),
            labels(Vocabulary::EducationLevel, "educationLevels"),
        ),
        (ctx.t("Vorm", "Format"), label(Vocabulary::Format, "format")),
        (ctx.t("Kosten", "Cost"), label(Vocabulary::Cost, "cost")),
        (
            ctx.t("Preventieniveau", "Prevention level"),
            label(Vocabulary::PreventionLevel, "preventionLevel"),
        ),
        (
            ctx.t("Onderbouwing", "Evidence"),
            label(Vocabulary::EvidenceLevel, "evidenceLevel"),
        ),
        (
            ctx.t("Regio", "Region"),
            label(Vocabulary::Region, "region"),
        ),
        (ctx.t("Looptijd", "Years"), years),
        (
            ctx.t("Talen", "Languages"),
            (!languages.is_empty()).then(|| languages.join(", ")),
        ),
    ];
    let published = i.str_at("publishedAt");
    let body = html! {
        article {
            p.meta { (vocab.label(Vocabulary::InitiativeKind, i.str_at("kind"))) }
            h1 { (i.str_at("title")) }
            p.lead { (i.str_at("summary")) }
            ul.tags aria-label=(ctx.t("Thema's en onderwerpen", "Themes and topics")) {
                @for t in i.list("themes") {
                    li { a href=(ctx.href(&format!("/themas/{}", t.str_at("code")))) { (t.str_at("label")) } }
                }
                @for t in i.list("topics") {
                    li { a href=(ctx.href(&format!("/onderwerpen/{}", t.str_at("code")))) { (t.str_at("label")) } }
                }
            }
            @if !i.str_at("body").is_empty() {
                div.body { (trusted(rich_text::to_html(i.str_at("body")))) }
            }
            h2 { (ctx.t("Gegevens", "Details")) }
            dl.facts {
                @for (name, value) in &facts {
                    @if let Some(v) = value { dt { (name) } dd { (v) } }
                }
                @if !i.str_at("website").is_empty() {
                    dt { (ctx.t("Website", "Website")) }
                    dd { a href=(i.str_at("website")) rel="noopener" { (i.str_at("website")) } }
                }
                @if !i.str_at("contactEmail").is_empty() {
                    dt { (ctx.t("Contact", "Contact")) }
                    dd { a href=(format!("mailto:{}", i.str_at("contactEmail"))) { (i.str_at("contactEmail")) } }
                }
                @if !published.is_empty() {
                    dt { (ctx.t("Gepubliceerd", "Published")) }
                    dd { time datetime=(published) { (dates::date(published, ctx.lang)) } }
                }
                dt { (ctx.t("Bijgewerkt", "Updated")) }
                dd { time datetime=(i.str_at("updatedAt")) { (dates::date(i.str_at("updatedAt"), ctx.lang)) } }
            }
            @if i.get("isDemo").and_then(Value::as_bool) == Some(true) {
                p.meta { (ctx.t("Dit is een verzonnen voorbeeld uit de demogegevens.", "This is a fictional example from the demo data.")) }
            }
            h2 { (ctx.t("Organisaties", "Organisations")) }
            ul {
                @for o in i.list("organisations") {
                    @let org = o.get("organisation").unwrap_or(&Value::Null);
                    li {
                        a href=(ctx.href(&format!("/organisaties/{}", org.str_at("slug")))) { (org.str_at("name")) }
                        " (" (role(ctx, o.str_at("role"))) ")"
                    }
                }
            }
            (links(ctx, ctx.t("Bouwt voort op", "Builds on"), i.list("buildsOn")))
            (links(ctx, ctx.t("Hierop wordt voortgebouwd door", "Built on by"), i.list("builtOnBy")))
            (links(ctx, ctx.t("Geïnspireerd door", "Inspired by"), i.list("inspiredBy")))
            (links(ctx, ctx.t("Inspireerde", "Inspired"), i.list("inspired")))
            (links(ctx, ctx.t("Verwant aan", "Related to"), i.list("relatedTo")))
            @let events = i.get("events").map_or(&[][..], |e| e.list("nodes"));
            @if !events.is_empty() {
                h2 { (ctx.t("Evenementen", "Events")) }
                (event_list(ctx, events))
            }
            @if !i.list("related").is_empty() {
                h2 id="verwant" { (ctx.t("Verwante initiatieven", "Related initiatives")) }
                ul.cards.related {
                    @for r in i.list("related") {
                        @let other = r.get("initiative").unwrap_or(&Value::Null);
                        li {
                            h3 { a href=(ctx.href(&format!("/initiatieven/{}", other.str_at("slug")))) { (other.str_at("title")) } }
                            p { (reasons(ctx, r.get("reasons").unwrap_or(&Value::Null))) }
                        }
                    }
                }
            }
            p.meta {
                a href=(ctx.href(&format!("/analyse?initiatief={slug}"))) { (ctx.t("Bekijk de omgeving in de graaf", "See its neighbourhood in the graph")) }
            }
        }
    };
    Ok(Page::new(
        i.str_at("title"),
        describe(i.str_at("summary")),
        body,
    ))
}

fn role(ctx: &Ctx, role: &str) -> &'static str {
    match role {
        "LEAD" => ctx.t("penvoerder", "lead"),
        "PARTNER" => ctx.t("partner", "partner"),
        "FUNDER" => ctx.t("financier", "funder"),
        _ => "",
    }
}

fn links(ctx: &Ctx, heading: &str, list: &[Value]) -> Markup {
    html! {
        @if !list.is_empty() {
            h2 { (heading) }
            ul {
                @for l in list {
                    li { a href=(ctx.href(&format!("/initiatieven/{}", l.str_at("slug")))) { (l.str_at("title")) } }
                }
            }
        }
    }
}

/// Why two initiatives are related, in a sentence of parts.
fn reasons(ctx: &Ctx, r: &Value) -> String {
    let names = |key: &str, field: &str| -> Vec<String> {
        r.list(key)
            .iter()
            .map(|v| v.str_at(field).to_owned())
            .collect()
    };
    let mut parts = Vec::new();
    let link_names: Vec<&str> = r
        .list("links")
        .iter()
        .filter_map(Value::as_str)
        .map(|l| match l {
            "BUILDS_ON" => ctx.t("voortbouwen", "builds on"),
            "INSPIRED_BY" => ctx.t("inspiratie", "inspired by"),
            _ => ctx.t("verwant", "related"),
        })
        .collect();
    if !link_names.is_empty() {
        parts.push(format!(
            "{}: {}",
            ctx.t("gekoppeld", "linked"),
            link_names.join(", ")
        ));
    }
    for (key, field, nl, en) in [
        ("topics", "label", "zelfde onderwerpen", "shared topics"),
        ("themes", "label", "zelfde thema's", "shared themes"),
        (
            "organisations",
            "name",
            "zelfde organisaties",
            "shared organisations",
        ),
    ] {
        let n = names(key, field);
        if !n.is_empty() {
            parts.push(format!("{}: {}", ctx.t(nl, en), n.join(", ")));
        }
    }
    parts.join("; ")
}
