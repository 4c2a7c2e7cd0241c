//! The undirected weighted networks the analyst's maps are drawn from (topics that occur
//! together, organisations that work together), their normalisation by association
//! strength, and the adjacency lists the clustering and the layout walk.

/// An undirected weighted network of `n` nodes, `n` being `weights.len()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Network {
    /// Each node's weight (for co-occurrence maps: how many initiatives hold it).
    pub weights: Vec<f64>,
    /// Links (i, j, count) with i < j, each pair once, count > 0.
    pub links: Vec<(u32, u32, f64)>,
}

impl Network {
    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the network has no nodes.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Association strength (VOSviewer's default normalisation):
    /// s_ij = 2m · c_ij / (k_i · k_j), k_i the total link count of node i, m the sum of all
    /// link counts. Nodes without links get no normalised links.
    ///
    /// A link whose count is not positive and finite, that joins a node to itself or that
    /// names a node outside the network counts for nothing. Links that name the same pair
    /// twice are added up; the result is sorted by (i, j) with i < j.
    pub fn association_strength(&self) -> Vec<(u32, u32, f64)> {
        let n = self.len();
        let mut links: Vec<(u32, u32, f64)> = self
            .links
            .iter()
            .filter_map(|&(a, b, c)| valid(n, a, b, c).map(|(i, j)| (i, j, c)))
            .collect();
        links.sort_by_key(|&(i, j, _)| (i, j));
        links.dedup_by(|later, kept| {
            let same = later.0 == kept.0 && later.1 == kept.1;
            if same {
                kept.2 += later.2;
            }
            same
        });
        let mut k = vec![0.0; n];
        let mut m = 0.0;
        for &(i, j, c) in &links {
            k[i as usize] += c;
            k[j as usize] += c;
            m += c;
        }
        links
            .into_iter()
            .map(|(i, j, c)| (i, j, 2.0 * m * c / (k[i as usize] * k[j as usize])))
            .collect()
    }
}

/// The pair (i, j), i < j, of a link that counts: both ends inside a network of `n` nodes,
/// two different nodes, and a positive finite weight.
pub(crate) fn valid(n: usize, a: u32, b: u32, weight: f64) -> Option<(u32, u32)> {
    let inside = (a as usize) < n && (b as usize) < n;
    (inside && a != b && weight.is_finite() && weight > 0.0).then(|| (a.min(b), a.max(b)))
}

/// A network as adjacency lists (compressed rows: node `i`'s neighbours are
/// `neighbour[start[i]..start[i + 1]]`), each link stored in both directions, with a
/// weight per node (a node of an aggregated network stands for several).
#[derive(Debug, Clone)]
pub(crate) struct Adjacency {
    pub(crate) node_weight: Vec<f64>,
    start: Vec<usize>,
    neighbour: Vec<u32>,
    weight: Vec<f64>,
}

impl Adjacency {
    /// The adjacency of `n` nodes of weight 1 joined by the links that count (see
    /// [`valid`]), in the order given.
    pub(crate) fn new(n: usize, links: &[(u32, u32, f64)]) -> Self {
        let links: Vec<(u32, u32, f64)> = links
            .iter()
            .filter_map(|&(a, b, w)| valid(n, a, b, w).map(|(i, j)| (i, j, w)))
            .collect();
        let mut degree = vec![0usize; n + 1];
        for &(i, j, _) in &links {
            degree[i as usize + 1] += 1;
            degree[j as usize + 1] += 1;
        }
        for i in 0..n {
            degree[i + 1] += degree[i];
        }
        let start = degree;
        let mut next = start.clone();
        let mut neighbour = vec![0u32; start[n]];
        let mut weight = vec![0.0; start[n]];
        for &(i, j, w) in &links {
            for (from, to) in [(i, j), (j, i)] {
                let slot = next[from as usize];
                neighbour[slot] = to;
                weight[slot] = w;
                next[from as usize] += 1;
            }
        }
        Self {
            node_weight: vec![1.0; n],
            start,
            neighbour,
            weight,
        }
    }

    /// The number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.node_weight.len()
    }

    /// Node `i`'s neighbours with the weight of the link to each.
    pub(crate) fn neighbours(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.start[i]..self.start[i + 1];
        self.neighbour[range.clone()]
            .iter()
            .zip(&self.weight[range])
            .map(|(&j, &w)| (j as usize, w))
    }

    /// The network of the groups `group` (numbered 0..groups) puts the nodes in: a node per
    /// group weighing what its members weigh together, and a link between two groups
    /// weighing what the links between their members weigh. Links inside a group drop out.
    pub(crate) fn aggregate(&self, group: &[u32], groups: usize) -> Self {
        let mut members_start = vec![0usize; groups + 1];
        for &g in group {
            members_start[g as usize + 1] += 1;
        }
        for g in 0..groups {
            members_start[g + 1] += members_start[g];
        }
        let mut next = members_start.clone();
        let mut members = vec![0usize; group.len()];
        for (i, &g) in group.iter().enumerate() {
            members[next[g as usize]] = i;
            next[g as usize] += 1;
        }
        let mut node_weight = vec![0.0; groups];
        let mut start = Vec::with_capacity(groups + 1);
        start.push(0);
        let mut neighbour = Vec::new();
        let mut weight = Vec::new();
        let mut to_group = vec![0.0; groups];
        let mut touched: Vec<usize> = Vec::new();
        for g in 0..groups {
            for &i in &members[members_start[g]..members_start[g + 1]] {
                node_weight[g] += self.node_weight[i];
                for (j, w) in self.neighbours(i) {
                    let h = group[j] as usize;
                    if h == g {
                        continue;
                    }
                    if to_group[h] == 0.0 {
                        touched.push(h);
                    }
                    to_group[h] += w;
                }
            }
            for &h in &touched {
                neighbour.push(h as u32);
                weight.push(to_group[h]);
                to_group[h] = 0.0;
            }
            touched.clear();
            start.push(neighbour.len());
        }
        Self {
            node_weight,
            start,
            neighbour,
            weight,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn association_strength_divides_by_both_totals() {
        // k = (3, 4, 1), m = 4.
        let network = Network {
            weights: vec![5.0, 6.0, 2.0, 1.0],
            links: vec![(0, 1, 3.0), (1, 2, 1.0)],
        };
        assert_eq!(
            network.association_strength(),
            vec![
                (0, 1, 2.0 * 4.0 * 3.0 / 12.0),
                (1, 2, 2.0 * 4.0 * 1.0 / 4.0)
            ]
        );
    }

    #[test]
    fn links_that_do_not_count_are_left_out_and_repeated_pairs_add_up() {
        let network = Network {
            weights: vec![1.0; 3],
            links: vec![
                (1, 0, 1.0),
                (0, 1, 1.0),
                (2, 2, 4.0),
                (0, 7, 1.0),
                (0, 2, 0.0),
                (1, 2, f64::NAN),
            ],
        };
        // One link (0, 1) of count 2: m = 2, k = (2, 2, 0).
        assert_eq!(network.association_strength(), vec![(0, 1, 2.0)]);
    }

    #[test]
    fn an_empty_network_has_no_normalised_links() {
        assert_eq!(Network::default().association_strength(), vec![]);
    }

    #[test]
    fn aggregation_sums_the_links_between_groups() {
        let adjacency = Adjacency::new(4, &[(0, 1, 1.0), (1, 2, 2.0), (2, 3, 3.0), (0, 3, 0.5)]);
        let groups = adjacency.aggregate(&[0, 0, 1, 1], 2);
        assert_eq!(groups.node_weight, vec![2.0, 2.0]);
        assert_eq!(groups.neighbours(0).collect::<Vec<_>>(), vec![(1, 2.5)]);
        assert_eq!(groups.neighbours(1).collect::<Vec<_>>(), vec![(0, 2.5)]);
    }
}
