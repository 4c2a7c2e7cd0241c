use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A foreign key from `table.column` to `target.id`, removed with its parent.
fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

/// A table of an edge between two nodes, keyed by both ends.
fn edge(
    table: &'static str,
    (from_col, from_table): (&'static str, &'static str),
    (to_col, to_table): (&'static str, &'static str),
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .if_not_exists()
        .col(big_integer(from_col))
        .col(big_integer(to_col))
        .primary_key(Index::create().col(from_col).col(to_col))
        .foreign_key(&mut fk(table, from_col, from_table))
        .foreign_key(&mut fk(table, to_col, to_table))
        .take()
}

fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create()
        .name(name)
        .table(table)
        .if_not_exists()
        .take();
    for c in cols {
        i.col(*c);
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("vocabulary_term")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("vocabulary", 64))
                .col(string_len("code", 64))
                .col(string_len("label_nl", 200))
                .col(string_len("label_en", 200))
                .col(integer("position"))
                .index(
                    Index::create()
                        .name("vocabulary_term_code_key")
                        .col("vocabulary")
                        .col("code")
                        .unique(),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("theme")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("code", 64))
                .col(string_len("label_nl", 200))
                .col(string_len("label_en", 200))
                .col(text("definition_nl"))
                .col(text("definition_en"))
                .col(integer("position"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("topic")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("code", 64))
                .col(big_integer_null("broader_id"))
                .col(string_len("label_nl", 200))
                .col(string_len("label_en", 200))
                .col(text("description_nl"))
                .col(text("description_en"))
                .col(text("alt_labels"))
                .col(integer("position"))
                .foreign_key(
                    ForeignKey::create()
                        .from("topic", "broader_id")
                        .to("topic", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("organisation")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("slug", 80))
                .col(string_len("name", 200))
                .col(string_len("kind", 64))
                .col(string_len("status", 16))
                .col(string_len_null("region", 64))
                .col(string_len_null("city", 100))
                .col(string_len_null("website", 500))
                .col(string_len_null("email", 254))
                .col(text("description_nl"))
                .col(text_null("description_en"))
                .col(big_integer_null("part_of_id"))
                .col(boolean("is_demo"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("organisation", "part_of_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("initiative")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("slug", 80))
                .col(string_len("title", 200))
                .col(text("summary"))
                .col(text_null("body"))
                .col(string_len("kind", 64))
                .col(string_len("status", 16))
                .col(text_null("rejection_reason"))
                .col(string_len_null("format", 64))
                .col(string_len_null("cost", 64))
                .col(string_len_null("prevention_level", 64))
                .col(string_len_null("evidence_level", 64))
                .col(string_len_null("region", 64))
                .col(integer_null("start_year"))
                .col(integer_null("end_year"))
                .col(string_len_null("website", 500))
                .col(string_len_null("contact_email", 254))
                .col(boolean("is_demo"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("event")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len_uniq("slug", 80))
                .col(string_len("title", 200))
                .col(text("summary"))
                .col(string_len("kind", 64))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(string_len_null("location", 200))
                .col(boolean("online"))
                .col(string_len_null("region", 64))
                .col(string_len_null("website", 500))
                .col(boolean("is_demo"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .take(),
        )
        .await?;

        // Multi-valued vocabulary fields of an initiative: languages, target groups,
        // education levels, one row per value so that filters and facets stay in SQL.
        m.create_table(
            Table::create()
                .table("initiative_term")
                .if_not_exists()
                .col(big_integer("initiative_id"))
                .col(string_len("vocabulary", 64))
                .col(string_len("code", 64))
                .primary_key(
                    Index::create()
                        .col("initiative_id")
                        .col("vocabulary")
                        .col("code"),
                )
                .foreign_key(&mut fk("initiative_term", "initiative_id", "initiative"))
                .take(),
        )
        .await?;

        m.create_table(edge(
            "initiative_theme",
            ("initiative_id", "initiative"),
            ("theme_id", "theme"),
        ))
        .await?;
        m.create_table(edge(
            "initiative_topic",
            ("initiative_id", "initiative"),
            ("topic_id", "topic"),
        ))
        .await?;
        m.create_table(edge(
            "event_theme",
            ("event_id", "event"),
            ("theme_id", "theme"),
        ))
        .await?;
        m.create_table(edge(
            "event_topic",
            ("event_id", "event"),
            ("topic_id", "topic"),
        ))
        .await?;
        m.create_table(edge(
            "event_initiative",
            ("event_id", "event"),
            ("initiative_id", "initiative"),
        ))
        .await?;
        m.create_table(edge(
            "event_organisation",
            ("event_id", "event"),
            ("organisation_id", "organisation"),
        ))
        .await?;

        let mut by = edge(
            "initiative_organisation",
            ("initiative_id", "initiative"),
            ("organisation_id", "organisation"),
        );
        by.col(string_len("role", 16));
        m.create_table(by).await?;

        m.create_table(
            Table::create()
                .table("initiative_link")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("from_id"))
                .col(big_integer("to_id"))
                .col(string_len("link_type", 32))
                .col(text_null("note"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("initiative_link", "from_id", "initiative"))
                .foreign_key(&mut fk("initiative_link", "to_id", "initiative"))
                .index(
                    Index::create()
                        .name("initiative_link_key")
                        .col("from_id")
                        .col("to_id")
                        .col("link_type")
                        .unique(),
                )
                .take(),
        )
        .await?;

        for i in [
            // Covers the grouped scan of the single-valued facets.
            index(
                "initiative",
                "initiative_facet_idx",
                &["status", "kind", "region", "evidence_level", "start_year"],
            ),
            index(
                "initiative",
                "initiative_status_title_idx",
                &["status", "title"],
            ),
            index(
                "initiative",
                "initiative_status_updated_idx",
                &["status", "updated_at"],
            ),
            index(
                "initiative_term",
                "initiative_term_code_idx",
                &["vocabulary", "code"],
            ),
            index(
                "initiative_theme",
                "initiative_theme_theme_idx",
                &["theme_id"],
            ),
            index(
                "initiative_topic",
                "initiative_topic_topic_idx",
                &["topic_id"],
            ),
            index(
                "initiative_organisation",
                "initiative_organisation_org_idx",
                &["organisation_id"],
            ),
            index("initiative_link", "initiative_link_to_idx", &["to_id"]),
            index("event_theme", "event_theme_theme_idx", &["theme_id"]),
            index("event_topic", "event_topic_topic_idx", &["topic_id"]),
            index(
                "event_initiative",
                "event_initiative_initiative_idx",
                &["initiative_id"],
            ),
            index(
                "event_organisation",
                "event_organisation_org_idx",
                &["organisation_id"],
            ),
            index("event", "event_status_starts_idx", &["status", "starts_at"]),
            index("organisation", "organisation_part_of_idx", &["part_of_id"]),
            index("topic", "topic_broader_idx", &["broader_id"]),
        ] {
            m.create_index(i).await?;
        }
        // The `NEWEST` order (publication date descending, unpublished last, then id),
        // spelled per database so that the index matches the order exactly.
        let newest = match m.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                "CREATE INDEX IF NOT EXISTS initiative_newest_idx ON initiative (status, published_at DESC NULLS LAST, id DESC)"
            }
            _ => {
                "CREATE INDEX IF NOT EXISTS initiative_newest_idx ON initiative (status, published_at DESC, id DESC)"
            }
        };
        m.get_connection().execute_unprepared(newest).await?;
        Ok(())
    }
}
