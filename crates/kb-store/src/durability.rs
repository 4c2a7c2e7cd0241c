//! Writes are durable or refused.
//!
//! A write is acknowledged only after its transaction committed on a connection in a
//! known state. sqlx tracks a connection's transaction depth itself and lowers it only
//! when a `COMMIT` or `ROLLBACK` succeeds. When SQLite's disk fills, a statement fails
//! with `SQLITE_FULL` and SQLite may roll the whole transaction back by itself; the
//! `ROLLBACK` the dropped transaction then sends fails ("no transaction is active"), so
//! the connection goes back to the pool counting depth 1 while SQLite stands outside any
//! transaction. Its next `BEGIN` is sent as `SAVEPOINT`, which opens a transaction; a
//! failure in it sends `ROLLBACK TO SAVEPOINT`, which leaves that transaction open, with
//! the write lock; from then on every "transaction" on the connection is a savepoint
//! inside one that never commits. Its writes are acknowledged and lost, and every other
//! connection finds the database locked until the process ends.
//!
//! The pool therefore closes any connection that comes back still counting a
//! transaction ([`guard_release`]), after letting its queued rollback run: a connection
//! whose commit or rollback failed is never reused. Storage errors are their own kind
//! ([`storage_full`]), and [`Store::probe_writes`] tells whether a write can commit now.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sea_orm::sqlx::pool::PoolConnectionMetadata;
use sea_orm::sqlx::{Connection, Database};
use sea_orm::{ConnectionTrait, DbErr, RuntimeErr, TransactionTrait};

use crate::{Result, Store, StoreError};

/// SQLite's primary result code for a full disk or database (`SQLITE_FULL`).
const SQLITE_FULL: i32 = 13;
/// PostgreSQL's SQLSTATE `disk_full`.
const PG_DISK_FULL: &str = "53100";
/// `ENOSPC`: what the file system says when it has no room left.
const ENOSPC: i32 = 28;

/// Whether `e` says the disk (or the database) is full: nothing was written. Noted for
/// readiness when it does.
pub(crate) fn storage_full(e: &DbErr) -> bool {
    let full = is_storage_full(e);
    if full {
        note_refused();
    }
    full
}

fn is_storage_full(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    let x = match e {
        DbErr::Exec(RuntimeErr::SqlxError(x))
        | DbErr::Query(RuntimeErr::SqlxError(x))
        | DbErr::Conn(RuntimeErr::SqlxError(x)) => x,
        _ => return false,
    };
    match x.as_ref() {
        Sqlx::Io(io) => io.raw_os_error() == Some(ENOSPC),
        Sqlx::Database(d) => d.code().is_some_and(|c| {
            c == PG_DISK_FULL
                // SQLite gives the extended code; its low byte is the primary one.
                || c.parse::<i32>().is_ok_and(|n| n & 0xff == SQLITE_FULL)
        }),
        _ => false,
    }
}

/// The pool's check of a connection coming back: it first lets the rollback a dropped
/// transaction queued run (a ping goes through the same queue), then keeps the
/// connection only if it stands outside any transaction. A connection that still counts
/// one had its `COMMIT` or `ROLLBACK` fail; it is closed, and the pool opens a new one.
pub(crate) fn guard_release<DB: Database>(
    conn: &mut DB::Connection,
    _meta: PoolConnectionMetadata,
) -> BoxFuture<'_, std::result::Result<bool, sea_orm::sqlx::Error>>
where
    DB::Connection: Connection<Database = DB>,
{
    Box::pin(async move {
        conn.ping().await?;
        if conn.is_in_transaction() {
            tracing::warn!(
                "a connection came back inside a transaction it could not end; closing it"
            );
            crate::statements::count_discarded();
            return Ok(false);
        }
        Ok(true)
    })
}

/// When a write last failed for want of room, and when one last committed (milliseconds
/// since the Unix epoch; 0 for never). Kept per process, as the disk is: every store of
/// the process writes to the same one.
static REFUSED_AT: AtomicI64 = AtomicI64::new(0);
static COMMITTED_AT: AtomicI64 = AtomicI64::new(0);

fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Notes a write refused for want of room (called where such an error is classified).
pub(crate) fn note_refused() {
    REFUSED_AT.store(now_millis(), Ordering::Relaxed);
}

/// Commits a write transaction, noting the outcome: whether the last write to end
/// committed or was refused for a full disk is what readiness reports.
pub(crate) async fn commit(txn: sea_orm::DatabaseTransaction) -> Result<()> {
    match txn.commit().await {
        Ok(()) => {
            COMMITTED_AT.store(now_millis(), Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the last write to end was refused for a full disk.
fn last_write_refused() -> bool {
    REFUSED_AT.load(Ordering::Relaxed) > COMMITTED_AT.load(Ordering::Relaxed)
}

/// How long an answer of [`Store::probe_writes`] is reused: `/readyz` may be asked
/// often, and each probe commits a write.
const PROBE_KEPT: Duration = Duration::from_secs(1);

/// The last probe's time and answer.
#[derive(Default)]
pub(crate) struct Probe {
    last: std::sync::Mutex<Option<(Instant, Writable)>>,
}

/// Whether a write can commit now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writable {
    Yes,
    /// The disk is full: writes are refused until there is room again.
    StorageFull,
}

impl Store {
    /// Whether a write commits now: the database is pinged, and one small row updated and
    /// committed (at most once a second; meanwhile the last answer is given). `Err` when
    /// the database cannot be reached.
    pub async fn probe_writes(&self) -> Result<Writable> {
        // Whether the database answers is asked every time; only the write is spared.
        self.db.ping().await?;
        if let Some((at, answer)) = *lock(&self.probe.last)
            && at.elapsed() < PROBE_KEPT
        {
            return Ok(answer);
        }
        // The probe writes a small row: a disk with a few pages left takes it while it
        // refuses the writes people make, so a refused write counts until one commits.
        let answer = match self.commit_probe().await {
            Ok(()) if last_write_refused() => Writable::StorageFull,
            Ok(()) => Writable::Yes,
            Err(StoreError::StorageFull(e)) => {
                tracing::warn!(error = %e, "the database's disk is full: writes are refused");
                Writable::StorageFull
            }
            Err(e) => return Err(e),
        };
        *lock(&self.probe.last) = Some((Instant::now(), answer));
        Ok(answer)
    }

    async fn commit_probe(&self) -> Result<()> {
        let txn = self.db.begin().await?;
        let sql = sea_orm::Statement::from_sql_and_values(
            self.db.get_database_backend(),
            match self.db.get_database_backend() {
                sea_orm::DbBackend::Postgres => {
                    "UPDATE storage_probe SET written_at = $1 WHERE id = 1"
                }
                _ => "UPDATE storage_probe SET written_at = ? WHERE id = 1",
            },
            [chrono::Utc::now().into()],
        );
        txn.execute_raw(sql).await?;
        txn.commit().await?;
        Ok(())
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
