use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Sort keys for titles and names, so that orderings do not depend on the database's
/// collation: the store computes them (case and diacritics folded) and fills rows that
/// have none. And room in `revision.actor` for a key's whole name with its prefix
/// (SQLite does not enforce lengths; PostgreSQL does).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let postgres = m.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        for table in ["initiative", "organisation"] {
            let mut column = string_len("sort_key", 200).default("").take();
            // Byte order: the keys are folded ASCII, and a locale's collation would
            // weigh spaces and hyphens its own way.
            if postgres {
                column.extra("COLLATE \"C\"");
            }
            m.alter_table(Table::alter().table(table).add_column(column).take())
                .await?;
            m.create_index(
                Index::create()
                    .name(format!("{table}_sort_key_idx"))
                    .table(table)
                    .col("sort_key")
                    .col("id")
                    .take(),
            )
            .await?;
        }
        if postgres {
            m.alter_table(
                Table::alter()
                    .table("revision")
                    .modify_column(ColumnDef::new("actor").text().not_null())
                    .take(),
            )
            .await?;
        }
        Ok(())
    }
}
