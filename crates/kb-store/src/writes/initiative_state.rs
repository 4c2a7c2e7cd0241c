//! Initiatives through the moderation workflow: submit, withdraw, publish, reject (with a
//! reason), send back (with a note), archive and restore. The workflow decides the next status; the access module
//! decides who may ask for it.

use kb_domain::workflow::Action;
use kb_domain::{DomainError, Initiative, InitiativeId, Status, validate};

use super::Actor;
use super::initiative::not_found;
use crate::{Result, Store, access};

impl Store {
    /// Moves an initiative through the workflow. `expected_version`, when given, must
    /// match; a rejection needs a reason and sending back a note, which the initiative
    /// keeps (as `rejection_reason`) until its status changes again.
    #[tracing::instrument(skip(self), fields(actor = %actor.name))]
    pub async fn transition_initiative(
        &self,
        actor: &Actor,
        id: InitiativeId,
        action: Action,
        expected_version: Option<i32>,
        reason: Option<String>,
    ) -> Result<Initiative> {
        access::require_writer(actor.viewer)?;
        let before = self
            .initiative_state(actor.viewer, id)
            .await?
            .ok_or_else(not_found)?;
        let to = access::initiative_action(
            actor.viewer,
            before.fields.lead(),
            Some(before.status()?),
            action,
        )?;
        if let Some(v) = expected_version
            && v != before.row.version
        {
            return Err(DomainError::conflict(before.row.version).into());
        }
        let reason = match action {
            Action::Reject => Some(validate::reason(
                "reason",
                reason.as_deref().unwrap_or_default(),
            )?),
            Action::SendBack => Some(validate::reason(
                "note",
                reason.as_deref().unwrap_or_default(),
            )?),
            _ => None,
        };
        if matches!(to, Status::Submitted | Status::Published) {
            before.fields.check_complete()?;
        }
        let fields = before.fields.clone();
        self.save_initiative(actor, before, fields, Some((to, reason)), action, None)
            .await
    }
}
