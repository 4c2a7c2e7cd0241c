"""Recomputes the significance of co-occurrence cells independently, for workbench.rs.

Reads JSON on stdin: {"tables": [{"population": N, "cells": [{"count": a,
"rowTotal": r, "columnTotal": c, "pValue": .., "pUnder": .., "qValue": .., "qUnder": ..},
...]}, ...]} with every cell of each table, and prints JSON: per table the number of
cells and the largest relative difference of each of the four numbers from
scipy.stats.hypergeom (sf and cdf) and statsmodels' multipletests(method="fdr_bh") over
the table's cells.
"""

import json
import sys

from scipy.stats import hypergeom
from statsmodels.stats.multitest import multipletests


def difference(ours, theirs):
    """|ours - theirs| relative to theirs (absolute where theirs is below 1e-300)."""
    return abs(ours - theirs) / max(abs(theirs), 1e-300) if theirs != 0 else abs(ours)


def check(table):
    n = table["population"]
    cells = table["cells"]
    # hypergeom(M, n, N): M items, n successes, N drawn.
    p_over = [
        float(hypergeom.sf(c["count"] - 1, n, c["rowTotal"], c["columnTotal"])) for c in cells
    ]
    p_under = [
        float(hypergeom.cdf(c["count"], n, c["rowTotal"], c["columnTotal"])) for c in cells
    ]
    q_over = multipletests(p_over, method="fdr_bh")[1] if cells else []
    q_under = multipletests(p_under, method="fdr_bh")[1] if cells else []
    out = {"cells": len(cells)}
    for name, theirs in [
        ("pValue", p_over),
        ("pUnder", p_under),
        ("qValue", q_over),
        ("qUnder", q_under),
    ]:
        out[name] = max(
            (difference(c[name], float(t)) for c, t in zip(cells, theirs)), default=0.0
        )
    out["significant"] = sum(1 for q in q_over if q < 0.05)
    out["under"] = sum(1 for q in q_under if q < 0.05)
    return out


def main():
    tables = json.load(sys.stdin)["tables"]
    json.dump([check(t) for t in tables], sys.stdout)


if __name__ == "__main__":
    main()
