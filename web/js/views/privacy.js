// The privacy notice (the inventory of docs/privacy.md, for the people it is about) and a
// person's data as a readable page with its JSON to download: one's own (#/data), an account's
// for its organisation's administrators (#/data/user/ID), a registration's by its code
// (#/data/pass/EVENT/CODE).
import { api, el, esc, session } from '../api.js';
import { t } from '../i18n.js';
import { showInstant, showWhen, parisDay } from '../time.js';

const enc = encodeURIComponent;
const PARTS = ['account', 'sessions', 'registrations', 'bookings', 'mails', 'logs'];
let shownFor = null;  // the route of the data page shown last

export function loadPrivacy() {
  el('privacy-body').innerHTML = `<p>${esc(t('privacy.intro'))}</p>
    <div class="scroll" tabindex="0"><table class="cards privacy"><caption class="sr">${esc(t('privacy.title'))}</caption>
      <thead><tr>${['what', 'why', 'who', 'howLong'].map((c) => `<th scope="col">${esc(t(`privacy.col.${c}`))}</th>`).join('')}</tr></thead>
      <tbody>${PARTS.map((p) => `<tr id="privacy-${p}">${['what', 'why', 'who', 'howLong'].map((c, i) =>
        `<td data-label="${esc(t(`privacy.col.${c}`))}">${i === 0 ? '<strong>' : ''}${esc(t(`privacy.${p}.${c}`))}${i === 0 ? '</strong>' : ''}</td>`).join('')}</tr>`).join('')}</tbody></table></div>
    <h3>${esc(t('privacy.rights'))}</h3>
    <p>${esc(t('privacy.access'))}${session.me ? ` <a href="#/data">${esc(t('privacy.mine'))}</a>` : ''}</p>
    <p>${esc(t('privacy.others'))}</p>`;
  if (sessionStorage.getItem('creneau.erased')) {
    sessionStorage.removeItem('creneau.erased');
    el('privacy-body').insertAdjacentHTML('afterbegin', `<p class="said" role="status">${esc(t('erase.doneMine'))}</p>`);
  }
}

// An action's words where the app has them (history.*, audit.*), its name otherwise.
const said = (prefix, action) => (t(`${prefix}.${action}`) === `${prefix}.${action}` ? action : t(`${prefix}.${action}`));
const none = () => `<p class="caption">${esc(t('data.none'))}</p>`;
const list = (xs, item) => (xs?.length ? `<ul class="data-list">${xs.map((x) => `<li>${item(x)}</li>`).join('')}</ul>` : none());
const pairs = (entries) => `<dl class="data-pairs">${entries.filter(([, v]) => v !== undefined && v !== '')
  .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;

function registrationHtml(x) {
  const r = x.registration;
  const labels = x.event?.questions || {};
  const answers = Object.entries(r.answers || {}).map(([id, v]) => [Object.hasOwn(labels, id) ? labels[id] : id, v]);
  return `<strong>${esc(x.event?.title || r.event)}</strong> — ${esc(t(`pass.status.${r.status}`))}
    ${pairs([[t('data.name'), r.name], [t('data.email'), r.email], [t('data.code'), r.code],
      [t('data.description'), r.description], [t('data.team'), x.team?.name]])}
    ${answers.length ? `<p>${esc(t('data.answers'))}</p>${pairs(answers)}` : ''}
    ${x.meetings?.length ? `<p>${esc(t('data.meetings'))}</p>${list(x.meetings, (m) => `${esc(showInstant(m.start))} — ${esc(m.with)}`)}` : ''}`;
}

function reservationHtml(x) {
  const r = x.reservation;
  return `<strong>${esc(r.title)}</strong> — ${esc(r.resource_name)}, ${esc(showWhen(r.start, r.end))} — ${esc(t(`status.${r.status}`))}
    <p>${esc(t('data.history'))}</p>${list(x.history, (h) => `${esc(showInstant(h.at))} — ${esc(t('data.stepBy', { step: said('history', h.action), name: h.actor_name }))}${h.detail ? ` (${esc(h.detail)})` : ''}`)}`;
}

// The path of the document a route names, or null for a route that names none.
function source(kind, a, b) {
  if (kind === 'pass' && a && b) return `/api/events/${enc(a)}/registrations/${enc(b)}/data`;
  if (kind === 'user' && a) return `/api/users/${enc(a)}/data`;
  if (!kind) return '/api/me/data';
  return null;
}

export async function loadData(kind, a, b) {
  const box = el('data-body');
  box.innerHTML = '';
  el('data-title').textContent = t('data.title');
  const path = source(kind, a, b);
  if (!path) { box.innerHTML = `<p class="error" role="alert">${esc(t('data.unknownPage'))}</p>`; return; }
  if (kind !== 'pass' && !session.me) { sessionStorage.setItem('creneau.after', location.hash); location.hash = '#/signin'; return; }
  const asked = location.hash;
  const fresh = asked !== shownFor;  // a new page, not the same one again (another language)
  let d;
  try { d = await api('GET', path); } catch (e) {
    if (location.hash !== asked) return;
    if (e.status === 404 && kind === 'pass') { box.innerHTML = `<p class="error" role="alert">${esc(t('pass.unknown'))}</p>`; return; }
    throw e;
  }
  if (location.hash !== asked) return;  // left meanwhile
  shownFor = asked;
  const who = kind === 'pass' ? t('data.registration') : kind === 'user' ? d.account.name : t('data.them');
  const title = kind === 'user' ? t('data.seeOf', { name: d.account.name }) : t('data.title');
  el('data-title').textContent = title;
  document.title = `${title} — Créneau`;
  const day = parisDay(d.generated);
  const name = kind === 'pass' ? `${t('data.fileRegistration')}-${day}` : kind === 'user' ? `${t('data.fileAccount')}-${a}-${day}` : `${t('data.fileMine')}-${day}`;
  const file = new Blob([JSON.stringify(d, null, 2)], { type: 'application/json' });
  const back = kind === 'pass' ? `<a href="#/pass/${enc(a)}/${enc(b)}">${esc(t('data.backToPass'))}</a> · ` : '';
  box.innerHTML = `<p>${esc(t('data.intro', { who, at: showInstant(d.generated) }))}</p>
    <p><a id="data-download" class="button" download="creneau-${esc(name)}.json" href="${URL.createObjectURL(file)}">${esc(t('data.download'))}</a>
      ${back}<a href="#/privacy">${esc(t('privacy.link'))}</a></p>
    ${d.account ? `<h3>${esc(t('data.account'))}</h3>${pairs([[t('data.name'), d.account.name], [t('data.email'), d.account.email],
      [t('data.organisation'), d.account.organisation_name], [t('data.role'), t(`role.${d.account.role}`)], [t('data.lang'), d.account.lang === 'en' ? 'English' : 'Français'],
      [t('data.lastActive'), d.account.last_active ? showInstant(d.account.last_active) : '']])}` : ''}
    ${d.sessions ? `<h3>${esc(t('data.sessions'))}</h3>${list(d.sessions, (s) => esc(`${t('account.opened', { at: showInstant(s.opened) })}, ${t('account.expires', { at: showInstant(s.expires) })}`))}` : ''}
    ${d.account && !d.sessions ? `<p class="caption">${esc(t('data.adminCopy'))}</p>` : ''}
    <h3>${esc(t('data.registrations'))}</h3>${list(d.registrations, registrationHtml)}
    ${d.account ? `<h3>${esc(t('data.reservations'))}</h3>${list(d.reservations, reservationHtml)}
      <h3>${esc(t('data.decisions'))}</h3>${list(d.decisions, (x) => `${esc(showInstant(x.at))} — ${esc(said('history', x.action))} ${esc(x.reservation)}${x.detail ? ` (${esc(x.detail)})` : ''}`)}
      <h3>${esc(t('data.changes'))}</h3>${list(d.changes, (x) => `${esc(showInstant(x.at))} — ${esc(said('audit', x.action))} ${esc(x.subject)}`)}` : ''}`;
  if (d.erased) box.insertAdjacentHTML('beforeend', `<p class="said" id="erase-said" role="status">${esc(t('erase.already'))}</p>`);
  else { box.insertAdjacentHTML('beforeend', eraseHtml(kind)); wireErase(kind, path, a, b); }
  if (fresh) el('data-title').focus();
}

// Erasure (docs/privacy.md, "Erasure"): definitive, so asked twice; what billing and the
// counts need stays.
function eraseHtml(kind) {
  const mine = kind !== 'user';
  return `<section class="erase" aria-labelledby="erase-title"><h3 id="erase-title">${esc(t(mine ? 'erase.titleMine' : 'erase.title'))}</h3>
    <p>${esc(t(kind === 'pass' ? 'erase.whatPass' : kind === 'user' ? 'erase.whatUser' : 'erase.whatMine'))}</p>
    <p><label><input id="erase-sure" type="checkbox"> ${esc(t('erase.sure'))}</label></p>
    <p><button id="erase-go" type="button" class="danger" disabled>${esc(t(mine ? 'erase.goMine' : 'erase.go'))}</button></p>
    <p id="erase-said" role="status"></p></section>`;
}

function wireErase(kind, path, a, b) {
  const sure = el('erase-sure'), go = el('erase-go'), said = el('erase-said');
  sure.onchange = () => { go.disabled = !sure.checked; };
  go.onclick = async () => {
    go.disabled = true;
    said.className = '';
    said.textContent = '';
    session.leaving = !kind;
    try {
      await api('DELETE', path);
    } catch (e) {
      session.leaving = false;
      said.className = 'error';
      said.textContent = e.message;
      go.disabled = !sure.checked;
      return;
    }
    if (!kind) {
      // One's own account is gone, and its session with it.
      sessionStorage.setItem('creneau.erased', '1');
      location.hash = '#/privacy';
      location.reload();
      return;
    }
    // The page again, as it now reads: the placeholders, and what was kept.
    const asked = location.hash;
    await loadData(kind, a, b);
    if (location.hash === asked && el('erase-said')) el('erase-said').textContent = t('erase.done');
  };
}
