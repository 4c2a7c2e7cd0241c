// The explorer website in a real browser (Debian's Chromium through playwright-core):
// every page type at phone and desktop width, with a screenshot and an axe-core check
// (WCAG 2.1 A and AA: no serious or critical violation), then what a visitor does:
// search, filter by a facet, open an initiative, follow a related one, switch language,
// page through results. Every page runs under the server's Content-Security-Policy, and
// any violation of it (an inline script or style, a foreign load) fails the run. After
// every page, and after the whole way through the site, the browser must hold no cookie.
// Run by tests/e2e/site.rs, which starts the server and passes
//   BASE      the server's address, e.g. http://127.0.0.1:41234
//   SHOTS     the folder for screenshots
//   EXPECT    JSON of what the API says a visitor must see (see site.rs)
//   CHROMIUM  the browser (default /usr/bin/chromium)
// Prints one line per check; exits 1 on the first failed expectation or any violation.
import { mkdirSync } from 'node:fs';

import { axe, check, finish, foreign, launch, violations, watch as watchOn } from './common.mjs';

const base = process.env.BASE;
const shots = process.env.SHOTS;
const expect = JSON.parse(process.env.EXPECT);
mkdirSync(shots, { recursive: true });

const browser = await launch();
const watch = (context) => watchOn(context, [base]);

try {
  // Every page type, at phone and desktop width.
  for (const [width, height] of [[390, 844], [1280, 900]]) {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'nl-NL' });
    await watch(context);
    const page = await context.newPage();
    for (const [name, path] of expect.pages) {
      const response = await page.goto(base + path, { waitUntil: 'load' });
      check(`${name} at ${width}px answers ${name === 'not-found' ? 404 : 200}`,
        response.status() === (name === 'not-found' ? 404 : 200), response.status());
      await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: name !== 'analysis' });
      // What the first screen shows, for the README (docs/screenshots).
      if ((name === 'search' && width === 1280) || (name === 'initiative' && width === 390)) {
        await page.screenshot({ path: `${shots}/${name}-${width}-first-screen.png` });
      }
      await axe(page, `${name} at ${width}px`);
      const cookies = await context.cookies();
      check(`${name} at ${width}px leaves no cookie`, cookies.length === 0,
        cookies.map((c) => `${c.name} for ${c.domain}`).join(', '));
    }
    await context.close();
  }

  // A visitor's way through the site, in Dutch.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
  await watch(context);
  const page = await context.newPage();
  const text = async (selector) => (await page.locator(selector).first().innerText()).trim();
  await page.goto(base + '/');
  await page.fill('#q-start', expect.query);
  await Promise.all([page.waitForURL(/\/zoeken\?/), page.press('#q-start', 'Enter')]);
  check('searching shows the number of hits', (await text('#aantal')) === expect.searchCount,
    `${await text('#aantal')} ≠ ${expect.searchCount}`);

  await page.getByRole('group', { name: expect.facetLegend })
    .getByLabel(expect.facetLabel, { exact: false }).first().check();
  await Promise.all([page.waitForURL(/soort=/), page.getByRole('button', { name: 'Filters toepassen' }).first().click()]);
  check('a facet narrows the hits to the exact count', (await text('#aantal')) === expect.filteredCount,
    `${await text('#aantal')} ≠ ${expect.filteredCount}`);
  check('the facet stays checked in the address', page.url().includes(`soort=${expect.facetValue}`), page.url());

  await Promise.all([page.waitForURL(/\/initiatieven\//), page.locator('ol.results h2 a').first().click()]);
  check('the first hit opens its initiative', (await text('h1')) === expect.firstTitle,
    `${await text('h1')} ≠ ${expect.firstTitle}`);

  await Promise.all([page.waitForURL(/\/initiatieven\//), page.locator('ul.related h3 a').first().click()]);
  check('a related initiative opens', (await text('h1')) === expect.relatedTitle,
    `${await text('h1')} ≠ ${expect.relatedTitle}`);

  await page.goto(base + '/');
  await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);
  check('the language switch shows the English heading', (await text('h1')) === 'Knowledge Bank Student Wellbeing',
    await text('h1'));
  check('the English page says so', (await page.getAttribute('html', 'lang')) === 'en', await page.getAttribute('html', 'lang'));
  await Promise.all([page.waitForURL(/\/zoeken/), page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Initiatives' }).click()]);
  check('English links stay English', (await text('h1')) === 'Initiatives', await text('h1'));

  await page.goto(base + '/zoeken');
  check('browsing starts on page 1', (await text('nav.pager span')) === expect.pageOne, await text('nav.pager span'));
  await Promise.all([page.waitForURL(/pagina=2/), page.getByRole('link', { name: 'Volgende →' }).click()]);
  check('the next page is page 2', (await text('nav.pager span')) === expect.pageTwo, await text('nav.pager span'));
  check('page 2 starts with the 21st initiative', (await text('ol.results h2 a')) === expect.twentyFirst,
    `${await text('ol.results h2 a')} ≠ ${expect.twentyFirst}`);
  await Promise.all([page.waitForURL((u) => !u.toString().includes('pagina=')), page.getByRole('link', { name: '← Vorige' }).click()]);
  check('the previous page is page 1 again', (await text('nav.pager span')) === expect.pageOne, await text('nav.pager span'));

  // Suggestions: typing in the search box fills its list from the API (enhancement).
  await page.goto(base + '/');
  await page.locator('#q-start').pressSequentially(expect.suggestPrefix, { delay: 30 });
  await page.waitForFunction(() => document.querySelectorAll('#suggesties-start option').length > 0, null, { timeout: 5000 });
  const suggestions = await page.locator('#suggesties-start option').evaluateAll((os) => os.map((o) => o.value));
  check('typing offers the suggestions the API gives', JSON.stringify(suggestions) === JSON.stringify(expect.suggestions),
    `${JSON.stringify(suggestions)} ≠ ${JSON.stringify(expect.suggestions)}`);

  // GraphiQL from the binary's own assets runs a query.
  await page.goto(base + '/graphiql');
  await page.waitForSelector('.graphiql-container', { timeout: 15000 });
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(() => (document.querySelector('.result-window')?.textContent || '').includes('totalCount'), null, { timeout: 15000 });
  check('GraphiQL runs its query offline', true, '');
  // Its dialogs add a style sheet of their own, which the policy allows by its hash.
  for (const name of ['Open settings dialog', 'Open short keys dialog']) {
    await page.getByRole('button', { name }).first().click();
    await page.getByRole('dialog').waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5000 });
  }
  check('GraphiQL opens and closes its dialogs', true, '');
  await page.screenshot({ path: `${shots}/graphiql-1280.png` });
  const cookies = await context.cookies();
  check('searching, filtering, switching language and GraphiQL leave no cookie', cookies.length === 0,
    cookies.map((c) => `${c.name} for ${c.domain}`).join(', '));
  await context.close();
  check('no request left the server', foreign.size === 0, [...foreign].join(', '));
  check('no page violated its Content-Security-Policy', violations.length === 0,
    violations.map((v) => JSON.stringify(v)).join('; '));

  // An injected inline script does not run, and the browser reports it to the server
  // (the test counts one report there: this one, and no other).
  const injected = await browser.newContext();
  const victim = await injected.newPage();
  await victim.goto(base + '/');
  const ran = await victim.evaluate(async () => {
    const reported = new Promise((resolve) => document.addEventListener('securitypolicyviolation', resolve));
    const s = document.createElement('script');
    s.textContent = 'window.injectedRan = true;';
    document.body.appendChild(s);
    await reported;
    return window.injectedRan === true;
  });
  check('an injected inline script is refused', ran === false, 'it ran');
  // report-uri reports go out at once; give the request a moment to land.
  await victim.waitForTimeout(500);
  await injected.close();
} catch (e) {
  check('the browser run', false, e.stack || String(e));
} finally {
  await browser.close();
}
finish();
