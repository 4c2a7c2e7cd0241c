use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Organisations a contributor proposes for the editors, who create or refuse them: the
/// name, kind and website proposed, for which initiative, by whom, and the outcome.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("organisation_proposal")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("name", 200))
                .col(string_len("kind", 40))
                .col(string_len_null("website", 2000))
                .col(big_integer_null("initiative_id"))
                .col(big_integer_null("account_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                // `created` or `refused` once decided.
                .col(string_len_null("outcome", 16))
                .col(big_integer_null("organisation_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("organisation_proposal", "initiative_id")
                        .to("initiative", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("organisation_proposal", "account_id")
                        .to("account", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("organisation_proposal", "organisation_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        Ok(())
    }
}
