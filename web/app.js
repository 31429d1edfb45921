// Créneau's browser app: the live availability calendar, requests with their quotes,
// the organisation's requests, usage of the agreements, and LLV's approval queue.
// Plain ES module; the calendar is @event-calendar/build and the chart Chart.js, both
// served by creneau from node_modules. Times are shown in Europe/Paris whatever the
// browser's zone. The live protocol is described in docs/live-protocol.md.

const ZONE = 'Europe/Paris';

// ---- words ------------------------------------------------------------------------------

const WORDS = {
  fr: {
    skip: 'Aller au contenu', 'nav.calendar': 'Calendrier', 'nav.request': 'Demander une salle',
    'nav.mine': 'Mes demandes', 'nav.usage': 'Consommation', 'nav.admin': 'Demandes à traiter',
    signout: 'Se déconnecter', 'signin.title': 'Se connecter', 'signin.email': 'Adresse électronique',
    'signin.password': 'Mot de passe', 'signin.submit': 'Se connecter', 'signin.failed': 'Connexion refusée',
    'calendar.title': 'Disponibilité des salles', 'calendar.day': 'Jour', 'calendar.week': 'Semaine',
    'calendar.hint': 'Sélectionnez un créneau pour le demander.',
    'status.pending': 'En attente', 'status.approved': 'Confirmée', 'status.refused': 'Refusée',
    'status.cancelled': 'Annulée', 'live.live': 'En direct', 'live.reconnecting': 'Reconnexion…',
    'live.connecting': 'Connexion…', 'request.title': 'Demander une salle', 'request.resource': 'Salle',
    'request.layout': 'Disposition', 'request.attendees': 'Participants', 'request.start': 'Début (heure de Paris)',
    'request.end': 'Fin (heure de Paris)', 'request.titleField': 'Intitulé', 'request.submit': 'Envoyer la demande',
    'request.sent': 'Demande envoyée : {id}, en attente de l’accord de LLV.',
    'quote.free': 'Gratuit', 'quote.billed': 'Payant', 'quote.total': 'Total',
    'quote.left': 'Mises à disposition gratuites restantes en {year} : {left} sur {limit}',
    'quote.hours': 'Heures MuséoLab {year} : {used} h utilisées sur {quota} h',
    'quote.fill': 'Remplissez le formulaire pour voir le devis.', 'quote.refused': 'Refusé',
    'mine.title': 'Demandes de mon organisation', 'col.room': 'Salle', 'col.when': 'Quand', 'col.title': 'Intitulé',
    'col.status': 'État', 'col.total': 'Total', 'col.actions': 'Actions', 'col.org': 'Organisation',
    'action.cancel': 'Annuler', 'action.approve': 'Accepter', 'action.refuse': 'Refuser', 'action.reason': 'Motif du refus',
    'action.confirm': 'Confirmer le refus', 'usage.title': 'Consommation des conventions', 'usage.agreement': 'Convention',
    'usage.year': 'Année', 'usage.csv': 'Télécharger le CSV', 'usage.used': 'Utilisées', 'usage.held': 'Réservées',
    'usage.left': 'Restantes', 'usage.limit': 'Par an', 'usage.billable': 'À facturer', 'usage.line': 'Ligne',
    'usage.alert': 'Alerte : {t} % du quota atteint', 'admin.title': 'Demandes en attente', 'empty': 'Aucune.',
  },
  en: {
    skip: 'Skip to content', 'nav.calendar': 'Calendar', 'nav.request': 'Request a room', 'nav.mine': 'My requests',
    'nav.usage': 'Usage', 'nav.admin': 'Requests to decide', signout: 'Sign out', 'signin.title': 'Sign in',
    'signin.email': 'Email', 'signin.password': 'Password', 'signin.submit': 'Sign in', 'signin.failed': 'Sign-in refused',
    'calendar.title': 'Room availability', 'calendar.day': 'Day', 'calendar.week': 'Week',
    'calendar.hint': 'Select a slot to request it.', 'status.pending': 'Pending', 'status.approved': 'Approved',
    'status.refused': 'Refused', 'status.cancelled': 'Cancelled', 'live.live': 'Live', 'live.reconnecting': 'Reconnecting…',
    'live.connecting': 'Connecting…', 'request.title': 'Request a room', 'request.resource': 'Room',
    'request.layout': 'Layout', 'request.attendees': 'Attendees', 'request.start': 'Start (Paris time)',
    'request.end': 'End (Paris time)', 'request.titleField': 'Title', 'request.submit': 'Send the request',
    'request.sent': 'Request sent: {id}, pending LLV’s approval.', 'quote.free': 'Free', 'quote.billed': 'Billed',
    'quote.total': 'Total', 'quote.left': 'Free bookings left in {year}: {left} of {limit}',
    'quote.hours': 'MuséoLab hours {year}: {used} h used of {quota} h', 'quote.fill': 'Fill in the form to see the quote.',
    'quote.refused': 'Refused', 'mine.title': 'My organisation’s requests', 'col.room': 'Room', 'col.when': 'When',
    'col.title': 'Title', 'col.status': 'Status', 'col.total': 'Total', 'col.actions': 'Actions', 'col.org': 'Organisation',
    'action.cancel': 'Cancel', 'action.approve': 'Approve', 'action.refuse': 'Refuse', 'action.reason': 'Reason for refusal',
    'action.confirm': 'Confirm the refusal', 'usage.title': 'Agreements’ usage', 'usage.agreement': 'Agreement',
    'usage.year': 'Year', 'usage.csv': 'Download the CSV', 'usage.used': 'Used', 'usage.held': 'Held', 'usage.left': 'Left',
    'usage.limit': 'Per year', 'usage.billable': 'Billable', 'usage.line': 'Line', 'usage.alert': 'Alert: {t} % of the quota reached',
    'admin.title': 'Pending requests', 'empty': 'None.',
  },
};
let lang = localStorage.getItem('creneau.lang') || 'fr';
const t = (key, vars = {}) => (WORDS[lang][key] ?? key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

function translate() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  const b = document.getElementById('lang');
  b.textContent = lang === 'fr' ? 'EN' : 'FR';
  b.setAttribute('aria-label', lang === 'fr' ? 'English' : 'Français');
  setLive(liveState);
}

// ---- time in Europe/Paris -----------------------------------------------------------------

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', hourCycle: 'h23',
});
function parisParts(ms) {
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, s: +p.second };
}
const pad = (n) => String(n).padStart(2, '0');
// "2027-03-09T09:00:00" on Paris's wall clock.
function parisFloating(iso) {
  const p = parisParts(Date.parse(iso));
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}
// A Paris wall-clock time (y, mo, d, h, mi) to the instant, as an ISO string in UTC.
function parisToUtc(y, mo, d, h, mi) {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const offsetAt = (ms) => { const p = parisParts(ms); return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - ms; };
  let ms = guess - offsetAt(guess);
  ms = guess - offsetAt(ms);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
function localInputToUtc(value) { // "2027-03-09T09:00" from a datetime-local field
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  return m ? parisToUtc(+m[1], +m[2], +m[3], +m[4], +m[5]) : null;
}
function floatingDateToInput(date) { // the calendar's floating Date (wall clock in UTC fields)
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}
function showWhen(startIso, endIso) {
  const f = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: ZONE, dateStyle: 'medium', timeStyle: 'short' });
  const e = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: ZONE, timeStyle: 'short' });
  return `${f.format(new Date(startIso))} – ${e.format(new Date(endIso))}`;
}
const euros = (cents) => new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);

// ---- the API ----------------------------------------------------------------------------

async function api(method, path, body) {
  const res = await fetch(path, {
    method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw Object.assign(new Error(data.detail || res.statusText), { problem: data, status: res.status });
  return data;
}

let me = null;        // the signed-in user, or null
let resources = [];   // the bookable resources
const el = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// ---- the live calendar ---------------------------------------------------------------------

let calendar = null;
const shown = new Map();  // reservation id → {id, resource, start, end, status}
let range = null;         // the calendar's visible range, as UTC ISO strings

function renderEvents() {
  if (!calendar) return;
  const events = [];
  for (const r of shown.values()) {
    if (r.status !== 'pending' && r.status !== 'approved') continue;
    events.push({
      id: r.id, resourceIds: [r.resource], start: parisFloating(r.start), end: parisFloating(r.end),
      title: t(`status.${r.status}`), classNames: [r.status], extendedProps: { status: r.status },
    });
  }
  calendar.setOption('events', events);
}

async function loadRange() {
  if (!range) return;
  const lists = await Promise.all(resources.map((r) => api('GET',
    `/api/availability?resource=${encodeURIComponent(r.id)}&from=${range.from}&to=${range.to}`).catch(() => null)));
  lists.forEach((a, i) => {
    if (!a) return;
    for (const [id, r] of shown) if (r.resource === resources[i].id && r.start < range.to && r.end > range.from && !r.live) shown.delete(id);
    a.busy.forEach((b, k) => {
      // Availability has no ids (no personal data): key them by resource and period.
      const key = `${resources[i].id}@${b.start}`;
      if (![...shown.values()].some((x) => x.resource === resources[i].id && x.start === b.start)) {
        shown.set(key, { id: key, resource: resources[i].id, start: b.start, end: b.end, status: b.status });
      }
    });
  });
  renderEvents();
}

function applyFact(m) {
  const d = m.data;
  // Entries loaded from the availability are keyed by period: replace them by the id.
  for (const [key, r] of shown) if (key !== d.id && r.resource === d.resource && r.start === d.start && !r.live) shown.delete(key);
  shown.set(d.id, { id: d.id, resource: d.resource, start: d.start, end: d.end, status: d.status, live: true });
  renderEvents();
  if (current === 'admin') loadAdmin();
  if (current === 'mine') loadMine();
}

function setupCalendar() {
  const signedMember = !!me;
  calendar = EventCalendar.create(el('calendar'), {
    view: window.matchMedia('(max-width: 640px)').matches ? 'resourceTimelineDay' : 'resourceTimeGridWeek',
    timeZone: 'UTC',  // events are given as Paris wall-clock times
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
    firstDay: 1, nowIndicator: false, allDaySlot: false, height: 'auto', slotMinTime: '07:00', slotMaxTime: '23:00',
    resources: resources.map((r) => ({ id: r.id, title: r.name })),
    headerToolbar: { start: 'prev,next today', center: 'title', end: '' },
    buttonText: { today: lang === 'fr' ? "Aujourd'hui" : 'Today' },
    selectable: signedMember,
    select: (info) => openRequest(info.resource?.id, floatingDateToInput(info.start), floatingDateToInput(info.end)),
    datesSet: (info) => {
      const from = new Date(info.start.getTime() - 86400000).toISOString().replace('.000Z', 'Z');
      const to = new Date(info.end.getTime() + 86400000).toISOString().replace('.000Z', 'Z');
      range = { from, to };
      loadRange();
    },
  });
  document.querySelectorAll('[data-view]').forEach((b) => {
    b.setAttribute('aria-pressed', String(calendar.getOption('view') === b.dataset.view));
    b.onclick = () => {
      calendar.setOption('view', b.dataset.view);
      document.querySelectorAll('[data-view]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
    };
  });
}

// ---- the live channel --------------------------------------------------------------------

let socket = null, lastSeq = null, attempts = 0, liveState = 'connecting';
function setLive(state) {
  liveState = state;
  const s = el('live');
  s.dataset.state = state;
  s.textContent = t(`live.${state}`);
}
function connectLive() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
  socket = ws;
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.type === 'hello') {
      ws.send(JSON.stringify(lastSeq === null ? { op: 'subscribe', topics: ['calendar:*'] }
        : { op: 'subscribe', topics: ['calendar:*'], since: lastSeq }));
      if (lastSeq === null) lastSeq = m.seq;
    } else if (m.type === 'subscribed') {
      attempts = 0;
      setLive('live');
      lastSeq = Math.max(lastSeq ?? 0, m.seq);
    } else if (m.type === 'reload') {
      lastSeq = m.seq;
      loadRange();
    } else if (typeof m.seq === 'number' && m.data) {
      lastSeq = Math.max(lastSeq ?? 0, m.seq);
      applyFact(m);
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    setLive('reconnecting');
    // Randomised exponential backoff, from a quarter second up to ten seconds.
    const delay = Math.min(10000, 250 * 2 ** attempts++) * (0.5 + Math.random());
    setTimeout(connectLive, delay);
  };
}

// ---- the request form and its live quote ----------------------------------------------------

function fillResources() {
  const select = el('rq-resource');
  select.innerHTML = resources.map((r) => `<option value="${esc(r.id)}">${esc(r.name)}</option>`).join('');
  select.onchange = () => { fillLayouts(); quoteSoon(); };
  fillLayouts();
}
function fillLayouts() {
  const r = resources.find((x) => x.id === el('rq-resource').value);
  el('rq-layout').innerHTML = (r?.layouts || []).map((l) => `<option value="${esc(l.id)}">${esc(l.id)} (${l.capacity})</option>`).join('');
}
function openRequest(resource, start, end) {
  location.hash = '#/request';
  if (resource) { el('rq-resource').value = resource; fillLayouts(); }
  if (start) el('rq-start').value = start;
  if (end) el('rq-end').value = end;
  el('request-result').textContent = '';
  quoteSoon();
  el('rq-title').focus();
}
function requestBody() {
  return {
    resource: el('rq-resource').value, layout: el('rq-layout').value, attendees: Number(el('rq-attendees').value),
    start: localInputToUtc(el('rq-start').value), end: localInputToUtc(el('rq-end').value), title: el('rq-title').value,
  };
}
function renderQuote(q) {
  const lines = q.lines.map((l) => `<li>${esc(l.label)} : ${euros(l.amount_cents)}</li>`).join('');
  let extra = '';
  if (q.allowance) extra = `<p class="allowance">${esc(t('quote.left', q.allowance))}</p>`;
  if (q.hours) extra = `<p class="allowance">${esc(t('quote.hours', { year: q.hours.year, used: (q.hours.used_minutes / 60).toFixed(1), quota: q.hours.quota_minutes / 60 }))}</p>`;
  el('quote').innerHTML = `<p class="${q.free ? 'free' : 'billed'}" data-testid="quote-kind">${esc(q.free ? t('quote.free') : t('quote.billed'))}</p>${extra}
    <ul>${lines}</ul><p><strong>${esc(t('quote.total'))} : <span data-testid="quote-total">${euros(q.total_cents)}</span></strong></p>`;
}
let quoteTimer = null, quoteRound = 0;
function quoteSoon() {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(async () => {
    const body = requestBody();
    if (!body.start || !body.end || !body.attendees) { el('quote').textContent = t('quote.fill'); return; }
    if (!body.title) body.title = '—';
    const round = ++quoteRound;
    try {
      const r = await api('POST', '/api/quotes', body);
      if (round === quoteRound) renderQuote(r.quote);
    } catch (e) {
      if (round === quoteRound) el('quote').innerHTML = `<p class="error" role="alert">${esc(t('quote.refused'))} : ${esc(e.message)}</p>`;
    }
  }, 200);
}

// ---- lists -----------------------------------------------------------------------------------

const statusBadge = (s) => `<span class="status ${esc(s)}">${esc(t(`status.${s}`))}</span>`;
const roomName = (id) => resources.find((r) => r.id === id)?.name || id;

async function loadMine() {
  const rows = await api('GET', '/api/reservations?limit=500');
  el('mine-rows').innerHTML = rows.length ? rows.map((r) => `<tr>
    <td>${esc(roomName(r.resource))}</td><td>${esc(showWhen(r.start, r.end))}</td><td>${esc(r.title)}</td>
    <td>${statusBadge(r.status)}</td><td>${euros(r.quote.total_cents)}</td>
    <td>${r.status === 'pending' || r.status === 'approved' ? `<button type="button" data-cancel="${esc(r.id)}">${esc(t('action.cancel'))}</button>` : ''}</td>
  </tr>`).join('') : `<tr><td colspan="6">${esc(t('empty'))}</td></tr>`;
  el('mine-rows').querySelectorAll('[data-cancel]').forEach((b) => {
    b.onclick = async () => { await api('POST', `/api/reservations/${b.dataset.cancel}/cancel`, {}); loadMine(); };
  });
}

async function loadAdmin() {
  const rows = await api('GET', '/api/reservations?status=pending&limit=500');
  el('admin-rows').innerHTML = rows.length ? rows.map((r) => `<tr>
    <td>${esc(roomName(r.resource))}</td><td>${esc(showWhen(r.start, r.end))}</td><td>${esc(r.title)}</td>
    <td>${esc(r.organisation_name)}</td><td>${euros(r.quote.total_cents)}${r.quote.free ? ` (${esc(t('quote.free'))})` : ''}</td>
    <td><button type="button" class="primary" data-approve="${esc(r.id)}">${esc(t('action.approve'))}</button>
      <button type="button" data-refuse="${esc(r.id)}">${esc(t('action.refuse'))}</button>
      <span hidden data-reason-for="${esc(r.id)}"><label for="reason-${esc(r.id)}">${esc(t('action.reason'))}</label>
      <input id="reason-${esc(r.id)}" type="text"><button type="button" data-confirm="${esc(r.id)}">${esc(t('action.confirm'))}</button></span></td>
  </tr>`).join('') : `<tr><td colspan="6">${esc(t('empty'))}</td></tr>`;
  const body = el('admin-rows');
  body.querySelectorAll('[data-approve]').forEach((b) => {
    b.onclick = async () => { await api('POST', `/api/reservations/${b.dataset.approve}/approve`); loadAdmin(); };
  });
  body.querySelectorAll('[data-refuse]').forEach((b) => {
    b.onclick = () => { const span = body.querySelector(`[data-reason-for="${b.dataset.refuse}"]`); span.hidden = false; span.querySelector('input').focus(); };
  });
  body.querySelectorAll('[data-confirm]').forEach((b) => {
    b.onclick = async () => {
      const reason = el(`reason-${b.dataset.confirm}`).value;
      try { await api('POST', `/api/reservations/${b.dataset.confirm}/refuse`, { reason }); loadAdmin(); } catch (e) { alert(e.message); }
    };
  });
}

let chart = null;
async function loadUsage() {
  const agreements = await api('GET', '/api/agreements');
  const sel = el('us-agreement');
  if (!sel.options.length) {
    sel.innerHTML = agreements.map((a) => `<option value="${esc(a.id)}">${esc(a.name)}</option>`).join('');
    const year = parisParts(Date.now()).y;
    el('us-year').innerHTML = [year - 1, year, year + 1, year + 2].map((y) => `<option${y === year ? ' selected' : ''}>${y}</option>`).join('');
    sel.onchange = loadUsage;
    el('us-year').onchange = loadUsage;
  }
  if (!sel.value) return;
  const u = await api('GET', `/api/agreements/${encodeURIComponent(sel.value)}/usage?year=${el('us-year').value}`);
  el('us-csv').href = `/api/agreements/${encodeURIComponent(sel.value)}/usage?year=${el('us-year').value}&format=csv`;
  const rooms = u.resources.filter((r) => r.allowance);
  el('us-rows').innerHTML = rooms.map((r) => `<tr><td>${esc(r.name)}</td><td>${r.allowance.used}</td><td>${r.allowance.held}</td>
    <td>${r.allowance.left}</td><td>${r.allowance.limit}</td></tr>`).join('');
  el('us-hours').innerHTML = u.resources.filter((r) => r.hours).map((r) => `<p><label>${esc(r.name)} :
    <progress max="${r.hours.quota_hours * 60}" value="${r.hours.used_minutes}"></progress>
    ${(r.hours.used_minutes / 60).toFixed(1)} h / ${r.hours.quota_hours} h</label></p>
    ${r.hours.alerts.map((a) => `<p class="error" role="alert">${esc(t('usage.alert', { t: a }))}</p>`).join('')}`).join('');
  el('us-lines').innerHTML = u.billable.length ? u.billable.map((l) => `<tr><td>${esc(showWhen(l.start, l.end))}</td>
    <td>${esc(roomName(l.resource))}</td><td>${esc(l.label)}</td><td>${euros(l.amount_cents)}</td></tr>`).join('')
    + `<tr><th colspan="3">${esc(t('quote.total'))}</th><th>${euros(u.total_cents)}</th></tr>` : `<tr><td colspan="4">${esc(t('empty'))}</td></tr>`;
  const data = {
    labels: rooms.map((r) => r.name),
    datasets: [
      { label: t('usage.used'), data: rooms.map((r) => r.allowance.used), backgroundColor: '#0b6b3a' },
      { label: t('usage.held'), data: rooms.map((r) => r.allowance.held), backgroundColor: '#c98a00' },
      { label: t('usage.left'), data: rooms.map((r) => r.allowance.left), backgroundColor: '#9aa5b1' },
    ],
  };
  if (chart) chart.destroy();
  chart = new Chart(el('us-chart'), { type: 'bar', data, options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } } });
}

// ---- pages -------------------------------------------------------------------------------

let current = 'calendar';
const VIEWS = ['calendar', 'signin', 'request', 'mine', 'usage', 'admin'];
function route() {
  const [path, query] = location.hash.replace(/^#\//, '').split('?');
  let name = path || 'calendar';
  // #/calendar?date=2027-03-08 opens the calendar on that date.
  const date = new URLSearchParams(query || '').get('date');
  if (date && calendar && /^\d{4}-\d{2}-\d{2}$/.test(date)) calendar.setOption('date', date);
  if (!VIEWS.includes(name)) name = 'calendar';
  if (!me && ['request', 'mine', 'usage', 'admin'].includes(name)) name = 'signin';
  current = name;
  for (const v of VIEWS) el(`view-${v}`).hidden = v !== name;
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  if (name === 'mine') loadMine().catch(() => {});
  if (name === 'admin') loadAdmin().catch(() => {});
  if (name === 'usage') loadUsage().catch(() => {});
  if (name === 'request') quoteSoon();
}

function showUser() {
  const admin = me?.role === 'admin';
  document.querySelectorAll('[data-need]').forEach((x) => {
    const need = x.dataset.need;
    x.hidden = need === 'admin' ? !admin : need === 'member' ? !me : !me;
  });
  el('who').textContent = me ? `${me.name} (${me.organisation_name})` : '';
  el('signout').hidden = !me;
  el('signin-link').hidden = !!me;
}

async function main() {
  translate();
  el('lang').onclick = () => { lang = lang === 'fr' ? 'en' : 'fr'; localStorage.setItem('creneau.lang', lang); translate(); renderEvents(); route(); };
  try { me = await api('GET', '/api/me'); } catch { me = null; }
  resources = (await api('GET', '/api/resources')).filter((r) => r.kind !== 'opening-hours' && r.owner === 'llv');
  showUser();
  fillResources();
  setupCalendar();
  connectLive();
  ['rq-resource', 'rq-layout', 'rq-attendees', 'rq-start', 'rq-end', 'rq-title'].forEach((id) => el(id).addEventListener('input', quoteSoon));
  el('request-form').onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/reservations', requestBody());
      el('request-result').innerHTML = `${statusBadge(r.status)} ${esc(t('request.sent', { id: r.id }))}`;
      quoteSoon();
    } catch (e) {
      el('request-result').innerHTML = `<span class="error" role="alert">${esc(e.message)}</span>`;
    }
  };
  el('signin-form').onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/session', { email: el('signin-email').value, password: el('signin-password').value });
      location.hash = '#/calendar';
      location.reload();
    } catch (e) {
      el('signin-error').textContent = `${t('signin.failed')} : ${e.message}`;
    }
  };
  el('signout').onclick = async () => { await api('DELETE', '/api/session').catch(() => {}); location.hash = '#/calendar'; location.reload(); };
  window.addEventListener('hashchange', route);
  route();
}

main();
