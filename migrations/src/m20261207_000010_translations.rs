use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An initiative's title and summary in English, beside the Dutch ones: optional, shown
/// on the English site and searched. One column per statement, as SQLite alters a table.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("initiative")
                .add_column(string_len_null("title_en", 200))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("initiative")
                .add_column(text_null("summary_en"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
