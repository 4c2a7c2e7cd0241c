// Compares two versions of schema.graphql and fails on a breaking change.
//
//   node diff.mjs OLD.graphql NEW.graphql
//
// graphql-inspector classes each change as breaking, dangerous or safe. Removing a
// field, input field or enum value that the old schema had already deprecated counts as
// dangerous, not breaking (its suppressRemovalOfDeprecatedField rule): deprecate first,
// remove in a later commit. A changed type is breaking whether deprecated or not: add a
// new field instead. Exit status 1 on any breaking change, 2 on unreadable input.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { diff, CriticalityLevel, DiffRule } from '@graphql-inspector/core';

const here = dirname(fileURLToPath(import.meta.url));
// The federation directives schema.graphql applies but does not declare.
const federation = readFileSync(join(here, 'federation.graphql'), 'utf8');

function load(path) {
  try {
    return buildSchema(readFileSync(path, 'utf8') + '\n' + federation);
  } catch (e) {
    console.error(`${path}: ${e.message}`);
    process.exit(2);
  }
}

const [oldPath, newPath] = process.argv.slice(2);
if (!oldPath || !newPath) {
  console.error('usage: node diff.mjs OLD.graphql NEW.graphql');
  process.exit(2);
}
const changes = await diff(load(oldPath), load(newPath), [
  DiffRule.suppressRemovalOfDeprecatedField,
]);
const by = (level) => changes.filter((c) => c.criticality.level === level);
const breaking = by(CriticalityLevel.Breaking);
const show = (label, list) =>
  list.forEach((c) => console.log(`  ${label}  ${c.path ?? ''}  ${c.message}`));
show('breaking ', breaking);
show('dangerous', by(CriticalityLevel.Dangerous));
const safe = by(CriticalityLevel.NonBreaking).length;
console.log(
  `schema diff: ${breaking.length} breaking, ${by(CriticalityLevel.Dangerous).length} dangerous, ${safe} safe`,
);
if (breaking.length > 0) {
  console.log('A breaking change needs a deprecation first (@deprecated, removed in a later commit).');
  process.exit(1);
}
