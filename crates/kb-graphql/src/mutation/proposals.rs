//! Organisations contributors propose for the editors: `proposeOrganisation` (anyone who
//! may write), `organisationProposals` and `decideOrganisationProposal` (editors). The
//! store's access module decides who may.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain::{InitiativeId, NodeId};

use crate::context::{actor, domain as domain_err, loader, store, viewer};
use crate::error::{StoreResultExt, loader_error};
use crate::types::vocab::OrganisationKind;
use crate::types::{Initiative, Organisation};

/// What a contributor proposes.
#[derive(InputObject, Debug)]
pub struct ProposeOrganisationInput {
    /// The organisation's name, as an organisation's name is checked.
    pub name: String,
    /// Its kind.
    pub kind: OrganisationKind,
    /// Its website (`https://…`), if known.
    pub website: Option<String>,
    /// The initiative it takes part in, if any.
    pub initiative: Option<ID>,
}

/// A proposed organisation and what the editors decided.
#[derive(SimpleObject, Debug)]
#[graphql(complex)]
pub struct OrganisationProposal {
    /// Its number, for `decideOrganisationProposal`.
    pub id: i64,
    /// The organisation's name, as proposed.
    pub name: String,
    /// Its kind, as proposed.
    pub kind: OrganisationKind,
    /// Its website, when given.
    pub website: Option<String>,
    /// When it was proposed.
    pub created_at: DateTime<Utc>,
    /// `created` or `refused` once an editor decided; null before.
    pub outcome: Option<String>,
    #[graphql(skip)]
    initiative_id: Option<InitiativeId>,
    #[graphql(skip)]
    organisation_id: Option<kb_domain::OrganisationId>,
}

#[async_graphql::ComplexObject]
impl OrganisationProposal {
    /// The initiative it was proposed for, when the viewer may see it.
    async fn initiative(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Initiative>> {
        let Some(id) = self.initiative_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Initiative))
    }

    /// The organisation made of it.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.organisation_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Organisation))
    }
}

impl From<kb_store::OrganisationProposal> for OrganisationProposal {
    fn from(p: kb_store::OrganisationProposal) -> Self {
        Self {
            id: p.id,
            name: p.name,
            kind: p.kind.into(),
            website: p.website,
            created_at: p.created_at,
            outcome: p.outcome,
            initiative_id: p.initiative,
            organisation_id: p.organisation,
        }
    }
}

/// The proposals no editor has decided on yet.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProposalQuery;

#[Object]
impl ProposalQuery {
    /// Organisations contributors proposed that await an editor, oldest first (editors;
    /// anyone else gets `UNAUTHENTICATED` or `FORBIDDEN`).
    async fn organisation_proposals(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<OrganisationProposal>> {
        Ok(store(ctx)?
            .pending_organisation_proposals(viewer(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// Proposing organisations and deciding on them.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProposalMutations;

#[Object]
impl ProposalMutations {
    /// Proposes an organisation the contributor did not find, for the editors to create.
    async fn propose_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What is proposed.")] input: ProposeOrganisationInput,
    ) -> async_graphql::Result<OrganisationProposal> {
        let initiative = input
            .initiative
            .as_ref()
            .map(|id| InitiativeId::decode("input.initiative", id))
            .transpose()
            .map_err(domain_err)?;
        Ok(store(ctx)?
            .propose_organisation(
                &actor(ctx)?,
                &input.name,
                Some(input.kind.into()),
                input.website.as_deref(),
                initiative,
            )
            .await
            .gql()?
            .into())
    }

    /// Creates the proposed organisation (published, with its revision) or refuses the
    /// proposal (editors). Deciding twice is `CONFLICT`.
    async fn decide_organisation_proposal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The proposal's number (`OrganisationProposal.id`).")] id: i64,
        #[graphql(desc = "True to create the organisation, false to refuse.")] create: bool,
    ) -> async_graphql::Result<OrganisationProposal> {
        Ok(store(ctx)?
            .decide_organisation_proposal(&actor(ctx)?, id, create)
            .await
            .gql()?
            .into())
    }
}
