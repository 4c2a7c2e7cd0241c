//! Mutations: verbs on one object, taking an input object and returning a payload with
//! the changed node. Authorisation, validation and the workflow live in the domain and
//! the store; this layer only translates.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use kb_domain::input::InitiativeInput as DomainInput;
use kb_domain::workflow::Action;
use kb_domain::{DomainError, GlobalId, NodeKind};
use kb_store::Actor;

use crate::error::StoreResultExt;
use crate::types::vocab::*;
use crate::types::{ApiKey, Initiative, Theme, Topic, domain as domain_err, request, store};
use chrono::{DateTime, Utc};

/// An organisation taking part in an initiative, and its role.
#[derive(InputObject, Debug, Clone)]
pub struct InitiativeOrganisationInput {
    pub organisation: ID,
    pub role: OrganisationRole,
}

/// The content of an initiative. On update, omitted fields stay as they are; an empty
/// string clears `body`, `website` and `contactEmail`.
#[derive(InputObject, Debug, Clone, Default)]
pub struct InitiativeInput {
    /// At most 200 characters.
    pub title: Option<String>,
    /// At most 1,000 characters; required to submit.
    pub summary: Option<String>,
    /// Markdown or HTML, at most 100,000 characters; sanitised.
    pub body: Option<String>,
    pub kind: Option<InitiativeKind>,
    pub format: Option<Format>,
    pub cost: Option<Cost>,
    pub prevention_level: Option<PreventionLevel>,
    pub evidence_level: Option<EvidenceLevel>,
    pub region: Option<Region>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    /// An http or https URL.
    pub website: Option<String>,
    /// An organisation's address, never a private person's.
    pub contact_email: Option<String>,
    /// ISO 639-1 codes.
    pub languages: Option<Vec<String>>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub education_levels: Option<Vec<EducationLevel>>,
    /// Theme codes; at least one to submit.
    pub themes: Option<Vec<String>>,
    /// Topic codes; at least one to submit.
    pub topics: Option<Vec<String>>,
    /// Exactly one LEAD: the organisation whose contributors may edit.
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
                        let id = GlobalId::decode_kind(
                            "input.organisations",
                            &o.organisation,
                            NodeKind::Organisation,
                        )?;
                        Ok((id, o.role.into()))
                    })
                    .collect::<Result<Vec<_>, DomainError>>()?,
            ),
            None => None,
        };
        Ok(DomainInput {
            title: self.title,
            summary: self.summary,
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
    pub from: ID,
    pub to: ID,
    pub r#type: LinkType,
    /// Why or how the one builds on, was inspired by or relates to the other.
    pub note: Option<String>,
}

/// The link to remove.
#[derive(InputObject, Debug, Clone)]
pub struct UnlinkInitiativesInput {
    pub from: ID,
    pub to: ID,
    pub r#type: LinkType,
}

/// The initiative a mutation changed.
#[derive(SimpleObject)]
pub struct InitiativePayload {
    pub initiative: Initiative,
}

/// Both ends of a link that was added or removed.
#[derive(SimpleObject)]
pub struct LinkPayload {
    pub from: Option<Initiative>,
    pub to: Option<Initiative>,
}

pub(crate) fn actor(ctx: &Context<'_>) -> async_graphql::Result<Actor> {
    let r = request(ctx)?;
    Ok(Actor {
        viewer: r.viewer,
        key_id: r.key.as_ref().map(|k| k.id),
        name: r.key.as_ref().map_or_else(
            || "anonymous".to_owned(),
            |k| format!("{} ({})", k.name, k.prefix),
        ),
    })
}

fn initiative_id(field: &str, id: &ID) -> async_graphql::Result<i64> {
    GlobalId::decode_kind(field, id, NodeKind::Initiative).map_err(domain_err)
}

async fn transition(
    ctx: &Context<'_>,
    id: ID,
    action: Action,
    expected_version: Option<i32>,
    reason: Option<String>,
) -> async_graphql::Result<InitiativePayload> {
    let id = initiative_id("id", &id)?;
    let i = store(ctx)?
        .transition_initiative(&actor(ctx)?, id, action, expected_version, reason)
        .await
        .gql()?;
    Ok(InitiativePayload {
        initiative: Initiative(i),
    })
}

/// A new API key.
#[derive(InputObject, Debug, Clone)]
pub struct CreateApiKeyInput {
    /// A name to recognise the key by.
    pub name: String,
    pub role: Role,
    /// The organisation a contributor key acts for.
    pub organisation: Option<ID>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A created key: `secret` is shown this once and stored nowhere.
#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    pub key: ApiKey,
    pub secret: String,
}

/// A revoked key.
#[derive(SimpleObject)]
pub struct RevokeApiKeyPayload {
    pub key: ApiKey,
}

/// Labels and texts of a theme or topic; omitted fields stay as they are.
#[derive(InputObject, Debug, Clone, Default)]
pub struct TaxonomyTextInput {
    pub label_nl: Option<String>,
    pub label_en: Option<String>,
    /// A topic's description or a theme's definition.
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    /// Topics only: synonyms and abbreviations in either language (replaces the list).
    pub alt_labels: Option<Vec<String>>,
}

impl From<TaxonomyTextInput> for kb_store::TaxonomyText {
    fn from(t: TaxonomyTextInput) -> Self {
        kb_store::TaxonomyText {
            label_nl: t.label_nl,
            label_en: t.label_en,
            description_nl: t.description_nl,
            description_en: t.description_en,
            alt_labels: t.alt_labels,
        }
    }
}

/// A new topic.
#[derive(InputObject, Debug, Clone)]
pub struct CreateTopicInput {
    /// lower_snake_case; never changes once made.
    pub code: String,
    /// The root topic it is narrower than, if any.
    pub broader: Option<String>,
    pub label_nl: String,
    pub label_en: String,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    pub alt_labels: Option<Vec<String>>,
}

/// The topic a mutation changed.
#[derive(SimpleObject)]
pub struct TopicPayload {
    pub topic: Topic,
}

/// The theme a mutation changed.
#[derive(SimpleObject)]
pub struct ThemePayload {
    pub theme: Theme,
}

/// Both ends of a link, as the viewer sees them now.
async fn link_payload(
    store: &kb_store::Store,
    viewer: kb_domain::Viewer,
    from: i64,
    to: i64,
) -> async_graphql::Result<LinkPayload> {
    let found = store.initiatives_by_ids(viewer, &[from, to]).await.gql()?;
    let pick = |id: i64| found.iter().find(|i| i.id == id).cloned().map(Initiative);
    Ok(LinkPayload {
        from: pick(from),
        to: pick(to),
    })
}

/// The root of every write: the mutations of each part, merged.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(InitiativeMutations, crate::catalogue::CatalogueMutations);

/// Mutations of initiatives, the taxonomy and API keys.
#[derive(Debug, Default, Clone, Copy)]
pub struct InitiativeMutations;

#[Object]
impl InitiativeMutations {
    /// Creates an initiative as a DRAFT of its lead organisation. Contributors create
    /// for their own organisation; editors for any.
    async fn create_initiative(
        &self,
        ctx: &Context<'_>,
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
        id: ID,
        expected_version: i32,
        input: InitiativeInput,
    ) -> async_graphql::Result<InitiativePayload> {
        let id = initiative_id("id", &id)?;
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
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Submit, expected_version, None).await
    }

    /// SUBMITTED → DRAFT.
    async fn withdraw_initiative(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Withdraw, expected_version, None).await
    }

    /// DRAFT or SUBMITTED → PUBLISHED (editors).
    async fn publish_initiative(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Publish, expected_version, None).await
    }

    /// SUBMITTED → REJECTED with a reason the owning organisation sees (editors).
    async fn reject_initiative(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Reject, expected_version, Some(reason)).await
    }

    /// Any status → ARCHIVED: the delete of the knowledge bank (editors).
    async fn archive_initiative(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Archive, expected_version, None).await
    }

    /// ARCHIVED → DRAFT (editors).
    async fn restore_initiative(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<InitiativePayload> {
        transition(ctx, id, Action::Restore, expected_version, None).await
    }

    /// Links one initiative to another (BUILDS_ON, INSPIRED_BY, RELATED_TO).
    async fn link_initiatives(
        &self,
        ctx: &Context<'_>,
        input: LinkInitiativesInput,
    ) -> async_graphql::Result<LinkPayload> {
        let from = initiative_id("input.from", &input.from)?;
        let to = initiative_id("input.to", &input.to)?;
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
        input: UnlinkInitiativesInput,
    ) -> async_graphql::Result<LinkPayload> {
        let from = initiative_id("input.from", &input.from)?;
        let to = initiative_id("input.to", &input.to)?;
        let s = store(ctx)?;
        let a = actor(ctx)?;
        s.unlink_initiatives(&a, from, to, input.r#type.into())
            .await
            .gql()?;
        link_payload(s, a.viewer, from, to).await
    }

    /// Adds a topic to the taxonomy (editors).
    async fn create_topic(
        &self,
        ctx: &Context<'_>,
        input: CreateTopicInput,
    ) -> async_graphql::Result<TopicPayload> {
        let text = kb_store::TaxonomyText {
            label_nl: Some(input.label_nl),
            label_en: Some(input.label_en),
            description_nl: input.description_nl,
            description_en: input.description_en,
            alt_labels: input.alt_labels,
        };
        let t = store(ctx)?
            .create_topic(&actor(ctx)?, &input.code, input.broader.as_deref(), text)
            .await
            .gql()?;
        Ok(TopicPayload { topic: Topic(t) })
    }

    /// Changes a topic's labels, alternative labels or descriptions (editors).
    async fn update_topic(
        &self,
        ctx: &Context<'_>,
        code: String,
        input: TaxonomyTextInput,
    ) -> async_graphql::Result<TopicPayload> {
        let t = store(ctx)?
            .update_topic(&actor(ctx)?, &code, input.into())
            .await
            .gql()?;
        Ok(TopicPayload { topic: Topic(t) })
    }

    /// Changes a theme's labels or definitions (editors).
    async fn update_theme(
        &self,
        ctx: &Context<'_>,
        code: String,
        input: TaxonomyTextInput,
    ) -> async_graphql::Result<ThemePayload> {
        let t = store(ctx)?
            .update_theme(&actor(ctx)?, &code, input.into())
            .await
            .gql()?;
        Ok(ThemePayload { theme: Theme(t) })
    }

    /// Creates an API key (admins).
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        input: CreateApiKeyInput,
    ) -> async_graphql::Result<CreateApiKeyPayload> {
        request(ctx)?.viewer.require_admin().map_err(domain_err)?;
        let organisation = input
            .organisation
            .map(|o| GlobalId::decode_kind("input.organisation", &o, NodeKind::Organisation))
            .transpose()
            .map_err(domain_err)?;
        let new = store(ctx)?
            .create_api_key(
                &input.name,
                input.role.into(),
                organisation,
                input.expires_at,
            )
            .await
            .gql()?;
        Ok(CreateApiKeyPayload {
            key: ApiKey(new.key),
            secret: new.secret,
        })
    }

    /// Revokes an API key (admins); requests with it are refused from then on.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> async_graphql::Result<RevokeApiKeyPayload> {
        request(ctx)?.viewer.require_admin().map_err(domain_err)?;
        let key = store(ctx)?.revoke_api_key(id).await.gql()?;
        Ok(RevokeApiKeyPayload { key: ApiKey(key) })
    }

    /// Gives an initiative back the content it had after a revision (its status stays);
    /// the restore is a new revision (editors).
    async fn restore_revision(
        &self,
        ctx: &Context<'_>,
        revision: i64,
        expected_version: i32,
    ) -> async_graphql::Result<InitiativePayload> {
        let i = store(ctx)?
            .restore_revision(&actor(ctx)?, revision, expected_version)
            .await
            .gql()?;
        Ok(InitiativePayload {
            initiative: Initiative(i),
        })
    }
}
