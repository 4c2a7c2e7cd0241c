#!/usr/bin/env bash
# Installs what the tests need from the machine besides Rust, and does nothing for what
# is there already (run it again after the pins change):
#  - PostgreSQL's server binaries, which the end-to-end tests start a throwaway cluster
#    with, and the nl_NL.UTF-8 locale that cluster sorts by (Debian packages);
#  - .venv-tests, a Python virtual environment with the export and feed readers pinned
#    in tests/e2e/requirements.txt (made again when the pins change);
#  - the npm packages pinned by tests/federation, tests/browser, tests/observatory and
#    tests/schema-lint (npm ci; installed again when package-lock.json changes);
#  - Debian's Chromium and the DejaVu fonts, for the browser tests.
# Node and npm are expected on the machine (the script says so when they are not).
# The Debian packages need root: the script uses sudo when not run as root.
# Usage: bash scripts/setup-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# Runs a command as root: directly when we are, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "installing Debian packages needs root (or sudo): $*" >&2
    exit 1
  fi
}

apt_updated=
# Installs Debian packages, without recommends, updating the package lists once.
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Runs `npm ci` (with any further arguments) in a folder unless its node_modules was
# installed from the current lock.
npm_install() {
  local dir=$1
  shift
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.installed"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error "$@")
    cp "$dir/package-lock.json" "$dir/node_modules/.package-lock.installed"
  fi
}

step "PostgreSQL server binaries"
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt_install postgresql-15 || apt_install postgresql
fi
ls -d /usr/lib/postgresql/*/bin

step "A Dutch locale for the PostgreSQL test cluster"
# Orderings are tested against a real collation, not only byte order.
if ! locale -a 2>/dev/null | grep -qi '^nl_NL.utf8$'; then
  command -v locale-gen >/dev/null || apt_install locales
  as_root sed -i 's/^# *nl_NL.UTF-8 UTF-8/nl_NL.UTF-8 UTF-8/' /etc/locale.gen
  grep -q '^nl_NL.UTF-8 UTF-8' /etc/locale.gen \
    || echo 'nl_NL.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
  as_root locale-gen >/dev/null
fi
locale -a | grep -i '^nl_NL'

step "Python readers for the export and feed tests"
# Debian's python3 makes virtual environments only with python3-venv.
python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
# pandas, networkx, rdflib, feedparser and icalendar in .venv-tests; the copy of the pins
# it was made from tells the tests (and this script) whether it is current.
if ! cmp -s tests/e2e/requirements.txt .venv-tests/requirements.txt; then
  rm -rf .venv-tests
  python3 -m venv .venv-tests
  .venv-tests/bin/pip install -q --disable-pip-version-check -r tests/e2e/requirements.txt
  cp tests/e2e/requirements.txt .venv-tests/requirements.txt
fi
.venv-tests/bin/python -c 'import aiosmtpd, pandas, networkx, rdflib, feedparser, icalendar; print("pandas", pandas.__version__, "networkx", networkx.__version__, "rdflib", rdflib.__version__, "feedparser", feedparser.__version__, "icalendar", icalendar.__version__)'

step "npm packages for the federation test"
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "the federation, browser, observatory and schema tests need Node and npm: install them first" >&2
  exit 1
}
# @apollo/composition, @apollo/gateway, @apollo/server and @apollo/subgraph, pinned by
# tests/federation/package-lock.json (pure JavaScript, on the machine's Node).
npm_install tests/federation
node -e 'console.log("@apollo/gateway", require("./tests/federation/node_modules/@apollo/gateway/package.json").version)'

step "Chromium and npm packages for the browser tests"
# The site tests drive Debian's Chromium with playwright-core and run axe-core in the
# pages, both pinned by tests/browser/package-lock.json (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-dejavu-core
fi
/usr/bin/chromium --version
npm_install tests/browser
node -e 'console.log("playwright-core", require("./tests/browser/node_modules/playwright-core/package.json").version, "axe-core", require("./tests/browser/node_modules/axe-core/package.json").version)'

step "Mozilla's HTTP Observatory scanner for the security headers test"
# @mdn/mdn-http-observatory, pinned by tests/observatory/package-lock.json. Its install
# scripts fetch lists from the internet (Mozilla's intermediate certificates, Chromium's
# HSTS preload list, IANA's top-level domains) and build libpq for its API server; the
# scanner needs none of it, so they are not run. It does read the HSTS preload list: an
# empty one stands in, which changes nothing for the host the test scans (localhost is
# on no preload list).
npm_install tests/observatory --ignore-scripts
preload=tests/observatory/node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json
[ -f "$preload" ] || echo '{}' >"$preload"
node -e 'console.log("@mdn/mdn-http-observatory", require("./tests/observatory/node_modules/@mdn/mdn-http-observatory/package.json").version)'

step "An OpenID provider for the sign-in tests"
# oidc-provider, pinned by tests/oidc/package-lock.json; tests/oidc/provider.mjs runs it.
npm_install tests/oidc
node -e 'console.log("oidc-provider", require("./tests/oidc/node_modules/oidc-provider/package.json").version)'

step "npm packages for the schema checks"
# graphql-schema-linter and @graphql-inspector/core, pinned by tests/schema-lint's lock,
# which scripts/schema-check.sh runs.
npm_install tests/schema-lint
node -e 'console.log("graphql-schema-linter", require("./tests/schema-lint/node_modules/graphql-schema-linter/package.json").version)'
