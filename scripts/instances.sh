#!/usr/bin/env bash
# Several stateless Kennisbank instances on one PostgreSQL, with an Apollo gateway in
# front (composed with any partner subgraphs named): what a deployment past one machine
# runs, here on one machine.
# Usage: scripts/instances.sh POSTGRES_URL [N=2] [partner=URL ...]
#   instances listen on 127.0.0.1:8081…808N, the gateway on 127.0.0.1:4000; a load
#   balancer in front of the instances (any HTTP one: nginx, HAProxy, a cloud LB)
#   spreads /graphql over them. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?a PostgreSQL URL, such as postgres://kennisbank@db/kennisbank}
n=${2:-2}
shift $(( $# >= 2 ? 2 : 1 ))
bin=${BIN:-target/release/kennisbank}
[ -x "$bin" ] || cargo build --release -q -p kb-server --bin kennisbank
[ -d tests/federation/node_modules ] || (cd tests/federation && npm ci --no-audit --no-fund --loglevel=error)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
"$bin" --database-url "$url" migrate
for i in $(seq 1 "$n"); do
  # Each instance builds its read model and index in memory and follows the change log.
  "$bin" --database-url "$url" serve --bind "127.0.0.1:808$i" &
  pids+=($!)
done
for i in $(seq 1 "$n"); do
  until curl -sf "http://127.0.0.1:808$i/readyz" >/dev/null; do sleep 0.2; done
  echo "instance $i ready on http://127.0.0.1:808$i/graphql"
done
supergraph=$(mktemp)
(cd tests/federation && node compose.mjs kennisbank=http://127.0.0.1:8081/graphql "$@") > "$supergraph"
(cd tests/federation && node gateway.mjs "$supergraph" 4000) &
pids+=($!)
wait
