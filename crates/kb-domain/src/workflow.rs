//! The moderation workflow of initiatives as a state machine. Contributors draft and
//! submit their own organisation's work; editors publish, reject, archive and restore.
//!
//! ```text
//!            submit              publish
//!   DRAFT ───────────▶ SUBMITTED ───────────▶ PUBLISHED
//!     ▲  ◀───────────     │                      │
//!     │    withdraw       │ reject               │ archive (from any status)
//!     │                   ▼                      ▼
//!     │   submit ◀── REJECTED                 ARCHIVED
//!     └──────────────── restore ─────────────────┘
//! ```
//!
//! An editor may also send a submission back (SUBMITTED → DRAFT) with a note saying what
//! to change, where a rejection would say it cannot be published at all.

use crate::error::{DomainError, ErrorCode};
use crate::id::OrganisationId;
use crate::viewer::Viewer;
use crate::vocab::{Status, Vocabulary};

/// What a mutation does to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Create,
    Update,
    Submit,
    Withdraw,
    Publish,
    Reject,
    SendBack,
    Archive,
    Restore,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Create,
        Action::Update,
        Action::Submit,
        Action::Withdraw,
        Action::Publish,
        Action::Reject,
        Action::SendBack,
        Action::Archive,
        Action::Restore,
    ];

    /// The verb as stored in revisions and the change log.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Submit => "submit",
            Action::Withdraw => "withdraw",
            Action::Publish => "publish",
            Action::Reject => "reject",
            Action::SendBack => "send_back",
            Action::Archive => "archive",
            Action::Restore => "restore",
        }
    }

    /// Whether only editors and admins may take this action.
    const fn editors_only(self) -> bool {
        matches!(
            self,
            Action::Publish | Action::Reject | Action::SendBack | Action::Archive | Action::Restore
        )
    }
}

/// The status an action leads to from `from`, if the workflow allows it at all.
fn next(action: Action, from: Option<Status>, editor: bool) -> Option<Status> {
    use Status::*;
    match (action, from) {
        (Action::Create, None) => Some(Draft),
        (Action::Update, Some(s @ (Draft | Rejected))) => Some(s),
        (Action::Update, Some(s @ (Submitted | Published))) if editor => Some(s),
        (Action::Submit, Some(Draft | Rejected)) => Some(Submitted),
        (Action::Withdraw, Some(Submitted)) => Some(Draft),
        (Action::Publish, Some(Draft | Submitted)) => Some(Published),
        (Action::Reject, Some(Submitted)) => Some(Rejected),
        (Action::SendBack, Some(Submitted)) => Some(Draft),
        (Action::Archive, Some(Draft | Submitted | Published | Rejected)) => Some(Archived),
        (Action::Restore, Some(Archived)) => Some(Draft),
        _ => None,
    }
}

/// Decides whether `viewer` may take `action` on an item in status `from` (`None` for a
/// new item) owned by `owners` (for a new item: the organisation it is created for), and
/// returns the status it moves to.
///
/// Refusals: `UNAUTHENTICATED` for anonymous viewers, `FORBIDDEN` for a role or an
/// organisation that may not act, `CONFLICT` for an action the current status does not
/// allow.
pub fn decide(
    viewer: Viewer,
    owners: &[OrganisationId],
    from: Option<Status>,
    action: Action,
) -> Result<Status, DomainError> {
    let editor = match viewer {
        Viewer::Anonymous => {
            return Err(DomainError::new(
                ErrorCode::Unauthenticated,
                "sign in with an API key to make changes",
            ));
        }
        Viewer::Partner => {
            return Err(DomainError::new(
                ErrorCode::Forbidden,
                "partner keys are read-only",
            ));
        }
        Viewer::Contributor { organisation_id } => {
            if action.editors_only() {
                return Err(DomainError::new(
                    ErrorCode::Forbidden,
                    format!("only editors may {} initiatives", action.as_str()),
                ));
            }
            if !owners.contains(&organisation_id) {
                return Err(DomainError::new(
                    ErrorCode::Forbidden,
                    "contributors act on their own organisation's initiatives only",
                ));
            }
            false
        }
        Viewer::Editor | Viewer::Admin => true,
    };
    next(action, from, editor).ok_or_else(|| match (action, from) {
        (Action::Update, Some(s @ (Status::Submitted | Status::Published))) => DomainError::new(
            ErrorCode::Forbidden,
            format!(
                "a {} initiative is changed by editors; withdraw it first or ask an editor",
                s.code()
            ),
        ),
        (_, Some(s)) => DomainError::new(
            ErrorCode::Conflict,
            format!(
                "cannot {} an initiative that is {}",
                action.as_str(),
                s.code()
            ),
        ),
        (_, None) => DomainError::new(ErrorCode::NotFound, "initiative not found"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    const OWN: OrganisationId = OrganisationId(7);
    const OTHER: OrganisationId = OrganisationId(8);

    /// Every allowed (action, from, to) for contributors of the owning organisation.
    const CONTRIBUTOR: &[(Action, Option<Status>, Status)] = &[
        (Action::Create, None, Draft),
        (Action::Update, Some(Draft), Draft),
        (Action::Update, Some(Rejected), Rejected),
        (Action::Submit, Some(Draft), Submitted),
        (Action::Submit, Some(Rejected), Submitted),
        (Action::Withdraw, Some(Submitted), Draft),
    ];

    /// Every allowed (action, from, to) for editors and admins.
    const EDITOR: &[(Action, Option<Status>, Status)] = &[
        (Action::Create, None, Draft),
        (Action::Update, Some(Draft), Draft),
        (Action::Update, Some(Submitted), Submitted),
        (Action::Update, Some(Published), Published),
        (Action::Update, Some(Rejected), Rejected),
        (Action::Submit, Some(Draft), Submitted),
        (Action::Submit, Some(Rejected), Submitted),
        (Action::Withdraw, Some(Submitted), Draft),
        (Action::Publish, Some(Draft), Published),
        (Action::Publish, Some(Submitted), Published),
        (Action::Reject, Some(Submitted), Rejected),
        (Action::SendBack, Some(Submitted), Draft),
        (Action::Archive, Some(Draft), Archived),
        (Action::Archive, Some(Submitted), Archived),
        (Action::Archive, Some(Published), Archived),
        (Action::Archive, Some(Rejected), Archived),
        (Action::Restore, Some(Archived), Draft),
    ];

    fn states() -> Vec<Option<Status>> {
        std::iter::once(None)
            .chain(Status::ALL.iter().copied().map(Some))
            .collect()
    }

    fn allowed(
        table: &[(Action, Option<Status>, Status)],
        a: Action,
        from: Option<Status>,
    ) -> Option<Status> {
        table
            .iter()
            .find(|(x, f, _)| *x == a && *f == from)
            .map(|(_, _, to)| *to)
    }

    #[test]
    fn anonymous_viewers_are_unauthenticated_for_every_action() {
        for a in Action::ALL {
            for from in states() {
                let e = decide(Viewer::Anonymous, &[OWN], from, a).expect_err("refused");
                assert_eq!(e.code, ErrorCode::Unauthenticated, "{a:?} {from:?}");
            }
        }
    }

    #[test]
    fn partners_are_forbidden_every_action() {
        for a in Action::ALL {
            for from in states() {
                let e = decide(Viewer::Partner, &[OWN], from, a).expect_err("refused");
                assert_eq!(e.code, ErrorCode::Forbidden, "{a:?} {from:?}");
            }
        }
    }

    #[test]
    fn contributors_move_their_own_initiatives_exactly_as_the_table_says() {
        let v = Viewer::Contributor {
            organisation_id: OWN,
        };
        for a in Action::ALL {
            for from in states() {
                let got = decide(v, &[OTHER, OWN], from, a);
                match allowed(CONTRIBUTOR, a, from) {
                    Some(to) => assert_eq!(got, Ok(to), "{a:?} {from:?}"),
                    None => {
                        let e = got.expect_err("refused");
                        let want = if a.editors_only()
                            || (a == Action::Update && matches!(from, Some(Submitted | Published)))
                        {
                            ErrorCode::Forbidden
                        } else if from.is_none() {
                            ErrorCode::NotFound
                        } else {
                            ErrorCode::Conflict
                        };
                        assert_eq!(e.code, want, "{a:?} {from:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn contributors_never_act_on_another_organisations_initiatives() {
        let v = Viewer::Contributor {
            organisation_id: OWN,
        };
        for a in Action::ALL {
            for from in states() {
                let e = decide(v, &[OTHER], from, a).expect_err("refused");
                assert_eq!(e.code, ErrorCode::Forbidden, "{a:?} {from:?}");
            }
        }
    }

    #[test]
    fn editors_and_admins_move_any_initiative_exactly_as_the_table_says() {
        for v in [Viewer::Editor, Viewer::Admin] {
            for a in Action::ALL {
                for from in states() {
                    let got = decide(v, &[], from, a);
                    match allowed(EDITOR, a, from) {
                        Some(to) => assert_eq!(got, Ok(to), "{v:?} {a:?} {from:?}"),
                        None => {
                            let e = got.expect_err("refused");
                            let want = if from.is_none() {
                                ErrorCode::NotFound
                            } else {
                                ErrorCode::Conflict
                            };
                            assert_eq!(e.code, want, "{v:?} {a:?} {from:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_refused_transition_names_the_current_status() {
        let e = decide(Viewer::Editor, &[], Some(Published), Action::Submit).expect_err("refused");
        assert_eq!(e.message, "cannot submit an initiative that is published");
    }
}
