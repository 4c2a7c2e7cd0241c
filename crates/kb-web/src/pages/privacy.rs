//! The privacy page: what the knowledge bank stores about whom, why, for how long, who
//! sees it and how a person exercises their rights under the AVG (GDPR).
//!
//! The periods are not written here: they come from the server's configuration as a
//! [`Retention`], the same values the server enforces, so the page states what the
//! software does and changes when a setting does.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

use crate::Site;
use crate::context::Ctx;
use crate::layout::{Page, respond};

/// How long personal data is kept, as the server is configured to keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Minutes a signed-in session may go unused before it ends.
    pub session_idle_minutes: u32,
    /// Days a signed-in session lasts at most.
    pub session_max_days: u32,
    /// Minutes a sign-in link is valid.
    pub sign_in_link_minutes: u32,
    /// Days the server's log files are kept.
    pub log_days: u32,
    /// Days backups are kept.
    pub backup_days: u32,
}

/// What the privacy page says besides the periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privacy {
    pub retention: Retention,
    /// Where a person sends a request about their data: an e-mail address or a web
    /// address. Without one the page names the network's editors.
    pub contact: Option<String>,
}

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx) -> Response {
    respond(&ctx, Ok(build(&ctx, &site.privacy)))
}

/// `n` days, in the page's language.
fn days(ctx: &Ctx, n: u32) -> String {
    match (n, ctx.en()) {
        (1, false) => "1 dag".to_owned(),
        (1, true) => "1 day".to_owned(),
        (n, false) => format!("{n} dagen"),
        (n, true) => format!("{n} days"),
    }
}

/// `n` minutes, as hours when they are whole hours.
fn minutes(ctx: &Ctx, n: u32) -> String {
    let (count, nl_one, nl_many, en_one, en_many) = if n.is_multiple_of(60) {
        (n / 60, "uur", "uur", "hour", "hours")
    } else {
        (n, "minuut", "minuten", "minute", "minutes")
    };
    let unit = match (count == 1, ctx.en()) {
        (true, false) => nl_one,
        (false, false) => nl_many,
        (true, true) => en_one,
        (false, true) => en_many,
    };
    format!("{count} {unit}")
}

/// The contact for requests, as a link.
fn contact(ctx: &Ctx, privacy: &Privacy) -> Markup {
    match privacy.contact.as_deref().map(str::trim) {
        Some(c) if c.contains('@') && !c.contains(':') => {
            html! { a href={ "mailto:" (c) } { (c) } }
        }
        Some(c) if c.starts_with("https://") || c.starts_with("http://") => {
            html! { a href=(c) { (c) } }
        }
        Some(c) if !c.is_empty() => html! { (c) },
        _ => html! {
            (ctx.t(
                "de redactie van het netwerk dat deze kennisbank beheert",
                "the editors of the network that runs this knowledge bank",
            ))
        },
    }
}

fn build(ctx: &Ctx, privacy: &Privacy) -> Page {
    let r = &privacy.retention;
    let periods: [(&str, &str, String); 7] = [
        (
            "Toegangslogboeken (ingekort IP-adres, adres van de pagina, tijdstip)",
            "Access logs (shortened IP address, address of the page, time)",
            days(ctx, r.log_days),
        ),
        (
            "Inloglink",
            "Sign-in link",
            minutes(ctx, r.sign_in_link_minutes),
        ),
        (
            "Sessie zonder gebruik",
            "Session left unused",
            minutes(ctx, r.session_idle_minutes),
        ),
        (
            "Sessie, ten hoogste",
            "Session, at most",
            days(ctx, r.session_max_days),
        ),
        (
            "Account en wijzigingen",
            "Account and changes",
            ctx.t(
                "tot u het account verwijdert of laat verwijderen; wijzigingen blijven daarna staan onder een schuilnaam",
                "until you delete the account or have it deleted; changes then stay under a pseudonym",
            )
            .to_owned(),
        ),
        (
            "Contactadres bij een initiatief",
            "Contact address on an initiative",
            ctx.t(
                "zolang het initiatief gepubliceerd is, of tot u uw toestemming intrekt",
                "as long as the initiative is published, or until you withdraw your consent",
            )
            .to_owned(),
        ),
        (
            "Back-ups",
            "Backups",
            days(ctx, r.backup_days),
        ),
    ];
    let body = html! {
        h1 { (ctx.t("Privacy", "Privacy")) }
        div.body {
            p.lead {
                (ctx.t(
                    "Wat de kennisbank over wie bewaart, waarom, hoe lang, wie het ziet en hoe u uw rechten onder de AVG uitoefent.",
                    "What the knowledge bank keeps about whom, why, for how long, who sees it and how you exercise your rights under the GDPR (AVG).",
                ))
            }
            h2 { (ctx.t("Bezoekers", "Visitors")) }
            p {
                (ctx.t(
                    "Wie de kennisbank bekijkt of doorzoekt zonder in te loggen, blijft anoniem. De site zet geen cookie, gebruikt geen analyse- of advertentiediensten en laadt niets van andere servers; er is dus ook geen cookiemelding. De server houdt een logboek van verzoeken bij (tijdstip, adres van de pagina zonder zoekvraag, antwoord en duur) met het IP-adres ingekort tot zijn netwerk: bij IPv4 de eerste drie getallen, bij IPv6 de eerste 48 bits. Cookies, API-sleutels en inlogcodes komen nooit in het logboek.",
                    "If you read or search the knowledge bank without signing in, you stay anonymous. The site sets no cookie, uses no analytics or advertising services and loads nothing from other servers, so there is no cookie banner either. The server logs requests (time, address of the page without the search, answer and duration) with the IP address shortened to its network: for IPv4 the first three numbers, for IPv6 the first 48 bits. Cookies, API keys and sign-in codes never go into the log.",
                ))
            }
            h2 { (ctx.t("Wie inlogt", "People who sign in")) }
            p {
                (ctx.t(
                    "Bijdragers van aangesloten instellingen en de redactie loggen in. Over hen bewaart de kennisbank:",
                    "Contributors from member institutions and the editors sign in. About them the knowledge bank keeps:",
                ))
            }
            ul {
                li { (ctx.t("het account: naam, e-mailadres, instelling en rol;", "the account: name, e-mail address, institution and role;")) }
                li { (ctx.t("sessies: wanneer ze begonnen en het laatst gebruikt zijn;", "sessions: when they began and were last used;")) }
                li { (ctx.t("inloglinks die per e-mail verstuurd zijn, en wanneer;", "sign-in links sent by e-mail, and when;")) }
                li { (ctx.t("de wijzigingen die iemand maakte, met naam en tijdstip, zodat de geschiedenis van elk initiatief te volgen is;", "the changes someone made, with their name and the time, so that the history of every initiative can be followed;")) }
                li { (ctx.t("berichten over de beoordeling die de kennisbank per e-mail stuurt: aan wie, over welk initiatief en wanneer (het adres en de tekst niet), een week na verzending verwijderd;", "messages about reviews the knowledge bank sends by e-mail: to whom, about which initiative and when (not the address or the text), deleted a week after sending;")) }
                li { (ctx.t("organisaties die iemand aan de redactie voorstelde, en wie.", "organisations someone proposed to the editors, and who.")) }
            }
            h2 { (ctx.t("Contactgegevens bij initiatieven", "Contact details on initiatives")) }
            p {
                (ctx.t(
                    "Een initiatief kan een contactadres hebben. Dat is bij voorkeur het adres van een team of organisatie. Een persoonlijk adres staat er alleen met toestemming van de persoon zelf, die deze toestemming altijd kan intrekken.",
                    "An initiative may have a contact address. It is preferably the address of a team or an organisation. A personal address is there only with the person's own consent, which they can withdraw at any time.",
                ))
            }
            h2 { (ctx.t("Waarom", "Why")) }
            p {
                (ctx.t(
                    "De kennisbank deelt kennis over studentenwelzijn tussen instellingen in het hoger onderwijs. Accounts, sessies, inloglinks, wijzigingen en logboeken zijn nodig voor die publieke taak (AVG artikel 6 lid 1 onder e): om te weten wie wat publiceert en de dienst veilig te houden. Een persoonlijk contactadres bij een initiatief rust op de toestemming van de persoon zelf (artikel 6 lid 1 onder a).",
                    "The knowledge bank shares knowledge on student wellbeing between institutions of higher education. Accounts, sessions, sign-in links, changes and logs are needed for that public task (GDPR article 6(1)(e)): to know who publishes what and to keep the service safe. A personal contact address on an initiative rests on the person's own consent (article 6(1)(a)).",
                ))
            }
            h2 { (ctx.t("Hoe lang", "For how long")) }
            table.periods {
                thead {
                    tr {
                        th scope="col" { (ctx.t("Gegevens", "Data")) }
                        th scope="col" { (ctx.t("Bewaard", "Kept")) }
                    }
                }
                tbody {
                    @for (nl, en, period) in &periods {
                        tr { th scope="row" { (ctx.t(nl, en)) } td { (period) } }
                    }
                }
            }
            p {
                (ctx.t(
                    "Verlopen sessies en inloglinks worden verwijderd; oudere logbestanden en back-ups ook. Wat uit de database verwijderd is, verdwijnt uit back-ups zodra die verlopen.",
                    "Expired sessions and sign-in links are deleted; so are older log files and backups. What was erased from the database disappears from backups as they expire.",
                ))
            }
            h2 { (ctx.t("Wie het ziet", "Who sees it")) }
            ul {
                li { (ctx.t("Wat gepubliceerd is (initiatieven, organisaties, evenementen en hun contactadressen) is openbaar.", "What is published (initiatives, organisations, events and their contact addresses) is public.")) }
                li { (ctx.t("Uw account, sessies en inloglinks ziet u zelf, en de beheerders van de kennisbank.", "Your account, sessions and sign-in links are seen by you and by the knowledge bank's administrators.")) }
                li { (ctx.t("Wie een wijziging maakte, zien de redactie en de beheerders.", "Who made a change is seen by the editors and the administrators.")) }
                li { (ctx.t("De logboeken ziet alleen wie de server beheert.", "The logs are seen only by those who run the server.")) }
            }
            p { (ctx.t("Niets wordt verkocht of met derden gedeeld.", "Nothing is sold or shared with third parties.")) }
            h2 { (ctx.t("Uw rechten", "Your rights")) }
            ul {
                li { strong { (ctx.t("Inzien", "See")) } ": " (ctx.t("onder Mijn account ziet u uw account; wat de kennisbank verder over u heeft, staat in het bestand hieronder.", "under My account you see your account; everything else the knowledge bank holds about you is in the file below.")) }
                li { strong { (ctx.t("Meenemen", "Export")) } ": " (ctx.t("onder Mijn account downloadt u al uw gegevens als één JSON-bestand: account, organisatie, sessies (tijden, nooit de sleutel), inloglinks naar uw adres (tijden en of ze gebruikt zijn), de wijzigingen die u maakte en de initiatieven met uw adres als contact. Een beheerder kan dit bestand op uw verzoek voor u maken.", "under My account you download all your data as one JSON file: account, organisation, sessions (times, never the key), sign-in links to your address (times and whether they were used), the changes you made and the initiatives with your address as contact. An administrator can make this file for you on request.")) }
                li { strong { (ctx.t("Verbeteren", "Correct")) } ": " (ctx.t("u past uw naam, instelling of contactadres aan, of laat dat doen.", "you change your name, institution or contact address, or have it changed.")) }
                li { strong { (ctx.t("Wissen", "Erase")) } ": " (ctx.t("onder Mijn account verwijdert u uw account, of een beheerder doet het op uw verzoek. Uw sessies en inloglinks verdwijnen meteen. Het account houdt alleen zijn nummer en heet voortaan \"verwijderde gebruiker N\" (N is dat nummer): zonder naam, e-mailadres of inlogidentiteit, en wie later opnieuw inlogt krijgt een nieuw account. Uw wijzigingen blijven met inhoud en tijdstip staan onder die schuilnaam, en uw naam en adres verdwijnen ook uit de eerdere versies. Staat uw adres als contact bij een initiatief, dan vervangt een redacteur het door het adres van de leidende organisatie (of verwijdert het als die er geen heeft), of verwijdert het.", "under My account you delete your account, or an administrator does it at your request. Your sessions and sign-in links go at once. The account keeps only its number and is called \"verwijderde gebruiker N\" (N being that number) from then on: without name, e-mail address or sign-in identity, and signing in again later makes a new account. Your changes stay, with their content and time, under that pseudonym, and your name and address also leave the earlier versions. Where your address is the contact of an initiative, an editor replaces it by the lead organisation's address (or removes it when there is none), or removes it.")) }
            }
            p {
                (ctx.t("Voor elk van deze verzoeken, en voor vragen: ", "For each of these requests, and for questions: "))
                (contact(ctx, privacy))
                (ctx.t(
                    ". U krijgt binnen een maand antwoord. Bent u het niet eens met hoe de kennisbank met uw gegevens omgaat, dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens.",
                    ". You get an answer within a month. If you disagree with how the knowledge bank handles your data, you may complain to the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).",
                ))
            }
        }
    };
    Page::new(
        ctx.t("Privacy", "Privacy"),
        ctx.t(
            "Wat de kennisbank over wie bewaart, waarom, hoe lang, wie het ziet en hoe u uw rechten uitoefent.",
            "What the knowledge bank keeps about whom, why, for how long, who sees it and how you exercise your rights.",
        ),
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn ctx(query: &str) -> Ctx {
        Ctx::of(&HeaderMap::new(), "/privacy", query).at("https://kennisbank.example")
    }

    fn privacy(log_days: u32, idle: u32) -> Privacy {
        Privacy {
            retention: Retention {
                session_idle_minutes: idle,
                session_max_days: 14,
                sign_in_link_minutes: 15,
                log_days,
                backup_days: 30,
            },
            contact: Some("privacy@kennisbank.example".to_owned()),
        }
    }

    fn html(ctx: &Ctx, privacy: &Privacy) -> String {
        build(ctx, privacy).body.into_string()
    }

    #[test]
    fn the_periods_are_the_configured_ones_in_either_language() {
        let nl = html(&ctx(""), &privacy(14, 480));
        for row in [
            "<tr><th scope=\"row\">Toegangslogboeken (ingekort IP-adres, adres van de pagina, tijdstip)</th><td>14 dagen</td></tr>",
            "<tr><th scope=\"row\">Inloglink</th><td>15 minuten</td></tr>",
            "<tr><th scope=\"row\">Sessie zonder gebruik</th><td>8 uur</td></tr>",
            "<tr><th scope=\"row\">Sessie, ten hoogste</th><td>14 dagen</td></tr>",
            "<tr><th scope=\"row\">Back-ups</th><td>30 dagen</td></tr>",
        ] {
            assert!(nl.contains(row), "{row}");
        }
        let en = html(&ctx("lang=en"), &privacy(1, 90));
        for row in [
            "<tr><th scope=\"row\">Access logs (shortened IP address, address of the page, time)</th><td>1 day</td></tr>",
            "<tr><th scope=\"row\">Session left unused</th><td>90 minutes</td></tr>",
            "<tr><th scope=\"row\">Backups</th><td>30 days</td></tr>",
        ] {
            assert!(en.contains(row), "{row}");
        }
    }

    #[test]
    fn the_contact_is_a_link_or_the_editors() {
        let with = html(&ctx(""), &privacy(14, 480));
        assert!(with.contains(
            "<a href=\"mailto:privacy@kennisbank.example\">privacy@kennisbank.example</a>"
        ));
        let mut web = privacy(14, 480);
        web.contact = Some("https://kennisbank.example/contact".to_owned());
        assert!(html(&ctx(""), &web).contains(
            "<a href=\"https://kennisbank.example/contact\">https://kennisbank.example/contact</a>"
        ));
        let mut none = privacy(14, 480);
        none.contact = None;
        assert!(html(&ctx("lang=en"), &none).contains(
            "For each of these requests, and for questions: the editors of the network that runs this knowledge bank."
        ));
    }

    #[test]
    fn minutes_read_as_hours_when_whole() {
        let nl = ctx("");
        assert_eq!(minutes(&nl, 60), "1 uur");
        assert_eq!(minutes(&nl, 1), "1 minuut");
        assert_eq!(minutes(&ctx("lang=en"), 120), "2 hours");
        assert_eq!(days(&nl, 1), "1 dag");
    }
}
