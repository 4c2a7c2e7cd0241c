// The network map and its script (crates/kb-web/assets/map.js) in a real browser: on a
// page of the site that draws a map (an 800 × 600 one, as `charts::map_svg` makes them),
// under the server's Content-Security-Policy, the script adds its zoom buttons; pointing
// at a node marks it and exactly its neighbours (`data-n`); Escape clears the marks; Tab
// goes from the last button to the first node of the tab order and marks it; the buttons
// and the wheel zoom, dragging pans without following the link under the pointer; and
// axe-core finds no serious or critical violation.
//   BASE      the server's address, e.g. http://127.0.0.1:41234
//   PAGE      the path of a page with a map (default /analyse)
//   CHROMIUM  the browser (default /usr/bin/chromium)
// Prints one line per check; exits 1 if any failed.
import { axe, check, finish, foreign, launch, violations, watch } from './common.mjs';

const base = process.env.BASE;
const path = process.env.PAGE || '/analyse';

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
  await watch(context, [base]);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + path, { waitUntil: 'load' });
  const map = page.locator('svg[data-map]').first();
  await map.scrollIntoViewIfNeeded();
  const tools = page.locator('.map-tools button');
  check('the script adds three zoom buttons', await tools.count() === 3, await tools.count());

  // Pointing at a node whose centre is not covered by another marks it and its neighbours.
  const target = await map.evaluate((svg) => {
    for (const a of svg.querySelectorAll('a.node')) {
      const r = a.querySelector('circle').getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      const hit = document.elementFromPoint(x, y);
      if (hit && hit.closest('a.node') === a) {
        return { x, y, near: (a.getAttribute('data-n') || '').split(' ').filter(Boolean).length };
      }
    }
    return null;
  });
  check('a node can be pointed at', target !== null, 'every node centre is covered');
  const marks = () => map.evaluate((svg) => ({
    active: svg.classList.contains('is-active'),
    hot: svg.querySelectorAll('a.node.is-hot').length,
    near: svg.querySelectorAll('a.node.is-near').length,
  }));
  if (target) {
    await page.mouse.move(target.x, target.y);
    const m = await marks();
    check('pointing at a node marks it and its neighbours',
      m.active && m.hot === 1 && m.near === target.near, JSON.stringify({ ...m, expected: target.near }));
  }
  await page.keyboard.press('Escape');
  const cleared = await marks();
  check('Escape clears the marks', !cleared.active && cleared.hot === 0 && cleared.near === 0,
    JSON.stringify(cleared));

  // The keyboard: after the last button comes the first node of the tab order.
  await tools.nth(2).focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('data-i'));
  const first = await map.locator('a.node').first().getAttribute('data-i');
  check('Tab goes from the buttons to the first node', focused === first, `${focused} (expected ${first})`);
  const m = await marks();
  check('a focused node is marked', m.active && m.hot === 1, JSON.stringify(m));
  // Tab reaches every node once, in the map's order (cluster by cluster, the heaviest
  // first), and then leaves the map.
  const order = await map.locator('a.node').evaluateAll((as) => as.map((a) => a.getAttribute('data-i')));
  const visited = [focused];
  for (let k = 1; k < order.length; k++) {
    await page.keyboard.press('Tab');
    visited.push(await page.evaluate(() => document.activeElement.getAttribute('data-i')));
  }
  check(`Tab reaches all ${order.length} nodes in order`, JSON.stringify(visited) === JSON.stringify(order),
    `${visited.join(' ')} (expected ${order.join(' ')})`);
  await page.keyboard.press('Tab');
  check('after the last node Tab leaves the map',
    await page.evaluate(() => !document.activeElement.closest('svg[data-map]')), 'still in the map');
  await page.keyboard.press('Escape');

  // Zoom and pan.
  await tools.nth(0).click();
  check('zoom in', await map.getAttribute('viewBox') === '133.33 100 533.33 400', await map.getAttribute('viewBox'));
  check('a zoomed map is marked so', await map.evaluate((s) => s.classList.contains('is-zoomed')), 'not is-zoomed');
  await tools.nth(1).click();
  await tools.nth(1).click();
  check('zoom out stops at the whole map', await map.getAttribute('viewBox') === '0 0 800 600',
    await map.getAttribute('viewBox'));
  const box = await map.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  const wheeled = await map.getAttribute('viewBox');
  check('the wheel zooms in', wheeled.endsWith(' 666.67 500'), wheeled);
  const before = page.url();
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 - 40, { steps: 5 });
  await page.mouse.up();
  const panned = await map.getAttribute('viewBox');
  check('dragging pans', panned !== wheeled && panned.endsWith(' 666.67 500'), panned);
  check('the click that ends a drag follows no link', page.url() === before, page.url());
  await tools.nth(2).click();
  check('the whole map again', await map.getAttribute('viewBox') === '0 0 800 600', await map.getAttribute('viewBox'));
  check('the whole map lets the page scroll again', !(await map.evaluate((s) => s.classList.contains('is-zoomed'))), 'still is-zoomed');

  await axe(page, 'map');
  check('no script error', errors.length === 0, errors.join('; '));
} finally {
  await browser.close();
}
check('no policy violation', violations.length === 0, JSON.stringify(violations));
check('nothing from another host', foreign.size === 0, [...foreign].join(', '));
finish();
