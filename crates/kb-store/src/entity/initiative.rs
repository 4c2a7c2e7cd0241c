use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "initiative")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub sort_key: String,
    pub summary: String,
    pub title_en: Option<String>,
    pub summary_en: Option<String>,
    pub body: Option<String>,
    pub kind: String,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub format: Option<String>,
    pub cost: Option<String>,
    pub prevention_level: Option<String>,
    pub evidence_level: Option<String>,
    pub region: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    /// Whether the contact address is a person's: shown to signed-in people only.
    #[serde(default)]
    pub contact_personal: bool,
    pub is_demo: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
