//! The analyst's workbench over HTTP, on SQLite and PostgreSQL, on the demo data: the
//! significance of every cell of several tables against an independent computation
//! (`check_tables.py`: scipy's hypergeometric tails and statsmodels' Benjamini–Hochberg),
//! also on a synthetic set; the maps' clusters against leidenalg (`leiden_check.py`);
//! the API's limits; and the website's table, trend and map pages with their downloads,
//! each showing what the API computes, and a map's link leading to exactly the
//! initiatives both of its ends share.

use std::process::Stdio;

use kb_domain::{InitiativeFilter, Viewer};
use kb_readmodel::ReadModel;
use kb_readmodel::analytics::{Dimension, Order};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::on_both;
use crate::support::{TestApp, error_code};
use crate::tools;

const TABLE: &str = "query T($rows: Dimension!, $columns: Dimension!, $filter: InitiativeFilter, $order: TableOrder) {
  analytics { cooccurrence(rows: $rows, columns: $columns, filter: $filter, order: $order) {
    population rows { value total } columns { value total }
    cells { row column count expected lift pValue qValue pUnder qUnder }
    gaps(first: 1000) { row column count expected qUnder } } } }";

/// What the Python `script` (in tests/e2e) prints for `input` on its standard input.
pub(crate) async fn python(script: &str, input: &Value) -> Value {
    let script = tools::root().join("tests/e2e").join(script);
    let mut child = tokio::process::Command::new(tools::python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start Python");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(input.to_string().as_bytes())
        .await
        .expect("write the input");
    drop(stdin);
    let out = child.wait_with_output().await.expect("run Python");
    assert!(
        out.status.success(),
        "{script:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from Python")
}

/// A table as `check_tables.py` reads it: every cell with its row's and column's total.
fn for_python(t: &Value) -> Value {
    let total = |list: &Value, v: &Value| {
        list.as_array()
            .and_then(|l| l.iter().find(|x| x["value"] == *v))
            .map_or(0, |x| x["total"].as_i64().unwrap_or(0))
    };
    let cells: Vec<Value> = t["cells"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| {
                    json!({
                        "count": c["count"],
                        "rowTotal": total(&t["rows"], &c["row"]),
                        "columnTotal": total(&t["columns"], &c["column"]),
                        "pValue": c["pValue"], "pUnder": c["pUnder"],
                        "qValue": c["qValue"], "qUnder": c["qUnder"],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({ "population": t["population"], "cells": cells })
}

/// Asserts each table's four numbers agree with scipy and statsmodels to 1e-9 relative.
async fn agree_with_python(tables: &[Value], what: &str) -> Vec<Value> {
    let input = json!({ "tables": tables.iter().map(for_python).collect::<Vec<_>>() });
    let checked = python("check_tables.py", &input).await;
    let checked = checked.as_array().expect("one result a table").clone();
    assert_eq!(checked.len(), tables.len());
    for (i, c) in checked.iter().enumerate() {
        println!("{what} table {i}: {c}");
        for name in ["pValue", "pUnder", "qValue", "qUnder"] {
            let d = c[name].as_f64().expect("a difference");
            assert!(
                d <= 1e-9,
                "{what} table {i}: {name} differs by {d} (relative)"
            );
        }
    }
    checked
}

async fn table(app: &TestApp, rows: &str, columns: &str, filter: Value, order: &str) -> Value {
    let data = app
        .data(
            TABLE,
            json!({ "rows": rows, "columns": columns, "filter": filter, "order": order }),
        )
        .await;
    data["analytics"]["cooccurrence"].clone()
}

fn len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

on_both!(significance_agrees_with_scipy_and_statsmodels);
async fn significance_agrees_with_scipy_and_statsmodels(app: TestApp) {
    let last_three = json!({ "yearFrom": 2024, "yearTo": 2026 });
    let tables = vec![
        table(&app, "THEME", "TOPIC", Value::Null, "TAXONOMY").await,
        table(&app, "TOPIC", "EDUCATION_LEVEL", last_three, "TAXONOMY").await,
        table(&app, "BROAD_TOPIC", "KIND", Value::Null, "SIMILARITY").await,
        table(&app, "ORGANISATION", "TOPIC", Value::Null, "TAXONOMY").await,
        table(&app, "YEAR", "NARROW_TOPIC", Value::Null, "TAXONOMY").await,
    ];
    for t in &tables {
        // Every cell of the table is answered (minCount 0), zeros included.
        assert_eq!(len(&t["cells"]), len(&t["rows"]) * len(&t["columns"]));
        // Gaps are the cells under the rate, most surprising first.
        let gaps = t["gaps"].as_array().expect("gaps");
        let under = t["cells"].as_array().map_or(0, |c| {
            c.iter()
                .filter(|c| c["qUnder"].as_f64() < Some(0.05))
                .count()
        });
        assert_eq!(gaps.len(), under);
        let q: Vec<f64> = gaps.iter().filter_map(|g| g["qUnder"].as_f64()).collect();
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    }
    // The demo data's published initiatives (its drafts and submissions are not counted).
    let published = app.data("{ initiatives { totalCount } }", json!({})).await;
    assert_eq!(
        tables[0]["population"],
        published["initiatives"]["totalCount"]
    );
    assert_eq!(tables[0]["population"], 64);
    let checked = agree_with_python(&tables, "demo").await;
    // Something is more than chance in theme × topic (the demo data is not random).
    assert!(checked[0]["significant"].as_u64() > Some(0), "{checked:?}");
    let significant = tables[0]["cells"].as_array().map_or(0, |c| {
        c.iter()
            .filter(|c| c["qValue"].as_f64() < Some(0.05))
            .count()
    });
    assert_eq!(Some(significant as u64), checked[0]["significant"].as_u64());

    // A synthetic set of 1,500 more initiatives, read by a read model built on it.
    app.store
        .seed_synthetic(1_500, 11)
        .await
        .expect("synthetic");
    let model = ReadModel::build(&app.store).await.expect("read model");
    let mut synthetic = Vec::new();
    for (rows, columns) in [
        (Dimension::Topic, Dimension::Organisation),
        (Dimension::Theme, Dimension::Kind),
        (Dimension::Year, Dimension::Region),
    ] {
        let t = model
            .cooccurrence(
                Viewer::Anonymous,
                rows,
                columns,
                &InitiativeFilter::default(),
                Order::Taxonomy,
            )
            .await
            .expect("a table");
        let margin = |m: &kb_readmodel::analytics::Margin| json!({ "value": m.value.value, "total": m.total });
        synthetic.push(json!({
            "population": t.population,
            "rows": t.rows.iter().map(margin).collect::<Vec<_>>(),
            "columns": t.columns.iter().map(margin).collect::<Vec<_>>(),
            "cells": t.cells.iter().map(|c| json!({
                "row": t.rows[c.row].value.value, "column": t.columns[c.column].value.value,
                "count": c.measures.count, "pValue": c.measures.p_value, "pUnder": c.measures.p_under,
                "qValue": c.q_value, "qUnder": c.q_under,
            })).collect::<Vec<_>>(),
        }));
    }
    assert!(
        len(&synthetic[0]["cells"]) > 1_000,
        "{}",
        len(&synthetic[0]["cells"])
    );
    agree_with_python(&synthetic, "synthetic").await;
}

on_both!(the_api_refuses_what_it_cannot_answer_with_codes);
async fn the_api_refuses_what_it_cannot_answer_with_codes(app: TestApp) {
    let cases = [
        (
            "{ analytics { map(kind: TOPICS, maxNodes: 0) { population } } }",
            "BAD_USER_INPUT",
            "maxNodes",
        ),
        (
            "{ analytics { map(kind: TOPICS, resolution: -1) { population } } }",
            "BAD_USER_INPUT",
            "resolution",
        ),
        (
            "{ analytics { trendSeries(dimension: THEME, values: [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]) { value } } }",
            "LIMIT_EXCEEDED",
            "values",
        ),
        (
            "{ analytics { cooccurrence(rows: THEME, columns: TOPIC) { gaps(maxQValue: 2) { row } } } }",
            "BAD_USER_INPUT",
            "maxQValue",
        ),
        (
            "{ analytics { cooccurrence(rows: THEME, columns: TOPIC) { gaps(first: 0) { row } } } }",
            "LIMIT_EXCEEDED",
            "first",
        ),
        (
            "{ analytics { map(kind: TOPICS) { links(first: 0) { from } } } }",
            "BAD_USER_INPUT",
            "first",
        ),
        (
            "{ initiatives(filter: { everyTopic: [\"nope\"] }) { totalCount } }",
            "BAD_USER_INPUT",
            "filter.everyTopic",
        ),
    ];
    for (query, code, field) in cases {
        let r = app.gql(query, json!({})).await;
        assert_eq!(error_code(&r), code, "{query}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{query}: {r}");
    }
}

on_both!(trend_series_follow_values_through_the_window);
async fn trend_series_follow_values_through_the_window(app: TestApp) {
    let data = app
        .data(
            "{ analytics {
                trend(dimension: KIND, yearFrom: 2020, yearTo: 2023) { year total values { value count } }
                trendSeries(dimension: KIND, yearFrom: 2020, yearTo: 2023, first: 2) {
                  value total change shareChange growth points { year count share } } } }",
            json!({}),
        )
        .await;
    let years = data["analytics"]["trend"]
        .as_array()
        .expect("years")
        .clone();
    let series = data["analytics"]["trendSeries"]
        .as_array()
        .expect("series")
        .clone();
    assert_eq!(series.len(), 2);
    for s in &series {
        let points = s["points"].as_array().expect("points");
        assert_eq!(
            points
                .iter()
                .map(|p| p["year"].as_i64().unwrap_or(0))
                .collect::<Vec<_>>(),
            [2020, 2021, 2022, 2023]
        );
        // Each point is the trend's count of the value that year.
        let mut total = 0;
        for (p, y) in points.iter().zip(&years) {
            let count = y["values"]
                .as_array()
                .and_then(|v| v.iter().find(|v| v["value"] == s["value"]))
                .map_or(0, |v| v["count"].as_i64().unwrap_or(0));
            assert_eq!(p["count"].as_i64(), Some(count));
            total += count;
        }
        assert_eq!(s["total"].as_i64(), Some(total));
        let (first, last) = (
            points[0]["count"].as_i64().unwrap_or(0),
            points[3]["count"].as_i64().unwrap_or(0),
        );
        assert_eq!(s["change"].as_i64(), Some(last - first));
        if first > 0 {
            let growth = s["growth"].as_f64().expect("growth");
            assert!((growth - (last - first) as f64 / first as f64).abs() < 1e-12);
        } else {
            assert!(s["growth"].is_null());
        }
    }
    // The two with the most initiatives in the window, largest first.
    assert!(series[0]["total"].as_i64() >= series[1]["total"].as_i64());
}

/// The body of a page, after asserting it answers 200.
async fn page(app: &TestApp, path: &str) -> String {
    let r = app
        .client()
        .get(app.url(path))
        .send()
        .await
        .expect("a response");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.expect("a body")
}

/// A download: its content type and body, after asserting it answers 200 as an
/// attachment.
async fn download(app: &TestApp, path: &str) -> (String, String) {
    let r = app
        .client()
        .get(app.url(path))
        .send()
        .await
        .expect("a response");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename="),
        "{disposition}"
    );
    let media = r.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .to_owned();
    (media, r.text().await.expect("a body"))
}

on_both!(the_table_page_colours_only_what_is_more_than_chance);
async fn the_table_page_colours_only_what_is_more_than_chance(app: TestApp) {
    let query = "rijen=onderwerp&kolommen=niveau&vanaf=2024&tot=2026";
    let t = table(
        &app,
        "TOPIC",
        "EDUCATION_LEVEL",
        json!({ "yearFrom": 2024, "yearTo": 2026 }),
        "TAXONOMY",
    )
    .await;
    let cells = t["cells"].as_array().expect("cells");
    for min in [3, 1] {
        let body = page(&app, &format!("/analyse?{query}&min={min}")).await;
        let coloured = cells
            .iter()
            .filter(|c| {
                c["qValue"].as_f64() < Some(0.05)
                    && c["count"].as_i64() >= Some(min)
                    && c["lift"].as_f64() > Some(1.0)
            })
            .count();
        let shown = ["s1", "s2", "s3", "s4"]
            .iter()
            .map(|c| body.matches(&format!("<td class=\"{c}\"")).count())
            .sum::<usize>();
        assert_eq!(shown, coloured, "min {min}");
        assert!(body.contains(&format!("<strong>{coloured}</strong> cellen zijn gekleurd")));
    }
    // The downloads hold every cell.
    let (media, csv) = download(&app, &format!("/analyse/tabel.csv?{query}")).await;
    assert_eq!(media, "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), cells.len() + 1);
    assert!(
        lines[0].starts_with(
            "row,row_label,column,column_label,count,expected,lift,npmi,p_value,q_value"
        )
    );
    let (media, svg) = download(&app, &format!("/analyse/tabel.svg?{query}")).await;
    assert_eq!(media, "image/svg+xml; charset=utf-8");
    assert!(svg.starts_with("<?xml"));
    assert_eq!(svg.matches("<rect").count(), cells.len() + 1);
    // Unknown settings fall back to the defaults rather than fail.
    let body = page(&app, "/analyse?rijen=%3Cscript%3E&min=-4").await;
    assert!(body.contains("Thema × Onderwerp (alle)"));
    assert!(!body.contains("<script>"));
}

on_both!(the_trend_page_draws_the_series_with_their_figures);
async fn the_trend_page_draws_the_series_with_their_figures(app: TestApp) {
    let body = page(
        &app,
        "/analyse/trends?reeks=soort&vanaf=2020&tot=2023&maat=aandeel",
    )
    .await;
    let data = app
        .data(
            "{ analytics { trendSeries(dimension: KIND, yearFrom: 2020, yearTo: 2023) { label points { count } } } }",
            json!({}),
        )
        .await;
    let series = data["analytics"]["trendSeries"].as_array().expect("series");
    assert!(body.contains("<svg"));
    for s in series {
        assert!(body.contains(s["label"].as_str().unwrap_or("?")));
    }
    // The figures' table: one row a year, a cell a series.
    let figures = body.split("id=\"cijfers\"").nth(1).expect("the figures");
    assert_eq!(figures.matches("<th scope=\"row\">").count(), 4);
    let (_, csv) = download(&app, "/analyse/trends.csv?reeks=soort&vanaf=2020&tot=2023").await;
    assert_eq!(
        csv.split("\r\n").filter(|l| !l.is_empty()).count(),
        series.len() * 4 + 1
    );
    let (_, svg) = download(&app, "/analyse/trends.svg?reeks=soort&vanaf=2020&tot=2023").await;
    assert!(svg.starts_with("<?xml"));
}

const MAP: &str = "query M($kind: MapKind!) { analytics { map(kind: $kind) {
    quality nodes { type value label weight cluster x y } links { from to count strength }
    clusters { id members } } } }";

on_both!(the_map_page_links_every_node_and_its_links_lead_to_what_both_share);
async fn the_map_page_links_every_node_and_its_links_lead_to_what_both_share(app: TestApp) {
    let map = app.data(MAP, json!({ "kind": "TOPICS" })).await["analytics"]["map"].clone();
    let nodes = map["nodes"].as_array().expect("nodes").clone();
    let links = map["links"].as_array().expect("links").clone();
    assert!(nodes.len() >= 10, "{}", nodes.len());
    // The same data gives the same map.
    let again = app.data(MAP, json!({ "kind": "TOPICS" })).await["analytics"]["map"].clone();
    assert_eq!(again, map);
    // `links(first:)` keeps the strongest.
    let three = app
        .data(
            "{ analytics { map(kind: TOPICS) { links(first: 3) { count } } } }",
            json!({}),
        )
        .await;
    let mut counts: Vec<i64> = links.iter().filter_map(|l| l["count"].as_i64()).collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let mut strongest: Vec<i64> = three["analytics"]["map"]["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| l["count"].as_i64())
        .collect();
    strongest.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(strongest, counts[..3]);
    let body = page(&app, "/analyse/kaart?kaart=onderwerpen").await;
    for n in &nodes {
        let href = format!(
            "href=\"/onderwerpen/{}\"",
            n["value"].as_str().unwrap_or("?")
        );
        // On the map and in the cluster table.
        assert!(body.matches(&href).count() >= 2, "{href}");
    }
    assert!(body.contains("/assets/map."));
    let clusters = body
        .split("id=\"clusters\"")
        .nth(1)
        .expect("the cluster table");
    assert_eq!(
        clusters.matches("<th scope=\"row\">").count(),
        len(&map["clusters"])
    );
    // VOSviewer's files: an item a node (after the header), a line a link.
    let (_, items) = download(&app, "/analyse/kaart-vosviewer-map.txt?kaart=onderwerpen").await;
    let items: Vec<&str> = items.lines().collect();
    assert_eq!(items.len(), nodes.len() + 1);
    assert_eq!(
        items[0],
        "id\tlabel\turl\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>\tweight<Initiatives>"
    );
    let (_, network) = download(
        &app,
        "/analyse/kaart-vosviewer-network.txt?kaart=onderwerpen",
    )
    .await;
    assert_eq!(network.lines().count(), links.len());
    let (media, csv) = download(&app, "/analyse/kaart.csv?kaart=onderwerpen").await;
    assert_eq!(media, "text/csv; charset=utf-8");
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), nodes.len() + 1);
    assert_eq!(
        rows[0],
        "value,label,type,cluster,x,y,initiatives,links,total_link_count,url"
    );
    let (_, svg) = download(&app, "/analyse/kaart.svg?kaart=onderwerpen").await;
    assert!(svg.starts_with("<?xml"));
    // A link between two topics without narrower ones leads to the search of exactly the
    // initiatives filed under both.
    let leaves = app
        .data("{ topics { code narrower { code } } }", json!({}))
        .await;
    let leaf = |code: &Value| {
        leaves["topics"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["code"] == *code))
            .is_some_and(|t| len(&t["narrower"]) == 0)
    };
    let link = links
        .iter()
        .filter(|l| {
            let (a, b) = (
                &nodes[l["from"].as_u64().unwrap_or(0) as usize],
                &nodes[l["to"].as_u64().unwrap_or(0) as usize],
            );
            leaf(&a["value"]) && leaf(&b["value"])
        })
        .max_by_key(|l| l["count"].as_i64())
        .expect("a link between two leaves");
    let (a, b) = (
        nodes[link["from"].as_u64().unwrap_or(0) as usize]["value"].clone(),
        nodes[link["to"].as_u64().unwrap_or(0) as usize]["value"].clone(),
    );
    let href = format!(
        "/zoeken?elk-onderwerp={}&amp;elk-onderwerp={}",
        a.as_str().unwrap_or("?"),
        b.as_str().unwrap_or("?")
    );
    assert!(body.contains(&href), "{href}");
    let shared = app
        .data(
            "query S($f: InitiativeFilter) { initiatives(filter: $f) { totalCount } }",
            json!({ "f": { "everyTopic": [a, b] } }),
        )
        .await;
    assert_eq!(shared["initiatives"]["totalCount"], link["count"]);
    let search = page(&app, &href.replace("&amp;", "&")).await;
    let count = link["count"].as_i64().unwrap_or(0);
    let found = if count == 1 {
        "1 initiatief gevonden".to_owned()
    } else {
        format!("{count} initiatieven gevonden")
    };
    assert!(search.contains(&found), "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_the_map_zooms_marks_neighbours_and_the_keyboard_reaches_every_node() {
    let browser = tools::chromium();
    let dir = tools::node_packages("tests/browser");
    let app = TestApp::spawn(crate::support::Db::Sqlite).await;
    for path in [
        "/analyse/kaart?kaart=onderwerpen",
        "/analyse/kaart?kaart=organisaties",
    ] {
        let out = tokio::process::Command::new("node")
            .arg("map.mjs")
            .current_dir(&dir)
            .env("BASE", app.url(""))
            .env("PAGE", path)
            .env("CHROMIUM", browser)
            .kill_on_drop(true)
            .output()
            .await
            .expect("node map.mjs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "the browser run on {path} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!stdout.contains("FAIL"), "{stdout}");
        assert!(stdout.contains("nodes in order"), "{stdout}");
    }
}

on_both!(the_demo_maps_cluster_as_well_as_leidenalg);
async fn the_demo_maps_cluster_as_well_as_leidenalg(app: TestApp) {
    for (kind, resolution) in [
        ("TOPICS", 1.0),
        ("TOPICS", 0.5),
        ("THEMES_AND_TOPICS", 1.0),
        ("ORGANISATIONS", 1.0),
        ("ORGANISATIONS", 2.0),
    ] {
        let data = app
            .data(
                "query M($kind: MapKind!, $r: Float) { analytics { map(kind: $kind, resolution: $r) {
                   quality nodes { cluster x y } links { from to strength } clusters { id members } } } }",
                json!({ "kind": kind, "r": resolution }),
            )
            .await;
        let map = &data["analytics"]["map"];
        let nodes = map["nodes"].as_array().expect("nodes");
        let links: Vec<(u32, u32, f64)> = map["links"]
            .as_array()
            .expect("links")
            .iter()
            .map(|l| {
                (
                    l["from"].as_u64().unwrap_or(0) as u32,
                    l["to"].as_u64().unwrap_or(0) as u32,
                    l["strength"].as_f64().unwrap_or(0.0),
                )
            })
            .collect();
        let cluster: Vec<u32> = nodes
            .iter()
            .map(|n| n["cluster"].as_u64().unwrap_or(0) as u32)
            .collect();
        // Every node in exactly one cluster, as the clusters list them.
        let listed: usize = map["clusters"]
            .as_array()
            .expect("clusters")
            .iter()
            .map(|c| len(&c["members"]))
            .sum();
        assert_eq!(listed, nodes.len(), "{kind}");
        assert!(
            nodes
                .iter()
                .all(|n| n["x"].as_f64().is_some_and(f64::is_finite))
        );
        let checked = crate::clustering::leidenalg(nodes.len(), &links, resolution, &cluster);
        let best = checked["leidenalg_best"].as_f64().expect("best");
        let theirs_of_ours = checked["ours"].as_f64().expect("ours");
        let ours = map["quality"].as_f64().expect("quality");
        println!(
            "{kind} at {resolution}: {} nodes, ours {ours}, leidenalg best of 10 {best}",
            nodes.len()
        );
        assert!(
            (ours - theirs_of_ours).abs() <= 1e-9 * ours.abs().max(1.0),
            "{kind}: our quality {ours}, leidenalg's of our partition {theirs_of_ours}"
        );
        assert!(
            ours >= best - 0.01 * best.abs(),
            "{kind} at {resolution}: {ours} is not within 1% of leidenalg's best {best}"
        );
    }
}
