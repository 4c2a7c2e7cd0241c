use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Trusted documents: the operations an API key is restricted to, each by the sha256 of
/// its canonical text; and on each key the number it has, so that authenticating a key
/// also tells whether it is restricted, without another statement.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("trusted_document")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("api_key_id"))
                // SHA-256 of the canonical text, hex.
                .col(string_len("hash", 64))
                .col(text_null("operation_name"))
                // The canonical text: the operation and the fragments it spreads.
                .col(text("document"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("trusted_document", "api_key_id")
                        .to("api_key", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("trusted_document_key_hash_idx")
                .table("trusted_document")
                .if_not_exists()
                .unique()
                .col("api_key_id")
                .col("hash")
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("api_key")
                .add_column(integer("trusted_documents").default(0))
                .take(),
        )
        .await?;
        Ok(())
    }
}
