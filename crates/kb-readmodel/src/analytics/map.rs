//! Maps of the field, as VOSviewer draws them for science mapping: the co-occurrence map
//! of topics (or of themes and topics together), where two are linked by the initiatives
//! filed under both, and the collaboration map of organisations, linked by the
//! initiatives they share. Nodes are weighted by their initiatives; links are normalised
//! by association strength, clustered with Leiden and placed by the VOS mapping technique
//! (see [`super::leiden`] and [`super::layout`]), so the same data gives the same map.

use std::collections::BTreeMap;

use kb_domain::lang::Localised;
use kb_domain::{DomainError, NodeId, Viewer};
use kb_store::access::sees_organisation;
use roaring::RoaringBitmap;

use super::cooccurrence::DimensionValue;
use super::graph::NodeRef;
use super::layout::vos_layout;
use super::leiden::leiden;
use super::network::Network;
use crate::projection::Projection;

/// What a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MapKind {
    /// Topics, linked by the initiatives filed under both.
    Topics,
    /// Themes and topics together, linked by the initiatives holding both.
    ThemesAndTopics,
    /// Organisations, linked by the initiatives they share.
    Organisations,
}

/// How a map is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapSettings {
    pub kind: MapKind,
    /// The resolution of the clustering: higher finds more, smaller clusters.
    pub resolution: f64,
    /// The most nodes drawn: those with the greatest total link count.
    pub max_nodes: usize,
    /// Links of fewer initiatives are left out.
    pub min_link_count: u64,
}

/// The resolution by default (VOSviewer's).
pub const RESOLUTION: f64 = 1.0;
/// The most nodes a map may ask for.
pub const MAX_MAP_NODES: usize = 500;
/// Random starts of the clustering; the best partition is kept.
const STARTS: u32 = 10;
/// The seed of the clustering and the layout: the same data gives the same map.
const SEED: u64 = 20_191_001;
/// Themes listed per cluster.
const CLUSTER_THEMES: usize = 3;

/// A node of a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapNode {
    pub node: NodeRef,
    /// Its code (themes, topics) or global id (organisations), and its label.
    pub value: DimensionValue,
    /// Initiatives of the population holding it.
    pub weight: u64,
    /// How many nodes of the map it is linked to.
    pub links: u32,
    /// The sum of the counts of its links.
    pub total_link_count: u64,
    pub cluster: u32,
    pub x: f64,
    pub y: f64,
}

/// A link between two nodes of a map (indexes into its nodes, `from < to`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapLink {
    pub from: usize,
    pub to: usize,
    /// Initiatives holding both.
    pub count: u64,
    /// Association strength: `2m · count / (k_from · k_to)`, 1 when the two are linked
    /// as often as their total link counts predict.
    pub strength: f64,
}

/// A cluster of a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapCluster {
    /// Its number: clusters are numbered by the sum of their nodes' weights, largest
    /// first (ties by their smallest node).
    pub id: u32,
    /// Indexes into the nodes, heaviest first.
    pub members: Vec<usize>,
    /// Initiatives holding at least one member.
    pub weight: u64,
    /// The themes most of those initiatives hold, with their counts.
    pub themes: Vec<(DimensionValue, u64)>,
}

/// A map: nodes with their cluster and position, links, clusters.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub population: u64,
    pub settings: MapSettings,
    /// The clustering's quality (see docs/analytics.md).
    pub quality: f64,
    pub nodes: Vec<MapNode>,
    pub links: Vec<MapLink>,
    pub clusters: Vec<MapCluster>,
}

/// A candidate node: what it is and its initiatives within the population.
struct Candidate {
    node: NodeRef,
    value: DimensionValue,
    members: RoaringBitmap,
}

impl Projection {
    /// The candidates of a map of `kind` within `population`, in a fixed order.
    fn candidates(
        &self,
        viewer: Viewer,
        kind: MapKind,
        population: &RoaringBitmap,
    ) -> Vec<Candidate> {
        let mut out = Vec::new();
        if kind == MapKind::ThemesAndTopics {
            let mut themes: Vec<&kb_domain::Theme> = self.themes.iter().collect();
            themes.sort_by_key(|t| (t.position, t.id));
            for t in themes {
                if let Some(b) = self.theme.by.get(&t.id) {
                    out.push(Candidate {
                        node: NodeRef::Theme(t.id),
                        value: DimensionValue {
                            value: t.code.clone(),
                            label: t.label.clone(),
                        },
                        members: b & population,
                    });
                }
            }
        }
        if matches!(kind, MapKind::Topics | MapKind::ThemesAndTopics) {
            let mut topics: Vec<&kb_domain::Topic> = self.topics.iter().collect();
            topics.sort_by_key(|t| (t.position, t.id));
            // Each topic with what is filed under it: a broader topic's subtree would
            // link it to every narrower one by construction.
            for t in topics {
                if let Some(b) = self.topic.by.get(&t.id) {
                    out.push(Candidate {
                        node: NodeRef::Topic(t.id),
                        value: DimensionValue {
                            value: t.code.clone(),
                            label: t.label.clone(),
                        },
                        members: b & population,
                    });
                }
            }
        }
        if kind == MapKind::Organisations {
            let mut orgs: Vec<&kb_store::OrganisationFacts> = self
                .organisations
                .values()
                .filter(|o| sees_organisation(viewer, o.id, o.status))
                .collect();
            orgs.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            for o in orgs {
                if let Some(b) = self.organisation.by.get(&o.id) {
                    let members = b & population;
                    if !members.is_empty() {
                        out.push(Candidate {
                            node: NodeRef::Organisation(o.id),
                            value: DimensionValue {
                                value: o.id.global().encode(),
                                label: Localised::new(o.name.clone(), None),
                            },
                            members,
                        });
                    }
                }
            }
        }
        out.retain(|c| !c.members.is_empty());
        out
    }

    /// The map of `settings` over `population` as `viewer` sees it.
    pub fn map(
        &self,
        viewer: Viewer,
        settings: MapSettings,
        population: &RoaringBitmap,
    ) -> Result<Map, DomainError> {
        if settings.max_nodes == 0 || settings.max_nodes > MAX_MAP_NODES {
            return Err(
                DomainError::limit(format!("maxNodes is 1 to {MAX_MAP_NODES}"))
                    .with_field("maxNodes"),
            );
        }
        if !(settings.resolution.is_finite()
            && settings.resolution > 0.0
            && settings.resolution <= 100.0)
        {
            return Err(DomainError::bad_input(
                "resolution",
                "resolution is above 0 and at most 100",
            ));
        }
        let candidates = self.candidates(viewer, settings.kind, population);
        let pairs = pair_counts(&candidates, settings.min_link_count.max(1));
        // The nodes with the greatest total link count (then weight, then order).
        let mut strength = vec![0u64; candidates.len()];
        for (&(i, j), &c) in &pairs {
            strength[i as usize] += c;
            strength[j as usize] += c;
        }
        let mut chosen: Vec<usize> = (0..candidates.len()).collect();
        chosen.sort_by(|&a, &b| {
            strength[b]
                .cmp(&strength[a])
                .then(
                    candidates[b]
                        .members
                        .len()
                        .cmp(&candidates[a].members.len()),
                )
                .then(a.cmp(&b))
        });
        chosen.truncate(settings.max_nodes);
        chosen.sort_unstable();
        let mut at = vec![usize::MAX; candidates.len()];
        for (new, &old) in chosen.iter().enumerate() {
            at[old] = new;
        }
        let mut links: Vec<(u32, u32, f64)> = Vec::new();
        for (&(i, j), &c) in &pairs {
            let (a, b) = (at[i as usize], at[j as usize]);
            if a != usize::MAX && b != usize::MAX {
                links.push((a as u32, b as u32, c as f64));
            }
        }
        links.sort_by_key(|&(a, b, _)| (a, b));
        let n = chosen.len();
        let network = Network {
            weights: chosen
                .iter()
                .map(|&i| candidates[i].members.len() as f64)
                .collect(),
            links: links.clone(),
        };
        let normalised = network.association_strength();
        let partition = leiden(n, &normalised, settings.resolution, STARTS, SEED);
        let positions = vos_layout(n, &normalised, SEED);
        let strength_of: BTreeMap<(u32, u32), f64> =
            normalised.iter().map(|&(a, b, s)| ((a, b), s)).collect();
        let mut nodes: Vec<MapNode> = chosen
            .iter()
            .enumerate()
            .map(|(new, &old)| {
                let c = &candidates[old];
                let (x, y) = positions.get(new).copied().unwrap_or((0.0, 0.0));
                MapNode {
                    node: c.node,
                    value: c.value.clone(),
                    weight: c.members.len(),
                    links: 0,
                    total_link_count: 0,
                    cluster: partition.cluster.get(new).copied().unwrap_or(0),
                    x,
                    y,
                }
            })
            .collect();
        let links: Vec<MapLink> = links
            .iter()
            .map(|&(a, b, c)| {
                for end in [a, b] {
                    let node = &mut nodes[end as usize];
                    node.links += 1;
                    node.total_link_count += c as u64;
                }
                MapLink {
                    from: a as usize,
                    to: b as usize,
                    count: c as u64,
                    strength: strength_of.get(&(a, b)).copied().unwrap_or(0.0),
                }
            })
            .collect();
        let clusters = self.clusters(&nodes, &chosen, &candidates);
        Ok(Map {
            population: population.len(),
            settings,
            quality: partition.quality,
            nodes,
            links,
            clusters,
        })
    }

    /// The clusters of `nodes` (whose candidates are `chosen` of `candidates`).
    fn clusters(
        &self,
        nodes: &[MapNode],
        chosen: &[usize],
        candidates: &[Candidate],
    ) -> Vec<MapCluster> {
        let count = nodes.iter().map(|n| n.cluster + 1).max().unwrap_or(0);
        let mut themes: Vec<&kb_domain::Theme> = self.themes.iter().collect();
        themes.sort_by_key(|t| (t.position, t.id));
        (0..count)
            .map(|id| {
                let mut members: Vec<usize> = (0..nodes.len())
                    .filter(|&i| nodes[i].cluster == id)
                    .collect();
                members.sort_by(|&a, &b| nodes[b].weight.cmp(&nodes[a].weight).then(a.cmp(&b)));
                let mut union = RoaringBitmap::new();
                for &m in &members {
                    union |= &candidates[chosen[m]].members;
                }
                let mut held: Vec<(DimensionValue, u64)> = themes
                    .iter()
                    .filter_map(|t| {
                        let n = self.theme.by.get(&t.id)?.intersection_len(&union);
                        (n > 0).then(|| {
                            (
                                DimensionValue {
                                    value: t.code.clone(),
                                    label: t.label.clone(),
                                },
                                n,
                            )
                        })
                    })
                    .collect();
                // Stable: equal counts keep the taxonomy's order.
                held.sort_by_key(|t| std::cmp::Reverse(t.1));
                held.truncate(CLUSTER_THEMES);
                MapCluster {
                    id,
                    members,
                    weight: union.len(),
                    themes: held,
                }
            })
            .collect()
    }
}

/// How many initiatives each pair of candidates shares (`i < j`), pairs of at least
/// `min` only: every (initiative, candidate) sorted, then each initiative's pairs counted.
fn pair_counts(candidates: &[Candidate], min: u64) -> BTreeMap<(u32, u32), u64> {
    let mut held: Vec<(u32, u32)> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        held.extend(c.members.iter().map(|m| (m, i as u32)));
    }
    held.sort_unstable();
    let mut pairs: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    for group in held.chunk_by(|a, b| a.0 == b.0) {
        for (k, &(_, a)) in group.iter().enumerate() {
            for &(_, b) in &group[k + 1..] {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    pairs.retain(|_, c| *c >= min);
    pairs
}
