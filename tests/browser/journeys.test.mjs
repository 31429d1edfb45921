// The journeys of the calendar and of LLV's administration, in Debian's Chromium against the
// real creneau: Paris wall-clock time whatever the browser's zone (Paris, Montreal, UTC, over
// a week that crosses the change to summer time), booking by mouse and by keyboard, refusals
// at their field, invitations and one-time links, the first run, a room's hours changing
// live, accessibility (axe-core) and phones (390 px).
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots, axeCheck, noSideScroll, PASSWORD } from './harness.mjs';

const ADMIN = 'direction@llv.fr', ARTOIS = 'claire.martin@univ-artois.fr';

async function site() {
  const s = new Server();
  s.addUser(ADMIN, 'Nadia Direction', 'admin', 'llv');
  s.addUser(ARTOIS, 'Claire Martin', 'member', 'univ-artois');
  await s.start();
  return s;
}

// The calendar on one room's week holding `day` (YYYY-MM-DD).
async function roomWeek(page, room, day) {
  await page.goto(`${page.url().split('#')[0]}#/calendar?date=${day}`);
  await page.waitForSelector('#view-calendar:not([hidden])');
  await page.selectOption('#cal-room', room);
  await page.click('[data-view="resourceTimeGridWeek"]');
  // The column heads read "ven. 26/03" (or "Fri 26/03").
  await page.waitForFunction((d) => {
    const [, m, dd] = d.split('-');
    return [...document.querySelectorAll('#calendar .ec-col-head')].some((h) => h.textContent.includes(`${dd}/${m}`));
  }, day);
  await page.waitForTimeout(300);
}

// Drags on the calendar from `from` to `to` (HH:MM, Paris) on the `nth` day column (0: Monday).
async function drag(page, nth, from, to) {
  const box = await page.evaluate((n) => {
    const cols = [...document.querySelectorAll('#calendar .ec-body .ec-day')].filter((c) => c.getBoundingClientRect().width > 0);
    const r = cols[n].getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + window.scrollY, h: r.height };
  }, nth);
  // 07:00 to 23:00: 16 hours in the column's height.
  const yOf = (hm) => { const [h, m] = hm.split(':').map(Number); return box.y + ((h - 7) + m / 60) * (box.h / 16); };
  await page.evaluate((y) => window.scrollTo(0, y - 200), box.y);
  const scroll = await page.evaluate(() => window.scrollY);
  await page.mouse.move(box.x, yOf(from) - scroll + 3);
  await page.mouse.down();
  await page.mouse.move(box.x, yOf(to) - scroll - 8, { steps: 8 });
  await page.mouse.up();
}

for (const zone of ['Europe/Paris', 'America/Montreal', 'UTC']) {
  test(`in ${zone}: a member books by mouse and by keyboard over the change to summer time, and sees Paris hours`, async () => {
    const s = await site();
    const b = await browser();
    try {
      const ctx = await b.newContext({ timezoneId: zone, viewport: { width: 1366, height: 900 } });
      const page = await ctx.newPage();
      await signIn(page, s, ARTOIS);
      // The week of 22 March 2027: Paris goes to summer time on Sunday the 28th (Montreal
      // did on the 14th). Friday the 26th is in winter time, Monday the 29th in summer time.
      await roomWeek(page, 'meeting-room', '2027-03-26');
      await drag(page, 4, '10:00', '12:00');  // Friday
      await page.waitForSelector('#view-request:not([hidden])');
      check(await page.inputValue('#rq-start') === '2027-03-26T10:00', `mouse start in ${zone}: ${await page.inputValue('#rq-start')}`);
      check(await page.inputValue('#rq-end') === '2027-03-26T12:00', `mouse end in ${zone}: ${await page.inputValue('#rq-end')}`);
      await page.fill('#rq-title', 'Comité de pilotage');
      await page.click('#request-form button[type=submit]');
      await page.waitForSelector('#request-result .status.pending');
      // The quote stays the request's own: no refusal for the slot it just took.
      check(!(await page.$('#quote .error')), 'a red quote after one’s own request');

      // By keyboard: the free slots of Monday 29 March (summer time), as buttons.
      await page.goto(`${s.url}/#/calendar`);
      await page.focus('#free-room');
      await page.selectOption('#free-room', 'meeting-room');
      await page.fill('#free-day', '2027-03-29');
      await page.dispatchEvent('#free-day', 'change');
      await page.waitForSelector('#free-list button');
      const first = await page.textContent('#free-list li:first-child button');
      check(/08:00|8:00/.test(first), `the first free slot of the day starts at opening: ${first}`);
      await page.focus('#free-list li:first-child button');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#view-request:not([hidden])');
      check((await page.inputValue('#rq-start')) === '2027-03-29T08:00', `keyboard start in ${zone}: ${await page.inputValue('#rq-start')}`);
      await page.fill('#rq-end', '2027-03-29T09:30');
      await page.fill('#rq-title', 'Réunion du lundi');
      // 02:30 on Sunday 28 March does not exist in Paris (the clocks go from 02:00 to 03:00):
      // the form says so at the field rather than book 03:30 in its place.
      const monday = await page.inputValue('#rq-start');
      await page.fill('#rq-start', '2027-03-28T02:30');
      await page.focus('#rq-title');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#rq-start[aria-invalid="true"]');
      const skipped = await page.textContent('#rq-start-error');
      check(/n’existe pas à Paris/.test(skipped), `the skipped hour in ${zone}: ${skipped}`);
      check(!(await page.$('#request-result .status')), `nothing was requested for the skipped hour in ${zone}`);
      // The same rules read directly: the hour October repeats is read as its first (summer
      // time), as the server reads it; a year the browser misread is no skipped hour.
      const read = await page.evaluate(async () => {
        const t = await import('/js/time.js');
        return [t.localInputToUtc('2027-10-31T02:30'), t.localInputToUtc('2027-10-31T03:00'), t.localInputToUtc('2027-03-28T03:00'),
          t.skippedInParis('2027-03-28T02:59'), t.skippedInParis('2027-03-28T03:00'), t.skippedInParis('0027-03-09T09:00'), t.skippedInParis('')];
      });
      check(JSON.stringify(read) === JSON.stringify(['2027-10-31T00:30:00Z', '2027-10-31T02:00:00Z', '2027-03-28T01:00:00Z', true, false, false, false]), `time.js in ${zone}: ${JSON.stringify(read)}`);
      // The hour October repeats is said: a note at the field, which of the two is read, and the
      // offset beside each of its instants wherever one is shown.
      await page.fill('#rq-start', '2027-10-31T02:30');
      await page.waitForSelector('#rq-start-note');
      const note = await page.textContent('#rq-start-note');
      check(/deux fois/.test(note) && /UTC\+2/.test(note), `the repeated hour's note in ${zone}: ${note}`);
      check((await page.getAttribute('#rq-start', 'aria-describedby') || '').split(' ').includes('rq-start-note'), `the note is the field's description in ${zone}`);
      const repeated = await page.evaluate(async () => {
        const t = await import('/js/time.js');
        return [t.repeatedInParis('2027-10-31T02:00'), t.repeatedInParis('2027-10-31T02:59'), t.repeatedInParis('2027-10-31T01:59'),
          t.repeatedInParis('2027-10-31T03:00'), t.repeatedInParis('2027-03-28T02:30'), t.repeatedInParis(''),
          t.showTime('2027-10-31T00:30:00Z'), t.showTime('2027-10-31T01:30:00Z'), t.showTime('2027-10-31T02:30:00Z'),
          t.showWhen('2027-10-31T00:30:00Z', '2027-10-31T02:30:00Z')];
      });
      check(JSON.stringify(repeated.slice(0, 6)) === JSON.stringify([true, true, false, false, false, false]), `repeatedInParis in ${zone}: ${repeated}`);
      check(repeated[6] === '02:30 (UTC+2)' && repeated[7] === '02:30 (UTC+1)' && repeated[8] === '03:30', `the repeated hour's instants in ${zone}: ${repeated.slice(6, 9)}`);
      check(/02:30 \(UTC\+2\) – 03:30$/.test(repeated[9]), `a booking over the repeated hour in ${zone}: ${repeated[9]}`);
      await page.fill('#rq-start', monday);
      check(!(await page.$('#rq-start-note')), `the note goes with the repeated hour in ${zone}`);
      await page.focus('#rq-title');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#request-result .status.pending');

      // Both shown at their Paris hours, in the week view and in the list of the request.
      await roomWeek(page, 'meeting-room', '2027-03-26');
      await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event.pending').length === 1);
      const time = await page.textContent('#calendar .ec-event.pending .ec-event-time');
      check(/10:00/.test(time) && /12:00/.test(time), `Friday's booking drawn at ${time} in ${zone}`);
      await page.screenshot({ path: join(shots, `week-${zone.replace('/', '-')}.png`), fullPage: true });
      await page.goto(`${s.url}/#/mine`);
      await page.waitForSelector('#mine-rows tr[data-id]');
      const rows = await page.$$eval('#mine-rows tr[data-id] td:nth-child(2)', (tds) => tds.map((x) => x.textContent));
      check(rows.some((r) => /10:00.*12:00/.test(r)) && rows.some((r) => /08:00.*09:30/.test(r)), `my requests in ${zone}: ${rows}`);
      await ctx.close();
    } finally { await b.close(); await s.stop(); }
  });
}

test('the calendar shades closed hours and buffers, refuses a selection over them, and speaks English', async () => {
  const s = await site();
  const b = await browser();
  try {
    const token = await s.token(ARTOIS);
    const made = await s.api('POST', '/api/reservations', { resource: 'atrium', layout: 'plenary', attendees: 50, title: 'Conférence',
      start: '2027-03-10T09:00:00+01:00', end: '2027-03-10T12:00:00+01:00' }, token);
    check(made.status === 201, `booking: ${JSON.stringify(made.body)}`);
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, s, ARTOIS);
    await roomWeek(page, 'atrium', '2027-03-10');
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event.pending').length === 1);
    check((await page.$$('#calendar .ec-bg-event.closed')).length > 0, 'closed hours are shaded');
    const atrium = (await (await fetch(`${s.url}/api/resources/atrium`)).json());
    if (atrium.setup_minutes || atrium.cleanup_minutes) check((await page.$$('#calendar .ec-bg-event.buffer')).length > 0, 'buffers are drawn');
    // Selecting over the booking's clean-up hour is refused with its reason, and the form
    // is not opened; so is a selection on Sunday, when the Atrium is closed.
    await drag(page, 2, '12:00', '13:00');
    await page.waitForSelector('#cal-message:not([hidden])');
    check(/réservée/.test(await page.textContent('#cal-message')), await page.textContent('#cal-message'));
    check(await page.isHidden('#view-request'), 'the form opened on a taken slot');
    await drag(page, 6, '10:00', '11:00');
    await page.waitForFunction(() => /fermée/.test(document.getElementById('cal-message').textContent));
    check(await page.isHidden('#view-request'), 'the form opened on a closed day');
    await page.screenshot({ path: join(shots, 'calendar-closed-buffers.png'), fullPage: true });
    // English: the calendar's own words too.
    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('#calendar .ec-parisToday')?.textContent === 'Today');
    const head = await page.textContent('#calendar .ec-header');
    check(/Wed|Mon/.test(head), `English day names: ${head}`);
    check(/Pending/.test(await page.textContent('#calendar .ec-event.pending')), 'the event speaks English');
    await page.click('#lang');
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('the MuséoLab hours awaiting a decision count in the next quote and on the usage page', async () => {
  const s = await site();
  const b = await browser();
  try {
    const token = await s.token(ARTOIS);
    const made = await s.api('POST', '/api/reservations', { resource: 'museolab', attendees: 2, title: 'Atelier impression 3D',
      start: '2027-03-10T09:00:00+01:00', end: '2027-03-10T12:30:00+01:00' }, token);
    check(made.status === 201 && made.body.status === 'pending', `appointment: ${JSON.stringify(made.body)}`);
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, s, ARTOIS);
    await page.goto(`${s.url}/#/request`);
    await page.selectOption('#rq-resource', 'museolab');
    await page.fill('#rq-attendees', '2');
    await page.fill('#rq-start', '2027-03-11T09:00');
    await page.fill('#rq-end', '2027-03-11T10:00');
    await page.fill('#rq-title', 'Découpe laser');
    await page.waitForFunction(() => /0\sh utilisées et 3,5\sh demandées en attente de décision, sur 400\sh/.test(document.getElementById('quote').textContent), null, { timeout: 10000 });
    await page.goto(`${s.url}/#/usage`);
    await page.waitForSelector('#us-year option', { state: 'attached' });
    await page.selectOption('#us-year', '2027');
    await page.waitForFunction(() => /3,5\sh demandées en attente de décision/.test(document.getElementById('us-hours').textContent), null, { timeout: 10000 });
    await ctx.close();
    // LLV's approvals show the year's hours as they stand, beside the appointment.
    const llvCtx = await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1366, height: 900 } });
    const llv = await llvCtx.newPage();
    await signIn(llv, s, ADMIN);
    await llv.goto(`${s.url}/#/admin`);
    await llv.waitForSelector('#admin-rows tr[data-id]');
    const row = () => llv.textContent(`#admin-rows tr[data-id="${made.body.id}"]`).then((x) => x.replace(/\s+/g, ' '));
    await llv.waitForFunction(() => /Heures MuséoLab 2027 : 0 h sur 400 h utilisées, 3,5 h en attente de décision/.test(document.getElementById('admin-rows').textContent.replace(/\s+/g, ' ')), null, { timeout: 10000 })
      .catch(async () => check(false, `the hours on the approvals page: ${await row()}`));
    await llvCtx.close();
  } finally { await b.close(); await s.stop(); }
});

test('the approvals say what each quote bills, and the year’s free bookings as they stand now', async () => {
  const s = await site();
  const b = await browser();
  try {
    const token = await s.token(ARTOIS);
    const ids = [];
    for (const day of ['10', '11']) {
      const made = await s.api('POST', '/api/reservations', { resource: 'atrium', layout: 'plenary', attendees: 50, title: `Conférence du ${day}`,
        start: `2027-03-${day}T09:00:00+01:00`, end: `2027-03-${day}T12:00:00+01:00` }, token);
      check(made.status === 201 && made.body.quote.free, `free booking: ${JSON.stringify(made.body)}`);
      ids.push(made.body.id);
    }
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, s, ADMIN);
    await page.goto(`${s.url}/#/admin`);
    await page.waitForFunction(() => document.querySelectorAll('#admin-rows tr[data-id]').length === 2);
    const quotes = () => page.$$eval('#admin-rows tr[data-id] td:nth-child(5)', (tds) => tds.map((x) => x.textContent.replace(/\s+/g, ' ')));
    for (const q of await quotes()) {
      check(/Mise à disposition gratuite — frais de service facturés/.test(q), `a free booking with its fees: ${q}`);
      check(/Gratuités 2027 : 0 sur 2 accordées, 2 en attente de décision/.test(q), `the allowance now, not when asked: ${q}`);
    }
    // One is refused elsewhere: the other row follows, live.
    check((await s.api('POST', `/api/reservations/${ids[1]}/refuse`, { reason: 'Travaux' }, await s.token(ADMIN))).status === 200, 'refused');
    await page.waitForFunction(() => document.querySelectorAll('#admin-rows tr[data-id]').length === 1);
    await page.waitForFunction(() => /Gratuités 2027 : 0 sur 2 accordées, 1 en attente de décision/.test(document.getElementById('admin-rows').textContent), null, { timeout: 10000 });
    // Another approved: granted, no longer awaiting.
    const third = await s.api('POST', '/api/reservations', { resource: 'atrium', layout: 'plenary', attendees: 50, title: 'Conférence du 12',
      start: '2027-03-12T09:00:00+01:00', end: '2027-03-12T12:00:00+01:00' }, token);
    check(third.status === 201 && third.body.quote.free, `a free booking again: ${JSON.stringify(third.body)}`);
    check((await s.api('POST', `/api/reservations/${ids[0]}/approve`, {}, await s.token(ADMIN))).status === 200, 'approved');
    await page.waitForFunction((id) => document.querySelectorAll('#admin-rows tr[data-id]').length === 1 && document.querySelector(`#admin-rows tr[data-id="${id}"]`), third.body.id);
    await page.waitForFunction(() => /Gratuités 2027 : 1 sur 2 accordées, 1 en attente de décision/.test(document.getElementById('admin-rows').textContent), null, { timeout: 10000 });
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('refusals are shown translated at their field', async () => {
  const s = await site();
  const b = await browser();
  try {
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await signIn(page, s, ARTOIS);
    await page.goto(`${s.url}/#/request`);
    await page.selectOption('#rq-resource', 'meeting-room');
    await page.fill('#rq-attendees', '40');
    await page.fill('#rq-start', '2027-03-15T09:00');
    await page.fill('#rq-end', '2027-03-15T08:00');
    await page.click('#request-form button[type=submit]');
    check(await page.getAttribute('#rq-attendees', 'aria-invalid') === 'true', 'capacity checked at the field');
    check(await page.getAttribute('#rq-end', 'aria-invalid') === 'true', 'end before start checked at the field');
    check(await page.getAttribute('#rq-title', 'aria-invalid') === 'true', 'a missing title checked at the field');
    check((await page.getAttribute('#rq-end', 'aria-describedby')).includes('rq-end-error'), 'the message is tied to the field');
    // A refusal only the server can make: the room is closed on Sunday.
    await page.fill('#rq-attendees', '10');
    await page.fill('#rq-start', '2027-03-14T09:00');
    await page.fill('#rq-end', '2027-03-14T10:00');
    await page.fill('#rq-title', 'Dimanche');
    await page.click('#request-form button[type=submit]');
    await page.waitForSelector('#rq-start[aria-invalid="true"]');
    const said = await page.textContent('#rq-start-error');
    check(/fermée/.test(said), `the closed refusal in French at the start field: ${said}`);
    await page.screenshot({ path: join(shots, 'request-refused-at-field.png'), fullPage: true });
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('an administrator invites a member, who sets a password through the link and signs in', async () => {
  const s = await site();
  const b = await browser();
  try {
    const adminCtx = await b.newContext({ timezoneId: 'Europe/Paris' });
    const admin = await adminCtx.newPage();
    await signIn(admin, s, ADMIN);
    await admin.goto(`${s.url}/#/accounts`);
    await admin.waitForSelector('#acc-rows tr');
    await admin.fill('#acc-name', 'Camille Nouvelle');
    await admin.fill('#acc-email', 'camille@univ-artois.fr');
    await admin.selectOption('#acc-role', 'member');
    await admin.selectOption('#acc-org', 'univ-artois');
    await admin.click('#acc-form button[type=submit]');
    await admin.waitForSelector('#acc-link-url');
    const link = await admin.inputValue('#acc-link-url');
    check(/#\/welcome\/[A-Za-z0-9_-]+$/.test(link), `the invitation link: ${link}`);
    await admin.waitForFunction(() => [...document.querySelectorAll('#acc-rows tr')].some((r) => r.textContent.includes('camille@univ-artois.fr')));
    await admin.screenshot({ path: join(shots, 'accounts-invited.png'), fullPage: true });
    // The same address twice: refused at the e-mail field.
    await admin.fill('#acc-name', 'Camille Bis');
    await admin.fill('#acc-email', 'camille@univ-artois.fr');
    await admin.selectOption('#acc-org', 'univ-artois');
    await admin.click('#acc-form button[type=submit]');
    await admin.waitForSelector('#acc-email[aria-invalid="true"]');

    const newCtx = await b.newContext({ timezoneId: 'Europe/Paris' });
    const camille = await newCtx.newPage();
    await camille.goto(link.replace(/^http:\/\/[^/]+/, s.url));
    await camille.waitForSelector('#link-form:not([hidden])');
    check(/Camille Nouvelle/.test(await camille.textContent('#link-title')), 'the welcome names the person');
    await camille.fill('#link-password', 'court');
    await camille.fill('#link-again', 'court');
    await camille.click('#link-form button[type=submit]');
    check(await camille.getAttribute('#link-password', 'aria-invalid') === 'true', 'a short password refused at the field');
    await camille.fill('#link-password', 'mon-nouveau-mot-de-passe');
    await camille.fill('#link-again', 'mon-nouveau-mot-de-passe');
    await Promise.all([camille.waitForEvent('load'), camille.click('#link-form button[type=submit]')]);
    await camille.waitForFunction(() => /Camille Nouvelle/.test(document.getElementById('who').textContent));
    // The link works once.
    await camille.goto(link.replace(/^http:\/\/[^/]+/, s.url));
    await camille.waitForFunction(() => /expir|used|utilisé/.test(document.getElementById('link-title').textContent));

    // Disabled by the administrator: Camille's page loses its session.
    await admin.goto(`${s.url}/#/accounts`);
    await admin.waitForSelector('#acc-rows tr');
    const row = admin.locator('#acc-rows tr', { hasText: 'camille@univ-artois.fr' });
    await row.locator('[data-toggle]').click();
    await admin.waitForFunction(() => [...document.querySelectorAll('#acc-rows tr')].some((r) => r.textContent.includes('camille@univ-artois.fr') && r.querySelector('.account.disabled')));
    const me = await camille.evaluate(async () => (await fetch('/api/me')).status);
    check(me === 401, `a disabled account keeps its session: ${me}`);
    await adminCtx.close(); await newCtx.close();
  } finally { await b.close(); await s.stop(); }
});

test('a page whose session ended elsewhere says so, shows the visitor’s menu and keeps what was typed', async () => {
  const s = await site();
  const b = await browser();
  try {
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR' });
    const other = await ctx.newPage();
    await signIn(other, s, ARTOIS);
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/request`);
    await page.waitForSelector('#live[data-state="live"]');
    await page.waitForFunction(() => /Claire Martin/.test(document.getElementById('who').textContent));
    await page.fill('#rq-title', 'Séminaire du laboratoire');
    // A third tab shows the organisation's requests, with nothing typed in it.
    await s.api('POST', '/api/reservations', { resource: 'meeting-room', layout: 'meeting', attendees: 6, start: '2027-03-16T08:00:00Z', end: '2027-03-16T09:00:00Z', title: 'Jury de thèse' }, await s.token(ARTOIS));
    const mine = await ctx.newPage();
    await mine.goto(`${s.url}/#/mine`);
    await mine.waitForFunction(() => /Jury de thèse/.test(document.getElementById('view-mine').textContent));
    await mine.waitForSelector('#live[data-state="live"]');
    // Signed out in another tab: the server closes this page's live channel (1008).
    await Promise.all([other.waitForEvent('load'), other.click('#signout')]);
    await page.waitForSelector('#session-ended:not([hidden])', { timeout: 10000 });
    // The tab that only showed what the session may see no longer shows it (a shared computer):
    // it offers to sign in again, and comes back to the list once signed in.
    await mine.waitForSelector('#session-ended:not([hidden])', { timeout: 10000 });
    await mine.waitForSelector('#view-signin:not([hidden])');
    check(await mine.isHidden('#view-mine'), 'the requests are no longer on screen');
    check(!/Jury de thèse/.test(await mine.evaluate(() => document.body.innerText)), 'no request title left visible');
    await mine.close();
    check(/session a pris fin/.test(await page.textContent('#session-ended')), `the notice: ${await page.textContent('#session-ended')}`);
    check(await page.textContent('#who') === '', 'no name in the header');
    check(await page.isHidden('#signout'), 'no sign-out button');
    check(await page.isHidden('#nav a[href="#/mine"]'), 'no member menu');
    check(await page.inputValue('#rq-title') === 'Séminaire du laboratoire', 'what was typed stays on the page');
    await page.screenshot({ path: join(shots, 'session-ended.png'), fullPage: true });
    // Signing in again from the notice comes back to the page it was on.
    await page.click('#session-ended a');
    await page.waitForSelector('#view-signin:not([hidden])');
    await page.waitForFunction(() => document.activeElement?.id === 'signin-email');
    await page.keyboard.type(ARTOIS);
    await page.fill('#signin-password', PASSWORD);
    await Promise.all([page.waitForEvent('load'), page.click('#signin-form button[type=submit]')]);
    await page.waitForSelector('#view-request:not([hidden])');
    check(await page.isHidden('#session-ended'), 'the notice is gone once signed in');
    await page.waitForSelector('#live[data-state="live"]');

    // A session the server no longer knows, found by a read (401): the same.
    await ctx.clearCookies();
    await page.goto(`${s.url}/#/mine`);
    await page.waitForSelector('#session-ended:not([hidden])', { timeout: 10000 });
    check(await page.textContent('#who') === '', 'no name in the header after a 401');
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('a tab whose session ended notices a sign-in in another tab once it is back: the same person carries on, another gets a fresh page', async () => {
  const s = await site();
  const b = await browser();
  try {
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR' });
    const other = await ctx.newPage();
    await signIn(other, s, ARTOIS);
    await s.api('POST', '/api/reservations', { resource: 'meeting-room', layout: 'meeting', attendees: 6, start: '2027-03-16T08:00:00Z', end: '2027-03-16T09:00:00Z', title: 'Jury de thèse' }, await s.token(ARTOIS));
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/mine`);
    await page.waitForFunction(() => /Jury de thèse/.test(document.getElementById('view-mine').textContent));
    await page.waitForSelector('#live[data-state="live"]');
    // A third tab with a request being typed: its view stays through it all.
    const typing = await ctx.newPage();
    await typing.goto(`${s.url}/#/request`);
    await typing.waitForSelector('#live[data-state="live"]');
    await typing.fill('#rq-title', 'Séminaire du laboratoire');
    const endedHere = async () => {
      await Promise.all([other.waitForEvent('load'), other.click('#signout')]);
      await page.waitForSelector('#session-ended:not([hidden])', { timeout: 10000 });
      await page.waitForSelector('#view-signin:not([hidden])');
    };
    // Signed out in the other tab, then in again as the same person there.
    await endedHere();
    await typing.waitForSelector('#session-ended:not([hidden])', { timeout: 10000 });
    await signIn(other, s, ARTOIS);
    // Nothing changes in this tab while it is not looked at.
    check(await page.textContent('#who') === '', 'the header waits for the tab to be back');
    // Back to it: the requests, the header and the menus are back, the notice gone.
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.waitForSelector('#view-mine:not([hidden])', { timeout: 10000 });
    await page.waitForFunction(() => /Jury de thèse/.test(document.getElementById('view-mine').textContent));
    await page.waitForFunction(() => /Claire Martin/.test(document.getElementById('who').textContent));
    check(await page.isHidden('#session-ended'), 'the notice is gone');
    check(await page.isVisible('#signout'), 'the sign-out button is back');
    check(await page.isVisible('#nav a[href="#/mine"]'), 'the member menu is back');
    check(await page.evaluate(() => location.hash) === '#/mine', `still on its page: ${await page.evaluate(() => location.hash)}`);
    await page.waitForSelector('#live[data-state="live"]');
    // The tab being typed in, back through a `visibilitychange` event alone (the app's other
    // way of noticing a tab is back): its header is back, and what was typed is still there.
    await typing.bringToFront();
    check(await typing.evaluate(() => document.visibilityState) === 'visible', 'the typing tab is shown');
    await typing.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await typing.waitForFunction(() => /Claire Martin/.test(document.getElementById('who').textContent));
    check(await typing.isHidden('#session-ended'), 'the typing tab’s notice is gone');
    check(await typing.isVisible('#view-request'), 'the typing tab still shows its request');
    check(await typing.inputValue('#rq-title') === 'Séminaire du laboratoire', 'what was typed is still there');
    await typing.close();
    // Its live channel carries the session again: the next sign-out elsewhere ends it here too.
    await endedHere();
    // Another person signs in elsewhere: this tab, once back, is a fresh page of theirs.
    await signIn(other, s, ADMIN);
    const loaded = page.waitForEvent('load', { timeout: 10000 });
    await page.bringToFront();
    // (Its reload may already have begun: the page it was sent to is then gone.)
    await page.evaluate(() => window.dispatchEvent(new Event('focus'))).catch(() => {});
    await loaded;
    await page.waitForFunction(() => /Nadia Direction/.test(document.getElementById('who').textContent));
    check(await page.isHidden('#session-ended'), 'no notice on the fresh page');
    check(!/Claire Martin/.test(await page.textContent('#who')), 'the first person is gone from the header');
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('first run: the set-up link printed on start creates the first administrator in the browser', async () => {
  const s = new Server();
  await s.start();
  const b = await browser();
  try {
    const m = /"setup_url":"([^"]+)"/.exec(s.log);
    check(m, `no set-up link in the log: ${s.log}`);
    const url = m[1].replace(/^http:\/\/[^/]+/, s.url);
    const page = await (await b.newContext({ timezoneId: 'Europe/Paris' })).newPage();
    await page.goto(url);
    await page.waitForSelector('#setup-form:not([hidden])');
    await page.fill('#setup-name', 'Nadia Direction');
    await page.fill('#setup-email', ADMIN);
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-again', PASSWORD);
    await page.screenshot({ path: join(shots, 'first-run.png'), fullPage: true });
    await Promise.all([page.waitForEvent('load'), page.click('#setup-form button[type=submit]')]);
    await page.waitForFunction(() => /Nadia Direction/.test(document.getElementById('who').textContent));
    check(await page.isVisible('a[href="#/accounts"]'), 'the new administrator reaches the accounts');
    await page.goto(url);
    await page.waitForFunction(() => /déjà|already/.test(document.getElementById('setup-said').textContent));
  } finally { await b.close(); await s.stop(); }
});

test('LLV edits a room’s hours and closures in the catalogue screen, and an open calendar redraws live', async () => {
  const s = await site();
  const b = await browser();
  try {
    const watcher = await (await b.newContext({ timezoneId: 'America/Montreal', viewport: { width: 1366, height: 900 } })).newPage();
    await watcher.goto(`${s.url}/#/calendar`);
    await watcher.waitForSelector('#live[data-state="live"]');
    await roomWeek(watcher, 'meeting-room', '2027-03-10');
    // Whether Wednesday at 14:00 (Paris) is shaded closed: what lies under that point.
    const closedAt14 = () => watcher.evaluate(() => {
      const col = [...document.querySelectorAll('#calendar .ec-body .ec-day')][2].getBoundingClientRect();
      const y = col.y + (14 - 7) * (col.height / 16) + 5;
      const x = col.x + col.width / 2;
      return [...document.querySelectorAll('#calendar .ec-bg-event.closed')].some((e) => {
        const r = e.getBoundingClientRect();
        return r.left <= x && x <= r.right && r.top <= y && y <= r.bottom;
      });
    });
    check(!(await closedAt14()), 'Wednesday afternoon open before the change');

    const admin = await (await b.newContext({ timezoneId: 'Europe/Paris' })).newPage();
    await signIn(admin, s, ADMIN);
    const adminToken = await s.token(ADMIN);
    const token = () => adminToken;
    await admin.goto(`${s.url}/#/catalogue`);
    await admin.waitForSelector('#res-form');
    await admin.selectOption('#cat-pick', 'meeting-room');
    await admin.waitForFunction(() => document.getElementById('res-name').value === 'Salle de réunion');
    // A wrong range is refused at its field before sending.
    await admin.fill('#res-h-wed', '14:00-12:00');
    await admin.click('#res-form button[type=submit]');
    check(await admin.getAttribute('#res-h-wed', 'aria-invalid') === 'true', 'a bad range is marked');
    await admin.fill('#res-h-wed', '08:00-12:00');
    await admin.click('#res-add-closure');
    await admin.fill('#clo-start-0', '2027-03-11T08:00');
    await admin.fill('#clo-end-0', '2027-03-11T20:00');
    await admin.fill('#clo-reason-0', 'Travaux');
    await admin.click('#res-form button[type=submit]');
    await admin.waitForSelector('#res-form .saved:text-matches("Enregistré")');
    await admin.screenshot({ path: join(shots, 'catalogue-room.png'), fullPage: true });

    // The watcher's Wednesday now closes at noon, and Thursday shows the closure.
    await watcher.waitForFunction(() => document.querySelectorAll('#calendar .ec-bg-event.closure').length > 0, null, { timeout: 3000 });
    await watcher.waitForFunction(() => {
      const col = [...document.querySelectorAll('#calendar .ec-body .ec-day')][2].getBoundingClientRect();
      const x = col.x + col.width / 2, y = col.y + 7 * (col.height / 16) + 5;
      return [...document.querySelectorAll('#calendar .ec-bg-event.closed')].some((e) => {
        const r = e.getBoundingClientRect();
        return r.left <= x && x <= r.right && r.top <= y && y <= r.bottom;
      });
    }, null, { timeout: 3000 });
    await watcher.screenshot({ path: join(shots, 'calendar-hours-live.png'), fullPage: true });
    const room = await (await fetch(`${s.url}/api/resources/meeting-room`)).json();
    check(JSON.stringify(room.hours.wed) === '[["08:00","12:00"]]', `hours saved: ${JSON.stringify(room.hours.wed)}`);
    check(room.closures.some((c) => c.reason === 'Travaux' && c.start === '2027-03-11T07:00:00Z'), `closure saved in Paris time: ${JSON.stringify(room.closures)}`);
    // A closure from 02:30 (summer time) on the night October repeats that hour, saved
    // elsewhere: the screen draws it with a note at the field that holds that hour alone.
    const night = { ...room, closures: [...room.closures, { start: '2027-10-31T00:30:00Z', end: '2027-10-31T02:30:00Z', reason: 'Maintenance' }] };
    check((await s.api('PUT', '/api/resources/meeting-room', night, adminToken)).status === 200, 'a night closure saved');
    await admin.goto(`${s.url}/#/calendar`);
    await admin.goto(`${s.url}/#/catalogue`);
    await admin.waitForSelector('#res-form');
    await admin.selectOption('#cat-pick', 'meeting-room');
    await admin.waitForFunction(() => document.querySelectorAll('#res-closures input[type="datetime-local"]').length === 4);
    const notes = await admin.$$eval('#res-closures .field-note', (ps) => ps.map((p) => [p.id, p.textContent]));
    check(notes.length === 1 && /-start-\d-note$/.test(notes[0][0]) && /deux fois/.test(notes[0][1]), `the repeated hour's note where the closure is drawn: ${JSON.stringify(notes)}`);
    // A new room, created in the same screen, appears in the open calendar's room picker.
    await admin.fill('#res-new-id', 'salle-projet');
    await admin.fill('#res-new-name', 'Salle projet');
    await admin.click('#res-new button[type=submit]');
    await admin.waitForFunction(() => document.getElementById('res-name')?.value === 'Salle projet');
    await watcher.waitForFunction(() => [...document.querySelectorAll('#cal-room option')].some((o) => o.value === 'salle-projet'), null, { timeout: 3000 });
    // An agreement and a tariff grid are edited there too.
    await admin.click('[data-cat-tab="agreements"]');
    await admin.waitForSelector('#agr-form');
    await admin.selectOption('#cat-pick', 'artois-llv-2026');
    await admin.waitForFunction(() => /Artois/.test(document.getElementById('agr-name').value));
    await admin.fill('#agr-free-meeting-room', '5');
    await admin.click('#agr-form button[type=submit]');
    await admin.waitForSelector('#agr-form .saved:text-matches("Enregistré")');
    const agreement = (await s.api('GET', '/api/agreements/artois-llv-2026', null, token())).body;
    check(agreement.resources?.['meeting-room']?.free_per_year === 5, `allowance saved: ${JSON.stringify(agreement)}`);
    await admin.click('[data-cat-tab="grids"]');
    await admin.waitForSelector('#grid-form');
    await admin.fill('#p-meeting-room-hour-member', 'trente');
    await admin.click('#grid-form button[type=submit]');
    check(await admin.getAttribute('#p-meeting-room-hour-member', 'aria-invalid') === 'true', 'a bad amount is marked at its field');
    await admin.fill('#p-meeting-room-hour-member', '37,50');
    await admin.click('#grid-form button[type=submit]');
    await admin.waitForSelector('#grid-form .saved:text-matches("Enregistré")');
    const grid = (await (await fetch(`${s.url}/api/tariff-grids`)).json()).find((g) => g.id === 'llv');
    check(grid.prices['meeting-room'].hour.member === 3750, `price saved in cents: ${JSON.stringify(grid.prices['meeting-room'].hour)}`);
    // The changes are in the audit trail.
    await admin.goto(`${s.url}/#/audit`);
    await admin.waitForFunction(() => /Salle modifiée/.test(document.getElementById('audit-rows').textContent)
      && /Convention modifiée/.test(document.getElementById('audit-rows').textContent));
  } finally { await b.close(); await s.stop(); }
});

test('moving to another view by its link puts the keyboard on the view’s heading; a free slot chosen, on the request’s first field', async () => {
  const s = await site();
  const b = await browser();
  try {
    const page = await (await b.newContext({ timezoneId: 'Europe/Paris' })).newPage();
    await signIn(page, s, ARTOIS);
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      return { id: a?.id || '', tag: a?.tagName || '', view: a?.closest('section[id^="view-"]')?.id || '', text: (a?.textContent || '').trim() };
    });
    for (const [link, view] of [['#/events', 'events'], ['#/request', 'request'], ['#/mine', 'mine'], ['#/usage', 'usage'], ['#/account', 'account'], ['#/calendar', 'calendar']]) {
      await page.focus(`#nav a[href="${link}"]`);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`#view-${view}:not([hidden])`);
      await page.waitForFunction((v) => document.activeElement?.closest(`#view-${v}`), view, { timeout: 5000 }).catch(() => {});
      const f = await focused();
      check(f.view === `view-${view}` && f.tag === 'H2', `after ${link} the focus is on ${JSON.stringify(f)}`);
    }
    // The link of the view one is on moves the keyboard too.
    await page.focus('#nav a[href="#/calendar"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'calendar-title', null, { timeout: 5000 }).catch(() => {});
    check((await focused()).id === 'calendar-title', `Enter on the current view's link: ${JSON.stringify(await focused())}`);
    // A table that scrolls is a keyboard stop that says what it is.
    await page.focus('#nav a[href="#/mine"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'mine-title');
    await page.keyboard.press('Tab');
    // The name a screen reader says: the texts it refers to, else its own label.
    const stopNow = () => page.evaluate(() => {
      const a = document.activeElement;
      const ids = a.getAttribute('aria-labelledby');
      const label = ids ? ids.split(' ').map((i) => document.getElementById(i)?.textContent.trim() || '').join(' ') : a.getAttribute('aria-label');
      return { cls: a.className, label, role: a.getAttribute('role') };
    });
    const stop = await stopNow();
    check(/scroll/.test(stop.cls) && stop.role === 'region' && stop.label === 'Demandes de mon organisation', `the first stop of my requests: ${JSON.stringify(stop)}`);
    // Its name follows the language.
    await page.click('#lang');
    await page.waitForFunction(() => /requests/.test(document.getElementById('mine-title').textContent));
    await page.focus('#view-mine .scroll');
    const english = await stopNow();
    check(english.label === 'My organisation’s requests', `the region's name in English: ${JSON.stringify(english)}`);
    await page.click('#lang');
    await page.waitForFunction(() => /Demandes/.test(document.getElementById('mine-title').textContent));
    // A free slot chosen in the calendar opens the request form in its first field, as before.
    await page.click('#nav a[href="#/calendar"]');
    await page.waitForSelector('#view-calendar:not([hidden])');
    await page.selectOption('#free-room', 'meeting-room');
    await page.fill('#free-day', '2027-03-29');
    await page.dispatchEvent('#free-day', 'change');
    await page.waitForSelector('#free-list button');
    await page.focus('#free-list li:first-child button');
    // The list drawn again under the keyboard (a live change does the same) keeps it on its slot.
    const slot = await page.evaluate(() => document.activeElement.dataset.start);
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/availability')), page.dispatchEvent('#free-day', 'change')]);
    await page.waitForTimeout(200);
    check(await page.evaluate(() => document.activeElement.dataset.start) === slot, 'the free slot keeps the keyboard when the list is drawn again');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#view-request:not([hidden])');
    await page.waitForFunction(() => document.activeElement?.id === 'rq-title');
    await page.waitForTimeout(300);
    check((await focused()).id === 'rq-title', `the request form keeps its first field: ${JSON.stringify(await focused())}`);
    // Tab goes on from the heading into the view, not back to the top of the page.
    await page.focus('#nav a[href="#/account"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'account-title');
    await page.keyboard.press('Tab');
    check((await focused()).view === 'view-account', `Tab from the heading stays in the view: ${JSON.stringify(await focused())}`);
  } finally { await b.close(); await s.stop(); }
});

test('every view: no critical or serious accessibility violation, and nothing scrolls sideways at 390 px', async () => {
  const s = await site();
  const b = await browser();
  const library = new Set();
  try {
    for (const [who, views] of [[null, ['calendar', 'signin']], [ARTOIS, ['calendar', 'request', 'mine', 'usage', 'account']],
      [ADMIN, ['admin', 'accounts', 'catalogue', 'audit']]]) {
      for (const size of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
        // axe-core is injected into the page: the test's context lets it past the CSP.
        const ctx = await b.newContext({ timezoneId: 'Europe/Paris', viewport: size, bypassCSP: true });
        const page = await ctx.newPage();
        if (who) await signIn(page, s, who); else await page.goto(`${s.url}/#/calendar`);
        for (const v of views) {
          await page.goto(`${s.url}/#/${v}`);
          await page.waitForSelector(`#view-${v}:not([hidden])`);
          await page.waitForTimeout(300);
          for (const x of await axeCheck(page, `${v} at ${size.width} px`)) library.add(x.replace(/:.*/, ''));
          await noSideScroll(page, `${v} at ${size.width} px`);
          if (size.width === 390) await page.screenshot({ path: join(shots, `phone-${v}.png`), fullPage: true });
        }
        await ctx.close();
      }
    }
    // The link and set-up pages, as their visitors see them.
    const page = await (await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 390, height: 844 }, bypassCSP: true })).newPage();
    const token = await s.token(ADMIN);
    const inv = await s.api('POST', '/api/users', { email: 'x@univ-artois.fr', name: 'X', role: 'member', organisation: 'univ-artois' }, token);
    await page.goto(`${s.url}${inv.body.link}`);
    await page.waitForSelector('#link-form:not([hidden])');
    await axeCheck(page, 'welcome');
    await noSideScroll(page, 'welcome at 390 px');
    console.log(`calendar library findings (serious or critical): ${[...library].join(', ') || 'none'}`);
  } finally { await b.close(); await s.stop(); }
});
