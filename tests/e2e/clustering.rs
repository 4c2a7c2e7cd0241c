//! The clusters of the analyst's maps, checked against leidenalg, the reference
//! implementation of the Leiden algorithm, run by `leiden_check.py` in the virtual
//! environment `scripts/setup-tests.sh` makes. For a network of planted communities and a
//! random sparse one, each normalised by association strength, at VOSviewer's default
//! resolution 1 and at another, the partition `leiden` finds must be within 1 % of the
//! best of ten leidenalg runs, and the quality `quality` gives it must be the quality
//! leidenalg gives it. No server and no database: the algorithm is pure.

use std::io::Write;
use std::process::{Command, Stdio};

use kb_readmodel::analytics::{Network, leiden, quality};
use serde_json::{Value, json};

use crate::tools;

/// SplitMix64, for networks that are the same on every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A count from 1 to `most`.
    fn count(&mut self, most: u32) -> f64 {
        (1.0 + (self.next() * f64::from(most)).floor()).min(f64::from(most))
    }
}

/// Communities of the given sizes: a pair inside one is linked with chance `inside`, a
/// pair across two with chance `across`, each link with a count from 1 to 5. The node
/// weights are the nodes' total counts. Also each node's community.
fn planted(sizes: &[u32], inside: f64, across: f64, seed: u64) -> (Network, Vec<u32>) {
    let mut draw = Draw(seed);
    let community: Vec<u32> = sizes
        .iter()
        .enumerate()
        .flat_map(|(c, &size)| std::iter::repeat_n(c as u32, size as usize))
        .collect();
    let n = community.len();
    let mut weights = vec![0.0; n];
    let mut links = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let chance = if community[i] == community[j] {
                inside
            } else {
                across
            };
            if draw.next() < chance {
                let count = draw.count(5);
                weights[i] += count;
                weights[j] += count;
                links.push((i as u32, j as u32, count));
            }
        }
    }
    (Network { weights, links }, community)
}

/// `n` nodes and `links` links between random pairs (a pair drawn twice is one link).
fn sparse(n: u32, links: usize, seed: u64) -> Network {
    let mut draw = Draw(seed);
    let mut pairs = std::collections::BTreeMap::new();
    while pairs.len() < links {
        let i = (draw.next() * f64::from(n)) as u32;
        let j = (draw.next() * f64::from(n)) as u32;
        if i != j {
            let count = draw.count(3);
            pairs.entry((i.min(j), i.max(j))).or_insert(count);
        }
    }
    Network {
        weights: vec![1.0; n as usize],
        links: pairs.into_iter().map(|((i, j), c)| (i, j, c)).collect(),
    }
}

/// What `leiden_check.py` says of `cluster` on the network of `links` at `resolution`.
pub(crate) fn leidenalg(
    n: usize,
    links: &[(u32, u32, f64)],
    resolution: f64,
    cluster: &[u32],
) -> Value {
    let script = tools::root().join("tests/e2e/leiden_check.py");
    let input = json!({
        "n": n,
        "links": links.iter().map(|&(i, j, w)| json!([i, j, w])).collect::<Vec<_>>(),
        "resolution": resolution,
        "cluster": cluster,
    });
    let mut child = Command::new(tools::python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run leiden_check.py");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write the network");
    let out = child.wait_with_output().expect("leiden_check.py ends");
    assert!(
        out.status.success(),
        "leiden_check.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("leiden_check.py prints JSON")
}

/// Clusters `network` at `resolution` and holds the result against leidenalg's; the
/// number of clusters found.
fn check(name: &str, network: &Network, resolution: f64) -> usize {
    let n = network.len();
    let links = network.association_strength();
    let started = std::time::Instant::now();
    let partition = leiden(n, &links, resolution, 10, 1);
    let took = started.elapsed();
    assert_eq!(
        partition.quality,
        quality(n, &links, &partition.cluster, resolution)
    );
    let answer = leidenalg(n, &links, resolution, &partition.cluster);
    let best = answer["leidenalg_best"].as_f64().expect("leidenalg_best");
    let theirs_of_ours = answer["ours"].as_f64().expect("ours");
    println!(
        "{name}, resolution {resolution}: ours {} ({} clusters, {took:?}), leidenalg's quality of ours {theirs_of_ours}, leidenalg's best of 10 {best}",
        partition.quality,
        partition.clusters(),
    );
    assert!(best > 0.0, "{name}: leidenalg finds {best}");
    assert!(
        (partition.quality - theirs_of_ours).abs() <= 1e-9 * theirs_of_ours.abs(),
        "{name} at {resolution}: our quality {} against leidenalg's {theirs_of_ours}",
        partition.quality
    );
    assert!(
        theirs_of_ours >= 0.99 * best,
        "{name} at {resolution}: {theirs_of_ours} is more than 1 % below leidenalg's {best}"
    );
    partition.clusters()
}

#[test]
fn leiden_finds_partitions_as_good_as_leidenalg() {
    crate::support::init_logging();
    let (communities, community) = planted(&[30, 45, 50, 60], 0.3, 0.02, 7);
    assert_eq!(community.len(), 185);
    let clusters = check("planted communities", &communities, 1.0);
    assert_eq!(clusters, 4, "the four planted communities at resolution 1");
    let partition = leiden(185, &communities.association_strength(), 1.0, 10, 1);
    let mut pairs = std::collections::BTreeSet::new();
    for (i, &c) in partition.cluster.iter().enumerate() {
        pairs.insert((community[i], c));
    }
    assert_eq!(
        pairs.len(),
        4,
        "each planted community is one cluster: {pairs:?}"
    );
    check("planted communities", &communities, 2.0);

    let random = sparse(300, 900, 11);
    check("random sparse network", &random, 1.0);
    check("random sparse network", &random, 2.0);
}
