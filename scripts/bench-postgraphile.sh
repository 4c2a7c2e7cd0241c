#!/usr/bin/env bash
# Kennisbank beside PostGraphile v5 on the same PostgreSQL data, on this machine, with the
# same load generator (the `bench` example) and concurrency: the initiative page, a listing
# of 20 with relations and its total, and one theme's listing with its total. Starts its own
# throwaway PostgreSQL (as the `postgres` user when run as root) and talks only to 127.0.0.1.
# Usage: scripts/bench-postgraphile.sh [SIZES…]   (default 10000; env: REQUESTS=300
# CONCURRENCY=16, BIN/BENCH for other builds, PEER_DIR for where PostGraphile is installed,
# KB_ALL=1 to also run every Kennisbank operation at 4 connections)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
requests=${REQUESTS:-300}
concurrency=${CONCURRENCY:-16}
pgport=${PGPORT:-55432}
kbport=${KBPORT:-18190}
peerport=${PEERPORT:-18191}
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p kb-server --bin kennisbank --example bench
fi
bin=$(realpath "${BIN:-$target/release/kennisbank}")
bench=$(realpath "${BENCH:-$target/release/examples/bench}")

# PostGraphile 5 needs Node 22 (Promise.withResolvers); the npm package node@22 brings it,
# and graphql@16 is what PostGraphile's packages expect.
peer=${PEER_DIR:-/tmp/kb-postgraphile}
if [ ! -x "$peer/node_modules/node/bin/node" ] || [ ! -d "$peer/node_modules/postgraphile" ]; then
  mkdir -p "$peer"
  (cd "$peer" && npm init -y >/dev/null && npm install --no-audit --no-fund postgraphile@5.1.5 graphql@16 node@22 >/dev/null 2>&1)
fi
node22="$peer/node_modules/node/bin/node"
postgraphile="$peer/node_modules/postgraphile/dist/cli-run.js"
[ -f "$postgraphile" ] || postgraphile=$(readlink -f "$peer/node_modules/.bin/postgraphile")

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)
work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg "'$pgbin/initdb' -D '$work/data' -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null"
as_pg "'$pgbin/pg_ctl' -D '$work/data' -o \"-p $pgport -k $work -c fsync=off -c listen_addresses=127.0.0.1\" -l '$work/pg.log' -w start >/dev/null"
cleanup() {
  kill "${kb:-}" "${pg_peer:-}" 2>/dev/null || true
  as_pg "'$pgbin/pg_ctl' -D '$work/data' -m immediate stop >/dev/null" || true
  rm -rf "$work"
}
trap cleanup EXIT

ready() { until curl -sf -X POST -H 'content-type: application/json' -d '{"query":"{ __typename }"}' "$1" >/dev/null; do sleep 0.1; done; }

for n in "${sizes[@]}"; do
  as_pg "'$pgbin/psql' -q -h 127.0.0.1 -p $pgport -U postgres -c 'CREATE DATABASE kb$n' >/dev/null"
  url="postgres://postgres@127.0.0.1:$pgport/kb$n"
  KB_LOG=warn "$bin" --database-url "$url" seed --synthetic "$n" --rng-seed 1
  KB_LOG=warn "$bin" --database-url "$url" serve --no-demo --bind "127.0.0.1:$kbport" &
  kb=$!
  GRAPHILE_ENV=production "$node22" "$postgraphile" -c "$url" -s public -p "$peerport" -n 127.0.0.1 -P postgraphile/presets/amber >"$work/peer.log" 2>&1 &
  pg_peer=$!
  ready "http://127.0.0.1:$kbport/graphql"
  ready "http://127.0.0.1:$peerport/graphql"
  echo "## $n initiatives (PostgreSQL), $concurrency connections"
  echo
  echo "### Kennisbank"
  echo
  ONLY="initiative page,listing,one theme" "$bench" "http://127.0.0.1:$kbport/graphql" "$requests" "$concurrency"
  echo
  echo "### PostGraphile 5.1.5"
  echo
  PEER=postgraphile "$bench" "http://127.0.0.1:$peerport/graphql" "$requests" "$concurrency"
  echo
  if [ -n "${KB_ALL:-}" ]; then
    # Every operation of Kennisbank on PostgreSQL, at the read model's 4 clients.
    echo "### Kennisbank, every operation, 4 connections"
    echo
    "$bench" "http://127.0.0.1:$kbport/graphql" "$requests" 4
    echo
    printf -- '- Kennisbank memory after the runs (RSS): %s MiB\n\n' "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$kb/status")"
  fi
  kill "$kb" "$pg_peer"; wait "$kb" "$pg_peer" 2>/dev/null || true
done
