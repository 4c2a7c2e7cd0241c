//! A consistent copy of an SQLite database while it serves: `VACUUM INTO` reads the
//! database in one read transaction (in WAL mode writers go on meanwhile) and writes a
//! compacted copy holding exactly what was committed when it began. PostgreSQL has its
//! own tools for this (`pg_dump`, base backups); they are not redone here.

use std::path::Path;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Backend, Result, Store};

impl Store {
    /// Copies the SQLite database into the new file `path`. Refused on PostgreSQL, and
    /// when `path` exists.
    pub async fn backup_sqlite(&self, path: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(kb_domain::DomainError::bad_input(
                "backup",
                "backup copies SQLite databases; for PostgreSQL use pg_dump (or a base backup with pg_basebackup)",
            )
            .into());
        }
        if path.exists() {
            return Err(kb_domain::DomainError::bad_input(
                "backup",
                format!("{} exists already; name a new file", path.display()),
            )
            .into());
        }
        let target = path.to_str().ok_or_else(|| {
            kb_domain::DomainError::bad_input("backup", "the path is not valid UTF-8")
        })?;
        self.db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [target.into()],
            ))
            .await?;
        Ok(())
    }
}
