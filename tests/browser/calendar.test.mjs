// The browser app in Debian's Chromium against the real creneau (playwright-core).
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots } from './harness.mjs';

const ADMIN = 'direction@llv.fr', ARTOIS = 'claire.martin@univ-artois.fr';

async function site() {
  const s = new Server();
  s.addUser(ADMIN, 'Nadia Direction', 'admin', 'llv');
  s.addUser(ARTOIS, 'Claire Martin', 'member', 'univ-artois');
  await s.start();
  return s;
}

// The calendar's events as the page shows them, for one reservation id or all.
const events = (page) => page.$$eval('#calendar .ec-event', (els) => els.map((e) => ({ text: e.textContent, cls: e.className })));

async function showDay(page, day) {
  await page.click('[data-view="resourceTimeGridWeek"]');
  for (let i = 0; i < 120; i++) {
    const found = await page.evaluate((d) => [...document.querySelectorAll('#calendar [data-date]')].some((x) => x.getAttribute('data-date').startsWith(d)), day);
    if (found) return;
    await page.click('#calendar .ec-next');
  }
  throw new Error(`calendar never showed ${day}`);
}

test('a request in one browser appears in another within a second; an approval turns it approved in both', async () => {
  const s = await site();
  const b = await browser();
  try {
    const member = await (await b.newContext()).newPage();
    const watcher = await (await b.newContext()).newPage();
    const adminPage = await (await b.newContext()).newPage();
    await signIn(member, s, ARTOIS);
    await signIn(adminPage, s, ADMIN);
    await watcher.goto(s.url);
    await watcher.waitForSelector('#live[data-state="live"]');
    // Show the week of the request on the watcher's calendar.
    const nextYear = new Date().getUTCFullYear() + 1;
    const day = `${nextYear}-03-09`;
    const date = new Date(`${day}T12:00:00Z`);
    const weekday = date.getUTCDay();
    const monday = new Date(date.getTime() - ((weekday + 6) % 7) * 86400000).toISOString().slice(0, 10);
    await watcher.goto(`${s.url}/#/calendar?date=${monday}`);

    await member.goto(`${s.url}/#/request`);
    await member.selectOption('#rq-resource', 'atrium');
    await member.selectOption('#rq-layout', 'plenary');
    await member.fill('#rq-attendees', '60');
    await member.fill('#rq-start', `${day}T09:00`);
    await member.fill('#rq-end', `${day}T12:00`);
    await member.fill('#rq-title', 'Journée d’accueil des étudiants');
    await member.waitForSelector('[data-testid="quote-kind"]');
    const sent = Date.now();
    await member.click('#request-form button[type=submit]');
    await member.waitForSelector('#request-result .status.pending');
    await watcher.waitForFunction(() => document.querySelectorAll('#calendar .ec-event.pending').length === 1, null, { timeout: 1000 });
    const delay = Date.now() - sent;
    check(delay < 1500, `the watcher saw the request after ${delay} ms`);
    await watcher.screenshot({ path: join(shots, 'calendar-pending.png'), fullPage: true });

    await adminPage.goto(`${s.url}/#/admin`);
    await adminPage.waitForSelector('[data-approve]');
    await adminPage.screenshot({ path: join(shots, 'admin-queue.png'), fullPage: true });
    await adminPage.click('[data-approve]');
    await watcher.waitForFunction(() => document.querySelectorAll('#calendar .ec-event.approved').length === 1, null, { timeout: 1000 });
    await member.goto(`${s.url}/#/mine`);
    await member.waitForSelector('#mine-rows .status.approved');
    await member.goto(`${s.url}/#/calendar?date=${monday}`);
    await member.waitForFunction(() => document.querySelectorAll('#calendar .ec-event.approved').length === 1, null, { timeout: 2000 });
    await watcher.screenshot({ path: join(shots, 'calendar-approved.png'), fullPage: true });
  } finally {
    await b.close();
    await s.stop();
  }
});

test('the live quote says free for the first two Atrium requests of a year and bills the third', async () => {
  const s = await site();
  const b = await browser();
  try {
    const page = await (await b.newContext()).newPage();
    await signIn(page, s, ARTOIS);
    const year = new Date().getUTCFullYear() + 1;
    const kinds = [];
    for (const day of ['09', '10', '11']) {
      await page.goto(`${s.url}/#/request`);
      await page.selectOption('#rq-resource', 'atrium');
      await page.selectOption('#rq-layout', 'plenary');
      await page.fill('#rq-attendees', '50');
      await page.fill('#rq-start', `${year}-03-${day}T09:00`);
      await page.fill('#rq-end', `${year}-03-${day}T17:00`);
      await page.fill('#rq-title', `Conférence ${day}`);
      await page.waitForFunction((d) => document.querySelector('[data-testid="quote-kind"]') && document.getElementById('rq-start').value.endsWith(`${d}T09:00`), day);
      await page.waitForTimeout(400);  // the quote follows the last keystroke
      const kind = await page.textContent('[data-testid="quote-kind"]');
      const total = await page.textContent('[data-testid="quote-total"]');
      kinds.push({ kind, total });
      await page.screenshot({ path: join(shots, `quote-${day}.png`), fullPage: true });
      await page.click('#request-form button[type=submit]');
      await page.waitForSelector('#request-result .status.pending');
    }
    // Free use of the room; the service fees are billed all the same (art. 6).
    check(kinds.slice(0, 2).every((k) => /^Mise à disposition gratuite/.test(k.kind) && /250,00/.test(k.total)), `first two: ${JSON.stringify(kinds)}`);
    check(kinds[2].kind === 'Payant', `third: ${JSON.stringify(kinds[2])}`);
    check(/1\s?150,00/.test(kinds[2].total), `third total: ${kinds[2].total}`);  // one day + service fee
    // A broken rule is refused with the server's message.
    await page.goto(`${s.url}/#/request`);
    await page.selectOption('#rq-resource', 'meeting-room');
    await page.fill('#rq-attendees', '30');
    await page.fill('#rq-start', `${year}-03-15T09:00`);
    await page.fill('#rq-end', `${year}-03-15T10:00`);
    await page.fill('#rq-title', 'Trop de monde');
    await page.waitForSelector('#quote .error');
    check(/16/.test(await page.textContent('#quote .error')), 'the capacity refusal names the capacity');
  } finally {
    await b.close();
    await s.stop();
  }
});

test('killing and restarting the server: reconnecting, then live, then the changes made meanwhile', async () => {
  const s = await site();
  const b = await browser();
  try {
    const page = await (await b.newContext()).newPage();
    await page.goto(s.url);
    await page.waitForSelector('#live[data-state="live"]');
    const year = new Date().getUTCFullYear() + 1;
    await page.goto(`${s.url}/#/calendar?date=${`${year}-03-08`}`);
    const port = s.port;
    await s.kill();
    await page.waitForSelector('#live[data-state="reconnecting"]', { timeout: 5000 });
    await page.screenshot({ path: join(shots, 'reconnecting.png'), fullPage: true });
    await s.start(port);
    // A change made while the page was away.
    const token = await s.token(ARTOIS);
    const r = await s.api('POST', '/api/reservations', {
      resource: 'meeting-room', start: `${year}-03-09T09:00:00+01:00`, end: `${year}-03-09T10:00:00+01:00`,
      attendees: 5, title: 'Pendant la coupure',
    }, token);
    check(r.status === 201, `booking: ${JSON.stringify(r)}`);
    await page.waitForSelector('#live[data-state="live"]', { timeout: 15000 });
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event').length === 1, null, { timeout: 5000 });
    await page.screenshot({ path: join(shots, 'live-again.png'), fullPage: true });
  } finally {
    await b.close();
    await s.stop();
  }
});

// Claire Martin books the Event room on March 9th of `year`, 9:00–11:00 in Paris; her token.
async function bookEventRoom(s, year, title) {
  const token = await s.token(ARTOIS);
  await s.api('POST', '/api/reservations', {
    resource: 'event-room', layout: 'meeting', start: `${year}-03-09T09:00:00+01:00`, end: `${year}-03-09T11:00:00+01:00`,
    attendees: 12, title,
  }, token);
  return token;
}

test('an anonymous page never shows titles, organisations or names', async () => {
  const s = await site();
  const b = await browser();
  try {
    const year = new Date().getUTCFullYear() + 1;
    const token = await bookEventRoom(s, year, 'Jury confidentiel');
    const page = await (await b.newContext()).newPage();
    await page.goto(s.url);
    await page.waitForSelector('#live[data-state="live"]');
    await page.goto(`${s.url}/#/calendar?date=${`${year}-03-08`}`);
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event').length === 1);
    // And one arriving live.
    await s.api('POST', '/api/reservations', {
      resource: 'meeting-room', start: `${year}-03-10T09:00:00+01:00`, end: `${year}-03-10T10:00:00+01:00`,
      attendees: 5, title: 'Réunion secrète',
    }, token);
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event').length === 2);
    const text = await page.evaluate(() => document.body.innerText);
    for (const secret of ['Jury confidentiel', 'Réunion secrète', 'Artois', 'Claire']) check(!text.includes(secret), `the page shows "${secret}"`);
    await page.screenshot({ path: join(shots, 'anonymous.png'), fullPage: true });
  } finally {
    await b.close();
    await s.stop();
  }
});

test('on a phone, the week is a list in which each booking names its room', async () => {
  const s = await site();
  const b = await browser();
  try {
    const year = new Date().getUTCFullYear() + 1;
    await bookEventRoom(s, year, 'Comité');
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/calendar?date=${year}-03-08`);
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event').length === 1);
    const line = await page.textContent('#calendar .ec-event');
    check(/Salle Event/.test(line) && /09:00/.test(line), `the booking's line on a phone: ${line}`);
    await page.screenshot({ path: join(shots, 'calendar-list-phone.png'), fullPage: true });
    // Back to the rooms' grid, the room is its column's again, not repeated in the booking.
    await page.click('[data-view="resourceTimeGridWeek"]');
    await page.waitForFunction(() => document.querySelector('#calendar .ec-event') && !/Salle Event/.test(document.querySelector('#calendar .ec-event').textContent));
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('a week shown again is revalidated: the app sends If-None-Match, gets 304 and shows the same bookings', async () => {
  const s = await site();
  const b = await browser();
  try {
    const year = new Date().getUTCFullYear() + 1;
    await bookEventRoom(s, year, 'Comité');
    const page = await (await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR' })).newPage();
    const seen = [];
    page.on('response', async (r) => {
      if (!r.url().includes('/api/availability')) return;
      seen.push({ status: r.status(), sent: (await r.request().allHeaders())['if-none-match'] || '' });
    });
    await page.goto(s.url);
    await page.waitForSelector('#live[data-state="live"]');
    await page.goto(`${s.url}/#/calendar?date=${`${year}-03-08`}`);
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event').length === 1);
    const loaded = () => page.$eval('#view-calendar', (v) => Number(v.dataset.loaded || 0));
    const first = seen.length;
    let n = await loaded();
    await page.click('#calendar .ec-next');
    await page.waitForFunction((k) => Number(document.getElementById('view-calendar').dataset.loaded) > k, n);
    n = await loaded();
    await page.click('#calendar .ec-prev');
    await page.waitForFunction((k) => Number(document.getElementById('view-calendar').dataset.loaded) > k, n);
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event').length === 1);
    const again = seen.slice(first).filter((x) => x.sent);
    check(again.length > 0, `no read of a week shown before sent If-None-Match: ${JSON.stringify(seen)}`);
    check(again.every((x) => x.status === 304), `a revalidation did not get 304: ${JSON.stringify(again)}`);
  } finally {
    await b.close();
    await s.stop();
  }
});

test('late in the evening in New York, the calendar opens on the day it is in Paris, and Today goes back there', async () => {
  const s = await site();
  const b = await browser();
  try {
    const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/New_York', locale: 'fr-FR' });
    const page = await ctx.newPage();
    await page.clock.setFixedTime(new Date('2027-03-10T04:30:00Z'));  // Tue 23:30 in New York, Wed 05:30 in Paris
    await page.goto(`${s.url}/`);
    // The week marks Paris's today, Wednesday, in the today colour; Tuesday, the browser's, is
    // drawn like any day.
    await page.waitForSelector('#calendar .ec-col-head');
    // Seven narrow columns per room: a day's header is its letter and number, read out whole.
    const marked = await page.evaluate(() => [...document.querySelectorAll('#calendar .ec-col-head')].map((h) =>
      [h.textContent.trim(), getComputedStyle(h).backgroundColor, h.getAttribute('aria-label') || h.querySelector('[aria-label]')?.getAttribute('aria-label') || '']));
    const plain = marked.find(([text]) => text === 'M 9')?.[1], wednesday = marked.find(([text]) => text === 'M 10')?.[1];
    check(plain && wednesday && wednesday !== plain && marked.every(([text, bg]) => (bg === wednesday) === (text === 'M 10')),
      `Paris's today is the one day marked: ${JSON.stringify(marked.slice(0, 7))}`);
    check(/mercredi 10 mars 2027/.test(marked.find(([text]) => text === 'M 10')[2]), `the header read out: ${JSON.stringify(marked.slice(0, 7))}`);
    await page.click('[data-view="resourceTimelineDay"]');
    await page.waitForFunction(() => /10 mars 2027/.test(document.querySelector('#calendar .ec-title')?.textContent));
    check(await page.inputValue('#cal-date') === '2027-03-10', 'the date field says the same day');
    await page.click('#calendar .ec-next');
    await page.waitForFunction(() => /11 mars 2027/.test(document.querySelector('#calendar .ec-title')?.textContent));
    await page.click('#calendar .ec-parisToday');
    await page.waitForFunction(() => /10 mars 2027/.test(document.querySelector('#calendar .ec-title')?.textContent), null, { timeout: 5000 });
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('a booking past midnight is drawn whole, on both days it spans', async () => {
  const s = await site();
  const b = await browser();
  try {
    const admin = await s.token(ADMIN), artois = await s.token(ARTOIS);
    const atrium = (await s.api('GET', '/api/resources/atrium', undefined, admin)).body;
    atrium.hours = { fri: [['08:00', '24:00']], sat: [['00:00', '24:00']] };
    check((await s.api('PUT', '/api/resources/atrium', atrium, admin)).status === 200, 'the Atrium opens at night');
    const night = await s.api('POST', '/api/reservations', { resource: 'atrium', layout: 'plenary', attendees: 40, title: 'Nuit des musées',
      start: '2027-02-19T20:00:00+01:00', end: '2027-02-20T02:00:00+01:00' }, artois);
    check(night.status === 201, `the night: ${JSON.stringify(night.body)}`);
    const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Paris', locale: 'fr-FR' });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/calendar?date=2027-02-15`);
    await page.selectOption('#cal-room', 'atrium');
    await page.click('[data-view="resourceTimeGridWeek"]');
    await page.waitForFunction(() => document.querySelectorAll('#calendar .ec-event:not(.ec-bg-event)').length === 2, null, { timeout: 10000 });
    const times = await page.$$eval('#calendar .ec-event:not(.ec-bg-event) .ec-event-time', (xs) => xs.map((x) => x.textContent));
    check(times.some((x) => /20:00/.test(x)) && times.some((x) => /02:00/.test(x)), `both parts, to 02:00: ${times}`);
    const axis = await page.$$eval('#calendar .ec-sidebar .ec-time, #calendar .ec-sidebar time, #calendar .ec-sidebar', (xs) => xs.map((x) => x.textContent.trim()).join(' '));
    check(/01:00/.test(axis), `the night’s hours are drawn: ${axis}`);
    await page.screenshot({ path: join(shots, 'calendar-past-midnight.png'), fullPage: true });
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});
