#!/usr/bin/env bash
# The analyst's workbench under load, with Debian's `wrk`, on generated data (SQLite):
#  - the API at SIZE initiatives (default 100000), 4 connections: tables of two
#    dimensions (the published view's, kept until the next change; a filtered one,
#    counted for each request; topic × organisation, the same text again and a new text
#    each request; one ordered by similarity), trend series, and the topic map kept (no
#    filter) and computed for each request (a filter: what a map costs cold), the map
#    also at one connection. "Counted", "built" and "cold" requests each name their root
#    field anew, so the answers /graphql keeps until the next change do not serve them;
#  - the pages /analyse, /analyse/trends and /analyse/kaart at PAGES initiatives
#    (default 10000), 16 connections, first as the first burst on a server just started
#    (nothing kept yet: the first seconds after a change), then steady.
# Each measured run follows a warm-up second of one connection. Prints the percentiles
# wrk reports. Talks only to the servers it starts on 127.0.0.1.
# Usage: scripts/bench-workbench.sh [SIZE [PAGES]]   (env: DURATION=8s PORT=18190;
# BIN=… runs another build and skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100000}
pages=${2:-10000}
duration=${DURATION:-8s}
port=${PORT:-18190}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p kb-server --bin kennisbank
fi
bin=${BIN:-$target/release/kennisbank}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Starts a server on generated data of $1 initiatives at port $2.
start() {
  local db="sqlite://$work/workbench-$1.db?mode=rwc"
  KB_LOG=warn "$bin" --database-url "$db" seed --synthetic "$1" --rng-seed 1 >/dev/null
  KB_LOG=warn "$bin" --database-url "$db" serve --no-demo --bind "127.0.0.1:$2" >"$work/$1.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$2/readyz" >/dev/null; do sleep 0.2; done
}

# One wrk run: the name, connections, then wrk's target (and script); one table row.
# One request first, so what is kept until the next change is measured kept (the cold
# cost has rows of its own: a filter's table or map is computed for each request).
run() {
  local name=$1 connections=$2
  shift 2
  local out threads=2
  wrk -t 1 -c 1 -d 1s "$@" >/dev/null
  [ "$connections" -lt 2 ] && threads=1
  out=$(wrk -t "$threads" -c "$connections" -d "$duration" --latency "$@")
  local rps p50 p90 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p90=$(echo "$out" | awk '$1 == "90%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "| $name | $connections | $rps | $p50 | $p90 | $p99 |${errors:+ non-2xx: $errors}"
}

# A wrk script that POSTs the GraphQL document $2 (one line) to /graphql, as file $1.
post() {
  python3 - "$work/$1.lua" "$2" <<'PY'
import json, sys
body = json.dumps({"query": sys.argv[2]})
lua = 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ' + json.dumps(body) + '\n'
open(sys.argv[1], "w").write(lua)
PY
  echo "$work/$1.lua"
}

# As `post`, but each request names its root field anew (`q1: analytics`, `q2: …`), so
# no answer kept until the next change serves it: what computing it costs. $2 starts
# with "{ analytics".
post_each() {
  python3 - "$work/$1.lua" "$2" <<'PY'
import json, sys
rest = sys.argv[2].removeprefix("{ analytics")
head, tail = json.dumps({"query": "{ qNUM: analytics" + rest}).split("NUM")
lua = f"""counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {{["Content-Type"] = "application/json"}}, {json.dumps(head)} .. counter .. {json.dumps(tail)})
end
"""
open(sys.argv[1], "w").write(lua)
PY
  echo "$work/$1.lua"
}

api=$port
start "$size" "$api"
base="http://127.0.0.1:$api"
cells='cells { row column count expected lift qValue } gaps { row column }'
echo "## The workbench's API at $size initiatives (SQLite), $duration each"
echo
echo "| question | connections | requests/s | p50 | p90 | p99 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
run "table theme × topic (kept)" 4 -s "$(post t1 "{ analytics { cooccurrence(rows: THEME, columns: TOPIC) { population $cells } } }")" "$base/graphql"
run "table topic × education level, years 2023–2025 (counted)" 4 -s "$(post_each t2 "{ analytics { cooccurrence(rows: TOPIC, columns: EDUCATION_LEVEL, filter: { yearFrom: 2023, yearTo: 2025 }) { population $cells } } }")" "$base/graphql"
run "table region × kind by similarity, filtered (counted)" 4 -s "$(post_each t3 "{ analytics { cooccurrence(rows: REGION, columns: KIND, order: SIMILARITY, filter: { yearFrom: 2015 }) { population $cells } } }")" "$base/graphql"
run "table topic × organisation, minCount 10 (kept)" 4 -s "$(post t4 "{ analytics { cooccurrence(rows: TOPIC, columns: ORGANISATION, minCount: 10) { population $cells } } }")" "$base/graphql"
run "table topic × organisation, minCount 10 (kept), one client" 1 -s "$work/t4.lua" "$base/graphql"
run "table topic × organisation, minCount 10, a new text each request (built)" 4 -s "$(post_each t4e "{ analytics { cooccurrence(rows: TOPIC, columns: ORGANISATION, minCount: 10) { population $cells } } }")" "$base/graphql"
run "table topic × organisation, minCount 10, a new text each request (built), one client" 1 -s "$work/t4e.lua" "$base/graphql"
run "trend series by theme" 4 -s "$(post s1 "{ analytics { trendSeries(dimension: THEME) { value total growth points { year count share } } } }")" "$base/graphql"
run "trend series by topic, years 2018–2025" 4 -s "$(post s2 "{ analytics { trendSeries(dimension: TOPIC, yearFrom: 2018, yearTo: 2025) { value total growth points { year count share } } } }")" "$base/graphql"
map='nodes { value weight cluster x y } links { from to count strength } clusters { id members }'
run "topic map (kept)" 4 -s "$(post m1 "{ analytics { map(kind: TOPICS) { quality $map } } }")" "$base/graphql"
run "topic map, filtered (computed: cold)" 1 -s "$(post_each m2 "{ analytics { map(kind: TOPICS, filter: { yearFrom: 2000 }) { quality $map } } }")" "$base/graphql"
run "themes and topics map, filtered (cold)" 1 -s "$(post_each m3 "{ analytics { map(kind: THEMES_AND_TOPICS, filter: { yearFrom: 2000 }) { quality $map } } }")" "$base/graphql"
run "organisation map, 100 nodes, filtered (cold)" 1 -s "$(post_each m4 "{ analytics { map(kind: ORGANISATIONS, filter: { yearFrom: 2000 }) { quality $map } } }")" "$base/graphql"
run "organisation map, 100 nodes (kept)" 4 -s "$(post m5 "{ analytics { map(kind: ORGANISATIONS) { quality $map } } }")" "$base/graphql"
kill "${pids[@]}" 2>/dev/null || true
pids=()

site=$((port + 1))
start "$pages" "$site"
base="http://127.0.0.1:$site"
echo
echo "## The workbench's pages at $pages initiatives (SQLite), $duration each"
echo
echo "| page | connections | requests/s | p50 | p90 | p99 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for path in "/analyse" "/analyse?rijen=onderwerp&kolommen=niveau&vanaf=2023&tot=2025" \
            "/analyse/trends" "/analyse/kaart" "/analyse/kaart?kaart=organisaties"; do
  run "\`$path\`" 16 "$base$path"
done
kill "${pids[@]}" 2>/dev/null || true
wait "${pids[@]}" 2>/dev/null || true
pids=()

# The first burst: a server started on the same data, 16 connections at once for 3 s
# with no warm-up, each page on a server of its own.
echo
echo "## The first burst on a server just started at $pages initiatives, 3 s each"
echo
echo "| page | connections | requests/s | p50 | p90 | p99 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for path in "/analyse" "/analyse/kaart"; do
  KB_LOG=warn "$bin" --database-url "sqlite://$work/workbench-$pages.db?mode=rwc" serve --no-demo \
    --bind "127.0.0.1:$site" >"$work/burst.log" 2>&1 &
  pids=($!)
  until curl -sf "$base/readyz" >/dev/null; do sleep 0.1; done
  out=$(wrk -t 2 -c 16 -d 3s --latency "$base$path")
  echo "| \`$path\` | 16 | $(echo "$out" | awk '/Requests\/sec/ {print $2}') | $(echo "$out" | awk '$1 == "50%" {print $2}') | $(echo "$out" | awk '$1 == "90%" {print $2}') | $(echo "$out" | awk '$1 == "99%" {print $2}') |"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
done
