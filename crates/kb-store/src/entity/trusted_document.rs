use sea_orm::entity::prelude::*;

/// An operation an API key may run: the key is restricted to its trusted documents.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trusted_document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub api_key_id: i64,
    /// SHA-256 of `document`, hex.
    pub hash: String,
    pub operation_name: Option<String>,
    /// The canonical text of the operation and the fragments it spreads.
    pub document: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
