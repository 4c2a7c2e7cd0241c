use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// API keys, revisions of every write, and the change log that projections follow.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("api_key")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("name", 200))
                .col(string_len("role", 16))
                .col(big_integer_null("organisation_id"))
                // The first characters of the key, to recognise it in listings.
                .col(string_len("prefix", 16))
                // SHA-256 of the whole key, hex; the key itself is never stored.
                .col(string_len_uniq("key_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("api_key", "organisation_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("revision")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("entity_type", 32))
                .col(big_integer("entity_id"))
                .col(string_len("action", 32))
                .col(big_integer_null("actor_key_id"))
                .col(string_len("actor", 200))
                .col(timestamp_with_time_zone("at"))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(integer("version"))
                .foreign_key(
                    ForeignKey::create()
                        .from("revision", "actor_key_id")
                        .to("api_key", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("revision_entity_idx")
                .table("revision")
                .if_not_exists()
                .col("entity_type")
                .col("entity_id")
                .col("id")
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("change_log")
                .if_not_exists()
                .col(big_pk_auto("seq"))
                .col(string_len("entity_type", 32))
                .col(big_integer("entity_id"))
                .col(string_len("action", 32))
                .col(big_integer_null("revision_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("change_log", "revision_id")
                        .to("revision", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        Ok(())
    }
}
