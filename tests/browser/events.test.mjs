// The journeys of events, in Debian's Chromium against the real creneau: a student on a phone
// registers and is promoted live from the waiting list; an organiser defines an event and
// checks people in at two doors at once; a Job Dating from the companies' and students'
// registrations to the published timetable, the personal timetable and the hall's board,
// live; a Culturathon team made and joined by code. Paris time on screen whatever the zone;
// axe-core on every view; phones at 390 px.
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots, axeCheck, noSideScroll } from './harness.mjs';

const ORGANISER = 'jobdating@univ-artois.fr';
// axe-core is injected into the page: the contexts let it past the app's Content-Security-Policy.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR', bypassCSP: true };
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'fr-FR', bypassCSP: true };

async function site(more = () => {}) {
  const s = new Server();
  s.addUser(ORGANISER, 'Paul Organisateur', 'organiser', 'univ-artois');
  more(s);
  await s.start();
  s.organiserToken = await s.token(ORGANISER);
  return s;
}

const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');

function anEvent(kind, capacity, more = {}) {
  return {
    kind, title: more.title || 'Journée d’accueil 2027', description: 'Témoignages de porteurs de projet, visite du MuséoLab.',
    capacity, opens: inDays(-1), closes: inDays(60),
    questions: [{ id: 'course', label: 'Formation suivie', required: true }], ...more,
  };
}

async function define(s, id, body) {
  const r = await s.api('PUT', `/api/events/${id}`, body, s.organiserToken);
  check(r.status === 200, `event ${id}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function register(s, id, body) {
  const r = await s.api('POST', `/api/events/${id}/registrations`, body);
  check(r.status === 201, `registration: ${JSON.stringify(r.body)}`);
  return r.body;
}

test('a student on a phone who lost her registration mail gets it again from the event page', async () => {
  const s = await site((x) => x.addUser('admin@llv.fr', 'Nadia Direction', 'admin', 'llv'));
  const b = await browser();
  try {
    await define(s, 'accueil', anEvent('welcome-day', 30));
    await register(s, 'accueil', { name: 'Alice Durand', email: 'alice@etu.fr', answers: { course: 'L3 Info' } });
    const ctx = await b.newContext({ ...PHONE, timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/event/accueil`);
    await page.waitForSelector('#event-form:not([hidden]) #ev-name');
    // She tries to register again: the page says she is in, and opens the way back.
    await page.fill('#ev-name', 'Alice Durand');
    await page.fill('#ev-email', 'Alice@etu.fr');
    await page.fill('[data-question="course"]', 'L3 Info');
    await page.click('#ev-submit');
    await page.waitForSelector('#ev-resend[open]');
    check(/déjà inscrite/.test(await page.textContent('#event-form')), 'the form says the address is registered');
    check(await page.inputValue('#ev-resend-email') === 'Alice@etu.fr', 'the address is carried over');
    await page.click('#ev-resend-submit');
    await page.waitForFunction(() => /un mail vient de lui être envoyé/.test(document.getElementById('ev-resend-done').textContent), null, { timeout: 10000 });
    check(/« Journée d’accueil 2027 »/.test(await page.textContent('#ev-resend-done')), 'the message names the event');
    await axeCheck(page, 'the event page with its way back to a lost mail');
    await noSideScroll(page, 'the way back to a lost mail on a phone');
    await page.screenshot({ path: join(shots, 'event-resend-phone.png'), fullPage: true });
    // The mail is on its way (held: no mail server here), with her code.
    const admin = await s.token('admin@llv.fr');
    let outbox = '';
    for (let i = 0; i < 100 && !outbox.includes('Votre inscription : Journée d’accueil 2027'); i++) {
      outbox = JSON.stringify((await s.api('GET', '/api/outbox', null, admin)).body);
      await new Promise((r) => setTimeout(r, 100));
    }
    check(outbox.includes('Votre inscription : Journée d’accueil 2027'), `the mail is in the outbox: ${outbox.slice(0, 500)}`);
    // An address that is not registered is answered alike, and an invalid one is refused.
    await page.fill('#ev-resend-email', 'personne@etu.fr');
    await page.click('#ev-resend-submit');
    await page.waitForFunction(() => /personne@etu.fr/.test(document.getElementById('ev-resend-done').textContent), null, { timeout: 10000 });
    await page.fill('#ev-resend-email', 'pas une adresse');
    await page.click('#ev-resend-submit');
    await page.waitForSelector('#ev-resend-form .field-error, #ev-resend-form [aria-invalid="true"]');
  } finally {
    await b.close();
    await s.stop();
  }
});

test('a student on a phone in Paris registers, lands on the waiting list and is promoted live when someone leaves', async () => {
  const s = await site();
  const b = await browser();
  try {
    await define(s, 'accueil', anEvent('welcome-day', 1));
    await define(s, 'atelier', anEvent('welcome-day', 2));
    const alice = await register(s, 'accueil', { name: 'Alice Durand', email: 'alice@etu.fr', answers: { course: 'L3 Info' } });
    await register(s, 'atelier', { name: 'Alice Durand', email: 'alice@etu.fr', answers: { course: 'L3 Info' } });
    const ctx = await b.newContext({ ...PHONE, timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/`);
    await page.click('#nav a[href="#/events"]');
    await page.waitForSelector('#events-list .event-card');
    const cards = await page.$$eval('#events-list .event-card', (cs) => cs.map((c) => c.textContent));
    check(cards.some((c) => /Complet/.test(c)), `a card says the event is full: ${cards}`);
    check(cards.some((c) => /1 place libre sur 2/.test(c)), `one place, in the singular: ${cards}`);
    // Someone takes the last place meanwhile: the card follows, live.
    const bruno = await register(s, 'atelier', { name: 'Bruno Lenoir', email: 'bruno@etu.fr', answers: { course: 'M1 Histoire' } });
    await page.waitForFunction(() => [...document.querySelectorAll('#events-list .event-card')].every((c) => /Complet/.test(c.textContent)), null, { timeout: 10000 });
    // So does an event's page, its form kept: Bruno leaves, a place and the plain button return.
    await page.click('#events-list .event-card h3 a[href$="/atelier"]');
    await page.waitForSelector('#ev-submit');
    check(/liste d’attente/.test(await page.textContent('#ev-submit')), 'the full event offers the waiting list');
    await page.fill('#ev-name', 'Chloé Martin');
    check((await s.api('POST', '/api/events/atelier/leave', { code: bruno.code })).status === 200, 'Bruno leaves');
    await page.waitForFunction(() => /1 place libre sur 2/.test(document.getElementById('ev-places').textContent), null, { timeout: 10000 });
    check(await page.textContent('#ev-submit') === 'M’inscrire', 'the button registers again');
    check(await page.inputValue('#ev-name') === 'Chloé Martin', 'what was typed stays');
    await page.goto(`${s.url}/#/events`);
    await page.waitForSelector('#events-list .event-card');
    await axeCheck(page, 'the events list');
    await noSideScroll(page, 'the events list on a phone');
    await page.screenshot({ path: join(shots, 'events-list-phone.png'), fullPage: true });
    await page.click('#events-list .event-card h3 a[href$="/accueil"]');
    await page.waitForSelector('#event-form:not([hidden]) #ev-name');
    // The required question is enforced at the field.
    await page.fill('#ev-name', 'Bruno Leroy');
    await page.fill('#ev-email', 'bruno@etu.fr');
    await page.click('#event-form button[type=submit]');
    await page.waitForSelector('#ev-q-course[aria-invalid="true"]');
    check(await page.evaluate(() => document.activeElement.id) === 'ev-q-course', 'focus goes to the missing answer');
    await page.fill('#ev-q-course', 'Master MEEF');
    // An address the browser takes but no mail would reach is refused at its field.
    await page.fill('#ev-email', 'bruno@etu');
    await page.click('#event-form button[type=submit]');
    await page.waitForSelector('#ev-email[aria-invalid="true"]');
    check(/pas valable/.test(await page.textContent('#event-form')), `the form says why: ${await page.textContent('#event-form')}`);
    await page.fill('#ev-email', 'bruno@etu.fr');
    await axeCheck(page, 'the registration form');
    await noSideScroll(page, 'the registration form on a phone');
    await page.click('#event-form button[type=submit]');
    await page.waitForSelector('#pass-status');
    check(/position 1/.test(await page.textContent('#pass-status')), `status: ${await page.textContent('#pass-status')}`);
    const code = (await page.textContent('#pass-code')).trim();
    check(/^[A-Z2-9]{8}$/.test(code), `the code as text: ${code}`);
    check(!(await page.$('#pass-qr')), 'no QR code for the door while waiting');
    check(page.url().endsWith(`#/pass/accueil/${code}`), `the personal page's address: ${page.url()}`);
    await axeCheck(page, 'the personal page');
    await noSideScroll(page, 'the personal page on a phone');
    await page.screenshot({ path: join(shots, 'pass-waiting-phone.png'), fullPage: true });

    // Alice leaves (by her own code): Bruno's page says he has the place, without a reload.
    const left = await s.api('POST', '/api/events/accueil/leave', { code: alice.code });
    check(left.status === 200, 'Alice leaves');
    await page.waitForFunction(() => /Inscrit/.test(document.getElementById('pass-status').textContent), null, { timeout: 10000 });
    await page.waitForSelector('#pass-qr svg');  // now a place: the code for the door
    await page.screenshot({ path: join(shots, 'pass-promoted-phone.png'), fullPage: true });

    // The page is his by its address: reopened later, it still says so; leaving asks first.
    await page.reload();
    await page.waitForSelector('#pass-status');
    check(/Inscrit/.test(await page.textContent('#pass-status')), 'the page reopened by its address');
    await page.click('#pass-leave');
    await page.waitForSelector('#pass-leave-ask:not([hidden])');
    check(await page.evaluate(() => document.activeElement.id) === 'pass-leave-no', 'the safe choice has the focus');
    check(/première personne en attente/.test(await page.textContent('#pass-leave-ask')) && !/rendez-vous/.test(await page.textContent('#pass-leave-ask')), 'no meeting to lose at a welcome day');
    // He leaves from another device while this page asks: the question goes with the place (no
    // button to confirm a leave already made), and the keyboard is on the page's title.
    const elsewhere = await s.api('POST', '/api/events/accueil/leave', { code });
    check(elsewhere.status === 200, 'Bruno leaves from another device');
    await page.waitForFunction(() => /Désinscrit/.test(document.getElementById('pass-status')?.textContent || ''), null, { timeout: 10000 });
    check(await page.$('#pass-leave-yes') === null && await page.$('#pass-leave') === null, 'no leave buttons beside a status that says it left');
    check(await page.evaluate(() => document.activeElement.id) === 'pass-title', `the focus after the question went: ${await page.evaluate(() => document.activeElement.id)}`);
    check(await page.$('#pass-body .hint-line') === null, 'no advice to keep a page that no longer gets one in');
    const ics = await fetch(`${s.url}/api/events/accueil/calendar.ics`);
    check(ics.headers.get('content-type').startsWith('text/calendar'), 'the event’s .ics');
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('an organiser defines an event in the browser, sees registrations arrive live, and two doors check people in at once', async () => {
  const s = await site();
  const b = await browser();
  try {
    // The organisers' room for it, booked beforehand.
    const room = await s.api('POST', '/api/reservations', { resource: 'meeting-room', layout: 'meeting', attendees: 10, title: 'Conférence IA',
      start: '2027-03-09T14:00:00+01:00', end: '2027-03-09T16:00:00+01:00' }, s.organiserToken);
    check(room.status === 201, `room: ${JSON.stringify(room.body)}`);
    const ctx = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await signIn(page, s, ORGANISER);
    await page.goto(`${s.url}/#/events`);
    await page.click('#events-new');
    await page.waitForSelector('#edit-form');
    await page.fill('#ed-title', 'Conférence IA et patrimoine');
    check(await page.inputValue('#ed-id') === 'conference-ia-et-patrimoine', `the id follows the title: ${await page.inputValue('#ed-id')}`);
    await page.fill('#ed-capacity', '3');
    await page.fill('#ed-opens', '2026-01-05T09:00');
    await page.fill('#ed-closes', '2030-01-05T18:00');
    // Without a room the event would have no date: the form says so.
    await page.click('#edit-form button[type=submit]');
    await page.waitForFunction(() => /salle/.test(document.getElementById('edit-said').textContent));
    await page.check(`[data-reservation="${room.body.id}"]`);
    await page.click('#ed-q-add');
    await page.fill('#ed-q-0', 'Établissement');
    await axeCheck(page, 'the event form');
    await page.click('#edit-form button[type=submit]');
    await page.waitForSelector('#organise-body #reg-rows');
    const stored = (await s.api('GET', '/api/events/conference-ia-et-patrimoine')).body;
    check(stored.opens === '2026-01-05T08:00:00Z', `opens at 09:00 Paris: ${stored.opens}`);
    check(stored.questions[0].label === 'Établissement', 'the question is kept');
    check(stored.sessions[0].start === '2027-03-09T13:00:00Z', `the room gives the date: ${JSON.stringify(stored.sessions)}`);

    const one = await register(s, 'conference-ia-et-patrimoine', { name: 'Jeanne Petit', email: 'jeanne@etu.fr' });
    await page.waitForFunction(() => /Jeanne Petit/.test(document.getElementById('reg-rows').textContent), null, { timeout: 10000 });
    const two = await register(s, 'conference-ia-et-patrimoine', { name: 'Marc Blanc', email: 'marc@etu.fr' });
    await page.waitForFunction(() => /Inscrits : 2/.test(document.getElementById('org-counts').textContent), null, { timeout: 10000 });
    await axeCheck(page, 'the registrations');
    await page.screenshot({ path: join(shots, 'organise-registrations.png'), fullPage: true });
    // Walk-ins: the last place, then the waiting list, each told as it is.
    for (const [name, said] of [['Paul Sur Place', /^Paul Sur Place inscrit·e, code /], ['Inès Au Téléphone', /^Complet : Inès Au Téléphone est en liste d’attente, code /]]) {
      await page.fill('#wi-name', name);
      for (const q of await page.$$('#walkin-form [data-question]')) await q.fill('Lycée Condorcet');
      await page.click('#walkin-form button[type=submit]');
      await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('org-said').textContent), said.source, { timeout: 10000 });
    }

    // Two doors, two people, one event.
    const doors = [];
    for (let i = 0; i < 2; i++) {
      const c = await b.newContext({ viewport: { width: 1024, height: 768 }, timezoneId: 'Europe/Paris', locale: 'fr-FR', bypassCSP: true });
      const p = await c.newPage();
      await signIn(p, s, ORGANISER);
      await p.goto(`${s.url}/#/door/conference-ia-et-patrimoine`);
      await p.waitForSelector('#door-code');
      doors.push({ c, p });
    }
    const [d1, d2] = doors.map((x) => x.p);
    await d1.fill('#door-code', `${one.code.slice(0, 4).toLowerCase()}-${one.code.slice(4)}`);  // any case, a dash
    await d1.keyboard.press('Enter');
    await d1.waitForSelector('#door-result.ok');
    check(/Jeanne Petit|enregistrée/.test(await d1.textContent('#door-result')), 'door 1 checks Jeanne in');
    await d2.fill('#door-code', one.code);
    await d2.keyboard.press('Enter');
    await d2.waitForSelector('#door-result.already');
    await d2.fill('#door-name', 'MÀR');  // accents and case aside
    await d2.click('#door-matches button');
    await d2.waitForSelector('#door-result.ok');
    check(/Marc Blanc/.test(await d2.textContent('#door-result')), 'door 2 finds Marc by name');
    await d1.waitForFunction(() => /Présents : 2/.test(document.getElementById('door-counts').textContent), null, { timeout: 10000 });
    await d1.fill('#door-code', 'ZZZZ2222');
    await d1.keyboard.press('Enter');
    await d1.waitForSelector('#door-result.unknown');
    check(await d1.evaluate(() => document.activeElement.id) === 'door-code', 'the code field is ready for the next person');
    await axeCheck(d1, 'the door');
    await d1.screenshot({ path: join(shots, 'door.png'), fullPage: true });
    check(two.status === 'registered', 'Marc had a place');
    // Jeanne is in: her page no longer offers to leave, which would give her place away.
    await page.goto(`${s.url}/#/pass/conference-ia-et-patrimoine/${one.code}`);
    await page.waitForSelector('#pass-status.checked-in');
    check(await page.$('#pass-leave') === null, 'no way to leave once checked in');
    for (const d of doors) await d.c.close();
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

for (const zone of ['Europe/Paris', 'America/Montreal']) {
  test(`in ${zone}: a Job Dating from the registrations to the published timetable, the student's own and the board, live`, async () => {
    const s = await site();
    const b = await browser();
    try {
      // 9 March 2027, 09:00 in Paris: four slots of 15 minutes.
      await define(s, 'jd', anEvent('job-dating', 100, { title: 'Job Dating LLV 2027', questions: [], day_start: '2027-03-09T08:00:00Z', slot_minutes: 15, slots: 4 }));
      await register(s, 'jd', { name: 'Pixel Lens', role: 'company', description: 'Jeux vidéo', tables: 1 });
      const phone = await b.newContext({ ...PHONE, timezoneId: zone });
      const company = await phone.newPage();
      // A company registers on its phone, with its presentation.
      await company.goto(`${s.url}/#/event/jd`);
      await company.waitForSelector('#event-form:not([hidden])');
      await company.fill('#ev-name', 'Vallée Numérique');
      await company.fill('#ev-email', 'rh@vallee.fr');
      await company.check('input[name="ev-role"][value="company"]');
      await company.fill('#ev-description', 'Studio de réalité virtuelle à Lens');
      await company.click('#event-form button[type=submit]');
      await company.waitForSelector('#pass-status');

      // A student ranks them by name and description, with the keyboard.
      const student = await phone.newPage();
      await student.goto(`${s.url}/#/event/jd`);
      await student.waitForSelector('#event-form:not([hidden])');
      await student.fill('#ev-name', 'Inès Martin');
      await student.fill('#ev-email', 'ines@etu.fr');
      await student.check('input[name="ev-role"][value="student"]');
      check(/Studio de réalité virtuelle/.test(await student.textContent('#ev-ranking')), 'companies are shown with their presentation');
      await student.click('button[aria-label="Ajouter Pixel Lens à mes choix"]');
      await student.click('button[aria-label="Ajouter Vallée Numérique à mes choix"]');
      await student.focus('button[aria-label="Monter Vallée Numérique"]');
      await student.keyboard.press('Enter');
      const order = await student.$$eval('#ev-ranking-list li strong', (xs) => xs.map((x) => x.textContent));
      check(order.join(',') === 'Vallée Numérique,Pixel Lens', `order after moving up: ${order}`);
      await axeCheck(student, 'the Job Dating form');
      await noSideScroll(student, 'the Job Dating form on a phone');
      await student.screenshot({ path: join(shots, `jd-ranking-${zone.replace('/', '-')}.png`), fullPage: true });
      await student.click('#event-form button[type=submit]');
      await student.waitForSelector('#jd-form');
      const times = await student.$$eval('#jd-arrive option', (os) => os.map((o) => o.textContent));
      check(times[0] === '09:00', `slots in Paris time in ${zone}: ${times}`);

      // The organiser builds, pins, publishes.
      const desk = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
      const org = await desk.newPage();
      await signIn(org, s, ORGANISER);
      await org.goto(`${s.url}/#/timetable/jd`);
      // The organiser gives the search more time; the build says whether it is proven best,
      // and how long people wait between meetings.
      await org.fill('#jd-budget', '5');
      const sent = org.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/events/jd/timetable'));
      await org.click('#jd-build');
      check((await sent).postDataJSON().time_budget_seconds === 5, 'the search time is sent');
      await org.waitForSelector('#jd-figures .figures');
      const said = await org.textContent('#jd-figures');
      check(/2 entretiens placés sur 2 /.test(said), `figures: ${said}`);
      check(/Optimal, prouvé/.test(said) && /Attentes entre deux entretiens : 0 créneau\(x\) en moyenne/.test(said), `proof and waits: ${said}`);
      check(await org.inputValue('#jd-budget') === '5', 'the search time stays as chosen');
      await org.click('.meeting button[aria-pressed="false"]');
      await org.waitForSelector('.meeting.pinned');
      await axeCheck(org, 'the timetable builder');
      const boardCtx = await b.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: zone, locale: 'fr-FR', bypassCSP: true });
      const board = await boardCtx.newPage();
      await board.goto(`${s.url}/#/board/jd`);
      await board.waitForSelector('#board-body .board-empty');
      await org.click('#jd-publish');
      await org.waitForFunction(() => /Planning publié/.test(document.getElementById('jd-said').textContent));
      await org.screenshot({ path: join(shots, 'jd-builder.png'), fullPage: true });

      // Live: the student's page shows the timetable, the board its tables.
      await student.waitForSelector('#pass-jd .timetable li', { timeout: 10000 });
      const mine = await student.$$eval('#pass-jd .timetable li', (xs) => xs.map((x) => x.textContent.replace(/\s+/g, ' ')));
      check(mine.length === 2 && mine.some((x) => /Vallée Numérique/.test(x)) && /^ ?09:[0-5][0-9]/.test(mine[0]), `the student's meetings in Paris time in ${zone}: ${mine}`);
      await student.screenshot({ path: join(shots, `jd-timetable-${zone.replace('/', '-')}.png`), fullPage: true });
      await board.waitForSelector('table.board tbody tr', { timeout: 10000 });
      const boardText = await board.textContent('#board-body');
      check(/Vallée Numérique/.test(boardText) && /Pixel Lens/.test(boardText), `the board names the companies: ${boardText}`);
      check(!/Inès/.test(boardText), 'no student name on the board');
      await axeCheck(board, 'the board');
      await board.screenshot({ path: join(shots, 'jd-board.png') });
      // Wishes are final once published.
      check(!(await student.$('#jd-form')), 'no wishes form after publication');
      if (zone === 'Europe/Paris') {
        // A network cut: the board comes back by itself and shows what changed meanwhile.
        const port = s.port;
        await s.kill();
        await board.waitForSelector('#live[data-state="reconnecting"]', { state: 'attached', timeout: 5000 });
        await s.start(port);
        const full = (await s.api('GET', '/api/events/jd/timetable', null, s.organiserToken)).body;
        const pixel = full.meetings.find((m) => m.company_name === 'Pixel Lens');
        const cut = await s.api('POST', '/api/events/jd/timetable', { remove: [{ student: pixel.student, company: pixel.company }], publish: true }, s.organiserToken);
        check(cut.status === 200, `re-planned during the cut: ${JSON.stringify(cut.body)}`);
        await board.waitForSelector('#live[data-state="live"]', { state: 'attached', timeout: 15000 });
        await board.waitForFunction(() => !/Pixel Lens/.test(document.getElementById('board-body').textContent), null, { timeout: 10000 });
        check(/Vallée Numérique/.test(await board.textContent('#board-body')), 'the board still shows the other table');
      }
      // Vallée Numérique leaves on its phone: the student's page and the organisers' builder
      // show, live, its meeting withdrawn until the organisers re-plan.
      await company.click('#pass-leave');
      const asked = await company.textContent('#pass-leave-ask');
      check(/Votre rendez-vous du planning sera annulé/.test(asked), `the company is told its meeting goes: ${asked}`);
      await company.click('#pass-leave-yes');
      await company.waitForFunction(() => /Vous êtes désinscrit·e/.test(document.querySelector('#pass-body .saved')?.textContent || ''));
      check(await company.$('#pass-body a[href$=".ics"]') === null, 'no calendar file once gone');
      await student.waitForSelector('#pass-jd .timetable li.withdrawn', { timeout: 10000 });
      const gone = await student.textContent('#pass-jd .timetable li.withdrawn');
      check(/Annulé : Vallée Numérique ne participe plus/.test(gone), `the student's withdrawn meeting names who left: ${gone}`);
      check(/recalculer le planning/.test(await student.textContent('#pass-jd')), 'the student is told a new timetable will come');
      await org.waitForSelector('#jd-withdrawn li', { timeout: 10000 });
      const listed = await org.textContent('#jd-withdrawn');
      check(/Inès Martin/.test(listed) && /Vallée Numérique ne participe plus/.test(listed), `the builder lists the withdrawn meeting: ${listed}`);
      check(/Un participant s’est désinscrit/.test(listed), `one withdrawn meeting, told in the singular: ${listed}`);
      const inputs = await org.textContent('#timetable-body');
      check(/1 entreprise, 1 étudiant, 4 créneaux/.test(inputs), `the counts in the singular: ${inputs.slice(0, 300)}`);
      await board.waitForFunction(() => !/Vallée Numérique/.test(document.getElementById('board-body').textContent), null, { timeout: 10000 });
      await axeCheck(org, 'the builder with a withdrawn meeting');
      await org.screenshot({ path: join(shots, `jd-withdrawn-${zone.replace('/', '-')}.png`), fullPage: true });
      await org.click('#jd-build');
      await org.waitForFunction(() => !document.querySelector('#jd-withdrawn') && /Planning recalculé/.test(document.getElementById('jd-said').textContent), null, { timeout: 15000 });
      await student.waitForFunction(() => !document.querySelector('#pass-jd .timetable li.withdrawn'), null, { timeout: 10000 });
      await boardCtx.close(); await desk.close(); await phone.close();
    } finally { await b.close(); await s.stop(); }
  });
}

test('a Culturathon team is created on one phone and joined by its code on another; the organisers flag it for PÉPITE', async () => {
  const s = await site();
  const b = await browser();
  try {
    await define(s, 'culturathon', anEvent('culturathon', 20, { title: 'Culturathon 2027', questions: [], team_min: 2, team_max: 4 }));
    const lea = await register(s, 'culturathon', { name: 'Léa Fontaine', email: 'lea@etu.fr' });
    const tom = await register(s, 'culturathon', { name: 'Tom Girard', email: 'tom@etu.fr' });
    const ctx = await b.newContext({ ...PHONE, timezoneId: 'Europe/Paris' });
    const p1 = await ctx.newPage();
    await p1.goto(`${s.url}/#/pass/culturathon/${lea.code}`);
    await p1.waitForSelector('#team-create');
    check(/de 2 à 4 personnes/.test(await p1.textContent('#pass-team')), 'the team size rule is shown');
    // A refusal is said at the field it is about: an empty name before sending, then a name
    // of invisible characters alone, which only the server knows to refuse.
    await p1.click('#team-create button');
    await p1.waitForSelector('#team-name[aria-invalid="true"]');
    check(/nécessaire|obligatoire/i.test(await p1.textContent('#team-name-error')), 'an empty team name is said at the field');
    await p1.fill('#team-name', '\u200B\u200B');
    await p1.click('#team-create button');
    await p1.waitForFunction(() => /Un nom est nécessaire/.test(document.getElementById('team-name-error')?.textContent || ''));
    check(await p1.evaluate(() => document.activeElement.id) === 'team-name', 'the refused name has the focus');
    check(!(await p1.textContent('#team-said')).trim(), 'the refusal is not said twice');
    await p1.fill('#team-name', 'Les Curieux');
    check(!(await p1.$('#team-name-error')), 'the field loses its message once edited');
    await p1.click('#team-create button');
    await p1.waitForSelector('#team-leave');
    const teamCode = (await p1.textContent('#pass-team strong.code')).trim();
    await axeCheck(p1, 'the team');
    const p2 = await ctx.newPage();
    await p2.goto(`${s.url}/#/pass/culturathon/${tom.code}`);
    await p2.waitForSelector('#team-join');
    await p2.click('#team-create button');
    await p2.waitForSelector('#team-name[aria-invalid="true"]');
    await p2.fill('#team-code', 'NOPE2222');
    await p2.click('#team-join button');
    await p2.waitForFunction(() => /Aucune équipe/.test(document.getElementById('team-code-error')?.textContent || ''));
    check((await p2.getAttribute('#team-code', 'aria-describedby')) === 'team-code-error', 'the code field names its message');
    check(!(await p2.$('#team-name-error')) && (await p2.getAttribute('#team-name', 'aria-invalid')) === null, 'the other form’s message is gone');
    await p2.fill('#team-code', teamCode.toLowerCase());
    await p2.click('#team-join button');
    await p2.waitForSelector('#team-leave');
    check(/Léa Fontaine/.test(await p2.textContent('#pass-team')) && /Tom Girard/.test(await p2.textContent('#pass-team')), 'both members listed');
    await p2.screenshot({ path: join(shots, 'culturathon-team-phone.png'), fullPage: true });

    const desk = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const org = await desk.newPage();
    await signIn(org, s, ORGANISER);
    await org.goto(`${s.url}/#/organise/culturathon`);
    await org.waitForSelector('#teams-box [data-pepite]');
    await org.check('#teams-box [data-pepite]');
    await org.waitForTimeout(300);
    const teams = (await s.api('GET', '/api/events/culturathon/teams', null, s.organiserToken)).body;
    check(teams[0].pepite === true, 'the team is flagged');
    await axeCheck(org, 'the organisers’ view of a Culturathon');
    await desk.close(); await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('the live channel outlives a topic it may no longer follow, and a view that subscribes late misses nothing', async () => {
  const s = await site();
  const b = await browser();
  try {
    await define(s, 'accueil', anEvent('welcome-day', 10));
    await define(s, 'interne', anEvent('welcome-day', 10, { title: 'Séminaire interne', restricted: true, organisations: ['univ-artois'] }));
    const ctx = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await signIn(page, s, ORGANISER);
    await page.goto(`${s.url}/#/events`);
    await page.waitForFunction(() => /Séminaire interne/.test(document.getElementById('events-list').textContent));
    // Her session ends elsewhere: the channel closes and comes back anonymous, to whom the
    // restricted event's topic is unknown. The rest of what the page follows must stay live.
    const sessions = (await s.api('GET', '/api/me/sessions', null, s.organiserToken)).body;
    for (const x of sessions.filter((x) => !x.current)) await s.api('DELETE', `/api/me/sessions/${x.id}`, null, s.organiserToken);
    await page.waitForSelector('#live:not([data-state="live"])', { timeout: 10000 });
    await page.waitForSelector('#live[data-state="live"]', { timeout: 10000 });
    await register(s, 'accueil', { name: 'Alice Durand', email: 'alice@etu.fr', answers: { course: 'L3 Info' } });
    await page.waitForFunction(() => /9 places libres sur 10/.test(document.getElementById('events-list').textContent), null, { timeout: 10000 });

    // A page that reads the list, then subscribes to its events: a registration in between
    // comes with the subscription (it resumes from the last sequence number seen).
    const anon = await ctx.browser().newContext({ ...PHONE, timezoneId: 'Europe/Paris' });
    const phone = await anon.newPage();
    await phone.goto(`${s.url}/`);
    await phone.waitForSelector('#live[data-state="live"]');
    let held = false;
    await phone.route('**/api/events', async (r) => {
      if (held || r.request().method() !== 'GET') return r.continue();
      held = true;
      const before = await r.fetch();
      const body = await before.text();
      await register(s, 'accueil', { name: 'Bruno Lenoir', email: 'bruno@etu.fr', answers: { course: 'M1 Histoire' } });
      await r.fulfill({ response: before, body });
    });
    await phone.click('#nav a[href="#/events"]');
    await phone.waitForFunction(() => /8 places libres sur 10/.test(document.getElementById('events-list').textContent), null, { timeout: 10000 });
    await anon.close(); await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('a list of more than a hundred events follows them all live', async () => {
  const s = await site();
  const b = await browser();
  try {
    // The live channel takes at most 100 topics in one message: the list asks in parts.
    for (let i = 0; i < 105; i++) await define(s, `atelier-${i}`, anEvent('welcome-day', 10, { title: `Atelier ${i}` }));
    const ctx = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/events`);
    await page.waitForFunction(() => document.querySelectorAll('#events-list .event-card').length === 105);
    // Registered as soon as the list is drawn: the subscription, from before the list's read,
    // brings it whenever it is confirmed.
    await register(s, 'atelier-104', { name: 'Alice Durand', email: 'alice@etu.fr', answers: { course: 'L3 Info' } });
    await page.waitForFunction(() => /9 places libres sur 10/.test(document.getElementById('events-list').textContent), null, { timeout: 10000 });
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});
