//! What a revision of an initiative records that happened: one of the workflow's actions,
//! or an import from a file.

use crate::workflow::Action;

/// The change a revision records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RevisionAction {
    /// An action of the workflow (`createInitiative`, `publishInitiative`, …).
    Workflow(Action),
    /// A row written by `kennisbank import`.
    Import,
}

impl RevisionAction {
    /// The verb as stored in revisions and the change log.
    pub const fn as_str(self) -> &'static str {
        match self {
            RevisionAction::Workflow(action) => action.as_str(),
            RevisionAction::Import => "import",
        }
    }

    /// The action stored as `verb`, if it is one.
    pub fn parse(verb: &str) -> Option<Self> {
        if verb == RevisionAction::Import.as_str() {
            return Some(RevisionAction::Import);
        }
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == verb)
            .map(RevisionAction::Workflow)
    }
}

impl From<Action> for RevisionAction {
    fn from(action: Action) -> Self {
        RevisionAction::Workflow(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_verb_reads_back_as_its_action() {
        let all = Action::ALL
            .into_iter()
            .map(RevisionAction::from)
            .chain([RevisionAction::Import]);
        for action in all {
            assert_eq!(RevisionAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(RevisionAction::parse("unlink"), None);
        assert_eq!(RevisionAction::parse(""), None);
    }
}
