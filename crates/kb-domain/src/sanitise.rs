//! Cleaning of rich text (the body of an initiative, descriptions) before it is stored.
//!
//! Rich text arrives as Markdown, HTML or a mix of both. It is cleaned with the `ammonia`
//! sanitiser against an allow-list: ordinary formatting survives, everything that can run
//! code or load another document does not. Cleaning happens on write, so every reader gets
//! the same safe text whatever renders it.
//!
//! Treating Markdown as HTML has a few visible effects, each pinned by a test below:
//!
//! - `&`, `<` and `>` in text come back as `&amp;`, `&lt;` and `&gt;`. Markdown renderers
//!   and browsers both show these as the original characters, so nothing is lost — except
//!   at the start of a line, where `&gt;` would no longer open a Markdown block quote. Those
//!   leading `>` markers are therefore put back; a bare `>` in text is harmless in HTML.
//! - Markdown autolinks (`<https://…>`, `<mailto:…>`, `<name@example.org>`) look like tags
//!   to an HTML parser and would vanish. They are rewritten to `<a>` elements first (and
//!   then cleaned like any other link), which render the same in Markdown and in HTML.
//! - Anything else between `<` and `>` is read as HTML, also inside Markdown code spans
//!   and fences: `` `Vec<String>` `` comes back as `` `Vec` ``. Only a Markdown parser
//!   could tell code from markup; this crate deliberately has none, and the text is safe
//!   either way.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

use crate::markup::escape;

/// Elements kept as they are (without attributes, unless listed in [`TAG_ATTRIBUTES`]).
const TAGS: &[&str] = &[
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "a",
    "hr",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
];

/// The only attributes that survive, per element.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("td", &["colspan", "rowspan"]),
];

/// Elements removed together with everything inside them; the rest of the unknown elements
/// are unwrapped (their text stays).
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "template", "noscript", "noembed", "noframes", "xmp", "textarea", "select", "title",
];

/// URL schemes allowed in `href`. Relative URLs are dropped too: stored text is shown on
/// other sites and in e-mails, where a relative link would point somewhere unintended.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

static SANITISER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
                .collect::<HashMap<_, HashSet<_>>>(),
        )
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// Cleans rich text (Markdown or HTML) so that it can be stored and shown safely.
///
/// Keeps paragraphs, line breaks, emphasis, lists, headings, quotes, code, rules, tables and
/// links to `http`, `https` and `mailto` URLs (which gain `rel="noopener noreferrer"`).
/// Removes scripts, styles, event handlers, frames, objects, forms, SVG and MathML, and
/// every other URL scheme. Markdown without tags comes through unchanged apart from the
/// HTML escaping of `&`, `<` and `>` described in the module documentation.
pub fn sanitise_rich_text(input: &str) -> String {
    let html = autolinks_to_anchors(input);
    let cleaned = SANITISER.clean(&html).to_string();
    restore_quote_markers(&cleaned)
}

/// Rewrites Markdown autolinks (`<https://…>`, `<mailto:…>`, `<name@example.org>`) to `<a>`
/// elements, so that the HTML parser does not take them for unknown tags.
fn autolinks_to_anchors(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let link = after
            .find('>')
            .map(|close| &after[..close])
            .and_then(|inner| autolink_href(inner).map(|href| (inner, href)));
        match link {
            Some((inner, href)) => {
                let text = escape(inner);
                let href = escape(&href);
                out.push_str(&format!("<a href=\"{href}\">{text}</a>"));
                rest = &after[inner.len() + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `href` of a Markdown autolink's inner text, if it is one of the kinds kept.
fn autolink_href(inner: &str) -> Option<String> {
    let plain = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '\'' | '`'));
    if !plain {
        return None;
    }
    let lower = inner.to_ascii_lowercase();
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
    {
        return Some(inner.to_owned());
    }
    let (local, domain) = inner.split_once('@')?;
    let email = !local.is_empty()
        && !domain.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
        && !local.contains([':', '/'])
        && !domain.contains([':', '/']);
    email.then(|| format!("mailto:{inner}"))
}

/// Puts back the `>` markers of Markdown block quotes at the start of lines, which the
/// HTML serialiser wrote as `&gt;`.
fn restore_quote_markers(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for (i, line) in html.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            out.push_str(line);
            continue;
        }
        out.push_str(&line[..indent]);
        let mut rest = &line[indent..];
        while let Some(after) = rest.strip_prefix("&gt;") {
            out.push('>');
            let spaces = after.len() - after.trim_start_matches(' ').len();
            out.push_str(&after[..spaces]);
            rest = &after[spaces..];
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Payloads that must come out harmless, gathered from the usual XSS cheat sheets.
    const XSS_PAYLOADS: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        "<ScRiPt src=//evil.example/x.js></ScRiPt>",
        "<script\x20type=\"text/javascript\">alert(1)</script>",
        "<script/xss src=//evil.example/x.js></script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<scr<script>ipt>alert(1)</script>",
        "<<script>alert(1);//<</script>",
        "<script>alert(1)",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=x OnErRoR=alert(1)>",
        "<img src=\"x\"/onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"jav\tascript:alert(1)\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>",
        "<a href=\"  javascript:alert(1)\">x</a>",
        "<a href=\"\x01javascript:alert(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"VBScript:msgbox(1)\">x</a>",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<p style=\"width:expression(alert(1))\">x</p>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<body onload=alert(1)>",
        "<input onfocus=alert(1) autofocus>",
        "<details open ontoggle=alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "<form><button formaction=\"javascript:alert(1)\">go</button></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<link rel=\"import\" href=\"https://evil.example/x.html\">",
        "<link rel=stylesheet href=\"javascript:alert(1)\">",
        "<!--<script>alert(1)</script>-->",
        "<!--><script>alert(1)</script>-->",
        "<!-- --!><script>alert(1)</script> -->",
        "<p title=\"</p><script>alert(1)</script>\">x</p>",
        "<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>",
        "<a href=\"https://ok.example\"onmouseover=alert(1)>x</a>",
        "<strong onmouseover=alert(1)>x</strong>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<textarea><script>alert(1)</script></textarea>",
        "<xmp><script>alert(1)</script></xmp>",
        "<template><script>alert(1)</script></template>",
        "<https://ok.example/\"onmouseover=alert(1)>",
        "<javascript:alert(1)>",
        "<isindex type=image src=1 onerror=alert(1)>",
        "<video><source onerror=alert(1)></video>",
        "<marquee onstart=alert(1)>x</marquee>",
        "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    ];

    /// Whether `html` still has an event handler attribute: `on` and letters then `=`,
    /// right after whitespace, a quote or a slash.
    fn has_event_handler(html: &str) -> bool {
        let bytes = html.as_bytes();
        (0..bytes.len()).any(|i| {
            let after_separator = i > 0
                && (bytes[i - 1].is_ascii_whitespace()
                    || matches!(bytes[i - 1], b'"' | b'\'' | b'/'));
            if !after_separator || !html[i..].starts_with("on") {
                return false;
            }
            let letters = bytes[i + 2..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            letters > 0 && bytes.get(i + 2 + letters) == Some(&b'=')
        })
    }

    const FORBIDDEN: &[&str] = &[
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<math",
        "<style",
        "style=",
        "<form",
        "<meta",
        "<base",
        "<link",
        "srcdoc",
        "formaction",
    ];

    #[test]
    fn the_payload_table_has_at_least_thirty_distinct_entries() {
        let distinct: HashSet<_> = XSS_PAYLOADS.iter().collect();
        assert_eq!(distinct.len(), XSS_PAYLOADS.len(), "duplicate payload");
        assert!(XSS_PAYLOADS.len() >= 30);
    }

    #[test]
    fn no_xss_payload_survives_sanitising() {
        for payload in XSS_PAYLOADS {
            let cleaned = sanitise_rich_text(payload).to_lowercase();
            for needle in FORBIDDEN {
                assert!(
                    !cleaned.contains(needle),
                    "{payload:?} left {needle:?} in {cleaned:?}"
                );
            }
            assert!(
                !has_event_handler(&cleaned),
                "{payload:?} left an event handler in {cleaned:?}"
            );
        }
    }

    #[test]
    fn the_event_handler_helper_finds_handlers_after_whitespace_quotes_and_slashes() {
        assert!(has_event_handler("<img src=x onerror=alert(1)>"));
        assert!(has_event_handler("<a href=\"x\"onclick=y>"));
        assert!(has_event_handler("<img/onload=y>"));
        assert!(!has_event_handler("<p>switch on=off</p>"));
        assert!(!has_event_handler("<p>bonfire=warm, once upon</p>"));
    }

    #[test]
    fn paragraphs_and_emphasis_survive() {
        assert_eq!(
            sanitise_rich_text("<p><strong>x</strong></p>"),
            "<p><strong>x</strong></p>"
        );
        let formatted = "<h2>Kop</h2><blockquote><p><em>a</em> <b>b</b> <i>c</i><br></p></blockquote>\
             <ul><li>een</li></ul><ol><li>twee</li></ol><pre><code>x</code></pre><hr>";
        assert_eq!(sanitise_rich_text(formatted), formatted);
    }

    #[test]
    fn tables_survive_with_their_spans() {
        let table = "<table><caption>c</caption><thead><tr><th scope=\"col\">h</th></tr></thead>\
             <tbody><tr><td colspan=\"2\">d</td></tr></tbody></table>";
        assert_eq!(sanitise_rich_text(table), table);
    }

    #[test]
    fn an_https_link_keeps_its_href_and_title_and_gains_rel() {
        assert_eq!(
            sanitise_rich_text(
                "<a href=\"https://example.org/x\" title=\"Uitleg\" target=\"_blank\">x</a>"
            ),
            "<a href=\"https://example.org/x\" title=\"Uitleg\" rel=\"noopener noreferrer\">x</a>"
        );
    }

    #[test]
    fn a_mailto_link_survives() {
        assert_eq!(
            sanitise_rich_text("<a href=\"mailto:info@example.org\">mail</a>"),
            "<a href=\"mailto:info@example.org\" rel=\"noopener noreferrer\">mail</a>"
        );
    }

    #[test]
    fn a_relative_link_loses_its_href_but_keeps_its_text() {
        assert_eq!(
            sanitise_rich_text("<a href=\"/thema/stress\">stress</a>"),
            "<a rel=\"noopener noreferrer\">stress</a>"
        );
    }

    #[test]
    fn attributes_outside_the_allow_list_are_removed() {
        assert_eq!(
            sanitise_rich_text("<p class=\"x\" id=\"y\" lang=\"nl\" title=\"t\">p</p>"),
            "<p>p</p>"
        );
    }

    #[test]
    fn unknown_elements_are_unwrapped_and_their_text_kept() {
        assert_eq!(sanitise_rich_text("<div><span>tekst</span></div>"), "tekst");
    }

    #[test]
    fn markdown_without_tags_comes_through_unchanged() {
        let markdown = "**vet** en _schuin_\n\n- punt";
        assert_eq!(sanitise_rich_text(markdown), markdown);
    }

    #[test]
    fn markdown_block_quotes_keep_their_markers() {
        let markdown = "> citaat\n> > genest\n   > ingesprongen\n\ntekst";
        assert_eq!(sanitise_rich_text(markdown), markdown);
    }

    #[test]
    fn ampersands_and_angle_brackets_in_text_are_escaped_as_html() {
        // Markdown renderers and browsers both show these as `&`, `<` and `>` again.
        assert_eq!(
            sanitise_rich_text("Q&A: 3 < 4 en 5 > 4"),
            "Q&amp;A: 3 &lt; 4 en 5 &gt; 4"
        );
        assert_eq!(sanitise_rich_text("a\u{a0}b"), "a&nbsp;b");
    }

    #[test]
    fn markdown_autolinks_become_links() {
        assert_eq!(
            sanitise_rich_text("zie <https://example.org/?a=1&b=2>"),
            "zie <a href=\"https://example.org/?a=1&amp;b=2\" rel=\"noopener noreferrer\">https://example.org/?a=1&amp;b=2</a>"
        );
        assert_eq!(
            sanitise_rich_text("<jan@example.org>"),
            "<a href=\"mailto:jan@example.org\" rel=\"noopener noreferrer\">jan@example.org</a>"
        );
    }

    #[test]
    fn tags_inside_markdown_code_spans_are_read_as_html() {
        // A known limit of cleaning without a Markdown parser; the result is safe.
        assert_eq!(sanitise_rich_text("`Vec<String>`"), "`Vec`");
    }

    #[test]
    fn empty_input_stays_empty() {
        assert_eq!(sanitise_rich_text(""), "");
    }
}
