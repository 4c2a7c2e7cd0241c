use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend, Statement};

use crate::{Result, Store, StoreError};

/// The database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). SQLite gets the WAL journal,
    /// foreign keys and a busy timeout on every connection; nothing falls back silently to
    /// another database.
    #[tracing::instrument(skip(url))]
    pub async fn connect(url: &str) -> Result<Store> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Domain(kb_domain::DomainError::bad_input(
                "database-url",
                "the database URL must start with sqlite: or postgres://",
            )));
        };
        let mut options = ConnectOptions::new(url);
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(5));
        match backend {
            Backend::Sqlite => {
                // In-memory databases live per connection: keep a single one.
                let max = if url.contains(":memory:") || url.contains("mode=memory") {
                    1
                } else {
                    8
                };
                options.max_connections(max).min_connections(1);
                options.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                });
                options.map_sqlx_sqlite_pool_opts(|p| {
                    p.after_release(crate::durability::guard_release::<sea_orm::sqlx::Sqlite>)
                });
            }
            Backend::Postgres => {
                options.max_connections(16).min_connections(1);
                options.map_sqlx_postgres_pool_opts(|p| {
                    p.after_release(crate::durability::guard_release::<sea_orm::sqlx::Postgres>)
                });
            }
        }
        // Validate the URL early so a typo is a clear error, not a pool timeout.
        if backend == Backend::Sqlite {
            SqliteConnectOptions::from_str(url).map_err(|e| {
                StoreError::Domain(kb_domain::DomainError::bad_input(
                    "database-url",
                    e.to_string(),
                ))
            })?;
        }
        let mut db = Database::connect(options).await?;
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            crate::statements::count_one();
            tracing::trace!(target: "kb_store::sql", elapsed = ?info.elapsed, failed = info.failed, sql = %info.statement);
        });
        Ok(Store {
            db,
            backend,
            statements,
            url: url.into(),
            probe: Arc::default(),
        })
    }

    /// The SQLite journal mode (`wal` when configured as intended); `None` on PostgreSQL.
    pub async fn sqlite_journal_mode(&self) -> Result<Option<String>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA journal_mode",
            ))
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get_by_index::<String>(0)?),
            None => None,
        })
    }
}

impl Store {
    /// Moves the SQLite write-ahead log into the main file, so that the file alone is a
    /// complete copy of the database. Does nothing on PostgreSQL.
    /// Gathers the planner's statistics. Without them SQLite takes `status = …` for a
    /// selective condition and reads a page's rows by id through the status index (every
    /// published row) instead of the primary key; after a bulk load, and at start-up where
    /// the statistics are missing or old (`PRAGMA optimize` decides), they are gathered.
    pub async fn analyze(&self) -> Result<()> {
        self.db.execute_unprepared("ANALYZE").await?;
        Ok(())
    }

    /// Gathers SQLite's statistics where there are none yet, and otherwise lets SQLite
    /// refresh those it finds out of date (cheap when they are not). PostgreSQL's
    /// autovacuum keeps its own.
    pub async fn optimize(&self) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let has_stats = self
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT 1 AS present FROM sqlite_master WHERE name = 'sqlite_stat1'",
            ))
            .await?
            .is_some();
        let sql = if has_stats {
            "PRAGMA optimize=0x10002"
        } else {
            "ANALYZE"
        };
        self.db.execute_unprepared(sql).await?;
        Ok(())
    }

    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            self.db
                .execute_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                ))
                .await?;
        }
        Ok(())
    }
}
