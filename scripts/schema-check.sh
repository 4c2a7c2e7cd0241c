#!/usr/bin/env bash
# Checks the committed schema.graphql the way partners read it:
#  1. lint: every type, field, argument, input field and enum value has a description;
#     fields and input fields are camelCase, types PascalCase, enum values UPPER_CASE;
#     deprecations give a reason (graphql-schema-linter; any finding fails);
#  2. no breaking change against a base (graphql-inspector's diff): removing a field,
#     input field or enum value passes only if the base had already deprecated it.
# The Apollo Federation directives (@key, @link) are declared for the tools in
# tests/schema-lint/federation.graphql; async-graphql's own federation types (_Service,
# _Any, _Entity) are not in the exported SDL, so nothing is excluded from the lint.
# Usage: scripts/schema-check.sh [BASE]   (a git revision; HEAD~1 by default; the diff is
# skipped with a note when BASE has no schema.graphql, as on a first commit)
# Needs tests/schema-lint/node_modules (`npm ci` there, as .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD~1}
tools=tests/schema-lint
[ -d "$tools/node_modules/graphql-schema-linter" ] || {
  echo "run: (cd $tools && npm ci)"; exit 2; }

echo "-- lint schema.graphql"
rules=types-have-descriptions,fields-have-descriptions,arguments-have-descriptions
rules+=,input-object-values-have-descriptions,enum-values-have-descriptions
rules+=,types-are-capitalized,fields-are-camel-cased,input-object-values-are-camel-cased
rules+=,enum-values-all-caps,deprecations-have-a-reason
"$tools/node_modules/.bin/graphql-schema-linter" --format compact --rules "$rules" \
  schema.graphql "$tools/federation.graphql"
echo "lint: no findings"

echo "-- breaking changes against $base"
old=$(mktemp --suffix=.graphql)
trap 'rm -f "$old"' EXIT
if ! git show "$base:schema.graphql" > "$old" 2>/dev/null; then
  echo "no schema.graphql at $base: nothing to compare"
  exit 0
fi
node "$tools/diff.mjs" "$old" schema.graphql
