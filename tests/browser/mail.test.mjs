// Notifications in the browser app, in Debian's Chromium against the real creneau without a
// mail server: a student registers on a phone with the app in English (their mail is then
// written in English), LLV's administrator sees the held mail in the outbox and discards it,
// and a member chooses which mails they receive and their language.
import { test } from 'node:test';
import { join } from 'node:path';
import { Server, browser, signIn, check, shots, axeCheck, noSideScroll } from './harness.mjs';

const ADMIN = 'direction@llv.fr', ARTOIS = 'claire.martin@univ-artois.fr', ORGANISER = 'jobdating@univ-artois.fr';

const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');

test('a registration made in English is held in the outbox, where the operator discards it', async () => {
  const s = new Server();
  s.addUser(ADMIN, 'Nadia Direction', 'admin', 'llv');
  s.addUser(ORGANISER, 'Paul Organisateur', 'organiser', 'univ-artois');
  await s.start();
  const b = await browser();
  try {
    const organiser = await s.token(ORGANISER);
    const defined = await s.api('PUT', '/api/events/accueil', {
      kind: 'welcome-day', title: 'Journée d’accueil 2027', capacity: 30, opens: inDays(-1), closes: inDays(60),
    }, organiser);
    check(defined.status === 200, JSON.stringify(defined.body));

    // The student, on a phone in Paris, switches the app to English and registers.
    const phone = await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR', bypassCSP: true });
    const student = await phone.newPage();
    await student.goto(`${s.url}/#/event/accueil`);
    await student.click('#lang');
    await student.waitForSelector('#event-form:not([hidden]) #ev-name');
    await student.fill('#ev-name', 'Ana Student');
    await student.fill('#ev-email', 'ana@etu.example');
    await student.click('#event-form button[type=submit]');
    await student.waitForSelector('#view-pass:not([hidden])');

    // LLV's administrator: the mail is held (no mail server), written in English. (The worker
    // holds a new mail within a second, once it has stored the mark.)
    const adminToken = await s.token(ADMIN);
    for (let i = 0; i < 100 && (await s.api('GET', '/api/outbox', null, adminToken)).body.held !== 1; i++)
      await new Promise((r) => setTimeout(r, 100));
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 }, locale: 'fr-FR', bypassCSP: true });
    const page = await ctx.newPage();
    await signIn(page, s, ADMIN);
    check(await page.isVisible('#nav a[href="#/outbox"]'), 'the operator sees the outbox in the menu');
    await page.click('#nav a[href="#/outbox"]');
    await page.waitForSelector('#outbox-rows tr');
    const row = await page.textContent('#outbox-rows tr');
    check(row.includes('ana@etu.example') && row.includes('Registered: Journée d’accueil 2027'), `the held mail: ${row}`);
    check(row.includes('gardé'), `its state, in French: ${row}`);
    check((await page.textContent('#outbox-state')).includes('Aucun serveur de mail'), 'why it is held');
    check(await page.isHidden('#outbox-release'), 'nothing to release without a server');
    await axeCheck(page, 'the outbox');
    if (shots) await page.screenshot({ path: join(shots, 'outbox.png'), fullPage: true });
    page.once('dialog', (d) => d.accept());
    await page.click('#outbox-discard-all');
    await page.waitForFunction(() => document.querySelectorAll('#outbox-rows tr').length === 0);
    check((await page.textContent('#outbox-said')).includes('1 mail(s) écarté(s)'), 'the discard is confirmed');
    const view = await s.api('GET', '/api/outbox', null, adminToken);
    check(view.body.depth === 0, `nothing left: ${JSON.stringify(view.body)}`);
  } finally {
    await b.close();
    await s.stop();
  }
});

test('a member chooses the language of their mails and stops the decisions, on a phone', async () => {
  const s = new Server();
  s.addUser(ADMIN, 'Nadia Direction', 'admin', 'llv');
  s.addUser(ARTOIS, 'Claire Martin', 'member', 'univ-artois');
  await s.start();
  const b = await browser();
  try {
    const ctx = await b.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR', bypassCSP: true });
    const page = await ctx.newPage();
    await signIn(page, s, ARTOIS);
    check(await page.isHidden('#nav a[href="#/outbox"]'), 'a member has no outbox');
    await page.goto(`${s.url}/#/account`);
    await page.waitForSelector('#prefs-form [data-kind="request-decided"]');
    check(await page.isChecked('[data-kind="request-decided"]'), 'decisions are mailed by default');
    check(await page.isHidden('[data-kind="request-new"]'), 'a member is not offered the administrators’ mails');
    await page.selectOption('#prefs-lang', 'en');
    await page.uncheck('[data-kind="request-decided"]');
    await page.click('#prefs-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#prefs-said').textContent.includes('enregistrés'));
    await noSideScroll(page, 'the account page');
    await axeCheck(page, 'the account page');
    if (shots) await page.screenshot({ path: join(shots, 'preferences-phone.png'), fullPage: true });
    await page.reload();
    await page.waitForSelector('#prefs-form [data-kind="request-decided"]');
    await page.waitForFunction(() => document.querySelector('#prefs-lang').value === 'en');
    check(!(await page.isChecked('[data-kind="request-decided"]')), 'the choice stays');
    const me = await s.api('GET', '/api/me', null, await s.token(ARTOIS));
    check(JSON.stringify(me.body.preferences) === JSON.stringify({ copies: false, lang: 'en', muted: ['request-decided'] }),
      JSON.stringify(me.body.preferences));
    // An operator's page is not reachable by its address either.
    await page.goto(`${s.url}/#/outbox`);
    await page.waitForSelector('#view-calendar:not([hidden])');
  } finally {
    await b.close();
    await s.stop();
  }
});
