"""Measures a partition found by Kennisbank's Leiden implementation with leidenalg, the
reference implementation of the Leiden algorithm (Traag), as the end-to-end test
clustering.rs asks: `python leiden_check.py < network.json`.

The input is JSON `{n, links: [[i, j, w], ...], resolution, cluster: [...]}`. The script
runs leidenalg's CPM (CPMVertexPartition with the links' weights, the resolution, node
sizes 1) ten times, seeds 0..9, and prints JSON `{leidenalg_best, ours}`: the best quality
leidenalg found and leidenalg's quality of the given partition, so both numbers come from
one implementation.
"""

import json
import sys

import igraph as ig
import leidenalg as la


def main():
    spec = json.load(sys.stdin)
    links = spec["links"]
    resolution = spec["resolution"]
    graph = ig.Graph(n=spec["n"], edges=[(i, j) for i, j, _ in links])
    weights = [w for _, _, w in links]
    best = None
    for seed in range(10):
        partition = la.find_partition(
            graph,
            la.CPMVertexPartition,
            weights=weights,
            resolution_parameter=resolution,
            n_iterations=-1,
            seed=seed,
        )
        quality = partition.quality()
        if best is None or quality > best:
            best = quality
    ours = la.CPMVertexPartition(
        graph,
        initial_membership=spec["cluster"],
        weights=weights,
        resolution_parameter=resolution,
    )
    print(json.dumps({"leidenalg_best": best, "ours": ours.quality()}))


if __name__ == "__main__":
    main()
