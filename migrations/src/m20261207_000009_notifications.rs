use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The outbox of e-mail notifications about the moderation workflow: one row per change
/// and recipient (unique, so instances that follow the log together never enqueue one
/// twice), with its attempts and when it is due next; and the change-log position the
/// outbox has read up to. Neither addresses nor texts are kept: both are read when a
/// message is sent, and a deleted account's rows go with it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notification")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("change_seq"))
                .col(big_integer("account_id"))
                // `submitted`, `published`, `rejected` or `sent_back`.
                .col(string_len("kind", 16))
                .col(string_len("entity_type", 32))
                .col(big_integer("entity_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer("attempts").default(0))
                // When it is due; while a sender holds it, the end of its claim.
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                // The kind of the last failure (`connection`, `transient`, …), never the
                // server's answer, which may quote the address.
                .col(string_len_null("last_error_kind", 32))
                .foreign_key(
                    ForeignKey::create()
                        .from("notification", "account_id")
                        .to("account", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notification_change_account_idx")
                .table("notification")
                .if_not_exists()
                .unique()
                .col("change_seq")
                .col("account_id")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notification_due_idx")
                .table("notification")
                .if_not_exists()
                .col("sent_at")
                .col("next_attempt_at")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notification_account_idx")
                .table("notification")
                .if_not_exists()
                .col("account_id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("notification_cursor")
                .if_not_exists()
                // One row, `outbox`.
                .col(string_len("name", 32).primary_key())
                .col(big_integer("seq"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
