//! Sixty XSS payloads typed into every text field of the initiative form, on both
//! databases: the refused form that shows them again, the saved form, the preview (the
//! public page's own markup), the workspace list and the editors' review page all show
//! them as text. No page gets a script, an event-handler attribute or a `javascript:`
//! address it did not have.

use kb_domain::AccountRole;
use reqwest::StatusCode;

use crate::on_both;
use crate::support::TestApp;
use crate::web_people::Person;
use crate::workspace::{field, world};

/// Classic payloads (OWASP's filter-evasion cheat sheet and friends).
const PAYLOADS: [&str; 60] = [
    "<script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<isindex action=javascript:alert(1) type=image>",
    "<table background=\"javascript:alert(1)\">",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "<script src=//evil.example/x.js></script>",
    "<img src=`x`onerror=alert(1)>",
    "<img/src/onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onmouseover='alert(1)",
    "\" autofocus onfocus=\"alert(1)",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script\x20type=\"text/javascript\">alert(1)</script>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">x</text></a></svg>",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<plaintext><script>alert(1)</script>",
];

/// The attributes of one tag (`<a href="x" on…>` without its `<` and `>`), as name and
/// value, reading quoted values whole.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = tag.chars().collect();
    let mut i = chars
        .iter()
        .position(|c| c.is_whitespace())
        .unwrap_or(chars.len());
    let mut out = Vec::new();
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let quote = chars[i];
                i += 1;
                let from = i;
                while i < chars.len() && chars[i] != quote {
                    i += 1;
                }
                value = chars[from..i].iter().collect();
                i += 1;
            } else {
                let from = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                value = chars[from..i].iter().collect();
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// What a page must never hold: a script beyond the site's one, an element with an
/// event-handler attribute, or a `javascript:` address in an attribute that holds one.
fn safe(page: &str, what: &str) {
    let lower = page.to_ascii_lowercase();
    assert_eq!(
        lower.matches("<script").count(),
        1,
        "{what}: a script besides the site's own"
    );
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = &rest[start + 1..end];
        for (name, value) in attributes(tag) {
            assert!(
                !name.starts_with("on"),
                "{what}: an event handler in <{tag}>"
            );
            let address = matches!(
                name.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "xlink:href"
                    | "data"
                    | "background"
                    | "poster"
            );
            assert!(
                !(address && value.trim_start().starts_with("javascript:")),
                "{what}: a javascript: address in <{tag}>"
            );
        }
        rest = &rest[end.min(rest.len())..];
        if rest.starts_with('>') {
            rest = &rest[1..];
        }
    }
}

/// The payload may appear only escaped: never as typed when it holds markup (a quote
/// in text is harmless; one that breaks out of an attribute shows in [`safe`]).
fn escaped(page: &str, payload: &str, what: &str) {
    if payload.contains('<') {
        assert!(!page.contains(payload), "{what}: {payload} shown as typed");
    }
    safe(page, what);
}

on_both!(sixty_payloads_in_every_field_are_shown_as_text);
async fn sixty_payloads_in_every_field_are_shown_as_text(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    let eva = Person::appointed(&app, "Eva", AccountRole::Editor).await;
    let mut ids = Vec::new();
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let title: String = format!("{n} {payload}").chars().take(200).collect();
        let summary = format!("Samenvatting {n}: {payload}");
        let body =
            format!("Tekst {n}\n\n{payload}\n\n* {payload}\n\n[{payload}](https://x.example)");
        let text_fields = [
            ("title", title.as_str()),
            ("summary", summary.as_str()),
            ("body", body.as_str()),
            ("kind", "TRAINING"),
            ("themes", w.theme.as_str()),
            ("topics", w.topic.as_str()),
            ("zoekOrganisatie", payload),
            ("zoekInitiatief", payload),
        ];
        // Refused (the address fields hold the payload): shown again, escaped.
        let mut pairs = vec![
            ("actie", "opslaan"),
            ("website", payload),
            ("contactEmail", payload),
            ("startYear", payload),
        ];
        pairs.extend(text_fields);
        let refused = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{payload}"
        );
        escaped(&refused.body, payload, "the refused form");
        // The pickers' searches show the typed words again.
        let mut pairs = vec![("actie", "zoek-initiatief"), ("zoekType", payload)];
        pairs.extend(text_fields);
        let searched = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
        assert_eq!(searched.status, StatusCode::OK, "{payload}");
        escaped(&searched.body, payload, "the form after a search");
        // Saved, then every page that shows it.
        let mut pairs = vec![("actie", "opslaan")];
        pairs.extend(text_fields);
        let saved = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{payload}: {}",
            saved.body
        );
        let id = saved
            .location
            .trim_start_matches("/mijn-initiatieven/")
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();
        let form = ann.get(&app, &format!("/mijn-initiatieven/{id}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(field(&form.body, "id"), id);
        escaped(&form.body, payload, "the saved form");
        let preview = ann
            .get(&app, &format!("/mijn-initiatieven/{id}/voorbeeld"))
            .await;
        assert_eq!(preview.status, StatusCode::OK);
        escaped(&preview.body, payload, "the preview");
        ids.push(id);
    }
    // The list shows 25 to a page: every page of it.
    for page in 1..=3 {
        let list = ann
            .get(&app, &format!("/mijn-initiatieven?pagina={page}"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        safe(&list.body, "the list");
        for payload in PAYLOADS {
            escaped(&list.body, payload, "the list");
        }
    }
    // Submitted, they are on the editors' queue and review pages.
    for (id, payload) in ids.iter().zip(PAYLOADS) {
        let path = format!("/mijn-initiatieven/{id}");
        let form = ann.get(&app, &path).await;
        let (version, lead) = (field(&form.body, "version"), field(&form.body, "lead"));
        let title: String = format!(
            "{} {payload}",
            ids.iter().position(|i| i == id).unwrap_or(0)
        )
        .chars()
        .take(200)
        .collect();
        let summary = format!("Samenvatting: {payload}");
        let submitted = ann
            .post(
                &app,
                &path,
                &[
                    ("actie", "indienen"),
                    ("version", &version),
                    ("lead", &lead),
                    ("title", &title),
                    ("summary", &summary),
                    ("kind", "TRAINING"),
                    ("themes", &w.theme),
                    ("topics", &w.topic),
                ],
            )
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::SEE_OTHER,
            "{payload}: {}",
            submitted.body
        );
    }
    // The queue shows 25 to a page: every page of it.
    let mut queue = String::new();
    for page in 1..=3 {
        let got = eva.get(&app, &format!("/redactie?pagina={page}")).await;
        assert_eq!(got.status, StatusCode::OK);
        for payload in PAYLOADS {
            escaped(&got.body, payload, "the queue");
        }
        queue.push_str(&got.body);
    }
    for id in &ids {
        assert!(
            queue.contains(&format!("href=\"/redactie/{id}\"")),
            "{id} queued"
        );
    }
    for (id, payload) in ids.iter().zip(PAYLOADS) {
        let review = eva.get(&app, &format!("/redactie/{id}")).await;
        assert_eq!(review.status, StatusCode::OK);
        escaped(&review.body, payload, "the review page");
    }
}
