use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::DomainError;

/// The kinds of node that have a global id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Initiative,
    Theme,
    Topic,
    Organisation,
    Event,
}

impl NodeKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            NodeKind::Initiative => "Initiative",
            NodeKind::Theme => "Theme",
            NodeKind::Topic => "Topic",
            NodeKind::Organisation => "Organisation",
            NodeKind::Event => "Event",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "Initiative" => NodeKind::Initiative,
            "Theme" => NodeKind::Theme,
            "Topic" => NodeKind::Topic,
            "Organisation" => NodeKind::Organisation,
            "Event" => NodeKind::Event,
            _ => return None,
        })
    }
}

/// A global node id: the node's kind and its row id, encoded as opaque URL-safe base64 of
/// `Kind:row`. Clients must treat it as opaque; the encoding only keeps ids stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalId {
    pub kind: NodeKind,
    pub id: i64,
}

impl GlobalId {
    pub const fn new(kind: NodeKind, id: i64) -> Self {
        Self { kind, id }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.kind.as_str(), self.id))
    }

    /// Decodes an id a client sent; anything malformed is `BAD_USER_INPUT` on `field`.
    pub fn decode(field: &str, s: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::bad_input(field, format!("`{s}` is not a valid id"));
        let bytes = URL_SAFE_NO_PAD
            .decode(s.trim_end_matches('='))
            .map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let (kind, id) = text.split_once(':').ok_or_else(bad)?;
        let kind = NodeKind::parse(kind).ok_or_else(bad)?;
        let id = id.parse::<i64>().map_err(|_| bad())?;
        if id <= 0 {
            return Err(bad());
        }
        Ok(Self { kind, id })
    }

    /// Decodes an id that must be of one kind.
    pub fn decode_kind(field: &str, s: &str, kind: NodeKind) -> Result<i64, DomainError> {
        let gid = Self::decode(field, s)?;
        if gid.kind != kind {
            return Err(DomainError::bad_input(
                field,
                format!("`{s}` is not the id of a {}", kind.as_str()),
            ));
        }
        Ok(gid.id)
    }
}

/// Row ids typed by what they identify, so an organisation's id can never be passed where
/// an initiative's is meant. The store's public functions take and return these.
macro_rules! row_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

row_id!(
    /// The row id of an initiative.
    InitiativeId,
    /// The row id of an organisation.
    OrganisationId,
    /// The row id of an event.
    EventId,
    /// The row id of a theme.
    ThemeId,
    /// The row id of a topic.
    TopicId,
    /// The number of a revision.
    RevisionId,
    /// The row id of an API key.
    ApiKeyId,
    /// The row id of a person's account.
    AccountId,
);

/// A typed row id of a node, and its global (Relay) id.
pub trait NodeId: Copy {
    /// The kind of node the id belongs to.
    const KIND: NodeKind;
    /// The id from a row id.
    fn from_row(id: i64) -> Self;
    /// The row id.
    fn row(self) -> i64;

    /// The opaque global id.
    fn global(self) -> GlobalId {
        GlobalId::new(Self::KIND, self.row())
    }

    /// Decodes a global id that must be of this kind; anything else is bad input on
    /// `field`.
    fn decode(field: &str, s: &str) -> Result<Self, DomainError> {
        GlobalId::decode_kind(field, s, Self::KIND).map(Self::from_row)
    }
}

macro_rules! node_id {
    ($($name:ident => $kind:ident),+ $(,)?) => {$(
        impl NodeId for $name {
            const KIND: NodeKind = NodeKind::$kind;
            fn from_row(id: i64) -> Self {
                Self(id)
            }
            fn row(self) -> i64 {
                self.0
            }
        }
    )+};
}

node_id!(
    InitiativeId => Initiative,
    OrganisationId => Organisation,
    EventId => Event,
    ThemeId => Theme,
    TopicId => Topic,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_survives_the_round_trip() {
        let id = GlobalId::new(NodeKind::Organisation, 42);
        assert_eq!(GlobalId::decode("id", &id.encode()), Ok(id));
    }

    #[test]
    fn a_malformed_id_is_bad_input_on_its_field() {
        for s in ["", "x", "SW5pdGlhdGl2ZQ", "Rm9vOjE", "SW5pdGlhdGl2ZTotMQ"] {
            let err = GlobalId::decode("ids", s).expect_err(s);
            assert_eq!(err.field.as_deref(), Some("ids"));
        }
    }

    #[test]
    fn a_typed_id_decodes_only_its_own_kind() {
        let id = OrganisationId(5).global().encode();
        assert_eq!(OrganisationId::decode("id", &id), Ok(OrganisationId(5)));
        assert!(InitiativeId::decode("id", &id).is_err());
    }

    #[test]
    fn an_id_of_another_kind_is_refused() {
        let id = GlobalId::new(NodeKind::Theme, 1).encode();
        assert!(GlobalId::decode_kind("id", &id, NodeKind::Initiative).is_err());
        assert_eq!(GlobalId::decode_kind("id", &id, NodeKind::Theme), Ok(1));
    }
}
