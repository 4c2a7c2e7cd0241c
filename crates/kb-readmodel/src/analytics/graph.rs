//! The knowledge graph as nodes and typed edges, as one viewer sees it: initiatives,
//! themes, topics, organisations and events, joined by the edges of the domain (THEMED,
//! ABOUT, BY, BUILDS_ON, INSPIRED_BY, RELATED_TO, FEATURES, ORGANISED_BY, BROADER,
//! PART_OF). Edges keep their domain direction; walks follow them either way. An edge to
//! a node the viewer may not see does not exist for that viewer.

use std::collections::{HashMap, HashSet, VecDeque};

use kb_domain::{
    DomainError, EventId, InitiativeId, LinkType, OrganisationId, ThemeId, TopicId, Viewer,
};
use kb_store::access::{sees_event, sees_organisation};
use roaring::RoaringBitmap;

use crate::projection::{Projection, member};

/// A node of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeRef {
    Initiative(InitiativeId),
    Theme(ThemeId),
    Topic(TopicId),
    Organisation(OrganisationId),
    Event(EventId),
}

/// The kinds of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeType {
    Initiative,
    Theme,
    Topic,
    Organisation,
    Event,
}

impl NodeRef {
    pub fn node_type(self) -> NodeType {
        match self {
            NodeRef::Initiative(_) => NodeType::Initiative,
            NodeRef::Theme(_) => NodeType::Theme,
            NodeRef::Topic(_) => NodeType::Topic,
            NodeRef::Organisation(_) => NodeType::Organisation,
            NodeRef::Event(_) => NodeType::Event,
        }
    }
}

/// The types of edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeType {
    Themed,
    About,
    By,
    BuildsOn,
    InspiredBy,
    RelatedTo,
    Features,
    OrganisedBy,
    Broader,
    PartOf,
}

impl EdgeType {
    pub const ALL: [EdgeType; 10] = [
        EdgeType::Themed,
        EdgeType::About,
        EdgeType::By,
        EdgeType::BuildsOn,
        EdgeType::InspiredBy,
        EdgeType::RelatedTo,
        EdgeType::Features,
        EdgeType::OrganisedBy,
        EdgeType::Broader,
        EdgeType::PartOf,
    ];

    fn of_link(t: LinkType) -> Self {
        match t {
            LinkType::BuildsOn => EdgeType::BuildsOn,
            LinkType::InspiredBy => EdgeType::InspiredBy,
            LinkType::RelatedTo => EdgeType::RelatedTo,
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of edge types; empty means every type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EdgeTypes(u16);

impl EdgeTypes {
    pub fn all() -> Self {
        Self(EdgeType::ALL.iter().fold(0, |m, t| m | t.bit()))
    }

    /// These types, or every type when none is given.
    pub fn of(types: &[EdgeType]) -> Self {
        if types.is_empty() {
            Self::all()
        } else {
            Self(types.iter().fold(0, |m, t| m | t.bit()))
        }
    }

    pub fn contains(self, t: EdgeType) -> bool {
        self.0 & t.bit() != 0
    }
}

/// A typed edge, in its domain direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edge {
    pub from: NodeRef,
    pub to: NodeRef,
    pub kind: EdgeType,
}

impl Edge {
    /// The end of the edge that is not `at`.
    pub fn other(&self, at: NodeRef) -> NodeRef {
        if self.from == at { self.to } else { self.from }
    }
}

/// Nodes and the edges among them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Subgraph {
    /// Each node with its distance from the start, nearest first.
    pub nodes: Vec<(NodeRef, u32)>,
    pub edges: Vec<Edge>,
}

/// The most links a neighbourhood reaches out.
pub const MAX_DEPTH: u32 = 3;
/// The most nodes a neighbourhood may hold.
pub const MAX_NODES: usize = 2_000;
/// The longest path searched for.
pub const MAX_PATH: u32 = 8;

/// The graph as one viewer sees it, restricted to some edge types.
pub struct View<'a> {
    pub(crate) p: &'a Projection,
    pub(crate) viewer: Viewer,
    pub(crate) visible: RoaringBitmap,
    pub(crate) types: EdgeTypes,
    broader: HashMap<TopicId, TopicId>,
    narrower: HashMap<TopicId, Vec<TopicId>>,
    themes: HashSet<ThemeId>,
}

fn initiative(m: u32) -> NodeRef {
    NodeRef::Initiative(InitiativeId(i64::from(m)))
}

impl<'a> View<'a> {
    pub fn new(p: &'a Projection, viewer: Viewer, types: EdgeTypes) -> Self {
        let mut broader = HashMap::new();
        let mut narrower: HashMap<TopicId, Vec<TopicId>> = HashMap::new();
        for t in &p.topics {
            if let Some(b) = t.broader_id {
                broader.insert(t.id, b);
                narrower.entry(b).or_default().push(t.id);
            }
        }
        for list in narrower.values_mut() {
            list.sort();
        }
        Self {
            p,
            viewer,
            visible: p.visible(viewer),
            types,
            broader,
            narrower,
            themes: p.themes.iter().map(|t| t.id).collect(),
        }
    }

    fn sees_organisation(&self, id: OrganisationId) -> bool {
        self.p
            .organisations
            .get(&id)
            .is_some_and(|o| sees_organisation(self.viewer, o.id, o.status))
    }

    fn sees_event(&self, id: EventId) -> bool {
        self.p
            .graph
            .events
            .get(&id)
            .is_some_and(|e| sees_event(self.viewer, e.status, &e.organisers))
    }

    fn sees_initiative(&self, id: InitiativeId) -> bool {
        member(id).is_some_and(|m| self.visible.contains(m))
    }

    /// Whether the node exists and the viewer may see it.
    pub fn contains(&self, node: NodeRef) -> bool {
        match node {
            NodeRef::Initiative(i) => self.sees_initiative(i),
            NodeRef::Theme(t) => self.themes.contains(&t),
            NodeRef::Topic(t) => self.p.topics.iter().any(|x| x.id == t),
            NodeRef::Organisation(o) => self.sees_organisation(o),
            NodeRef::Event(e) => self.sees_event(e),
        }
    }

    /// The edges of allowed types at `node` whose other end the viewer sees, each once,
    /// in a stable order. Empty for a node the viewer does not see.
    pub fn edges(&self, node: NodeRef) -> Vec<Edge> {
        let mut out = Vec::new();
        if !self.contains(node) {
            return out;
        }
        let ty = self.types;
        let mut add = |kind: EdgeType, from: NodeRef, to: NodeRef| {
            if ty.contains(kind) {
                out.push(Edge { from, to, kind });
            }
        };
        let p = self.p;
        let g = &p.graph;
        let initiatives_of = |b: Option<&RoaringBitmap>| -> RoaringBitmap {
            b.map(|b| b & &self.visible).unwrap_or_default()
        };
        match node {
            NodeRef::Initiative(id) => {
                let Some(f) = p.facts(id) else {
                    return out;
                };
                for t in f.themes.iter().filter(|t| self.themes.contains(t)) {
                    add(EdgeType::Themed, node, NodeRef::Theme(*t));
                }
                for t in &f.topics {
                    add(EdgeType::About, node, NodeRef::Topic(*t));
                }
                for o in f
                    .organisations
                    .iter()
                    .filter(|o| self.sees_organisation(**o))
                {
                    add(EdgeType::By, node, NodeRef::Organisation(*o));
                }
                for (to, t) in f.links.iter().filter(|(to, _)| self.sees_initiative(*to)) {
                    add(EdgeType::of_link(*t), node, NodeRef::Initiative(*to));
                }
                if let Some(m) = member(id) {
                    for (from, t) in p.links_in.get(&m).into_iter().flatten() {
                        if self.visible.contains(*from) {
                            add(EdgeType::of_link(*t), initiative(*from), node);
                        }
                    }
                    for e in g.featured_in.get(&m).into_iter().flatten() {
                        if self.sees_event(*e) {
                            add(EdgeType::Features, NodeRef::Event(*e), node);
                        }
                    }
                }
            }
            NodeRef::Theme(t) => {
                if ty.contains(EdgeType::Themed) {
                    for m in &initiatives_of(p.theme.by.get(&t)) {
                        add(EdgeType::Themed, initiative(m), node);
                    }
                    for e in g.by_theme.get(&t).into_iter().flatten() {
                        if self.sees_event(*e) {
                            add(EdgeType::Themed, NodeRef::Event(*e), node);
                        }
                    }
                }
            }
            NodeRef::Topic(t) => {
                if ty.contains(EdgeType::About) {
                    for m in &initiatives_of(p.topic.by.get(&t)) {
                        add(EdgeType::About, initiative(m), node);
                    }
                    for e in g.by_topic.get(&t).into_iter().flatten() {
                        if self.sees_event(*e) {
                            add(EdgeType::About, NodeRef::Event(*e), node);
                        }
                    }
                }
                if let Some(b) = self.broader.get(&t) {
                    add(EdgeType::Broader, node, NodeRef::Topic(*b));
                }
                for n in self.narrower.get(&t).into_iter().flatten() {
                    add(EdgeType::Broader, NodeRef::Topic(*n), node);
                }
            }
            NodeRef::Organisation(o) => {
                if ty.contains(EdgeType::By) {
                    for m in &initiatives_of(p.organisation.by.get(&o)) {
                        add(EdgeType::By, initiative(m), node);
                    }
                }
                for e in g.by_organiser.get(&o).into_iter().flatten() {
                    if self.sees_event(*e) {
                        add(EdgeType::OrganisedBy, NodeRef::Event(*e), node);
                    }
                }
                if let Some(w) = g.part_of.get(&o).filter(|w| self.sees_organisation(**w)) {
                    add(EdgeType::PartOf, node, NodeRef::Organisation(*w));
                }
                for part in g.parts.get(&o).into_iter().flatten() {
                    if self.sees_organisation(*part) {
                        add(EdgeType::PartOf, NodeRef::Organisation(*part), node);
                    }
                }
            }
            NodeRef::Event(e) => {
                let Some(f) = g.events.get(&e) else {
                    return out;
                };
                for t in f.themes.iter().filter(|t| self.themes.contains(t)) {
                    add(EdgeType::Themed, node, NodeRef::Theme(*t));
                }
                for t in &f.topics {
                    add(EdgeType::About, node, NodeRef::Topic(*t));
                }
                for o in f.organisers.iter().filter(|o| self.sees_organisation(**o)) {
                    add(EdgeType::OrganisedBy, node, NodeRef::Organisation(*o));
                }
                for i in f.initiatives.iter().filter(|i| self.sees_initiative(**i)) {
                    add(EdgeType::Features, node, NodeRef::Initiative(*i));
                }
            }
        }
        out.sort_by_key(|e| (e.other(node), e.kind, e.from));
        out.dedup();
        out
    }

    /// The nodes within `depth` links of `start` and every edge among them; more than
    /// `limit` nodes is LIMIT_EXCEEDED. `None` when the viewer does not see `start`.
    pub fn neighbourhood(
        &self,
        start: NodeRef,
        depth: u32,
        limit: usize,
    ) -> Result<Option<Subgraph>, DomainError> {
        if !self.contains(start) {
            return Ok(None);
        }
        let too_many = || {
            DomainError::limit(format!(
                "the neighbourhood holds more than {limit} nodes; narrow it with a smaller depth or fewer edge types"
            ))
            .with_field("limit")
        };
        let mut at: HashMap<NodeRef, u32> = HashMap::from([(start, 0)]);
        let mut nodes = vec![(start, 0)];
        let mut edges: Vec<Edge> = Vec::new();
        let mut seen_edges: HashSet<Edge> = HashSet::new();
        let mut next = 0;
        while next < nodes.len() {
            let (node, d) = nodes[next];
            next += 1;
            for e in self.edges(node) {
                let other = e.other(node);
                if d < depth && !at.contains_key(&other) {
                    if nodes.len() >= limit {
                        return Err(too_many());
                    }
                    at.insert(other, d + 1);
                    nodes.push((other, d + 1));
                }
                if at.contains_key(&other) && seen_edges.insert(e) {
                    edges.push(e);
                }
            }
        }
        Ok(Some(Subgraph { nodes, edges }))
    }

    /// A shortest path from `from` to `to` of at most `max_length` edges, as its nodes
    /// and edges in order; `None` when there is none or the viewer sees neither end.
    /// Among paths of equal length, the one through the lowest nodes in the order of
    /// [`NodeRef`] comes first.
    pub fn path(&self, from: NodeRef, to: NodeRef, max_length: u32) -> Option<Subgraph> {
        if !self.contains(from) || !self.contains(to) {
            return None;
        }
        let mut parent: HashMap<NodeRef, (NodeRef, Edge, u32)> = HashMap::new();
        let mut queue: VecDeque<(NodeRef, u32)> = VecDeque::from([(from, 0)]);
        let mut found = from == to;
        while let Some((node, d)) = queue.pop_front() {
            if found || d >= max_length {
                break;
            }
            for e in self.edges(node) {
                let other = e.other(node);
                if other == from || parent.contains_key(&other) {
                    continue;
                }
                parent.insert(other, (node, e, d + 1));
                if other == to {
                    found = true;
                    break;
                }
                queue.push_back((other, d + 1));
            }
        }
        if !found {
            return None;
        }
        let mut nodes = vec![to];
        let mut edges = Vec::new();
        let mut at = to;
        while let Some((prev, e, _)) = parent.get(&at) {
            edges.push(*e);
            nodes.push(*prev);
            at = *prev;
        }
        nodes.reverse();
        edges.reverse();
        Some(Subgraph {
            nodes: nodes.into_iter().zip(0..).collect(),
            edges,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::projection::tests::facts;
    use kb_domain::lang::Localised;
    use kb_domain::{OrganisationKind, Status, Theme};
    use kb_store::{EventFacts, OrganisationFacts};

    /// Initiatives 1–4 (4 a draft of organisation 2), theme 1, organisations 1 and 2
    /// (2 part of 1), event 1 featuring 3 and 4:
    ///
    /// ```text
    /// 1 ─BY→ org1 ←BY─ 2 ─BUILDS_ON→ 3 ←FEATURES─ ev1 ─FEATURES→ 4 (draft) ─BY→ org2 ─PART_OF→ org1
    /// 1, 2, 3 ─THEMED→ theme1
    /// ```
    pub(crate) fn small() -> Projection {
        let mut list = Vec::new();
        for id in 1..=4 {
            let mut f = facts(id);
            f.themes = if id < 4 { vec![ThemeId(1)] } else { vec![] };
            f.organisations = match id {
                1 | 2 => vec![OrganisationId(1)],
                4 => vec![OrganisationId(2)],
                _ => vec![],
            };
            if id == 2 {
                f.links = vec![(InitiativeId(3), LinkType::BuildsOn)];
            }
            if id == 4 {
                f.status = Status::Draft;
            }
            list.push(f);
        }
        let org = |id| OrganisationFacts {
            id: OrganisationId(id),
            kind: OrganisationKind::University,
            status: Status::Published,
            name: format!("Organisatie {id}"),
        };
        let theme = Theme {
            id: ThemeId(1),
            code: "policy".into(),
            label: Localised::new("Beleid", None),
            definition: Localised::new("", None),
            position: 1,
        };
        let mut p = Projection::new(list, vec![org(1), org(2)], vec![theme], vec![]);
        p.graph.set_events(vec![EventFacts {
            id: EventId(1),
            status: Status::Published,
            themes: vec![],
            topics: vec![],
            organisers: vec![],
            initiatives: vec![InitiativeId(3), InitiativeId(4)],
        }]);
        p.graph
            .set_part_of(vec![(OrganisationId(2), OrganisationId(1))]);
        p
    }

    fn i(id: i64) -> NodeRef {
        NodeRef::Initiative(InitiativeId(id))
    }

    fn org(id: i64) -> NodeRef {
        NodeRef::Organisation(OrganisationId(id))
    }

    #[test]
    fn a_neighbourhood_holds_the_nodes_within_reach_and_the_edges_among_them() {
        let p = small();
        let v = View::new(&p, Viewer::Anonymous, EdgeTypes::all());
        let n = v
            .neighbourhood(i(2), 1, 100)
            .expect("within limits")
            .expect("visible");
        assert_eq!(
            n.nodes,
            vec![
                (i(2), 0),
                (i(3), 1),
                (NodeRef::Theme(ThemeId(1)), 1),
                (org(1), 1)
            ]
        );
        // The THEMED edge of 3 joins two nodes of the neighbourhood too.
        assert_eq!(n.edges.len(), 4);
        assert!(n.edges.contains(&Edge {
            from: i(3),
            to: NodeRef::Theme(ThemeId(1)),
            kind: EdgeType::Themed
        }));
        assert!(matches!(
            v.neighbourhood(i(2), 2, 4),
            Err(e) if e.code == kb_domain::ErrorCode::LimitExceeded
        ));
    }

    #[test]
    fn a_draft_and_its_edges_exist_only_for_those_who_see_it() {
        let p = small();
        let public = View::new(&p, Viewer::Anonymous, EdgeTypes::all());
        let event = NodeRef::Event(EventId(1));
        assert_eq!(public.edges(event).len(), 1);
        assert!(public.neighbourhood(i(4), 1, 10).expect("ok").is_none());
        let owner = View::new(
            &p,
            Viewer::Contributor {
                organisation_id: OrganisationId(2),
            },
            EdgeTypes::all(),
        );
        assert_eq!(owner.edges(event).len(), 2);
    }

    #[test]
    fn a_shortest_path_follows_edges_either_way_within_the_allowed_types() {
        let p = small();
        let only = |types: &[EdgeType]| View::new(&p, Viewer::Editor, EdgeTypes::of(types));
        let every = only(&[]);
        let path = every.path(i(1), org(2), 8).expect("a path");
        assert_eq!(
            path.nodes.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            vec![i(1), org(1), org(2)]
        );
        assert_eq!(path.edges[1].kind, EdgeType::PartOf);
        // Without BY and PART_OF: 1 → theme → 3 → event → 4.
        let around = only(&[EdgeType::Themed, EdgeType::Features])
            .path(i(1), i(4), 8)
            .expect("a path");
        assert_eq!(around.edges.len(), 4);
        assert!(only(&[EdgeType::Themed]).path(i(1), i(4), 8).is_none());
        assert!(every.path(i(1), i(4), 2).is_none());
        assert_eq!(every.path(i(1), i(4), 3).map(|s| s.edges.len()), Some(3));
        assert!(
            View::new(&p, Viewer::Anonymous, EdgeTypes::all())
                .path(i(1), i(4), 8)
                .is_none()
        );
    }
}
