//! The initiative form: every field the API accepts, grouped, each with its label, hint
//! and (after a refused save) its error beside it; the errors are summarised at the top
//! and link to their fields (the error-summary pattern of GOV.UK and NL Design System).
//! It works without JavaScript: the organisation and initiative pickers search with a
//! button of their own, which shows the form again with the results and keeps all that
//! was typed.

use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;

use super::draft::{Draft, LINK_TYPES};
use crate::client::Failure;
use crate::context::Ctx;
use crate::vocab::language_name;
use crate::{Site, Visitor};

/// A vocabulary's values in their order, with labels.
#[derive(Debug, Deserialize)]
pub(crate) struct Term {
    pub(crate) value: String,
    pub(crate) label: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Vocabularies {
    initiative_kinds: Vec<Term>,
    target_groups: Vec<Term>,
    education_levels: Vec<Term>,
    formats: Vec<Term>,
    costs: Vec<Term>,
    prevention_levels: Vec<Term>,
    evidence_levels: Vec<Term>,
    regions: Vec<Term>,
    organisation_kinds: Vec<Term>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Theme {
    code: String,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Topic {
    code: String,
    label: String,
    alt_labels: Vec<String>,
    #[serde(deserialize_with = "crate::client::nullable")]
    broader: Option<Broader>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Broader {
    code: String,
}

/// The choices the form offers, read through the API in the page's language.
#[derive(Debug, Deserialize)]
pub(crate) struct Options {
    vocabularies: Vocabularies,
    themes: Vec<Theme>,
    topics: Vec<Topic>,
}

impl Options {
    pub(crate) async fn read(site: &Site, ctx: &Ctx) -> Result<Options, Failure> {
        site.query(
            ctx.lang,
            "query FormOptions {
               vocabularies {
                 initiativeKinds { value label } targetGroups { value label }
                 educationLevels { value label } formats { value label } costs { value label }
                 preventionLevels { value label } evidenceLevels { value label }
                 regions { value label } organisationKinds { value label }
               }
               themes { code label }
               topics { code label altLabels broader { code } }
             }",
            json!({}),
        )
        .await
    }
}

/// Languages the form offers besides those an initiative already lists.
const LANGUAGES: [&str; 5] = ["nl", "en", "de", "fr", "fy"];

/// Everything the form shows besides the draft.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    /// Fields at fault and their messages, as the API named them (`input.title`).
    pub(crate) errors: Vec<(String, String)>,
    /// A message for the whole form (a refused action without a field).
    pub(crate) general: Option<String>,
    /// The status, for an existing initiative.
    pub(crate) status: Option<String>,
    /// The editor's reason or note, when rejected or sent back.
    pub(crate) note: Option<String>,
    /// Someone else's changes since the person's version: label, their value now.
    pub(crate) conflict: Vec<(String, String)>,
    /// The lead organisation's name, shown where the person cannot change it.
    pub(crate) lead_name: Option<String>,
    /// Results of the pickers' searches.
    pub(crate) found_organisations: Vec<(String, String)>,
    pub(crate) found_initiatives: Vec<(String, String)>,
    /// The kind of link new picks get.
    pub(crate) link_type: String,
    /// What the person proposed for the editors just now, or why it was refused.
    pub(crate) proposed: Option<Result<String, String>>,
}

/// The form field's id for an API field name (`input.startYear` → `f-startYear`).
fn field_id(api_field: &str) -> String {
    format!("f-{}", api_field.trim_start_matches("input."))
}

/// A person's words for what is wrong with a field, in the page's language.
fn explain(ctx: &Ctx, field: &str, api: &str) -> String {
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
fn field_label(ctx: &Ctx, field: &str) -> &'static str {
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

struct Errors<'a> {
    ctx: &'a Ctx,
    list: &'a [(String, String)],
}

impl Errors<'_> {
    fn of(&self, field: &str) -> Option<String> {
        self.list
            .iter()
            .find(|(f, _)| f == field)
            .map(|(f, m)| explain(self.ctx, f, m))
    }

    /// The error beside a field, when it has one.
    fn beside(&self, field: &str) -> Markup {
        html! {
            @if let Some(m) = self.of(field) {
                p.field-error id=(format!("{}-error", field_id(field))) {
                    span.visually-hidden { (self.ctx.t("Fout: ", "Error: ")) }
                    (m)
                }
            }
        }
    }

    fn described(&self, field: &str, hint: bool) -> Option<String> {
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

    fn invalid(&self, field: &str) -> Option<&'static str> {
        self.of(field).map(|_| "true")
    }
}

/// A one-line text field.
fn text(
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
fn area(e: &Errors, field: &str, label: &str, hint: &str, value: &str, rows: u32) -> Markup {
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
fn select(e: &Errors, field: &str, label: &str, terms: &[Term], value: &str) -> Markup {
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
fn boxes<'a>(
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
fn topic_tree(e: &Errors, topics: &[Topic], chosen: &[String]) -> Markup {
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

fn link_type_label(ctx: &Ctx, kind: &str) -> &'static str {
    match kind {
        "BUILDS_ON" => ctx.t("Bouwt voort op", "Builds on"),
        "INSPIRED_BY" => ctx.t("Geïnspireerd door", "Inspired by"),
        _ => ctx.t("Verwant aan", "Related to"),
    }
}

fn role_label(ctx: &Ctx, role: &str) -> &'static str {
    match role {
        "FUNDER" => ctx.t("financier", "funder"),
        "LEAD" => ctx.t("trekker", "lead"),
        _ => ctx.t("partner", "partner"),
    }
}

/// The API's field names in the order the form shows them.
const ORDER: [&str; 15] = [
    "title",
    "summary",
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
fn summary(ctx: &Ctx, errors: &[(String, String)], general: Option<&str>) -> Markup {
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

/// The whole form for `draft`, posting to `action`.
pub(crate) fn render(
    ctx: &Ctx,
    visitor: &Visitor,
    options: &Options,
    draft: &Draft,
    extras: &Extras,
    action: &str,
) -> Markup {
    let e = Errors {
        ctx,
        list: &extras.errors,
    };
    let v = &options.vocabularies;
    let status = extras.status.as_deref().unwrap_or("");
    let terms = |list: &'_ [Term]| -> Vec<(String, String)> {
        list.iter()
            .map(|t| (t.value.clone(), t.label.clone()))
            .collect()
    };
    let mut languages: Vec<String> = LANGUAGES.iter().map(|l| (*l).to_owned()).collect();
    for l in &draft.languages {
        if !languages.contains(l) {
            languages.push(l.clone());
        }
    }
    let personal_contact = !draft.contact_email.is_empty()
        && !draft.contact_personal
        && (visitor
            .email
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case(draft.contact_email.trim()))
            || kb_domain::contact::looks_personal(&draft.contact_email));
    let editor = super::is_editor(visitor);
    html! {
        (summary(ctx, &extras.errors, extras.general.as_deref()))
        @if !extras.conflict.is_empty() {
            div.notice.warning role="alert" id="conflict" {
                h2 { (ctx.t("Iemand anders heeft intussen opgeslagen", "Someone else saved meanwhile")) }
                p {
                    (ctx.t(
                        "Uw tekst staat hieronder nog. Dit is wat er intussen veranderde; neem over wat u wilt houden en sla opnieuw op.",
                        "Your text is still below. This is what changed meanwhile; take over what you want to keep and save again.",
                    ))
                }
                dl {
                    @for (label, now) in &extras.conflict {
                        dt { (label) }
                        dd { @if now.is_empty() { em { (ctx.t("(leeg)", "(empty)")) } } @else { (now) } }
                    }
                }
            }
        }
        @if let Some(note) = &extras.note {
            div.notice.warning id="redactie" {
                h2 {
                    @if status == "REJECTED" { (ctx.t("Afgewezen door de redactie", "Rejected by the editors")) }
                    @else { (ctx.t("Teruggestuurd door de redactie", "Sent back by the editors")) }
                }
                p { (note) }
            }
        }
        form.initiative method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(visitor.csrf_token);
            input type="hidden" name="id" value=(draft.id.as_deref().unwrap_or(""));
            input type="hidden" name="version" value=(draft.version.map(|v| v.to_string()).unwrap_or_default());
            fieldset.group {
                legend { (ctx.t("Beschrijving", "Description")) }
                (text(&e, "input.title", ctx.t("Titel", "Title"), None, &draft.title, "text", true))
                (area(&e, "input.summary", ctx.t("Samenvatting", "Summary"),
                    ctx.t("Twee of drie zinnen: wat het is en voor wie (ten hoogste 1.000 tekens). Nodig om in te dienen.",
                          "Two or three sentences: what it is and for whom (at most 1,000 characters). Needed to submit."),
                    &draft.summary, 3))
                (text(&e, "input.titleEn", ctx.t("Titel in het Engels", "Title in English"),
                    Some(ctx.t("De Engelse site toont deze titel; leeg laten mag.", "The English site shows this title; it may stay empty.")),
                    &draft.title_en, "text", false))
                (area(&e, "input.summaryEn", ctx.t("Samenvatting in het Engels", "Summary in English"),
                    ctx.t("Niet verplicht. De Engelse site toont haar, en Engelse zoekopdrachten vinden haar.",
                          "Optional. The English site shows it, and English searches find it."),
                    &draft.summary_en, 3))
                (area(&e, "input.body", ctx.t("Beschrijving", "Description"),
                    ctx.t("Markdown: **vet**, *schuin*, lijstjes met -, koppen met ##. Bekijk het voorbeeld om te zien hoe het wordt.",
                          "Markdown: **bold**, *italic*, lists with -, headings with ##. Open the preview to see how it looks."),
                    &draft.body, 10))
            }
            fieldset.group {
                legend { (ctx.t("Soort en onderwerp", "Kind and subject")) }
                (select(&e, "input.kind", ctx.t("Soort", "Kind"), &v.initiative_kinds, &draft.kind))
                (boxes(&e, "input.themes", ctx.t("Thema's", "Themes"),
                    options.themes.iter().map(|t| (t.code.as_str(), t.label.clone())), &draft.themes))
                (topic_tree(&e, &options.topics, &draft.topics))
            }
            fieldset.group {
                legend { (ctx.t("Voor wie", "For whom")) }
                @let groups = terms(&v.target_groups);
                (boxes(&e, "input.targetGroups", ctx.t("Doelgroepen", "Target groups"),
                    groups.iter().map(|(a, b)| (a.as_str(), b.clone())), &draft.target_groups))
                @let levels = terms(&v.education_levels);
                (boxes(&e, "input.educationLevels", ctx.t("Onderwijsniveaus", "Education levels"),
                    levels.iter().map(|(a, b)| (a.as_str(), b.clone())), &draft.education_levels))
            }
            fieldset.group {
                legend { (ctx.t("Kenmerken", "Characteristics")) }
                (select(&e, "input.format", ctx.t("Vorm", "Format"), &v.formats, &draft.format))
                (select(&e, "input.cost", ctx.t("Kosten", "Cost"), &v.costs, &draft.cost))
                (select(&e, "input.preventionLevel", ctx.t("Preventieniveau", "Prevention level"), &v.prevention_levels, &draft.prevention_level))
                (select(&e, "input.evidenceLevel", ctx.t("Onderbouwing", "Evidence"), &v.evidence_levels, &draft.evidence_level))
                (select(&e, "input.region", ctx.t("Regio", "Region"), &v.regions, &draft.region))
                (text(&e, "input.startYear", ctx.t("Startjaar", "Start year"), None, &draft.start_year, "number", false))
                (text(&e, "input.endYear", ctx.t("Eindjaar", "End year"), None, &draft.end_year, "number", false))
                (boxes(&e, "input.languages", ctx.t("Talen", "Languages"),
                    languages.iter().map(|l| (l.as_str(), language_name(l, ctx.en()))), &draft.languages))
            }
            fieldset.group {
                legend { (ctx.t("Website en contact", "Website and contact")) }
                (text(&e, "input.website", ctx.t("Website", "Website"), None, &draft.website, "url", false))
                (text(&e, "input.contactEmail", ctx.t("Contactadres", "Contact address"),
                    Some(ctx.t(
                        "Bij voorkeur het adres van een team of de organisatie, zoals welzijn@instelling.nl: het wordt gepubliceerd.",
                        "Preferably a team's or the organisation's address, such as wellbeing@institution.nl: it is published.",
                    )),
                    &draft.contact_email, "email", false))
                @if personal_contact {
                    // Saving again with this address confirms it is not a person's.
                    input type="hidden" name="contactChecked" value=(draft.contact_email);
                    p.warning id="contact-warning" role="status" {
                        (ctx.t(
                            "Dit lijkt een persoonlijk adres. Gebruik liever een adres van uw team of organisatie; is het toch een persoonlijk adres, vink dat dan hieronder aan.",
                            "This looks like a personal address. Prefer an address of your team or organisation; if it is a personal one after all, tick that below.",
                        ))
                    }
                }
                div.field {
                    input type="checkbox" id="f-contactPersonal" name="contactPersonal" value="ja"
                        checked[draft.contact_personal] aria-describedby="f-contactPersonal-hint";
                    label for="f-contactPersonal" {
                        (ctx.t("Dit is het adres van een persoon, die instemt met publicatie", "This is a person's address, who agrees to its publication"))
                    }
                    p.hint id="f-contactPersonal-hint" {
                        (ctx.t(
                            "Een persoonlijk adres ziet alleen wie is aangemeld, nooit het publiek. De persoon kan de toestemming altijd intrekken.",
                            "Only people who signed in see a personal address, never the public. The person can withdraw their consent at any time.",
                        ))
                    }
                }
            }
            fieldset.group id="f-organisations" {
                legend { (ctx.t("Organisaties", "Organisations")) }
                (e.beside("input.organisations"))
                input type="hidden" name="lead" value=(draft.lead);
                p {
                    (ctx.t("Trekker: ", "Lead: "))
                    strong { (extras.lead_name.as_deref().unwrap_or(ctx.t("(nog geen)", "(none yet)"))) }
                }
                @if !draft.partners.is_empty() {
                    ul.picked {
                        @for (id, role, name) in &draft.partners {
                            @let box_id = format!("partner-{id}");
                            li {
                                input type="checkbox" id=(box_id) name="partner" checked
                                    value=(format!("{id}|{role}|{name}"));
                                label for=(box_id) { (name) }
                                " "
                                label.visually-hidden for=(format!("rol-{id}")) { (ctx.t("Rol van ", "Role of ")) (name) }
                                select id=(format!("rol-{id}")) name=(format!("rol-{id}")) {
                                    @for r in ["PARTNER", "FUNDER"] {
                                        option value=(r) selected[role == r] { (role_label(ctx, r)) }
                                    }
                                }
                            }
                        }
                    }
                }
                div.picker {
                    label for="zoekOrganisatie" { (ctx.t("Organisatie toevoegen: zoek op naam", "Add an organisation: search by name")) }
                    input id="zoekOrganisatie" name="zoekOrganisatie" type="search" value=(draft.find_organisation);
                    button type="submit" name="actie" value="zoek-organisatie" formnovalidate { (ctx.t("Zoek organisatie", "Find organisation")) }
                    @if !extras.found_organisations.is_empty() {
                        ul.found {
                            @for (id, name) in &extras.found_organisations {
                                @if *id != draft.lead && !draft.partners.iter().any(|(p, _, _)| p == id) {
                                    @let box_id = format!("nieuw-partner-{id}");
                                    li {
                                        input type="checkbox" id=(box_id) name="partner" value=(format!("{id}|PARTNER|{name}"));
                                        label for=(box_id) { (name) }
                                    }
                                }
                            }
                        }
                    } @else if !draft.find_organisation.is_empty() {
                        p.hint { (ctx.t("Geen organisatie gevonden.", "No organisation found.")) }
                    }
                }
                details.propose open[extras.proposed.is_some()] {
                    summary { (ctx.t("Organisatie niet gevonden? Stel haar voor aan de redactie", "Organisation not found? Propose it to the editors")) }
                    @match &extras.proposed {
                        Some(Ok(name)) => {
                            p.notice.info role="status" {
                                (ctx.t("Voorgesteld: ", "Proposed: ")) strong { (name) } ". "
                                (ctx.t(
                                    "Een redacteur maakt de organisatie aan; daarna vindt u haar hierboven.",
                                    "An editor creates the organisation; then you find it above.",
                                ))
                            }
                        }
                        Some(Err(message)) => {
                            p.field-error id="voorstel-error" role="alert" { (message) }
                        }
                        None => {}
                    }
                    div.field {
                        label for="voorstelNaam" { (ctx.t("Naam", "Name")) }
                        input id="voorstelNaam" name="voorstelNaam" type="text";
                    }
                    div.field {
                        label for="voorstelSoort" { (ctx.t("Soort organisatie", "Kind of organisation")) }
                        select id="voorstelSoort" name="voorstelSoort" {
                            @for t in &v.organisation_kinds {
                                option value=(t.value) { (t.label) }
                            }
                        }
                    }
                    div.field {
                        label for="voorstelWebsite" { (ctx.t("Website", "Website")) " " span.optional { (ctx.t("(niet verplicht)", "(optional)")) } }
                        input id="voorstelWebsite" name="voorstelWebsite" type="url";
                    }
                    button.secondary type="submit" name="actie" value="stel-voor" formnovalidate { (ctx.t("Stel voor", "Propose")) }
                }
                @if editor && draft.lead.is_empty() {
                    p.hint { (ctx.t("Redacteuren: kies hieronder ook de trekker.", "Editors: choose the lead below as well.")) }
                }
                @if editor && !extras.found_organisations.is_empty() {
                    div.field {
                        label for="nieuweTrekker" { (ctx.t("Trekker wijzigen", "Change the lead")) }
                        select id="nieuweTrekker" name="nieuweTrekker" {
                            option value="" { (ctx.t("— zo laten —", "— keep —")) }
                            @for (id, name) in &extras.found_organisations {
                                option value=(id) { (name) }
                            }
                        }
                    }
                }
            }
            fieldset.group id="f-links" {
                legend { (ctx.t("Bouwt voort op en verwant aan", "Builds on and related to")) }
                @if !draft.links.is_empty() {
                    ul.picked {
                        @for (kind, id, title) in &draft.links {
                            @let box_id = format!("link-{kind}-{id}");
                            li {
                                input type="checkbox" id=(box_id) name="link" checked value=(format!("{kind}|{id}|{title}"));
                                label for=(box_id) { (link_type_label(ctx, kind)) ": " (title) }
                            }
                        }
                    }
                }
                div.picker {
                    label for="zoekType" { (ctx.t("Soort koppeling", "Kind of link")) }
                    select id="zoekType" name="zoekType" {
                        @for k in LINK_TYPES {
                            option value=(k) selected[extras.link_type == k] { (link_type_label(ctx, k)) }
                        }
                    }
                    label for="zoekInitiatief" { (ctx.t("Initiatief zoeken", "Find an initiative")) }
                    input id="zoekInitiatief" name="zoekInitiatief" type="search" value=(draft.find_initiative);
                    button type="submit" name="actie" value="zoek-initiatief" formnovalidate { (ctx.t("Zoek initiatief", "Find initiative")) }
                    @if !extras.found_initiatives.is_empty() {
                        ul.found {
                            @for (id, title) in &extras.found_initiatives {
                                @if draft.id.as_deref() != Some(id.as_str()) {
                                    @let box_id = format!("nieuw-link-{id}");
                                    li {
                                        input type="checkbox" id=(box_id) name="link"
                                            value=(format!("{}|{id}|{title}", extras.link_type));
                                        label for=(box_id) { (link_type_label(ctx, &extras.link_type)) ": " (title) }
                                    }
                                }
                            }
                        }
                    } @else if !draft.find_initiative.is_empty() {
                        p.hint { (ctx.t("Geen initiatief gevonden.", "No initiative found.")) }
                    }
                }
            }
            div.actions {
                button type="submit" name="actie" value="opslaan" { (ctx.t("Opslaan als concept", "Save as draft")) }
                button type="submit" name="actie" value="voorbeeld" { (ctx.t("Opslaan en voorbeeld bekijken", "Save and preview")) }
                @if matches!(status, "" | "DRAFT" | "REJECTED") {
                    button type="submit" name="actie" value="indienen" { (ctx.t("Indienen ter beoordeling", "Submit for review")) }
                }
                @if status == "SUBMITTED" && !editor {
                    button type="submit" name="actie" value="terugtrekken" { (ctx.t("Terugtrekken", "Withdraw")) }
                }
            }
        }
    }
}
