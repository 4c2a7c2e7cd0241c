//! Charts drawn by the server as SVG: trend lines over the years and VOSviewer-like
//! network maps. Each is a pure function from data to markup, deterministic (the same
//! input gives the same bytes), readable without script and under the strict
//! Content-Security-Policy: colours and strokes are SVG presentation attributes, never
//! `style=` attributes, and the site's style sheet adds the highlighting. The script
//! [`map_script`] loads only adds zoom, pan and the highlighting of a node's neighbours.
//!
//! Colours come from the Okabe–Ito palette, which stays distinct for the common forms of
//! colour blindness; a trend chart tells its series apart by marker shape and dash
//! pattern as well, so that colour is never the only cue.

/// The network map: clustered nodes at given positions and the links between them.
mod map;
/// Numbers as the charts print them, and nice axis ticks.
mod scale;
/// The trend chart: one line per series over the years.
mod trend;

use maud::{Markup, PreEscaped, html};

pub use map::{MAX_LINKS, MapChart, MapLink, MapNode, map_svg};
pub use trend::{MAX_SERIES, Series, TrendChart, trend_svg};

use crate::assets;

/// The SVG namespace, on every chart so that a chart saved from the page is an SVG file.
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The fonts of the charts' text, as the site's style sheet has them.
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";

/// The site's ink: axes, labels and the text of empty charts.
const INK: &str = "#1d2428";

/// The site's muted ink: ticks and gridlines' labels.
const MUTED: &str = "#4a555c";

/// The Okabe–Ito palette in the order the maps give it to clusters 0, 1, 2…
const OKABE_ITO: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

/// The colour of what lies beyond the palette.
const GREY: &str = "#999999";

/// The colour of cluster `k` on a map: grey once the palette is used up.
fn cluster_colour(k: u32) -> &'static str {
    OKABE_ITO.get(k as usize).copied().unwrap_or(GREY)
}

/// An id for a chart's `<title>` and `<desc>`, from its title and description, so that
/// several charts on one page do not share ids and the same chart always gets the same.
fn chart_id(kind: &str, title: &str, description: &str) -> String {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in title.bytes().chain([0]).chain(description.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{kind}-{:08x}", hash >> 32)
}

/// A chart with nothing to draw: its title, its description for screen readers, and one
/// line of text in the middle that says so.
fn empty(id: &str, title: &str, description: &str, width: f64, height: f64, text: &str) -> Markup {
    html! {
        svg xmlns=(SVG_NS) class="chart chart-empty" viewBox=(format!("0 0 {width} {height}"))
            role="img" aria-labelledby=(format!("{id}-title {id}-desc")) font-family=(FONT) {
            title id=(format!("{id}-title")) { (title) }
            desc id=(format!("{id}-desc")) { (description) " " (text) }
            rect x="0.5" y="0.5" width=(width - 1.0) height=(height - 1.0) fill="none"
                stroke="#cfd8dc" stroke-dasharray="6 4" {}
            text x=(width / 2.0) y=(height / 2.0) text-anchor="middle" font-size="16" fill=(MUTED) { (text) }
            text x="16" y="30" font-size="17" font-weight="700" fill=(INK) { (title) }
        }
    }
}

/// The chart as a standalone SVG document, for "download as SVG": an XML declaration,
/// the namespace (every chart has it already) and a style element with the fonts. Should
/// the file be opened under the pages' policy, which refuses the style element, only
/// the fonts fall back: everything else is in presentation attributes.
pub fn standalone(svg: Markup) -> String {
    let body = svg.into_string();
    let style = "<style>text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}</style>";
    // Every chart starts with `<svg ` and the first `>` closes that tag: attribute values
    // are escaped, so none holds a bare `>`.
    let (open, rest) = match body.find('>') {
        Some(end) if body.starts_with("<svg") => body.split_at(end + 1),
        _ => return format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n"),
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{open}{style}{rest}\n")
}

/// The script that adds zoom, pan and highlighting to the maps on a page, at its hashed
/// address; a page with a map puts it after the map (it waits for the document).
pub fn map_script() -> Markup {
    html! { script src=(assets::MAP_JS_PATH) defer {} }
}

/// Text in the page's language.
fn t(lang_en: bool, nl: &'static str, en: &'static str) -> &'static str {
    if lang_en { en } else { nl }
}

/// Raw markup for a `d` or `points` attribute already made of numbers.
fn raw(s: String) -> PreEscaped<String> {
    PreEscaped(s)
}

/// What the charts' tests read their SVG with.
#[cfg(test)]
pub(crate) mod testing {
    /// The chart's text as an XML document; panics if it is not one.
    pub(crate) fn parse(svg: &str) -> roxmltree::Document<'_> {
        match roxmltree::Document::parse(svg) {
            Ok(doc) => doc,
            Err(e) => panic!("not XML ({e}): {svg}"),
        }
    }

    /// The elements named `name` with `class` among their classes (any class when empty),
    /// in document order.
    pub(crate) fn all<'a, 'i>(
        doc: &'a roxmltree::Document<'i>,
        name: &str,
        class: &str,
    ) -> Vec<roxmltree::Node<'a, 'i>> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == name)
            .filter(|n| {
                class.is_empty()
                    || n.attribute("class")
                        .is_some_and(|c| c.split(' ').any(|c| c == class))
            })
            .collect()
    }

    /// The text of an element's `<title>` child.
    pub(crate) fn title_of(node: roxmltree::Node) -> Option<String> {
        node.children()
            .find(|c| c.tag_name().name() == "title")
            .and_then(|t| t.text())
            .map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standalone_chart_is_an_xml_document_with_the_svg_namespace() {
        let svg = empty("t-1", "Leeg", "Niets", 100.0, 50.0, "Geen gegevens");
        let doc = standalone(svg);
        assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
        let parsed = roxmltree::Document::parse(&doc).expect("XML");
        let root = parsed.root_element();
        assert_eq!(root.tag_name().namespace(), Some(SVG_NS));
        assert_eq!(root.tag_name().name(), "svg");
        let first = root.first_element_child().expect("a child");
        assert_eq!(first.tag_name().name(), "style");
    }

    #[test]
    fn chart_ids_depend_on_title_and_description_only() {
        assert_eq!(chart_id("trend", "a", "b"), chart_id("trend", "a", "b"));
        assert_ne!(chart_id("trend", "a", "b"), chart_id("trend", "ab", ""));
        assert_eq!(chart_id("map", "a", "b").len(), "map-".len() + 8);
    }

    #[test]
    fn clusters_beyond_the_palette_are_grey() {
        assert_eq!(cluster_colour(0), "#0072B2");
        assert_eq!(cluster_colour(7), "#000000");
        assert_eq!(cluster_colour(8), GREY);
        assert_eq!(cluster_colour(u32::MAX), GREY);
    }

    #[test]
    fn the_map_script_is_loaded_from_its_hashed_address() {
        let tag = map_script().into_string();
        assert_eq!(
            tag,
            format!("<script src=\"{}\" defer></script>", assets::MAP_JS_PATH)
        );
        assert!(assets::MAP_JS_PATH.starts_with("/assets/map."));
    }
}
