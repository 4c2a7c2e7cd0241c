//! The CSV exports: every published initiative as a row (`initiatives.csv`), and the
//! co-occurrence table of two dimensions as one row per cell (`cooccurrence.csv`, long
//! form, which pandas pivots into a matrix). The columns are fixed and listed in
//! docs/exports.md; lists inside a cell are codes joined by `;`.

use kb_domain::{InitiativeFilter, Vocabulary};
use kb_readmodel::ReadModel;
use kb_readmodel::analytics::{Dimension, Order};
use kb_store::Store;

use super::text::{csv_record, number};
use super::{BATCH, Sink, VIEWER, records};

/// The columns of `initiatives.csv`, in order.
pub(super) const INITIATIVE_COLUMNS: [&str; 23] = [
    "id",
    "slug",
    "title",
    "summary",
    "title_en",
    "summary_en",
    "kind",
    "themes",
    "topics",
    "organisations",
    "lead_organisation",
    "region",
    "start_year",
    "end_year",
    "languages",
    "target_groups",
    "education_levels",
    "format",
    "cost",
    "evidence_level",
    "website",
    "published_at",
    "updated_at",
];

/// The columns of `cooccurrence.csv`, in order.
pub(super) const COOCCURRENCE_COLUMNS: [&str; 18] = [
    "row",
    "row_label_nl",
    "row_label_en",
    "column",
    "column_label_nl",
    "column_label_en",
    "count",
    "expected",
    "lift",
    "jaccard",
    "npmi",
    "p_value",
    "row_total",
    "column_total",
    "population",
    "q_value",
    "p_under",
    "q_under",
];

fn code<V: Vocabulary>(v: Option<V>) -> String {
    v.map(|v| v.code().to_owned()).unwrap_or_default()
}

fn year(y: Option<i32>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// Every initiative the public sees, lowest id first.
pub(super) async fn initiatives(
    store: &Store,
    model: &ReadModel,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    csv_record(sink.buf(), &INITIATIVE_COLUMNS)?;
    let ids = model.visible_initiatives(VIEWER).await;
    for batch in ids.chunks(BATCH) {
        for r in records::load(store, batch).await? {
            let i = &r.initiative;
            let join = |codes: Vec<&str>| codes.join(";");
            let lead = r
                .organisations
                .iter()
                .find(|(role, _)| *role == kb_domain::OrganisationRole::Lead)
                .map(|(_, o)| o.slug.clone())
                .unwrap_or_default();
            let fields: [String; 23] = [
                kb_domain::NodeId::global(i.id).encode(),
                i.slug.clone(),
                i.title.clone(),
                i.summary.clone(),
                i.title_en.clone().unwrap_or_default(),
                i.summary_en.clone().unwrap_or_default(),
                i.kind.code().to_owned(),
                r.themes.join(";"),
                r.topics.join(";"),
                join(
                    r.organisations
                        .iter()
                        .map(|(_, o)| o.slug.as_str())
                        .collect(),
                ),
                lead,
                code(i.region),
                year(i.start_year),
                year(i.end_year),
                r.terms.languages.join(";"),
                join(r.terms.target_groups.iter().map(|t| t.code()).collect()),
                join(r.terms.education_levels.iter().map(|t| t.code()).collect()),
                code(i.format),
                code(i.cost),
                code(i.evidence_level),
                i.website.clone().unwrap_or_default(),
                i.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                i.updated_at.to_rfc3339(),
            ];
            csv_record(sink.buf(), &fields)?;
            sink.flush_if_full().await?;
        }
    }
    Ok(())
}

/// The co-occurrence of `rows` and `columns` among every initiative the public sees:
/// every cell, zero cells included, row by row.
pub(super) async fn cooccurrence(
    model: &ReadModel,
    rows: Dimension,
    columns: Dimension,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    let table = model
        .cooccurrence(
            VIEWER,
            rows,
            columns,
            &InitiativeFilter::default(),
            Order::Taxonomy,
        )
        .await?;
    csv_record(sink.buf(), &COOCCURRENCE_COLUMNS)?;
    let population = table.population.to_string();
    for cell in &table.cells {
        let (Some(r), Some(c)) = (table.rows.get(cell.row), table.columns.get(cell.column)) else {
            continue;
        };
        let m = &cell.measures;
        let fields: [String; 18] = [
            r.value.value.clone(),
            r.value.label.nl.clone(),
            r.value.label.en.clone().unwrap_or_default(),
            c.value.value.clone(),
            c.value.label.nl.clone(),
            c.value.label.en.clone().unwrap_or_default(),
            m.count.to_string(),
            number(m.expected),
            number(m.lift),
            number(m.jaccard),
            number(m.npmi),
            number(m.p_value),
            r.total.to_string(),
            c.total.to_string(),
            population.clone(),
            number(cell.q_value),
            number(m.p_under),
            number(cell.q_under),
        ];
        csv_record(sink.buf(), &fields)?;
        sink.flush_if_full().await?;
    }
    Ok(())
}
