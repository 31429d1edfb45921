// A request quoted again in Debian's Chromium against the real creneau (docs/domain.md, "Quotes
// of requests not yet decided"): a member of the university, on her phone in Paris, has asked
// for the Atrium three times in 2027; the third is billed, the year's two free bookings being
// taken. LLV refuses the first: her page says, live, that the third now costs the service fee
// only, and its history says why. axe-core on the view.
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots, axeCheck, noSideScroll } from './harness.mjs';

const MEMBER = 'claire.martin@univ-artois.fr';
const LLV = 'direction@llv.fr';

test('a free Atrium booking that comes back makes the request billed for lack of it free, live', async () => {
  const s = new Server();
  s.addUser(MEMBER, 'Claire Martin', 'member', 'univ-artois');
  s.addUser(LLV, 'Nadia Direction', 'admin', 'llv');
  await s.start();
  const b = await browser();
  try {
    const claire = await s.token(MEMBER);
    const llv = await s.token(LLV);
    const ask = (day, title) => s.api('POST', '/api/reservations', {
      resource: 'atrium', start: `2027-03-${day}T08:00:00Z`, end: `2027-03-${day}T16:00:00Z`, attendees: 80, layout: 'plenary', organisation: 'univ-artois', title,
    }, claire);
    const first = await ask('09', 'Journée d’accueil');
    const second = await ask('10', 'Conférence');
    const third = await ask('11', 'Culturathon');
    check(first.status === 201 && second.status === 201 && third.status === 201, `requests: ${JSON.stringify([first.body, second.body, third.body])}`);
    check(third.body.quote.free === false && third.body.quote.total_cents === 115000, `the third is billed: ${JSON.stringify(third.body.quote)}`);

    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    const page = await ctx.newPage();
    await signIn(page, s, MEMBER);
    await page.goto(`${s.url}/#/mine`);
    await page.waitForSelector('#live[data-state="live"]');
    const row = `#mine-rows tr[data-id="${third.body.id}"]`;
    await page.waitForSelector(row);
    check(/1\s?150,00/.test(await page.textContent(row)), `billed at first: ${await page.textContent(row)}`);

    const refused = await s.api('POST', `/api/reservations/${first.body.id}/refuse`, { reason: 'L’Atrium accueille une exposition' }, llv);
    check(refused.status === 200, `refuse: ${JSON.stringify(refused.body)}`);
    await page.waitForFunction(() => /Culturathon » coûte maintenant 250,00/.test(document.querySelector('#mine-said')?.textContent || ''));
    const now = await page.textContent(row);
    check(/250,00/.test(now) && !/1\s?150,00/.test(now), `the row's new total: ${now}`);
    check(/Mise à disposition gratuite/.test(now), `said free: ${now}`);
    await page.click(`${row} [data-history]`);
    await page.waitForFunction((id) => /nouveau devis \(gratuité libérée\)/.test(document.querySelector(`[data-history-of="${id}"]`)?.textContent || ''), third.body.id);
    const history = await page.textContent(`[data-history-of="${third.body.id}"]`);
    check(/Créneau \(automatiquement\)/.test(history), `the history names the rules: ${history}`);
    check(!/Nadia/.test(history), `not Nadia: ${history}`);
    await noSideScroll(page, 'requests on a phone');
    await axeCheck(page, 'my requests after a new quote');
    await page.screenshot({ path: join(shots, 'requote-mine.png'), fullPage: true });
    await ctx.close();

    // LLV's requests to decide: the free booking whose service fee is due is not in the green
    // of what costs nothing.
    const actx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const admin = await actx.newPage();
    await signIn(admin, s, LLV);
    await admin.goto(`${s.url}/#/admin`);
    const quoted = `#admin-rows tr[data-id="${third.body.id}"] td[data-label] span.fees`;
    await admin.waitForSelector(quoted);
    check(/Mise à disposition gratuite — frais de service facturés/.test(await admin.textContent(quoted)), `the kind: ${await admin.textContent(quoted)}`);
    check(!(await admin.$(`#admin-rows tr[data-id="${third.body.id}"] span.free`)), 'not in the green of free');
    await actx.close();
  } finally { await b.close(); await s.stop(); }
});
