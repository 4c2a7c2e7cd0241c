use sea_orm::entity::prelude::*;

/// An object whose contact address belonged to a person who had their account erased,
/// waiting for an editor; the address itself is not stored here.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entity_type: String,
    pub entity_id: i64,
    pub requested_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
