use crate::id::OrganisationId;

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

/// Who is reading or writing. Every call of the store takes one; what it may see and do
/// is decided by the store's access module, never by resolvers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Viewer {
    /// No credentials.
    #[default]
    Anonymous,
    /// A partner tool: reads like the public.
    Partner,
    /// Staff of one organisation: also sees that organisation's unpublished work.
    Contributor { organisation_id: OrganisationId },
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

    /// Whether this viewer sees every status of every object.
    pub fn sees_everything(self) -> bool {
        matches!(self, Viewer::Editor | Viewer::Admin)
    }

    /// The organisation whose unpublished work this viewer also sees.
    pub fn own_organisation(self) -> Option<OrganisationId> {
        match self {
            Viewer::Contributor { organisation_id } => Some(organisation_id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_editors_and_admins_see_everything() {
        assert!(!Viewer::Anonymous.sees_everything());
        assert!(!Viewer::Partner.sees_everything());
        let c = Viewer::Contributor {
            organisation_id: OrganisationId(7),
        };
        assert!(!c.sees_everything());
        assert_eq!(c.own_organisation(), Some(OrganisationId(7)));
        assert!(Viewer::Editor.sees_everything());
        assert!(Viewer::Admin.sees_everything());
    }
}
