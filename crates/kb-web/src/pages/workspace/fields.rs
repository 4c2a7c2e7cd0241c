//! The form's fields: a text field, a text area, a choice of one or several values and
//! the topic tree, each with its label, hint and error beside it (`aria-describedby`,
//! `aria-invalid`), and the error summary that links to them.

use maud::{Markup, html};

use super::options::{Term, Topic};
use crate::context::Ctx;

/// The form field's id for an API field name (`input.startYear` → `f-startYear`).
pub(super) fn field_id(api_field: &str) -> String {
    format!("f-{}", api_field.trim_start_matches("input."))
}

/// A person's words for what is wrong with a field, in the page's language.
pub(super) fn explain(ctx: &Ctx, field: &str, api: &str) -> String {
    if ctx.en() {
        let mut m = api.to_owned();
        if let Some(first) = m.get(0..1) {
            m.replace_range(0..1, &first.to_uppercase());
        }
        return m;
    }
    match field.trim_start_matches("input.") {
        "title" => "Geef een titel van ten hoogste 200 tekens.",
        "summary" => "Geef een samenvatting van ten hoogste 1.000 tekens.",
        "titleEn" => "Geef een Engelse titel van ten hoogste 200 tekens, of laat het veld leeg.",
        "summaryEn" => {
            "Geef een Engelse samenvatting van ten hoogste 1.000 tekens, of laat het veld leeg."
        }
        "body" => "De beschrijving is te lang of bevat tekens die niet kunnen.",
        "kind" => "Kies de soort initiatief.",
        "startYear" | "endYear" => "Vul een jaartal in; het eindjaar ligt niet voor het startjaar.",
        "website" => "Vul een webadres in dat begint met https://.",
        "contactEmail" => "Vul een e-mailadres in zoals welzijn@instelling.nl.",
        "languages" => "Kies ten hoogste tien talen.",
        "themes" => "Kies ten minste één en ten hoogste acht thema's.",
        "topics" => "Kies ten minste één en ten hoogste tien onderwerpen.",
        "targetGroups" => "Kies ten hoogste acht doelgroepen.",
        "educationLevels" => "Kies ten hoogste zeven onderwijsniveaus.",
        "organisations" => "Geef de trekkende organisatie en ten hoogste twintig organisaties.",
        _ => return api.to_owned(),
    }
    .to_owned()
}

/// Labels of the API's field names, for the error summary.
pub(super) fn field_label(ctx: &Ctx, field: &str) -> &'static str {
    match field.trim_start_matches("input.") {
        "title" => ctx.t("Titel", "Title"),
        "summary" => ctx.t("Samenvatting", "Summary"),
        "titleEn" => ctx.t("Titel in het Engels", "Title in English"),
        "summaryEn" => ctx.t("Samenvatting in het Engels", "Summary in English"),
        "body" => ctx.t("Beschrijving", "Description"),
        "kind" => ctx.t("Soort", "Kind"),
        "startYear" => ctx.t("Startjaar", "Start year"),
        "endYear" => ctx.t("Eindjaar", "End year"),
        "website" => ctx.t("Website", "Website"),
        "contactEmail" => ctx.t("Contactadres", "Contact address"),
        "languages" => ctx.t("Talen", "Languages"),
        "themes" => ctx.t("Thema's", "Themes"),
        "topics" => ctx.t("Onderwerpen", "Topics"),
        "targetGroups" => ctx.t("Doelgroepen", "Target groups"),
        "educationLevels" => ctx.t("Onderwijsniveaus", "Education levels"),
        "organisations" => ctx.t("Organisaties", "Organisations"),
        _ => ctx.t("Formulier", "Form"),
    }
}

pub(super) struct Errors<'a> {
    pub(super) ctx: &'a Ctx,
    pub(super) list: &'a [(String, String)],
}

impl Errors<'_> {
    pub(super) fn of(&self, field: &str) -> Option<String> {
        self.list
            .iter()
            .find(|(f, _)| f == field)
            .map(|(f, m)| explain(self.ctx, f, m))
    }

    /// The error beside a field, when it has one.
    pub(super) fn beside(&self, field: &str) -> Markup {
        html! {
            @if let Some(m) = self.of(field) {
                p.field-error id=(format!("{}-error", field_id(field))) {
                    span.visually-hidden { (self.ctx.t("Fout: ", "Error: ")) }
                    (m)
                }
            }
        }
    }

    pub(super) fn described(&self, field: &str, hint: bool) -> Option<String> {
        let id = field_id(field);
        let mut parts = Vec::new();
        if hint {
            parts.push(format!("{id}-hint"));
        }
        if self.of(field).is_some() {
            parts.push(format!("{id}-error"));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    pub(super) fn invalid(&self, field: &str) -> Option<&'static str> {
        self.of(field).map(|_| "true")
    }
}

/// A one-line text field.
pub(super) fn text(
    e: &Errors,
    field: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    kind: &str,
    required: bool,
) -> Markup {
    let id = field_id(field);
    let name = field.trim_start_matches("input.");
    html! {
        div.field.error[e.of(field).is_some()] {
            label for=(id) { (label) @if !required { " " span.optional { (e.ctx.t("(niet verplicht)", "(optional)")) } } }
            @if let Some(h) = hint { p.hint id=(format!("{id}-hint")) { (h) } }
            (e.beside(field))
            input id=(id) name=(name) type=(kind) value=(value)
                aria-describedby=[e.described(field, hint.is_some())]
                aria-invalid=[e.invalid(field)];
        }
    }
}

/// A text area.
pub(super) fn area(
    e: &Errors,
    field: &str,
    label: &str,
    hint: &str,
    value: &str,
    rows: u32,
) -> Markup {
    let id = field_id(field);
    let name = field.trim_start_matches("input.");
    html! {
        div.field.error[e.of(field).is_some()] {
            label for=(id) { (label) }
            p.hint id=(format!("{id}-hint")) { (hint) }
            (e.beside(field))
            textarea id=(id) name=(name) rows=(rows)
                aria-describedby=[e.described(field, true)]
                aria-invalid=[e.invalid(field)] { (value) }
        }
    }
}

/// A choice of one value of a vocabulary, or none.
pub(super) fn select(e: &Errors, field: &str, label: &str, terms: &[Term], value: &str) -> Markup {
    let id = field_id(field);
    let name = field.trim_start_matches("input.");
    html! {
        div.field.error[e.of(field).is_some()] {
            label for=(id) { (label) }
            (e.beside(field))
            select id=(id) name=(name) aria-describedby=[e.described(field, false)]
                aria-invalid=[e.invalid(field)] {
                option value="" selected[value.is_empty()] { (e.ctx.t("— kies —", "— choose —")) }
                @for t in terms {
                    option value=(t.value) selected[t.value == value] { (t.label) }
                }
            }
        }
    }
}

/// A choice of several values, as check boxes in a fieldset.
pub(super) fn boxes<'a>(
    e: &Errors,
    field: &str,
    legend: &str,
    items: impl Iterator<Item = (&'a str, String)>,
    chosen: &[String],
) -> Markup {
    let id = field_id(field);
    let name = field.trim_start_matches("input.");
    html! {
        fieldset.field.choices.error[e.of(field).is_some()] id=(id)
            aria-describedby=[e.described(field, false)] {
            legend { (legend) }
            (e.beside(field))
            ul {
                @for (value, label) in items {
                    @let box_id = format!("{id}-{value}");
                    li {
                        input type="checkbox" id=(box_id) name=(name) value=(value)
                            checked[chosen.iter().any(|c| c == value)];
                        label for=(box_id) { (label) }
                    }
                }
            }
        }
    }
}

/// The topics as their tree, each with its synonyms (which the filter searches).
pub(super) fn topic_tree(e: &Errors, topics: &[Topic], chosen: &[String]) -> Markup {
    let field = "input.topics";
    let id = field_id(field);
    let item = |t: &Topic| {
        let box_id = format!("{id}-{}", t.code);
        html! {
            input type="checkbox" id=(box_id) name="topics" value=(t.code)
                checked[chosen.contains(&t.code)];
            label for=(box_id) {
                (t.label)
                @if !t.alt_labels.is_empty() {
                    " " span.synonyms { "(" (t.alt_labels.join(", ")) ")" }
                }
            }
        }
    };
    html! {
        fieldset.field.choices.tree.error[e.of(field).is_some()] id=(id)
            aria-describedby=[e.described(field, true)] data-filter="topics" {
            legend { (e.ctx.t("Onderwerpen", "Topics")) }
            p.hint id=(format!("{id}-hint")) {
                (e.ctx.t(
                    "Kies één tot tien onderwerpen. Tussen haakjes staan andere woorden die zoekers gebruiken.",
                    "Choose one to ten topics. Other words searchers use are in brackets.",
                ))
            }
            (e.beside(field))
            ul {
                @for root in topics.iter().filter(|t| t.broader.is_none()) {
                    li {
                        (item(root))
                        @let narrower: Vec<&Topic> = topics.iter()
                            .filter(|t| t.broader.as_ref().is_some_and(|b| b.code == root.code))
                            .collect();
                        @if !narrower.is_empty() {
                            ul { @for t in narrower { li { (item(t)) } } }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn link_type_label(ctx: &Ctx, kind: &str) -> &'static str {
    match kind {
        "BUILDS_ON" => ctx.t("Bouwt voort op", "Builds on"),
        "INSPIRED_BY" => ctx.t("Geïnspireerd door", "Inspired by"),
        _ => ctx.t("Verwant aan", "Related to"),
    }
}

pub(super) fn role_label(ctx: &Ctx, role: &str) -> &'static str {
    match role {
        "FUNDER" => ctx.t("financier", "funder"),
        "LEAD" => ctx.t("trekker", "lead"),
        _ => ctx.t("partner", "partner"),
    }
}

/// The API's field names in the order the form shows them.
const ORDER: [&str; 17] = [
    "title",
    "summary",
    "titleEn",
    "summaryEn",
    "body",
    "kind",
    "themes",
    "topics",
    "targetGroups",
    "educationLevels",
    "startYear",
    "endYear",
    "languages",
    "website",
    "contactEmail",
    "organisations",
    "links",
];

/// The error summary at the top of a refused form, in the form's order.
pub(super) fn summary(ctx: &Ctx, errors: &[(String, String)], general: Option<&str>) -> Markup {
    let mut errors = errors.to_vec();
    errors.sort_by_key(|(f, _)| {
        ORDER
            .iter()
            .position(|o| *o == f.trim_start_matches("input."))
            .unwrap_or(ORDER.len())
    });
    html! {
        @if !errors.is_empty() || general.is_some() {
            div.error-summary role="alert" tabindex="-1" id="fouten" aria-labelledby="fouten-titel" {
                h2 id="fouten-titel" { (ctx.t("Er is iets niet goed", "There is a problem")) }
                @if let Some(g) = general { p { (g) } }
                ul {
                    @for (field, message) in &errors {
                        li {
                            a href=(format!("#{}", field_id(field))) {
                                (field_label(ctx, field)) ": " (explain(ctx, field, message))
                            }
                        }
                    }
                }
            }
        }
    }
}
