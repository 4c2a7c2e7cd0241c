use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Erasing a person's account: the initiatives whose contact address was theirs wait in
/// `contact_review` until an editor replaces the address by the organisation's or removes
/// it. The row names the object and when it was asked for, never the address.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("contact_review")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("entity_type", 32))
                .col(big_integer("entity_id"))
                .col(timestamp_with_time_zone("requested_at"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("contact_review_entity_idx")
                .table("contact_review")
                .if_not_exists()
                .unique()
                .col("entity_type")
                .col("entity_id")
                .take(),
        )
        .await?;
        Ok(())
    }
}
