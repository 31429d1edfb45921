// Series in Debian's Chromium against the real creneau (docs/domain.md, "Series"): a member in
// Paris asks for a weekly course across the October change, skips one date, sees each date
// checked and quoted at 10:00 Paris time before and after the change, moves another, sends it,
// and cancels the rest of the series; from Montréal, the same dates read 10:00 Paris time.
// axe-core on each view.
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots, axeCheck } from './harness.mjs';

const MEMBER = 'claire.martin@univ-artois.fr';
const LLV = 'direction@llv.fr';

test('a weekly series with one date skipped keeps 10:00 in Paris across the October change', async () => {
  const s = new Server();
  s.addUser(MEMBER, 'Claire Martin', 'member', 'univ-artois');
  s.addUser(LLV, 'Nadia Direction', 'admin', 'llv');
  await s.start();
  const b = await browser();
  try {
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', viewport: { width: 1280, height: 1000 }, bypassCSP: true });
    const page = await ctx.newPage();
    await signIn(page, s, MEMBER);
    await page.goto(`${s.url}/#/request`);
    await page.selectOption('#rq-resource', 'meeting-room');
    await page.fill('#rq-attendees', '12');
    await page.fill('#rq-start', '2027-10-19T10:00');
    await page.fill('#rq-end', '2027-10-19T12:00');
    await page.fill('#rq-title', 'Cours de master');
    await page.selectOption('#rq-repeat', 'weekly');
    check(await page.isChecked('#rq-weekdays input[value="2"]'), 'Tuesday, the start’s weekday, is ticked');
    await page.fill('#rq-count', '4');
    await page.waitForFunction(() => document.querySelectorAll('#rq-dates li').length === 4);
    const dates = await page.$$eval('#rq-dates li strong', (xs) => xs.map((x) => x.textContent));
    check(dates.every((d) => /10:00 – 12:00/.test(d)), `every date at 10:00 in Paris: ${dates}`);
    check(/19 oct/.test(dates[0]) && /9 nov/.test(dates[3]), `from 19 October to 9 November: ${dates}`);
    // The third date is a holiday week: skipped.
    await page.click('#rq-dates button[data-skip="2027-11-02"]');
    await page.waitForFunction(() => document.querySelector('#rq-dates li[data-date="2027-11-02"]')?.classList.contains('skipped'));
    check(await page.evaluate(() => document.activeElement?.dataset?.skip) === '2027-11-02', 'the focus stays on the date skipped');
    await page.waitForFunction(() => /3 date\(s\) possible/.test(document.querySelector('#quote')?.textContent || ''));
    // The last date falls on an exam: moved to Wednesday 10 November, 14:00 – 16:00. An end
    // before its start is refused at its field first.
    await page.click('#rq-dates button[data-move="2027-11-09"]');
    check(await page.evaluate(() => document.activeElement?.id) === 'mv-start-2027-11-09', 'the focus goes to the new start');
    await page.fill('#mv-start-2027-11-09', '2027-11-10T14:00');
    await page.fill('#mv-end-2027-11-09', '2027-11-10T13:00');
    await page.click('#rq-dates button[data-move-ok="2027-11-09"]');
    await page.waitForSelector('#mv-end-2027-11-09[aria-invalid="true"]');
    check(/La fin doit suivre le début/.test(await page.textContent('#mv-end-2027-11-09-error')), 'an end before its start is refused at its field');
    await page.fill('#mv-end-2027-11-09', '2027-11-10T16:00');
    await page.click('#rq-dates button[data-move-ok="2027-11-09"]');
    await page.waitForFunction(() => /déplacée, prévue le mardi 9 novembre 2027/.test(document.querySelector('#rq-dates li[data-date="2027-11-09"]')?.textContent || ''));
    const movedLine = await page.textContent('#rq-dates li[data-date="2027-11-09"] strong');
    check(/10 nov/.test(movedLine) && /14:00 – 16:00/.test(movedLine), `the moved date: ${movedLine}`);
    check(await page.evaluate(() => document.activeElement?.dataset?.move) === '2027-11-09', 'the focus is back on the date’s Move button');
    await page.waitForFunction(() => /3 date\(s\) possible/.test(document.querySelector('#quote')?.textContent || ''));
    await axeCheck(page, 'a series being prepared');
    await page.screenshot({ path: join(shots, 'series-preview.png'), fullPage: true });
    await page.click('#request-form button[type=submit]');
    await page.waitForSelector('#request-result a[href="#/mine"]');
    check(/Série « Cours de master » envoyée : 3 date/.test(await page.textContent('#request-result')), 'the series is sent');

    // The calendar marks its dates as a series'.
    await page.goto(`${s.url}/#/calendar?date=2027-10-26`);
    await page.waitForFunction(() => [...document.querySelectorAll('#calendar .ec-event')].some((e) => /Cours de master/.test(e.textContent)));
    const marked = await page.$$eval('#calendar .ec-event', (xs) => xs.map((x) => x.textContent).filter((x) => /Cours de master/.test(x)));
    check(marked.length > 0 && marked.every((x) => /↻ Série/.test(x)), `the series' dates in the calendar: ${marked}`);

    await page.goto(`${s.url}/#/mine`);
    await page.waitForSelector('#mine-rows .series-tag');
    const rows = await page.$$eval('#mine-rows tr[data-id]', (xs) => xs.map((x) => x.textContent.replace(/\s+/g, ' ')));
    check(rows.length === 3, `three dates: ${rows}`);
    check(rows.every((r) => /Série/.test(r)), `each marked as a series: ${rows}`);
    check(rows.filter((r) => /10:00 – 12:00/.test(r)).length === 2 && rows.some((r) => /10 nov.*14:00 – 16:00/.test(r)),
      `two at 10:00 in Paris, the moved one on 10 November at 14:00: ${rows}`);
    check(!rows.some((r) => /2 nov/.test(r)), 'the skipped date is not booked');
    await axeCheck(page, 'a series among the requests');

    // Its first date's history stays open while LLV approves that date: the page follows the
    // change live and the history, still open with the focus on its button, reads it too.
    const first = (await page.$$eval('#mine-rows tr[data-id]', (xs) => xs.map((x) => x.dataset.id)))[0];
    await page.click(`[data-history="${first}"]`);
    await page.waitForSelector(`[data-history-of="${first}"]:not([hidden]) .history li`);
    check((await s.api('POST', `/api/reservations/${first}/approve`, { scope: 'one' }, await s.token(LLV))).status === 200, 'LLV approves the first date');
    await page.waitForFunction((id) => !!document.querySelector(`#mine-rows tr[data-id="${id}"] .status.approved`), first);
    await page.waitForFunction((id) => /acceptée/.test(document.querySelector(`[data-history-of="${id}"]`).textContent), first);
    check(await page.isVisible(`[data-history-of="${first}"]`), 'the history is still open');
    check(await page.getAttribute(`[data-history="${first}"]`, 'aria-expanded') === 'true', 'its button says so');
    check(await page.evaluate(() => document.activeElement?.dataset?.history) === first, 'the focus is still on its button');

    // From Montréal, the same dates read in Paris time.
    const away = await b.newContext({ timezoneId: 'America/Montreal', locale: 'fr-FR', bypassCSP: true });
    const far = await away.newPage();
    await signIn(far, s, MEMBER);
    await far.goto(`${s.url}/#/mine`);
    await far.waitForSelector('#mine-rows .series-tag');
    const farRows = await far.$$eval('#mine-rows tr[data-id]', (xs) => xs.map((x) => x.textContent.replace(/\s+/g, ' ')));
    check(farRows.filter((r) => /10:00 – 12:00/.test(r)).length === 2 && farRows.some((r) => /14:00 – 16:00/.test(r)), `Paris time from Montréal: ${farRows}`);
    await away.close();

    // The course ends in October: the rest of the series is cancelled from the second date.
    const second = (await page.$$eval('#mine-rows tr[data-id]', (xs) => xs.map((x) => x.dataset.id)))[1];
    await page.click(`[data-cancel="${second}"]`);
    await page.selectOption(`#cancel-scope-${second}`, 'following');
    await page.click(`[data-confirm-cancel="${second}"]`);
    await page.waitForFunction(() => document.querySelectorAll('#mine-rows .status.cancelled').length === 2);
    const after = await page.$$eval('#mine-rows tr[data-id] .status', (xs) => xs.map((x) => x.className));
    check(after.filter((c) => /approved/.test(c)).length === 1, `the first date stays: ${after}`);
    await page.screenshot({ path: join(shots, 'series-mine.png'), fullPage: true });
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});
