//! The texts of notifications, in Dutch and English, as plain text and HTML. Every value
//! that comes from people (the title, the reason, the name) is escaped in the HTML, and
//! control characters are kept out of the subject.

use kb_domain::Language;
use kb_domain::id::NodeKind;
use kb_store::{Notice, NotificationKind};

use crate::mail::{Letter, html_escape};

/// The page a notice links to: the editors' review page of the initiative for editors and
/// admins, its page in the contributor's workspace for everyone else. The website has no
/// such pages for events: their notices lead to the desk or the workspace as a whole.
/// `origin` is the public URL's.
pub(crate) fn link(origin: &str, notice: &Notice) -> String {
    let page = if notice.editor {
        "redactie"
    } else {
        "mijn-initiatieven"
    };
    match notice.node.kind {
        NodeKind::Initiative => format!("{origin}/{page}/{}", notice.node.encode()),
        _ => format!("{origin}/{page}"),
    }
}

/// The words of one kind of message in one language.
struct Words {
    subject: &'static str,
    greeting: &'static str,
    /// What happened; `{title}` stands for the quoted title.
    event: &'static str,
    /// Introduces the reason or note, where there is one.
    reason: &'static str,
    /// Introduces the link.
    action: &'static str,
    footer: &'static str,
}

fn words(kind: NotificationKind, language: Language) -> Words {
    use NotificationKind::*;
    match language {
        Language::Nl => {
            let footer = "U krijgt dit bericht omdat u een account heeft bij Kennisbank.";
            let greeting = "Hallo";
            match kind {
                Submitted => Words {
                    subject: "Ter beoordeling ingediend",
                    greeting,
                    event: "{title} is ingediend en wacht op uw beoordeling.",
                    reason: "",
                    action: "Beoordeel het hier:",
                    footer,
                },
                Published => Words {
                    subject: "Gepubliceerd",
                    greeting,
                    event: "Uw inzending {title} is gepubliceerd.",
                    reason: "",
                    action: "Bekijk het hier:",
                    footer,
                },
                Rejected => Words {
                    subject: "Afgewezen",
                    greeting,
                    event: "Uw inzending {title} is afgewezen.",
                    reason: "De reden:",
                    action: "Pas het aan en dien het opnieuw in:",
                    footer,
                },
                SentBack => Words {
                    subject: "Teruggestuurd",
                    greeting,
                    event: "Uw inzending {title} is teruggestuurd naar concept.",
                    reason: "De opmerking van de redactie:",
                    action: "Pas het aan en dien het opnieuw in:",
                    footer,
                },
            }
        }
        Language::En => {
            let footer = "You receive this message because you have an account with Kennisbank.";
            let greeting = "Hello";
            match kind {
                Submitted => Words {
                    subject: "Submitted for review",
                    greeting,
                    event: "{title} was submitted and awaits your review.",
                    reason: "",
                    action: "Review it here:",
                    footer,
                },
                Published => Words {
                    subject: "Published",
                    greeting,
                    event: "Your submission {title} was published.",
                    reason: "",
                    action: "See it here:",
                    footer,
                },
                Rejected => Words {
                    subject: "Rejected",
                    greeting,
                    event: "Your submission {title} was rejected.",
                    reason: "The reason:",
                    action: "Change it and submit it again:",
                    footer,
                },
                SentBack => Words {
                    subject: "Sent back",
                    greeting,
                    event: "Your submission {title} was sent back to draft.",
                    reason: "The editors' note:",
                    action: "Change it and submit it again:",
                    footer,
                },
            }
        }
    }
}

/// `s` on one line: control characters (line breaks among them) become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The message of `notice`, linking to `link`.
pub(crate) fn letter(notice: &Notice, link: &str) -> Letter {
    let w = words(notice.kind, notice.language);
    let title = one_line(&notice.title);
    let name = one_line(&notice.name);
    let (open, close) = ("‘", "’");
    let quoted = format!("{open}{title}{close}");
    let reason = notice
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty() && !w.reason.is_empty());

    let mut text = format!(
        "{greeting} {name},\n\n{event}\n",
        greeting = w.greeting,
        event = w.event.replace("{title}", &quoted),
    );
    if let Some(r) = reason {
        text.push_str(&format!("\n{}\n\n", w.reason));
        for line in r.lines() {
            text.push_str(&format!("> {line}\n"));
        }
    }
    text.push_str(&format!("\n{}\n{link}\n\n-- \n{}\n", w.action, w.footer));

    let lang = match notice.language {
        Language::Nl => "nl",
        Language::En => "en",
    };
    let mut html = format!(
        "<!doctype html><html lang=\"{lang}\"><body><p>{greeting} {name},</p><p>{event}</p>",
        greeting = w.greeting,
        name = html_escape(&name),
        event = html_escape(w.event).replace(
            "{title}",
            &format!("{open}<strong>{}</strong>{close}", html_escape(&title))
        ),
    );
    if let Some(r) = reason {
        let lines: Vec<String> = r.lines().map(html_escape).collect();
        html.push_str(&format!(
            "<p>{}</p><blockquote>{}</blockquote>",
            w.reason,
            lines.join("<br>")
        ));
    }
    html.push_str(&format!(
        "<p>{action}<br><a href=\"{href}\">{href}</a></p><p><small>{footer}</small></p></body></html>",
        action = w.action,
        href = html_escape(link),
        footer = w.footer,
    ));

    Letter {
        subject: format!("{}: {title}", w.subject),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use kb_domain::{InitiativeId, NodeId};

    use super::*;

    fn notice(kind: NotificationKind, language: Language, editor: bool) -> Notice {
        Notice {
            id: 1,
            kind,
            attempts: 0,
            email: "a@example.org".to_owned(),
            name: "Anna <de Vries>".to_owned(),
            language,
            editor,
            node: InitiativeId(7).global(),
            title: "Stress & <script>alert(1)</script>\r\nBcc: x@y".to_owned(),
            reason: Some("Voeg een \"bron\" toe.\n<b>Nu</b>".to_owned()),
        }
    }

    #[test]
    fn the_link_leads_editors_to_review_and_contributors_to_their_workspace() {
        let id = InitiativeId(7).global().encode();
        let n = notice(NotificationKind::Submitted, Language::Nl, true);
        assert_eq!(
            link("https://kb.example", &n),
            format!("https://kb.example/redactie/{id}")
        );
        let n = notice(NotificationKind::Published, Language::Nl, false);
        assert_eq!(
            link("https://kb.example", &n),
            format!("https://kb.example/mijn-initiatieven/{id}")
        );
        let event = Notice {
            node: kb_domain::EventId(7).global(),
            ..n
        };
        assert_eq!(
            link("https://kb.example", &event),
            "https://kb.example/mijn-initiatieven"
        );
    }

    #[test]
    fn a_rejection_quotes_its_reason_and_escapes_every_value() {
        let n = notice(NotificationKind::Rejected, Language::Nl, false);
        let l = letter(&n, "https://kb.example/mijn-initiatieven/x?a=1&b=2");
        assert_eq!(
            l.subject,
            "Afgewezen: Stress & <script>alert(1)</script>  Bcc: x@y"
        );
        assert!(
            l.text.starts_with("Hallo Anna <de Vries>,\n\n"),
            "{}",
            l.text
        );
        assert!(l.text.contains("\n> Voeg een \"bron\" toe.\n> <b>Nu</b>\n"));
        assert!(
            l.text
                .contains("https://kb.example/mijn-initiatieven/x?a=1&b=2")
        );
        assert!(l.html.contains("Hallo Anna &lt;de Vries&gt;,"));
        assert!(l.html.contains(
            "<strong>Stress &amp; &lt;script&gt;alert(1)&lt;/script&gt;  Bcc: x@y</strong>"
        ));
        assert!(l.html.contains(
            "<blockquote>Voeg een &quot;bron&quot; toe.<br>&lt;b&gt;Nu&lt;/b&gt;</blockquote>"
        ));
        assert!(
            l.html
                .contains("href=\"https://kb.example/mijn-initiatieven/x?a=1&amp;b=2\"")
        );
        assert!(!l.html.contains("<script>"));
    }

    #[test]
    fn each_kind_has_its_subject_in_both_languages() {
        let subjects = |language| {
            NotificationKind::ALL
                .map(|k| letter(&notice(k, language, false), "x").subject)
                .map(|s| s.split(':').next().unwrap_or_default().to_owned())
        };
        assert_eq!(
            subjects(Language::Nl),
            [
                "Ter beoordeling ingediend",
                "Gepubliceerd",
                "Afgewezen",
                "Teruggestuurd"
            ]
        );
        assert_eq!(
            subjects(Language::En),
            ["Submitted for review", "Published", "Rejected", "Sent back"]
        );
        // Only a rejection and a return quote the reason.
        let published = letter(
            &notice(NotificationKind::Published, Language::En, false),
            "x",
        );
        assert!(!published.text.contains("\n> "));
        assert!(!published.html.contains("blockquote"));
    }
}
