// Scans one address with Mozilla's HTTP Observatory (@mdn/mdn-http-observatory, pinned in
// package-lock.json) and prints its result as JSON: { scan: { grade, score, ... },
// tests: { <test>: { result, pass, scoreModifier, ... } } }, as its own command-line
// scanner (mdn-http-observatory-scan) prints it. Run by tests/e2e/observatory.rs.
//
//   node scan.mjs https://localhost:8443/graphiql --http-port 8080
//
// The scanner fetches the page over HTTPS, and over plain HTTP to check that it is sent
// to HTTPS. Its command line and its scan() take a bare host name and fetch
// https://host/ and http://host/ on the default ports, which a test cannot bind. Its
// retriever takes the ports and a path (the httpsPort, httpPort and path options), but
// scan() 1.4.8 does not pass them on; so this script calls the retriever itself and then
// runs the package's own tests and grading exactly as scan() does (see
// src/scanner/index.js). Certificates are checked by Node: give a test certificate with
// NODE_EXTRA_CA_CERTS, or the scanner marks the HTTPS checks "invalid-cert".
//
// Exits 1 with { error } when the site cannot be scanned.
import { parseArgs } from 'node:util';
import { retrieve } from '@mdn/mdn-http-observatory/src/retriever/retriever.js';
import { ALGORITHM_VERSION, ALL_TESTS, NUM_TESTS } from '@mdn/mdn-http-observatory/src/constants.js';
import { MINIMUM_SCORE_FOR_EXTRA_CREDIT } from '@mdn/mdn-http-observatory/src/grader/charts.js';
import { getGradeForScore, getScoreModifier } from '@mdn/mdn-http-observatory/src/grader/grader.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'http-port': { type: 'string', default: '80' } },
});
if (positionals.length !== 1) {
  console.error('usage: node scan.mjs https://host[:port][/path] [--http-port N]');
  process.exit(2);
}
const target = new URL(positionals[0]);
if (target.protocol !== 'https:') {
  console.error(`${target} is not an https:// address`);
  process.exit(2);
}

function fail(error) {
  console.log(JSON.stringify({ error }));
  process.exit(1);
}

const requests = await retrieve(target.hostname, {
  httpsPort: target.port || '443',
  httpPort: values['http-port'],
  path: target.pathname + target.search,
});
const answer = requests.responses.auto;
if (!answer) fail('The site seems to be down.');
// What scan() accepts: 2xx, 3xx, 401 and 403.
if (answer.status < 200 || (answer.status >= 400 && ![401, 403].includes(answer.status))) {
  fail(`Site did respond with an unexpected HTTP status code ${answer.status}.`);
}

// scan()'s grading: 100, plus every test's modifier; the bonuses count only when the
// penalties alone leave an A (90).
const results = ALL_TESTS.map((test) => test(requests));
let passed = 0;
let withBonuses = 100;
let penaltiesOnly = 100;
for (const result of results) {
  if (!result.result) continue;
  result.scoreModifier = getScoreModifier(result.result);
  passed += result.pass ? 1 : 0;
  withBonuses += result.scoreModifier;
  if (result.scoreModifier < 0) penaltiesOnly += result.scoreModifier;
}
const { grade, score } = getGradeForScore(
  penaltiesOnly >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withBonuses : penaltiesOnly,
);

console.log(JSON.stringify({
  scan: {
    algorithmVersion: ALGORITHM_VERSION,
    grade,
    error: null,
    score,
    statusCode: answer.status,
    testsFailed: NUM_TESTS - passed,
    testsPassed: passed,
    testsQuantity: NUM_TESTS,
    responseHeaders: { ...answer.headers },
  },
  // Without the score's description (HTML for the Observatory's site), as the command
  // line leaves it out.
  tests: Object.fromEntries(
    results.map((result) => {
      const { scoreDescription, ...rest } = result;
      return [result.constructor.name, rest];
    }),
  ),
}, null, 2));
