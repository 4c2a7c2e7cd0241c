#!/usr/bin/env bash
# Lighthouse performance and accessibility of the home, search and initiative pages,
# with Debian's Chromium and the Lighthouse pinned in tests/lighthouse (mobile preset,
# simulated throttling: Lighthouse's defaults). Fails when a score is under MIN (95).
#   scripts/lighthouse.sh [BASE_URL]      default http://127.0.0.1:8080 (a running server)
# Reports go to target/lighthouse/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-http://127.0.0.1:8080}
min=${MIN:-95}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$CHROME_PATH" ] || { echo "Chromium not found at $CHROME_PATH (apt-get install chromium)"; exit 1; }
if [ ! -f tests/lighthouse/node_modules/lighthouse/package.json ]; then
  (cd tests/lighthouse && npm ci --no-audit --no-fund --loglevel=error)
fi
out=target/lighthouse
mkdir -p "$out"
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
status=0
for entry in "home /" "search /zoeken?q=stress" "initiative /initiatieven/poortwachterstraining-suicidepreventie"; do
  name=${entry%% *}; path=${entry#* }
  tests/lighthouse/node_modules/.bin/lighthouse "$base$path" --quiet \
    --only-categories=performance,accessibility --chrome-flags="$flags" \
    --output=json --output-path="$out/$name.json" >/dev/null
  node -e '
    const r = require(process.argv[1]);
    const p = Math.round(r.categories.performance.score * 100), a = Math.round(r.categories.accessibility.score * 100);
    const kb = Math.round(r.audits["total-byte-weight"].numericValue / 1024);
    console.log(`${process.argv[2].padEnd(10)} performance ${p}  accessibility ${a}  transfer ${kb} KiB  LCP ${Math.round(r.audits["largest-contentful-paint"].numericValue)} ms  ${r.finalDisplayedUrl}`);
    process.exit(p >= +process.argv[3] && a >= +process.argv[3] ? 0 : 1);
  ' "$PWD/$out/$name.json" "$name" "$min" || status=1
done
exit $status
