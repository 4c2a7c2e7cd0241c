use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Whether an initiative's contact address is a person's (published with their consent
/// and shown to signed-in people only) rather than a team's or an organisation's.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("initiative")
                .add_column(boolean("contact_personal").default(false))
                .take(),
        )
        .await?;
        Ok(())
    }
}
