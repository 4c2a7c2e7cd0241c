#!/usr/bin/env bash
# Kennisbank's benchmark in one command: builds the release binary and the `bench` example,
# then runs it with the arguments given. For each size it generates the synthetic data set
# on SQLite and/or a throwaway PostgreSQL (started as the `postgres` user when run as root),
# starts the real server, drives the standard operations over HTTP and prints a Markdown
# report: p50/p95/p99, req/s, SQL statements per request, resident memory, start-up time;
# `--peer postgraphile` serves the same PostgreSQL data with PostGraphile v5 (installed by
# `npm ci` from bench/postgraphile on first use) and gives the throughput ratio per pair.
# Examples:
#   scripts/bench.sh --sizes 1000,10000 --db sqlite,postgres --peer postgraphile
#   scripts/bench.sh --sizes 100000 --db postgres --only "initiative page" -o report.md
#   scripts/bench.sh --url http://127.0.0.1:8080 --all       # a server already running
# `scripts/bench.sh --help` lists every option. BIN=… names another kennisbank binary and
# skips the build (an older commit's, for a side-by-side comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p kb-server --bin kennisbank --example bench
  exec "$target/release/examples/bench" "$@"
fi
cargo build --release -q -p kb-server --example bench
exec "$target/release/examples/bench" --bin "$BIN" "$@"
