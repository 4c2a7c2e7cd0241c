#!/usr/bin/env bash
# Latency of the website's server-rendered pages on a generated data set (SQLite), with
# Debian's `wrk` (apt-get install wrk): each page for DURATION at CONNECTIONS connections,
# the latency percentiles wrk reports. Talks only to the server it starts on 127.0.0.1.
# Usage: scripts/bench-pages.sh [SIZE]   (default 10000; env: CONNECTIONS=16 THREADS=2
# DURATION=10s PORT=18090; BIN=… runs another build and skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-10000}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
duration=${DURATION:-10s}
port=${PORT:-18090}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p kb-server --bin kennisbank
fi
bin=${BIN:-$target/release/kennisbank}
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="sqlite://$work/pages-$size.db?mode=rwc"
KB_LOG=warn "$bin" --database-url "$db" seed --synthetic "$size" --rng-seed 1
KB_LOG=warn "$bin" --database-url "$db" serve --no-demo --bind "127.0.0.1:$port" &
pid=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/readyz" >/dev/null; do sleep 0.05; done
slug=$(curl -sf "$base/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ initiatives(first: 1, orderBy: TITLE) { nodes { slug } } }"}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["initiatives"]["nodes"][0]["slug"])')
echo "## Pages at $size initiatives (SQLite), $connections connections, $threads wrk threads, $duration each"
echo
echo "| page | requests/s | p50 | p90 | p99 | max | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
# "/zoeken?q=*" stands for a search of another pair of words at each request (see
# scripts/wrk/search-pairs.lua); every other path is requested as it is.
pairs_script="$PWD/scripts/wrk/search-pairs.lua"
for path in "/" "/zoeken" "/zoeken?q=veilig+netwerk" "/zoeken?q=*" "/zoeken?thema=support&soort=training&pagina=2" \
            "/initiatieven/$slug" "/themas/support" "/evenementen" "/analyse" "/?lang=en"; do
  if [ "$path" = "/zoeken?q=*" ]; then
    target=(-s "$pairs_script" "$base/")
    curl -sf -o /dev/null "$base/zoeken?q=samen+kring" || { echo "a search does not answer 200"; exit 1; }
  else
    target=("$base$path")
    curl -sf -o /dev/null "$base$path" || { echo "$path does not answer 200"; exit 1; }
  fi
  wrk -t "$threads" -c "$connections" -d 2s "${target[@]}" >/dev/null   # warm-up
  wrk -t "$threads" -c "$connections" -d "$duration" --latency "${target[@]}" > "$work/out"
  python3 - "$path" "$work/out" <<'PY'
import re, sys
path, text = sys.argv[1], open(sys.argv[2]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
pct = dict(re.findall(r"^\s+(\d+)%\s+(\S+)", text, re.M))
mx = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", text).group(1)
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors += int(non2xx.group(1)) if non2xx else 0
print(f"| `{path}` | {float(rps):.0f} | {ms(pct['50']):.2f} ms | {ms(pct['90']):.2f} ms | {ms(pct['99']):.2f} ms | {ms(mx):.2f} ms | {errors} |")
PY
done
echo
printf -- '- server memory after the run (RSS): %s MiB\n' "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")"
