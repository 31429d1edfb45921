// Rooms' waiting lists in Debian's Chromium against the real creneau (docs/domain.md, "Room
// waiting lists"): a member in Paris finds her period taken and puts her request on the
// list; LLV's administrator, in another time zone, sees the list in Paris time and moves her
// request up; the period frees up and her page shows it pending, live. axe-core on each view.
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots, axeCheck } from './harness.mjs';

const MEMBER = 'claire.martin@univ-artois.fr';
const LLV = 'direction@llv.fr';

test('a taken period is waited for, reordered by its lender, and handed over live when it frees up', async () => {
  const s = new Server();
  s.addUser(MEMBER, 'Claire Martin', 'member', 'univ-artois');
  s.addUser(LLV, 'Nadia Direction', 'admin', 'llv');
  await s.start();
  const b = await browser();
  try {
    // LLV's council holds the meeting room on Tuesday 9 March 2027, 10:00-12:00 in Paris; an LLV
    // workshop already waits for 10:00-11:00.
    const llv = await s.token(LLV);
    const council = await s.api('POST', '/api/reservations', {
      resource: 'meeting-room', start: '2027-03-09T09:00:00Z', end: '2027-03-09T11:00:00Z', attendees: 8, title: 'Conseil LLV',
    }, llv);
    check(council.status === 201, `council: ${JSON.stringify(council.body)}`);
    const workshop = await s.api('POST', '/api/reservations', {
      resource: 'meeting-room', start: '2027-03-09T09:00:00Z', end: '2027-03-09T10:00:00Z', attendees: 8, title: 'Atelier LLV', wait: true,
    }, llv);
    check(workshop.status === 201 && workshop.body.status === 'waiting', `workshop: ${JSON.stringify(workshop.body)}`);

    // Claire asks for 10:30-11:30: taken; she is offered the waiting list and takes it.
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await ctx.newPage();
    await signIn(page, s, MEMBER);
    await page.goto(`${s.url}/#/request`);
    await page.selectOption('#rq-resource', 'meeting-room');
    await page.fill('#rq-attendees', '6');
    await page.fill('#rq-start', '2027-03-09T10:30');
    await page.fill('#rq-end', '2027-03-09T11:30');
    await page.fill('#rq-title', 'Comité de pilotage');
    // The quote already says the period is taken, and what waiting for it would cost.
    await page.waitForFunction(() => /déjà pris/.test(document.querySelector('#quote')?.textContent || ''));
    check(/Total : 40,00/.test(await page.textContent('#quote')), `the quote of a waiting request: ${await page.textContent('#quote')}`);
    await page.click('#request-form button[type=submit]');
    await page.waitForSelector('#rq-wait');
    check(/déjà/.test(await page.textContent('#rq-start-error')), 'the refusal at the start field');
    check(/garde sa place dans vos gratuités/.test(await page.textContent('#request-result')), 'the offer says what waiting keeps');
    await axeCheck(page, 'the waiting list offered');
    await page.click('#rq-wait');
    await page.waitForSelector('#request-result .status.waiting');
    const sent = await page.textContent('#request-result');
    check(/Liste d’attente/.test(sent) && /place 2/.test(sent), `sent to the list: ${sent}`);
    await page.screenshot({ path: join(shots, 'waitlist-offered.png'), fullPage: true });
    // A second time: her organisation already waits for it.
    await page.click('#request-form button[type=submit]');
    await page.waitForSelector('#rq-wait');
    await page.click('#rq-wait');
    await page.waitForSelector('#request-result .error');
    check(/attend déjà ce créneau/.test(await page.textContent('#request-result')), 'already waiting, said so');

    // Her organisation's requests show it waiting, with its place.
    await page.goto(`${s.url}/#/mine`);
    await page.waitForSelector('#mine-rows .status.waiting');
    const mine = await page.textContent('#mine-rows');
    check(/Liste d’attente/.test(mine) && /place 2 sur la liste/.test(mine) && /10:30/.test(mine), `her requests: ${mine}`);
    await axeCheck(page, 'a waiting request among hers');

    // LLV's administrator, travelling in Montréal, sees the list in Paris time and moves
    // Claire's request up with the keyboard.
    const actx = await b.newContext({ timezoneId: 'America/Montreal', locale: 'fr-FR', viewport: { width: 1366, height: 900 }, bypassCSP: true });
    const admin = await actx.newPage();
    await signIn(admin, s, LLV);
    await admin.goto(`${s.url}/#/admin`);
    await admin.waitForSelector('#waitlists ol.waitlist li');
    const list = await admin.$$eval('#waitlists ol.waitlist li strong', (xs) => xs.map((x) => x.textContent));
    check(JSON.stringify(list) === JSON.stringify(['Atelier LLV', 'Comité de pilotage']), `the list in order: ${list}`);
    check(/10:30/.test(await admin.textContent('#waitlists')), 'times in Paris wall-clock time');
    await axeCheck(admin, 'the rooms’ waiting lists');
    await admin.focus('button[aria-label="Monter « Comité de pilotage »"]');
    await admin.keyboard.press('Enter');
    // Said once the list is read again, with the focus put back (a live redraw may come first).
    await admin.waitForFunction(() => /est maintenant place 1/.test(document.querySelector('#waitlist-said').textContent));
    check(await admin.$eval('#waitlists ol.waitlist li strong', (x) => x.textContent) === 'Comité de pilotage', 'moved up');
    check(await admin.evaluate(() => document.activeElement?.getAttribute('aria-label')) === 'Descendre « Comité de pilotage »',
      'the focus stays on the request moved');
    await admin.screenshot({ path: join(shots, 'waitlist-admin.png'), fullPage: true });

    // Claire's list says place 1 once reloaded; the council is cancelled: her request fits
    // first and becomes pending, on her page live, and in LLV's requests to decide.
    await page.reload();
    await page.waitForSelector('#live[data-state="live"]');
    await page.waitForFunction(() => /place 1 sur la liste/.test(document.querySelector('#mine-rows')?.textContent || ''));
    const cancelled = await s.api('POST', `/api/reservations/${council.body.id}/cancel`, { reason: 'Reporté' }, llv);
    check(cancelled.status === 200, `cancel: ${JSON.stringify(cancelled.body)}`);
    await page.waitForSelector('#mine-rows .status.pending');
    check(!/sur la liste/.test(await page.textContent('#mine-rows')), 'no place once pending');
    await admin.waitForFunction(() => /Comité de pilotage/.test(document.querySelector('#admin-rows')?.textContent || ''));
    const left = await admin.$$eval('#waitlists ol.waitlist li strong', (xs) => xs.map((x) => x.textContent));
    check(JSON.stringify(left) === JSON.stringify(['Atelier LLV']), `the workshop still waits: ${left}`);
    await page.screenshot({ path: join(shots, 'waitlist-promoted.png'), fullPage: true });
    await ctx.close();
    await actx.close();
  } finally { await b.close(); await s.stop(); }
});
