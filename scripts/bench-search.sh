#!/usr/bin/env bash
# Search speed side by side: two builds (BEFORE and AFTER, kennisbank binaries, e.g. an
# older commit's built in its own git worktree) each serve their own copy of the same
# synthetic data set (SQLite), and Debian's `wrk` asks the benchmark's `search with
# facets` (crates/kb-server/examples/bench/operations.rs: two words, three kinds, three
# regions, facets of kinds, regions and topics) at CONNECTIONS connections: the same text
# each time, then another of 432 word pairs at each request (scripts/wrk/search-pairs.lua),
# the builds alternating, ROUNDS rounds. Prints one Markdown row per run. Talks only to
# 127.0.0.1.
# Usage: BEFORE=bin AFTER=bin scripts/bench-search.sh [SIZE]   (default 100000; env:
# CONNECTIONS=4 THREADS=2 DURATION=8s ROUNDS=2 PORT=18110, the second build on PORT+1)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100000}
connections=${CONNECTIONS:-4}
threads=${THREADS:-2}
duration=${DURATION:-8s}
rounds=${ROUNDS:-2}
port=${PORT:-18110}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
[ -x "${BEFORE:-}" ] && [ -x "${AFTER:-}" ] || { echo "BEFORE and AFTER must name kennisbank binaries"; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cat > "$work/same.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ search(query: \\"veilig netwerk\\", filter: { kinds: [TRAINING, TOOL, GUIDE], regions: [UTRECHT, ZEELAND, FRIESLAND] }, first: 10) { totalCount nodes { score initiative { title } } facets { kinds { value count } regions { value count } topics { value { code } count } } } }"}'
LUA
n=0
for name in before after; do
  bin=$BEFORE
  [ "$name" = after ] && bin=$AFTER
  db="sqlite://$work/$name.db?mode=rwc"
  KB_LOG=warn "$bin" --database-url "$db" seed --synthetic "$size" --rng-seed 1 >/dev/null
  KB_LOG=warn "$bin" --database-url "$db" serve --no-demo --bind "127.0.0.1:$((port + n))" >"$work/$name.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$((port + n))/readyz" >/dev/null; do sleep 0.2; done
  n=$((n + 1))
done
echo "## Search with facets at $size initiatives (SQLite), $connections connections, $duration each"
echo
echo "| round | build | search | requests/s | p50 | p99 |"
echo "| ---: | --- | --- | ---: | ---: | ---: |"
for round in $(seq "$rounds"); do
  for which in 0 1; do
    name=before
    [ "$which" = 1 ] && name=after
    url="http://127.0.0.1:$((port + which))/"
    for kind in same pairs; do
      if [ "$kind" = same ]; then
        out=$(wrk -t "$threads" -c "$connections" -d "$duration" --latency -s "$work/same.lua" "${url}graphql")
      else
        out=$(SEARCH_VIA=graphql wrk -t "$threads" -c "$connections" -d "$duration" --latency -s scripts/wrk/search-pairs.lua "$url")
      fi
      rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
      p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
      errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
      echo "| $round | $name | $kind | $rps | $p50 | $p99 |${errors:+ non-2xx: $errors}"
    done
  done
done
