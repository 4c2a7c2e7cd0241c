use crate::vocab::Status;

/// The role an API key is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Read-only access for partner tools, with its own limits.
    Partner,
    /// Staff of one organisation: drafts and submits that organisation's work.
    Contributor,
    /// The network's editors: moderate everything, curate the taxonomy.
    Editor,
    /// Editors who also manage API keys.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Partner, Role::Contributor, Role::Editor, Role::Admin];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::Contributor => "contributor",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Who is reading. Every read of the store takes one; visibility is decided here and
/// applied by the store, never by resolvers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Viewer {
    /// No credentials.
    #[default]
    Anonymous,
    /// A partner tool: reads like the public.
    Partner,
    /// Staff of one organisation: also sees that organisation's unpublished work.
    Contributor { organisation_id: i64 },
    /// The network's editors: see everything.
    Editor,
    /// Administrators: see everything.
    Admin,
}

impl Viewer {
    /// The role of the viewer's key; `None` for anonymous readers.
    pub fn role(self) -> Option<Role> {
        match self {
            Viewer::Anonymous => None,
            Viewer::Partner => Some(Role::Partner),
            Viewer::Contributor { .. } => Some(Role::Contributor),
            Viewer::Editor => Some(Role::Editor),
            Viewer::Admin => Some(Role::Admin),
        }
    }

    /// Refuses everyone but admins: UNAUTHENTICATED without a key, FORBIDDEN otherwise.
    pub fn require_admin(self) -> Result<(), crate::DomainError> {
        self.require(matches!(self, Viewer::Admin), "only admins manage API keys")
    }

    /// Refuses everyone but editors and admins.
    pub fn require_editor(self, what: &str) -> Result<(), crate::DomainError> {
        self.require(self.sees_everything(), &format!("only editors {what}"))
    }

    fn require(self, allowed: bool, message: &str) -> Result<(), crate::DomainError> {
        match (self, allowed) {
            (_, true) => Ok(()),
            (Viewer::Anonymous, false) => Err(crate::DomainError::new(
                crate::ErrorCode::Unauthenticated,
                "sign in with an API key to make changes",
            )),
            (_, false) => Err(crate::DomainError::new(
                crate::ErrorCode::Forbidden,
                message,
            )),
        }
    }

    /// Whether this viewer sees every status of every object.
    pub fn sees_everything(self) -> bool {
        matches!(self, Viewer::Editor | Viewer::Admin)
    }

    /// The organisation whose unpublished work this viewer also sees.
    pub fn own_organisation(self) -> Option<i64> {
        match self {
            Viewer::Contributor { organisation_id } => Some(organisation_id),
            _ => None,
        }
    }

    /// Whether an object with `status`, owned by `owners`, is visible to this viewer.
    pub fn can_see(self, status: Status, owners: &[i64]) -> bool {
        status == Status::Published
            || self.sees_everything()
            || self.own_organisation().is_some_and(|o| owners.contains(&o))
    }

    /// The statuses a filter may ask for: what is not visible is dropped.
    pub fn allowed_statuses(self, requested: &[Status]) -> Vec<Status> {
        if requested.is_empty() {
            return vec![Status::Published];
        }
        match self {
            Viewer::Anonymous | Viewer::Partner => requested
                .iter()
                .copied()
                .filter(|s| *s == Status::Published)
                .collect(),
            _ => requested.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_readers_see_published_only() {
        let v = Viewer::Anonymous;
        assert!(v.can_see(Status::Published, &[]));
        for s in [
            Status::Draft,
            Status::Submitted,
            Status::Rejected,
            Status::Archived,
        ] {
            assert!(!v.can_see(s, &[1]));
        }
        assert_eq!(
            v.allowed_statuses(&[Status::Draft, Status::Archived]),
            vec![]
        );
    }

    #[test]
    fn contributors_see_their_own_drafts_only() {
        let v = Viewer::Contributor { organisation_id: 7 };
        assert!(v.can_see(Status::Draft, &[3, 7]));
        assert!(!v.can_see(Status::Draft, &[3]));
    }

    #[test]
    fn editors_see_everything() {
        assert!(Viewer::Editor.can_see(Status::Archived, &[]));
    }
}
