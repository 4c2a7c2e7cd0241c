//! Co-occurrence tables in the API: the cells and the row and column totals.
//!
//! A table of topics by organisations has some 8,000 cells and 2,500 columns. Resolved
//! as derived objects, every field of every item is a future of its own (boxed, passed
//! through the extensions, put in order), which took most of such an answer's time. The
//! two lists therefore read their selection set once, as a plan of response keys and
//! fields, and build every item's object from it. The objects are the same as the
//! derived resolvers give; a selection the plan does not cover (a field with directives
//! left after `@skip`/`@include`, which are applied before execution) is resolved the
//! derived way. Extensions see the list field, not the fields of each item: none of the
//! schema's extensions looks at fields.

use std::borrow::Cow;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use std::sync::Arc;

use async_graphql::{
    ComplexObject, Context, ContextSelectionSet, InputType, Name, Object, OutputType, Positioned,
    ScalarType, ServerResult, SimpleObject, Value,
};
use kb_domain::ErrorCode;
use kb_domain::lang::Language as Lang;
use kb_readmodel::analytics as a;

use crate::error::coded;
use crate::types::vocab::{Language, lang_of};

/// One value of a dimension and how many initiatives of the population hold it.
#[derive(Debug, Clone)]
pub struct DimensionTotal(a::Margin);

/// One value of a dimension and how many initiatives of the population hold it.
#[Object]
impl DimensionTotal {
    /// The code: a theme's or topic's code, a vocabulary code, a language code, a year,
    /// or an organisation's id.
    async fn value(&self) -> &str {
        &self.0.value.value
    }
    /// The value's label in `lang` (by default the request's language).
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language of the label; by default the request's.")] lang: Option<
            Language,
        >,
    ) -> String {
        self.0.value.label.get(lang_of(ctx, lang)).to_owned()
    }
    /// How many initiatives of the population hold the value.
    async fn total(&self) -> i64 {
        self.0.total as i64
    }
}

/// One cell of a co-occurrence table. Every number is finite: see docs/analytics.md for
/// the formulas and the values of empty cells.
#[derive(SimpleObject, Debug, Clone)]
pub struct CooccurrenceCell {
    /// The row's value.
    pub row: String,
    /// The column's value.
    pub column: String,
    /// Initiatives holding both.
    pub count: i64,
    /// `rowTotal × columnTotal / population`.
    pub expected: f64,
    /// `count / expected`; 0 when nothing is expected.
    pub lift: f64,
    /// `count / (rowTotal + columnTotal − count)`.
    pub jaccard: f64,
    /// Normalised pointwise mutual information, −1 (never together) to 1 (always).
    pub npmi: f64,
    /// `P(X ≥ count)` under the hypergeometric distribution (independence): how
    /// surprising so many together are.
    pub p_value: f64,
    /// The Benjamini–Hochberg q-value of `pValue` over every cell of the table (the
    /// false discovery rate at which this cell is more than chance).
    pub q_value: f64,
    /// `P(X ≤ count)`: how surprising so few together are.
    pub p_under: f64,
    /// The Benjamini–Hochberg q-value of `pUnder` over every cell of the table.
    pub q_under: f64,
}

/// How the values of two dimensions occur together.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Cooccurrence {
    /// Initiatives counted: those the filter holds for the viewer.
    pub population: i64,
    /// The row dimension's values, each with its total.
    pub rows: Totals,
    /// The column dimension's values, each with its total.
    pub columns: Totals,
    /// Every row × column pair, row by row (pairs below `minCount` left out).
    pub cells: Cells,
    /// The whole table, every cell, for `gaps`.
    #[graphql(skip)]
    pub whole: Arc<a::Cooccurrence>,
}

/// The most gaps listed.
const MAX_GAPS: usize = 1_000;

#[ComplexObject]
impl Cooccurrence {
    /// Where little is shared yet: the cells with significantly fewer initiatives than
    /// chance predicts (`qUnder` below `maxQValue`), the most surprising first (lowest
    /// `qUnder`, then the largest shortfall below `expected`), whatever `minCount` is.
    async fn gaps(
        &self,
        #[graphql(desc = "The false discovery rate a gap stays under; 0.05 by default.")]
        max_q_value: Option<f64>,
        #[graphql(desc = "How many gaps: 1 to 1,000, 20 by default.")] first: Option<i32>,
    ) -> async_graphql::Result<Cells> {
        let max_q = max_q_value.unwrap_or(0.05);
        if !(0.0..=1.0).contains(&max_q) {
            return Err(coded(
                ErrorCode::BadUserInput,
                "maxQValue is 0 to 1",
                Some("maxQValue"),
            ));
        }
        let first = match first.unwrap_or(20) {
            n @ 1.. if n as usize <= MAX_GAPS => n as usize,
            _ => {
                return Err(coded(
                    ErrorCode::LimitExceeded,
                    format!("first is 1 to {MAX_GAPS}"),
                    Some("first"),
                ));
            }
        };
        let mut at = self.whole.gaps(max_q);
        at.truncate(first);
        Ok(Cells {
            whole: self.whole.clone(),
            picked: Picked::These(at),
        })
    }
}

impl Cooccurrence {
    /// The answer of `whole` with the cells counting at least `min_count`.
    pub fn new(whole: Arc<a::Cooccurrence>, min_count: u64) -> Self {
        Self {
            population: whole.population as i64,
            cells: Cells {
                whole: whole.clone(),
                picked: Picked::AtLeast(min_count),
            },
            rows: Totals {
                whole: whole.clone(),
                columns: false,
            },
            columns: Totals {
                whole: whole.clone(),
                columns: true,
            },
            whole,
        }
    }
}

/// What one response key of a list's items holds.
#[derive(Debug, Clone, Copy)]
enum Slot<F> {
    Typename,
    Field(F),
}

/// The response keys of a list's items and what each holds, in the order of the
/// selection set and each key once (a repeated key answers the same field); `None` when
/// a field needs the derived resolvers. `field_of` names the plan's field for a field
/// of the selection.
fn plan<F>(
    ctx: &ContextSelectionSet<'_>,
    list: &Positioned<Field>,
    field_of: impl Fn(&Context<'_>, &async_graphql::SelectionField<'_>) -> Option<F>,
) -> Option<Vec<(Name, Slot<F>)>> {
    let ctx = ctx.with_field(list);
    let mut plan: Vec<(Name, Slot<F>)> = Vec::new();
    for f in ctx.field().selection_set() {
        if !f.directives().ok()?.is_empty() {
            return None;
        }
        let key = Name::new(f.alias().unwrap_or(f.name()));
        if plan.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let slot = if f.name() == "__typename" {
            Slot::Typename
        } else {
            Slot::Field(field_of(&ctx, &f)?)
        };
        plan.push((key, slot));
    }
    (!plan.is_empty()).then_some(plan)
}

/// A field without arguments: `name` when it has none, else `None`.
fn plain<F>(f: &async_graphql::SelectionField<'_>, name: F) -> Option<F> {
    f.arguments().ok()?.is_empty().then_some(name)
}

/// The objects of `items` by `plan`, with `value` giving an item's value of a field.
/// Each object is a copy of one made once with the plan's keys, its values then set in
/// place: copying a map copies its hash table, so no key is hashed again for each item
/// (a table's answer can hold tens of thousands of objects).
fn objects<'a, T: 'a, F: Copy>(
    items: impl Iterator<Item = &'a T>,
    plan: &[(Name, Slot<F>)],
    typename: &str,
    value: impl Fn(&T, F) -> Value,
) -> Value {
    let keys: IndexMap<Name, Value> = plan.iter().map(|(k, _)| (k.clone(), Value::Null)).collect();
    Value::List(
        items
            .map(|item| {
                let mut object = keys.clone();
                for (v, (_, slot)) in object.values_mut().zip(plan) {
                    *v = match slot {
                        Slot::Typename => Value::String(typename.to_owned()),
                        Slot::Field(f) => value(item, *f),
                    };
                }
                Value::Object(object)
            })
            .collect(),
    )
}

/// The fields of a [`CooccurrenceCell`].
#[derive(Debug, Clone, Copy)]
enum CellField {
    Row,
    Column,
    Count,
    Expected,
    Lift,
    Jaccard,
    Npmi,
    PValue,
    QValue,
    PUnder,
    QUnder,
}

/// Which cells of the whole table a list holds.
#[derive(Debug, Clone)]
enum Picked {
    /// Those counting at least this many, in the table's order.
    AtLeast(u64),
    /// These, by their place in the table.
    These(Vec<usize>),
}

/// The cells of a table, `[CooccurrenceCell!]!` in the schema: read from the whole
/// table (kept, for the published view, until the next change), never copied.
#[derive(Debug, Clone)]
pub struct Cells {
    whole: Arc<a::Cooccurrence>,
    picked: Picked,
}

impl Cells {
    fn code(list: &[a::Margin], i: usize) -> String {
        list.get(i)
            .map(|m| m.value.value.clone())
            .unwrap_or_default()
    }

    /// The cells the list holds, in order.
    fn each(&self) -> Box<dyn Iterator<Item = &a::Cell> + Send + '_> {
        match &self.picked {
            Picked::AtLeast(min) => Box::new(
                self.whole
                    .cells
                    .iter()
                    .filter(move |c| c.measures.count >= *min),
            ),
            Picked::These(at) => Box::new(at.iter().filter_map(|&i| self.whole.cells.get(i))),
        }
    }

    /// Each cell as the derived object.
    fn derived(&self) -> Vec<CooccurrenceCell> {
        self.each()
            .map(|c| CooccurrenceCell {
                row: Self::code(&self.whole.rows, c.row),
                column: Self::code(&self.whole.columns, c.column),
                count: c.measures.count as i64,
                expected: c.measures.expected,
                lift: c.measures.lift,
                jaccard: c.measures.jaccard,
                npmi: c.measures.npmi,
                p_value: c.measures.p_value,
                q_value: c.q_value,
                p_under: c.measures.p_under,
                q_under: c.q_under,
            })
            .collect()
    }

    fn value(&self, c: &a::Cell, f: CellField) -> Value {
        let m = &c.measures;
        match f {
            CellField::Row => Value::String(Self::code(&self.whole.rows, c.row)),
            CellField::Column => Value::String(Self::code(&self.whole.columns, c.column)),
            CellField::Count => ScalarType::to_value(&(m.count as i64)),
            CellField::Expected => ScalarType::to_value(&m.expected),
            CellField::Lift => ScalarType::to_value(&m.lift),
            CellField::Jaccard => ScalarType::to_value(&m.jaccard),
            CellField::Npmi => ScalarType::to_value(&m.npmi),
            CellField::PValue => ScalarType::to_value(&m.p_value),
            CellField::QValue => ScalarType::to_value(&c.q_value),
            CellField::PUnder => ScalarType::to_value(&m.p_under),
            CellField::QUnder => ScalarType::to_value(&c.q_under),
        }
    }
}

impl OutputType for Cells {
    fn type_name() -> Cow<'static, str> {
        <Vec<CooccurrenceCell>>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<CooccurrenceCell>>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<CooccurrenceCell>>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let plan = plan(ctx, field, |_, f| {
            let name = match f.name() {
                "row" => CellField::Row,
                "column" => CellField::Column,
                "count" => CellField::Count,
                "expected" => CellField::Expected,
                "lift" => CellField::Lift,
                "jaccard" => CellField::Jaccard,
                "npmi" => CellField::Npmi,
                "pValue" => CellField::PValue,
                "qValue" => CellField::QValue,
                "pUnder" => CellField::PUnder,
                "qUnder" => CellField::QUnder,
                _ => return None,
            };
            plain(f, name)
        });
        match plan {
            Some(plan) => Ok(objects(
                self.each(),
                &plan,
                &CooccurrenceCell::type_name(),
                |c, f| self.value(c, f),
            )),
            None => self.derived().resolve(ctx, field).await,
        }
    }
}

/// The fields of a [`DimensionTotal`]; a label in the language its field asks for.
#[derive(Debug, Clone, Copy)]
enum TotalField {
    Value,
    Label(Lang),
    Total,
}

/// The rows or columns of a table, `[DimensionTotal!]!` in the schema, read from the
/// whole table.
#[derive(Debug, Clone)]
pub struct Totals {
    whole: Arc<a::Cooccurrence>,
    columns: bool,
}

impl Totals {
    fn list(&self) -> &[a::Margin] {
        if self.columns {
            &self.whole.columns
        } else {
            &self.whole.rows
        }
    }
}

impl OutputType for Totals {
    fn type_name() -> Cow<'static, str> {
        <Vec<DimensionTotal>>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<DimensionTotal>>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<DimensionTotal>>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let plan = plan(ctx, field, |ctx, f| match f.name() {
            "value" => plain(f, TotalField::Value),
            "total" => plain(f, TotalField::Total),
            "label" => {
                let mut lang = None;
                for (name, value) in f.arguments().ok()? {
                    if name.as_str() != "lang" {
                        return None;
                    }
                    lang = <Option<Language>>::parse(Some(value)).ok()?;
                }
                Some(TotalField::Label(lang_of(ctx, lang)))
            }
            _ => None,
        });
        match plan {
            Some(plan) => Ok(objects(
                self.list().iter(),
                &plan,
                &DimensionTotal::type_name(),
                |m, f| match f {
                    TotalField::Value => Value::String(m.value.value.clone()),
                    TotalField::Label(lang) => Value::String(m.value.label.get(lang).to_owned()),
                    TotalField::Total => ScalarType::to_value(&(m.total as i64)),
                },
            )),
            None => {
                let derived: Vec<DimensionTotal> =
                    self.list().iter().cloned().map(DimensionTotal).collect();
                derived.resolve(ctx, field).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Request, Schema, Variables};
    use kb_domain::lang::Localised;
    use serde_json::json;

    use super::*;

    fn table() -> a::Cooccurrence {
        let margin = |value: &str, en: Option<&str>, total| a::Margin {
            value: a::DimensionValue {
                value: value.into(),
                label: Localised::new(format!("{value} nl"), en.map(str::to_owned)),
            },
            total,
        };
        let cell = |row, column, count, x: f64| a::Cell {
            row,
            column,
            measures: a::CellMeasures {
                count,
                expected: x,
                lift: x * 3.0,
                jaccard: 0.1 + 0.2,
                npmi: -x,
                p_value: x / 7.0,
                p_under: x / 5.0,
            },
            q_value: x / 3.0,
            q_under: x / 2.0,
        };
        a::Cooccurrence {
            population: 9,
            rows: vec![
                margin("policy", Some("policy en"), 4),
                margin("support", None, 5),
            ],
            columns: vec![margin("guide", None, 2), margin("tool", Some("tool en"), 7)],
            cells: vec![
                cell(0, 0, 1, 0.25),
                cell(0, 1, 3, 1.0 / 3.0),
                cell(1, 1, 4, 1e-300),
            ],
        }
    }

    /// The same table as the planned lists and as the derived objects.
    struct Root;

    #[Object]
    impl Root {
        async fn planned(&self) -> Cooccurrence {
            Cooccurrence::new(Arc::new(table()), 0)
        }
        async fn cells(&self) -> Vec<CooccurrenceCell> {
            Cooccurrence::new(Arc::new(table()), 0).cells.derived()
        }
        async fn columns(&self) -> Vec<DimensionTotal> {
            table().columns.into_iter().map(DimensionTotal).collect()
        }
    }

    async fn run(query: &str, variables: serde_json::Value) -> serde_json::Value {
        let schema = Schema::new(Root, EmptyMutation, EmptySubscription);
        let request = Request::new(query).variables(Variables::from_json(variables));
        let response = schema.execute(request).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        response.data.into_json().expect("JSON")
    }

    /// Asks `selection` of the cells (or the columns) both ways; they must agree.
    async fn same_both_ways(list: &str, selection: &str, variables: serde_json::Value) {
        // Only the variables and the fragment the selection uses.
        let defs: Vec<&str> = [
            ("$yes", "$yes: Boolean = true"),
            ("$no", "$no: Boolean = false"),
            ("$lang", "$lang: Language"),
        ]
        .into_iter()
        .filter(|(name, _)| selection.contains(name))
        .map(|(_, def)| def)
        .collect();
        let header = if defs.is_empty() {
            String::new()
        } else {
            format!("query({})", defs.join(", "))
        };
        let fragment = if selection.contains("...F") {
            "fragment F on CooccurrenceCell { lift row }"
        } else {
            ""
        };
        let planned = run(
            &format!("{header} {{ planned {{ {list} {selection} }} }} {fragment}"),
            variables.clone(),
        )
        .await;
        let derived = run(
            &format!("{header} {{ {list} {selection} }} {fragment}"),
            variables,
        )
        .await;
        assert_eq!(planned["planned"][list], derived[list], "{selection}");
        assert!(
            derived[list]
                .as_array()
                .is_some_and(|items| !items.is_empty()),
            "{derived}"
        );
    }

    #[tokio::test]
    async fn planned_cells_are_the_objects_the_derived_resolvers_give() {
        for selection in [
            "{ row column count expected lift jaccard npmi pValue }",
            "{ qValue pUnder qUnder row }",
            "{ pValue count }",
            "{ __typename c: count count c: count }",
            "{ n: npmi ...F ... on CooccurrenceCell { count row } ... { jaccard } }",
            "{ row @include(if: $no) column @skip(if: $no) count @include(if: $yes) ...F @skip(if: $yes) }",
        ] {
            same_both_ways("cells", selection, json!({})).await;
        }
    }

    #[tokio::test]
    async fn planned_totals_are_the_objects_the_derived_resolvers_give() {
        for (selection, variables) in [
            ("{ value total }", json!({})),
            ("{ total __typename value }", json!({})),
            (
                "{ label en: label(lang: EN) nl: label(lang: NL) }",
                json!({}),
            ),
            ("{ label(lang: $lang) value }", json!({ "lang": "EN" })),
            ("{ label(lang: $lang) t: total }", json!({ "lang": null })),
        ] {
            same_both_ways("columns", selection, variables).await;
        }
    }

    #[tokio::test]
    async fn a_table_keeps_its_order_and_codes() {
        let got = run(
            "{ planned { population rows { value total } cells { row column count } } }",
            json!({}),
        )
        .await;
        assert_eq!(
            got["planned"],
            json!({
                "population": 9,
                "rows": [{ "value": "policy", "total": 4 }, { "value": "support", "total": 5 }],
                "cells": [
                    { "row": "policy", "column": "guide", "count": 1 },
                    { "row": "policy", "column": "tool", "count": 3 },
                    { "row": "support", "column": "tool", "count": 4 }
                ]
            })
        );
    }
}
