//! The initiative form: every field the API accepts, grouped, each with its label, hint
//! and (after a refused save) its error beside it; the errors are summarised at the top
//! and link to their fields (the error-summary pattern of GOV.UK and NL Design System).
//! It works without JavaScript: the organisation and initiative pickers search with a
//! button of their own, which shows the form again with the results and keeps all that
//! was typed.

use maud::{Markup, html};

use super::draft::{Draft, LINK_TYPES};
use super::fields::{
    Errors, area, boxes, link_type_label, role_label, select, summary, text, topic_tree,
};
use super::options::{Options, Term};
use crate::Visitor;
use crate::context::Ctx;
use crate::vocab::language_name;

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
