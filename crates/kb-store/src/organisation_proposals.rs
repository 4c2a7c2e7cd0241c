//! Organisations that contributors propose for the editors: a contributor who does not
//! find an organisation behind their initiative proposes its name, kind and website;
//! editors create it (published, like every organisation an editor makes) or refuse it.

use chrono::{DateTime, Utc};
use kb_domain::input::{OrganisationFields, OrganisationInput};
use kb_domain::{
    AccountId, DomainError, InitiativeId, OrganisationId, OrganisationKind, Viewer, Vocabulary,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::entity::organisation_proposal;
use crate::writes::Actor;
use crate::{Result, Store, StoreError, access};

/// A proposed organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationProposal {
    pub id: i64,
    pub name: String,
    pub kind: OrganisationKind,
    pub website: Option<String>,
    /// The initiative it was proposed for, if any.
    pub initiative: Option<InitiativeId>,
    /// Who proposed it.
    pub account: Option<AccountId>,
    pub created_at: DateTime<Utc>,
    /// `created` or `refused`, once an editor decided.
    pub outcome: Option<String>,
    /// The organisation made of it.
    pub organisation: Option<OrganisationId>,
}

fn to_proposal(m: organisation_proposal::Model) -> Result<OrganisationProposal> {
    Ok(OrganisationProposal {
        id: m.id,
        name: m.name,
        kind: OrganisationKind::from_code(&m.kind)
            .ok_or_else(|| StoreError::Internal(format!("unknown organisation kind {}", m.kind)))?,
        website: m.website,
        initiative: m.initiative_id.map(InitiativeId),
        account: m.account_id.map(AccountId),
        created_at: m.created_at,
        outcome: m.outcome,
        organisation: m.organisation_id.map(OrganisationId),
    })
}

fn not_found() -> StoreError {
    DomainError::not_found("organisation proposal").into()
}

impl Store {
    /// Records a proposal (anyone who may write). The name, kind and website are checked
    /// as an organisation's are; the initiative, when named, must be one the proposer
    /// may see.
    pub async fn propose_organisation(
        &self,
        actor: &Actor,
        name: &str,
        kind: Option<OrganisationKind>,
        website: Option<&str>,
        initiative: Option<InitiativeId>,
    ) -> Result<OrganisationProposal> {
        access::require_writer(actor.viewer)?;
        let fields = OrganisationFields::create(OrganisationInput {
            name: Some(name.to_owned()),
            kind,
            website: website.filter(|w| !w.trim().is_empty()).map(str::to_owned),
            ..Default::default()
        })?;
        if let Some(i) = initiative
            && self
                .initiatives_by_ids(actor.viewer, &[i])
                .await?
                .is_empty()
        {
            return Err(DomainError::not_found("initiative").into());
        }
        let row = organisation_proposal::ActiveModel {
            id: NotSet,
            name: Set(fields.name.clone()),
            kind: Set(fields.kind.map(|k| k.code().to_owned()).unwrap_or_default()),
            website: Set(fields.website.clone()),
            initiative_id: Set(initiative.map(|i| i.0)),
            account_id: Set(actor.account_id.map(|a| a.0)),
            created_at: Set(Utc::now()),
            decided_at: Set(None),
            outcome: Set(None),
            organisation_id: Set(None),
        }
        .insert(&self.db)
        .await?;
        to_proposal(row)
    }

    /// The proposals no editor has decided on yet, oldest first (editors).
    pub async fn pending_organisation_proposals(
        &self,
        viewer: Viewer,
    ) -> Result<Vec<OrganisationProposal>> {
        access::require_editor(viewer, "read proposed organisations")?;
        organisation_proposal::Entity::find()
            .filter(organisation_proposal::Column::Outcome.is_null())
            .order_by_asc(organisation_proposal::Column::CreatedAt)
            .order_by_asc(organisation_proposal::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_proposal)
            .collect()
    }

    /// An editor's decision: `create` makes the organisation (as the editor, with its
    /// revision) and records it; otherwise the proposal is refused. A decided proposal is
    /// `CONFLICT`.
    pub async fn decide_organisation_proposal(
        &self,
        actor: &Actor,
        id: i64,
        create: bool,
    ) -> Result<OrganisationProposal> {
        access::require_editor(actor.viewer, "decide on proposed organisations")?;
        let row = organisation_proposal::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(not_found)?;
        if row.outcome.is_some() {
            return Err(DomainError::new(
                kb_domain::ErrorCode::Conflict,
                "an editor decided on this proposal already",
            )
            .into());
        }
        let organisation = if create {
            let made = self
                .create_organisation(
                    actor,
                    OrganisationInput {
                        name: Some(row.name.clone()),
                        kind: OrganisationKind::from_code(&row.kind),
                        website: row.website.clone(),
                        ..Default::default()
                    },
                )
                .await?;
            Some(made.id.0)
        } else {
            None
        };
        let mut active: organisation_proposal::ActiveModel = row.into();
        active.decided_at = Set(Some(Utc::now()));
        active.outcome = Set(Some(if create { "created" } else { "refused" }.to_owned()));
        active.organisation_id = Set(organisation);
        to_proposal(active.update(&self.db).await?)
    }
}
