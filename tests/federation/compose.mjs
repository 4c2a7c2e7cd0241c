// Composes Kennisbank's subgraph with others into a supergraph, from each one's
// `_service { sdl }`. Usage: node compose.mjs NAME=URL... > supergraph.graphql
// Prints composition errors (and exits 1) instead of a supergraph when there are any.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

const services = [];
for (const arg of process.argv.slice(2)) {
  const [name, url] = arg.split('=');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await response.json();
  const sdl = body?.data?._service?.sdl;
  if (!sdl) {
    console.error(`${name}: no _service.sdl from ${url}: ${JSON.stringify(body)}`);
    process.exit(2);
  }
  services.push({ name, url, typeDefs: parse(sdl) });
}
const result = composeServices(services);
if (result.errors?.length) {
  for (const e of result.errors) console.error(`composition error: ${e.message}`);
  process.exit(1);
}
for (const h of result.hints ?? []) console.error(`hint: ${h.definition.code}: ${h.message}`);
process.stdout.write(result.supergraphSdl);
