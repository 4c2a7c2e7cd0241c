// What the browser tests share: Debian's Chromium through playwright-core, a watch on
// every request (none may leave the server under test) and on every
// Content-Security-Policy violation, one line per check, and axe-core (WCAG 2.1 A and
// AA: no serious or critical violation).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const failures = [];
// Every request any page makes that is not to the server under test (or `allowed`).
export const foreign = new Set();
// Every Content-Security-Policy violation any page reports.
export const violations = [];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Watches the pages of `context`: requests outside `bases` (except those of pages at
// `outside`, such as an OpenID provider's login page, which are not the site's), and
// policy violations.
export async function watch(context, bases, outside = []) {
  context.on('request', (r) => {
    const url = r.url();
    let from = '';
    try { from = r.frame().url(); } catch { from = ''; }
    if (outside.some((o) => from.startsWith(o))) return;
    if (!bases.some((b) => url.startsWith(b)) && !url.startsWith('data:')) foreign.add(url);
  });
  await context.exposeBinding('reportViolation', ({ page }, v) => violations.push({ page: page.url(), ...v }));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.reportViolation({
      directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
      sample: e.sample,
    }));
  });
}

export function check(what, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : ': ' + detail}`);
  if (!ok) failures.push(what);
}

export async function axe(page, name) {
  // Evaluated rather than added as an inline <script>, which the page's policy refuses.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(`axe ${name}: no serious or critical violation`, bad.length === 0,
    bad.map((v) => `${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('; '));
}

// The end of a run: its summary line and exit status.
export function finish() {
  console.log(`browser: ${failures.length === 0 ? 'all passed' : failures.length + ' failed'}`);
  process.exit(failures.length === 0 ? 0 : 1);
}
