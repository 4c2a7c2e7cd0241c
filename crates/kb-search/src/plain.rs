//! The plain text of a sanitised body, for indexing and snippets.
//!
//! Bodies are Markdown with some HTML, already cleaned by `kb_domain::sanitise` (so `&`,
//! `<` and `>` in text arrive as entities). Without its markup the index would not learn
//! words that are not in the text (tag names, link targets) and snippets would not show
//! `**` or `<em>`. The Markdown is read by pulldown-cmark, with the options the website
//! renders it with, so the index holds the words a reader of the page sees: link and
//! image texts without their targets, reference definitions left out, escapes undone,
//! list and heading markers gone. HTML, which a Markdown parser passes through as it is,
//! is reduced to its text here.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The text a reader of `body` sees, on one line: tags removed, entities decoded, link
/// and image targets dropped (their text kept), Markdown markers removed, whitespace
/// collapsed.
pub(crate) fn plain_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    // Consecutive pieces of HTML, reduced to text together since a tag may span them.
    let mut html = String::new();
    let mut in_code_block = false;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(body, options) {
        if let Event::Html(h) | Event::InlineHtml(h) = &event {
            html.push_str(h);
            continue;
        }
        if !html.is_empty() {
            push_html(&mut out, &html);
            html.clear();
        }
        match event {
            // Code is not Markdown, so the sanitiser's entities in it are still there.
            Event::Text(t) if in_code_block => out.push_str(&decode_entities(&t)),
            Event::Code(t) => out.push_str(&decode_entities(&t)),
            Event::Text(t) | Event::InlineMath(t) | Event::DisplayMath(t) => out.push_str(&t),
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                out.push(' ');
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                out.push(' ');
            }
            Event::Start(tag) if !is_inline(tag.to_end()) => out.push(' '),
            Event::End(tag) if !is_inline(tag) => out.push(' '),
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.push(' '),
            _ => {}
        }
    }
    push_html(&mut out, &html);
    collapse_whitespace(&out)
}

/// Whether `tag` sits inside a line of text, so that its start and end do not separate
/// words (`**vet**heid` is one word).
fn is_inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Appends the text of a piece of HTML, set apart from the words around it.
fn push_html(out: &mut String, html: &str) {
    out.push(' ');
    out.push_str(&decode_entities(&strip_tags(html)));
    out.push(' ');
}

/// `text` without anything between `<` and `>`. The sanitiser left only real tags there,
/// since a `<` in text arrives as `&lt;`. A tag counts as a space, so `a<br>b` stays two
/// words.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => {
                in_tag = false;
                out.push(' ');
            }
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    out
}

/// `text` with the entities a sanitiser writes decoded; unknown ones stay as they are.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of an entity's name (`amp`, `#39`, `#x27`).
fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            return char::from_u32(code).filter(|c| !c.is_control());
        }
    })
}

/// `text` with every run of whitespace made one space, trimmed.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_removed_and_separate_words() {
        assert_eq!(
            plain_text("<p>Een <strong>korte</strong> tekst</p><p>Twee</p>"),
            "Een korte tekst Twee"
        );
        assert_eq!(plain_text("regel<br>regel"), "regel regel");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            plain_text("Q&amp;A &lt;script&gt; &#39;t &#x263A; &bogus; & zo"),
            "Q&A <script> 't ☺ &bogus; & zo"
        );
    }

    #[test]
    fn links_and_images_keep_their_text_only() {
        assert_eq!(
            plain_text("Zie [de handreiking](https://example.org/h) en ![een logo](/logo.png)."),
            "Zie de handreiking en een logo."
        );
        // Brackets that make no link are text, as the page shows them.
        assert_eq!(
            plain_text("[alleen tekst] (geen link)"),
            "[alleen tekst] (geen link)"
        );
    }

    #[test]
    fn a_link_text_with_brackets_inside_keeps_them_and_loses_the_target() {
        assert_eq!(plain_text("Zie [a [b] c](u) hier"), "Zie a [b] c hier");
    }

    #[test]
    fn a_reference_link_keeps_its_text_and_its_definition_is_left_out() {
        assert_eq!(
            plain_text("Lees [de tekst][ref] verder.\n\n[ref]: http://x"),
            "Lees de tekst verder."
        );
    }

    #[test]
    fn backslash_escapes_give_the_character_and_no_emphasis() {
        assert_eq!(plain_text("\\*not emphasis\\*"), "*not emphasis*");
        assert_eq!(plain_text("a \\[b\\] c"), "a [b] c");
    }

    #[test]
    fn inline_html_is_reduced_to_its_text() {
        assert_eq!(
            plain_text(
                "een <em>nadrukkelijk</em> woord en <a href=\"https://x.nl\"\ntitle=\"t\">een link</a>"
            ),
            "een nadrukkelijk woord en een link"
        );
    }

    #[test]
    fn code_spans_and_blocks_keep_their_text_with_entities_decoded() {
        assert_eq!(
            plain_text(
                "gebruik `a &lt; b` of `**geen nadruk**`\n\n```\nlet x = 1 &amp;&amp; y;\n```"
            ),
            "gebruik a < b of **geen nadruk** let x = 1 && y;"
        );
    }

    #[test]
    fn list_items_are_separate_words_without_their_markers() {
        assert_eq!(
            plain_text("- een\n- twee\n  - drie\n\n1. vier\n2. vijf"),
            "een twee drie vier vijf"
        );
    }

    #[test]
    fn headings_of_both_kinds_lose_their_markers() {
        assert_eq!(
            plain_text("# Kop\nTekst\n\nOnderkop\n--------\n\n### Derde ###"),
            "Kop Tekst Onderkop Derde"
        );
    }

    #[test]
    fn table_cells_are_separate_words() {
        assert_eq!(plain_text("| a | b |\n|---|---|\n| c | d |"), "a b c d");
    }

    #[test]
    fn markdown_markers_are_dropped() {
        assert_eq!(
            plain_text("# Kop\n\n> citaat\n- *punt* één\n2. __vet__ en `code`\n~~weg~~"),
            "Kop citaat punt één vet en code weg"
        );
    }

    #[test]
    fn underscores_inside_words_are_kept() {
        assert_eq!(plain_text("_nadruk_ op snake_case"), "nadruk op snake_case");
    }

    #[test]
    fn numbers_in_text_are_not_list_markers() {
        assert_eq!(
            plain_text("In 2024 meer dan 113 gesprekken"),
            "In 2024 meer dan 113 gesprekken"
        );
        assert_eq!(plain_text("1. eerste\n10) tiende"), "eerste tiende");
    }
}
