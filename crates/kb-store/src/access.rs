//! The one access rule of the knowledge bank: who may see what, and who may change what.
//! Every read and every write of this crate asks this module, so search, analytics, views
//! and feeds reuse the same decisions instead of growing their own.
//!
//! - Seeing: anonymous readers and partners see PUBLISHED only; contributors also what
//!   their organisation takes part in (initiatives), is (organisations) or organises
//!   (events); editors and admins see everything.
//! - Writing: anonymous readers nothing (UNAUTHENTICATED), partners nothing (FORBIDDEN);
//!   contributors their organisation's initiatives (where it is LEAD) and events (where it
//!   organises) through the workflow; editors everything; admins also API keys.
//! - History and rejection reasons: editors, and contributors of an organisation that
//!   takes part in the initiative.
//! - The lexicon of search: everyone reads it, editors and admins change it.
//! - Saved views: editors and partners make them, a partner changes its own, editors
//!   any; a view shows the published knowledge bank to whoever reads it.

use kb_domain::view::ViewState;
use kb_domain::workflow::{Action, decide};
use kb_domain::{
    ApiKeyId, DomainError, ErrorCode, InitiativeId, OrganisationId, Status, Viewer, Vocabulary,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;
use crate::entity::{event, event_organisation, initiative, initiative_organisation, organisation};

fn published() -> &'static str {
    Status::Published.code()
}

/// Which initiatives a viewer may see, as a rule that both the SQL condition below and
/// in-memory read models apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitiativeAccess {
    /// Editors and admins: every initiative in every status.
    Everything,
    /// Published initiatives, and for a contributor also every initiative its
    /// organisation takes part in.
    Published { also_of: Option<OrganisationId> },
}

/// The rule of which initiatives `viewer` may see.
pub fn initiative_access(viewer: Viewer) -> InitiativeAccess {
    if viewer.sees_everything() {
        InitiativeAccess::Everything
    } else {
        InitiativeAccess::Published {
            also_of: viewer.own_organisation(),
        }
    }
}

/// Viewers whose reads this crate answers alike: a read's answer depends on its viewer
/// only through this, so an answer given to one viewer of a kind may be given to the
/// next of the same kind until the data changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reading {
    /// Anonymous readers and partners: the published knowledge bank and nothing else.
    Published,
    /// The contributors of one organisation: also what it takes part in, is or organises.
    Organisation(OrganisationId),
    /// Editors: everything.
    Editors,
    /// Admins: everything.
    Admins,
}

/// The kind of reader `viewer` is (see [`Reading`]).
pub fn reading(viewer: Viewer) -> Reading {
    match viewer {
        Viewer::Anonymous | Viewer::Partner => Reading::Published,
        Viewer::Contributor { organisation_id } => Reading::Organisation(organisation_id),
        Viewer::Editor => Reading::Editors,
        Viewer::Admin => Reading::Admins,
    }
}

/// Whether `viewer` sees exactly the published knowledge bank — published initiatives,
/// organisations and events, and nothing else (anonymous readers and partners). Every
/// such viewer gets the same answers, which read models may therefore share among them.
pub fn sees_published_only(viewer: Viewer) -> bool {
    reading(viewer) == Reading::Published
}

/// Whether `viewer` sees an organisation in `status`: published ones, its own, or all
/// for editors.
pub fn sees_organisation(viewer: Viewer, id: OrganisationId, status: Status) -> bool {
    status == Status::Published || viewer.sees_everything() || viewer.own_organisation() == Some(id)
}

/// Whether `viewer` sees an event in `status` organised by `organisers`: published ones,
/// those its organisation organises, or all for editors (the rule of [`events`] below,
/// for read models).
pub fn sees_event(viewer: Viewer, status: Status, organisers: &[OrganisationId]) -> bool {
    status == Status::Published
        || viewer.sees_everything()
        || viewer
            .own_organisation()
            .is_some_and(|o| organisers.contains(&o))
}

/// Initiatives the viewer may see, as a condition on the `initiative` table.
pub(crate) fn initiatives(viewer: Viewer) -> Condition {
    let InitiativeAccess::Published { also_of } = initiative_access(viewer) else {
        return Condition::all();
    };
    let mut c = Condition::any().add(initiative::Column::Status.eq(published()));
    if let Some(org) = also_of {
        c = c.add(
            initiative::Column::Id.in_subquery(
                Query::select()
                    .column(initiative_organisation::Column::InitiativeId)
                    .from(initiative_organisation::Entity)
                    .and_where(initiative_organisation::Column::OrganisationId.eq(org.0))
                    .take(),
            ),
        );
    }
    c
}

/// Organisations the viewer may see (see [`sees_organisation`]), as a condition.
pub(crate) fn organisations(viewer: Viewer) -> Condition {
    if viewer.sees_everything() {
        return Condition::all();
    }
    let mut c = Condition::any().add(organisation::Column::Status.eq(published()));
    if let Some(org) = viewer.own_organisation() {
        c = c.add(organisation::Column::Id.eq(org.0));
    }
    c
}

/// Events the viewer may see: published ones, or those its organisation organises.
pub(crate) fn events(viewer: Viewer) -> Condition {
    if viewer.sees_everything() {
        return Condition::all();
    }
    let mut c = Condition::any().add(event::Column::Status.eq(published()));
    if let Some(org) = viewer.own_organisation() {
        c = c.add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(event_organisation::Column::EventId)
                    .from(event_organisation::Entity)
                    .and_where(event_organisation::Column::OrganisationId.eq(org.0))
                    .take(),
            ),
        );
    }
    c
}

/// The statuses a list filter may ask for: none asked means PUBLISHED; statuses the
/// viewer could never see are dropped (the visibility rule still applies per row).
pub fn statuses(viewer: Viewer, requested: &[Status]) -> Vec<Status> {
    if requested.is_empty() {
        return vec![Status::Published];
    }
    match viewer {
        Viewer::Anonymous | Viewer::Partner => requested
            .iter()
            .copied()
            .filter(|s| *s == Status::Published)
            .collect(),
        _ => requested.to_vec(),
    }
}

/// Refuses viewers who may not write at all, before anything is looked up.
/// Whether the viewer may read a contact address that is a person's: people and
/// machines who signed in (contributors, editors, admins), not the public or partners.
pub fn sees_personal_contacts(viewer: Viewer) -> bool {
    !matches!(viewer, Viewer::Anonymous | Viewer::Partner)
}

pub(crate) fn require_writer(viewer: Viewer) -> Result<()> {
    match viewer {
        Viewer::Anonymous => Err(DomainError::new(
            ErrorCode::Unauthenticated,
            "sign in with an API key to make changes",
        )
        .into()),
        Viewer::Partner => {
            Err(DomainError::new(ErrorCode::Forbidden, "partner keys are read-only").into())
        }
        _ => Ok(()),
    }
}

/// Refuses everyone but editors and admins; `what` completes "only editors …".
pub(crate) fn require_editor(viewer: Viewer, what: &str) -> Result<()> {
    require_writer(viewer)?;
    if viewer.sees_everything() {
        Ok(())
    } else {
        Err(DomainError::new(ErrorCode::Forbidden, format!("only editors {what}")).into())
    }
}

/// Everyone may read the lexicon of search, signed in or not: it is reference data like
/// the taxonomy, and search uses it for every visitor.
pub(crate) fn read_lexicon(_viewer: Viewer) -> Result<()> {
    Ok(())
}

/// Refuses everyone but editors and admins: they keep the lexicon of search.
pub(crate) fn edit_lexicon(viewer: Viewer) -> Result<()> {
    require_editor(viewer, "edit the search lexicon")
}

/// Refuses everyone but admins: API keys are theirs alone.
pub(crate) fn require_admin(viewer: Viewer) -> Result<()> {
    require_writer(viewer)?;
    if matches!(viewer, Viewer::Admin) {
        Ok(())
    } else {
        Err(DomainError::new(ErrorCode::Forbidden, "only admins manage API keys").into())
    }
}

/// Refuses everyone but editors and admins: they grant and refuse people's requests to
/// join an organisation and set the domains organisations own.
pub(crate) fn manage_members(viewer: Viewer) -> Result<()> {
    require_editor(viewer, "manage accounts and organisations' domains")
}

/// Refuses everyone but admins: only they appoint editors and admins.
pub(crate) fn appoint(viewer: Viewer) -> Result<()> {
    require_writer(viewer)?;
    if matches!(viewer, Viewer::Admin) {
        Ok(())
    } else {
        Err(DomainError::new(ErrorCode::Forbidden, "only admins appoint people's roles").into())
    }
}

/// Refuses everyone but admins: erasing someone else's account is theirs alone (a
/// person erases their own from their signed-in session).
pub(crate) fn erase_account(viewer: Viewer) -> Result<()> {
    require_writer(viewer)?;
    if matches!(viewer, Viewer::Admin) {
        Ok(())
    } else {
        Err(DomainError::new(ErrorCode::Forbidden, "only admins erase people's accounts").into())
    }
}

/// Reviewing the contact addresses of erased people is an editor's decision.
pub(crate) fn review_contacts(viewer: Viewer) -> Result<()> {
    require_editor(viewer, "review contact addresses")
}

/// Whether `viewer` may take `action` on an initiative led by `lead` in status `from`
/// (`None` for a new one), and the status it moves to. Contributors act for the LEAD
/// organisation only; the workflow decides the rest.
pub(crate) fn initiative_action(
    viewer: Viewer,
    lead: Option<OrganisationId>,
    from: Option<Status>,
    action: Action,
) -> Result<Status> {
    let owners: Vec<OrganisationId> = lead.into_iter().collect();
    Ok(decide(viewer, &owners, from, action)?)
}

/// The same for an event, which belongs to every organisation that organises it.
pub(crate) fn event_action(
    viewer: Viewer,
    organisers: &[OrganisationId],
    from: Option<Status>,
    action: Action,
) -> Result<Status> {
    Ok(decide(viewer, organisers, from, action)?)
}

/// Who may make saved views: editors and admins, and partners (for their own portals).
/// Anonymous readers must sign in; contributors work on content, not on views.
pub(crate) fn create_view(viewer: Viewer) -> Result<()> {
    match viewer {
        Viewer::Anonymous => Err(DomainError::new(
            ErrorCode::Unauthenticated,
            "sign in with an API key to make changes",
        )
        .into()),
        Viewer::Partner | Viewer::Editor | Viewer::Admin => Ok(()),
        Viewer::Contributor { .. } => Err(DomainError::new(
            ErrorCode::Forbidden,
            "only editors and partners make views",
        )
        .into()),
    }
}

/// Who may change or archive a view owned by `owner`: editors and admins any, a partner
/// only those its own key made.
pub(crate) fn change_view(
    viewer: Viewer,
    key: Option<ApiKeyId>,
    owner: Option<ApiKeyId>,
) -> Result<()> {
    create_view(viewer)?;
    if viewer.sees_everything() || (key.is_some() && key == owner) {
        Ok(())
    } else {
        Err(DomainError::new(ErrorCode::Forbidden, "partners change their own views only").into())
    }
}

/// Whether a view in `state` owned by `owner` is there for `viewer` (holding `key`):
/// active views for everyone, archived ones for editors and the key that owns it.
pub fn sees_view(
    viewer: Viewer,
    key: Option<ApiKeyId>,
    owner: Option<ApiKeyId>,
    state: ViewState,
) -> bool {
    state == ViewState::Active || viewer.sees_everything() || (key.is_some() && key == owner)
}

/// What a view shows of its initiatives and events: the published knowledge bank, to
/// whoever reads it, so that a portal embedding it never shows another reader's drafts.
pub fn view_reader(viewer: Viewer) -> Viewer {
    if viewer.sees_everything() || viewer.own_organisation().is_some() {
        Viewer::Partner
    } else {
        viewer
    }
}

/// Whether `viewer` may link from or unlink from an initiative led by `lead`.
pub(crate) fn link_from(viewer: Viewer, lead: Option<OrganisationId>) -> Result<()> {
    require_writer(viewer)?;
    match viewer.own_organisation() {
        Some(org) if lead != Some(org) => Err(DomainError::new(
            ErrorCode::Forbidden,
            "contributors link their own organisation's initiatives only",
        )
        .into()),
        _ => Ok(()),
    }
}

/// Restoring a revision is an editor's decision.
pub(crate) fn restore_revision(viewer: Viewer) -> Result<()> {
    require_editor(viewer, "restore revisions")
}

/// Reading the whole knowledge bank at once, as a dump does (every status, every
/// revision): only viewers who see everything, editors and admins.
pub(crate) fn read_everything(viewer: Viewer) -> Result<()> {
    match viewer {
        _ if viewer.sees_everything() => Ok(()),
        Viewer::Anonymous => Err(DomainError::new(
            ErrorCode::Unauthenticated,
            "sign in with an API key to dump the knowledge bank",
        )
        .into()),
        _ => Err(
            DomainError::new(ErrorCode::Forbidden, "only editors dump the knowledge bank").into(),
        ),
    }
}

/// Restoring a dump writes the whole knowledge bank, taxonomy included: an editor's
/// decision, as imports are.
pub(crate) fn restore_dump(viewer: Viewer) -> Result<()> {
    require_editor(viewer, "restore a dump")
}

/// Of `ids`, the initiatives whose history (revisions, rejection reasons) the viewer may
/// read: all for editors; for a contributor those its organisation takes part in (one
/// statement); none for anyone else.
pub(crate) async fn initiatives_with_history<C: ConnectionTrait>(
    db: &C,
    viewer: Viewer,
    ids: &[InitiativeId],
) -> Result<Vec<InitiativeId>> {
    if viewer.sees_everything() {
        return Ok(ids.to_vec());
    }
    let Some(org) = viewer.own_organisation() else {
        return Ok(Vec::new());
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<i64> = initiative_organisation::Entity::find()
        .select_only()
        .column(initiative_organisation::Column::InitiativeId)
        .filter(initiative_organisation::Column::OrganisationId.eq(org.0))
        .filter(initiative_organisation::Column::InitiativeId.is_in(ids.iter().map(|i| i.0)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(InitiativeId).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: OrganisationId = OrganisationId(7);

    #[test]
    fn anonymous_readers_and_partners_may_ask_for_published_only() {
        for v in [Viewer::Anonymous, Viewer::Partner] {
            assert_eq!(statuses(v, &[Status::Draft, Status::Archived]), vec![]);
            assert_eq!(statuses(v, &[]), vec![Status::Published]);
        }
        let c = Viewer::Contributor {
            organisation_id: OWN,
        };
        assert_eq!(statuses(c, &[Status::Draft]), vec![Status::Draft]);
    }

    #[test]
    fn nobody_but_writers_writes() {
        let code = |r: Result<()>| match r {
            Err(crate::StoreError::Domain(e)) => Some(e.code),
            _ => None,
        };
        assert_eq!(
            code(require_writer(Viewer::Anonymous)),
            Some(ErrorCode::Unauthenticated)
        );
        assert_eq!(
            code(require_writer(Viewer::Partner)),
            Some(ErrorCode::Forbidden)
        );
        assert_eq!(
            code(require_editor(
                Viewer::Contributor {
                    organisation_id: OWN
                },
                "x"
            )),
            Some(ErrorCode::Forbidden)
        );
        assert_eq!(code(require_editor(Viewer::Editor, "x")), None);
        assert_eq!(
            code(require_admin(Viewer::Editor)),
            Some(ErrorCode::Forbidden)
        );
        assert_eq!(code(require_admin(Viewer::Admin)), None);
    }

    #[test]
    fn only_editors_and_admins_dump_and_restore_the_whole_knowledge_bank() {
        let code = |r: Result<()>| match r {
            Err(crate::StoreError::Domain(e)) => Some(e.code),
            _ => None,
        };
        let c = Viewer::Contributor {
            organisation_id: OWN,
        };
        assert_eq!(
            code(read_everything(Viewer::Anonymous)),
            Some(ErrorCode::Unauthenticated)
        );
        for v in [Viewer::Partner, c] {
            assert_eq!(code(read_everything(v)), Some(ErrorCode::Forbidden));
            assert_eq!(code(restore_dump(v)), Some(ErrorCode::Forbidden));
        }
        for v in [Viewer::Editor, Viewer::Admin] {
            assert_eq!(code(read_everything(v)), None);
            assert_eq!(code(restore_dump(v)), None);
        }
    }

    #[test]
    fn partners_change_their_own_views_and_editors_any() {
        let (mine, theirs) = (Some(ApiKeyId(1)), Some(ApiKeyId(2)));
        assert!(change_view(Viewer::Partner, mine, mine).is_ok());
        assert!(change_view(Viewer::Partner, mine, theirs).is_err());
        assert!(change_view(Viewer::Partner, mine, None).is_err());
        assert!(change_view(Viewer::Editor, None, theirs).is_ok());
        let c = Viewer::Contributor {
            organisation_id: OWN,
        };
        assert!(create_view(c).is_err());
        assert!(!sees_view(
            Viewer::Anonymous,
            None,
            mine,
            ViewState::Archived
        ));
        assert!(sees_view(Viewer::Partner, mine, mine, ViewState::Archived));
        assert_eq!(view_reader(Viewer::Editor), Viewer::Partner);
        assert_eq!(view_reader(c), Viewer::Partner);
        assert_eq!(view_reader(Viewer::Anonymous), Viewer::Anonymous);
    }

    #[test]
    fn contributors_link_from_their_own_lead_initiatives_only() {
        let c = Viewer::Contributor {
            organisation_id: OWN,
        };
        assert!(link_from(c, Some(OWN)).is_ok());
        assert!(link_from(c, Some(OrganisationId(8))).is_err());
        assert!(link_from(Viewer::Editor, None).is_ok());
    }
}
