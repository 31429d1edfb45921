// Créneau's browser app: the shell (navigation, language, who is signed in, the live
// state) and the router of its views, one module each under views/. The calendar is
// @event-calendar/build and the usage chart Chart.js, served by creneau from node_modules.
import { api, el, session, isAdmin, isOrganiser, isOperatorAdmin, oneReadAtATime, bookableRooms } from './api.js';
import { t, lang, setLang, translate, problemText, addWords } from './i18n.js';
import { connectLive, onLive, reconnectLive, subscribe, showLiveState } from './live.js';
import { noteRepeatedHours } from './forms.js';
import { setupCalendar, relabelCalendar, showCalendarDate, loadFree, refreshResources } from './views/calendar.js';
import { setupRequest, fillResources, quoteSoon } from './views/request.js';
import { refillWeekdays } from './views/series.js';
import { loadMine } from './views/mine.js';
import { loadAdmin } from './views/admin.js';
import { loadUsage } from './views/usage.js';
import { loadAccounts } from './views/accounts.js';
import { loadAccount } from './views/account.js';
import { loadLink, loadSetup } from './views/link.js';
import { loadAudit } from './views/audit.js';
import { loadCatalogue } from './views/catalogue.js';
import { EVENT_WORDS } from './words-events.js';
import { MAIL_WORDS } from './words-mail.js';
import { PRIVACY_WORDS } from './words-privacy.js';
import { WAITLIST_WORDS } from './words-waitlist.js';
import { WINDOW_WORDS } from './words-window.js';
import { loadWindows, loadWindow, setupWindow, windowBusy } from './views/window.js';
import { loadPrivacy, loadData } from './views/privacy.js';
import { loadOutbox } from './views/outbox.js';
import { loadEvents, loadEvent, loadHomeEvents } from './views/events.js';
import { loadPass, refreshPass, leavePass } from './views/pass.js';
import { loadOrganise, loadDoor, loadEventEdit, refreshCounts, organising } from './views/organise.js';
import { loadBuilder, loadBoard, boardMessage, leaveBoard, boardShowing } from './views/jobdating.js';

addWords(EVENT_WORDS);
addWords(MAIL_WORDS);
addWords(PRIVACY_WORDS);
addWords(WAITLIST_WORDS);
addWords(WINDOW_WORDS);

const VIEWS = {
  calendar: { title: 'calendar.title' },
  signin: { title: 'signin.title' },
  request: { title: 'request.title', need: 'member', load: () => quoteSoon() },
  mine: { title: 'mine.title', need: 'member', load: loadMine },
  window: { title: 'window.title', need: 'member', load: loadWindow },
  usage: { title: 'usage.title', need: 'member', load: loadUsage },
  admin: { title: 'admin.title', need: 'admin', load: loadAdmin },
  accounts: { title: 'accounts.title', need: 'admin', load: loadAccounts },
  audit: { title: 'audit.title', need: 'admin', load: loadAudit },
  outbox: { title: 'outbox.title', need: 'operator', load: () => loadOutbox() },
  catalogue: { title: 'cat.title', need: 'admin', load: loadCatalogue },
  account: { title: 'account.title', need: 'member', load: loadAccount },
  link: { title: 'link.welcome', load: (arg) => loadLink(arg) },
  setup: { title: 'setup.title', load: (arg) => loadSetup(arg) },
  events: { title: 'ev.title', load: loadEvents },
  event: { title: 'ev.title', load: (id) => loadEvent(id) },
  pass: { title: 'pass.title', load: (id, code) => loadPass(id, code) },
  organise: { title: 'org.title', need: 'organiser', load: (id) => loadOrganise(id) },
  door: { title: 'door.title', need: 'organiser', load: (id) => loadDoor(id) },
  'edit-event': { title: 'edit.new', need: 'organiser', load: (id) => loadEventEdit(id) },
  timetable: { title: 'jd.builder', need: 'organiser', load: (id) => loadBuilder(id) },
  board: { title: 'board.title', load: (id) => loadBoard(id) },
  privacy: { title: 'privacy.title', load: loadPrivacy },
  data: { title: 'data.title', load: (kind, a, b) => loadData(kind, a, b) },
};
const ALIASES = { welcome: 'link', reset: 'link' };

let current = 'calendar';
// `moved`: a move from another view (a link, the history), not the page's first view.
function route(moved = false) {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const [first, ...args] = path.split('/').map((x) => { try { return decodeURIComponent(x); } catch { return x; } });
  let name = ALIASES[first] || first || 'calendar';
  const date = new URLSearchParams(query || '').get('date');
  if (date) showCalendarDate(date);
  if (!VIEWS[name]) name = 'calendar';
  const need = VIEWS[name].need;
  if ((need && !session.me) || (need === 'admin' && !isAdmin()) || (need === 'organiser' && !isOrganiser()) ||
      (need === 'operator' && !isOperatorAdmin())) {
    if (!session.me) sessionStorage.setItem('creneau.after', location.hash);
    name = session.me ? 'calendar' : 'signin';
  }
  if (current === 'pass' && name !== 'pass') leavePass();
  if (current === 'board' && name !== 'board') leaveBoard();
  if (name !== 'organise' && name !== 'door' && name !== 'timetable') organising.view = null;
  current = name;
  document.body.classList.toggle('full-screen', name === 'board');
  for (const v of Object.keys(VIEWS)) el(`view-${v}`).hidden = v !== name;
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  document.title = `${t(VIEWS[name].title, { name: '' }).replace(/,\s*$/, '')} — Créneau`;
  el(`view-${name}`).querySelector('.load-problem')?.remove();
  const shown = VIEWS[name].load?.(...args);
  shown?.catch?.((e) => showLoadProblem(name, e));
  if (moved) Promise.resolve(shown).catch(() => {}).finally(() => { if (current === name) focusView(name); });
}

// A table wide enough to scroll is a stop for the keyboard (so that it can be scrolled): it
// is named by its caption, else its view's heading, so that the stop says what it is. Named by
// reference, the name follows the text when the language changes; a caption drawn again
// (the table's contents replaced) is referred to anew.
let regionNames = 0;
function nameScrollRegions(root) {
  const inside = root.closest?.('.scroll[tabindex="0"]');
  const boxes = inside ? [inside] : [...root.querySelectorAll('.scroll[tabindex="0"]')];
  for (const box of boxes) {
    if (box.hasAttribute('aria-label')) continue;  // named by its view
    if (document.getElementById(box.getAttribute('aria-labelledby') || '')) continue;
    const title = box.querySelector('caption') || box.closest('section')?.querySelector('h2');
    if (!title?.textContent.trim()) continue;
    title.id ||= `region-name-${++regionNames}`;
    box.setAttribute('role', 'region');
    box.setAttribute('aria-labelledby', title.id);
  }
}

// After a move to another view, the keyboard goes to its heading, so that a screen reader says
// where one is and Tab goes on inside the view; unless the view put it somewhere of its own (a
// form's first field) or the person already moved it.
function focusView(name) {
  const section = el(`view-${name}`);
  const at = document.activeElement;
  if (section.hidden || section.contains(at)) return;
  if (at && at !== document.body && !at.closest('header, nav, [hidden]')) return;
  const heading = section.querySelector('h1, h2');
  if (!heading) return;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
}

// A view that could not load says why in its own section (an unknown event, no rights …).
function showLoadProblem(name, e) {
  const section = el(`view-${name}`);
  if (!section) return;
  section.querySelector('.load-problem')?.remove();
  const p = document.createElement('p');
  p.className = 'load-problem error';
  p.setAttribute('role', 'alert');
  p.textContent = problemText(e);
  // What may be behind a "not found" for someone not signed in: an event for some
  // organisations only.
  if (e?.status === 404 && !session.me && ['event', 'pass', 'board'].includes(name)) {
    p.append(' ', t('ev.maybeRestricted'), ' ');
    const a = document.createElement('a');
    a.href = '#/signin';
    a.textContent = t('signin.title');
    sessionStorage.setItem('creneau.after', location.hash);
    p.append(a);
  }
  section.append(p);
}

function showUser() {
  document.querySelectorAll('[data-need]').forEach((x) => {
    const need = x.dataset.need;
    x.hidden = need === 'admin' ? !isAdmin() : need === 'operator' ? !isOperatorAdmin() : need === 'window' ? !session.windows?.length : !session.me;
  });
  // A student association asks through its single window: LLV's request form and the
  // agreements' usage are not for it.
  const association = session.organisations.find((o) => o.id === session.me?.organisation)?.category === 'student-association';
  document.querySelectorAll('#nav a[href="#/request"], #nav a[href="#/usage"]').forEach((a) => { if (association) a.hidden = true; });
  el('who').textContent = session.me ? `${session.me.name} (${session.me.organisation_name})` : '';
  el('signout').hidden = !session.me;
  el('signin-link').hidden = !!session.me;
}

// What a session shows once it is known, at the start or when it comes back: the single
// windows its person runs, the header and menus, and the catalogue's changes for an
// administrator.
async function showSession() {
  await loadWindows();
  showUser();
  if (isAdmin()) subscribe(['catalogue']);
}

// The session ended elsewhere (signed out in another tab, a password or rights changed, the
// account disabled) or the server no longer knows it: the header shows a visitor's menu and a
// notice says why. A view with something typed in it stays, so that it can still be copied;
// one for members that only shows what the session could see gives way to the sign-in form
// (a shared computer). Signing in again (which reloads the page) comes back to it.
function sessionEnded() {
  if (!session.me || session.leaving) return;
  session.endedFor = session.me.id;
  session.me = null;
  session.windows = [];
  sessionStorage.setItem('creneau.after', location.hash);
  showUser();
  el('session-ended').hidden = false;
  const typed = [...el(`view-${current}`).querySelectorAll('input, textarea')]
    .some((x) => !['hidden', 'checkbox', 'radio'].includes(x.type) && x.value !== x.defaultValue);
  if (VIEWS[current].need && !typed) route();
}

// Coming back to a tab whose session ended (its window focused, or shown again): a sign-in in
// another tab gave the whole browser a session again. The same person carries on where they
// were: the header, the menus, the rooms they may book and the live channel's topics come back;
// a view that gave way to the sign-in form comes back too, one kept for what was typed in it
// stays as it is. Another person gets a fresh page, since this one holds what the first could
// see.
let checkingBack = false;
async function sessionBack() {
  if (!session.endedFor || checkingBack || document.visibilityState !== 'visible') return;
  checkingBack = true;
  try {
    let me;
    try { me = await api('GET', '/api/me'); } catch { return; }
    if (!session.endedFor || !me?.id) return;
    const after = sessionStorage.getItem('creneau.after');
    sessionStorage.removeItem('creneau.after');
    if (me.id !== session.endedFor) { location.reload(); return; }
    session.endedFor = null;
    session.me = me;
    el('session-ended').hidden = true;
    reconnectLive();
    await refreshResources().catch(() => {});
    fillResources();
    await showSession();
    if (current !== 'signin') return;
    if (location.hash === '#/signin' && after && after !== '#/signin') location.hash = after;
    else route();
  } finally {
    checkingBack = false;
  }
}

function relabel() {
  translate();
  noteRepeatedHours();
  const b = el('lang');
  b.textContent = lang() === 'fr' ? 'EN' : 'FR';
  b.setAttribute('aria-label', lang() === 'fr' ? 'English' : 'Français');
  showLiveState();
}

// An organiser's registrations or door screen read again on its event's live changes, as they
// stand when the read begins, one read at a time (web/js/api.js). While a form or a button
// row has the focus, only the counts are read: the page under it is not drawn again.
const readOrganisingAgain = oneReadAtATime(async () => {
  const editing = document.activeElement?.closest?.('#walkin-form, #door-form, #door-find, #organise-body .bar, #organise-body .actions, #teams-box');
  if (organising.view === 'door' || editing) await refreshCounts(organising.id);
  else if (organising.view === 'organise') await loadOrganise(organising.id);
});

// The timetable builder read again on its timetable's changes and on the departures that
// withdraw meetings, one read at a time; not while the organiser works in it (a search time
// being typed, a pin button focused), nor once they have gone to another page.
const readBuilderAgain = oneReadAtATime(async () => {
  if (current !== 'timetable' || document.activeElement?.closest?.('#jd-budget, #timetable-body .grid-wrap')) return;
  await loadBuilder(organising.id);
});
const WITHDRAWING = new Set(['registration-left', 'participation-changed', 'registration-promoted']);

async function main() {
  relabel();
  el('lang').onclick = () => {
    setLang(lang() === 'fr' ? 'en' : 'fr');
    relabel();
    relabelCalendar();
    fillResources();
    refillWeekdays();
    quoteSoon();
    loadHomeEvents().catch(() => {});
    route();
  };
  try { session.me = await api('GET', '/api/me'); } catch { session.me = null; }
  const [resources, organisations, agreements] = await Promise.all([api('GET', '/api/resources'), api('GET', '/api/organisations'),
    session.me ? api('GET', '/api/agreements').catch(() => []) : []]);
  session.organisations = organisations;
  session.operator = organisations.find((o) => o.operator)?.id || '';
  session.agreements = agreements;
  session.resources = bookableRooms(resources);
  session.allResources = resources;
  await showSession();
  setupRequest();
  setupWindow();
  setupCalendar();
  onLive((m) => {
    if (m.topic === 'catalogue' || m.type === 'reload') {
      if (current === 'audit') loadAudit().catch(() => {});
      if (current === 'accounts') loadAccounts().catch(() => {});
      if (current === 'catalogue' && !document.activeElement?.closest('#cat-body form')) loadCatalogue().catch(() => {});
    }
    const topic = m.topic || '';
    if (current === 'pass' && (topic.startsWith('event:') || topic.startsWith('jobdating:') || m.type === 'reload')) refreshPass(m).catch(() => {});
    if (current === 'board' && !boardMessage(m) && (topic === `jobdating:${boardShowing.id}` || (topic === `event:${boardShowing.id}` && WITHDRAWING.has(m.type)) || m.type === 'reload')) route();
    if (organising.id && (topic === `event:${organising.id}` || topic === `jobdating:${organising.id}` || m.type === 'reload')) {
      if (organising.view === 'door' || organising.view === 'organise') readOrganisingAgain().catch(() => {});
      else if (organising.view === 'timetable' && (!topic.startsWith('event:') || WITHDRAWING.has(m.type))) readBuilderAgain().catch(() => {});
    }
    if (current === 'events' && (topic.startsWith('event:') || m.type === 'reload')) loadEvents().catch(() => {});
    // The window's page: its requests, and where their reservations stand.
    if (current === 'window' && (topic.startsWith('window:') || topic.startsWith('calendar:') || m.type === 'reload') && !windowBusy()) loadWindow().catch(() => {});
    if ((m.topic || '').startsWith('calendar:') || m.type === 'reload') {
      // A refusal reason being typed, a cancellation being confirmed: the redraw waits for the
      // next change after it (the action itself reads the page again).
      const busy = (view) => !!document.querySelector(`${view} [data-reason-for]:not([hidden]), ${view} [data-confirm-for]:not([hidden])`);
      if (current === 'admin' && !busy('#view-admin')) loadAdmin().catch(() => {});
      if (current === 'mine' && !busy('#view-mine')) loadMine().catch(() => {});
      if (m.type === 'resource-defined') fillResources();
    }
  });
  connectLive();
  el('signin-form').onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/session', { email: el('signin-email').value, password: el('signin-password').value });
      location.hash = sessionStorage.getItem('creneau.after') || '#/calendar';
      sessionStorage.removeItem('creneau.after');
      location.reload();
    } catch (e) {
      const why = e.status === 429 ? t('problem.too-many-attempts') : e.code === 'account-disabled' ? t('problem.account-disabled') : t('problem.bad-credentials');
      el('signin-error').textContent = `${t('signin.failed')}${t('sep')}${why}`;
    }
  };
  window.addEventListener('creneau:session-ended', sessionEnded);
  window.addEventListener('focus', () => { sessionBack(); });
  document.addEventListener('visibilitychange', () => { sessionBack(); });
  // Signing in again from the notice starts in the form's first field.
  el('session-ended').querySelector('a').addEventListener('click', () => {
    if (location.hash === '#/signin') el('signin-email').focus();
    else window.addEventListener('hashchange', () => el('signin-email').focus(), { once: true });
  });
  el('signout').onclick = async () => {
    session.leaving = true;
    await api('DELETE', '/api/session').catch(() => {});
    location.hash = '#/calendar';
    location.reload();
  };
  window.addEventListener('hashchange', () => route(true));
  // The link of the view one is on changes no address: it moves the keyboard all the same.
  el('nav').addEventListener('click', (ev) => {
    const a = ev.target.closest('a');
    if (a && a.getAttribute('href') === location.hash) focusView(current);
  });
  nameScrollRegions(document.body);
  new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => { if (n.nodeType === 1) nameScrollRegions(n); })))
    .observe(document.body, { childList: true, subtree: true });
  route();
  loadFree();
  loadHomeEvents().catch(() => {});
}

main();
