//! The network map, drawn as VOSviewer draws one: each node a circle at its position
//! (scaled into the picture with a margin; x to the right, y downward), its area in
//! proportion to its weight, its colour its cluster's; links first, underneath, their
//! width and opacity by strength; labels on the larger nodes where they do not overlap.
//!
//! Keyboard and screen readers: every node is a link, named "label (cluster k, n
//! initiatives)", in the order of clusters and within a cluster by weight, heaviest
//! first, so that the tab order walks the map cluster by cluster. Links between nodes are
//! links to their search for the mouse only (`tabindex="-1"`, hidden from screen
//! readers): a map has hundreds of them, which would make the tab order unbearable, and
//! each node's own page lists what it is linked to. Clusters are numbered from 1 on the
//! map, where the data counts from 0.
//!
//! The script (`assets/map.js`) reads `data-i` (a node's index in [`MapChart::nodes`]),
//! `data-n` (the indexes of its neighbours, by every link given, drawn or not) and a
//! link's `data-from` and `data-to`.

use maud::{Markup, html};

use super::scale::{coord, value};
use super::{FONT, INK, SVG_NS, chart_id, cluster_colour, empty, t};

/// A node of the map: what it is called and links to, where it lies (in any units; the
/// map scales them), its weight (how many initiatives it holds) and its cluster (0, 1…).
#[derive(Debug, Clone, PartialEq)]
pub struct MapNode {
    pub id: String,
    pub label: String,
    pub href: String,
    pub x: f64,
    pub y: f64,
    pub weight: f64,
    pub cluster: u32,
}

/// A link between the nodes at indexes `from` and `to` of [`MapChart::nodes`], with its
/// strength (greater is stronger) and the search it links to. Links to an index out of
/// range, from a node to itself, or without a positive strength are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLink {
    pub from: usize,
    pub to: usize,
    pub strength: f64,
    pub href: String,
}

/// What a map shows.
#[derive(Debug, Clone, Copy)]
pub struct MapChart<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub nodes: &'a [MapNode],
    pub links: &'a [MapLink],
    pub lang_en: bool,
}

/// How many links a map draws at most: the strongest. More make a grey felt that hides
/// the structure and a page of a megabyte; the description says when links were left out.
pub const MAX_LINKS: usize = 300;

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 600.0;
/// The radius of the heaviest node, and the least radius any node gets (so that a node
/// of little weight can still be seen and pointed at).
const R_MAX: f64 = 26.0;
const R_MIN: f64 = 3.5;
/// Room around the outermost node centres: its circle and half a label.
const MARGIN: f64 = R_MAX + 14.0;
/// The longest label printed in full.
const LABEL_CHARS: usize = 28;

/// A map of the nodes and links: see the module's documentation.
pub fn map_svg(chart: &MapChart) -> Markup {
    let en = chart.lang_en;
    let id = chart_id("map", chart.title, chart.description);
    let nodes = chart.nodes;
    if nodes.is_empty() {
        let text = t(en, "Geen knopen om te tonen.", "No nodes to show.");
        return empty(&id, chart.title, chart.description, WIDTH, 240.0, text);
    }
    let place = Placement::of(nodes);
    let w_max = nodes
        .iter()
        .map(|n| n.weight)
        .filter(|w| w.is_finite())
        .fold(0.0f64, f64::max);
    let radius = |n: &MapNode| {
        if w_max > 0.0 && n.weight.is_finite() && n.weight > 0.0 {
            (R_MAX * (n.weight / w_max).sqrt()).max(R_MIN)
        } else {
            R_MIN
        }
    };
    let valid: Vec<&MapLink> = strongest_first(chart.links, nodes.len());
    let drawn: Vec<&MapLink> = valid.iter().take(MAX_LINKS).rev().copied().collect();
    // Drawn weakest first, so that the strongest lie on top.
    let s_max = drawn.last().map_or(1.0, |l| l.strength);
    let neighbours = neighbours(&valid, nodes.len());
    let order = tab_order(nodes);
    let labelled = labelled(nodes, &place, &radius);
    let clusters = {
        let mut c: Vec<u32> = nodes.iter().map(|n| n.cluster).collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    let name = |n: &MapNode| {
        let count = value(n.weight, 2, en);
        let what = match (n.weight == 1.0, en) {
            (true, true) => "initiative",
            (true, false) => "initiatief",
            (false, true) => "initiatives",
            (false, false) => "initiatieven",
        };
        format!(
            "{} (cluster {}, {count} {what})",
            n.label,
            u64::from(n.cluster) + 1
        )
    };
    html! {
        svg xmlns=(SVG_NS) class="chart map" viewBox=(format!("0 0 {WIDTH} {HEIGHT}"))
            role="group" aria-labelledby=(format!("{id}-title {id}-desc")) font-family=(FONT)
            data-map="" data-viewbox=(format!("0 0 {WIDTH} {HEIGHT}")) {
            title id=(format!("{id}-title")) { (chart.title) }
            desc id=(format!("{id}-desc")) {
                (chart.description) " "
                (nodes.len()) " " (t(en, "knopen in", "nodes in")) " " (clusters) " "
                (if clusters == 1 { "cluster" } else { "clusters" }) ", "
                (valid.len()) " " (t(en, "verbindingen", "links"))
                @if valid.len() > drawn.len() {
                    "; " (t(en, "alleen de", "only the")) " " (drawn.len()) " "
                    (t(en, "sterkste zijn getekend", "strongest are drawn"))
                }
                ". " (t(en, "Elke knoop is een link; de volgorde is per cluster, de grootste eerst.",
                    "Each node is a link; the order is by cluster, the largest first."))
            }
            g.links {
                @for link in &drawn {
                    @let (a, b) = (&nodes[link.from], &nodes[link.to]);
                    @let share = if s_max > 0.0 { link.strength / s_max } else { 1.0 };
                    @let colour = if a.cluster == b.cluster { cluster_colour(a.cluster) } else { "#7b8a92" };
                    a.link href=(link.href) tabindex="-1" aria-hidden="true"
                        data-from=(link.from) data-to=(link.to) {
                        title { (a.label) " — " (b.label) }
                        line x1=(coord(place.x(a))) y1=(coord(place.y(a))) x2=(coord(place.x(b))) y2=(coord(place.y(b)))
                            stroke=(colour) stroke-width=(value(0.6 + 3.4 * share, 2, true))
                            stroke-opacity=(value(0.2 + 0.55 * share, 2, true)) stroke-linecap="round" {}
                    }
                }
            }
            g.nodes {
                @for &i in &order {
                    @let n = &nodes[i];
                    a.node href=(n.href) data-i=(i) data-n=(neighbours[i]) aria-label=(name(n)) {
                        title { (name(n)) }
                        circle cx=(coord(place.x(n))) cy=(coord(place.y(n))) r=(coord(radius(n)))
                            fill=(cluster_colour(n.cluster)) fill-opacity="0.85" stroke=(INK) stroke-width="0.75" {}
                    }
                }
            }
            g.labels aria-hidden="true" {
                @for (i, size) in &labelled {
                    @let n = &nodes[*i];
                    text data-for=(i) x=(coord(place.x(n))) y=(coord(place.y(n) + size * 0.35))
                        text-anchor="middle" font-size=(coord(*size)) fill=(INK)
                        stroke="#fff" stroke-width="3" stroke-opacity="0.8" paint-order="stroke"
                        stroke-linejoin="round" pointer-events="none" { (cut(&n.label)) }
                }
            }
        }
    }
}

/// How positions become points of the picture: one scale for both axes (so distances
/// keep their meaning), centred.
struct Placement {
    scale: f64,
    x0: f64,
    y0: f64,
    cx: f64,
    cy: f64,
}

impl Placement {
    fn of(nodes: &[MapNode]) -> Self {
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for n in nodes {
            let (x, y) = (finite(n.x), finite(n.y));
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        let (dx, dy) = (x1 - x0, y1 - y0);
        let sx = if dx > 0.0 {
            (WIDTH - 2.0 * MARGIN) / dx
        } else {
            f64::INFINITY
        };
        let sy = if dy > 0.0 {
            (HEIGHT - 2.0 * MARGIN) / dy
        } else {
            f64::INFINITY
        };
        let scale = match sx.min(sy) {
            s if s.is_finite() => s,
            _ => 0.0,
        };
        Placement {
            scale,
            x0: (x0 + x1) / 2.0,
            y0: (y0 + y1) / 2.0,
            cx: WIDTH / 2.0,
            cy: HEIGHT / 2.0,
        }
    }

    fn x(&self, n: &MapNode) -> f64 {
        let x = if n.x.is_finite() { n.x } else { 0.0 };
        self.cx + (x - self.x0) * self.scale
    }

    fn y(&self, n: &MapNode) -> f64 {
        let y = if n.y.is_finite() { n.y } else { 0.0 };
        self.cy + (y - self.y0) * self.scale
    }
}

/// The links that can be drawn, strongest first (ties in the order of their ends).
fn strongest_first(links: &[MapLink], n: usize) -> Vec<&MapLink> {
    let mut valid: Vec<&MapLink> = links
        .iter()
        .filter(|l| l.from < n && l.to < n && l.from != l.to)
        .filter(|l| l.strength.is_finite() && l.strength > 0.0)
        .collect();
    valid.sort_by(|a, b| {
        b.strength
            .total_cmp(&a.strength)
            .then((a.from, a.to).cmp(&(b.from, b.to)))
    });
    valid
}

/// Each node's neighbours as the script reads them: indexes in ascending order, with
/// spaces between.
fn neighbours(links: &[&MapLink], n: usize) -> Vec<String> {
    let mut of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in links {
        of[l.from].push(l.to);
        of[l.to].push(l.from);
    }
    of.into_iter()
        .map(|mut v| {
            v.sort_unstable();
            v.dedup();
            v.iter().map(usize::to_string).collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// The order of the nodes in the document, which is their tab order: by cluster, within
/// a cluster the heaviest first, then by label and index so that the order is total.
fn tab_order(nodes: &[MapNode]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| {
        let (p, q) = (&nodes[a], &nodes[b]);
        p.cluster
            .cmp(&q.cluster)
            .then(q.weight.total_cmp(&p.weight))
            .then(p.label.cmp(&q.label))
            .then(a.cmp(&b))
    });
    order
}

/// The nodes that get a label, with its font size: the heaviest first, each unless its
/// label would overlap one placed before or leave the picture, so the smallest give way.
fn labelled(
    nodes: &[MapNode],
    place: &Placement,
    radius: &impl Fn(&MapNode) -> f64,
) -> Vec<(usize, f64)> {
    let mut by_weight: Vec<usize> = (0..nodes.len()).collect();
    by_weight.sort_by(|&a, &b| nodes[b].weight.total_cmp(&nodes[a].weight).then(a.cmp(&b)));
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut out = Vec::new();
    for i in by_weight {
        let n = &nodes[i];
        let size = 10.0 + 6.0 * ((radius(n) - R_MIN) / (R_MAX - R_MIN)).clamp(0.0, 1.0);
        let half = cut(&n.label).chars().count() as f64 * size * 0.28;
        let (x, y) = (place.x(n), place.y(n));
        let bbox = (x - half, y - size * 0.6, x + half, y + size * 0.6);
        let inside = bbox.0 >= 0.0 && bbox.2 <= WIDTH && bbox.1 >= 0.0 && bbox.3 <= HEIGHT;
        let overlaps = placed
            .iter()
            .any(|p| bbox.0 < p.2 && p.0 < bbox.2 && bbox.1 < p.3 && p.1 < bbox.3);
        if inside && !overlaps {
            placed.push(bbox);
            out.push((i, size));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

/// A label cut to [`LABEL_CHARS`] characters.
fn cut(label: &str) -> String {
    if label.chars().count() > LABEL_CHARS {
        let kept: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", kept.trim_end())
    } else {
        label.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all, parse, title_of};
    use super::*;

    fn node(label: &str, x: f64, y: f64, weight: f64, cluster: u32) -> MapNode {
        MapNode {
            id: format!("T-{label}"),
            label: label.to_owned(),
            href: format!("/onderwerpen/{label}"),
            x,
            y,
            weight,
            cluster,
        }
    }

    fn link(from: usize, to: usize, strength: f64) -> MapLink {
        MapLink {
            from,
            to,
            strength,
            href: format!("/zoeken?a={from}&b={to}"),
        }
    }

    /// Five topics in two clusters and a third of one, with four links and three that
    /// cannot be drawn.
    fn sample() -> (Vec<MapNode>, Vec<MapLink>) {
        let nodes = vec![
            node("eenzaamheid", 0.0, 0.0, 12.0, 1),
            node("stress", 1.0, 0.2, 30.0, 0),
            node("sport", -1.0, 0.5, 3.0, 0),
            node("geld", 0.5, -1.0, 1.0, 1),
            node("wonen", -0.4, -0.6, 30.0, 2),
        ];
        let links = vec![
            link(0, 1, 4.0),
            link(1, 2, 1.0),
            link(0, 3, 2.0),
            link(4, 1, 0.5),
            link(2, 2, 9.0),
            link(0, 9, 9.0),
            link(3, 4, 0.0),
        ];
        (nodes, links)
    }

    fn chart<'a>(nodes: &'a [MapNode], links: &'a [MapLink], lang_en: bool) -> MapChart<'a> {
        MapChart {
            title: "Onderwerpen die samen voorkomen",
            description: "Onderwerpen van de gepubliceerde initiatieven.",
            nodes,
            links,
            lang_en,
        }
    }

    #[test]
    fn a_map_is_xml_with_one_link_per_node_and_a_line_per_drawn_link() {
        let (nodes, links) = sample();
        let svg = map_svg(&chart(&nodes, &links, true)).into_string();
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("group"));
        assert_eq!(root.attribute("data-viewbox"), Some("0 0 800 600"));
        assert_eq!(all(&doc, "a", "node").len(), 5);
        assert_eq!(all(&doc, "circle", "").len(), 5);
        assert_eq!(all(&doc, "a", "link").len(), 4);
        assert_eq!(all(&doc, "line", "").len(), 4);
        assert_eq!(
            all(&doc, "desc", "")[0].text(),
            Some(
                "Onderwerpen van de gepubliceerde initiatieven. 5 nodes in 3 clusters, 4 links. \
                 Each node is a link; the order is by cluster, the largest first."
            )
        );
    }

    #[test]
    fn the_tab_order_is_by_cluster_then_by_weight() {
        let (nodes, links) = sample();
        let svg = map_svg(&chart(&nodes, &links, false)).into_string();
        let doc = parse(&svg);
        let order: Vec<&str> = all(&doc, "a", "node")
            .iter()
            .filter_map(|a| a.attribute("data-i"))
            .collect();
        assert_eq!(order, ["1", "2", "0", "3", "4"]);
        // Every node can be reached; the links between them cannot.
        assert!(
            all(&doc, "a", "node")
                .iter()
                .all(|a| a.attribute("tabindex").is_none())
        );
        assert!(all(&doc, "a", "link").iter().all(|a| {
            a.attribute("tabindex") == Some("-1") && a.attribute("aria-hidden") == Some("true")
        }));
    }

    #[test]
    fn each_node_is_named_by_its_label_cluster_and_initiatives() {
        let (nodes, links) = sample();
        let names = |en| {
            let svg = map_svg(&chart(&nodes, &links, en)).into_string();
            let doc = parse(&svg);
            all(&doc, "a", "node")
                .iter()
                .map(|a| {
                    let label = a.attribute("aria-label").unwrap_or("").to_owned();
                    assert_eq!(title_of(*a).as_deref(), Some(label.as_str()));
                    label
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(true),
            [
                "stress (cluster 1, 30 initiatives)",
                "sport (cluster 1, 3 initiatives)",
                "eenzaamheid (cluster 2, 12 initiatives)",
                "geld (cluster 2, 1 initiative)",
                "wonen (cluster 3, 30 initiatives)",
            ]
        );
        assert_eq!(names(false)[3], "geld (cluster 2, 1 initiatief)");
        assert_eq!(names(false)[0], "stress (cluster 1, 30 initiatieven)");
    }

    #[test]
    fn nodes_carry_their_index_and_their_neighbours_for_the_script() {
        let (nodes, links) = sample();
        let svg = map_svg(&chart(&nodes, &links, true)).into_string();
        let doc = parse(&svg);
        let mut found: Vec<(String, String)> = all(&doc, "a", "node")
            .iter()
            .map(|a| {
                (
                    a.attribute("data-i").unwrap_or("").to_owned(),
                    a.attribute("data-n").unwrap_or("?").to_owned(),
                )
            })
            .collect();
        found.sort();
        let expected = [
            ("0", "1 3"),
            ("1", "0 2 4"),
            ("2", "1"),
            ("3", "0"),
            ("4", "1"),
        ];
        assert_eq!(found, expected.map(|(i, n)| (i.to_owned(), n.to_owned())));
        // The links, weakest first so that the strongest lie on top.
        let drawn: Vec<(&str, &str, Option<&str>)> = all(&doc, "a", "link")
            .iter()
            .map(|a| {
                (
                    a.attribute("data-from").unwrap_or(""),
                    a.attribute("data-to").unwrap_or(""),
                    a.attribute("href"),
                )
            })
            .collect();
        assert_eq!(
            drawn,
            [
                ("4", "1", Some("/zoeken?a=4&b=1")),
                ("1", "2", Some("/zoeken?a=1&b=2")),
                ("0", "3", Some("/zoeken?a=0&b=3")),
                ("0", "1", Some("/zoeken?a=0&b=1")),
            ]
        );
        let widths: Vec<&str> = all(&doc, "line", "")
            .iter()
            .filter_map(|l| l.attribute("stroke-width"))
            .collect();
        assert_eq!(widths, ["1.02", "1.45", "2.3", "4"]);
    }

    #[test]
    fn circles_have_areas_in_proportion_to_weight_and_colours_by_cluster() {
        let nodes: Vec<MapNode> = (0..10)
            .map(|k| {
                node(
                    &format!("n{k}"),
                    f64::from(k),
                    0.0,
                    25.0 * f64::from(k + 1) / 10.0,
                    k,
                )
            })
            .collect();
        let svg = map_svg(&chart(&nodes, &[], true)).into_string();
        let doc = parse(&svg);
        let circles = all(&doc, "circle", "");
        let r = |i: usize| circles[i].attribute("r").unwrap_or("");
        let fill = |i: usize| circles[i].attribute("fill").unwrap_or("");
        // Weight 25 of 25 (the largest), 10 of 25 and 2.5 of 25.
        assert_eq!((r(9), r(3), r(0)), ("26", "16.4", "8.2"));
        let colours: Vec<&str> = (0..10).map(fill).collect();
        assert_eq!(
            colours,
            [
                "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
                "#000000", "#999999", "#999999"
            ]
        );
        // Laid out within the margins, one scale for both axes, centred.
        let xs: Vec<&str> = circles.iter().filter_map(|c| c.attribute("cx")).collect();
        assert_eq!((xs[0], xs[9]), ("40", "760"));
        assert!(circles.iter().all(|c| c.attribute("cy") == Some("300")));
    }

    #[test]
    fn only_the_strongest_links_are_drawn_when_there_are_many() {
        let nodes: Vec<MapNode> = (0..40)
            .map(|k| node(&format!("n{k}"), f64::from(k % 7), f64::from(k / 7), 1.0, 0))
            .collect();
        let links: Vec<MapLink> = (0..40)
            .flat_map(|a| (a + 1..40).map(move |b| link(a, b, f64::from((a * 40 + b) as u32))))
            .collect();
        assert_eq!(links.len(), 780);
        let svg = map_svg(&chart(&nodes, &links, false)).into_string();
        let doc = parse(&svg);
        assert_eq!(all(&doc, "line", "").len(), MAX_LINKS);
        let desc = all(&doc, "desc", "")[0].text().unwrap_or("").to_owned();
        assert!(
            desc.contains(
                " 40 knopen in 1 cluster, 780 verbindingen; alleen de 300 sterkste zijn getekend. "
            ),
            "{desc}"
        );
        // The weakest drawn is the 300th strongest of the strengths a·40 + b.
        let mut strengths: Vec<usize> = (0..40)
            .flat_map(|a| (a + 1..40).map(move |b| a * 40 + b))
            .collect();
        strengths.sort_unstable_by(|a, b| b.cmp(a));
        let cut = strengths[MAX_LINKS - 1];
        let first = all(&doc, "a", "link")[0];
        let (from, to) = (cut / 40, cut % 40);
        assert_eq!(
            (first.attribute("data-from"), first.attribute("data-to")),
            (
                Some(from.to_string().as_str()),
                Some(to.to_string().as_str())
            )
        );
    }

    #[test]
    fn a_map_of_a_thousand_nodes_draws_every_node_and_the_strongest_links() {
        let nodes: Vec<MapNode> = (0..1000u32)
            .map(|k| {
                let (x, y) = (f64::from(k % 40), f64::from(k / 40));
                node(
                    &format!("organisatie {k}"),
                    x,
                    y,
                    f64::from(k % 17 + 1),
                    k % 12,
                )
            })
            .collect();
        let links: Vec<MapLink> = (0..1000usize)
            .flat_map(|a| {
                (1..=20).map(move |d| link(a, (a + d * 37) % 1000, ((a * d) % 23 + 1) as f64))
            })
            .collect();
        let svg = map_svg(&chart(&nodes, &links, true)).into_string();
        let doc = parse(&svg);
        assert_eq!(all(&doc, "a", "node").len(), 1000);
        assert_eq!(all(&doc, "line", "").len(), MAX_LINKS);
        let desc = all(&doc, "desc", "")[0].text().unwrap_or("").to_owned();
        assert!(
            desc.contains(
                " 1000 nodes in 12 clusters, 20000 links; only the 300 strongest are drawn. "
            ),
            "{desc}"
        );
        let labels = all(&doc, "text", "").len();
        assert!(labels > 0 && labels < 1000, "{labels}");
    }

    #[test]
    fn the_smaller_of_two_overlapping_labels_gives_way() {
        let nodes = vec![
            node("groot", 0.0, 0.0, 20.0, 0),
            node("klein", 0.01, 0.0, 2.0, 0),
            node("ver weg", 1.0, 1.0, 1.0, 1),
        ];
        let svg = map_svg(&chart(&nodes, &[], true)).into_string();
        let doc = parse(&svg);
        let labels: Vec<(&str, &str)> = all(&doc, "text", "")
            .iter()
            .map(|t| {
                (
                    t.attribute("data-for").unwrap_or(""),
                    t.text().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(labels, [("0", "groot"), ("2", "ver weg")]);
    }

    #[test]
    fn hostile_labels_and_addresses_are_escaped() {
        let hostile = "<script>alert('x')</script> \"&\"";
        let mut nodes = vec![node("a", 0.0, 0.0, 2.0, 0), node("b", 1.0, 1.0, 1.0, 0)];
        nodes[0].label = hostile.to_owned();
        nodes[0].href = "/zoeken?q=\"><script>".to_owned();
        let links = [link(0, 1, 1.0)];
        let svg = map_svg(&chart(&nodes, &links, true)).into_string();
        assert!(!svg.contains("<script>"), "{svg}");
        let doc = parse(&svg);
        let a = all(&doc, "a", "node")[0];
        assert_eq!(a.attribute("href"), Some("/zoeken?q=\"><script>"));
        assert_eq!(
            a.attribute("aria-label"),
            Some("<script>alert('x')</script> \"&\" (cluster 1, 2 initiatives)")
        );
        let label = all(&doc, "text", "")[0].text();
        assert_eq!(label, Some("<script>alert('x')</script>…"));
        assert_eq!(
            title_of(all(&doc, "a", "link")[0]).as_deref(),
            Some("<script>alert('x')</script> \"&\" — b")
        );
    }

    #[test]
    fn the_same_map_gives_the_same_bytes() {
        let (nodes, links) = sample();
        let a = map_svg(&chart(&nodes, &links, true)).into_string();
        let b = map_svg(&chart(&nodes.clone(), &links.clone(), true)).into_string();
        assert_eq!(a, b);
    }

    #[test]
    fn a_map_downloads_as_an_svg_document() {
        let (nodes, links) = sample();
        let doc = super::super::standalone(map_svg(&chart(&nodes, &links, true)));
        let parsed = parse(&doc);
        assert_eq!(
            parsed.root_element().tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert_eq!(all(&parsed, "a", "node").len(), 5);
        assert_eq!(all(&parsed, "style", "").len(), 1);
    }

    #[test]
    fn a_map_without_nodes_says_so() {
        let svg = map_svg(&chart(&[], &[link(0, 1, 1.0)], false)).into_string();
        let doc = parse(&svg);
        assert_eq!(doc.root_element().attribute("role"), Some("img"));
        assert_eq!(all(&doc, "a", "").len(), 0);
        assert_eq!(
            all(&doc, "text", "")[0].text(),
            Some("Geen knopen om te tonen.")
        );
    }

    #[test]
    fn one_node_or_positions_that_are_not_numbers_land_in_the_middle() {
        let nodes = [node("alleen", 5.0, f64::NAN, f64::NAN, 0)];
        let svg = map_svg(&chart(&nodes, &[], true)).into_string();
        let doc = parse(&svg);
        let c = all(&doc, "circle", "")[0];
        assert_eq!(
            (c.attribute("cx"), c.attribute("cy"), c.attribute("r")),
            (Some("400"), Some("300"), Some("3.5"))
        );
    }
}
