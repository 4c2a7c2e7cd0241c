//! The bilingual lexicon of search, kept by editors: an entry is set whole (created, or
//! its terms replaced) or removed. Codes never change once made. Every write leaves a
//! revision and a change-log row, so every instance's search follows it.

use kb_domain::{DomainError, ErrorCode, LexiconEntry};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, ModelTrait,
    QueryFilter, QuerySelect, TransactionTrait,
};
use serde_json::json;

use super::Actor;
use super::audit::{Change, record};
use crate::entity::lexicon_entry;
use crate::{Result, Store, StoreError, access};

/// The change-log and revision name of a lexicon entry.
pub const LEXICON_ENTITY: &str = "lexicon_entry";

fn entry_json(e: &LexiconEntry) -> serde_json::Value {
    json!({ "code": e.code, "nl": e.nl, "en": e.en })
}

fn terms_json(terms: &[String]) -> Result<String> {
    serde_json::to_string(terms)
        .map_err(|e| StoreError::Internal(format!("cannot serialise lexicon terms: {e}")))
}

/// What [`Store::set_lexicon_entry`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconWrite {
    /// The entry as stored.
    pub entry: LexiconEntry,
    /// Whether the entry is new (rather than replaced).
    pub created: bool,
}

impl Store {
    /// Creates the entry `code` with the terms `nl` and `en`, or replaces the terms of
    /// the entry with that code (editors and admins).
    pub async fn set_lexicon_entry(
        &self,
        actor: &Actor,
        code: &str,
        nl: &[String],
        en: &[String],
    ) -> Result<LexiconWrite> {
        access::edit_lexicon(actor.viewer)?;
        let entry = LexiconEntry::parse(code, nl, en)?;
        let txn = self.db.begin().await?;
        let before = lexicon_entry::Entity::find()
            .filter(lexicon_entry::Column::Code.eq(&entry.code))
            .one(&txn)
            .await?;
        let (row, action, was) = match before {
            Some(before) => {
                let was = crate::lexicon::entry(before.clone())?;
                let mut row: lexicon_entry::ActiveModel = before.into();
                row.nl = Set(terms_json(&entry.nl)?);
                row.en = Set(terms_json(&entry.en)?);
                (row.update(&txn).await?, "update", Some(entry_json(&was)))
            }
            None => {
                let position: Option<Option<i32>> = lexicon_entry::Entity::find()
                    .select_only()
                    .column_as(sea_orm::sea_query::Expr::cust("MAX(position)"), "m")
                    .into_tuple()
                    .one(&txn)
                    .await?;
                let row = lexicon_entry::ActiveModel {
                    id: NotSet,
                    code: Set(entry.code.clone()),
                    nl: Set(terms_json(&entry.nl)?),
                    en: Set(terms_json(&entry.en)?),
                    position: Set(position.flatten().unwrap_or(0) + 1),
                }
                .insert(&txn)
                .await
                .map_err(|e| {
                    crate::on_unique(
                        e,
                        DomainError::new(
                            ErrorCode::Conflict,
                            format!("the code `{}` was just taken", entry.code),
                        )
                        .with_field("input.code"),
                    )
                })?;
                (row, "create", None)
            }
        };
        let change = Change {
            entity: LEXICON_ENTITY,
            id: row.id,
            action,
            version: 1,
        };
        record(&txn, actor, change, was.as_ref(), Some(&entry_json(&entry))).await?;
        crate::durability::commit(txn).await?;
        Ok(LexiconWrite {
            created: action == "create",
            entry,
        })
    }

    /// Removes the entry `code` (editors and admins); returns it as it was.
    pub async fn remove_lexicon_entry(&self, actor: &Actor, code: &str) -> Result<LexiconEntry> {
        access::edit_lexicon(actor.viewer)?;
        let txn = self.db.begin().await?;
        let row = lexicon_entry::Entity::find()
            .filter(lexicon_entry::Column::Code.eq(code))
            .one(&txn)
            .await?
            .ok_or_else(|| DomainError::not_found(format!("lexicon entry `{code}`")))?;
        let id = row.id;
        let was = crate::lexicon::entry(row.clone())?;
        row.delete(&txn).await?;
        let change = Change {
            entity: LEXICON_ENTITY,
            id,
            action: "delete",
            version: 1,
        };
        record(&txn, actor, change, Some(&entry_json(&was)), None).await?;
        crate::durability::commit(txn).await?;
        Ok(was)
    }
}

#[cfg(test)]
mod tests {
    use kb_domain::{ErrorCode, OrganisationId, Viewer};

    use crate::accounts::tests::fresh;
    use crate::{Actor, StoreError};

    fn actor(viewer: Viewer) -> Actor {
        Actor {
            viewer,
            key_id: None,
            account_id: None,
            name: "test".to_owned(),
        }
    }

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    fn code_of(e: StoreError) -> (ErrorCode, Option<String>, String) {
        match e {
            StoreError::Domain(d) => (d.code, d.field, d.message),
            other => panic!("expected a domain error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn seeding_loads_the_lexicon_once() {
        let t = fresh().await;
        assert_eq!(t.store.seed_lexicon().await.expect("seed"), 119);
        assert_eq!(t.store.seed_lexicon().await.expect("again"), 0);
        t.store.seed_taxonomy().await.expect("taxonomy");
        let all = t.store.lexicon(Viewer::Anonymous).await.expect("read");
        assert_eq!(all.len(), 119);
        assert_eq!(all[0].code, "exam");
        assert_eq!(all[0].nl, terms(&["tentamen", "toets", "examen"]));
        assert_eq!(all[0].en, terms(&["exam", "examination"]));
    }

    #[tokio::test]
    async fn anonymous_readers_partners_and_contributors_may_not_change_the_lexicon() {
        let t = fresh().await;
        t.store.seed_lexicon().await.expect("seed");
        let contributor = Viewer::Contributor {
            organisation_id: OrganisationId(1),
        };
        let cases = [
            (Viewer::Anonymous, ErrorCode::Unauthenticated),
            (Viewer::Partner, ErrorCode::Forbidden),
            (contributor, ErrorCode::Forbidden),
        ];
        for (viewer, expected) in cases {
            let set = t
                .store
                .set_lexicon_entry(
                    &actor(viewer),
                    "exam",
                    &terms(&["toets"]),
                    &terms(&["test"]),
                )
                .await
                .expect_err("refused");
            assert_eq!(code_of(set).0, expected, "{viewer:?} set");
            let removed = t
                .store
                .remove_lexicon_entry(&actor(viewer), "exam")
                .await
                .expect_err("refused");
            assert_eq!(code_of(removed).0, expected, "{viewer:?} remove");
        }
        assert_eq!(t.store.change_log_head().await.expect("head"), 0);
        let all = t.store.lexicon(contributor).await.expect("everyone reads");
        assert_eq!(all.len(), 119);
        assert_eq!(all[0].en, terms(&["exam", "examination"]));
    }

    #[tokio::test]
    async fn an_editor_creates_replaces_and_removes_entries_each_in_the_change_log() {
        let t = fresh().await;
        t.store.seed_lexicon().await.expect("seed");
        let editor = actor(Viewer::Editor);
        let made = t
            .store
            .set_lexicon_entry(
                &editor,
                "hangout",
                &terms(&["huiskamer"]),
                &terms(&["living room"]),
            )
            .await
            .expect("created");
        assert!(made.created);
        let replaced = t
            .store
            .set_lexicon_entry(
                &editor,
                "hangout",
                &terms(&["huiskamer", "  ontmoetingsplek "]),
                &[],
            )
            .await
            .expect("replaced");
        assert!(!replaced.created);
        assert_eq!(replaced.entry.nl, terms(&["huiskamer", "ontmoetingsplek"]));
        let all = t.store.lexicon(Viewer::Anonymous).await.expect("read");
        assert_eq!(all.len(), 120);
        assert_eq!(all[119], replaced.entry);
        let gone = t
            .store
            .remove_lexicon_entry(&actor(Viewer::Admin), "hangout")
            .await
            .expect("removed");
        assert_eq!(gone, replaced.entry);
        assert_eq!(
            t.store
                .lexicon(Viewer::Anonymous)
                .await
                .expect("read")
                .len(),
            119
        );
        let log = t.store.changes_since(0, 10).await.expect("log");
        let kinds: Vec<&str> = log.iter().map(|c| c.entity_type.as_str()).collect();
        assert_eq!(kinds, vec!["lexicon_entry"; 3]);
        assert_eq!(log[0].entity_id, log[2].entity_id);
        let missing = t
            .store
            .remove_lexicon_entry(&editor, "hangout")
            .await
            .expect_err("gone");
        assert_eq!(code_of(missing).0, ErrorCode::NotFound);
    }

    /// An entry's code, Dutch and English terms, and the field and message refusing it.
    type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a str, &'a str);

    #[tokio::test]
    async fn invalid_entries_are_refused_with_the_field_and_nothing_is_written() {
        let t = fresh().await;
        let editor = actor(Viewer::Editor);
        let cases: [Case; 4] = [
            (
                "Exam",
                &["toets"],
                &["test"],
                "input.code",
                "a code is lower_snake_case, 2 to 64 characters",
            ),
            (
                "exam",
                &["toets"],
                &[],
                "input.nl",
                "an entry has at least two terms in all",
            ),
            (
                "exam",
                &["toets", "TOETS"],
                &[],
                "input.nl",
                "the term `TOETS` is listed twice",
            ),
            (
                "exam",
                &["toets"],
                &["one two three four five"],
                "input.en",
                "the term `one two three four five` has more than 4 words",
            ),
        ];
        for (code, nl, en, field, message) in cases {
            let e = t
                .store
                .set_lexicon_entry(&editor, code, &terms(nl), &terms(en))
                .await
                .expect_err("invalid");
            assert_eq!(
                code_of(e),
                (
                    ErrorCode::BadUserInput,
                    Some(field.to_owned()),
                    message.to_owned()
                )
            );
        }
        assert_eq!(t.store.change_log_head().await.expect("head"), 0);
        assert!(
            t.store
                .lexicon(Viewer::Editor)
                .await
                .expect("read")
                .is_empty()
        );
    }
}
