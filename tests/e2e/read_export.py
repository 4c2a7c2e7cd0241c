"""Reads one export back with a real parser of its format and prints, as JSON, what the
end-to-end tests (exports.rs) compare with the API: `python read_export.py KIND FILE`.

KIND is initiatives (Python's csv and pandas), cooccurrence (pandas), graphml
(networkx.read_graphml), nodelink (networkx.node_link_graph) or jsonld (rdflib).
"""

import collections
import csv
import json
import sys


def initiatives(path):
    import pandas as pd

    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return {
        "columns": list(frame.columns),
        "rows": rows,
        "pandas_rows": len(frame),
        "pandas_titles": list(frame["title"]),
        "organisation_links": sum(
            len(r["organisations"].split(";")) for r in rows if r["organisations"]
        ),
    }


def cooccurrence(path):
    import pandas as pd

    frame = pd.read_csv(
        path,
        keep_default_na=False,
        dtype={"row": str, "column": str},
        encoding="utf-8",
        float_precision="round_trip",
    )
    matrix = frame.pivot(index="row", columns="column", values="count")
    cells = [
        {
            "row": r["row"],
            "column": r["column"],
            "count": int(r["count"]),
            "lift": float(r["lift"]),
            "p_value": float(r["p_value"]),
        }
        for r in frame.to_dict("records")
    ]
    return {
        "columns": list(frame.columns),
        "cells": cells,
        "shape": list(matrix.shape),
        "population": sorted({int(p) for p in frame["population"]}),
    }


def describe(g):
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "directed": g.is_directed(),
        "node_types": collections.Counter(d.get("type") for _, d in g.nodes(data=True)),
        "edge_types": collections.Counter(d.get("type") for _, _, d in g.edges(data=True)),
        "labels": sorted(str(d.get("label")) for _, d in g.nodes(data=True)),
    }


def graphml(path):
    import networkx as nx

    return describe(nx.read_graphml(path))


def nodelink(path):
    import networkx as nx

    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    g = nx.node_link_graph(data, edges="links")
    out = describe(g)
    out["multigraph"] = g.is_multigraph()
    return out


def jsonld(path):
    import rdflib
    from rdflib.namespace import RDF, SKOS

    g = rdflib.Graph()
    g.parse(path, format="json-ld")
    sdo = rdflib.Namespace("https://schema.org/")

    def typed(t):
        return set(g.subjects(RDF.type, t))

    concepts = typed(SKOS.Concept)
    languages = collections.Counter(
        label.language
        for c in concepts
        for label in g.objects(c, SKOS.prefLabel)
    )
    return {
        "triples": len(g),
        "initiatives": len(typed(sdo.CreativeWork)),
        "organisations": len(typed(sdo.Organization)),
        "events": len(typed(sdo.Event)),
        "concepts": len(concepts),
        "schemes": len(typed(SKOS.ConceptScheme)),
        "pref_labels": languages,
        "broader": len(set(g.subject_objects(SKOS.broader))),
        "names": sorted(str(n) for s in typed(sdo.CreativeWork) for n in g.objects(s, sdo.name)),
        "creators": len(set(g.subject_objects(sdo.creator))),
    }


READERS = {
    "initiatives": initiatives,
    "cooccurrence": cooccurrence,
    "graphml": graphml,
    "nodelink": nodelink,
    "jsonld": jsonld,
}

if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    json.dump(READERS[kind](path), sys.stdout, ensure_ascii=False)
