#!/usr/bin/env bash
# Benchmarks on generated data sets: load time, start-up time, memory, and latency
# percentiles of the standard read operations, on SQLite, for each size given
# (default 1000 10000 100000). Talks only to a server it starts on 127.0.0.1.
# Usage: scripts/bench.sh [SIZES…]   (env: REQUESTS=300 CONCURRENCY=4 PORT=18080)
# BIN=… BENCH=… run other builds (an older commit's, for a side-by-side comparison) and
# skip the build; ONLY=… limits the operations (see examples/bench.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000 100000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
requests=${REQUESTS:-300}
concurrency=${CONCURRENCY:-4}
port=${PORT:-18080}
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p kb-server --bin kennisbank --example bench
fi
bin=${BIN:-$target/release/kennisbank}
bench=${BENCH:-$target/release/examples/bench}
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

for n in "${sizes[@]}"; do
  db="sqlite://$work/bench-$n.db?mode=rwc"
  echo "## $n initiatives (SQLite)"
  echo
  start=$(date +%s.%N)
  KB_LOG=warn "$bin" --database-url "$db" seed --synthetic "$n" --rng-seed 1
  end=$(date +%s.%N)
  printf -- '- load: %.1f s\n' "$(echo "$end - $start" | bc -l)"
  start=$(date +%s.%N)
  # The search index of this data set lives beside the database (and is reused at the
  # second start below): the first start builds it.
  KB_LOG=warn "$bin" --database-url "$db" serve --no-demo --bind "127.0.0.1:$port" &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
  end=$(date +%s.%N)
  printf -- '- first start-up to ready (projection and index built): %.0f ms\n' "$(echo "($end - $start) * 1000" | bc -l)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  start=$(date +%s.%N)
  KB_LOG=warn "$bin" --database-url "$db" serve --no-demo --bind "127.0.0.1:$port" &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.02; done
  end=$(date +%s.%N)
  printf -- '- start-up to ready (index reused): %.0f ms\n' "$(echo "($end - $start) * 1000" | bc -l)"
  echo
  "$bench" "http://127.0.0.1:$port/graphql" "$requests" "$concurrency"
  echo
  printf -- '- server memory after the run (RSS): %s MiB\n\n' "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
