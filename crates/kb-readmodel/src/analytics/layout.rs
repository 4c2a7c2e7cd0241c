//! Positions by the VOS mapping technique (van Eck, Waltman, Dekker & van den Berg 2010,
//! "A comparison of two techniques for bibliometric mapping: multidimensional scaling
//! and VOS"): minimise V = Σ_{i<j} s_ij ‖x_i − x_j‖² subject to the mean distance over
//! all pairs being 1. The constrained problem has the same solutions, up to scale, as the
//! unconstrained E = Σ_{i<j} s_ij d_ij² − Σ_{i<j} d_ij, which is minimised here by
//! majorization (SMACOF's device, as the paper does): −d_ij is bounded above by the
//! linear −(x_i − x_j)·(z_i − z_j)/‖z_i − z_j‖ at the current positions z, so each step
//! solves the linear system L x = ½ B(z) z (L the Laplacian of s, B that of 1/d(z)) and
//! never increases E. Steps are relaxed (taken 1.9 times as far) while E keeps falling,
//! and their number is bounded by the work they cost (n² each), so a map of 1,000 nodes
//! takes a bounded time whatever its shape. The result is scaled to a mean distance of 1, centred, rotated so
//! its principal axis is horizontal, and flipped so its third moments are positive
//! (when one is 0, so that the first node off the centre lies on the negative side).
//!
//! A network in several pieces (components, nodes without links) has no bounded optimum:
//! nothing holds the pieces together against the repulsion. Every pair of nodes in
//! different pieces is therefore tied by a weak link, a tenth of the mean similarity over
//! all pairs, which keeps the pieces near each other and leaves each piece's own layout
//! to its own links.

use super::network::Adjacency;
use super::prng::SplitMix64;

/// The weight of the tie between nodes in different pieces, as a share of the mean
/// similarity over all pairs.
const PIECE_TIE: f64 = 0.1;

/// At most this many majorization steps; fewer when E stops falling, and fewer for large
/// networks, where a step costs n² (at most [`PAIR_BUDGET`] / n², but at least
/// [`MIN_STEPS`]).
const MAX_STEPS: usize = 300;
const MIN_STEPS: usize = 30;
const PAIR_BUDGET: usize = 40_000_000;

/// Each step goes this far past the majorizer's minimum (the relaxed update of SMACOF),
/// which about halves the steps; a step that raises E is taken back and the steps after it
/// are plain.
const RELAXATION: f64 = 1.9;

/// Majorization stops when a step lowers E by less than this share of |E|.
const TOLERANCE: f64 = 1e-9;

/// Positions by the VOS mapping technique: minimise Σ_{i<j} s_ij ‖x_i − x_j‖² subject to
/// the mean distance over all pairs being 1 (solved by majorization of the equivalent
/// unconstrained Σ s_ij d_ij² − Σ d_ij), from a start drawn from `seed`; then centred,
/// rotated so the principal axis is horizontal, and flipped so results are stable.
/// Returns (x, y) per node. Links that do not count (not positive and finite, a node to
/// itself, a node outside 0..n) are left out.
pub fn vos_layout(n: usize, links: &[(u32, u32, f64)], seed: u64) -> Vec<(f64, f64)> {
    match n {
        0 => return Vec::new(),
        1 => return vec![(0.0, 0.0)],
        _ => {}
    }
    let network = Adjacency::new(n, links);
    let system = System::new(&network);
    let mut rng = SplitMix64::new(seed);
    let mut x: Vec<f64> = (0..n).map(|_| rng.next_f64() - 0.5).collect();
    let mut y: Vec<f64> = (0..n).map(|_| rng.next_f64() - 0.5).collect();
    let mut bx = vec![0.0; n];
    let mut by = vec![0.0; n];
    let mut kept = (x.clone(), y.clone());
    let mut previous = f64::INFINITY;
    let mut relaxation = RELAXATION;
    let most = (PAIR_BUDGET / n.saturating_mul(n)).clamp(MIN_STEPS, MAX_STEPS);
    for _ in 0..most {
        let distances = repulsion(&x, &y, &mut bx, &mut by);
        let energy = system.attraction(&x, &y) - distances;
        if energy > previous && relaxation > 1.0 {
            // The relaxed step went too far: back to where it started, plain steps on.
            x.copy_from_slice(&kept.0);
            y.copy_from_slice(&kept.1);
            relaxation = 1.0;
            previous = f64::INFINITY;
            continue;
        }
        if previous - energy <= TOLERANCE * energy.abs() {
            break;
        }
        previous = energy;
        kept.0.copy_from_slice(&x);
        kept.1.copy_from_slice(&y);
        for v in bx.iter_mut().chain(by.iter_mut()) {
            *v *= 0.5;
        }
        system.solve(&bx, &mut x);
        system.solve(&by, &mut y);
        if relaxation != 1.0 {
            for (v, k) in x.iter_mut().zip(&kept.0).chain(y.iter_mut().zip(&kept.1)) {
                *v = k + relaxation * (*v - k);
            }
        }
    }
    finish(&mut x, &mut y);
    x.into_iter().zip(y).collect()
}

/// B(z) z into (bx, by): for each node, the sum over the others of the unit vectors
/// pointing from them to it; returns Σ_{i<j} d_ij.
fn repulsion(x: &[f64], y: &[f64], bx: &mut [f64], by: &mut [f64]) -> f64 {
    bx.fill(0.0);
    by.fill(0.0);
    let mut total = 0.0;
    for i in 0..x.len() {
        let (xi, yi) = (x[i], y[i]);
        let (mut sx, mut sy) = (0.0, 0.0);
        let later = x[i + 1..]
            .iter()
            .zip(&y[i + 1..])
            .zip(bx[i + 1..].iter_mut().zip(by[i + 1..].iter_mut()));
        for ((&xj, &yj), (bxj, byj)) in later {
            let dx = xi - xj;
            let dy = yi - yj;
            let d = (dx * dx + dy * dy).sqrt();
            // Two nodes on the same spot push each other nowhere (the bound holds with 0).
            let inverse = if d > 1e-300 { 1.0 / d } else { 0.0 };
            total += d;
            sx += dx * inverse;
            sy += dy * inverse;
            *bxj -= dx * inverse;
            *byj -= dy * inverse;
        }
        bx[i] += sx;
        by[i] += sy;
    }
    total
}

/// The attraction's Laplacian, L = L_s + ε (L_all − Σ_pieces L_piece), and the solver of
/// L x = b on centred vectors (conjugate gradients with a diagonal preconditioner).
struct System<'a> {
    network: &'a Adjacency,
    /// Each node's piece (connected component), and each piece's number of nodes.
    piece: Vec<usize>,
    piece_size: Vec<f64>,
    tie: f64,
    diagonal: Vec<f64>,
}

impl<'a> System<'a> {
    fn new(network: &'a Adjacency) -> Self {
        let n = network.len();
        let mut piece = vec![usize::MAX; n];
        let mut piece_size = Vec::new();
        for root in 0..n {
            if piece[root] != usize::MAX {
                continue;
            }
            let p = piece_size.len();
            piece[root] = p;
            let mut stack = vec![root];
            let mut size = 0.0;
            while let Some(i) = stack.pop() {
                size += 1.0;
                for (j, _) in network.neighbours(i) {
                    if piece[j] == usize::MAX {
                        piece[j] = p;
                        stack.push(j);
                    }
                }
            }
            piece_size.push(size);
        }
        let strength: Vec<f64> = (0..n)
            .map(|i| network.neighbours(i).map(|(_, w)| w).sum())
            .collect();
        let pairs = (n * (n - 1) / 2) as f64;
        let total: f64 = strength.iter().sum::<f64>() / 2.0;
        let tie = if piece_size.len() > 1 {
            // With no links at all, any positive tie gives the same shape.
            if total > 0.0 {
                PIECE_TIE * total / pairs
            } else {
                1.0
            }
        } else {
            0.0
        };
        let diagonal = (0..n)
            .map(|i| strength[i] + tie * (n as f64 - piece_size[piece[i]]))
            .collect();
        Self {
            network,
            piece,
            piece_size,
            tie,
            diagonal,
        }
    }

    /// L v.
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let n = v.len() as f64;
        let sum: f64 = v.iter().sum();
        let mut piece_sum = vec![0.0; self.piece_size.len()];
        for (i, &vi) in v.iter().enumerate() {
            piece_sum[self.piece[i]] += vi;
        }
        for (i, o) in out.iter_mut().enumerate() {
            let mut value = 0.0;
            for (j, w) in self.network.neighbours(i) {
                value += w * (v[i] - v[j]);
            }
            let p = self.piece[i];
            let others = (n - self.piece_size[p]) * v[i] - (sum - piece_sum[p]);
            *o = value + self.tie * others;
        }
    }

    /// Σ_{i<j} s_ij d_ij² with the ties: xᵀ L x + yᵀ L y.
    fn attraction(&self, x: &[f64], y: &[f64]) -> f64 {
        let mut l = vec![0.0; x.len()];
        let mut total = 0.0;
        for v in [x, y] {
            self.apply(v, &mut l);
            total += v.iter().zip(&l).map(|(a, b)| a * b).sum::<f64>();
        }
        total
    }

    /// Solves L v = b (b sums to 0) for the centred v, starting from v.
    fn solve(&self, b: &[f64], v: &mut [f64]) {
        let n = v.len();
        let mean = v.iter().sum::<f64>() / n as f64;
        v.iter_mut().for_each(|a| *a -= mean);
        let mut lv = vec![0.0; n];
        self.apply(v, &mut lv);
        let mut r: Vec<f64> = b.iter().zip(&lv).map(|(b, l)| b - l).collect();
        let norm_b = dot(b, b).sqrt();
        if norm_b == 0.0 {
            return;
        }
        let precondition = |r: &[f64], z: &mut Vec<f64>| {
            z.clear();
            z.extend(
                r.iter()
                    .zip(&self.diagonal)
                    .map(|(r, d)| if *d > 0.0 { r / d } else { 0.0 }),
            );
            let mean = z.iter().sum::<f64>() / n as f64;
            z.iter_mut().for_each(|a| *a -= mean);
        };
        let mut z = Vec::with_capacity(n);
        precondition(&r, &mut z);
        let mut p = z.clone();
        let mut rz = dot(&r, &z);
        let mut lp = vec![0.0; n];
        for _ in 0..n.max(10) {
            if dot(&r, &r).sqrt() <= 1e-7 * norm_b {
                break;
            }
            self.apply(&p, &mut lp);
            let curvature = dot(&p, &lp);
            if curvature <= 0.0 {
                break;
            }
            let alpha = rz / curvature;
            for i in 0..n {
                v[i] += alpha * p[i];
                r[i] -= alpha * lp[i];
            }
            precondition(&r, &mut z);
            let next = dot(&r, &z);
            let beta = next / rz;
            rz = next;
            for i in 0..n {
                p[i] = z[i] + beta * p[i];
            }
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// Scales to a mean distance of 1 over all pairs, centres, rotates the principal axis to
/// the horizontal and flips each axis so its third moment is positive (or, when it is 0,
/// so the first node off the centre is on the negative side).
fn finish(x: &mut [f64], y: &mut [f64]) {
    let n = x.len();
    let mut distances = (vec![0.0; n], vec![0.0; n]);
    let total = repulsion(x, y, &mut distances.0, &mut distances.1);
    let mean_distance = total / (n * (n - 1) / 2) as f64;
    let (cx, cy) = (
        x.iter().sum::<f64>() / n as f64,
        y.iter().sum::<f64>() / n as f64,
    );
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        x[i] -= cx;
        y[i] -= cy;
        sxx += x[i] * x[i];
        sxy += x[i] * y[i];
        syy += y[i] * y[i];
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (sin, cos) = angle.sin_cos();
    let scale = if mean_distance > 0.0 {
        1.0 / mean_distance
    } else {
        1.0
    };
    for i in 0..n {
        let (a, b) = (x[i], y[i]);
        x[i] = (a * cos + b * sin) * scale;
        y[i] = (b * cos - a * sin) * scale;
    }
    for axis in [x, y] {
        let third: f64 = axis.iter().map(|v| v * v * v).sum();
        let size: f64 = axis.iter().map(|v| (v * v * v).abs()).sum();
        // A symmetric layout has no third moment to go by: then the first node off the
        // axis's centre goes to the negative side.
        let flip = if third.abs() > 1e-9 * size {
            third < 0.0
        } else {
            axis.iter()
                .find(|v| v.abs() > 1e-9)
                .is_some_and(|&v| v > 0.0)
        };
        if flip {
            axis.iter_mut().for_each(|v| *v = -*v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    fn mean_distance(positions: &[(f64, f64)]) -> f64 {
        let n = positions.len();
        let mut total = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                total += distance(positions[i], positions[j]);
            }
        }
        total / (n * (n - 1) / 2) as f64
    }

    /// Two groups of five, strongly linked inside (weight 5), weakly between (0.2).
    fn two_groups() -> Vec<(u32, u32, f64)> {
        let mut links = Vec::new();
        for i in 0..10u32 {
            for j in i + 1..10 {
                let same = (i < 5) == (j < 5);
                links.push((i, j, if same { 5.0 } else { 0.2 }));
            }
        }
        links
    }

    #[test]
    fn tiny_networks_have_the_obvious_layouts() {
        assert_eq!(vos_layout(0, &[], 1), vec![]);
        assert_eq!(vos_layout(1, &[], 1), vec![(0.0, 0.0)]);
        for links in [vec![(0, 1, 2.0)], vec![]] {
            let two = vos_layout(2, &links, 1);
            assert!(
                (two[0].0 + 0.5).abs() < 1e-9 && (two[1].0 - 0.5).abs() < 1e-9,
                "{two:?}"
            );
            assert!(two[0].1.abs() < 1e-9 && two[1].1.abs() < 1e-9, "{two:?}");
        }
    }

    #[test]
    fn the_mean_distance_is_one_and_linked_nodes_are_closer() {
        let positions = vos_layout(10, &two_groups(), 3);
        assert!((mean_distance(&positions) - 1.0).abs() < 1e-6);
        assert!(positions.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        let within = distance(positions[0], positions[1]);
        let between = distance(positions[0], positions[5]);
        assert!(within * 3.0 < between, "{within} against {between}");
    }

    #[test]
    fn the_layout_is_centred_with_its_principal_axis_horizontal() {
        let positions = vos_layout(10, &two_groups(), 3);
        let (mut sx, mut sy, mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(x, y) in &positions {
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
        }
        assert!(sx.abs() < 1e-9 && sy.abs() < 1e-9);
        assert!(sxy.abs() < 1e-9);
        assert!(sxx > syy);
    }

    #[test]
    fn the_same_input_gives_the_same_positions_and_another_seed_the_same_minimum() {
        let links = two_groups();
        let first = vos_layout(10, &links, 3);
        assert_eq!(first, vos_layout(10, &links, 3));
        // Each group of five lies on a pentagon, in whichever order of its nodes the start
        // leads to, and turning one pentagon against the other changes almost nothing:
        // another start reaches the same value of V = Σ s_ij d_ij² at mean distance 1,
        // not the same picture.
        let value = |positions: &[(f64, f64)]| -> f64 {
            links
                .iter()
                .map(|&(i, j, s)| {
                    s * distance(positions[i as usize], positions[j as usize]).powi(2)
                })
                .sum()
        };
        let (a, b) = (value(&first), value(&vos_layout(10, &links, 99)));
        assert!((a - b).abs() < 1e-6 * a, "{a} against {b}");
    }

    #[test]
    fn pieces_and_nodes_without_links_stay_near() {
        // Two groups with no link between them, three nodes with none at all.
        let links: Vec<_> = two_groups().into_iter().filter(|l| l.2 > 1.0).collect();
        let positions = vos_layout(13, &links, 5);
        assert!((mean_distance(&positions) - 1.0).abs() < 1e-6);
        for &(x, y) in &positions {
            assert!(x.is_finite() && y.is_finite());
            assert!(x.abs() < 5.0 && y.abs() < 5.0, "{positions:?}");
        }
        let within = distance(positions[0], positions[1]);
        let between = distance(positions[0], positions[5]);
        assert!(within * 3.0 < between, "{within} against {between}");
        let unlinked = vos_layout(6, &[], 5);
        assert!((mean_distance(&unlinked) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_sparse_network_in_many_pieces_stays_finite_and_bounded() {
        // 300 nodes, 150 random links: dozens of pieces and many nodes without links.
        let mut rng = SplitMix64::new(17);
        let links: Vec<(u32, u32, f64)> = (0..150)
            .map(|_| {
                let i = (rng.next_f64() * 300.0) as u32;
                let j = (rng.next_f64() * 300.0) as u32;
                (i, j, 0.5 + rng.next_f64() * 10.0)
            })
            .collect();
        let positions = vos_layout(300, &links, 2);
        assert!((mean_distance(&positions) - 1.0).abs() < 1e-6);
        let farthest = positions.iter().map(|p| p.0.hypot(p.1)).fold(0.0, f64::max);
        assert!(farthest.is_finite() && farthest < 3.0, "{farthest}");
        // Linked nodes lie far closer than the mean over all pairs.
        let linked: Vec<f64> = links
            .iter()
            .filter(|l| l.0 != l.1)
            .map(|&(i, j, _)| distance(positions[i as usize], positions[j as usize]))
            .collect();
        let mean_linked = linked.iter().sum::<f64>() / linked.len() as f64;
        assert!(mean_linked < 0.1, "{mean_linked}");
    }
}
