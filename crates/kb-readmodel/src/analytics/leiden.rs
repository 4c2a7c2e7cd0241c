//! Clusters by the Leiden algorithm (Traag, Waltman & van Eck 2019, "From Louvain to
//! Leiden: guaranteeing well-connected communities"), optimising the Constant Potts
//! Model as VOSviewer does on association strengths. Each round moves nodes fast between
//! clusters, refines every cluster into well-connected parts, and repeats on the network
//! of those parts with the clusters as its start, until a round changes nothing. The
//! node orders and the refinement's random choices come from a generator seeded by the
//! caller, so the same input gives the same partition, bit for bit.

use super::network::{Adjacency, valid};
use super::prng::SplitMix64;
use std::collections::VecDeque;

/// How much chance the refinement leaves to merges that gain less than the best one
/// (θ of the paper; CWTS's implementation uses the same 0.01).
const RANDOMNESS: f64 = 0.01;

/// At most this many rounds per start; a round that changes nothing ends the start
/// earlier, which is what happens on every network tried (a handful of rounds).
const MAX_ROUNDS: usize = 50;

/// A partition: each node's cluster, clusters numbered 0.. by total node weight (largest
/// first), ties by their smallest node index; and its quality.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub cluster: Vec<u32>,
    pub quality: f64,
}

impl Partition {
    /// The number of clusters.
    pub fn clusters(&self) -> usize {
        self.cluster.iter().max().map_or(0, |&c| c as usize + 1)
    }
}

/// The quality of a partition (CPM as VOSviewer uses it on association strength):
/// Q = Σ_{i≠j, same cluster} (s_ij − γ) = 2 · Σ_{i<j, same cluster} (s_ij − γ)
/// [node sizes 1]. Every pair is counted in both orders, as leidenalg's
/// `CPMVertexPartition.quality()` counts it, so the two give the same number.
///
/// Links that do not count (not positive and finite, a node to itself, a node outside
/// 0..n) are left out, as [`leiden`] leaves them out; `cluster` holds one entry per node.
pub fn quality(n: usize, links: &[(u32, u32, f64)], cluster: &[u32], resolution: f64) -> f64 {
    let n = n.min(cluster.len());
    let mut inside = 0.0;
    for &(a, b, w) in links {
        if let Some((i, j)) = valid(n, a, b, w)
            && cluster[i as usize] == cluster[j as usize]
        {
            inside += w;
        }
    }
    // Cluster numbers may be any u32: the sizes come from the sorted numbers' runs.
    let mut labels = cluster[..n].to_vec();
    labels.sort_unstable();
    let pairs: f64 = labels
        .chunk_by(|a, b| a == b)
        .map(|run| (run.len() * (run.len() - 1)) as f64)
        .sum();
    2.0 * inside - resolution * pairs
}

/// Leiden: fast local moving, refinement, aggregation, repeated until no change; `starts`
/// random starts (seeded deterministically from `seed`), the best quality kept (the
/// earliest of equals). At least one start is made. Nodes without links stay alone.
pub fn leiden(
    n: usize,
    links: &[(u32, u32, f64)],
    resolution: f64,
    starts: u32,
    seed: u64,
) -> Partition {
    let network = Adjacency::new(n, links);
    let mut rng = SplitMix64::new(seed);
    let mut best: Option<Partition> = None;
    for _ in 0..starts.max(1) {
        let mut cluster: Vec<u32> = (0..n as u32).collect();
        for _ in 0..MAX_ROUNDS {
            if !round(&network, &mut cluster, resolution, &mut rng) {
                break;
            }
        }
        for (i, c) in cluster.iter_mut().enumerate() {
            if network.neighbours(i).next().is_none() {
                // A node with no links gains nothing anywhere; alone it stays even at a
                // resolution of 0 or below, where joining would cost nothing.
                *c = (n + i) as u32;
            }
        }
        let cluster = canonical(&cluster);
        let quality = quality(n, links, &cluster, resolution);
        if best.as_ref().is_none_or(|b| quality > b.quality) {
            best = Some(Partition { cluster, quality });
        }
    }
    best.unwrap_or(Partition {
        cluster: Vec::new(),
        quality: 0.0,
    })
}

/// One round of the Leiden algorithm on `network` from the clusters in `cluster` (each
/// below the number of nodes); whether any node moved, here or in an aggregate.
fn round(network: &Adjacency, cluster: &mut [u32], resolution: f64, rng: &mut SplitMix64) -> bool {
    let n = network.len();
    let mut changed = move_nodes(network, cluster, resolution, rng);
    if renumber(cluster) == n {
        return changed;
    }
    let mut parts = refine(network, cluster, resolution, rng);
    let count = renumber(&mut parts);
    if count == n {
        return changed;
    }
    let aggregate = network.aggregate(&parts, count);
    let mut start = vec![0u32; count];
    for (i, &p) in parts.iter().enumerate() {
        start[p as usize] = cluster[i];
    }
    changed |= round(&aggregate, &mut start, resolution, rng);
    for (c, &p) in cluster.iter_mut().zip(&parts) {
        *c = start[p as usize];
    }
    changed
}

/// Fast local moving: each node, taken from a queue in random order, goes to the cluster
/// (or an empty one) where the quality gains most; the neighbours a move concerns go back
/// into the queue. Whether any node moved.
fn move_nodes(
    network: &Adjacency,
    cluster: &mut [u32],
    resolution: f64,
    rng: &mut SplitMix64,
) -> bool {
    let n = network.len();
    let weight = &network.node_weight;
    let mut cluster_weight = vec![0.0; n];
    let mut members = vec![0usize; n];
    for (i, &c) in cluster.iter().enumerate() {
        cluster_weight[c as usize] += weight[i];
        members[c as usize] += 1;
    }
    let mut unused: Vec<usize> = (0..n).rev().filter(|&c| members[c] == 0).collect();
    let mut queue: VecDeque<usize> = rng.permutation(n).into();
    let mut queued = vec![true; n];
    let mut link_weight = vec![0.0; n];
    let mut candidates: Vec<usize> = Vec::new();
    let mut changed = false;
    while let Some(i) = queue.pop_front() {
        queued[i] = false;
        let current = cluster[i] as usize;
        cluster_weight[current] -= weight[i];
        members[current] -= 1;
        if members[current] == 0 {
            unused.push(current);
        }
        candidates.clear();
        candidates.extend(unused.last());
        for (j, w) in network.neighbours(i) {
            let c = cluster[j] as usize;
            if link_weight[c] == 0.0 {
                candidates.push(c);
            }
            link_weight[c] += w;
        }
        let gain = |c: usize| link_weight[c] - weight[i] * cluster_weight[c] * resolution;
        let mut best = current;
        let mut best_gain = gain(current);
        for &c in &candidates {
            let g = gain(c);
            if g > best_gain {
                best = c;
                best_gain = g;
            }
        }
        for &c in &candidates {
            link_weight[c] = 0.0;
        }
        cluster_weight[best] += weight[i];
        members[best] += 1;
        if unused.last() == Some(&best) {
            unused.pop();
        }
        if best != current {
            cluster[i] = best as u32;
            changed = true;
            for (j, _) in network.neighbours(i) {
                if !queued[j] && cluster[j] as usize != best {
                    queued[j] = true;
                    queue.push_back(j);
                }
            }
        }
    }
    changed
}

/// The refinement: within each cluster, every node starts alone; in random order, a node
/// still alone and well connected to the rest of its cluster joins a well-connected part
/// of its cluster (or stays), chosen at random with a probability growing as
/// exp(gain / θ) among the moves that do not lose quality. The parts, numbered by node.
fn refine(network: &Adjacency, cluster: &[u32], resolution: f64, rng: &mut SplitMix64) -> Vec<u32> {
    let n = network.len();
    let weight = &network.node_weight;
    let mut cluster_total = vec![0.0; n];
    for (i, &c) in cluster.iter().enumerate() {
        cluster_total[c as usize] += weight[i];
    }
    let mut part: Vec<u32> = (0..n as u32).collect();
    let mut part_weight = weight.clone();
    // The weight of the links from each part to the rest of its cluster.
    let mut outward: Vec<f64> = (0..n)
        .map(|i| {
            network
                .neighbours(i)
                .filter(|&(j, _)| cluster[j] == cluster[i])
                .map(|(_, w)| w)
                .sum()
        })
        .collect();
    let mut grown = vec![false; n];
    let mut link_weight = vec![0.0; n];
    let mut candidates: Vec<usize> = Vec::new();
    let mut chances: Vec<(usize, f64)> = Vec::new();
    for i in rng.permutation(n) {
        let total = cluster_total[cluster[i] as usize];
        let connected = |p: usize, part_weight: &[f64], outward: &[f64]| {
            outward[p] >= part_weight[p] * (total - part_weight[p]) * resolution
        };
        if grown[i] || !connected(i, &part_weight, &outward) {
            continue;
        }
        part_weight[i] = 0.0;
        outward[i] = 0.0;
        candidates.clear();
        candidates.push(i);
        for (j, w) in network.neighbours(i) {
            if cluster[j] != cluster[i] {
                continue;
            }
            let p = part[j] as usize;
            if link_weight[p] == 0.0 && p != i {
                candidates.push(p);
            }
            link_weight[p] += w;
        }
        chances.clear();
        let mut best_gain = 0.0f64;
        for &p in &candidates {
            let gain = link_weight[p] - weight[i] * part_weight[p] * resolution;
            if gain >= 0.0 && connected(p, &part_weight, &outward) {
                best_gain = best_gain.max(gain);
                chances.push((p, gain));
            }
            link_weight[p] = 0.0;
        }
        // exp((gain − best) / θ): the same odds as exp(gain / θ), without overflow.
        let mut sum = 0.0;
        for chance in &mut chances {
            sum += ((chance.1 - best_gain) / RANDOMNESS).exp();
            chance.1 = sum;
        }
        let r = sum * rng.next_f64();
        let chosen = chances
            .iter()
            .find(|&&(_, cumulative)| cumulative > r)
            .or(chances.last())
            .map_or(i, |&(p, _)| p);
        part_weight[chosen] += weight[i];
        for (j, w) in network.neighbours(i) {
            if cluster[j] != cluster[i] {
                continue;
            }
            if part[j] as usize == chosen {
                outward[chosen] -= w;
            } else {
                outward[chosen] += w;
            }
        }
        if chosen != i {
            part[i] = chosen as u32;
            grown[chosen] = true;
        }
    }
    part
}

/// Numbers the clusters 0.. in the order their first nodes come; how many there are.
fn renumber(cluster: &mut [u32]) -> usize {
    let mut number = vec![u32::MAX; cluster.len()];
    let mut count = 0u32;
    for c in cluster.iter_mut() {
        let slot = &mut number[*c as usize];
        if *slot == u32::MAX {
            *slot = count;
            count += 1;
        }
        *c = *slot;
    }
    count as usize
}

/// The clusters numbered by size (largest first), ties by their smallest node.
fn canonical(cluster: &[u32]) -> Vec<u32> {
    let mut first: Vec<(usize, usize)> = Vec::new(); // (size, smallest node) per label
    let mut label = vec![usize::MAX; cluster.len() * 2];
    let mut local: Vec<usize> = Vec::with_capacity(cluster.len());
    for (i, &c) in cluster.iter().enumerate() {
        let slot = &mut label[c as usize];
        if *slot == usize::MAX {
            *slot = first.len();
            first.push((0, i));
        }
        first[*slot].0 += 1;
        local.push(*slot);
    }
    let mut order: Vec<usize> = (0..first.len()).collect();
    order.sort_by_key(|&l| (std::cmp::Reverse(first[l].0), first[l].1));
    let mut number = vec![0u32; first.len()];
    for (rank, &l) in order.iter().enumerate() {
        number[l] = rank as u32;
    }
    local.iter().map(|&l| number[l]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two cliques of `size` nodes with links of weight 1, the first node of each joined
    /// by a link of weight `bridge`.
    fn two_cliques(size: u32, bridge: f64) -> Vec<(u32, u32, f64)> {
        let mut links = Vec::new();
        for offset in [0, size] {
            for i in 0..size {
                for j in i + 1..size {
                    links.push((offset + i, offset + j, 1.0));
                }
            }
        }
        links.push((0, size, bridge));
        links
    }

    #[test]
    fn quality_counts_every_pair_in_both_orders_as_leidenalg_does() {
        let links = [(0, 1, 2.0), (1, 2, 0.5), (2, 3, 3.0)];
        // leidenalg 0.10.2, CPMVertexPartition(resolution_parameter=0.7).quality(): 7.2
        // and 0.8.
        assert_eq!(quality(4, &links, &[0, 0, 1, 1], 0.7), 7.2);
        assert!((quality(4, &links, &[0, 0, 0, 1], 0.7) - 0.8).abs() < 1e-12);
        assert_eq!(quality(4, &links, &[0, 1, 2, 3], 0.7), 0.0);
        assert_eq!(quality(4, &links, &[70, 70, 9, 9], 0.7), 7.2);
    }

    #[test]
    fn two_cliques_joined_by_a_weak_link_are_two_clusters() {
        let links = two_cliques(5, 0.1);
        let partition = leiden(10, &links, 0.5, 3, 1);
        assert_eq!(partition.cluster, vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
        assert_eq!(partition.clusters(), 2);
        // Each clique: 10 pairs of weight 1, both orders, less 0.5 for each of 20.
        assert_eq!(partition.quality, 2.0 * (20.0 - 10.0));
    }

    #[test]
    fn isolated_nodes_are_clusters_of_their_own_after_the_linked_ones() {
        let mut links = two_cliques(4, 0.1);
        for l in &mut links {
            l.0 += 1;
            l.1 += 1;
        }
        // Nodes 0 and 9 have no links; 1..=4 and 5..=8 are the cliques.
        let partition = leiden(10, &links, 0.5, 2, 3);
        assert_eq!(partition.cluster, vec![2, 0, 0, 0, 0, 1, 1, 1, 1, 3]);
        let zero = leiden(3, &[(0, 1, 1.0)], 0.0, 1, 3);
        assert_eq!(zero.cluster, vec![0, 0, 1]);
    }

    #[test]
    fn tiny_networks_have_the_obvious_partitions() {
        let empty = leiden(0, &[], 1.0, 5, 0);
        assert_eq!(
            empty,
            Partition {
                cluster: vec![],
                quality: 0.0
            }
        );
        assert_eq!(leiden(1, &[], 1.0, 5, 0).cluster, vec![0]);
        let together = leiden(2, &[(0, 1, 3.0)], 1.0, 5, 0);
        assert_eq!(
            together,
            Partition {
                cluster: vec![0, 0],
                quality: 4.0
            }
        );
        let apart = leiden(2, &[(0, 1, 0.5)], 1.0, 5, 0);
        assert_eq!(
            apart,
            Partition {
                cluster: vec![0, 1],
                quality: 0.0
            }
        );
        let ignored = leiden(2, &[(0, 0, 1.0), (0, 9, 1.0), (0, 1, -1.0)], 1.0, 1, 0);
        assert_eq!(ignored.cluster, vec![0, 1]);
    }

    /// A network of `n` nodes with `links` random links of random weight.
    fn random_network(n: u32, links: usize, seed: u64) -> Vec<(u32, u32, f64)> {
        let mut rng = SplitMix64::new(seed);
        (0..links)
            .map(|_| {
                let i = (rng.next_f64() * f64::from(n)) as u32;
                let j = (rng.next_f64() * f64::from(n)) as u32;
                (i.min(j), i.max(j), 0.5 + 4.0 * rng.next_f64())
            })
            .collect()
    }

    #[test]
    fn the_same_input_gives_the_same_partition_and_another_seed_one_as_good() {
        let links = random_network(200, 800, 11);
        let first = leiden(200, &links, 1.0, 4, 42);
        let second = leiden(200, &links, 1.0, 4, 42);
        assert_eq!(first, second);
        assert_eq!(first.quality.to_bits(), second.quality.to_bits());
        assert_eq!(
            first.quality,
            quality(200, &links, &first.cluster, 1.0),
            "the quality reported is the quality of the partition"
        );
        let other = leiden(200, &links, 1.0, 4, 7);
        assert!((other.quality - first.quality).abs() <= 0.02 * first.quality);
    }

    #[test]
    fn clusters_are_numbered_by_size_then_smallest_node() {
        assert_eq!(canonical(&[5, 5, 2, 9, 9, 9, 2]), vec![1, 1, 2, 0, 0, 0, 2]);
    }

    #[test]
    fn every_cluster_is_connected() {
        let links = random_network(300, 700, 5);
        let partition = leiden(300, &links, 1.0, 2, 9);
        let network = Adjacency::new(300, &links);
        for c in 0..partition.clusters() as u32 {
            let nodes: Vec<usize> = (0..300).filter(|&i| partition.cluster[i] == c).collect();
            let mut seen = vec![false; 300];
            let mut stack = vec![nodes[0]];
            seen[nodes[0]] = true;
            while let Some(i) = stack.pop() {
                for (j, _) in network.neighbours(i) {
                    if partition.cluster[j] == c && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
            assert!(nodes.iter().all(|&i| seen[i]), "cluster {c} is in pieces");
        }
    }

    /// Timings in a release build, each the fastest of five runs (the machine may be
    /// shared): `cargo test -p kb-readmodel --release analytics::leiden -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn timings() {
        use std::time::{Duration, Instant};
        let fastest = |work: &mut dyn FnMut()| {
            (0..5)
                .map(|_| {
                    let started = Instant::now();
                    work();
                    started.elapsed()
                })
                .min()
                .unwrap_or(Duration::ZERO)
        };
        for (n, links) in [(100u32, 600usize), (1000, 8000)] {
            let network = super::super::Network {
                weights: vec![1.0; n as usize],
                links: random_network(n, links, 3),
            };
            let strengths = network.association_strength();
            let size = n as usize;
            let mut clusters = 0;
            for starts in [1, 10] {
                let took = fastest(&mut || {
                    clusters = leiden(size, &strengths, 1.0, starts, 0).clusters();
                });
                println!(
                    "n={n}, {} links: leiden with {starts} starts {took:?}, {clusters} clusters",
                    strengths.len()
                );
            }
            let took = fastest(&mut || {
                let _ = super::super::vos_layout(size, &strengths, 0);
            });
            println!("n={n}, {} links: vos_layout {took:?}", strengths.len());
        }
    }
}
