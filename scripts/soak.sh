#!/usr/bin/env bash
# A long mixed read and write load (the `soak` example) against a server this script
# starts on a copy of a synthetic SQLite database: zero errors and flat resident memory
# are the verdict. Usage: scripts/soak.sh [SECONDS=600] [CONCURRENCY=64] [SIZE=10000]
# (env: BIN/SOAK for other builds, PORT=18290)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
concurrency=${2:-64}
size=${3:-10000}
port=${PORT:-18290}
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p kb-server --bin kennisbank --example soak
fi
bin=$(realpath "${BIN:-$target/release/kennisbank}")
soak=$(realpath "${SOAK:-$target/release/examples/soak}")
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="sqlite://$work/soak.db?mode=rwc"
KB_LOG=warn "$bin" --database-url "$db" seed --synthetic "$size" --rng-seed 1
key=$(KB_LOG=warn "$bin" --database-url "$db" keys create --role editor --name soak 2>/dev/null)
KB_LOG=warn "$bin" --database-url "$db" serve --no-demo --bind "127.0.0.1:$port" &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.1; done
"$soak" "http://127.0.0.1:$port/graphql" "$key" "$seconds" "$concurrency" "$pid"
