//! The pages of people who sign in: the sign-in page (a link by e-mail, the configured
//! OpenID providers), the page a mailed link opens (it asks to confirm with a POST, so
//! mail scanners that fetch links do not use it up), and "Mijn account" with sign-out.
//! The forms post to the server, which holds the sessions; each form of a signed-in
//! person carries the session's CSRF token. None of these pages sets a cookie.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kb_domain::account::NextPath;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;

use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, render};
use crate::{Site, Visitor};

/// Signed-in pages and sign-in forms are for one person: never stored by a cache.
fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn lang_field(ctx: &Ctx) -> Markup {
    html! {
        @if let Some(l) = ctx.lang_field() {
            input type="hidden" name="lang" value=(l);
        }
    }
}

/// What a notice in the address (`?melding=`) says, as the server's redirects set it.
pub(crate) fn notice(ctx: &Ctx) -> Option<(&'static str, String)> {
    let (kind, text) = match ctx.param("melding")? {
        "verstuurd" => (
            "info",
            ctx.t(
                "Als dit adres bij ons bekend kan worden, is er nu een e-mail met een aanmeldlink onderweg. De link werkt één keer en 15 minuten lang.",
                "If this address can be used, an e-mail with a sign-in link is on its way. The link works once and for 15 minutes.",
            ),
        ),
        "adres" => (
            "error",
            ctx.t(
                "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
                "Enter an e-mail address like name@example.nl.",
            ),
        ),
        "link" => (
            "error",
            ctx.t(
                "Deze aanmeldlink is al gebruikt of verlopen. Vraag hieronder een nieuwe aan.",
                "This sign-in link was used already or has expired. Ask for a new one below.",
            ),
        ),
        "provider" => (
            "error",
            ctx.t(
                "Aanmelden bij uw instelling is niet gelukt. Probeer het opnieuw.",
                "Signing in with your institution did not work. Please try again.",
            ),
        ),
        "afgemeld" => (
            "info",
            ctx.t("U bent afgemeld.", "You are signed out."),
        ),
        "verwijderd" => (
            "info",
            ctx.t(
                "Uw account is verwijderd. Wijzigingen die u maakte staan nu op naam van een pseudoniem; u bent afgemeld.",
                "Your account has been deleted. Changes you made are now credited to a pseudonym; you are signed out.",
            ),
        ),
        _ => return None,
    };
    Some((kind, text.to_owned()))
}

/// `/aanmelden`: the ways to sign in this deployment offers.
pub(crate) async fn sign_in(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Response {
    let next = NextPath::or_home(ctx.param("next"));
    if visitor.is_some() && ctx.param("melding").is_none() {
        return private(Redirect::to(&ctx.href("/mijn-account")).into_response());
    }
    let options = &site.sign_in;
    let body = html! {
        h1 { (ctx.t("Aanmelden", "Sign in")) }
        @if let Some((kind, text)) = notice(&ctx) {
            div class=(format!("notice {kind}")) role=(if kind == "error" { "alert" } else { "status" }) {
                p { (text) }
            }
        }
        p {
            (ctx.t(
                "Medewerkers van instellingen en organisaties melden zich aan om initiatieven te delen. Kennisbank bewaart geen wachtwoorden.",
                "Staff of institutions and organisations sign in to share initiatives. Kennisbank stores no passwords.",
            ))
        }
        @if !options.providers.is_empty() {
            h2 { (ctx.t("Met uw instelling", "With your institution")) }
            ul.providers {
                @for (key, label) in &options.providers {
                    li {
                        a.button href=(format!("/aanmelden/oidc/{key}?next={}", url_encode(next.as_str()))
                            + ctx.lang_field().map(|l| format!("&lang={l}")).unwrap_or_default().as_str()) {
                            (label)
                        }
                    }
                }
            }
        }
        h2 { (ctx.t("Met een link per e-mail", "With a link by e-mail")) }
        @if options.email {
            form method="post" action="/aanmelden/email" {
                (lang_field(&ctx))
                input type="hidden" name="next" value=(next.as_str());
                label for="email" { (ctx.t("E-mailadres", "E-mail address")) }
                input id="email" name="email" type="email" autocomplete="email" required;
                button type="submit" { (ctx.t("Stuur mij een aanmeldlink", "Send me a sign-in link")) }
            }
        } @else {
            p.unavailable {
                (ctx.t(
                    "Aanmelden per e-mail is op deze installatie niet beschikbaar.",
                    "Signing in by e-mail is not available on this installation.",
                ))
            }
        }
    };
    private(render(
        &ctx,
        Page::new(
            ctx.t("Aanmelden", "Sign in"),
            ctx.t(
                "Aanmelden bij de kennisbank.",
                "Sign in to the knowledge bank.",
            ),
            body,
        ),
    ))
}

/// `/aanmelden/link?token=…`: asks to confirm, so that only the person's own click (a
/// POST) uses the link up.
pub(crate) async fn confirm_link(ctx: Ctx) -> Response {
    let token = ctx.param("token").unwrap_or_default().to_owned();
    let body = html! {
        h1 { (ctx.t("Aanmelden bevestigen", "Confirm signing in")) }
        p {
            (ctx.t(
                "Klik op de knop om u aan te melden bij de kennisbank.",
                "Press the button to sign in to the knowledge bank.",
            ))
        }
        form method="post" action="/aanmelden/link" {
            (lang_field(&ctx))
            input type="hidden" name="token" value=(token);
            button type="submit" { (ctx.t("Aanmelden", "Sign in")) }
        }
    };
    let page = Page::new(
        ctx.t("Aanmelden bevestigen", "Confirm signing in"),
        ctx.t(
            "Aanmelden bij de kennisbank.",
            "Sign in to the knowledge bank.",
        ),
        body,
    );
    private(render(&ctx, page))
}

/// A page with one message and a status, for the server's answers to forms it refuses
/// (a failed CSRF check, too many requests).
pub(crate) fn message(ctx: &Ctx, status: StatusCode, title: &str, text: &str) -> Response {
    let body = html! {
        h1 { (title) }
        p { (text) }
        p { a href=(ctx.href("/aanmelden")) { (ctx.t("Naar aanmelden", "To sign in")) } }
    };
    let mut page = Page::new(title, "", body);
    page.status = status;
    private(render(ctx, page))
}

#[derive(Debug, Deserialize)]
struct OrganisationAnswer {
    #[serde(deserialize_with = "nullable")]
    node: Option<Named>,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
    slug: String,
}

async fn organisation_name(site: &Site, ctx: &Ctx, id: Option<&str>) -> Option<Named> {
    let id = id?;
    let answer: Result<OrganisationAnswer, Failure> = site
        .query(
            ctx.lang,
            "query Organisation($id: ID!) { node(id: $id) { ... on Organisation { name slug } } }",
            json!({ "id": id }),
        )
        .await;
    answer.ok().and_then(|a| a.node)
}

/// `/mijn-account`: the signed-in person's name, organisation, role and the sign-out
/// forms; visitors who are not signed in are sent to the sign-in page.
pub(crate) async fn account(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Response {
    let Some(Extension(v)) = visitor else {
        return private(Redirect::to(&ctx.href("/aanmelden?next=%2Fmijn-account")).into_response());
    };
    let organisation = organisation_name(&site, &ctx, v.organisation.as_deref()).await;
    let requested = organisation_name(&site, &ctx, v.requested_organisation.as_deref()).await;
    let role = match v.role.as_str() {
        "admin" => ctx.t("beheerder", "administrator"),
        "editor" => ctx.t("redacteur", "editor"),
        _ => ctx.t("bijdrager", "contributor"),
    };
    let body = html! {
        h1 { (ctx.t("Mijn account", "My account")) }
        dl.account {
            dt { (ctx.t("Naam", "Name")) }
            dd { (v.name) }
            @if let Some(e) = &v.email {
                dt { (ctx.t("E-mailadres", "E-mail address")) }
                dd { (e) }
            }
            dt { (ctx.t("Organisatie", "Organisation")) }
            dd {
                @if let Some(o) = &organisation {
                    a href=(ctx.href(&format!("/organisaties/{}", o.slug))) { (o.name) }
                } @else {
                    (ctx.t("geen", "none"))
                }
            }
            dt { (ctx.t("Rol", "Role")) }
            dd { (role) }
            @if v.status == "pending" {
                dt { (ctx.t("Aanvraag", "Request")) }
                dd {
                    (ctx.t("Wacht op een redacteur om lid te worden van ", "Waiting for an editor to join "))
                    (requested.as_ref().map_or("", |o| o.name.as_str()))
                }
            } @else if v.status == "refused" {
                dt { (ctx.t("Aanvraag", "Request")) }
                dd { (ctx.t("Afgewezen door een redacteur", "Refused by an editor")) }
            }
        }
        form method="post" action="/afmelden" {
            (lang_field(&ctx))
            input type="hidden" name="csrf" value=(v.csrf_token);
            button type="submit" { (ctx.t("Afmelden", "Sign out")) }
        }
        form method="post" action="/afmelden/overal" {
            (lang_field(&ctx))
            input type="hidden" name="csrf" value=(v.csrf_token);
            button type="submit" { (ctx.t("Overal afmelden", "Sign out everywhere")) }
        }
        h2 { (ctx.t("Mijn gegevens", "My data")) }
        p {
            (ctx.t(
                "Download alles wat de kennisbank over u bewaart, als JSON-bestand: uw account, sessies, aanmeldlinks, de wijzigingen die u maakte en de initiatieven met uw adres als contact.",
                "Download everything the knowledge bank holds about you, as a JSON file: your account, sessions, sign-in links, the changes you made and the initiatives with your address as contact.",
            ))
        }
        p { a href=(ctx.href("/mijn-account/gegevens")) download="kennisbank-gegevens.json" { (ctx.t("Mijn gegevens downloaden", "Download my data")) } }
        h2 { (ctx.t("Account verwijderen", "Delete account")) }
        p {
            (ctx.t(
                "Uw sessies en aanmeldlinks verdwijnen meteen. Wijzigingen die u maakte blijven bestaan, maar staan dan op naam van een pseudoniem (\"verwijderde gebruiker\" met het nummer van uw account); uw naam en adres verdwijnen ook uit de eerdere versies. Staat uw adres als contact bij een initiatief, dan vervangt of verwijdert een redacteur het. Dit kan niet ongedaan worden gemaakt.",
                "Your sessions and sign-in links go at once. Changes you made remain, credited to a pseudonym (\"verwijderde gebruiker\" with your account's number); your name and address also leave earlier versions. Where your address is the contact of an initiative, an editor replaces or removes it. This cannot be undone.",
            ))
        }
        form method="post" action="/mijn-account/verwijderen" {
            (lang_field(&ctx))
            input type="hidden" name="csrf" value=(v.csrf_token);
            label {
                input type="checkbox" name="bevestig" value="ja" required;
                " "
                (ctx.t("Ja, verwijder mijn account", "Yes, delete my account"))
            }
            " "
            button type="submit" { (ctx.t("Account verwijderen", "Delete account")) }
        }
    };
    private(render(
        &ctx,
        Page::new(ctx.t("Mijn account", "My account"), "", body),
    ))
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
