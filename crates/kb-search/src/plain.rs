//! The plain text of a sanitised body, for indexing and snippets.
//!
//! Bodies are Markdown with some HTML, already cleaned by `kb_domain::sanitise` (so `&`,
//! `<` and `>` in text arrive as entities). Without its markup the index would not learn
//! words that are not in the text (tag names, link targets) and snippets would not show
//! `**` or `<em>`. This is no Markdown renderer: it drops markup characters and keeps
//! every word a reader sees, which is what matching and a short fragment need.

/// The text a reader of `body` sees, on one line: tags removed, entities decoded, link
/// and image targets dropped (their text kept), Markdown markers removed, whitespace
/// collapsed.
pub(crate) fn plain_text(body: &str) -> String {
    let without_tags = strip_tags(body);
    let decoded = decode_entities(&without_tags);
    let mut out = String::with_capacity(decoded.len());
    for line in decoded.lines() {
        let line = strip_line_marker(line.trim());
        push_inline(&mut out, line);
        out.push(' ');
    }
    collapse_whitespace(&out)
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

/// A line without its leading Markdown block marker: headings, quotes, list items, rules.
fn strip_line_marker(line: &str) -> &str {
    let mut line = line;
    loop {
        let stripped = line.trim_start_matches(['#', '>']).trim_start();
        let stripped = match stripped.split_once(' ') {
            Some((marker, rest)) if is_list_marker(marker) => rest.trim_start(),
            _ => stripped,
        };
        if stripped.len() == line.len() {
            return line;
        }
        line = stripped;
    }
}

/// `-`, `*`, `+`, or a number followed by `.` or `)`.
fn is_list_marker(s: &str) -> bool {
    matches!(s, "-" | "*" | "+")
        || s.strip_suffix(['.', ')'])
            .is_some_and(|n| !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Appends `line` without emphasis, code and strike-through markers, and with links and
/// images reduced to their text: `[text](url)` and `![alt](url)` become `text` and `alt`.
fn push_inline(out: &mut String, line: &str) {
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '~' | '[' => {}
            '_' if out.is_empty() || out.ends_with(|p: char| !p.is_alphanumeric()) => {}
            '_' if chars.peek().is_none_or(|n| !n.is_alphanumeric()) => {}
            '!' if chars.peek() == Some(&'[') => {}
            ']' if chars.peek() == Some(&'(') => {
                // The target of a link whose text just closed: skip it, up to its `)`.
                for t in chars.by_ref() {
                    if t == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            c => out.push(c),
        }
    }
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
        assert_eq!(
            plain_text("[alleen tekst] (geen link)"),
            "alleen tekst (geen link)"
        );
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
