//! Draws sample charts to look at: a trend chart (Dutch, counts), one in English with
//! percentages and a linked series, a map of 60 topics in 9 clusters with more links than
//! a map draws, and the empty figures; each as a standalone SVG file, and all of them on
//! one HTML page that loads the site's style sheet and map script from the source tree.
//!
//! `cargo run -p kb-web --example chart_samples [-- DIR]` (default `/tmp/charts-sample`).

use std::path::PathBuf;

use kb_web::charts::{
    MapChart, MapLink, MapNode, Series, TrendChart, map_svg, standalone, trend_svg,
};
use maud::{DOCTYPE, Markup, html};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/charts-sample".to_owned()),
    );
    std::fs::create_dir_all(&dir)?;
    let series = counts();
    let shares = shares();
    let (nodes, links) = topics();
    let charts: Vec<(&str, Markup)> = vec![
        (
            "trend",
            trend_svg(&TrendChart {
                title: "Nieuwe initiatieven per jaar",
                description: "Het aantal initiatieven dat per jaar begon, per thema.",
                y_label: "initiatieven",
                percent: false,
                series: &series,
                lang_en: false,
            }),
        ),
        (
            "trend-percent-en",
            trend_svg(&TrendChart {
                title: "Share of initiatives about loneliness",
                description: "The share of the year's initiatives with the topic loneliness.",
                y_label: "share of initiatives",
                percent: true,
                series: &shares,
                lang_en: true,
            }),
        ),
        (
            "trend-empty",
            trend_svg(&TrendChart {
                title: "Nieuwe initiatieven per jaar",
                description: "Nog geen initiatieven.",
                y_label: "initiatieven",
                percent: false,
                series: &[],
                lang_en: false,
            }),
        ),
        (
            "map",
            map_svg(&MapChart {
                title: "Onderwerpen die samen voorkomen",
                description: "Onderwerpen van de gepubliceerde initiatieven, geclusterd.",
                nodes: &nodes,
                links: &links,
                lang_en: false,
            }),
        ),
        (
            "map-empty",
            map_svg(&MapChart {
                title: "Organisations working together",
                description: "No collaborations yet.",
                nodes: &[],
                links: &[],
                lang_en: true,
            }),
        ),
    ];
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
    let page = html! {
        (DOCTYPE)
        html lang="nl" {
            head {
                meta charset="utf-8";
                title { "Voorbeelden van grafieken" }
                link rel="stylesheet" href=(format!("file://{}/site.css", assets.display()));
            }
            body { main {
                @for (name, svg) in &charts { h2 { (name) } (svg) }
                script src=(format!("file://{}/map.js", assets.display())) defer {}
            } }
        }
    };
    for (name, svg) in charts {
        std::fs::write(dir.join(format!("{name}.svg")), standalone(svg))?;
    }
    std::fs::write(dir.join("page.html"), page.into_string())?;
    println!("{}", dir.display());
    Ok(())
}

/// Six themes, one more series than a chart draws.
fn counts() -> Vec<Series> {
    let themes = [
        "Mentaal welzijn",
        "Studiesucces",
        "Inclusie & diversiteit",
        "Sociale verbinding",
        "Financiën",
        "Leefstijl en beweging van studenten in het hoger onderwijs",
        "Huisvesting",
    ];
    themes
        .iter()
        .enumerate()
        .map(|(i, label)| Series {
            label: (*label).to_owned(),
            href: None,
            points: (2016..=2025)
                .map(|year| {
                    let t = f64::from(year - 2016);
                    let v = 2.0
                        + i as f64 * 1.5
                        + t * (1.8 - i as f64 * 0.25)
                        + ((year + i as i32) % 3) as f64;
                    (year, v.max(0.0).round())
                })
                .collect(),
        })
        .collect()
}

fn shares() -> Vec<Series> {
    vec![
        Series {
            label: "Loneliness".to_owned(),
            href: Some("/zoeken?onderwerp=eenzaamheid".to_owned()),
            points: vec![
                (2019, 8.5),
                (2020, 21.25),
                (2021, 18.0),
                (2022, 12.4),
                (2023, 11.0),
            ],
        },
        Series {
            label: "Stress".to_owned(),
            href: None,
            points: vec![(2019, 14.0), (2020, 16.0), (2021, 17.5), (2023, 15.0)],
        },
    ]
}

/// Sixty topics in nine clusters around their centres, and every pair within a cluster
/// or between neighbouring clusters linked (more than a map draws).
fn topics() -> (Vec<MapNode>, Vec<MapLink>) {
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    };
    let words = [
        "eenzaamheid",
        "stress",
        "prestatiedruk",
        "slaap",
        "sport",
        "voeding",
        "geldzorgen",
        "studieschuld",
        "wonen",
        "kamernood",
        "buddy",
        "mentor",
        "peer support",
        "inclusie",
        "internationale studenten",
        "eerstejaars",
        "uitval",
        "studiekeuze",
        "angst",
        "somberheid",
    ];
    let nodes: Vec<MapNode> = (0..60)
        .map(|i| {
            let cluster = (i % 9) as u32;
            let angle = f64::from(cluster) * 0.7;
            let (cx, cy) = (
                angle.cos() * 3.0 * (1.0 + f64::from(cluster % 3)),
                angle.sin() * 2.0 * (1.0 + f64::from(cluster % 2)),
            );
            let label = format!("{} {}", words[i % words.len()], i / words.len() + 1);
            MapNode {
                id: format!("T{i}"),
                href: format!("/onderwerpen/t{i}"),
                label,
                x: cx + next() * 2.0 - 1.0,
                y: cy + next() * 2.0 - 1.0,
                weight: (1.0 + next() * 40.0).round(),
                cluster,
            }
        })
        .collect();
    let mut links = Vec::new();
    for a in 0..60usize {
        for b in a + 1..60 {
            let (ca, cb) = (nodes[a].cluster, nodes[b].cluster);
            if ca == cb || ca.abs_diff(cb) == 1 {
                let strength = (next() * 10.0).round() + if ca == cb { 5.0 } else { 0.0 };
                links.push(MapLink {
                    from: a,
                    to: b,
                    strength,
                    href: format!("/zoeken?onderwerp=t{a}&onderwerp=t{b}"),
                });
            }
        }
    }
    (nodes, links)
}
