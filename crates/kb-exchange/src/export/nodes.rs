//! The nodes of the graph with what exports say of them (names, codes, kinds), read
//! from the store a batch at a time through its access rule; themes and topics come
//! from the read model's taxonomy.

use std::collections::HashMap;

use kb_domain::{
    Event, EventId, GlobalId, Initiative, InitiativeId, NodeKind, Organisation, OrganisationId,
    Theme, ThemeId, Topic, TopicId, Vocabulary,
};
use kb_readmodel::ReadModel;
use kb_readmodel::analytics::NodeRef;
use kb_store::{Store, StoreError};

use super::VIEWER;

/// A node with its row.
pub(super) enum Node {
    Initiative(Initiative),
    Theme(Theme),
    Topic(Topic),
    Organisation(Organisation),
    Event(Event),
}

impl Node {
    /// The node's type, as GraphQL names it.
    pub fn type_name(&self) -> &'static str {
        self.node_kind().as_str()
    }

    fn node_kind(&self) -> NodeKind {
        match self {
            Node::Initiative(_) => NodeKind::Initiative,
            Node::Theme(_) => NodeKind::Theme,
            Node::Topic(_) => NodeKind::Topic,
            Node::Organisation(_) => NodeKind::Organisation,
            Node::Event(_) => NodeKind::Event,
        }
    }

    /// The slug of an initiative, organisation or event; the code of a theme or topic.
    pub fn code(&self) -> &str {
        match self {
            Node::Initiative(i) => &i.slug,
            Node::Theme(t) => &t.code,
            Node::Topic(t) => &t.code,
            Node::Organisation(o) => &o.slug,
            Node::Event(e) => &e.slug,
        }
    }

    /// The title or name; a theme's or topic's Dutch label.
    pub fn label(&self) -> &str {
        match self {
            Node::Initiative(i) => &i.title,
            Node::Theme(t) => &t.label.nl,
            Node::Topic(t) => &t.label.nl,
            Node::Organisation(o) => &o.name,
            Node::Event(e) => &e.title,
        }
    }

    /// A theme's or topic's English label.
    pub fn label_en(&self) -> Option<&str> {
        match self {
            Node::Theme(t) => t.label.en.as_deref(),
            Node::Topic(t) => t.label.en.as_deref(),
            _ => None,
        }
    }

    /// The kind of an initiative, organisation or event, as its vocabulary code.
    pub fn kind(&self) -> Option<&'static str> {
        match self {
            Node::Initiative(i) => Some(i.kind.code()),
            Node::Organisation(o) => Some(o.kind.code()),
            Node::Event(e) => Some(e.kind.code()),
            Node::Theme(_) | Node::Topic(_) => None,
        }
    }
}

/// The global id of a node, as the GraphQL API gives it.
pub(super) fn global_id(n: NodeRef) -> String {
    let (kind, id) = match n {
        NodeRef::Initiative(i) => (NodeKind::Initiative, i.0),
        NodeRef::Theme(t) => (NodeKind::Theme, t.0),
        NodeRef::Topic(t) => (NodeKind::Topic, t.0),
        NodeRef::Organisation(o) => (NodeKind::Organisation, o.0),
        NodeRef::Event(e) => (NodeKind::Event, e.0),
    };
    GlobalId::new(kind, id).encode()
}

/// Themes and topics by id, as the read model holds them.
pub(super) struct Taxonomy {
    themes: HashMap<ThemeId, Theme>,
    topics: HashMap<TopicId, Topic>,
}

impl Taxonomy {
    pub async fn of(model: &ReadModel) -> Self {
        Self {
            themes: model
                .themes()
                .await
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            topics: model
                .topics(false)
                .await
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
        }
    }
}

/// The nodes of `refs` that the public sees now (one that stopped being visible since
/// the graph was read is left out).
pub(super) async fn load(
    store: &Store,
    taxonomy: &Taxonomy,
    refs: &[NodeRef],
) -> Result<HashMap<NodeRef, Node>, StoreError> {
    let mut initiatives: Vec<InitiativeId> = Vec::new();
    let mut organisations: Vec<OrganisationId> = Vec::new();
    let mut events: Vec<EventId> = Vec::new();
    let mut out = HashMap::with_capacity(refs.len());
    for r in refs {
        match *r {
            NodeRef::Initiative(i) => initiatives.push(i),
            NodeRef::Organisation(o) => organisations.push(o),
            NodeRef::Event(e) => events.push(e),
            NodeRef::Theme(t) => {
                if let Some(t) = taxonomy.themes.get(&t) {
                    out.insert(*r, Node::Theme(t.clone()));
                }
            }
            NodeRef::Topic(t) => {
                if let Some(t) = taxonomy.topics.get(&t) {
                    out.insert(*r, Node::Topic(t.clone()));
                }
            }
        }
    }
    for i in store.initiatives_by_ids(VIEWER, &initiatives).await? {
        out.insert(NodeRef::Initiative(i.id), Node::Initiative(i));
    }
    for o in store.organisations_by_ids(VIEWER, &organisations).await? {
        out.insert(NodeRef::Organisation(o.id), Node::Organisation(o));
    }
    for e in store.events_by_ids(VIEWER, &events).await? {
        out.insert(NodeRef::Event(e.id), Node::Event(e));
    }
    Ok(out)
}
