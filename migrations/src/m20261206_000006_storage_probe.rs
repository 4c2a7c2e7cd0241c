use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row that the readiness probe updates and commits, to tell whether a write can
/// commit now (a full disk refuses it while reads still work).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("storage_probe")
                .if_not_exists()
                .col(integer("id").primary_key())
                .col(timestamp_with_time_zone("written_at"))
                .take(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("storage_probe")
                .columns(["id", "written_at"])
                .values_panic([1.into(), Expr::current_timestamp()])
                .take(),
        )
        .await?;
        Ok(())
    }
}
