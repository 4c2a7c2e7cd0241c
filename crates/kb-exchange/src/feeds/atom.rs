//! Atom (RFC 4287) for initiatives: tag URIs as ids (stable across runs, hosts and
//! edits), RFC 3339 times, a self link, an author per entry (the lead organisation, else
//! the knowledge bank), the summary as text, and the initiative's website as its
//! alternate link (or the summary as content when it has none). A feed in English gives
//! an initiative's English title and summary where it has them; a Dutch text in it is
//! marked `xml:lang="nl"`.

use chrono::{DateTime, SecondsFormat, Utc};
use kb_domain::markup::escape;
use kb_domain::{Initiative, Vocabulary};

use super::FEED_DOMAIN;

/// The year in every tag URI; fixed, so ids never change.
const TAG_YEAR: u32 = 2026;

/// The tag URI of something in the knowledge bank (`feed:initiatives`, `initiative:12`).
pub fn tag(what: &str) -> String {
    format!("tag:{FEED_DOMAIN},{TAG_YEAR}:{what}")
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What a feed is about.
pub struct FeedHead<'a> {
    /// Its tag (`feed:initiatives`, `view:lhbti-en`).
    pub id: &'a str,
    pub title: &'a str,
    pub subtitle: &'a str,
    /// Its own address.
    pub self_url: &'a str,
    /// `nl` or `en`.
    pub lang: &'a str,
}

/// One entry: an initiative and the name of its lead organisation.
pub struct Entry<'a> {
    pub initiative: &'a Initiative,
    pub author: Option<&'a str>,
}

/// The text of `nl` and its English version `en` in a feed in `lang`, with the
/// `xml:lang` attribute (leading space included) of a text not in the feed's language.
fn in_language<'a>(lang: &str, nl: &'a str, en: Option<&'a str>) -> (&'a str, &'static str) {
    match en.filter(|t| !t.is_empty()) {
        Some(en) if lang == "en" => (en, ""),
        _ if lang == "en" => (nl, " xml:lang=\"nl\""),
        _ => (nl, ""),
    }
}

/// When an entry last changed for its readers: its publication or a later edit.
fn updated(i: &Initiative) -> DateTime<Utc> {
    i.published_at.map_or(i.updated_at, |p| p.max(i.updated_at))
}

/// The feed of `entries`, newest first as given.
pub fn feed(head: &FeedHead<'_>, entries: &[Entry<'_>]) -> String {
    // The feed changed when its newest entry did; an empty feed takes a fixed time so
    // that it, too, reads the same every time.
    let feed_updated = entries
        .iter()
        .map(|e| updated(e.initiative))
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(head.lang)
    ));
    x.push_str(&format!("  <id>{}</id>\n", escape(&tag(head.id))));
    x.push_str(&format!("  <title>{}</title>\n", escape(head.title)));
    if !head.subtitle.is_empty() {
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(head.subtitle)
        ));
    }
    x.push_str(&format!("  <updated>{}</updated>\n", time(feed_updated)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(head.self_url)
    ));
    x.push_str("  <author><name>Kennisbank</name></author>\n");
    x.push_str("  <generator>Kennisbank</generator>\n");
    for e in entries {
        let i = e.initiative;
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <id>{}</id>\n",
            escape(&tag(&format!("initiative:{}", i.id.0)))
        ));
        let (title, title_lang) = in_language(head.lang, &i.title, i.title_en.as_deref());
        let (summary, summary_lang) = in_language(head.lang, &i.summary, i.summary_en.as_deref());
        x.push_str(&format!(
            "    <title{title_lang}>{}</title>\n",
            escape(title)
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", time(updated(i))));
        if let Some(p) = i.published_at {
            x.push_str(&format!("    <published>{}</published>\n", time(p)));
        }
        x.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            escape(e.author.unwrap_or("Kennisbank"))
        ));
        x.push_str(&format!(
            "    <summary type=\"text\"{summary_lang}>{}</summary>\n",
            escape(summary)
        ));
        match &i.website {
            Some(w) => x.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(w)
            )),
            None => x.push_str(&format!(
                "    <content type=\"text\"{summary_lang}>{}</content>\n",
                escape(summary)
            )),
        }
        x.push_str(&format!(
            "    <category term=\"{}\"/>\n",
            escape(i.kind.code())
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("<a href=\"x\">R&D</a>\u{1}'"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt;&#39;"
        );
    }

    #[test]
    fn an_english_feed_gives_english_texts_and_marks_dutch_ones() {
        assert_eq!(
            in_language("en", "Buddyprogramma", Some("Buddy programme")),
            ("Buddy programme", "")
        );
        assert_eq!(
            in_language("en", "Buddyprogramma", None),
            ("Buddyprogramma", " xml:lang=\"nl\"")
        );
        assert_eq!(
            in_language("nl", "Buddyprogramma", Some("Buddy programme")),
            ("Buddyprogramma", "")
        );
    }

    #[test]
    fn tags_are_fixed_uris() {
        assert_eq!(tag("initiative:7"), "tag:kennisbank.nl,2026:initiative:7");
    }
}
