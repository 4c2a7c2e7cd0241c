//! `/analyse`: any two dimensions as a table. Each cell counts the initiatives holding
//! both values, with the count chance predicts, the lift, and the Benjamini–Hochberg
//! q-value over the table; colour shows the lift only where q < 0.05 and the count
//! reaches the minimum asked (3 by default), so a cell of one initiative is never as loud
//! as one of twelve. Rows and columns in the dimension's order or by similarity; the
//! cells with significantly fewer initiatives than expected listed as gaps. The table
//! goes away as CSV and SVG.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;

use super::files::{Csv, csv_response, svg_response};
use super::{
    DIMS, Dim, FILTER_KEYS, address, carried, decimal, dim, filter, filter_fields, probability,
    tabs,
};
use crate::Site;
use crate::client::Failure;
use crate::context::Ctx;
use crate::layout::{Page, respond};

/// The false discovery rate under which a cell counts as more (or less) than chance.
pub(super) const SIGNIFICANT: f64 = 0.05;
/// The smallest count coloured, unless the address asks another (`min`).
const MIN_COUNT: i64 = 3;
/// The most rows or columns the page shows: the largest; the downloads hold all.
const SHOWN: usize = 40;
/// Gaps listed.
const GAPS: usize = 12;

#[derive(Debug, Deserialize)]
struct Answer {
    analytics: Analytics,
}

#[derive(Debug, Deserialize)]
struct Analytics {
    cooccurrence: Table,
}

#[derive(Debug, Deserialize)]
struct Table {
    population: i64,
    rows: Vec<Total>,
    columns: Vec<Total>,
    cells: Vec<Cell>,
    gaps: Vec<Cell>,
}

#[derive(Debug, Clone, Deserialize)]
struct Total {
    value: String,
    label: String,
    total: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cell {
    row: String,
    column: String,
    count: i64,
    expected: f64,
    lift: f64,
    npmi: f64,
    p_value: f64,
    q_value: f64,
    p_under: f64,
    q_under: f64,
}

/// What the address asks of the table.
struct Settings {
    rows: Dim,
    columns: Dim,
    min: i64,
    similar: bool,
}

impl Settings {
    fn of(ctx: &Ctx) -> Self {
        Settings {
            rows: dim(ctx, "rijen", "thema"),
            columns: dim(ctx, "kolommen", "onderwerp"),
            min: ctx
                .param("min")
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|m| (1..=10_000).contains(m))
                .unwrap_or(MIN_COUNT),
            similar: ctx.param("volgorde") == Some("gelijkenis"),
        }
    }

    /// The address pairs of these settings and the filters: the permalink's query.
    fn pairs(&self, ctx: &Ctx) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("rijen".to_owned(), self.rows.key.to_owned()),
            ("kolommen".to_owned(), self.columns.key.to_owned()),
        ];
        pairs.extend(carried(ctx, &FILTER_KEYS));
        if self.min != MIN_COUNT {
            pairs.push(("min".to_owned(), self.min.to_string()));
        }
        if self.similar {
            pairs.push(("volgorde".to_owned(), "gelijkenis".to_owned()));
        }
        pairs
    }

    /// Whether a cell is coloured: more than chance at the false discovery rate, and
    /// counting at least the minimum.
    fn coloured(&self, c: &Cell) -> bool {
        c.q_value < SIGNIFICANT && c.count >= self.min && c.lift > 1.0
    }
}

const CELL_FIELDS: &str = "row column count expected lift npmi pValue qValue pUnder qUnder";

async fn read(site: &Site, ctx: &Ctx, s: &Settings, gaps: usize) -> Result<Table, Failure> {
    let document = format!(
        "query Table($rows: Dimension!, $columns: Dimension!, $filter: InitiativeFilter, $order: TableOrder, $gaps: Int) {{
           analytics {{ cooccurrence(rows: $rows, columns: $columns, filter: $filter, order: $order) {{
             population rows {{ value label total }} columns {{ value label total }}
             cells {{ {CELL_FIELDS} }} gaps(first: $gaps) {{ {CELL_FIELDS} }} }} }} }}"
    );
    let variables = json!({
        "rows": s.rows.api,
        "columns": s.columns.api,
        "filter": filter(ctx),
        "order": if s.similar { "SIMILARITY" } else { "TAXONOMY" },
        "gaps": gaps,
    });
    let answer: Answer = site.query(ctx.lang, &document, variables).await?;
    Ok(answer.analytics.cooccurrence)
}

/// The largest `SHOWN` of `totals`, in their order.
fn largest(totals: &[Total]) -> Vec<&Total> {
    if totals.len() <= SHOWN {
        return totals.iter().collect();
    }
    let mut by_size: Vec<usize> = (0..totals.len()).collect();
    by_size.sort_by(|&a, &b| totals[b].total.cmp(&totals[a].total).then(a.cmp(&b)));
    by_size.truncate(SHOWN);
    by_size.sort_unstable();
    by_size.into_iter().map(|i| &totals[i]).collect()
}

/// The colour class of a coloured cell by its lift.
fn heat(lift: f64) -> &'static str {
    match lift {
        l if l < 1.5 => "s1",
        l if l < 2.0 => "s2",
        l if l < 3.0 => "s3",
        _ => "s4",
    }
}

/// The search of the initiatives holding both values (and the view's filters); none when
/// a dimension has no search of its own.
fn search_link(ctx: &Ctx, s: &Settings, row: &str, column: &str) -> Option<String> {
    let mut pairs = vec![
        (s.rows.search?.to_owned(), row.to_owned()),
        (s.columns.search?.to_owned(), column.to_owned()),
    ];
    pairs.extend(carried(ctx, &FILTER_KEYS));
    Some(ctx.href(&address("/zoeken", &pairs)))
}

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx) -> Response {
    let page = build(&site, &ctx).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx) -> Result<Page, Failure> {
    let s = Settings::of(ctx);
    let vocab = site.vocab(ctx.lang).await?;
    let table = read(site, ctx, &s, GAPS).await?;
    let connections = super::graph::connections(site, ctx).await?;
    let permalink = address("/analyse", &s.pairs(ctx));
    let body = html! {
        h1 { (ctx.t("Analyse", "Analysis")) }
        p.lead { (ctx.t(
            "Hoe de kenmerken van de gepubliceerde initiatieven samen voorkomen, en welke combinaties meer zijn dan toeval.",
            "How the features of the published initiatives occur together, and which combinations are more than chance.")) }
        (tabs(ctx, "/analyse"))
        (form(ctx, &s, &vocab))
        (heat_map(ctx, &s, &table))
        (gaps(ctx, &s, &table))
        h2 { (ctx.t("Meenemen", "Take it away")) }
        ul.downloads {
            li { a href=(ctx.href(&address("/analyse/tabel.csv", &s.pairs(ctx)))) download { (ctx.t("Tabel als CSV", "Table as CSV")) } }
            li { a href=(ctx.href(&address("/analyse/tabel.svg", &s.pairs(ctx)))) download { (ctx.t("Tabel als SVG", "Table as SVG")) } }
            li { a href=(ctx.href(&permalink)) { (ctx.t("Vaste link naar deze instellingen", "Permalink to these settings")) } }
        }
        (connections)
    };
    Ok(Page::new(
        ctx.t("Analyse", "Analysis"),
        ctx.t(
            "Twee kenmerken van initiatieven tegen elkaar: aantallen, verwachte aantallen, lift en welke combinaties meer zijn dan toeval.",
            "Two features of initiatives against each other: counts, expected counts, lift and which combinations are more than chance.",
        ),
        body,
    ))
}

fn form(ctx: &Ctx, s: &Settings, vocab: &crate::vocab::Vocab) -> Markup {
    let picker = |name: &str, id: &str, label: &str, chosen: Dim| {
        html! {
            p {
                label for=(id) { (label) }
                select id=(id) name=(name) {
                    @for d in &DIMS {
                        option value=(d.key) selected[*d == chosen] { (d.label(ctx)) }
                    }
                }
            }
        }
    };
    html! {
        form.workbench method="get" action="/analyse" {
            @if let Some(l) = ctx.lang_field() { input type="hidden" name="lang" value=(l); }
            fieldset {
                legend { (ctx.t("Wat tegen wat", "What against what")) }
                (picker("rijen", "a-rijen", ctx.t("Rijen", "Rows"), s.rows))
                (picker("kolommen", "a-kolommen", ctx.t("Kolommen", "Columns"), s.columns))
                p {
                    label for="a-volgorde" { (ctx.t("Volgorde", "Order")) }
                    select id="a-volgorde" name="volgorde" {
                        option value="" { (ctx.t("zoals de lijst", "as listed")) }
                        option value="gelijkenis" selected[s.similar] { (ctx.t("op gelijkenis (blokken)", "by similarity (blocks)")) }
                    }
                }
                p {
                    label for="a-min" { (ctx.t("Kleur vanaf (initiatieven)", "Colour from (initiatives)")) }
                    input id="a-min" name="min" type="number" min="1" max="10000" inputmode="numeric" value=(s.min);
                }
            }
            (filter_fields(ctx, vocab))
            p { button type="submit" { (ctx.t("Toon", "Show")) } }
        }
    }
}

fn heat_map(ctx: &Ctx, s: &Settings, table: &Table) -> Markup {
    let cells: HashMap<(&str, &str), &Cell> = table
        .cells
        .iter()
        .map(|c| ((c.row.as_str(), c.column.as_str()), c))
        .collect();
    let (rows, columns) = (largest(&table.rows), largest(&table.columns));
    let caption = format!("{} × {}", s.rows.label(ctx), s.columns.label(ctx));
    let coloured = table.cells.iter().filter(|c| s.coloured(c)).count();
    html! {
        h2 id="tabel" { (caption) }
        p {
            (table.population) " " (ctx.t("initiatieven. Elke cel telt de initiatieven met beide waarden; daaronder hoe vaak toeval ze zou geven (verwacht) en de lift (geteld ÷ verwacht).",
                "initiatives. Each cell counts the initiatives holding both values; below it how many chance would give (expected) and the lift (counted ÷ expected)."))
        }
        p {
            (ctx.t("Gekleurd zijn alleen cellen die meer zijn dan toeval: q-waarde onder 0,05 (Benjamini–Hochberg over de hele tabel) en ten minste ",
                "Coloured are only cells that are more than chance: q-value under 0.05 (Benjamini–Hochberg over the whole table) and at least "))
            (s.min) (ctx.t(" initiatieven; de kleur is de lift. Overige cellen zijn neutraal. ", " initiatives; the colour is the lift. Other cells are neutral. "))
            strong { (coloured) } (ctx.t(" cellen zijn gekleurd.", " cells are coloured."))
        }
        @if rows.len() < table.rows.len() || columns.len() < table.columns.len() {
            p.meta { (ctx.t("Getoond: de grootste ", "Shown: the largest ")) (SHOWN) (ctx.t(" rijen en kolommen; de CSV bevat ze allemaal.", " rows and columns; the CSV holds them all.")) }
        }
        ul.legend aria-label=(ctx.t("Legenda", "Legend")) {
            li.n { (ctx.t("neutraal: niet meer dan toeval, of te klein", "neutral: not more than chance, or too small")) }
            li.s1 { "▲ " (ctx.t("lift onder 1,5", "lift under 1.5")) }
            li.s2 { "▲ " (ctx.t("1,5 tot 2", "1.5 to 2")) }
            li.s3 { "▲ " (ctx.t("2 tot 3", "2 to 3")) }
            li.s4 { "▲ " (ctx.t("3 of meer", "3 or more")) }
        }
        @if rows.is_empty() || columns.is_empty() {
            p { (ctx.t("Geen initiatieven met deze kenmerken.", "No initiatives with these features.")) }
        } @else {
            div.scroll role="region" aria-labelledby="tabel" tabindex="0" {
                table.heat {
                    caption.visually-hidden { (caption) }
                    thead {
                        tr {
                            th scope="col" { (s.rows.label(ctx)) }
                            @for c in &columns { th scope="col" { (c.label) " " span.meta { "(" (c.total) ")" } } }
                        }
                    }
                    tbody {
                        @for r in &rows {
                            tr {
                                th scope="row" { (r.label) " " span.meta { "(" (r.total) ")" } }
                                @for c in &columns {
                                    @let cell = cells.get(&(r.value.as_str(), c.value.as_str()));
                                    (td(ctx, s, r, c, cell.copied()))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn td(ctx: &Ctx, s: &Settings, r: &Total, c: &Total, cell: Option<&Cell>) -> Markup {
    let Some(cell) = cell.filter(|x| x.count > 0) else {
        return html! { td.n { "0" } };
    };
    let coloured = s.coloured(cell);
    let class = if coloured { heat(cell.lift) } else { "n" };
    let title = format!(
        "{} · {}: {} {}, {} {}, lift {}, q {}",
        r.label,
        c.label,
        cell.count,
        ctx.t("geteld", "counted"),
        decimal(ctx, cell.expected, 1),
        ctx.t("verwacht", "expected"),
        decimal(ctx, cell.lift, 2),
        probability(ctx, cell.q_value),
    );
    let inner = html! {
        @if coloured { span aria-hidden="true" { "▲ " } span.visually-hidden { (ctx.t("meer dan toeval: ", "more than chance: ")) } }
        (cell.count)
        small { (ctx.t("verw. ", "exp. ")) (decimal(ctx, cell.expected, 1)) }
        small { "× " (decimal(ctx, cell.lift, 1)) }
    };
    html! {
        td class=(class) title=(title) {
            @if let Some(href) = search_link(ctx, s, &r.value, &c.value) {
                a href=(href) { (inner) }
            } @else { (inner) }
        }
    }
}

fn gaps(ctx: &Ctx, s: &Settings, table: &Table) -> Markup {
    let label = |list: &[Total], v: &str| {
        list.iter()
            .find(|t| t.value == v)
            .map_or_else(|| v.to_owned(), |t| t.label.clone())
    };
    html! {
        h2 id="gaten" { (ctx.t("Waar nog weinig gedeeld wordt", "Where little is shared yet")) }
        p { (ctx.t(
            "Combinaties met duidelijk minder initiatieven dan toeval zou geven (q-waarde van het tekort onder 0,05), de meest opvallende eerst.",
            "Combinations with clearly fewer initiatives than chance would give (q-value of the shortfall under 0.05), the most striking first.")) }
        @if table.gaps.is_empty() {
            p { (ctx.t("Geen: nergens is het tekort meer dan toeval.", "None: nowhere is the shortfall more than chance.")) }
        } @else {
            div.scroll role="region" aria-labelledby="gaten" tabindex="0" {
                table {
                    thead { tr {
                        th scope="col" { (s.rows.label(ctx)) }
                        th scope="col" { (s.columns.label(ctx)) }
                        th scope="col" { (ctx.t("Geteld", "Counted")) }
                        th scope="col" { (ctx.t("Verwacht", "Expected")) }
                        th scope="col" { "q" }
                    } }
                    tbody {
                        @for g in &table.gaps {
                            tr {
                                td { (label(&table.rows, &g.row)) }
                                td { (label(&table.columns, &g.column)) }
                                td.number { (g.count) }
                                td.number { (decimal(ctx, g.expected, 1)) }
                                td.number { (probability(ctx, g.q_under)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/analyse/tabel.csv`: every cell of the table the address describes, with its
/// measures, row by row.
pub(crate) async fn table_csv(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    let table = match read(&site, &ctx, &s, 1).await {
        Ok(t) => t,
        Err(f) => return respond(&ctx, Err(f)),
    };
    let label = |list: &[Total], v: &str| {
        list.iter()
            .find(|t| t.value == v)
            .map(|t| (t.label.clone(), t.total))
            .unwrap_or_default()
    };
    let mut csv = Csv::new(&[
        "row",
        "row_label",
        "column",
        "column_label",
        "count",
        "expected",
        "lift",
        "npmi",
        "p_value",
        "q_value",
        "p_under",
        "q_under",
        "row_total",
        "column_total",
        "population",
        "coloured",
    ]);
    for c in &table.cells {
        let (rl, rt) = label(&table.rows, &c.row);
        let (cl, ct) = label(&table.columns, &c.column);
        csv.record(&[
            c.row.clone(),
            rl,
            c.column.clone(),
            cl,
            c.count.to_string(),
            c.expected.to_string(),
            c.lift.to_string(),
            c.npmi.to_string(),
            c.p_value.to_string(),
            c.q_value.to_string(),
            c.p_under.to_string(),
            c.q_under.to_string(),
            rt.to_string(),
            ct.to_string(),
            table.population.to_string(),
            s.coloured(c).to_string(),
        ]);
    }
    let name = format!("kennisbank-{}-{}.csv", s.rows.key, s.columns.key);
    csv_response(&name, csv.finish())
}

/// `/analyse/tabel.svg`: the table as a picture, coloured as on the page.
pub(crate) async fn table_svg(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    let table = match read(&site, &ctx, &s, 1).await {
        Ok(t) => t,
        Err(f) => return respond(&ctx, Err(f)),
    };
    let (rows, columns) = (largest(&table.rows), largest(&table.columns));
    let cells: HashMap<(&str, &str), &Cell> = table
        .cells
        .iter()
        .map(|c| ((c.row.as_str(), c.column.as_str()), c))
        .collect();
    let grid: Vec<Vec<(i64, Option<&'static str>)>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| match cells.get(&(r.value.as_str(), c.value.as_str())) {
                    Some(cell) if cell.count > 0 => {
                        (cell.count, s.coloured(cell).then(|| heat(cell.lift)))
                    }
                    _ => (0, None),
                })
                .collect()
        })
        .collect();
    let title = format!("{} × {}", s.rows.label(&ctx), s.columns.label(&ctx));
    let svg = super::files::grid_svg(
        &title,
        &rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(),
        &columns.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        &grid,
    );
    svg_response(
        &format!("kennisbank-{}-{}.svg", s.rows.key, s.columns.key),
        svg,
    )
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    use super::*;

    fn cell(count: i64, lift: f64, q_value: f64) -> Cell {
        Cell {
            row: "r".into(),
            column: "c".into(),
            count,
            expected: 1.0,
            lift,
            npmi: 0.0,
            p_value: q_value,
            q_value,
            p_under: 1.0,
            q_under: 1.0,
        }
    }

    #[test]
    fn only_cells_more_than_chance_and_large_enough_are_coloured() {
        let ctx = Ctx::of(&HeaderMap::new(), "/analyse", "");
        let s = Settings::of(&ctx);
        assert_eq!(s.min, 3);
        assert!(s.coloured(&cell(3, 2.5, 0.01)));
        assert!(!s.coloured(&cell(2, 2.5, 0.01)), "too small");
        assert!(!s.coloured(&cell(12, 2.5, 0.05)), "not under the rate");
        assert!(!s.coloured(&cell(12, 0.5, 0.01)), "fewer than chance");
        let ctx = Ctx::of(
            &HeaderMap::new(),
            "/analyse",
            "min=1&volgorde=gelijkenis&rijen=jaar",
        );
        let s = Settings::of(&ctx);
        assert!(s.coloured(&cell(1, 9.0, 0.001)));
        assert_eq!(
            address("/analyse", &s.pairs(&ctx)),
            "/analyse?rijen=jaar&kolommen=onderwerp&min=1&volgorde=gelijkenis"
        );
        assert_eq!(
            (heat(1.2), heat(1.7), heat(2.5), heat(3.0)),
            ("s1", "s2", "s3", "s4")
        );
    }

    #[test]
    fn a_cell_links_to_the_search_of_both_values_with_the_filters() {
        let ctx = Ctx::of(&HeaderMap::new(), "/analyse", "rijen=niveau&vanaf=2023");
        let s = Settings::of(&ctx);
        assert_eq!(
            search_link(&ctx, &s, "hbo", "stress").as_deref(),
            Some("/zoeken?niveau=hbo&onderwerp=stress&vanaf=2023")
        );
        let ctx = Ctx::of(&HeaderMap::new(), "/analyse", "rijen=jaar");
        assert_eq!(
            search_link(&ctx, &Settings::of(&ctx), "2023", "stress"),
            None
        );
    }
}
