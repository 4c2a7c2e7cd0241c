#!/usr/bin/env bash
# Latency of the website's signed-in pages on a generated data set (SQLite), with Debian's
# `wrk` (apt-get install wrk): the contributor's workspace and form, and the editors'
# desk, each for DURATION at CONNECTIONS connections with a real session. The
# organisation with the most initiatives accepts members of a domain; a contributor of
# that domain and an editor sign in through the link mailed to them (the SMTP sink
# tests/e2e/smtp_sink.py, aiosmtpd, in the tests' venv: bash scripts/setup-tests.sh), the
# editor is appointed with `kennisbank accounts set-role`, and a contributor key of the
# organisation submits one of its drafts for the desk. Talks only to 127.0.0.1.
# Usage: scripts/bench-workspace.sh [SIZE]   (default 10000; env: CONNECTIONS=16 THREADS=2
# DURATION=10s PORT=18095 SMTP_PORT=PORT+1; BIN=… runs another build and skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-10000}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
duration=${DURATION:-10s}
port=${PORT:-18095}
smtp_port=${SMTP_PORT:-$((port + 1))}
python=${KB_TEST_PYTHON:-$PWD/.venv-tests/bin/python}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
[ -x "$python" ] || { echo "$python is missing: bash scripts/setup-tests.sh"; exit 1; }
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p kb-server --bin kennisbank
fi
bin=${BIN:-$target/release/kennisbank}
work=$(mktemp -d)
mkdir "$work/mail"
cleanup() {
  kill "${pid:-}" 2>/dev/null || true
  # The sink runs until its standard input closes.
  exec 3>&- || true
  kill "${sink_pid:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
db="sqlite://$work/workspace-$size.db?mode=rwc"
kb() { KB_LOG=warn "$bin" --database-url "$db" "$@"; }
kb seed --synthetic "$size" --rng-seed 1

# The organisation with the most initiatives (any role), from the database file.
org_slug=$(python3 - "$work/workspace-$size.db" <<'PY'
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT o.slug, COUNT(*) FROM initiative_organisation io"
    " JOIN organisation o ON o.id = io.organisation_id"
    " GROUP BY o.slug ORDER BY COUNT(*) DESC, o.slug LIMIT 1").fetchone()
print(row[0])
PY
)
admin_key=$(kb keys create --role admin --name bench-admin 2>/dev/null)
contributor_key=$(kb keys create --role contributor --organisation "$org_slug" --name bench-contributor 2>/dev/null)

# The SMTP sink: it prints "ready" once it listens and stops when fd 3 closes.
exec 3> >("$python" tests/e2e/smtp_sink.py "$smtp_port" "$work/mail" > "$work/sink.out" 2>&1)
sink_pid=$!
for _ in $(seq 100); do grep -q ready "$work/sink.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/sink.out" || { echo "the SMTP sink did not start"; cat "$work/sink.out"; exit 1; }

KB_LOG=warn "$bin" --database-url "$db" serve --no-demo --bind "127.0.0.1:$port" \
  --smtp-url "smtp://127.0.0.1:$smtp_port" &
pid=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/readyz" >/dev/null; do sleep 0.05; done

# POST a GraphQL document with variables (JSON) and a key; prints the answer's data as
# JSON, or stops at any error.
gql() {
  local key=$1 query=$2 vars=${3:-"{}"}
  python3 -c 'import json, sys; print(json.dumps({"query": sys.argv[1], "variables": json.loads(sys.argv[2])}))' \
    "$query" "$vars" \
    | curl -sf "$base/graphql" -H 'content-type: application/json' -H "authorization: Bearer $key" -d @- \
    | python3 -c 'import json, sys
a = json.load(sys.stdin)
if a.get("errors"): sys.exit("GraphQL error: " + json.dumps(a["errors"]))
print(json.dumps(a["data"]))'
}
field() { python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[int(k)] if k.isdigit() else v[k]
print(v)' "$1"; }

org_id=$(gql "$admin_key" 'query($s: String!) { organisation(slug: $s) { id } }' "{\"s\": \"$org_slug\"}" | field organisation.id)
gql "$admin_key" 'mutation($o: ID!) { setOrganisationMembership(input: {organisation: $o, domains: ["bench.example"], acceptsMembers: true}) { domains acceptsMembers } }' \
  "{\"o\": \"$org_id\"}" >/dev/null

origin=(-H "Origin: $base" -H "Sec-Fetch-Site: same-origin")
# Signs `email` in through the mailed link; prints the session cookie (kb_session=…).
sign_in() {
  local email=$1 mail="" token cookie
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${origin[@]}" --data-urlencode "email=$email" "$base/aanmelden/email")" = 303 ] \
    || { echo "asking a link for $email did not answer 303" >&2; return 1; }
  for _ in $(seq 100); do
    mail=$(grep -l "\"$email\"" "$work"/mail/*.json 2>/dev/null | head -n 1 || true)
    [ -n "$mail" ] && break
    sleep 0.1
  done
  [ -n "$mail" ] || { echo "no mail for $email" >&2; return 1; }
  token=$(python3 - "$mail" "$base/aanmelden/link?token=" <<'PY'
import json, re, sys
text = json.load(open(sys.argv[1]))["text"]
start = text.index(sys.argv[2]) + len(sys.argv[2])
print(re.match(r"[A-Za-z0-9_-]+", text[start:]).group(0))
PY
)
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/aanmelden/link?token=$token")" = 200 ] \
    || { echo "the link page for $email did not answer 200" >&2; return 1; }
  cookie=$(curl -s -o /dev/null -D - "${origin[@]}" --data-urlencode "token=$token" "$base/aanmelden/link" \
    | sed -n 's/^[Ss]et-[Cc]ookie: \(kb_session=[^;]*\).*/\1/p' | tr -d '\r')
  [ -n "$cookie" ] || { echo "signing $email in set no cookie" >&2; return 1; }
  echo "$cookie"
}
contributor=$(sign_in "ada@bench.example")
editor=$(sign_in "eddie@redactie.example")
editor_id=$(kb accounts list | awk '$0 ~ /eddie@redactie\.example/ { print $1 }')
kb accounts set-role "$editor_id" editor >/dev/null

# The organisation's drafts (it takes part in them, maybe not as their lead): the first
# that its contributor key may submit goes to the desk; the form pages show the first
# other one the contributor may edit.
drafts=$(gql "$contributor_key" 'query($o: ID!) { initiatives(first: 50, filter: {organisations: [$o], statuses: [DRAFT]}) { nodes { id } } }' \
  "{\"o\": \"$org_id\"}" | python3 -c 'import json, sys; print("\n".join(n["id"] for n in json.load(sys.stdin)["initiatives"]["nodes"]))')
submitted="" draft=""
for id in $drafts; do
  if [ -z "$submitted" ] && gql "$contributor_key" 'mutation($id: ID!) { submitInitiative(id: $id) { initiative { status } } }' \
       "{\"id\": \"$id\"}" >/dev/null 2>&1; then
    submitted=$id
  elif [ -z "$draft" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $contributor" "$base/mijn-initiatieven/$id")" = 200 ]; then
    draft=$id
  fi
done
[ -n "$submitted" ] && [ -n "$draft" ] || { echo "the organisation has too few drafts of its own"; exit 1; }

echo "## Signed-in pages at $size initiatives (SQLite), $connections connections, $threads wrk threads, $duration each"
echo
echo "| page | requests/s | p50 | p90 | p99 | max | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for page in "contributor /mijn-initiatieven" "contributor /mijn-initiatieven/nieuw" \
            "contributor /mijn-initiatieven/$draft" "contributor /mijn-initiatieven/$draft/voorbeeld" \
            "editor /redactie" "editor /redactie/$submitted"; do
  who=${page%% *}
  path=${page#* }
  cookie=${!who}
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
  [ "$status" = 200 ] || { echo "$path answers $status to the $who, not 200"; exit 1; }
  wrk -t "$threads" -c "$connections" -d 2s -H "Cookie: $cookie" "$base$path" >/dev/null   # warm-up
  wrk -t "$threads" -c "$connections" -d "$duration" --latency -H "Cookie: $cookie" "$base$path" > "$work/out"
  # The ids are long: the table names them {id}.
  shown=${path//$draft/\{id\}}
  shown=${shown//$submitted/\{id\}}
  python3 - "$shown" "$work/out" <<'PY'
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
echo "- organisation: \`$org_slug\`; the contributor and the editor signed in by the mailed link"
printf -- '- server memory after the run (RSS): %s MiB\n' "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")"
