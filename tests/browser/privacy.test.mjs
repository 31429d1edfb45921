// A person's data in Debian's Chromium against the real creneau (docs/privacy.md): a student on
// a phone reads the privacy notice from the registration form and opens her data with her
// code; a member in another time zone reads hers, with Paris times, and downloads the JSON;
// an administrator opens a colleague's. axe-core on every view.
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots, axeCheck, noSideScroll } from './harness.mjs';

const ORGANISER = 'jobdating@univ-artois.fr';
const MEMBER = 'claire.martin@univ-artois.fr';
const ADMIN = 'admin@univ-artois.fr';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR', bypassCSP: true };
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'fr-FR', bypassCSP: true, acceptDownloads: true };

const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');

async function site() {
  const s = new Server();
  s.addUser(ORGANISER, 'Paul Organisateur', 'organiser', 'univ-artois');
  s.addUser(MEMBER, 'Claire Martin', 'member', 'univ-artois');
  s.addUser(ADMIN, 'Sophie Admin', 'admin', 'univ-artois');
  await s.start();
  const r = await s.api('PUT', '/api/events/accueil', {
    kind: 'welcome-day', title: 'Journée d’accueil 2027', description: 'Visite du MuséoLab.', capacity: 20,
    opens: inDays(-1), closes: inDays(60), questions: [{ id: 'diet', label: 'Régime alimentaire', required: true }],
  }, await s.token(ORGANISER));
  check(r.status === 200, `event: ${JSON.stringify(r.body)}`);
  return s;
}

test('a student on a phone in Paris reads the privacy notice from the form, registers and opens her data by her code', async () => {
  const s = await site();
  const b = await browser();
  try {
    const ctx = await b.newContext({ ...PHONE, timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/event/accueil`);
    await page.waitForSelector('#event-form:not([hidden])');
    check(/vos nom, adresse et réponses/.test(await page.textContent('#event-form .consent')), 'the form says what the data is for');
    await page.fill('#ev-name', 'Inès Martin');
    await page.fill('#ev-email', 'ines@etu.fr');
    await page.fill('#ev-q-diet', 'sans gluten');
    // The notice opens beside the form, which keeps what she typed.
    const [notice] = await Promise.all([ctx.waitForEvent('page'), page.click('#event-form .consent a[href="#/privacy"]')]);
    await notice.waitForSelector('#privacy-registrations');
    const said = await notice.textContent('#privacy-body');
    check(/organisateurs de l’événement/.test(said) && /Jamais votre nom/.test(said), `the notice: ${said.slice(0, 300)}`);
    await axeCheck(notice, 'the privacy notice');
    await noSideScroll(notice, 'the privacy notice on a phone');
    await notice.screenshot({ path: join(shots, 'privacy-notice-phone.png'), fullPage: true });
    await notice.close();
    check(await page.inputValue('#ev-q-diet') === 'sans gluten', 'the form is still filled in');
    await page.click('#event-form button[type=submit]');
    await page.waitForSelector('#pass-status');
    await page.click('#pass-body a[href^="#/data/pass/"]');
    await page.waitForSelector('#data-download');
    const shown = await page.textContent('#data-body');
    check(/Inès Martin/.test(shown) && /ines@etu\.fr/.test(shown) && /Régime alimentaire\s*sans gluten/.test(shown), `her data, answers by their question: ${shown}`);
    check(await page.evaluate(() => document.activeElement.id) === 'data-title', 'the heading has the focus');
    check(!/Mes demandes|Compte/.test(await page.textContent('#data-body h3')), 'no account part for a registration');
    await axeCheck(page, 'a registration’s data');
    await noSideScroll(page, 'a registration’s data on a phone');
    await page.screenshot({ path: join(shots, 'privacy-data-phone.png'), fullPage: true });
    // An unknown code says so.
    await page.goto(`${s.url}/#/data/pass/accueil/NOPE1234`);
    await page.waitForSelector('#data-body .error');
    check(/Aucune inscription avec ce code/.test(await page.textContent('#data-body')), 'an unknown code is said so');
    await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('in America/Montreal: a member reads her data in Paris time and downloads it; her administrator opens it too', async () => {
  const s = await site();
  const b = await browser();
  try {
    // Claire's request for the meeting room, 9 March 2027 at 10:00 in Paris, approved by LLV.
    const claire = await s.token(MEMBER);
    const made = await s.api('POST', '/api/reservations', {
      resource: 'meeting-room', start: '2027-03-09T09:00:00Z', end: '2027-03-09T10:00:00Z', attendees: 6, title: 'Comité de pilotage',
    }, claire);
    check(made.status === 201, `booked: ${JSON.stringify(made.body)}`);
    const ctx = await b.newContext({ ...DESKTOP, timezoneId: 'America/Montreal' });
    const page = await ctx.newPage();
    await signIn(page, s, MEMBER);
    await page.goto(`${s.url}/#/account`);
    await page.click('#view-account a[href="#/data"]');
    await page.waitForSelector('#data-download');
    const shown = await page.textContent('#data-body');
    check(/Comité de pilotage/.test(shown) && /10:00/.test(shown) && !/04:00/.test(shown), `the request in Paris time: ${shown}`);
    check(/claire\.martin@univ-artois\.fr/.test(shown), 'her address');
    check(/demandée par Claire Martin/.test(shown), `who took each step: ${shown}`);
    await axeCheck(page, 'one’s own data');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#data-download')]);
    check(/^creneau-mes-donnees-\d{4}-\d\d-\d\d\.json$/.test(download.suggestedFilename()), `file name: ${download.suggestedFilename()}`);
    const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
    check(saved.account.email === MEMBER && saved.reservations[0].reservation.title === 'Comité de pilotage', 'the JSON file holds the same');
    await page.screenshot({ path: join(shots, 'privacy-data-desktop.png'), fullPage: true });

    // Her organisation's administrator opens it from the accounts page.
    const admin = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const ap = await admin.newPage();
    await signIn(ap, s, ADMIN);
    await ap.goto(`${s.url}/#/accounts`);
    await ap.waitForSelector('#acc-rows tr');
    check(/Dernière activité/.test(await ap.textContent('#acc-rows')), 'the accounts list says when each was last active');
    check(await ap.isHidden('#acc-inactive'), 'no dormant account to flag');
    await ap.click('a[aria-label="Données de Claire Martin"]');
    await ap.waitForSelector('#data-download');
    check(/Données de Claire Martin/.test(await ap.textContent('#data-title')), 'the title names her');
    check(/Comité de pilotage/.test(await ap.textContent('#data-body')), 'her request');
    check(/sans les codes ni les sessions/.test(await ap.textContent('#data-body')), 'the copy says what it leaves out');
    check(/Données de Claire Martin/.test(await ap.title()), 'the tab names her too');
    await axeCheck(ap, 'an account’s data');
    await admin.close(); await ctx.close();
  } finally { await b.close(); await s.stop(); }
});

test('erasure: a student erases her registration by her code on a phone, an organiser erases a registrant, an administrator an account', async () => {
  const s = await site();
  const b = await browser();
  try {
    const made = await s.api('POST', '/api/events/accueil/registrations', { name: 'Inès Martin', email: 'ines@etu.fr', answers: { diet: 'halal' } });
    check(made.status === 201, `registered: ${JSON.stringify(made.body)}`);
    const other = await s.api('POST', '/api/events/accueil/registrations', { name: 'Léo Petit', email: 'leo@etu.fr', answers: { diet: 'aucun' } });
    check(other.status === 201, 'Léo registered');
    const ctx = await b.newContext({ ...PHONE, timezoneId: 'Europe/Paris' });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/data/pass/accueil/${made.body.code}`);
    await page.waitForSelector('#erase-go');
    check(await page.isDisabled('#erase-go'), 'the button waits for her to say she understands');
    check(/pour toujours/.test(await page.textContent('.erase')), 'it says the erasure is definitive');
    await axeCheck(page, 'the erasure of a registration');
    await page.check('#erase-sure');
    await page.click('#erase-go');
    await page.waitForFunction(() => document.getElementById('erase-said')?.textContent.includes('Données effacées'));
    const shown = await page.textContent('#data-body');
    check(!/Inès|ines@etu\.fr|halal/.test(shown) && /—/.test(shown), `her data reads erased: ${shown}`);
    await page.screenshot({ path: join(shots, 'privacy-erased-phone.png'), fullPage: true });
    await page.reload();
    await page.waitForSelector('#erase-said');
    check(/ont été effacées/.test(await page.textContent('#erase-said')), 'coming back, the page says it was erased');
    check(await page.$('#erase-go') === null, 'and offers no second erasure');
    await ctx.close();

    // The organiser erases Léo, who lost his code: the button asks once more.
    const orgCtx = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const org = await orgCtx.newPage();
    await signIn(org, s, ORGANISER);
    await org.goto(`${s.url}/#/organise/accueil`);
    await org.waitForSelector('button[aria-label="Effacer les données de Léo Petit"]');
    check(await org.$('button[aria-label="Effacer les données de Inès Martin"]') === null, 'Inès is erased already');
    await org.click('button[aria-label="Effacer les données de Léo Petit"]');
    await org.click('button[aria-label="Confirmer l’effacement définitif des données de Léo Petit"]');
    await org.waitForFunction(() => /Données de Léo Petit effacées/.test(document.getElementById('org-said')?.textContent || ''));
    const rows = await org.textContent('#reg-rows');
    check(!/Léo Petit|leo@etu\.fr|Inès/.test(rows), `the list holds neither: ${rows}`);
    await orgCtx.close();

    // Claire's administrator erases her account from her data page; she is signed out for good.
    const claire = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const cp = await claire.newPage();
    await signIn(cp, s, MEMBER);
    const admin = await b.newContext({ ...DESKTOP, timezoneId: 'Europe/Paris' });
    const ap = await admin.newPage();
    await signIn(ap, s, ADMIN);
    await ap.goto(`${s.url}/#/accounts`);
    await ap.click('a[aria-label="Données de Claire Martin"]');
    await ap.waitForSelector('#erase-go');
    check(/Effacer les données de cette personne/.test(await ap.textContent('#erase-title')), 'the section names what it does');
    await ap.check('#erase-sure');
    await ap.click('#erase-go');
    await ap.waitForFunction(() => document.getElementById('erase-said')?.textContent.includes('Données effacées'));
    check(!/Claire Martin|claire\.martin/.test(await ap.textContent('#data-body')), 'her data page reads erased');
    await ap.goto(`${s.url}/#/accounts`);
    await ap.waitForSelector('#acc-rows tr');
    check(!/Claire Martin/.test(await ap.textContent('#acc-rows')), 'the accounts list no longer names her');
    await cp.goto(`${s.url}/#/account`);
    await cp.reload();
    await cp.waitForSelector('#signin-form:not([hidden]), #view-signin:not([hidden])');
    await admin.close(); await claire.close();
  } finally { await b.close(); await s.stop(); }
});
