//! The trend chart: values per year as lines, up to [`MAX_SERIES`] of them, on axes with
//! nice ticks and gridlines, with a legend. Each series has its own colour, marker shape
//! and dash pattern, so it can be told apart in grey print and by people who do not see
//! its colour; each point carries its value in a `<title>` ("2023: 14"), which browsers
//! show on hover.
//!
//! Accessibility: the whole chart is one image (`role="img"`) named by its `<title>` and
//! described by its `<desc>`, which sums each series up in words. When series link to a
//! search (`href`), links inside an image would be hidden from screen readers, so the
//! chart is then a group: the plot is hidden from them and the legend's links carry the
//! same summary as their names.

use maud::{Markup, html};

use super::scale::{coord, ticks, value, year_step};
use super::{FONT, INK, MUTED, SVG_NS, chart_id, empty, raw, t};

/// How many series one chart draws; those after the sixth are left out, and the chart's
/// description says how many were. Six is as many as the marker shapes and dash patterns
/// keep apart at a glance.
pub const MAX_SERIES: usize = 6;

/// One line: a label for the legend, where it links to, and its values per year.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub href: Option<String>,
    /// (year, value); in any order, values that are not finite are left out.
    pub points: Vec<(i32, f64)>,
}

/// What a trend chart shows.
#[derive(Debug, Clone, Copy)]
pub struct TrendChart<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The quantity on the vertical axis ("initiatives", "share of initiatives").
    pub y_label: &'a str,
    /// Whether the values are percentages (14 is 14%): they are printed with `%`.
    pub percent: bool,
    pub series: &'a [Series],
    pub lang_en: bool,
}

/// The colours of the series in order: Okabe–Ito without its yellow and sky blue, which
/// are too light for a thin line on white.
const COLOURS: [&str; MAX_SERIES] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00",
];

/// The dash pattern of each series (`None`: solid).
const DASHES: [Option<&str>; MAX_SERIES] = [
    None,
    Some("9 4"),
    Some("2 3"),
    Some("10 3 2 3"),
    Some("5 5"),
    Some("14 4 2 4 2 4"),
];

const WIDTH: f64 = 720.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = WIDTH - 28.0;
const TOP: f64 = 52.0;
const BOTTOM: f64 = 300.0;
/// Where the legend's first row sits, and the height of each row of two entries.
const LEGEND_TOP: f64 = 350.0;
const LEGEND_ROW: f64 = 26.0;
/// The longest label the legend prints in full; longer ones are cut with "…".
const LEGEND_CHARS: usize = 40;

/// A line chart of the series: see the module's documentation.
pub fn trend_svg(chart: &TrendChart) -> Markup {
    let en = chart.lang_en;
    let id = chart_id("trend", chart.title, chart.description);
    let drawn: Vec<Line> = chart.series.iter().take(MAX_SERIES).map(Line::of).collect();
    let all_points = drawn.iter().flat_map(|l| l.points.iter());
    let (mut y0, mut y1, mut x0, mut x1) = (0.0f64, f64::NEG_INFINITY, i32::MAX, i32::MIN);
    for &(year, v) in all_points {
        (y0, y1) = (y0.min(v), y1.max(v));
        (x0, x1) = (x0.min(year), x1.max(year));
    }
    if x0 > x1 {
        let text = t(en, "Geen gegevens om te tonen.", "No data to show.");
        return empty(&id, chart.title, chart.description, WIDTH, 240.0, text);
    }
    let y_axis = ticks(y0, y1, 5);
    let (lo, hi) = if x0 == x1 { (x0 - 1, x1 + 1) } else { (x0, x1) };
    let x = |year: i32| LEFT + f64::from(year - lo) / f64::from(hi - lo) * (RIGHT - LEFT);
    let (ylo, yhi) = (y_axis.lo(), y_axis.hi());
    let y = |v: f64| BOTTOM - (v - ylo) / (yhi - ylo) * (BOTTOM - TOP);
    let shown = |v: f64| {
        let number = value(v, 2, en);
        if chart.percent {
            format!("{number}%")
        } else {
            number
        }
    };
    let tick_text = |v: f64| {
        let number = value(v, y_axis.decimals, en);
        if chart.percent {
            format!("{number}%")
        } else {
            number
        }
    };
    let step = year_step(hi - lo);
    let years: Vec<i32> = (lo..=hi)
        .filter(|year| year.rem_euclid(step) == 0)
        .collect();
    let summaries: Vec<String> = drawn.iter().map(|l| l.summary(&shown, en)).collect();
    let left_out = chart.series.len().saturating_sub(MAX_SERIES);
    let linked = drawn.iter().any(|l| l.series.href.is_some());
    let rows = drawn.len().div_ceil(2) as f64;
    let height = LEGEND_TOP + rows * LEGEND_ROW + 4.0;
    html! {
        svg xmlns=(SVG_NS) class="chart trend" viewBox=(format!("0 0 {WIDTH} {}", coord(height)))
            role=(if linked { "group" } else { "img" })
            aria-labelledby=(format!("{id}-title {id}-desc")) font-family=(FONT) {
            title id=(format!("{id}-title")) { (chart.title) }
            desc id=(format!("{id}-desc")) {
                (chart.description)
                @for s in &summaries { " " (s) }
                @if left_out > 0 {
                    " " (left_out) " "
                    (if left_out == 1 { t(en, "reeks is weggelaten", "series was left out") } else { t(en, "reeksen zijn weggelaten", "series were left out") })
                    (t(en, ": een grafiek toont er ten hoogste 6.", ": a chart shows at most 6."))
                }
            }
            g aria-hidden=[linked.then_some("true")] {
                text x=(LEFT) y="24" font-size="17" font-weight="700" fill=(INK) { (chart.title) }
                g.grid {
                    @for v in &y_axis.values {
                        line x1=(LEFT) x2=(RIGHT) y1=(coord(y(*v))) y2=(coord(y(*v))) stroke="#cfd8dc" stroke-width="1" {}
                        text x=(LEFT - 8.0) y=(coord(y(*v) + 4.0)) text-anchor="end" font-size="12" fill=(MUTED) { (tick_text(*v)) }
                    }
                }
                g.axis {
                    line x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(BOTTOM) stroke=(INK) {}
                    line x1=(LEFT) x2=(RIGHT) y1=(coord(y(ylo))) y2=(coord(y(ylo))) stroke=(INK) {}
                    @for year in &years {
                        line x1=(coord(x(*year))) x2=(coord(x(*year))) y1=(BOTTOM) y2=(BOTTOM + 5.0) stroke=(INK) {}
                        text x=(coord(x(*year))) y=(BOTTOM + 20.0) text-anchor="middle" font-size="12" fill=(MUTED) { (year) }
                    }
                    text transform=(format!("translate(18 {}) rotate(-90)", coord((TOP + BOTTOM) / 2.0)))
                        text-anchor="middle" font-size="13" fill=(INK) { (chart.y_label) }
                }
                @for (i, line) in drawn.iter().enumerate() {
                    g.series data-series=(i) {
                        @if line.points.len() > 1 {
                            path d=(raw(line.path(&x, &y))) fill="none" stroke=(COLOURS[i]) stroke-width="2.5"
                                stroke-linejoin="round" stroke-dasharray=[DASHES[i]] {}
                        }
                        @for (year, v) in &line.points {
                            (marker(i, x(*year), y(*v), "point", html! { title { (year) ": " (shown(*v)) } }))
                        }
                    }
                }
            }
            g.legend {
                @for (i, line) in drawn.iter().enumerate() {
                    @let lx = if i % 2 == 0 { LEFT } else { LEFT + (RIGHT - LEFT) / 2.0 };
                    @let ly = LEGEND_TOP + (i / 2) as f64 * LEGEND_ROW;
                    @let entry = html! {
                        line x1=(coord(lx)) x2=(coord(lx + 36.0)) y1=(coord(ly)) y2=(coord(ly)) stroke=(COLOURS[i])
                            stroke-width="2.5" stroke-dasharray=[DASHES[i]] {}
                        (marker(i, lx + 18.0, ly, "swatch", html! {}))
                        text x=(coord(lx + 44.0)) y=(coord(ly + 4.5)) font-size="13" fill=(INK) { (cut(&line.series.label)) }
                    };
                    @if let Some(href) = &line.series.href {
                        a.legend-entry href=(href) aria-label=(summaries[i]) { (entry) }
                    } @else {
                        g.legend-entry { (entry) }
                    }
                }
            }
        }
    }
}

/// A series ready to draw: its finite points in order of year.
struct Line<'a> {
    series: &'a Series,
    points: Vec<(i32, f64)>,
}

impl<'a> Line<'a> {
    fn of(series: &'a Series) -> Self {
        let mut points: Vec<(i32, f64)> = series
            .points
            .iter()
            .copied()
            .filter(|(_, v)| v.is_finite())
            .collect();
        points.sort_by_key(|(year, _)| *year);
        Line { series, points }
    }

    fn path(&self, x: &impl Fn(i32) -> f64, y: &impl Fn(f64) -> f64) -> String {
        let mut d = String::new();
        for (k, (year, v)) in self.points.iter().enumerate() {
            d.push_str(if k == 0 { "M" } else { " L" });
            d.push_str(&format!("{} {}", coord(x(*year)), coord(y(*v))));
        }
        d
    }

    /// The series in words: "Label: 2019 12, 2023 14."
    fn summary(&self, shown: &impl Fn(f64) -> String, en: bool) -> String {
        let label = &self.series.label;
        match (self.points.first(), self.points.last()) {
            (Some((y0, v0)), Some((y1, v1))) if y0 != y1 => {
                format!("{label}: {y0} {}, {y1} {}.", shown(*v0), shown(*v1))
            }
            (Some((y0, v0)), _) => format!("{label}: {y0} {}.", shown(*v0)),
            _ => format!("{label}: {}.", t(en, "geen gegevens", "no data")),
        }
    }
}

/// The marker of series `i` at (`cx`, `cy`) with `class` ("point" on the plot, "swatch"
/// in the legend): a circle, square, triangle, diamond, downward triangle or cross,
/// white-edged so that it stands out on the lines.
fn marker(i: usize, cx: f64, cy: f64, class: &str, title: Markup) -> Markup {
    let colour = COLOURS[i % MAX_SERIES];
    let (x, y) = (cx, cy);
    let p = |points: &[(f64, f64)]| {
        let mut d = String::new();
        for (k, (dx, dy)) in points.iter().enumerate() {
            d.push_str(if k == 0 { "M" } else { " L" });
            d.push_str(&format!("{} {}", coord(x + dx), coord(y + dy)));
        }
        d.push_str(" Z");
        d
    };
    let d = match i % MAX_SERIES {
        0 => {
            return html! {
                circle class=(class) cx=(coord(x)) cy=(coord(y)) r="4.5" fill=(colour) stroke="#fff" stroke-width="1.5" { (title) }
            };
        }
        1 => p(&[(-4.0, -4.0), (4.0, -4.0), (4.0, 4.0), (-4.0, 4.0)]),
        2 => p(&[(0.0, -5.5), (5.0, 4.0), (-5.0, 4.0)]),
        3 => p(&[(0.0, -5.5), (5.5, 0.0), (0.0, 5.5), (-5.5, 0.0)]),
        4 => p(&[(0.0, 5.5), (5.0, -4.0), (-5.0, -4.0)]),
        _ => p(&[
            (-1.8, -5.0),
            (1.8, -5.0),
            (1.8, -1.8),
            (5.0, -1.8),
            (5.0, 1.8),
            (1.8, 1.8),
            (1.8, 5.0),
            (-1.8, 5.0),
            (-1.8, 1.8),
            (-5.0, 1.8),
            (-5.0, -1.8),
            (-1.8, -1.8),
        ]),
    };
    html! {
        path class=(class) d=(raw(d)) fill=(colour) stroke="#fff" stroke-width="1.5" { (title) }
    }
}

/// A legend label cut to [`LEGEND_CHARS`] characters.
fn cut(label: &str) -> String {
    if label.chars().count() > LEGEND_CHARS {
        let kept: String = label.chars().take(LEGEND_CHARS - 1).collect();
        format!("{}…", kept.trim_end())
    } else {
        label.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all, parse, title_of};
    use super::*;

    fn series(label: &str, points: &[(i32, f64)]) -> Series {
        Series {
            label: label.to_owned(),
            href: None,
            points: points.to_vec(),
        }
    }

    fn chart<'a>(series: &'a [Series], lang_en: bool) -> TrendChart<'a> {
        TrendChart {
            title: "Initiatieven per jaar",
            description: "Nieuwe initiatieven per thema.",
            y_label: "initiatieven",
            percent: false,
            series,
            lang_en,
        }
    }

    fn three() -> Vec<Series> {
        vec![
            series("Welzijn", &[(2021, 4.0), (2022, 9.0), (2023, 14.0)]),
            series("Studiesucces", &[(2023, 3.0), (2021, 1.0), (2022, 2.0)]),
            series("Inclusie", &[(2022, 6.0)]),
        ]
    }

    #[test]
    fn a_trend_chart_is_xml_with_one_legend_entry_per_series_and_a_title_per_point() {
        let data = three();
        let svg = trend_svg(&chart(&data, true)).into_string();
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let id = root.attribute("aria-labelledby").expect("labelled");
        assert_eq!(id, "trend-178d5c0d-title trend-178d5c0d-desc");
        assert_eq!(all(&doc, "g", "legend-entry").len(), 3);
        let points = all(&doc, "circle", "point").len() + all(&doc, "path", "point").len();
        assert_eq!(points, 7);
        // A line for each series of more than one point.
        let lines = all(&doc, "path", "")
            .into_iter()
            .filter(|p| p.attribute("fill") == Some("none"))
            .count();
        assert_eq!(lines, 2);
    }

    #[test]
    fn each_point_says_its_year_and_value_in_the_language_of_the_page() {
        let data = three();
        let titles = |en| {
            let svg = trend_svg(&chart(&data, en)).into_string();
            let doc = parse(&svg);
            let mut found: Vec<String> = all(&doc, "g", "series")
                .into_iter()
                .flat_map(|g| g.children().filter_map(title_of).collect::<Vec<_>>())
                .collect();
            found.sort();
            found
        };
        assert_eq!(
            titles(true),
            [
                "2021: 1", "2021: 4", "2022: 2", "2022: 6", "2022: 9", "2023: 14", "2023: 3"
            ]
        );
        let shares = [series("Aandeel", &[(2022, 12.5), (2023, 14.25)])];
        let mut percent = chart(&shares, false);
        percent.percent = true;
        let svg = trend_svg(&percent).into_string();
        let doc = parse(&svg);
        let found: Vec<String> = all(&doc, "circle", "point")
            .into_iter()
            .filter_map(title_of)
            .collect();
        assert_eq!(found, ["2022: 12,5%", "2023: 14,25%"]);
    }

    #[test]
    fn the_axes_have_nice_ticks_and_a_label_for_every_year() {
        let data = three();
        let svg = trend_svg(&chart(&data, true)).into_string();
        let doc = parse(&svg);
        let texts = |class| -> Vec<String> {
            all(&doc, "g", class)
                .into_iter()
                .flat_map(|g| {
                    g.children()
                        .filter_map(|c| c.text().map(str::to_owned))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        assert_eq!(texts("grid"), ["0", "5", "10", "15"]);
        assert_eq!(texts("axis"), ["2021", "2022", "2023", "initiatieven"]);
    }

    #[test]
    fn the_series_differ_in_marker_and_dash_not_only_in_colour() {
        let data: Vec<Series> = (0..6)
            .map(|i| series(&format!("s{i}"), &[(2020, f64::from(i)), (2021, 1.0)]))
            .collect();
        let svg = trend_svg(&chart(&data, true)).into_string();
        let doc = parse(&svg);
        let groups = all(&doc, "g", "series");
        assert_eq!(groups.len(), 6);
        let mut shapes = Vec::new();
        let mut dashes = Vec::new();
        let mut colours = Vec::new();
        for g in &groups {
            let line = g
                .children()
                .find(|c| c.tag_name().name() == "path" && c.attribute("fill") == Some("none"))
                .expect("a line");
            dashes.push(
                line.attribute("stroke-dasharray")
                    .unwrap_or("solid")
                    .to_owned(),
            );
            colours.push(line.attribute("stroke").unwrap_or("").to_owned());
            let marker = g
                .children()
                .find(|c| c.attribute("class") == Some("point"))
                .expect("a marker");
            // The shape relative to its point: the path with the point's own offset taken out.
            shapes.push(match marker.tag_name().name() {
                "circle" => "circle".to_owned(),
                _ => marker
                    .attribute("d")
                    .unwrap_or("")
                    .split(' ')
                    .filter(|w| w.starts_with('L'))
                    .count()
                    .to_string(),
            });
        }
        for list in [&dashes, &colours] {
            let mut unique = list.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 6, "{list:?}");
        }
        // Circle, square (3 more corners), triangle (2), diamond (3), triangle (2), cross (11):
        // the two triangles point up and down.
        assert_eq!(shapes, ["circle", "3", "2", "3", "2", "11"]);
        let ds: Vec<&str> = groups
            .iter()
            .filter_map(|g| {
                g.children()
                    .find(|c| c.attribute("class") == Some("point"))
                    .and_then(|m| m.attribute("d"))
            })
            .collect();
        let mut unique = ds.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 5);
    }

    #[test]
    fn a_seventh_series_is_left_out_and_the_description_says_so() {
        let data: Vec<Series> = (0..7)
            .map(|i| series(&format!("reeks {i}"), &[(2020, 1.0), (2021, 2.0)]))
            .collect();
        let svg = trend_svg(&chart(&data, false)).into_string();
        let doc = parse(&svg);
        assert_eq!(all(&doc, "g", "series").len(), 6);
        assert_eq!(all(&doc, "g", "legend-entry").len(), 6);
        let desc = all(&doc, "desc", "")[0].text().unwrap_or("").to_owned();
        assert!(
            desc.ends_with(" 1 reeks is weggelaten: een grafiek toont er ten hoogste 6."),
            "{desc}"
        );
        assert!(!svg.contains("reeks 6"), "{svg}");
    }

    #[test]
    fn the_description_sums_each_series_up() {
        let data = three();
        let svg = trend_svg(&chart(&data, true)).into_string();
        let doc = parse(&svg);
        assert_eq!(
            all(&doc, "desc", "")[0].text(),
            Some(
                "Nieuwe initiatieven per thema. Welzijn: 2021 4, 2023 14. Studiesucces: 2021 1, 2023 3. Inclusie: 2022 6."
            )
        );
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let hostile = "<script>alert(\"x\")</script> & 'quotes'";
        let data = [Series {
            label: hostile.to_owned(),
            href: Some("/zoeken?thema=a&jaar=\"2023\"".to_owned()),
            points: vec![(2023, 1.0)],
        }];
        let t = TrendChart {
            title: hostile,
            description: hostile,
            y_label: hostile,
            percent: false,
            series: &data,
            lang_en: true,
        };
        let svg = trend_svg(&t).into_string();
        assert!(!svg.contains("<script>"), "{svg}");
        let doc = parse(&svg);
        assert_eq!(all(&doc, "title", "")[0].text(), Some(hostile));
        let link = all(&doc, "a", "legend-entry");
        assert_eq!(link.len(), 1);
        assert_eq!(
            link[0].attribute("href"),
            Some("/zoeken?thema=a&jaar=\"2023\"")
        );
        let legend_text = link[0]
            .children()
            .find(|c| c.tag_name().name() == "text")
            .and_then(|c| c.text());
        assert_eq!(legend_text, Some(hostile));
    }

    #[test]
    fn series_with_links_make_the_chart_a_group_with_the_plot_hidden_from_screen_readers() {
        let mut data = three();
        data[0].href = Some("/zoeken?thema=welzijn".to_owned());
        let svg = trend_svg(&chart(&data, true)).into_string();
        let doc = parse(&svg);
        assert_eq!(doc.root_element().attribute("role"), Some("group"));
        let links = all(&doc, "a", "legend-entry");
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].attribute("aria-label"),
            Some("Welzijn: 2021 4, 2023 14.")
        );
        assert_eq!(all(&doc, "g", "legend-entry").len(), 2);
        let hidden = all(&doc, "g", "")
            .into_iter()
            .filter(|g| g.attribute("aria-hidden") == Some("true"))
            .count();
        assert_eq!(hidden, 1);
    }

    #[test]
    fn the_same_series_give_the_same_bytes() {
        let data = three();
        let a = trend_svg(&chart(&data, false)).into_string();
        let b = trend_svg(&chart(&data.clone(), false)).into_string();
        assert_eq!(a, b);
    }

    #[test]
    fn without_data_the_chart_says_there_is_none() {
        for data in [
            vec![],
            vec![series("Leeg", &[]), series("NaN", &[(2020, f64::NAN)])],
        ] {
            let svg = trend_svg(&chart(&data, false)).into_string();
            let doc = parse(&svg);
            let root = doc.root_element();
            assert_eq!(root.attribute("class"), Some("chart chart-empty"));
            assert_eq!(root.attribute("role"), Some("img"));
            assert_eq!(
                all(&doc, "text", "")[0].text(),
                Some("Geen gegevens om te tonen.")
            );
            assert_eq!(
                all(&doc, "desc", "")[0].text(),
                Some("Nieuwe initiatieven per thema. Geen gegevens om te tonen.")
            );
        }
    }

    #[test]
    fn one_year_sits_in_the_middle_of_the_axis() {
        let data = [series("Eén", &[(2024, 5.0)])];
        let svg = trend_svg(&chart(&data, true)).into_string();
        let doc = parse(&svg);
        let point = all(&doc, "circle", "point")[0];
        assert_eq!(point.attribute("cx"), Some("382"));
        assert_eq!(
            all(&doc, "path", "")
                .iter()
                .filter(|p| p.attribute("fill") == Some("none"))
                .count(),
            0
        );
    }
}
