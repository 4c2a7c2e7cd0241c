//! The workbench's downloads: CSV (RFC 4180: comma-separated, CRLF line ends, a field
//! quoted when it holds a comma, quote or line break, quotes doubled), SVG documents, and
//! VOSviewer's map and network files (tab-separated; a map file has a header line, a
//! network file none), each sent as an attachment with its file name.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

/// A CSV document being written.
pub(super) struct Csv(String);

/// `field` as a CSV field: quoted when it must be.
fn field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_owned()
    }
}

impl Csv {
    /// A document with its header line.
    pub(super) fn new(header: &[&str]) -> Self {
        let mut csv = Csv(String::new());
        csv.record(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
        csv
    }

    pub(super) fn record(&mut self, fields: &[String]) {
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        self.0.push_str(&line.join(","));
        self.0.push_str("\r\n");
    }

    pub(super) fn finish(self) -> String {
        self.0
    }
}

fn attachment(media: &'static str, name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", name.replace(['"', '\\'], ""));
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

pub(super) fn csv_response(name: &str, body: String) -> Response {
    attachment("text/csv; charset=utf-8", name, body)
}

pub(super) fn svg_response(name: &str, body: String) -> Response {
    attachment("image/svg+xml; charset=utf-8", name, body)
}

pub(super) fn text_response(name: &str, body: String) -> Response {
    attachment("text/plain; charset=utf-8", name, body)
}

/// A standalone SVG document of `svg`.
pub(super) fn document(svg: Markup) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        svg.into_string()
    )
}

/// The fill of a cell class of the table (as the site's style sheet colours them).
fn fill(class: Option<&str>) -> (&'static str, &'static str) {
    match class {
        Some("s1") => ("#e8d9ef", "#1d2428"),
        Some("s2") => ("#c9a6db", "#1d2428"),
        Some("s3") => ("#7d3c98", "#ffffff"),
        Some("s4") => ("#4a1a5e", "#ffffff"),
        _ => ("#ffffff", "#4a555c"),
    }
}

/// A table as an SVG document: row labels at the left, column labels turned above,
/// each cell its count on the fill of its class (`None`: neutral).
pub(super) fn grid_svg(
    title: &str,
    rows: &[&str],
    columns: &[&str],
    cells: &[Vec<(i64, Option<&'static str>)>],
) -> String {
    const CELL: f64 = 44.0;
    const LEFT: f64 = 260.0;
    const TOP: f64 = 190.0;
    let width = LEFT + CELL * columns.len() as f64 + 20.0;
    let height = TOP + CELL * rows.len() as f64 + 20.0;
    let short = |s: &str| {
        if s.chars().count() > 34 {
            format!("{}…", s.chars().take(33).collect::<String>())
        } else {
            s.to_owned()
        }
    };
    document(html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}")) width=(width) height=(height)
            font-family="DejaVu Sans, Arial, sans-serif" font-size="12" role="img" aria-labelledby="t" {
            title id="t" { (title) }
            rect width=(width) height=(height) fill="#ffffff" {}
            text x="10" y="24" font-size="16" font-weight="bold" fill="#1d2428" { (title) }
            @for (j, c) in columns.iter().enumerate() {
                @let x = LEFT + CELL * j as f64 + CELL / 2.0;
                text transform=(format!("translate({x:.1} {:.1}) rotate(-60)", TOP - 6.0)) fill="#1d2428" { (short(c)) }
            }
            @for (i, r) in rows.iter().enumerate() {
                @let y = TOP + CELL * i as f64;
                text x=(LEFT - 8.0) y=(format!("{:.1}", y + CELL / 2.0 + 4.0)) text-anchor="end" fill="#1d2428" { (short(r)) }
                @for (j, (count, class)) in cells.get(i).map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
                    @let x = LEFT + CELL * j as f64;
                    @let (bg, fg) = fill(*class);
                    rect x=(x) y=(y) width=(CELL) height=(CELL) fill=(bg) stroke="#c7cfd4" {}
                    text x=(format!("{:.1}", x + CELL / 2.0)) y=(format!("{:.1}", y + CELL / 2.0 + 4.0)) text-anchor="middle" fill=(fg) { (count) }
                }
            }
        }
    })
}

/// One item of a VOSviewer map file.
pub(super) struct VosItem {
    pub id: usize,
    pub label: String,
    pub url: String,
    pub x: f64,
    pub y: f64,
    /// 0-based; VOSviewer numbers clusters from 1.
    pub cluster: u32,
    pub links: u32,
    pub total_link_strength: u64,
    pub weight: u64,
}

/// A VOSviewer field: without tabs or line breaks, quoted when it holds a comma,
/// semicolon or quote (quotes doubled).
fn vos_field(s: &str) -> String {
    let s = s.replace(['\t', '\n', '\r'], " ");
    if s.contains([',', ';', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A VOSviewer map file: `id label url x y cluster weight<Links> weight<Total link
/// strength> weight<Initiatives>`, tab-separated, y pointing up as VOSviewer draws it.
pub(super) fn vosviewer_map_file(items: &[VosItem]) -> String {
    let mut out = String::from(
        "id\tlabel\turl\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>\tweight<Initiatives>\n",
    );
    for i in items {
        out.push_str(&format!(
            "{}\t{}\t{}\t{:.4}\t{:.4}\t{}\t{}\t{}\t{}\n",
            i.id,
            vos_field(&i.label),
            vos_field(&i.url),
            i.x,
            i.y,
            i.cluster + 1,
            i.links,
            i.total_link_strength,
            i.weight
        ));
    }
    out
}

/// A VOSviewer network file: one link a line, `id id strength`, tab-separated.
pub(super) fn vosviewer_network_file(links: &[(usize, usize, u64)]) -> String {
    links
        .iter()
        .map(|(a, b, s)| format!("{a}\t{b}\t{s}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_must_be_quoted() {
        let mut csv = Csv::new(&["a", "b"]);
        csv.record(&["x,y".into(), "say \"hi\"\nthere".into()]);
        assert_eq!(csv.finish(), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\nthere\"\r\n");
    }

    #[test]
    fn vosviewer_files_have_their_columns_and_number_clusters_from_one() {
        let map = vosviewer_map_file(&[VosItem {
            id: 1,
            label: "Stress, druk\t".into(),
            url: "https://x/onderwerpen/s".into(),
            x: 0.5,
            y: -1.25,
            cluster: 0,
            links: 2,
            total_link_strength: 7,
            weight: 12,
        }]);
        assert_eq!(
            map,
            "id\tlabel\turl\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>\tweight<Initiatives>\n\
             1\t\"Stress, druk \"\thttps://x/onderwerpen/s\t0.5000\t-1.2500\t1\t2\t7\t12\n"
        );
        assert_eq!(
            vosviewer_network_file(&[(1, 2, 3), (2, 3, 1)]),
            "1\t2\t3\n2\t3\t1\n"
        );
    }

    #[test]
    fn the_grid_is_a_standalone_svg_with_every_cell() {
        let svg = grid_svg(
            "T <&>",
            &["r1", "r2"],
            &["c1"],
            &[vec![(3, Some("s4"))], vec![(0, None)]],
        );
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("T &lt;&amp;&gt;"));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("fill=\"#4a1a5e\""));
    }
}
