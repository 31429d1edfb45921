// Live redraws in Debian's Chromium against the real creneau: a page read again on every live
// change never shows an older answer over a newer one, however the server's answers are
// delayed (the read of a list that was sent first may come back last).
import { test } from 'node:test';
import { Server, browser, signIn, check } from './harness.mjs';

const MEMBER = 'claire.martin@univ-artois.fr';
const LLV = 'direction@llv.fr';

// Holds back the first GET matching `pattern`: its answer is taken from the server at once (as
// things stand then) and given to the page only 1.5 s later. `taken` settles once the answer
// is in hand, `given` once the page has it.
async function holdFirst(page, pattern) {
  const hold = {};
  hold.taken = new Promise((r) => { hold.tookIt = r; });
  hold.given = new Promise((r) => { hold.gaveIt = r; });
  let done = false;
  await page.route(pattern, async (route) => {
    if (done || route.request().method() !== 'GET') return route.continue();
    done = true;
    const stale = await route.fetch();
    hold.tookIt();
    await new Promise((r) => setTimeout(r, 1500));
    await route.fulfill({ response: stale });
    hold.gaveIt();
  });
  return hold;
}

// What the page shows once the held answer is in and the page had time to draw it, and any
// read after it to come back: `want` within 10 s, or what is there then.
async function settled(page, hold, selector, want) {
  await hold.given;
  await new Promise((r) => setTimeout(r, 500));
  await page.waitForFunction(([sel, text]) => new RegExp(text).test(document.querySelector(sel)?.textContent || ''), [selector, want], { timeout: 10000 }).catch(() => {});
  return page.textContent(selector);
}

const booking = (day, title) => ({
  resource: 'meeting-room', start: `2027-03-${day}T09:00:00Z`, end: `2027-03-${day}T10:00:00Z`, attendees: 6, title,
});

test('her requests, their histories and the approvals page show the newest answer when an older read comes back last', async () => {
  const s = new Server();
  s.addUser(MEMBER, 'Claire Martin', 'member', 'univ-artois');
  s.addUser(LLV, 'Nadia Direction', 'admin', 'llv');
  await s.start();
  const b = await browser();
  try {
    const claire = await s.token(MEMBER);
    const first = await s.api('POST', '/api/reservations', booking('09', 'Comité de pilotage'), claire);
    check(first.status === 201, `first: ${JSON.stringify(first.body)}`);
    for (const [view, email, list] of [['admin', LLV, '#admin-rows'], ['mine', MEMBER, '#mine-rows']]) {
      const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', bypassCSP: true });
      const page = await ctx.newPage();
      await signIn(page, s, email);
      await page.goto(`${s.url}/#/${view}`);
      await page.waitForFunction((sel) => /Comité de pilotage/.test(document.querySelector(sel)?.textContent || ''), list);
      // From now on, the first read of the list is answered as it stood, but only after 1.5 s.
      const list1 = await holdFirst(page, /\/api\/reservations\?/);
      // Two requests: the page reads its list on each; the first read, taken before the second
      // request, comes back last; the second request must be on the page once both are in.
      const title = `Atelier ${view}`;
      const [before, day] = view === 'mine' ? ['16', '10'] : ['17', '11'];
      check((await s.api('POST', '/api/reservations', booking(before, `Avant ${view}`), claire)).status === 201, 'the first change');
      await list1.taken;
      check((await s.api('POST', '/api/reservations', booking(day, title), claire)).status === 201, 'the second change');
      const shown = await settled(page, list1, list, title);
      check(shown.includes(title), `${view}: the newest request is shown after the late answer: ${shown}`);
      if (view === 'mine') {
        // An open history is read again on each redraw: its first read, taken before LLV
        // approves the request, comes back last; the approval stays on the page.
        const history1 = await holdFirst(page, /\/history$/);
        await page.click(`[data-history="${first.body.id}"]`);
        await history1.taken;
        const llv = await s.token(LLV);
        check((await s.api('POST', `/api/reservations/${first.body.id}/approve`, {}, llv)).status === 200, 'approved');
        const history = await settled(page, history1, `[data-history-of="${first.body.id}"]`, 'acceptée');
        check(/acceptée/.test(history), `the history after the late answer: ${history}`);
      }
      await ctx.close();
    }
  } finally {
    await b.close();
    await s.stop();
  }
});
