//! Which nodes hold the graph together: degree, PageRank and betweenness, over the graph
//! one viewer sees (see [`View`]) taken as an undirected simple graph: two nodes are
//! adjacent when an edge of an allowed type joins them, whichever its direction.
//!
//! - DEGREE: how many nodes a node is adjacent to.
//! - PAGERANK: the stationary distribution of a walk that follows an edge with
//!   probability 0.85 and jumps to any node otherwise (from a node without edges, always
//!   jumps); over the whole graph, every type of node together, so the scores of all
//!   nodes sum to 1. Power iteration until the scores move less than 1e-10 in sum (or 200
//!   rounds): far closer than 1e-6 to the exact solution.
//! - BETWEENNESS: on the graph of the requested type of node alone, where two nodes are
//!   adjacent when an edge joins them directly (BUILDS_ON, INSPIRED_BY, RELATED_TO
//!   between initiatives; BROADER between topics; PART_OF between organisations) or,
//!   for themes, topics, organisations and events, when both are joined to the same
//!   initiative. For every pair of nodes, the share of their shortest paths that pass
//!   through the node (Brandes' algorithm; each unordered pair once, not normalised).
//!   Exact; the work, the sum over connected parts of nodes × (nodes + edges), is
//!   bounded by [`BETWEENNESS_BUDGET`], past which the answer is LIMIT_EXCEEDED.
//!
//! The algorithms are written here rather than taken from petgraph: its `page_rank`
//! visits every pair of nodes in each round (for each target node it scans the edges of
//! every node), quadratic in the nodes, which at 100,000 initiatives is out of reach,
//! while power iteration over compressed adjacency rows is linear in the edges per round;
//! and betweenness on the projected graph needs no graph types beyond these rows. The
//! crate gains no dependency for two short, tested functions.

use std::collections::{HashMap, VecDeque};

use kb_domain::DomainError;

use super::graph::{NodeRef, NodeType, View};

/// What centrality measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Degree,
    PageRank,
    Betweenness,
}

/// The probability that the walk of PageRank follows an edge.
pub const DAMPING: f64 = 0.85;
/// PageRank stops when the scores move less than this in sum.
const TOLERANCE: f64 = 1e-10;
const MAX_ROUNDS: usize = 200;
/// The most work betweenness takes on (nodes × (nodes + edges), per connected part).
pub const BETWEENNESS_BUDGET: u64 = 300_000_000;

/// A graph in compressed rows: the neighbours of node `v` are
/// `adjacency[offsets[v]..offsets[v + 1]]`.
pub(crate) struct Rows {
    pub(crate) nodes: Vec<NodeRef>,
    offsets: Vec<usize>,
    adjacency: Vec<u32>,
}

impl Rows {
    fn from_lists(nodes: Vec<NodeRef>, lists: Vec<Vec<u32>>) -> Self {
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        let mut adjacency = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        offsets.push(0);
        for mut l in lists {
            l.sort_unstable();
            l.dedup();
            adjacency.extend(l);
            offsets.push(adjacency.len());
        }
        Self {
            nodes,
            offsets,
            adjacency,
        }
    }

    fn neighbours(&self, v: usize) -> &[u32] {
        match (self.offsets.get(v), self.offsets.get(v + 1)) {
            (Some(a), Some(b)) => self.adjacency.get(*a..*b).unwrap_or_default(),
            _ => &[],
        }
    }

    fn len(&self) -> usize {
        self.nodes.len()
    }
}

impl View<'_> {
    /// Every node the viewer sees, in the order of [`NodeRef`].
    fn all_nodes(&self) -> Vec<NodeRef> {
        let mut nodes: Vec<NodeRef> = self
            .visible
            .iter()
            .map(|m| NodeRef::Initiative(kb_domain::InitiativeId(i64::from(m))))
            .collect();
        let mut rest: Vec<NodeRef> = self
            .p
            .themes
            .iter()
            .map(|t| NodeRef::Theme(t.id))
            .chain(self.p.topics.iter().map(|t| NodeRef::Topic(t.id)))
            .chain(
                self.p
                    .organisations
                    .keys()
                    .map(|o| NodeRef::Organisation(*o)),
            )
            .chain(self.p.graph.events.keys().map(|e| NodeRef::Event(*e)))
            .filter(|n| self.contains(*n))
            .collect();
        rest.sort_unstable();
        nodes.extend(rest);
        nodes
    }

    /// The graph as an undirected simple graph in compressed rows.
    pub(crate) fn rows(&self) -> Rows {
        let nodes = self.all_nodes();
        let index: HashMap<NodeRef, u32> = nodes.iter().zip(0u32..).map(|(n, i)| (*n, i)).collect();
        let lists = nodes
            .iter()
            .map(|n| {
                self.edges(*n)
                    .iter()
                    .filter_map(|e| index.get(&e.other(*n)).copied())
                    .filter(|o| nodes.get(*o as usize) != Some(n))
                    .collect()
            })
            .collect();
        Rows::from_lists(nodes, lists)
    }
}

/// How many neighbours each node has.
pub(crate) fn degree(g: &Rows) -> Vec<f64> {
    (0..g.len()).map(|v| g.neighbours(v).len() as f64).collect()
}

/// PageRank by power iteration.
pub(crate) fn pagerank(g: &Rows) -> Vec<f64> {
    let n = g.len();
    if n == 0 {
        return Vec::new();
    }
    let nf = n as f64;
    let mut x = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    for _ in 0..MAX_ROUNDS {
        let stranded: f64 = (0..n)
            .filter(|v| g.neighbours(*v).is_empty())
            .map(|v| x[v])
            .sum();
        let base = (1.0 - DAMPING) / nf + DAMPING * stranded / nf;
        next.iter_mut().for_each(|s| *s = base);
        for (u, xu) in x.iter().enumerate() {
            let out = g.neighbours(u);
            if out.is_empty() {
                continue;
            }
            let share = DAMPING * xu / out.len() as f64;
            for v in out {
                if let Some(s) = next.get_mut(*v as usize) {
                    *s += share;
                }
            }
        }
        let moved: f64 = x.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if moved < TOLERANCE {
            break;
        }
    }
    x
}

/// The graph of the nodes of one type (see the module's comment).
pub(crate) fn projected(g: &Rows, node_type: NodeType) -> Rows {
    let mut local: HashMap<u32, u32> = HashMap::new();
    let mut nodes = Vec::new();
    for (v, n) in g.nodes.iter().enumerate() {
        if n.node_type() == node_type {
            local.insert(v as u32, nodes.len() as u32);
            nodes.push(*n);
        }
    }
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); nodes.len()];
    for (v, n) in g.nodes.iter().enumerate() {
        if let Some(a) = local.get(&(v as u32)) {
            for w in g.neighbours(v) {
                if let Some(b) = local.get(w) {
                    lists[*a as usize].push(*b);
                }
            }
        } else if n.node_type() == NodeType::Initiative {
            // Nodes of the type that share this initiative are adjacent.
            let shared: Vec<u32> = g
                .neighbours(v)
                .iter()
                .filter_map(|w| local.get(w).copied())
                .collect();
            for a in &shared {
                for b in &shared {
                    if a != b {
                        lists[*a as usize].push(*b);
                    }
                }
            }
        }
    }
    Rows::from_lists(nodes, lists)
}

/// The work betweenness takes on `g`: nodes × (nodes + edges) per connected part.
fn work(g: &Rows) -> u64 {
    let mut part = vec![usize::MAX; g.len()];
    let mut total = 0u64;
    for s in 0..g.len() {
        if part[s] != usize::MAX {
            continue;
        }
        let (mut nodes, mut ends) = (0u64, 0u64);
        let mut queue = VecDeque::from([s]);
        part[s] = s;
        while let Some(v) = queue.pop_front() {
            nodes += 1;
            for w in g.neighbours(v) {
                ends += 1;
                let w = *w as usize;
                if part[w] == usize::MAX {
                    part[w] = s;
                    queue.push_back(w);
                }
            }
        }
        total = total.saturating_add(nodes.saturating_mul(nodes + ends / 2));
    }
    total
}

/// Betweenness by Brandes' algorithm, each unordered pair once.
pub(crate) fn betweenness(g: &Rows) -> Result<Vec<f64>, DomainError> {
    let n = g.len();
    let w = work(g);
    if w > BETWEENNESS_BUDGET {
        return Err(DomainError::limit(format!(
            "betweenness over {n} nodes takes about {w} steps, past the limit of {BETWEENNESS_BUDGET}; ask for another type of node or fewer edge types"
        ))
        .with_field("measure"));
    }
    let mut score = vec![0.0; n];
    let mut sigma = vec![0f64; n];
    let mut dist = vec![-1i64; n];
    let mut delta = vec![0f64; n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for s in 0..n {
        for v in &order {
            sigma[*v] = 0.0;
            dist[*v] = -1;
            delta[*v] = 0.0;
            preds[*v].clear();
        }
        order.clear();
        sigma[s] = 1.0;
        dist[s] = 0;
        let mut queue = VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for w in g.neighbours(v) {
                let w = *w as usize;
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        for w in order.iter().rev() {
            for v in &preds[*w] {
                delta[*v] += sigma[*v] / sigma[*w] * (1.0 + delta[*w]);
            }
            if *w != s {
                score[*w] += delta[*w];
            }
        }
    }
    Ok(score.into_iter().map(|s| s / 2.0).collect())
}

/// Every node's score of `measure` (betweenness: every node of `node_type`).
pub(crate) fn scores(
    view: &View<'_>,
    measure: Measure,
    node_type: NodeType,
) -> Result<Vec<(NodeRef, f64)>, DomainError> {
    let g = view.rows();
    let (nodes, values) = match measure {
        Measure::Degree => {
            let d = degree(&g);
            (g.nodes, d)
        }
        Measure::PageRank => {
            let r = pagerank(&g);
            (g.nodes, r)
        }
        Measure::Betweenness => {
            let h = projected(&g, node_type);
            let b = betweenness(&h)?;
            (h.nodes, b)
        }
    };
    Ok(nodes.into_iter().zip(values).collect())
}

/// The `first` best of `scores` of `node_type`, highest first, ties by node.
pub fn top(scores: &[(NodeRef, f64)], node_type: NodeType, first: usize) -> Vec<(NodeRef, f64)> {
    let mut of: Vec<(NodeRef, f64)> = scores
        .iter()
        .filter(|(n, _)| n.node_type() == node_type)
        .copied()
        .collect();
    of.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    of.truncate(first);
    of
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::graph::EdgeTypes;
    use crate::analytics::graph::tests::small;
    use kb_domain::{InitiativeId, OrganisationId, Viewer};

    fn lists(edges: &[(u32, u32)], n: usize) -> Rows {
        let mut l = vec![Vec::new(); n];
        for (a, b) in edges {
            l[*a as usize].push(*b);
            l[*b as usize].push(*a);
        }
        let nodes = (1..=n as i64)
            .map(|i| NodeRef::Initiative(InitiativeId(i)))
            .collect();
        Rows::from_lists(nodes, l)
    }

    fn close(got: &[f64], want: &[f64], tolerance: f64) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= tolerance, "{got:?} is not {want:?}");
        }
    }

    #[test]
    fn pagerank_of_a_star_and_a_lone_node_matches_the_closed_form() {
        // A star (centre 0, leaves 1–3) and an isolated node 4. With N = 5, d = 0.85
        // and s the lone node's score: leaf = (1−d)/N + d·c/3 + d·s/N,
        // centre = (1−d)/N + 3d·leaf + d·s/N, s = (1−d)/N + d·s/N; solved exactly:
        let g = lists(&[(0, 1), (0, 2), (0, 3)], 5);
        let s: f64 = 0.15 / 5.0 / (1.0 - 0.85 / 5.0);
        let jump = 0.15 / 5.0 + 0.85 * s / 5.0;
        // leaf = jump + d·centre/3; centre = jump + 3d·leaf ⇒ centre = jump(1 + 3d) / (1 − d²)
        let centre = jump * (1.0 + 3.0 * 0.85) / (1.0 - 0.85 * 0.85);
        let leaf = jump + 0.85 * centre / 3.0;
        let r = pagerank(&g);
        close(&r, &[centre, leaf, leaf, leaf, s], 1e-9);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn betweenness_counts_the_shortest_paths_through_each_node() {
        // A path 0–1–2–3 and a triangle 3–4–5. 1 lies between 0 and {2, 3, 4, 5};
        // 2 between {0, 1} and {3, 4, 5}; 3 between {0, 1, 2} and {4, 5}.
        let g = lists(&[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 3)], 6);
        let b = betweenness(&g).expect("small");
        close(&b, &[0.0, 4.0, 6.0, 6.0, 0.0, 0.0], 1e-12);
        // Two equal shortest paths share the credit: a square 0–1–2–3–0.
        let sq = lists(&[(0, 1), (1, 2), (2, 3), (3, 0)], 4);
        close(&betweenness(&sq).expect("small"), &[0.5; 4], 1e-12);
        assert_eq!(degree(&sq), vec![2.0; 4]);
    }

    #[test]
    fn organisations_sharing_an_initiative_are_adjacent_for_betweenness() {
        let p = small();
        let v = View::new(&p, Viewer::Editor, EdgeTypes::all());
        let g = v.rows();
        let h = projected(&g, NodeType::Organisation);
        assert_eq!(
            h.nodes,
            vec![
                NodeRef::Organisation(OrganisationId(1)),
                NodeRef::Organisation(OrganisationId(2))
            ]
        );
        assert_eq!(h.neighbours(0), &[1]);
        let d = scores(&v, Measure::Degree, NodeType::Organisation).expect("scores");
        // Organisation 1: initiatives 1 and 2, and organisation 2 (PART_OF).
        assert_eq!(
            top(&d, NodeType::Organisation, 1),
            vec![(NodeRef::Organisation(OrganisationId(1)), 3.0)]
        );
    }

    /// A timing, not a check: `cargo test -p kb-readmodel --release -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn pagerank_over_a_hundred_thousand_initiatives() {
        use crate::projection::tests::facts;
        use kb_domain::{LinkType, ThemeId, TopicId};
        let mut list = Vec::with_capacity(100_000);
        for id in 1..=100_000i64 {
            let mut f = facts(id);
            f.themes = vec![ThemeId(id % 8 + 1), ThemeId((id / 8) % 8 + 1)];
            f.topics = vec![TopicId(id % 40 + 1), TopicId((id / 40) % 40 + 1)];
            f.organisations = vec![OrganisationId(id % 2_000 + 1), OrganisationId(id % 997 + 1)];
            if id % 3 == 0 {
                f.links = vec![(InitiativeId(id / 3), LinkType::BuildsOn)];
            }
            list.push(f);
        }
        let orgs = (1..=2_000)
            .map(|o| kb_store::OrganisationFacts {
                id: OrganisationId(o),
                kind: kb_domain::OrganisationKind::University,
                status: kb_domain::Status::Published,
                name: format!("Organisatie {o}"),
            })
            .collect();
        let label = || kb_domain::lang::Localised::new("x", None);
        let themes = (1..=8)
            .map(|t| kb_domain::Theme {
                id: ThemeId(t),
                code: format!("theme{t}"),
                label: label(),
                definition: label(),
                position: t as i32,
            })
            .collect();
        let topics = (1..=40)
            .map(|t| kb_domain::Topic {
                id: TopicId(t),
                code: format!("topic{t}"),
                broader_id: None,
                label: label(),
                description: label(),
                alt_labels: vec![],
                position: t as i32,
            })
            .collect();
        let p = crate::Projection::new(list, orgs, themes, topics);
        let started = std::time::Instant::now();
        let v = View::new(&p, Viewer::Anonymous, EdgeTypes::all());
        let g = v.rows();
        let built = started.elapsed();
        let r = pagerank(&g);
        println!(
            "{} nodes, {} adjacency entries: rows {built:?}, PageRank {:?}",
            g.len(),
            g.adjacency.len(),
            started.elapsed() - built
        );
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }
}
