// The Lille agreement's single window in Debian's Chromium against the real creneau (docs/domain.md,
// "The single window"): a student association's treasurer, on her phone in Paris, asks for a room
// for a concert; the University's window officer, in another time zone, sees which rooms fit in
// Paris time and passes it on to the City's salon; the City approves; her page follows every step
// live. A second request is declined with a reason she reads. axe-core on each view.
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, PASSWORD, browser, signIn, check, shots, axeCheck, noSideScroll } from './harness.mjs';

const LLV = 'direction@llv.fr';
const WINDOW = 'guichet@univ-lille.fr';
const CITY = 'salles@mairie-lille.fr';
const ASSO = 'tresoriere@asso-musique.fr';

test('an association asks the window for a room, the window passes it on, and she follows it live', async () => {
  const s = new Server();
  s.addUser(LLV, 'Nadia Direction', 'admin', 'llv');
  s.addUser(WINDOW, 'Marc Guichet', 'admin', 'univ-lille');
  s.addUser(CITY, 'Sophie Salles', 'admin', 'ville-lille');
  await s.start();
  const b = await browser();
  try {
    // The renewal of the Lille agreement, its window run by the University; an association it
    // accredits, and its treasurer's account.
    const llv = await s.token(LLV);
    const agreement = await s.api('PUT', '/api/agreements/lille-2027', {
      name: 'Convention Ville de Lille – Université de Lille 2027-2030', provider: 'ville-lille', beneficiary: 'univ-lille',
      reciprocal: true, valid_from: '2027-01-01', valid_to: '2030-12-31', min_notice: { months: 2 }, billed_as: 'other',
      resources: { 'lille-amphi': { free: 'unlimited' }, 'lille-salon-hotel-de-ville': { free: 'unlimited' } }, window_operator: 'univ-lille',
    }, llv);
    check(agreement.status === 200, `agreement: ${JSON.stringify(agreement.body)}`);
    const asso = await s.api('PUT', '/api/organisations/asso-musique', {
      name: 'Association des étudiants en musique', category: 'student-association', accredited_by: 'univ-lille',
    }, llv);
    check(asso.status === 200, `association: ${JSON.stringify(asso.body)}`);
    const invited = await s.api('POST', '/api/users', { email: ASSO, name: 'Inès Trésorière', role: 'member', organisation: 'asso-musique' }, llv);
    check(invited.status === 201, `invitation: ${JSON.stringify(invited.body)}`);
    const token = invited.body.link.slice(invited.body.link.lastIndexOf('/') + 1);
    check((await s.api('POST', '/api/password', { token, password: PASSWORD })).status === 200, 'her password');

    // Inès, on her phone in Paris, asks for a room for Friday 8 October 2027, 18:00-23:00.
    const phoneCtx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    const phone = await phoneCtx.newPage();
    await signIn(phone, s, ASSO);
    check(await phone.isVisible('#nav a[href="#/window"]'), 'the window is in her navigation');
    check(await phone.isHidden('#nav a[href="#/request"]'), 'LLV’s request form is not for an association');
    await phone.goto(`${s.url}/#/window`);
    await phone.waitForSelector('#win-ask:not([hidden])');
    check(/Université de Lille/.test(await phone.textContent('#win-intro')), `who runs the window: ${await phone.textContent('#win-intro')}`);
    const notice = await phone.textContent('#win-notice');
    check(/2 mois/.test(notice) && /31 décembre 2030/.test(notice), `the notice and the agreement's end: ${notice}`);
    // Too soon for the agreement's notice: said at the start field.
    await phone.fill('#win-title', 'Concert de rentrée');
    await phone.fill('#win-start', '2027-01-08T18:00');
    await phone.fill('#win-end', '2027-01-08T23:00');
    await phone.click('#win-form button[type=submit]');
    await phone.waitForSelector('#win-start-error');
    check(/délai/.test(await phone.textContent('#win-start-error')), `the notice refusal: ${await phone.textContent('#win-start-error')}`);
    await phone.fill('#win-description', 'Scène, bar, 120 personnes debout');
    await phone.fill('#win-start', '2027-10-08T18:00');
    await phone.fill('#win-end', '2027-10-08T23:00');
    await phone.fill('#win-attendees', '120');
    await phone.selectOption('#win-kind', 'reception');
    await phone.click('#win-form button[type=submit]');
    await phone.waitForFunction(() => /envoyée au guichet/.test(document.querySelector('#win-sent').textContent));
    const listed = await phone.textContent('#win-rows');
    check(/Concert de rentrée/.test(listed) && /Au guichet/.test(listed) && /18:00/.test(listed) && /23:00/.test(listed), `her request: ${listed}`);
    await axeCheck(phone, 'the single window, as an association');
    await noSideScroll(phone, 'the single window on a phone');
    await phone.screenshot({ path: join(shots, 'window-association.png'), fullPage: true });

    // Marc, the University's window officer, travelling in Montréal, sees the queue in Paris time.
    const deskCtx = await b.newContext({ timezoneId: 'America/Montreal', locale: 'fr-FR', viewport: { width: 1366, height: 900 }, bypassCSP: true });
    const desk = await deskCtx.newPage();
    await signIn(desk, s, WINDOW);
    await desk.goto(`${s.url}/#/window`);
    await desk.waitForSelector('#win-rows [data-win-route]');
    check(/File du guichet/.test(await desk.textContent('#win-list-title')), 'the queue');
    const queue = await desk.textContent('#win-rows');
    check(/18:00/.test(queue) && /Association des étudiants en musique/.test(queue), `the queue in Paris time: ${queue}`);
    check(await desk.isHidden('#win-ask'), 'the officer does not submit');
    // Which rooms fit: the City's salon, not the amphitheatre (it closes at 21:00).
    await desk.click('#win-rows [data-win-route]');
    await desk.waitForSelector('form.win-route');
    const rooms = await desk.textContent('form.win-route');
    check(/Salon d’honneur|Salon d'honneur/.test(rooms) && /✓/.test(rooms) && /fermée/.test(rooms), `the rooms: ${rooms}`);
    check(await desk.isDisabled('form.win-route input[value="1"]') !== await desk.isDisabled('form.win-route input[value="0"]'), 'one room fits, one does not');
    await axeCheck(desk, 'the rooms a request may go to');
    await desk.screenshot({ path: join(shots, 'window-rooms.png'), fullPage: true });
    await desk.click('form.win-route button[type=submit]');
    await desk.waitForFunction(() => /transmise pour/.test(document.querySelector('#win-said').textContent));
    await desk.waitForFunction(() => /Transmise/.test(document.querySelector('#win-rows').textContent));

    // Inès's page follows, live: passed on, awaiting the City.
    await phone.waitForFunction(() => /Transmise/.test(document.querySelector('#win-rows').textContent));
    check(/en attente de la décision de Ville de Lille/.test(await phone.textContent('#win-rows')), `awaiting the City: ${await phone.textContent('#win-rows')}`);

    // The City approves it as any request; her page shows it confirmed, live.
    const city = await s.token(CITY);
    const mine = await s.api('GET', '/api/window-requests', null, await s.token(ASSO));
    const reservation = mine.body[0].reservation;
    check((await s.api('POST', `/api/reservations/${reservation}/approve`, {}, city)).status === 200, 'the City approves');
    await phone.waitForFunction(() => /Confirmée/.test(document.querySelector('#win-rows').textContent));
    await phone.screenshot({ path: join(shots, 'window-confirmed.png'), fullPage: true });
    // Her organisation's requests show it too, awaiting nobody now.
    await phone.goto(`${s.url}/#/mine`);
    await phone.waitForSelector('#mine-rows .status.approved');
    check(/Salon d’honneur|Salon d'honneur/.test(await phone.textContent('#mine-rows')), 'the room by its name');

    // A second request, declined with a reason that she reads, live.
    await phone.goto(`${s.url}/#/window`);
    await phone.waitForSelector('#win-ask:not([hidden])');
    await phone.fill('#win-title', 'Bal de fin d’année');
    await phone.fill('#win-start', '2027-11-12T19:00');
    await phone.fill('#win-end', '2027-11-12T23:00');
    await phone.fill('#win-attendees', '200');
    await phone.click('#win-form button[type=submit]');
    await phone.waitForFunction(() => /Bal de fin/.test(document.querySelector('#win-rows').textContent));
    await desk.waitForFunction(() => /Bal de fin/.test(document.querySelector('#win-rows').textContent));
    const row = desk.locator('#win-rows tr', { hasText: 'Bal de fin' });
    await row.locator('[data-win-decline]').click();
    await desk.click('form.win-decline button[type=submit]');
    await desk.waitForSelector('form.win-decline [aria-invalid="true"]');
    await desk.fill('form.win-decline textarea', 'Aucune salle libre ce soir-là');
    await axeCheck(desk, 'declining a request');
    await desk.click('form.win-decline button[type=submit]');
    await phone.waitForFunction(() => /Refusée par le guichet/.test(document.querySelector('#win-rows').textContent));
    check(/Aucune salle libre ce soir-là/.test(await phone.textContent('#win-rows')), 'the reason, for her');
    await axeCheck(phone, 'her requests, one declined');
  } finally {
    await b.close();
    await s.stop();
  }
});

test('a member of the University of Lille asks the City for its salon in the browser, and sees whose decision it awaits', async () => {
  const s = new Server();
  s.addUser(LLV, 'Nadia Direction', 'admin', 'llv');
  s.addUser('marc.durand@univ-lille.fr', 'Marc Durand', 'member', 'univ-lille');
  await s.start();
  const b = await browser();
  try {
    const agreement = await s.api('PUT', '/api/agreements/lille-2027', {
      name: 'Convention Ville de Lille – Université de Lille 2027-2030', provider: 'ville-lille', beneficiary: 'univ-lille',
      reciprocal: true, valid_from: '2027-01-01', valid_to: '2030-12-31', min_notice: { months: 2 }, billed_as: 'other',
      resources: { 'lille-amphi': { free: 'unlimited' }, 'lille-salon-hotel-de-ville': { free: 'unlimited' } },
    }, await s.token(LLV));
    check(agreement.status === 200, `agreement: ${JSON.stringify(agreement.body)}`);
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await ctx.newPage();
    await signIn(page, s, 'marc.durand@univ-lille.fr');
    await page.goto(`${s.url}/#/request`);
    const rooms = await page.$$eval('#rq-resource option', (os) => os.map((o) => o.value));
    check(rooms.includes('lille-salon-hotel-de-ville') && rooms.includes('lille-amphi'), `the rooms the agreement lends him: ${rooms}`);
    await page.selectOption('#rq-resource', 'lille-salon-hotel-de-ville');
    await page.fill('#rq-attendees', '40');
    await page.fill('#rq-start', '2027-06-15T18:00');
    await page.fill('#rq-end', '2027-06-15T21:00');
    await page.fill('#rq-title', 'Soirée des doctorants');
    await page.click('#request-form button[type=submit]');
    await page.waitForSelector('#request-result .status');
    const said = await page.textContent('#request-result');
    check(/En attente de décision/.test(said) && /en attente de la décision de Ville de Lille/.test(said) && !/LLV/.test(said), `whose decision: ${said}`);
    await page.goto(`${s.url}/#/mine`);
    await page.waitForSelector('#mine-rows tr[data-id]');
    check(/En attente de décision/.test(await page.textContent('#mine-rows')), 'his requests say the same');
    await page.goto(`${s.url}/#/calendar?date=2027-06-15`);
    await page.waitForSelector('#view-calendar:not([hidden])');
    await page.selectOption('#cal-room', 'lille-salon-hotel-de-ville');
    await page.click('[data-view="resourceTimeGridWeek"]');
    await page.waitForSelector('#calendar .ec-event.pending');
    const drawn = await page.textContent('#calendar .ec-event.pending');
    check(/En attente de décision/.test(drawn) && !/LLV/.test(drawn), `the calendar too: ${drawn}`);
    check(!/LLV/.test(await page.textContent('#view-calendar .legend')), 'and its legend');
    await axeCheck(page, 'a Lille member’s requests');
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});
