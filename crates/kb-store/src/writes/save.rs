//! What the writes of every entity share: the version-guarded update that turns a lost
//! race into a `CONFLICT`, one way to find a free slug, and replacing a parent's edge
//! rows.

use kb_domain::slug::{slugify, with_suffix};
use kb_domain::{DomainError, ErrorCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect,
};

use crate::{Result, StoreError};

/// Updates the row `id` only while its version is still `version`; the guarded statement
/// goes first in its transaction, so a concurrent writer is found before anything else is
/// written. A lost race is `CONFLICT` with the version that won.
pub(crate) async fn guarded_update<A>(
    txn: &DatabaseTransaction,
    row: A,
    id_col: <A::Entity as EntityTrait>::Column,
    version_col: <A::Entity as EntityTrait>::Column,
    id: i64,
    version: i32,
) -> Result<()>
where
    A: ActiveModelTrait + Send,
{
    let done = A::Entity::update_many()
        .set(row)
        .filter(id_col.eq(id))
        .filter(version_col.eq(version))
        .exec(txn)
        .await?;
    if done.rows_affected == 1 {
        return Ok(());
    }
    let current: Option<i32> = A::Entity::find()
        .select_only()
        .column(version_col)
        .filter(id_col.eq(id))
        .into_tuple()
        .one(txn)
        .await?;
    Err(DomainError::conflict(current.unwrap_or(version)).into())
}

/// A slug for `title` that no row has yet: the title's slug, or it with `-2`, `-3`, …;
/// `fallback` when the title has no letters or digits. A concurrent writer may still take
/// it first: the unique index then refuses, and [`retry_on_conflict`] tries again.
pub(crate) async fn free_slug<E, C>(
    db: &C,
    slug_col: E::Column,
    title: &str,
    fallback: &str,
) -> Result<String>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let base = match slugify(title) {
        s if s.is_empty() => fallback.to_owned(),
        s => s,
    };
    let taken: Vec<String> = E::find()
        .select_only()
        .column(slug_col)
        .filter(slug_col.starts_with(base.clone()))
        .into_tuple()
        .all(db)
        .await?;
    Ok((1..=u32::MAX)
        .map(|n| with_suffix(&base, n))
        .find(|s| !taken.contains(s))
        .unwrap_or(base))
}

/// The codes of a node's themes or topics, sorted, as its stored content holds them.
pub(crate) fn sorted_codes<P, T>(linked: Vec<(P, T)>, code: impl Fn(T) -> String) -> Vec<String> {
    let mut codes: Vec<String> = linked.into_iter().map(|(_, t)| code(t)).collect();
    codes.sort();
    codes
}

/// How often a create is tried when its free slug was taken meanwhile.
const SLUG_ATTEMPTS: usize = 8;

/// Runs `attempt` again while it fails with a unique-key `CONFLICT` (a slug taken by a
/// concurrent create), up to a few times; other outcomes return at once.
pub(crate) async fn retry_on_conflict<T, F, Fut>(mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Err(StoreError::Domain(e))
                if e.code == ErrorCode::Conflict && e.current_version.is_none() =>
            {
                if tries >= SLUG_ATTEMPTS {
                    return Err(e.into());
                }
            }
            other => return other,
        }
    }
}

/// Replaces the rows of an edge table that belong to one parent: the old rows go, the
/// new ones come in one multi-row insert.
pub(crate) async fn replace_rows<A>(
    txn: &DatabaseTransaction,
    parent: <A::Entity as EntityTrait>::Column,
    id: i64,
    rows: impl IntoIterator<Item = A>,
) -> Result<()>
where
    A: ActiveModelTrait + Send,
{
    A::Entity::delete_many()
        .filter(parent.eq(id))
        .exec(txn)
        .await?;
    let rows: Vec<A> = rows.into_iter().collect();
    if !rows.is_empty() {
        A::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
