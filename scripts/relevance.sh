#!/usr/bin/env bash
# Measures search relevance on the committed test set (tests/relevance/queries.toml) over
# the demo data and prints the tables: per query, the totals and the means per kind. It
# fails, as CI does, when a total falls past its floor in tests/relevance/floors.toml.
# Extra arguments go to the test binary (e.g. `--test-threads 1`). RELEVANCE_DETAIL=1 also
# lists, for each query whose recall@5 is below 1, its first ten hits and where its judged
# initiatives stand, with their scores (RELEVANCE_DETAIL=all: for every query).
# RELEVANCE_DUMP=FILE appends each query's first fifty hits to FILE as a line of JSON
# (scripts/relevance-semantic.py compares rankings from it).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --test e2e relevance::search_relevance -- --nocapture "$@"
