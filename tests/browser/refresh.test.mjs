// Live redraws in Debian's Chromium against the real creneau: a page read again on every live
// change never shows an older answer over a newer one, however the server's answers are
// delayed (the read of a list that was sent first may come back last).
import { test } from 'node:test';
import { Server, browser, signIn, check } from './harness.mjs';

const MEMBER = 'claire.martin@univ-artois.fr';
const LLV = 'direction@llv.fr';

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
      let delayed = false;
      await page.route(/\/api\/reservations\?/, async (route) => {
        if (delayed || route.request().method() !== 'GET') return route.continue();
        delayed = true;
        const stale = await route.fetch();
        await new Promise((r) => setTimeout(r, 1500));
        return route.fulfill({ response: stale });
      });
      // Two requests a moment apart: the page reads its list on each, the first read comes
      // back last, and the second request must still be on the page once both are in.
      const title = `Atelier ${view}`;
      const [before, day] = view === 'mine' ? ['16', '10'] : ['17', '11'];
      check((await s.api('POST', '/api/reservations', booking(before, `Avant ${view}`), claire)).status === 201, 'the first change');
      await new Promise((r) => setTimeout(r, 200));
      check((await s.api('POST', '/api/reservations', booking(day, title), claire)).status === 201, 'the second change');
      await new Promise((r) => setTimeout(r, 2500));
      const shown = await page.textContent(list);
      check(shown.includes(title), `${view}: the newest request is shown after the late answer: ${shown}`);
      check(delayed, `${view}: a read was delayed`);
      if (view === 'mine') {
        // An open history is read again on each redraw: the first read comes back last, with
        // the request as it stood before LLV approved it; the approval stays on the page.
        let held = false;
        await page.route(/\/history$/, async (route) => {
          if (held) return route.continue();
          held = true;
          const stale = await route.fetch();
          await new Promise((r) => setTimeout(r, 1500));
          return route.fulfill({ response: stale });
        });
        await page.click(`[data-history="${first.body.id}"]`);
        await new Promise((r) => setTimeout(r, 200));
        const llv = await s.token(LLV);
        check((await s.api('POST', `/api/reservations/${first.body.id}/approve`, {}, llv)).status === 200, 'approved');
        await new Promise((r) => setTimeout(r, 2500));
        const history = await page.textContent(`[data-history-of="${first.body.id}"]`);
        check(held && /acceptée/.test(history), `the history after the late answer: ${history}`);
      }
      await ctx.close();
    }
  } finally {
    await b.close();
    await s.stop();
  }
});
