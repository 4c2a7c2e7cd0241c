use sea_orm::entity::prelude::*;

/// A saved view: a named filter, ordering and search text, owned by a key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_view")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub description: String,
    pub owner_key_id: Option<i64>,
    /// JSON: the filter with vocabulary codes and organisation row ids.
    pub filter: String,
    pub order_by: String,
    pub search: Option<String>,
    pub lang: Option<String>,
    /// Comma-separated field codes.
    pub fields: String,
    pub state: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
