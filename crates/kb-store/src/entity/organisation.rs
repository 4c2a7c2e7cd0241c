use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub sort_key: String,
    pub kind: String,
    pub status: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub description_nl: String,
    pub description_en: Option<String>,
    pub part_of_id: Option<i64>,
    pub is_demo: bool,
    /// Whether people of the organisation's domains join it at their first sign-in
    /// without an editor's grant. Absent from dumps made before accounts existed.
    #[serde(default)]
    pub accepts_members: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
