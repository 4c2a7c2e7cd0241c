//! Mutations of organisations (editors): create, update, archive.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use kb_domain::input::OrganisationInput as DomainOrganisation;
use kb_domain::{DomainError, NodeId, OrganisationId};

use crate::context::{actor, domain as domain_err, node_id, store};
use crate::error::StoreResultExt;
use crate::types::Organisation;
use crate::types::vocab::*;

/// The content of an organisation; on update, omitted fields stay as they are.
#[derive(InputObject, Debug, Clone, Default)]
pub struct OrganisationInput {
    /// The name: at most 200 characters, not empty; required to create.
    pub name: Option<String>,
    /// What the organisation is; required to create.
    pub kind: Option<OrganisationKind>,
    /// The province it is based in, or national or international reach.
    pub region: Option<Region>,
    /// The town it is based in.
    pub city: Option<String>,
    /// An http or https URL, at most 500 characters.
    pub website: Option<String>,
    /// The organisation's general address.
    pub email: Option<String>,
    /// What the organisation does, in Dutch.
    pub description_nl: Option<String>,
    /// What the organisation does, in English.
    pub description_en: Option<String>,
    /// The organisation this one is part of.
    pub part_of: Option<ID>,
}

impl OrganisationInput {
    fn into_domain(self) -> Result<DomainOrganisation, DomainError> {
        Ok(DomainOrganisation {
            name: self.name,
            kind: self.kind.map(Into::into),
            region: self.region.map(Into::into),
            city: self.city,
            website: self.website,
            email: self.email,
            description_nl: self.description_nl,
            description_en: self.description_en,
            part_of: self
                .part_of
                .map(|p| OrganisationId::decode("input.partOf", &p).map(Some))
                .transpose()?,
        })
    }
}

/// The organisation a mutation changed.
#[derive(SimpleObject)]
pub struct OrganisationPayload {
    /// The organisation as it is after the change.
    pub organisation: Organisation,
}

/// Mutations of organisations.
#[derive(Debug, Default, Clone, Copy)]
pub struct OrganisationMutations;

#[Object]
impl OrganisationMutations {
    /// Creates an organisation, published at once (editors).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The content to write; on update, omitted fields stay as they are.")]
        input: OrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let input = input.into_domain().map_err(domain_err)?;
        let o = store(ctx)?
            .create_organisation(&actor(ctx)?, input)
            .await
            .gql()?;
        Ok(OrganisationPayload {
            organisation: Organisation(o),
        })
    }

    /// Changes an organisation (editors); a stale `expectedVersion` is CONFLICT.
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the organisation.")] id: ID,
        #[graphql(
            desc = "The version the client read; if the item changed since, the answer is CONFLICT with `extensions.currentVersion` and nothing is written."
        )]
        expected_version: i32,
        #[graphql(desc = "The content to write; on update, omitted fields stay as they are.")]
        input: OrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let id: OrganisationId = node_id("id", &id)?;
        let input = input.into_domain().map_err(domain_err)?;
        let o = store(ctx)?
            .update_organisation(&actor(ctx)?, id, expected_version, input)
            .await
            .gql()?;
        Ok(OrganisationPayload {
            organisation: Organisation(o),
        })
    }

    /// Archives an organisation (editors).
    async fn archive_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the organisation.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<OrganisationPayload> {
        let id: OrganisationId = node_id("id", &id)?;
        let o = store(ctx)?
            .archive_organisation(&actor(ctx)?, id, expected_version)
            .await
            .gql()?;
        Ok(OrganisationPayload {
            organisation: Organisation(o),
        })
    }
}
