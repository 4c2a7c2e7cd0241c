use sea_orm::entity::prelude::*;

/// One write: who, when, what, and the object before and after (JSON).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entity_type: String,
    pub entity_id: i64,
    pub action: String,
    pub actor_key_id: Option<i64>,
    pub actor: String,
    /// The account of the person who made the change; none for keys and the command
    /// line, and in dumps made before accounts existed.
    #[serde(default)]
    pub actor_account_id: Option<i64>,
    pub at: DateTimeUtc,
    pub before: Option<String>,
    pub after: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
