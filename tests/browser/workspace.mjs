// Sharing an initiative in a real browser (Debian's Chromium): a contributor signs in at
// the OpenID provider's own login page, fills in the form by keyboard alone with a
// mistake, corrects it, saves a draft and submits; an editor (appointed by an admin
// through the API) signs in, finds it in the queue, compares and rejects it with a
// reason; the contributor reads the reason, edits and submits again; the editor
// publishes; a visitor finds it by search and on its page. axe-core checks every page of
// signed-in people at 390 and 1280 px, and no page of the site may break its
// Content-Security-Policy or load from elsewhere.
// Run by tests/e2e/workspace_browser.rs, which starts the server and the provider:
//   BASE      the server's address          PROVIDER  the provider's issuer
//   SHOTS     the folder for screenshots    CHROMIUM  the browser
//   EXPECT    JSON: contributor and editor login names, the admin's API key, the title,
//             the kind's label, a theme and a topic code, the rejection reason
// Prints one line per check and `browser: all passed` at the end.
import { mkdirSync } from 'node:fs';

import { axe, check, finish, foreign, launch, violations, watch } from './common.mjs';

const base = process.env.BASE;
const provider = process.env.PROVIDER;
const shots = process.env.SHOTS;
const expect = JSON.parse(process.env.EXPECT);
mkdirSync(shots, { recursive: true });

const browser = await launch();

// Moves the focus with Tab alone until it is on `selector`.
async function tabTo(page, selector) {
  for (let i = 0; i < 600; i += 1) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

// Presses a key that submits a form or follows a link, and waits for the next page.
async function pressAndLoad(page, key) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
}

async function text(page, selector) {
  return (await page.locator(selector).first().innerText()).trim();
}

// A person signed in at the provider's own pages, starting from the site's sign-in page.
async function signIn(login) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
  await watch(context, [base, provider], [provider]);
  const page = await context.newPage();
  await page.goto(`${base}/aanmelden?next=%2Fmijn-initiatieven`);
  await Promise.all([page.waitForURL((u) => u.toString().startsWith(provider)), page.locator('ul.providers a').first().click()]);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'x');
  await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').first().click()]);
  // The consent page, when the provider shows one.
  if (page.url().startsWith(provider)) {
    await Promise.all([page.waitForURL((u) => u.toString().startsWith(base)), page.locator('button[type=submit]').first().click()]);
  }
  await page.waitForLoadState('load');
  return { context, page };
}

async function api(query, variables) {
  const r = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${expect.adminKey}` },
    body: JSON.stringify({ query, variables }),
  });
  return r.json();
}

// axe at both widths on `path`, as the signed-in person of `page`.
async function audit(page, name, path) {
  for (const [width, height] of [[390, 844], [1280, 900]]) {
    await page.setViewportSize({ width, height });
    const response = await page.goto(base + path, { waitUntil: 'load' });
    check(`${name} at ${width}px answers 200`, response.status() === 200, response.status());
    await axe(page, `${name} at ${width}px`);
    await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

try {
  // The contributor signs in and lands in the workspace.
  const ann = await signIn(expect.contributor);
  const a = ann.page;
  check('signing in at the institution leads to the workspace', new URL(a.url()).pathname === '/mijn-initiatieven', a.url());
  check('the workspace says whose it is', (await text(a, 'h1')) === 'Mijn initiatieven', await text(a, 'h1'));

  // The form, by keyboard alone, first with a mistake.
  await tabTo(a, 'a[href="/mijn-initiatieven/nieuw"]');
  await pressAndLoad(a, 'Enter');
  check('the link opens the form', new URL(a.url()).pathname === '/mijn-initiatieven/nieuw', a.url());
  await tabTo(a, '#f-title');
  await a.keyboard.type(expect.title);
  await tabTo(a, '#f-summary');
  await a.keyboard.type(expect.summary);
  await tabTo(a, '#f-website');
  await a.keyboard.type('geen adres');
  await tabTo(a, 'button[value=opslaan]');
  await pressAndLoad(a, 'Enter');
  const summary = await text(a, '.error-summary');
  check('the error summary names the kind and the website', summary.includes('Soort') && summary.includes('Website'), summary);
  check('the title typed is kept', (await a.inputValue('#f-title')) === expect.title, await a.inputValue('#f-title'));
  check('the error is beside its field', (await text(a, '#f-website-error')).includes('https://'), await text(a, '#f-website-error'));
  await axe(a, 'the refused form at 1280px');
  await a.screenshot({ path: `${shots}/form-errors-1280.png`, fullPage: true });

  // Corrected: the summary's link leads to the field, then the rest by keyboard.
  await tabTo(a, '.error-summary a[href="#f-website"]');
  await a.keyboard.press('Enter');
  check('the summary link moves to its field', await a.evaluate(() => location.hash) === '#f-website', await a.evaluate(() => location.hash));
  await tabTo(a, '#f-website');
  await a.keyboard.press('Control+A');
  await a.keyboard.type('https://zwaluw.example');
  await tabTo(a, '#f-kind');
  await a.keyboard.type(expect.kindLabel);
  await tabTo(a, `#f-themes-${expect.theme}`);
  await a.keyboard.press('Space');
  await tabTo(a, `#f-topics-${expect.topic}`);
  await a.keyboard.press('Space');
  await tabTo(a, 'button[value=opslaan]');
  await pressAndLoad(a, 'Enter');
  check('the draft is saved', (await text(a, '.notice.info')) === 'Opgeslagen als concept.', await text(a, '.notice.info'));
  const formPath = new URL(a.url()).pathname;
  await tabTo(a, 'button[value=indienen]');
  await pressAndLoad(a, 'Enter');
  check('submitting leads back to the list', new URL(a.url()).search === '?melding=ingediend', a.url());
  check('the list shows it as submitted', (await text(a, 'section.mine')).includes('Ingediend') && (await a.content()).includes(expect.title), await text(a, 'section.mine'));

  // An admin appoints the editor, who signs in and finds it in the queue.
  const eva = await signIn(expect.editor);
  const accounts = await api('{ accounts { id email } }', {});
  const editorAccount = accounts.data.accounts.find((x) => x.email === expect.editor);
  const appointed = await api('mutation($a: Int!) { setAccountRole(account: $a, role: EDITOR) { account { role } } }', { a: editorAccount.id });
  check('the admin appoints the editor', appointed.data.setAccountRole.account.role === 'EDITOR', JSON.stringify(appointed));
  const e = eva.page;
  await e.goto(`${base}/redactie`);
  check('the header counts what waits', /\d/.test(await text(e, 'nav.personal .count')), await text(e, 'nav.personal'));
  await Promise.all([e.waitForNavigation(), e.getByRole('link', { name: expect.title }).click()]);
  check('the review shows a new initiative whole', (await text(e, 'section.compare h2')) === 'Nieuw initiatief', await text(e, 'section.compare h2'));
  const reviewPath = new URL(e.url()).pathname;
  await e.fill('#reden-afwijzen', expect.reason);
  await Promise.all([e.waitForNavigation(), e.locator('button[value=afwijzen]').click()]);
  check('the editor rejects it', (await text(e, '.notice.info')).startsWith('Afgewezen'), await text(e, '.notice.info'));

  // The contributor reads the reason, edits and submits again.
  await a.goto(`${base}/mijn-initiatieven`);
  check('the reason is in the workspace', (await a.content()).includes(expect.reason), await text(a, 'main'));
  await a.goto(base + formPath);
  check('the form shows the reason', (await text(a, '#redactie')).includes(expect.reason), await text(a, '#redactie'));
  await tabTo(a, '#f-summary');
  await a.keyboard.press('Control+A');
  await a.keyboard.type(expect.betterSummary);
  await tabTo(a, 'button[value=indienen]');
  await pressAndLoad(a, 'Enter');
  check('it is submitted again', new URL(a.url()).search === '?melding=ingediend', a.url());

  // The editor compares again and publishes.
  await e.goto(base + reviewPath);
  await Promise.all([e.waitForNavigation(), e.locator('button[value=publiceren]').click()]);
  check('the editor publishes it', (await text(e, '.notice.info')) === 'Gepubliceerd.', await text(e, '.notice.info'));

  // Every page of signed-in people, at both widths.
  await audit(a, 'workspace', '/mijn-initiatieven');
  await audit(a, 'new-form', '/mijn-initiatieven/nieuw');
  await audit(a, 'form', formPath);
  await audit(a, 'preview', `${formPath}/voorbeeld`);
  await audit(a, 'account', '/mijn-account');
  await audit(e, 'queue', '/redactie');
  await audit(e, 'review', reviewPath);

  // A visitor finds it.
  const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
  await watch(visitor, [base]);
  const v = await visitor.newPage();
  await audit(v, 'sign-in', '/aanmelden');
  await v.goto(`${base}/zoeken?q=${encodeURIComponent(expect.searchWord)}`);
  await Promise.all([v.waitForURL(/\/initiatieven\//), v.locator('ol.results h2 a').first().click()]);
  check('search finds it and its page shows it', (await text(v, 'h1')) === expect.title, await text(v, 'h1'));
  const feed = await (await v.request.get(`${base}/feeds/initiatives.atom`)).text();
  check('the Atom feed has it', feed.includes(expect.title), 'not in the feed');
  check('the visitor holds no cookie', (await visitor.cookies()).length === 0, JSON.stringify(await visitor.cookies()));

  const ours = violations.filter((x) => x.page.startsWith(base));
  check('no page of the site violated its Content-Security-Policy', ours.length === 0, ours.map((x) => JSON.stringify(x)).join('; '));
  check('no request left the server and the provider', foreign.size === 0, [...foreign].join(', '));
} catch (err) {
  check('the browser run', false, err.stack || String(err));
} finally {
  await browser.close();
}
finish();
