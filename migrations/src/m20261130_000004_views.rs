use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Saved views: a partner's or editor's named filter, ordering, search text, pinned
/// language and field selection, owned by the key that made it. The table is called
/// `saved_view` because `view` is an SQL keyword.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("saved_view")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("slug", 120))
                .col(string_len("title", 200))
                .col(text("description"))
                // The key that made the view; null for the command line's operator or a
                // revoked and deleted key.
                .col(big_integer_null("owner_key_id"))
                // The filter as JSON in the store's own shape (vocabulary codes, row ids).
                .col(text("filter"))
                .col(string_len("order_by", 32))
                .col(text_null("search"))
                .col(string_len_null("lang", 2))
                // The documented fields for embedding, comma-separated codes.
                .col(text("fields"))
                .col(string_len("state", 16))
                .col(integer("version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("saved_view", "owner_key_id")
                        .to("api_key", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("saved_view_state_idx")
                .table("saved_view")
                .if_not_exists()
                .col("state")
                .col("slug")
                .take(),
        )
        .await
    }
}
