use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// People who sign in: accounts (an OpenID issuer and subject, or `email` and the
/// address), the internet domains organisations own and whether they take members
/// without an editor, server-side sessions (only the hash of the cookie's value),
/// single-use sign-in links by e-mail (only the hash of the token), OpenID Connect
/// attempts between the redirect to the provider and its answer, and on each revision
/// the account that made it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("organisation")
                .add_column(boolean("accepts_members").default(false))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("organisation_domain")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("domain", 253))
                .col(big_integer("organisation_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("organisation_domain", "organisation_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("account")
                .if_not_exists()
                .col(big_pk_auto("id"))
                // The OpenID issuer, or `email` for people who sign in by e-mail link.
                .col(text("issuer"))
                // The provider's `sub`, or the (lower-case) address for e-mail people.
                .col(text("subject"))
                .col(text_null("email"))
                .col(text("name"))
                .col(string_len("language", 2))
                .col(string_len("role", 16))
                .col(big_integer_null("organisation_id"))
                .col(string_len("status", 16))
                .col(big_integer_null("requested_organisation_id"))
                .col(text_null("affiliation"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("last_sign_in_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("account", "organisation_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("account", "requested_organisation_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("account_identity_idx")
                .table("account")
                .if_not_exists()
                .unique()
                .col("issuer")
                .col("subject")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("account_status_idx")
                .table("account")
                .if_not_exists()
                .col("status")
                .col("id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("session")
                .if_not_exists()
                // SHA-256 of the cookie's value, hex.
                .col(string_len("id", 64).primary_key())
                .col(big_integer("account_id"))
                .col(string_len("csrf_token", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("session", "account_id")
                        .to("account", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("session_account_idx")
                .table("session")
                .if_not_exists()
                .col("account_id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("sign_in_link")
                .if_not_exists()
                // SHA-256 of the token in the link, hex.
                .col(string_len("token_hash", 64).primary_key())
                .col(text("email"))
                .col(text("next"))
                .col(string_len("language", 2))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("sign_in_attempt")
                .if_not_exists()
                // SHA-256 of the OpenID `state`, hex.
                .col(string_len("state_hash", 64).primary_key())
                .col(string_len("provider", 64))
                .col(text("nonce"))
                .col(text("pkce_verifier"))
                .col(text("next"))
                .col(string_len("language", 2))
                .col(timestamp_with_time_zone("expires_at"))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("revision")
                .add_column(big_integer_null("actor_account_id"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("revision_actor_account_idx")
                .table("revision")
                .if_not_exists()
                .col("actor_account_id")
                .take(),
        )
        .await?;
        Ok(())
    }
}
