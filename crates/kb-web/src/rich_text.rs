//! An initiative's body as HTML. The API gives sanitised rich text: Markdown, possibly
//! with the HTML the sanitiser lets through. It is rendered here and the result cleaned
//! once more, so nothing the renderer makes of it can carry a script.

use pulldown_cmark::{Options, Parser, html};

/// Markdown (with inline HTML) to clean HTML. A body's `#` heading becomes a second
/// level one: the page's title is its only first-level heading, and the levels stay in
/// order under it.
pub(crate) fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(lower(level)))
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&out)
        .to_string()
}

fn lower(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    match level {
        pulldown_cmark::HeadingLevel::H1 => pulldown_cmark::HeadingLevel::H2,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_with_headings_under_the_page_title() {
        assert_eq!(
            to_html("# Over\n\n## Waarom?\n\n- een\n- *twee*"),
            "<h2>Over</h2>\n<h2>Waarom?</h2>\n<ul>\n<li>een</li>\n<li><em>twee</em></li>\n</ul>\n"
        );
    }

    #[test]
    fn scripts_and_handlers_do_not_survive() {
        let html =
            to_html("<img src=x onerror=alert(1)>[a](javascript:alert(1))<script>x</script>");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }
}
