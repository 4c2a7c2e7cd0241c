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
