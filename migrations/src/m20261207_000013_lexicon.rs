use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The bilingual lexicon of search: per entry a stable code and the Dutch and English
/// terms that mean the same, each list a JSON array of strings.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("lexicon_entry")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("code", 64))
                .col(text("nl"))
                .col(text("en"))
                .col(integer("position"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
