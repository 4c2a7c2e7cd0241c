//! Pages of related rows for many parents in one statement: a connection nested under
//! a list (the initiatives of every theme, the events of every initiative) costs one
//! statement for the whole level, not one per parent, and each parent's page follows an
//! index instead of sorting every related row.

use std::collections::HashMap;

use kb_domain::{Page, PageRequest};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, NullOrdering, Order, OrderedStatement, Query,
    SelectStatement, SimpleExpr, UnionType,
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

/// SQLite's limit on the members of one compound SELECT is 500; stay well below it.
const PARENTS_PER_STATEMENT: usize = 200;

/// Pages of `E` rows per parent, in `order`, and (when `page.count`) each parent's
/// total. Each parent's page is its own `ORDER BY … LIMIT` branch of one `UNION ALL`, so
/// it follows an index and stops early instead of ranking every related row; the
/// branches' rows are joined back in one statement. Totals cost a grouped count over
/// every related row, one more statement, made only when asked for.
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
    let mut out: HashMap<i64, Page<E::Model>> = parents
        .iter()
        .map(|p| {
            (
                *p,
                Page {
                    items: Vec::new(),
                    offset: page.offset,
                    total: None,
                    has_next: false,
                },
            )
        })
        .collect();
    if parents.is_empty() {
        return Ok(out);
    }
    let link = Alias::new(edge.table);
    let entity = E::default();
    let parent_col = || Expr::col((link.clone(), Alias::new(edge.parent_col)));
    let sort_key = |n: usize| Alias::new(format!("kb_s{n}"));
    for chunk in parents.chunks(PARENTS_PER_STATEMENT) {
        let mut union: Option<SelectStatement> = None;
        for (b, parent) in chunk.iter().enumerate() {
            let mut branch = Query::select();
            branch
                .expr_as(parent_col(), Alias::new("kb_parent"))
                .expr_as(Expr::col((entity, Alias::new("id"))), Alias::new("kb_id"));
            for (n, s) in order.iter().enumerate() {
                branch.expr_as(s.expr.clone(), sort_key(n));
            }
            branch
                .from(entity)
                .inner_join(
                    link.clone(),
                    Expr::col((link.clone(), Alias::new(edge.child_col)))
                        .equals((entity, Alias::new("id")))
                        .and(parent_col().eq(*parent)),
                )
                .cond_where(visible.clone());
            apply(&mut branch, order);
            // One row more than asked tells whether a next page exists.
            branch.limit(page.limit + 1).offset(page.offset);
            let wrapped = Query::select()
                .column(Asterisk)
                .from_subquery(branch, Alias::new(format!("kb_b{b}")))
                .take();
            union = Some(match union {
                None => wrapped,
                Some(mut u) => {
                    u.union(UnionType::All, wrapped);
                    u
                }
            });
        }
        let Some(union) = union else { continue };
        let u = Alias::new("kb_u");
        let mut q = Query::select();
        for col in E::Column::iter() {
            q.column((entity, col));
        }
        q.column((u.clone(), Alias::new("kb_parent")))
            .from_subquery(union, u.clone())
            .inner_join(
                entity,
                Expr::col((entity, Alias::new("id"))).equals((u.clone(), Alias::new("kb_id"))),
            )
            .order_by((u.clone(), Alias::new("kb_parent")), Order::Asc);
        let outer: Vec<Sort> = order
            .iter()
            .enumerate()
            .map(|(n, s)| Sort {
                expr: Expr::col((u.clone(), sort_key(n))),
                ..s.clone()
            })
            .collect();
        apply(&mut q, &outer);
        for row in db.query_all(&q).await? {
            let parent: i64 = row.try_get("", "kb_parent")?;
            let model = E::Model::from_query_result(&row, "")?;
            if let Some(entry) = out.get_mut(&parent) {
                if (entry.items.len() as u64) < page.limit {
                    entry.items.push(model);
                } else {
                    entry.has_next = true;
                }
            }
        }
    }
    if page.count {
        for chunk in parents.chunks(PARENTS_PER_STATEMENT) {
            let q = Query::select()
                .expr_as(parent_col(), Alias::new("kb_parent"))
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("kb_total"))
                .from(entity)
                .inner_join(
                    link.clone(),
                    Expr::col((link.clone(), Alias::new(edge.child_col)))
                        .equals((entity, Alias::new("id"))),
                )
                .and_where(parent_col().is_in(chunk.iter().copied()))
                .cond_where(visible.clone())
                .group_by_col((link.clone(), Alias::new(edge.parent_col)))
                .take();
            for row in db.query_all(&q).await? {
                let parent: i64 = row.try_get("", "kb_parent")?;
                let total: i64 = row.try_get("", "kb_total")?;
                if let Some(entry) = out.get_mut(&parent) {
                    entry.total = Some(total as u64);
                }
            }
        }
        for entry in out.values_mut() {
            entry.total.get_or_insert(0);
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
