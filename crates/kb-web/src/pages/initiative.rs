//! One initiative with everything around it: its text and metadata, themes and topics,
//! organisations, events, what it builds on and what builds on it, and the related
//! initiatives with the reasons they are related.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::bilingual::shown;
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::dates;
use crate::layout::{Page, describe, respond, trusted};
use crate::pages::{EVENT, EventCard, Named, Nodes, TITLED, Term, Titled, event_list};
use crate::rich_text;
use crate::vocab::{Vocabulary, language_name};

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(deserialize_with = "nullable")]
    initiative: Option<Initiative>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Initiative {
    slug: String,
    title: String,
    summary: String,
    #[serde(deserialize_with = "nullable")]
    title_en: Option<String>,
    #[serde(deserialize_with = "nullable")]
    summary_en: Option<String>,
    #[serde(deserialize_with = "nullable")]
    body: Option<String>,
    kind: String,
    languages: Vec<String>,
    target_groups: Vec<String>,
    education_levels: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    format: Option<String>,
    #[serde(deserialize_with = "nullable")]
    cost: Option<String>,
    #[serde(deserialize_with = "nullable")]
    prevention_level: Option<String>,
    #[serde(deserialize_with = "nullable")]
    evidence_level: Option<String>,
    #[serde(deserialize_with = "nullable")]
    region: Option<String>,
    #[serde(deserialize_with = "nullable")]
    start_year: Option<i64>,
    #[serde(deserialize_with = "nullable")]
    end_year: Option<i64>,
    #[serde(deserialize_with = "nullable")]
    website: Option<String>,
    #[serde(deserialize_with = "nullable")]
    contact_email: Option<String>,
    #[serde(deserialize_with = "nullable")]
    published_at: Option<String>,
    updated_at: String,
    is_demo: bool,
    themes: Vec<Term>,
    topics: Vec<Term>,
    organisations: Vec<Involved>,
    events: Nodes<EventCard>,
    builds_on: Vec<Titled>,
    built_on_by: Vec<Titled>,
    inspired_by: Vec<Titled>,
    inspired: Vec<Titled>,
    related_to: Vec<Titled>,
    related: Vec<Related>,
}

/// An organisation with its role in the initiative.
#[derive(Debug, Deserialize)]
struct Involved {
    role: String,
    organisation: Named,
}

/// A related initiative and why it is related.
#[derive(Debug, Deserialize)]
struct Related {
    initiative: Titled,
    reasons: Reasons,
}

#[derive(Debug, Deserialize)]
struct Reasons {
    links: Vec<String>,
    themes: Vec<Label>,
    topics: Vec<Label>,
    organisations: Vec<Name>,
}

#[derive(Debug, Deserialize)]
struct Label {
    label: String,
}

#[derive(Debug, Deserialize)]
struct Name {
    name: String,
}

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let page = build(&site, &ctx, &slug).await;
    respond(&ctx, page)
}

/// The selection of an initiative's page, for `initiative(slug:)` or `initiative(id:)`.
fn selection() -> String {
    format!(
        "slug title summary titleEn summaryEn body kind languages targetGroups
         educationLevels format cost
         preventionLevel evidenceLevel region startYear endYear website contactEmail
         publishedAt updatedAt isDemo
         themes {{ code label }} topics {{ code label }}
         organisations {{ role organisation {{ slug name }} }}
         events(first: 10) {{ nodes {{ {EVENT} }} }}
         buildsOn {{ {TITLED} }} builtOnBy {{ {TITLED} }}
         inspiredBy {{ {TITLED} }} inspired {{ {TITLED} }} relatedTo {{ {TITLED} }}
         related(first: 5) {{
           initiative {{ {TITLED} }}
           reasons {{ links themes {{ label }} topics {{ label }} organisations {{ name }} }}
         }}"
    )
}

async fn build(site: &Site, ctx: &Ctx, slug: &str) -> Result<Page, Failure> {
    let document = format!(
        "query Initiative($slug: String!) {{ initiative(slug: $slug) {{ {} }} }}",
        selection()
    );
    let data: Answer = site
        .query(ctx.lang, &document, json!({ "slug": slug }))
        .await?;
    show(site, ctx, data).await
}

/// An initiative the signed-in `visitor` may see (a draft of their organisation, for
/// one), read with the public page's own document and shown by the same code, so the
/// preview is exactly what the public will see once it is published.
pub(crate) async fn preview(
    site: &Site,
    ctx: &Ctx,
    visitor: &crate::Visitor,
    id: &str,
) -> Result<Page, Failure> {
    let document = format!(
        "query Preview($id: ID!) {{ initiative(id: $id) {{ {} }} }}",
        selection()
    );
    let data: Answer = site
        .query_as(visitor, ctx.lang, &document, json!({ "id": id }))
        .await?;
    show(site, ctx, data).await
}

async fn show(site: &Site, ctx: &Ctx, data: Answer) -> Result<Page, Failure> {
    let vocab = site.vocab(ctx.lang).await?;
    let Some(i) = data.initiative else {
        return Err(Failure::NotFound);
    };
    let label = |kind: Vocabulary, v: Option<&str>| -> Option<String> {
        v.filter(|v| !v.is_empty())
            .map(|v| vocab.label(kind, v).to_owned())
    };
    let labels = |kind: Vocabulary, values: &[String]| -> Option<String> {
        let v: Vec<&str> = values.iter().map(|v| vocab.label(kind, v)).collect();
        (!v.is_empty()).then(|| v.join(", "))
    };
    let years = match (i.start_year, i.end_year) {
        (None, _) => None,
        (Some(s), None) => Some(format!("{s} –")),
        (Some(s), Some(e)) if s == e => Some(s.to_string()),
        (Some(s), Some(e)) => Some(format!("{s} – {e}")),
    };
    let languages: Vec<String> = i
        .languages
        .iter()
        .map(|c| language_name(c, ctx.en()))
        .collect();
    let facts: Vec<(&str, Option<String>)> = vec![
        (
            ctx.t("Soort", "Kind"),
            label(Vocabulary::InitiativeKind, Some(&i.kind)),
        ),
        (
            ctx.t("Doelgroepen", "Target groups"),
            labels(Vocabulary::TargetGroup, &i.target_groups),
        ),
        (
            ctx.t("Onderwijsniveaus", "Education levels"),
            labels(Vocabulary::EducationLevel, &i.education_levels),
        ),
        (
            ctx.t("Vorm", "Format"),
            label(Vocabulary::Format, i.format.as_deref()),
        ),
        (
            ctx.t("Kosten", "Cost"),
            label(Vocabulary::Cost, i.cost.as_deref()),
        ),
        (
            ctx.t("Preventieniveau", "Prevention level"),
            label(Vocabulary::PreventionLevel, i.prevention_level.as_deref()),
        ),
        (
            ctx.t("Onderbouwing", "Evidence"),
            label(Vocabulary::EvidenceLevel, i.evidence_level.as_deref()),
        ),
        (
            ctx.t("Regio", "Region"),
            label(Vocabulary::Region, i.region.as_deref()),
        ),
        (ctx.t("Looptijd", "Years"), years),
        (
            ctx.t("Talen", "Languages"),
            (!languages.is_empty()).then(|| languages.join(", ")),
        ),
    ];
    let text = i.body.as_deref().unwrap_or_default();
    let website = i.website.as_deref().unwrap_or_default();
    let email = i.contact_email.as_deref().unwrap_or_default();
    let published = i.published_at.as_deref().unwrap_or_default();
    let title = shown(ctx.en(), &i.title, i.title_en.as_deref());
    let summary = shown(ctx.en(), &i.summary, i.summary_en.as_deref());
    let body = html! {
        article {
            p.meta { (vocab.label(Vocabulary::InitiativeKind, &i.kind)) }
            h1 lang=[title.lang] { (title.text) }
            p.lead lang=[summary.lang] { (summary.text) }
            ul.tags aria-label=(ctx.t("Thema's en onderwerpen", "Themes and topics")) {
                @for t in &i.themes {
                    li { a href=(ctx.href(&format!("/themas/{}", t.code))) { (t.label) } }
                }
                @for t in &i.topics {
                    li { a href=(ctx.href(&format!("/onderwerpen/{}", t.code))) { (t.label) } }
                }
            }
            @if !text.is_empty() {
                div.body { (trusted(rich_text::to_html(text))) }
            }
            h2 { (ctx.t("Gegevens", "Details")) }
            dl.facts {
                @for (name, value) in &facts {
                    @if let Some(v) = value { dt { (name) } dd { (v) } }
                }
                @if !website.is_empty() {
                    dt { (ctx.t("Website", "Website")) }
                    dd { a href=(website) rel="noopener" { (website) } }
                }
                @if !email.is_empty() {
                    dt { (ctx.t("Contact", "Contact")) }
                    dd { a href=(format!("mailto:{email}")) { (email) } }
                }
                @if !published.is_empty() {
                    dt { (ctx.t("Gepubliceerd", "Published")) }
                    dd { time datetime=(published) { (dates::date(published, ctx.lang)) } }
                }
                dt { (ctx.t("Bijgewerkt", "Updated")) }
                dd { time datetime=(i.updated_at) { (dates::date(&i.updated_at, ctx.lang)) } }
            }
            @if i.is_demo {
                p.meta { (ctx.t("Dit is een verzonnen voorbeeld uit de demogegevens.", "This is a fictional example from the demo data.")) }
            }
            h2 { (ctx.t("Organisaties", "Organisations")) }
            ul {
                @for o in &i.organisations {
                    li {
                        a href=(ctx.href(&format!("/organisaties/{}", o.organisation.slug))) { (o.organisation.name) }
                        " (" (role(ctx, &o.role)) ")"
                    }
                }
            }
            (links(ctx, ctx.t("Bouwt voort op", "Builds on"), &i.builds_on))
            (links(ctx, ctx.t("Hierop wordt voortgebouwd door", "Built on by"), &i.built_on_by))
            (links(ctx, ctx.t("Geïnspireerd door", "Inspired by"), &i.inspired_by))
            (links(ctx, ctx.t("Inspireerde", "Inspired"), &i.inspired))
            (links(ctx, ctx.t("Verwant aan", "Related to"), &i.related_to))
            @if !i.events.nodes.is_empty() {
                h2 { (ctx.t("Evenementen", "Events")) }
                (event_list(ctx, &i.events.nodes))
            }
            @if !i.related.is_empty() {
                h2 id="verwant" { (ctx.t("Verwante initiatieven", "Related initiatives")) }
                ul.cards.related {
                    @for r in &i.related {
                        @let title = r.initiative.title(ctx);
                        li {
                            h3 lang=[title.lang] { a href=(ctx.href(&format!("/initiatieven/{}", r.initiative.slug))) { (title.text) } }
                            p { (reasons(ctx, &r.reasons)) }
                        }
                    }
                }
            }
            p.meta {
                a href=(ctx.href(&format!("/analyse?initiatief={}", i.slug))) { (ctx.t("Bekijk de omgeving in de graaf", "See its neighbourhood in the graph")) }
            }
        }
    };
    Ok(Page::new(title.text, describe(summary.text), body))
}

fn role(ctx: &Ctx, role: &str) -> &'static str {
    match role {
        "LEAD" => ctx.t("penvoerder", "lead"),
        "PARTNER" => ctx.t("partner", "partner"),
        "FUNDER" => ctx.t("financier", "funder"),
        _ => "",
    }
}

fn links(ctx: &Ctx, heading: &str, list: &[Titled]) -> Markup {
    html! {
        @if !list.is_empty() {
            h2 { (heading) }
            ul {
                @for l in list {
                    @let title = l.title(ctx);
                    li lang=[title.lang] { a href=(ctx.href(&format!("/initiatieven/{}", l.slug))) { (title.text) } }
                }
            }
        }
    }
}

/// Why two initiatives are related, in a sentence of parts.
fn reasons(ctx: &Ctx, r: &Reasons) -> String {
    let mut parts = Vec::new();
    let link_names: Vec<&str> = r
        .links
        .iter()
        .map(|l| match l.as_str() {
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
    for (names, nl, en) in [
        (
            r.topics
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>(),
            "zelfde onderwerpen",
            "shared topics",
        ),
        (
            r.themes.iter().map(|t| t.label.as_str()).collect(),
            "zelfde thema's",
            "shared themes",
        ),
        (
            r.organisations.iter().map(|o| o.name.as_str()).collect(),
            "zelfde organisaties",
            "shared organisations",
        ),
    ] {
        if !names.is_empty() {
            parts.push(format!("{}: {}", ctx.t(nl, en), names.join(", ")));
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// An answer to the page's document, as the API gives it.
    fn answer() -> Value {
        let titled = json!([{ "slug": "b", "title": "B", "titleEn": null }]);
        let related = json!([{ "initiative": { "slug": "c", "title": "C", "titleEn": "See" },
            "reasons": { "links": [], "themes": [{ "label": "Begeleiding" }], "topics": [], "organisations": [] } }]);
        json!({ "initiative": {
            "slug": "a", "title": "A", "summary": "S", "titleEn": "A in English", "summaryEn": null,
            "body": null, "kind": "TRAINING",
            "languages": ["nl"], "targetGroups": ["STUDENTS"], "educationLevels": [],
            "format": null, "cost": "FREE", "preventionLevel": null, "evidenceLevel": null,
            "region": null, "startYear": 2021, "endYear": null, "website": null,
            "contactEmail": null, "publishedAt": "2024-03-14T12:00:00Z",
            "updatedAt": "2024-03-14T12:00:00Z", "isDemo": true,
            "themes": [{ "code": "support", "label": "Begeleiding" }], "topics": [],
            "organisations": [{ "role": "LEAD", "organisation": { "slug": "o", "name": "O" } }],
            "events": { "nodes": [] },
            "buildsOn": titled, "builtOnBy": [], "inspiredBy": [], "inspired": [], "relatedTo": [],
            "related": related
        } })
    }

    /// The answer without the field `field` of the object at `pointer`.
    fn without(pointer: &str, field: &str) -> Value {
        let mut a = answer();
        if let Some(object) = a.pointer_mut(pointer).and_then(Value::as_object_mut) {
            object.remove(field);
        }
        a
    }

    fn read(answer: Value) -> Result<Answer, String> {
        let value = async_graphql::Value::from_json(answer).map_err(|e| e.to_string())?;
        async_graphql::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn the_answer_to_the_document_is_read_field_by_field() {
        let i = read(answer())
            .expect("an answer")
            .initiative
            .expect("the initiative");
        assert_eq!(
            (i.title.as_str(), i.start_year, i.end_year),
            ("A", Some(2021), None)
        );
        assert_eq!((i.cost.as_deref(), i.website), (Some("FREE"), None));
        assert_eq!(i.organisations[0].organisation.slug, "o");
        assert_eq!(i.related[0].reasons.themes[0].label, "Begeleiding");
        assert_eq!(
            (i.title_en.as_deref(), i.summary_en.as_deref()),
            (Some("A in English"), None)
        );
        assert_eq!(
            (
                i.builds_on[0].title_en.as_deref(),
                i.related[0].initiative.title_en.as_deref()
            ),
            (None, Some("See"))
        );
    }

    #[test]
    fn an_answer_without_a_required_field_is_refused() {
        let error = read(without("/initiative", "title")).expect_err("no title");
        assert!(error.contains("missing field `title`"), "{error}");
        let error = read(without("/initiative/related/0/reasons", "topics"))
            .expect_err("no topics in the reasons");
        assert!(error.contains("missing field `topics`"), "{error}");
    }

    #[test]
    fn a_nullable_field_may_be_null_but_not_missing() {
        let error = read(without("/initiative", "website")).expect_err("no website");
        assert!(error.contains("missing field `website`"), "{error}");
        let error = read(without("/initiative", "titleEn")).expect_err("no English title");
        assert!(error.contains("missing field `titleEn`"), "{error}");
        let error = read(without("", "initiative")).expect_err("no initiative");
        assert!(error.contains("missing field `initiative`"), "{error}");
    }

    #[test]
    fn an_initiative_the_public_may_not_see_reads_as_none() {
        let a = read(json!({ "initiative": null })).expect("an answer");
        assert!(a.initiative.is_none());
    }
}
