//! Windows of related rows for many parents in one statement: `ROW_NUMBER()` and
//! `COUNT(*)` over a partition per parent, so a connection nested under a list (the
//! initiatives of every theme, the events of every initiative) costs one statement for
//! the whole level, not one per parent. SQLite (3.25+) and PostgreSQL both run it.

use std::collections::HashMap;

use kb_domain::{Page, PageRequest};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, NullOrdering, Order, OrderedStatement, Query, SimpleExpr,
    WindowStatement,
};
use sea_orm::{Condition, ConnectionTrait, EntityTrait, FromQueryResult, Iterable};

use crate::Result;

/// One term of an ordering.
#[derive(Debug, Clone)]
pub(crate) struct Sort {
    pub expr: Expr,
    pub order: Order,
    /// `NULLS LAST`, so both databases agree where rows without a value go.
    pub nulls_last: bool,
}

impl Sort {
    pub fn asc(expr: Expr) -> Self {
        Sort {
            expr,
            order: Order::Asc,
            nulls_last: false,
        }
    }
    pub fn desc(expr: Expr) -> Self {
        Sort {
            expr,
            order: Order::Desc,
            nulls_last: false,
        }
    }
    pub fn desc_nulls_last(expr: Expr) -> Self {
        Sort {
            expr,
            order: Order::Desc,
            nulls_last: true,
        }
    }
}

/// Adds an ordering to a statement (or a window).
pub(crate) fn apply<S: OrderedStatement>(stmt: &mut S, sorts: &[Sort]) {
    for s in sorts {
        if s.nulls_last {
            stmt.order_by_expr_with_nulls(s.expr.clone(), s.order.clone(), NullOrdering::Last);
        } else {
            stmt.order_by_expr(s.expr.clone(), s.order.clone());
        }
    }
}

/// The edge table that links a parent to the rows of a window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub table: &'static str,
    pub parent_col: &'static str,
    pub child_col: &'static str,
}

/// Pages of `E` rows per parent, in `order`, with each parent's total. The window is
/// computed over ids only (narrow rows sort fast); the page's rows are joined back.
pub(crate) async fn pages<E, C>(
    db: &C,
    edge: Edge,
    parents: &[i64],
    visible: Condition,
    order: &[Sort],
    page: PageRequest,
) -> Result<HashMap<i64, Page<E::Model>>>
where
    E: EntityTrait + Default,
    E::Model: FromQueryResult,
    C: ConnectionTrait,
{
    let mut out: HashMap<i64, Page<E::Model>> = HashMap::new();
    if parents.is_empty() {
        return Ok(out);
    }
    let link = Alias::new(edge.table);
    let entity = E::default();
    let parent_col = || Expr::col((link.clone(), Alias::new(edge.parent_col)));
    let mut rank = WindowStatement::partition_by((link.clone(), Alias::new(edge.parent_col)));
    apply(&mut rank, order);
    let total = WindowStatement::partition_by((link.clone(), Alias::new(edge.parent_col)));
    let mut inner = Query::select();
    inner
        .expr_as(parent_col(), Alias::new("kb_parent"))
        .expr_as(Expr::col((entity, Alias::new("id"))), Alias::new("kb_id"))
        .expr_window_as(Expr::cust("ROW_NUMBER()"), rank, Alias::new("kb_rn"))
        .expr_window_as(Expr::cust("COUNT(*)"), total, Alias::new("kb_total"))
        .from(entity)
        .inner_join(
            link.clone(),
            Expr::col((link.clone(), Alias::new(edge.child_col)))
                .equals((entity, Alias::new("id"))),
        )
        .and_where(parent_col().is_in(parents.iter().copied()))
        .cond_where(visible);
    // One row more than asked tells whether a next page exists; at least one row per
    // parent is read so the total is known even for `first: 0`.
    let upto = page.offset + Ord::max(page.limit, 1) + 1;
    let w = Alias::new("w");
    let mut outer = Query::select();
    for col in E::Column::iter() {
        outer.column((entity, col));
    }
    outer
        .column((w.clone(), Alias::new("kb_parent")))
        .column((w.clone(), Alias::new("kb_total")))
        .from_subquery(inner, w.clone())
        .inner_join(
            entity,
            Expr::col((entity, Alias::new("id"))).equals((w.clone(), Alias::new("kb_id"))),
        )
        .and_where(Expr::col((w.clone(), Alias::new("kb_rn"))).gt(page.offset as i64))
        .and_where(Expr::col((w.clone(), Alias::new("kb_rn"))).lte(upto as i64))
        .order_by((w.clone(), Alias::new("kb_parent")), Order::Asc)
        .order_by((w, Alias::new("kb_rn")), Order::Asc);
    let rows = db.query_all(&outer).await?;
    for row in rows {
        let parent: i64 = row.try_get("", "kb_parent")?;
        let total: i64 = row.try_get("", "kb_total")?;
        let model = E::Model::from_query_result(&row, "")?;
        let entry = out.entry(parent).or_insert_with(|| Page {
            items: Vec::new(),
            offset: page.offset,
            total: Some(total as u64),
            has_next: false,
        });
        if (entry.items.len() as u64) < page.limit {
            entry.items.push(model);
        } else {
            entry.has_next = true;
        }
    }
    Ok(out)
}

/// A row of `E` reached from a parent through an edge, with the edge's own columns.
pub(crate) struct Linked<M> {
    pub parent: i64,
    pub model: M,
    pub row: sea_orm::QueryResult,
}

/// Every visible `E` row linked to any of `parents`, in `order`, in one statement.
/// `edge_filter` narrows the edge rows (a link type, say); `edge_cols` are edge columns
/// read back from `Linked::row`.
pub(crate) async fn linked<E, C>(
    db: &C,
    edge: Edge,
    parents: &[i64],
    visible: Condition,
    edge_filter: Option<SimpleExpr>,
    order: &[Sort],
    edge_cols: &[&'static str],
) -> Result<Vec<Linked<E::Model>>>
where
    E: EntityTrait + Default,
    E::Model: FromQueryResult,
    C: ConnectionTrait,
{
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    let link = Alias::new(edge.table);
    let entity = E::default();
    let mut q = Query::select();
    for col in E::Column::iter() {
        q.column((entity, col));
    }
    q.expr_as(
        Expr::col((link.clone(), Alias::new(edge.parent_col))),
        Alias::new("kb_parent"),
    );
    for c in edge_cols {
        q.expr_as(
            Expr::col((link.clone(), Alias::new(*c))),
            Alias::new(format!("kb_{c}")),
        );
    }
    q.from(entity)
        .inner_join(
            link.clone(),
            Expr::col((link.clone(), Alias::new(edge.child_col)))
                .equals((entity, Alias::new("id"))),
        )
        .and_where(
            Expr::col((link.clone(), Alias::new(edge.parent_col))).is_in(parents.iter().copied()),
        )
        .cond_where(visible);
    if let Some(f) = edge_filter {
        q.and_where(f);
    }
    apply(&mut q, order);
    q.order_by((entity, Alias::new("id")), Order::Asc);
    let rows = db.query_all(&q).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let parent: i64 = row.try_get("", "kb_parent")?;
        let model = E::Model::from_query_result(&row, "")?;
        out.push(Linked { parent, model, row });
    }
    Ok(out)
}
