//! `/analyse/trends`: initiatives per start year by theme, topic or kind, up to six
//! values compared, as counts or as shares of each year, with each value's change over
//! the window; a chart drawn by the server with the data table beside it, and as CSV
//! and SVG.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::files::{Csv, csv_response, svg_response};
use super::{DIMS, Dim, address, carried, decimal, filter, filter_fields, tabs};
use crate::Site;
use crate::charts::{self, MAX_SERIES, Series, TrendChart};
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, respond};

/// The dimensions a trend follows.
const FOLLOWED: [&str; 4] = ["thema", "onderwerp", "hoofdonderwerp", "soort"];

/// The address keys of the filters a trend carries: its window is `vanaf`–`tot`.
const TREND_KEYS: [&str; 4] = ["vanaf", "tot", "regio", "soort"];

#[derive(Debug, Deserialize)]
struct Answer {
    analytics: Analytics,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Analytics {
    trend: Vec<Year>,
    trend_series: Vec<SeriesAnswer>,
}

#[derive(Debug, Deserialize)]
struct Year {
    values: Vec<Term>,
}

#[derive(Debug, Deserialize)]
struct Term {
    value: String,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeriesAnswer {
    value: String,
    label: String,
    total: i64,
    points: Vec<Point>,
    change: i64,
    share_change: f64,
    #[serde(deserialize_with = "nullable")]
    growth: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Point {
    year: i32,
    count: i64,
    share: f64,
}

/// What the address asks of the trend.
struct Settings {
    dim: Dim,
    values: Vec<String>,
    share: bool,
}

impl Settings {
    fn of(ctx: &Ctx) -> Self {
        let wanted = ctx.param("reeks").unwrap_or("thema");
        let key = FOLLOWED
            .iter()
            .find(|k| **k == wanted)
            .copied()
            .unwrap_or("thema");
        let dim = DIMS
            .iter()
            .find(|d| d.key == key)
            .copied()
            .unwrap_or(DIMS[0]);
        let mut values: Vec<String> = Vec::new();
        for v in ctx.params("waarde") {
            let code = v.trim();
            let ok = !code.is_empty()
                && code.len() <= 64
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if ok && !values.iter().any(|x| x == code) && values.len() < MAX_SERIES {
                values.push(code.to_owned());
            }
        }
        Settings {
            dim,
            values,
            share: ctx.param("maat") == Some("aandeel"),
        }
    }

    fn pairs(&self, ctx: &Ctx) -> Vec<(String, String)> {
        let mut pairs = vec![("reeks".to_owned(), self.dim.key.to_owned())];
        pairs.extend(self.values.iter().map(|v| ("waarde".to_owned(), v.clone())));
        if self.share {
            pairs.push(("maat".to_owned(), "aandeel".to_owned()));
        }
        pairs.extend(carried(ctx, &TREND_KEYS));
        pairs
    }
}

/// The start year of the address's `key`, when it is a plausible year.
fn year(ctx: &Ctx, key: &str) -> Option<i64> {
    ctx.param(key)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|y| (1900..=2100).contains(y))
}

async fn read(site: &Site, ctx: &Ctx, s: &Settings) -> Result<Analytics, Failure> {
    // The window is the trend's own years; the population is narrowed by the rest.
    let mut population = filter(ctx);
    if let Value::Object(f) = &mut population {
        f.remove("yearFrom");
        f.remove("yearTo");
    }
    let document = "query Trend($dimension: Dimension!, $values: [String!], $from: Int, $to: Int, $filter: InitiativeFilter) {
        analytics {
          trend(dimension: $dimension, yearFrom: $from, yearTo: $to, filter: $filter) { values { value label } }
          trendSeries(dimension: $dimension, values: $values, yearFrom: $from, yearTo: $to, filter: $filter) {
            value label total points { year count share } change shareChange growth } } }";
    let variables = json!({
        "dimension": s.dim.api,
        "values": if s.values.is_empty() { Value::Null } else { json!(s.values) },
        "from": year(ctx, "vanaf"),
        "to": year(ctx, "tot"),
        "filter": population,
    });
    let answer: Answer = site.query(ctx.lang, document, variables).await?;
    Ok(answer.analytics)
}

/// The chart's series: counts, or shares in percent.
fn chart_series(ctx: &Ctx, s: &Settings, series: &[SeriesAnswer]) -> Vec<Series> {
    series
        .iter()
        .map(|x| Series {
            label: x.label.clone(),
            href: s.dim.search.map(|key| {
                let mut pairs = vec![(key.to_owned(), x.value.clone())];
                pairs.extend(carried(ctx, &TREND_KEYS));
                ctx.href(&address("/zoeken", &pairs))
            }),
            points: x
                .points
                .iter()
                .map(|p| {
                    (
                        p.year,
                        if s.share {
                            p.share * 100.0
                        } else {
                            p.count as f64
                        },
                    )
                })
                .collect(),
        })
        .collect()
}

fn titles(ctx: &Ctx, s: &Settings) -> (String, String) {
    let title = format!(
        "{} {}",
        ctx.t(
            "Initiatieven per startjaar per",
            "Initiatives per start year by"
        ),
        s.dim.label(ctx).to_lowercase()
    );
    let y = if s.share {
        ctx.t("aandeel van het jaar (%)", "share of the year (%)")
    } else {
        ctx.t("initiatieven", "initiatives")
    };
    (title, y.to_owned())
}

fn chart(ctx: &Ctx, s: &Settings, series: &[SeriesAnswer]) -> Markup {
    let (title, y_label) = titles(ctx, s);
    let lines = chart_series(ctx, s, series);
    let description = ctx.t(
        "Lijndiagram; de tabel eronder geeft dezelfde cijfers.",
        "Line chart; the table below gives the same figures.",
    );
    charts::trend_svg(&TrendChart {
        title: &title,
        description,
        y_label: &y_label,
        percent: s.share,
        series: &lines,
        lang_en: ctx.en(),
    })
}

pub(crate) async fn trend_page(State(site): State<Site>, ctx: Ctx) -> Response {
    let page = build(&site, &ctx).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx) -> Result<Page, Failure> {
    let s = Settings::of(ctx);
    let vocab = site.vocab(ctx.lang).await?;
    let data = read(site, ctx, &s).await?;
    let (title, _) = titles(ctx, &s);
    let choices: &[Term] = data.trend.first().map_or(&[], |y| y.values.as_slice());
    let shown: Vec<&str> = data.trend_series.iter().map(|x| x.value.as_str()).collect();
    let years: Vec<i32> = data
        .trend_series
        .first()
        .map(|x| x.points.iter().map(|p| p.year).collect())
        .unwrap_or_default();
    let body = html! {
        h1 { (ctx.t("Trends", "Trends")) }
        p.lead { (ctx.t(
            "Hoeveel initiatieven per jaar starten, per thema, onderwerp of soort: als aantal of als aandeel van het jaar, met de groei over de gekozen jaren.",
            "How many initiatives start each year, by theme, topic or kind: as a count or as a share of the year, with the growth over the chosen years.")) }
        (tabs(ctx, "/analyse/trends"))
        form.workbench method="get" action="/analyse/trends" {
            @if let Some(l) = ctx.lang_field() { input type="hidden" name="lang" value=(l); }
            fieldset {
                legend { (ctx.t("Wat volgen", "What to follow")) }
                p {
                    label for="t-reeks" { (ctx.t("Per", "By")) }
                    select id="t-reeks" name="reeks" {
                        @for key in FOLLOWED {
                            @if let Some(d) = DIMS.iter().find(|d| d.key == key) {
                                option value=(d.key) selected[d.key == s.dim.key] { (d.label(ctx)) }
                            }
                        }
                    }
                }
                p {
                    label for="t-maat" { (ctx.t("Als", "As")) }
                    select id="t-maat" name="maat" {
                        option value="aantal" { (ctx.t("aantal initiatieven", "number of initiatives")) }
                        option value="aandeel" selected[s.share] { (ctx.t("aandeel van het jaar", "share of the year")) }
                    }
                }
            }
            @if !choices.is_empty() {
                fieldset.choices {
                    legend { (ctx.t("Vergelijk (hoogstens 6; geen keuze: de 6 grootste)", "Compare (at most 6; none chosen: the 6 largest)")) }
                    @for (i, c) in choices.iter().enumerate() {
                        @let id = format!("t-w{i}");
                        p.check {
                            input type="checkbox" id=(id) name="waarde" value=(c.value) checked[s.values.contains(&c.value)];
                            label for=(id) { (c.label) }
                        }
                    }
                }
            }
            (filter_fields(ctx, &vocab))
            p { button type="submit" { (ctx.t("Toon", "Show")) } }
        }
        div.scroll role="region" aria-label=(title) tabindex="0" {
            (chart(ctx, &s, &data.trend_series))
        }
        @if !data.trend_series.is_empty() {
            h2 id="groei" { (ctx.t("Groei over de gekozen jaren", "Growth over the chosen years")) }
            @if let (Some(first), Some(last)) = (years.first(), years.last()) {
                p { (ctx.t("Van ", "From ")) (first) (ctx.t(" tot en met ", " to ")) (last) "." }
            }
            div.scroll role="region" aria-labelledby="groei" tabindex="0" {
                table {
                    thead { tr {
                        th scope="col" { (s.dim.label(ctx)) }
                        th scope="col" { (ctx.t("Totaal", "Total")) }
                        th scope="col" { (ctx.t("Verschil", "Change")) }
                        th scope="col" { (ctx.t("Groei", "Growth")) }
                        th scope="col" { (ctx.t("Verschil in aandeel", "Change in share")) }
                    } }
                    tbody {
                        @for x in &data.trend_series {
                            tr {
                                th scope="row" { (x.label) }
                                td.number { (x.total) }
                                td.number { @if x.change > 0 { "+" } (x.change) }
                                td.number { (x.growth.map_or_else(|| "—".to_owned(), |g| format!("{}{} %", if g > 0.0 { "+" } else { "" }, decimal(ctx, g * 100.0, 0)))) }
                                td.number { (format!("{}{}", if x.share_change > 0.0 { "+" } else { "" }, decimal(ctx, x.share_change * 100.0, 1))) " " (ctx.t("procentpunt", "percentage points")) }
                            }
                        }
                    }
                }
            }
            h2 id="cijfers" { (ctx.t("De cijfers van de grafiek", "The chart's figures")) }
            div.scroll role="region" aria-labelledby="cijfers" tabindex="0" {
                table {
                    caption.visually-hidden { (title) }
                    thead { tr {
                        th scope="col" { (ctx.t("Jaar", "Year")) }
                        @for x in &data.trend_series { th scope="col" { (x.label) } }
                    } }
                    tbody {
                        @for (k, y) in years.iter().enumerate() {
                            tr {
                                th scope="row" { (y) }
                                @for x in &data.trend_series {
                                    @let p = x.points.get(k);
                                    td.number {
                                        (p.map_or(0, |p| p.count))
                                        " (" (decimal(ctx, p.map_or(0.0, |p| p.share) * 100.0, 1)) " %)"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if shown.is_empty() {
            p { (ctx.t("Geen initiatieven met een startjaar in deze keuze.", "No initiatives with a start year in this choice.")) }
        }
        h2 { (ctx.t("Meenemen", "Take it away")) }
        ul.downloads {
            li { a href=(ctx.href(&address("/analyse/trends.csv", &s.pairs(ctx)))) download { (ctx.t("Cijfers als CSV", "Figures as CSV")) } }
            li { a href=(ctx.href(&address("/analyse/trends.svg", &s.pairs(ctx)))) download { (ctx.t("Grafiek als SVG", "Chart as SVG")) } }
            li { a href=(ctx.href(&address("/analyse/trends", &s.pairs(ctx)))) { (ctx.t("Vaste link naar deze instellingen", "Permalink to these settings")) } }
        }
    };
    Ok(Page::new(
        ctx.t("Trends", "Trends"),
        ctx.t(
            "Initiatieven per startjaar per thema, onderwerp of soort, als aantal of aandeel, met de groei.",
            "Initiatives per start year by theme, topic or kind, as a count or share, with the growth.",
        ),
        body,
    ))
}

/// `/analyse/trends.csv`: one line per value and year.
pub(crate) async fn trend_csv(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    let data = match read(&site, &ctx, &s).await {
        Ok(d) => d,
        Err(f) => return respond(&ctx, Err(f)),
    };
    let mut csv = Csv::new(&["value", "label", "year", "count", "share"]);
    for x in &data.trend_series {
        for p in &x.points {
            csv.record(&[
                x.value.clone(),
                x.label.clone(),
                p.year.to_string(),
                p.count.to_string(),
                p.share.to_string(),
            ]);
        }
    }
    csv_response(
        &format!("kennisbank-trends-{}.csv", s.dim.key),
        csv.finish(),
    )
}

/// `/analyse/trends.svg`: the chart as a document.
pub(crate) async fn trend_svg(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    let data = match read(&site, &ctx, &s).await {
        Ok(d) => d,
        Err(f) => return respond(&ctx, Err(f)),
    };
    svg_response(
        &format!("kennisbank-trends-{}.svg", s.dim.key),
        charts::standalone(chart(&ctx, &s, &data.trend_series)),
    )
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    use super::*;

    #[test]
    fn the_settings_keep_six_valid_values_and_the_window() {
        let ctx = Ctx::of(
            &HeaderMap::new(),
            "/analyse/trends",
            "reeks=soort&waarde=a&waarde=a&waarde=%3Cx%3E&waarde=b&waarde=c&waarde=d&waarde=e&waarde=f&waarde=g&maat=aandeel&vanaf=2020",
        );
        let s = Settings::of(&ctx);
        assert_eq!(s.dim.api, "KIND");
        assert_eq!(s.values, ["a", "b", "c", "d", "e", "f"]);
        assert!(s.share);
        assert_eq!(
            address("/analyse/trends", &s.pairs(&ctx)),
            "/analyse/trends?reeks=soort&waarde=a&waarde=b&waarde=c&waarde=d&waarde=e&waarde=f&maat=aandeel&vanaf=2020"
        );
        let ctx = Ctx::of(&HeaderMap::new(), "/analyse/trends", "reeks=organisatie");
        assert_eq!(Settings::of(&ctx).dim.api, "THEME");
    }
}
