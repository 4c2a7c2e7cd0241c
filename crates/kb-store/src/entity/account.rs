use sea_orm::entity::prelude::*;

/// A person who signs in: an OpenID issuer and subject, or `email` and the address.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub name: String,
    pub language: String,
    pub role: String,
    pub organisation_id: Option<i64>,
    pub status: String,
    pub requested_organisation_id: Option<i64>,
    /// SURFconext's `eduperson_affiliation`, as given (`employee`, `staff`, …).
    pub affiliation: Option<String>,
    pub created_at: DateTimeUtc,
    pub last_sign_in_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
