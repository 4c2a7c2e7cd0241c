//! Mutations of initiatives: create and update, the moderation workflow, links between
//! initiatives and restoring a revision. Authorisation, validation and the workflow live
//! in the domain and the store; this layer only translates.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use kb_domain::input::InitiativeInput as DomainInput;
use kb_domain::workflow::Action;
use kb_domain::{DomainError, InitiativeId, NodeId, OrganisationId, RevisionId};

use crate::context::{actor, domain as domain_err, node_id, store};
use crate::error::StoreResultExt;
use crate::types::Initiative;
use crate::types::vocab::*;

/// An organisation taking part in an initiative, and its role.
#[derive(InputObject, Debug, Clone)]
pub struct InitiativeOrganisationInput {
    /// The organisation's global id.
    pub organisation: ID,
    /// The part it plays.
    pub role: OrganisationRole,
}

/// The content of an initiative. On update, omitted fields stay as they are; an empty
/// string clears `body`, `website` and `contactEmail`.
#[derive(InputObject, Debug, Clone, Default)]
pub struct InitiativeInput {
    /// The title, at most 200 characters; required to create.
    pub title: Option<String>,
    /// At most 1,000 characters; required to submit.
    pub summary: Option<String>,
    /// The title in English, at most 200 characters; optional, "" removes it. The English
    /// site shows it and search finds it; `title` stays the primary (Dutch) title.
    pub title_en: Option<String>,
    /// The summary in English, at most 1,000 characters; optional, "" removes it.
    pub summary_en: Option<String>,
    /// Markdown or HTML, at most 100,000 characters; sanitised.
    pub body: Option<String>,
    /// What the initiative is; required to create.
    pub kind: Option<InitiativeKind>,
    /// How it is delivered.
    pub format: Option<Format>,
    /// What using it costs.
    pub cost: Option<Cost>,
    /// Its prevention level.
    pub prevention_level: Option<PreventionLevel>,
    /// How well its effect is supported.
    pub evidence_level: Option<EvidenceLevel>,
    /// Where it is active: a province, national or international.
    pub region: Option<Region>,
    /// The year it started, 1900 to 2100.
    pub start_year: Option<i32>,
    /// The year it ended, 1900 to 2100 and not before `startYear`.
    pub end_year: Option<i32>,
    /// An http or https URL.
    pub website: Option<String>,
    /// A team's or an organisation's address, or a person's with `contactPersonal`.
    pub contact_email: Option<String>,
    /// Whether `contactEmail` is a person's address, published with their consent: it
    /// is then shown to signed-in people only. False when omitted on create.
    pub contact_personal: Option<bool>,
    /// ISO 639-1 codes, at most 10 (replaces the list).
    pub languages: Option<Vec<String>>,
    /// Who it is for, at most 8 (replaces the list).
    pub target_groups: Option<Vec<TargetGroup>>,
    /// The levels of education it serves (replaces the list).
    pub education_levels: Option<Vec<EducationLevel>>,
    /// Theme codes, at most 8 (replaces the list); at least one to submit.
    pub themes: Option<Vec<String>>,
    /// Topic codes, at most 10 (replaces the list); at least one to submit.
    pub topics: Option<Vec<String>>,
    /// At most 20, each once, exactly one of them LEAD: the organisation whose
    /// contributors may edit. Required to create (replaces the list).
    pub organisations: Option<Vec<InitiativeOrganisationInput>>,
}

fn list<G: Copy + Into<D>, D>(v: Option<Vec<G>>) -> Option<Vec<D>> {
    v.map(|v| v.into_iter().map(Into::into).collect())
}

impl InitiativeInput {
    fn into_domain(self) -> Result<DomainInput, DomainError> {
        let organisations = match self.organisations {
            Some(list) => Some(
                list.into_iter()
                    .map(|o| {
                        let id = OrganisationId::decode("input.organisations", &o.organisation)?;
                        Ok((id, o.role.into()))
                    })
                    .collect::<Result<Vec<_>, DomainError>>()?,
            ),
            None => None,
        };
        Ok(DomainInput {
            title: self.title,
            summary: self.summary,
            title_en: self.title_en,
            summary_en: self.summary_en,
            body: self.body,
            kind: self.kind.map(Into::into),
            format: self.format.map(Into::into),
            cost: self.cost.map(Into::into),
            prevention_level: self.prevention_level.map(Into::into),
            evidence_level: self.evidence_level.map(Into::into),
            region: self.region.map(Into::into),
            start_year: self.start_year,
            end_year: self.end_year,
            website: self.website,
            contact_email: self.contact_email,
            contact_personal: self.contact_personal,
            languages: self.languages,
            target_groups: list(self.target_groups),
            education_levels: list(self.education_levels),
            themes: self.themes,
            topics: self.topics,
            organisations,
        })
    }
}

/// A typed link between two initiatives.
#[derive(InputObject, Debug, Clone)]
pub struct LinkInitiativesInput {
    /// The global id of the initiative the link goes out from.
    pub from: ID,
    /// The global id of the initiative the link goes to.
    pub to: ID,
    /// The type of link.
    pub r#type: LinkType,
    /// Why or how the one builds on, was inspired by or relates to the other.
    pub note: Option<String>,
}

/// The link to remove.
#[derive(InputObject, Debug, Clone)]
pub struct UnlinkInitiativesInput {
    /// The global id of the initiative the link goes out from.
    pub from: ID,
    /// The global id of the initiative the link goes to.
    pub to: ID,
    /// The type of link.
    pub r#type: LinkType,
}

/// The initiative a mutation changed.
#[derive(SimpleObject)]
pub struct InitiativePayload {
    /// The initiative as it is after the change.
    pub initiative: Initiative,
}

/// Both ends of a link that was added or removed.
#[derive(SimpleObject)]
pub struct LinkPayload {
    /// The initiative the link goes out from; null when the viewer may not see it.
    pub from: Option<Initiative>,
    /// The initiative the link goes to; null when the viewer may not see it.
    pub to: Option<Initiative>,
}

/// Both ends of a link, as the viewer sees them now.
async fn link_payload(
    store: &kb_store::Store,
    viewer: kb_domain::Viewer,
    from: InitiativeId,
    to: InitiativeId,
) -> async_graphql::Result<LinkPayload> {
    let found = store.initiatives_by_ids(viewer, &[from, to]).await.gql()?;
    let pick = |id: InitiativeId| found.iter().find(|i| i.id == id).cloned().map(Initiative);
    Ok(LinkPayload {
        from: pick(from),
        to: pick(to),
    })
}

/// Moves an initiative through the workflow.
async fn transition(
    ctx: &Context<'_>,
    id: ID,
    action: Action,
    expected_version: Option<i32>,
    reason: Option<String>,
) -> async_graphql::Result<InitiativePayload> {
    let id: InitiativeId = node_id("id", &id)?;
    let i = store(ctx)?
        .transition_initiative(&actor(ctx)?, id, action, expected_version, reason)
        .await
        .gql()?;
    Ok(InitiativePayload {
        initiative: Initiative(i),
    })
}

/// Mutations of initiatives.
#[derive(Debug, Default, Clone, Copy)]
pub struct InitiativeMutations;

#[Object]
impl InitiativeMutations {
    /// Creates an initiative as a DRAFT of its lead organisation. Contributors create
    /// for their own organisation; editors for any.
    async fn create_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The content to write; on update, omitted fields stay as they are.")]
        input: InitiativeInput,
    ) -> async_graphql::Result<InitiativePayload> {
        let input = input.into_domain().map_err(domain_err)?;
        let i = store(ctx)?
            .create_initiative(&actor(ctx)?, input)
            .await
            .gql()?;
        Ok(InitiativePayload {
            initiative: Initiative(i),
        })
    }

    /// Changes an initiative's content. `expectedVersion` is the version the client
    /// read; if the initiative changed since, the answer is CONFLICT with
    /// `extensions.currentVersion`, and nothing is written.
    async fn update_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(
            desc = "The version the client read; if the item changed since, the answer is CONFLICT with `extensions.currentVersion` and nothing is written."
        )]
        expected_version: i32,
        #[graphql(desc = "The content to write; on update, omitted fields stay as they are.")]
        input: InitiativeInput,
    ) -> async_graphql::Result<InitiativePayload> {
        let id = node_id::<InitiativeId>("id", &id)?;
        let input = input.into_domain().map_err(domain_err)?;
        let i = store(ctx)?
            .update_initiative(&actor(ctx)?, id, expected_version, input)
            .await
            .gql()?;
        Ok(InitiativePayload {
            initiative: Initiative(i),
        })
    }

    /// DRAFT or REJECTED → SUBMITTED, for moderation.
    async fn submit_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Submit, expected_version, None).await
    }

    /// SUBMITTED → DRAFT.
    async fn withdraw_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Withdraw, expected_version, None).await
    }

    /// DRAFT or SUBMITTED → PUBLISHED (editors).
    async fn publish_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Publish, expected_version, None).await
    }

    /// SUBMITTED → REJECTED with a reason the owning organisation sees (editors).
    async fn reject_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(desc = "Why it is rejected, 10 to 2,000 characters.")] reason: String,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Reject, expected_version, Some(reason)).await
    }

    /// SUBMITTED → DRAFT with a note saying what to change (editors). The note is kept
    /// as the initiative's `rejectionReason` until it is submitted again.
    async fn send_back_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(desc = "What to change before submitting again, 10 to 2,000 characters.")]
        note: String,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::SendBack, expected_version, Some(note)).await
    }

    /// Any status → ARCHIVED: the delete of the knowledge bank (editors).
    async fn archive_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Archive, expected_version, None).await
    }

    /// ARCHIVED → DRAFT (editors).
    async fn restore_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the initiative.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Restore, expected_version, None).await
    }

    /// Links one initiative to another (BUILDS_ON, INSPIRED_BY, RELATED_TO).
    async fn link_initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link to add.")] input: LinkInitiativesInput,
    ) -> async_graphql::Result<LinkPayload> {
        let from = node_id::<InitiativeId>("input.from", &input.from)?;
        let to = node_id::<InitiativeId>("input.to", &input.to)?;
        let s = store(ctx)?;
        let a = actor(ctx)?;
        s.link_initiatives(&a, from, to, input.r#type.into(), input.note)
            .await
            .gql()?;
        link_payload(s, a.viewer, from, to).await
    }

    /// Removes a link between two initiatives.
    async fn unlink_initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link to remove.")] input: UnlinkInitiativesInput,
    ) -> async_graphql::Result<LinkPayload> {
        let from = node_id::<InitiativeId>("input.from", &input.from)?;
        let to = node_id::<InitiativeId>("input.to", &input.to)?;
        let s = store(ctx)?;
        let a = actor(ctx)?;
        s.unlink_initiatives(&a, from, to, input.r#type.into())
            .await
            .gql()?;
        link_payload(s, a.viewer, from, to).await
    }

    /// Gives an initiative back the content it had after a revision (its status stays);
    /// the restore is a new revision (editors).
    async fn restore_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The number of the revision whose content to restore (`Revision.id`).")]
        revision: i64,
        #[graphql(
            desc = "The version the client read; if the item changed since, the answer is CONFLICT with `extensions.currentVersion` and nothing is written."
        )]
        expected_version: i32,
    ) -> async_graphql::Result<InitiativePayload> {
        let i = store(ctx)?
            .restore_revision(&actor(ctx)?, RevisionId(revision), expected_version)
            .await
            .gql()?;
        Ok(InitiativePayload {
            initiative: Initiative(i),
        })
    }
}
