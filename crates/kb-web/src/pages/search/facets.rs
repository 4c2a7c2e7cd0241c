//! The facets of search and browse: the `InitiativeFilter` the address holds, the
//! counts the API gives per value, and the form's checkboxes and year range.

use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::context::Ctx;
use crate::pages::Term;
use crate::vocab::{Vocab, Vocabulary, language_name};

/// The facets' counts, as [`FACETS_SELECTION`] asks for them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Facets {
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

/// The selection of [`Facets`] in a connection.
pub(super) const FACETS_SELECTION: &str = "facets {
    themes { value { code label } count } topics { value { code label } count }
    kinds { value count } targetGroups { value count } educationLevels { value count }
    regions { value count } evidenceLevels { value count } languages { value count }
    years { value count } }";

/// A value from the address is used only when it looks like a code, so that an odd
/// value is ignored rather than an error.
fn is_code(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The address keys of the values that must all hold at once (the initiatives two
/// topics or two organisations share, as the analyst's maps link to them) and their
/// fields in the API's filter.
const EVERY: [(&str, &str); 2] = [
    ("elk-onderwerp", "everyTopic"),
    ("elke-organisatie", "everyOrganisation"),
];

/// The `InitiativeFilter` the address holds.
pub(crate) fn filter(ctx: &Ctx) -> Value {
    let mut f = Map::new();
    for (key, field) in EVERY {
        let values: Vec<Value> = ctx
            .params(key)
            .into_iter()
            .filter(|v| is_code(v))
            .map(Value::from)
            .collect();
        if !values.is_empty() {
            f.insert(field.to_owned(), Value::Array(values));
        }
    }
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

/// The values that must all hold at once, as checked boxes that keep them (and take
/// them away when unchecked); `organisations` names the organisations by id.
fn together(ctx: &Ctx, facets: &Facets, organisations: &[(String, String)]) -> Markup {
    let topics: Vec<(String, String)> = ctx
        .params("elk-onderwerp")
        .into_iter()
        .filter(|v| is_code(v))
        .map(|code| {
            let label = facets
                .topics
                .iter()
                .find(|t| t.value.code == code)
                .map_or_else(|| code.to_owned(), |t| t.value.label.clone());
            (code.to_owned(), label)
        })
        .collect();
    let orgs: Vec<(String, String)> = ctx
        .params("elke-organisatie")
        .into_iter()
        .filter(|v| is_code(v))
        .map(|id| {
            let name = organisations
                .iter()
                .find(|(i, _)| i == id)
                .map_or_else(|| id.to_owned(), |(_, n)| n.clone());
            (id.to_owned(), name)
        })
        .collect();
    if topics.is_empty() && orgs.is_empty() {
        return html! {};
    }
    html! {
        fieldset {
            legend { (ctx.t("Met elk van deze", "With each of these")) }
            @for (key, list) in [("elk-onderwerp", &topics), ("elke-organisatie", &orgs)] {
                @for (i, (value, label)) in list.iter().enumerate() {
                    @let id = format!("f-{key}-{i}");
                    p.check {
                        input type="checkbox" id=(id) name=(key) value=(value) checked;
                        label for=(id) { (label) }
                    }
                }
            }
        }
    }
}

/// Every facet as checkboxes, then the year range; first the values that must all hold
/// at once, when the address has any (`organisations` names them by id).
pub(super) fn fieldsets(
    ctx: &Ctx,
    vocab: &Vocab,
    facets: &Facets,
    organisations: &[(String, String)],
) -> Markup {
    html! {
        (together(ctx, facets, organisations))
        @for facet in &FACETS {
            (facet_fieldset(ctx, vocab, facet, facets))
        }
        (years(ctx, &facets.years))
    }
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

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;
    use serde_json::json;

    use super::*;

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
        let ctx = Ctx::of(
            &HeaderMap::new(),
            "/zoeken",
            "elk-onderwerp=stress&elk-onderwerp=geld&elke-organisatie=T3JnOjE&elke-organisatie=%3Cx%3E",
        );
        assert_eq!(
            filter(&ctx),
            json!({ "everyTopic": ["stress", "geld"], "everyOrganisation": ["T3JnOjE"] })
        );
    }
}
