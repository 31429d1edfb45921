// Events for everyone (docs/domain.md, "Events"): the list of upcoming events, an event's page with
// its registration form built from its questions, and for a Job Dating the companies to
// rank by name and description. Registering leads to the personal page (views/pass.js).
import { api, el, esc, session, isOrganiser, oneReadAtATime } from '../api.js';
import { t, lang } from '../i18n.js';
import { showWhen, showInstant, showTime } from '../time.js';
import { checkForm, clearErrors, fieldError, showProblem } from '../forms.js';
import { rankingEditor } from './ranking.js';
import { onLive, subscribe, liveSeq } from '../live.js';

export const eventKind = (k) => t(`ev.kind.${k}`);

// When and where: the sessions of its rooms, or the Job Dating's day.
export function whenWhere(e) {
  const parts = (e.sessions || []).map((x) => `${showWhen(x.start, x.end)}${x.resource_name ? ` — ${x.resource_name}` : ''}`);
  if (!parts.length && e.kind === 'job-dating' && e.slot_times?.length) parts.push(showWhen(e.slot_times[0], e.day_end));
  return parts;
}

export function placesLine(e) {
  const left = Math.max(0, e.capacity - e.counts.registered);
  return left > 0 ? t('ev.placesLeft', { n: left, of: e.capacity }) : t('ev.full', { n: e.counts.waiting });
}

export function windowLine(e) {
  const now = Date.now();
  if (now < Date.parse(e.opens)) return t('ev.opensAt', { at: showInstant(e.opens) });
  if (now >= Date.parse(e.closes)) return t('ev.closed');
  return t('ev.closesAt', { at: showInstant(e.closes) });
}

function upcomingOf(events) {
  const now = Date.now();
  const last = (e) => Date.parse(e.ends || e.closes);
  return events.filter((e) => last(e) >= now).sort((a, b) => Date.parse(a.starts || a.opens) - Date.parse(b.starts || b.opens));
}

// The home page names the next three events.
export async function loadHomeEvents() {
  const next = upcomingOf(await api('GET', '/api/events')).slice(0, 3);
  el('home-events').hidden = !next.length;
  el('home-events-list').innerHTML = next.map((e) => `<li><a href="#/event/${encodeURIComponent(e.id)}">${esc(e.title)}</a>
    <small>${esc(whenWhere(e)[0] || windowLine(e))}</small></li>`).join('');
}

// Read again on every event's live change: one read at a time (web/js/api.js).
export const loadEvents = oneReadAtATime(readEvents);

async function readEvents() {
  const since = liveSeq();
  const upcoming = upcomingOf(await api('GET', '/api/events'));
  const list = el('events-list');
  el('events-new').hidden = !isOrganiser();
  list.innerHTML = upcoming.length ? upcoming.map((e) => `<li class="event-card">
      <h3><a href="#/event/${encodeURIComponent(e.id)}">${esc(e.title)}</a></h3>
      <p class="kind">${esc(eventKind(e.kind))}${e.restricted ? ` · ${esc(t('ev.restricted'))}` : ''}</p>
      ${whenWhere(e).map((w) => `<p>${esc(w)}</p>`).join('')}
      <p>${esc(placesLine(e))}</p>
      <p class="caption">${esc(windowLine(e))}</p>
      ${e.manage ? `<p><a href="#/organise/${encodeURIComponent(e.id)}">${esc(t('ev.organise'))}</a></p>` : ''}
    </li>`).join('') : `<li>${esc(t('ev.none'))}</li>`;
  // Their counts, live: each change of one reads the list again (main.js).
  if (upcoming.length) subscribe(upcoming.map((e) => `event:${e.id}`), since);
}

// The event whose page is shown: its places and the form's button follow its registrations
// live, without touching what is being typed.
let showing = null;
const refreshPlaces = oneReadAtATime(async () => {
  const id = showing;
  const e = await api('GET', `/api/events/${encodeURIComponent(id)}`);
  if (id !== showing || !el('ev-places')) return;
  el('ev-places').textContent = placesLine(e);
  const button = el('ev-submit');
  if (button) button.textContent = t(e.counts.registered >= e.capacity ? 'ev.submitWaiting' : 'ev.submit');
});
onLive((m) => {
  if (showing && location.hash.startsWith('#/event/') && (m.topic === `event:${showing}` || m.type === 'reload')) refreshPlaces().catch(() => {});
});

// The registration form of one event; a Job Dating asks whether one is a student or a company.
export async function loadEvent(id) {
  el('event-title').textContent = '';
  el('event-info').innerHTML = '';
  el('event-form').hidden = true;
  el('event-form-closed').hidden = true;
  el('event-resend').hidden = true;
  const since = liveSeq();
  const e = await api('GET', `/api/events/${encodeURIComponent(id)}`);
  el('event-title').textContent = e.title;
  document.title = `${e.title} — Créneau`;
  el('event-info').innerHTML = `<p class="kind">${esc(eventKind(e.kind))}</p>
    ${whenWhere(e).map((w) => `<p>${esc(w)}</p>`).join('')}
    <p class="description">${esc(e.description)}</p>
    <p><strong id="ev-places">${esc(placesLine(e))}</strong></p>
    <p class="caption">${esc(windowLine(e))}</p>
    ${e.kind === 'culturathon' ? `<p>${esc(t('ev.teamRule', { min: e.team_min, max: e.team_max }))}</p>` : ''}
    ${e.kind === 'job-dating' && e.timetable_published ? `<p><a href="#/board/${encodeURIComponent(e.id)}">${esc(t('ev.board'))}</a></p>` : ''}
    ${e.manage ? `<p><a href="#/organise/${encodeURIComponent(e.id)}">${esc(t('ev.organise'))}</a></p>` : ''}
    <p><a href="/api/events/${encodeURIComponent(e.id)}/calendar.ics" download>${esc(t('ev.ics'))}</a></p>`;
  showing = e.id;
  subscribe([`event:${e.id}`], since);
  resendBox(e);
  const open = Date.now() >= Date.parse(e.opens) && Date.now() < Date.parse(e.closes);
  const form = el('event-form');
  form.hidden = !open && !e.manage;
  if (form.hidden) return;
  const full = e.counts.registered >= e.capacity;
  const companies = e.kind === 'job-dating' ? await api('GET', `/api/events/${encodeURIComponent(id)}/companies`) : [];
  form.innerHTML = `<h3>${esc(t('ev.register'))}</h3>
    <label for="ev-name" id="ev-name-label">${esc(t('ev.name'))}</label><input id="ev-name" type="text" maxlength="200" autocomplete="name" required>
    <label for="ev-email">${esc(t('ev.email'))}</label><input id="ev-email" type="email" maxlength="254" autocomplete="email" required>
    ${e.kind === 'job-dating' ? jobDatingFields(e) : ''}
    ${e.questions.map((q) => `<label for="ev-q-${esc(q.id)}">${esc(q.label)}${q.required ? ' *' : ''}</label>
      <input id="ev-q-${esc(q.id)}" data-question="${esc(q.id)}" type="text" maxlength="2000" ${q.required ? 'required' : ''}>`).join('')}
    <p class="consent">${esc(t(`ev.consent.${e.kind}`))} <a href="#/privacy" target="_blank" rel="noopener">${esc(t('privacy.link'))}<span class="sr"> ${esc(t('privacy.newTab'))}</span></a></p>
    <button type="submit" id="ev-submit">${esc(t(full ? 'ev.submitWaiting' : 'ev.submit'))}</button>`;
  if (session.me) { el('ev-name').value = session.me.name; el('ev-email').value = session.me.email || ''; }
  let ranking = null;
  if (e.kind === 'job-dating') {
    ranking = rankingEditor(el('ev-ranking'), companies, []);
    const role = () => form.querySelector('input[name="ev-role"]:checked')?.value;
    const showRole = () => {
      el('ev-name-label').textContent = t(role() === 'company' ? 'jd.companyName' : 'ev.name');
      el('ev-name').autocomplete = role() === 'company' ? 'organization' : 'name';
      form.querySelectorAll('[data-role]').forEach((x) => { x.hidden = x.dataset.role !== role(); });
      form.querySelectorAll('[data-role] [required-if-shown]').forEach((x) => { x.required = x.closest('[data-role]').dataset.role === role(); });
    };
    form.querySelectorAll('input[name="ev-role"]').forEach((r) => { r.onchange = showRole; });
    showRole();
  }
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    if (!checkForm(form)) return;
    // The mails the registrant gets (their code, a promotion, a timetable) speak the page's language.
    const body = { name: el('ev-name').value.trim(), email: el('ev-email').value.trim(), answers: {}, lang: lang() };
    form.querySelectorAll('[data-question]').forEach((x) => { if (x.value.trim()) body.answers[x.dataset.question] = x.value.trim(); });
    if (e.kind === 'job-dating') {
      const role = form.querySelector('input[name="ev-role"]:checked')?.value;
      if (!role) { const first = form.querySelector('input[name="ev-role"]'); fieldError(first, t('field.required')); first.focus(); return; }
      Object.assign(body, jobDatingBody(e, role, ranking));
    }
    try {
      const r = await api('POST', `/api/events/${encodeURIComponent(id)}/registrations`, body);
      sessionStorage.setItem(`creneau.new.${id}`, r.code);
      location.hash = `#/pass/${encodeURIComponent(id)}/${encodeURIComponent(r.code)}`;
    } catch (err) {
      clearErrors(form);
      const fields = { name: el('ev-name'), email: el('ev-email'), ranking: el('ev-ranking-list'), max_meetings: el('ev-max'), last_slot: el('ev-leave'), description: el('ev-description') };
      form.querySelectorAll('[data-question]').forEach((x) => { fields[`answers/${x.dataset.question}`] = x; });
      showProblem(form, err, fields, 'event');
      // Registered already: the way back to one's page is the mail, sent again.
      if (err?.problem?.code === 'exists' && err.problem.field === 'email') {
        el('ev-resend').open = true;
        el('ev-resend-email').value = body.email;
      }
    }
  };
}

// For one who registered and lost their mail: it is sent again to the address they give. The
// answer is the same whether the address is registered or not.
function resendBox(e) {
  const box = el('event-resend');
  box.hidden = false;
  box.innerHTML = `<details id="ev-resend"><summary>${esc(t('ev.resend'))}</summary>
    <form id="ev-resend-form" novalidate>
      <p class="caption">${esc(t('ev.resendHelp'))}</p>
      <label for="ev-resend-email">${esc(t('ev.email'))}</label><input id="ev-resend-email" type="email" maxlength="254" autocomplete="email" required>
      <button type="submit" id="ev-resend-submit">${esc(t('ev.resendSubmit'))}</button>
      <p id="ev-resend-done" role="status"></p>
    </form></details>`;
  const form = el('ev-resend-form');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    el('ev-resend-done').textContent = '';
    if (!checkForm(form)) return;
    const email = el('ev-resend-email').value.trim();
    try {
      await api('POST', `/api/events/${encodeURIComponent(e.id)}/resend`, { email });
      el('ev-resend-done').textContent = t('ev.resendDone', { email, title: e.title });
    } catch (err) {
      clearErrors(form);
      showProblem(form, err, { email: el('ev-resend-email') }, 'resend');
    }
  };
}

// Slot options: arriving for a slot ("09:00", its start), leaving after one ("09:15", its end).
export function slotOptions(e, selected, leaving = false) {
  return (e.slot_times || []).map((iso, i) => {
    const at = leaving ? new Date(Date.parse(iso) + e.slot_minutes * 60000).toISOString() : iso;
    const pause = (e.breaks || []).includes(i) ? ` (${t('jd.break')})` : '';
    return `<option value="${i}" ${i === selected ? 'selected' : ''}>${esc(showTime(at))}${esc(pause)}</option>`;
  }).join('');
}

function jobDatingFields(e) {
  const last = (e.slot_times || []).length - 1;
  return `<fieldset class="roles"><legend>${esc(t('jd.iam'))}</legend>
      <label><input type="radio" name="ev-role" value="student"> ${esc(t('jd.student'))}</label>
      <label><input type="radio" name="ev-role" value="company"> ${esc(t('jd.company'))}</label></fieldset>
    <div data-role="company" hidden class="subform">
      <label for="ev-description">${esc(t('jd.description'))}</label><textarea id="ev-description" maxlength="1000" rows="3" required-if-shown></textarea>
      <label for="ev-tables">${esc(t('jd.tables'))}</label><input id="ev-tables" type="number" min="1" max="20" value="1">
    </div>
    <div data-role="student" hidden class="subform">
      <div id="ev-ranking" class="ranking-box"></div>
    </div>
    <div data-role-any class="subform">
      <label for="ev-max">${esc(t('jd.max'))}</label><input id="ev-max" type="number" min="0" max="1000" value="0">
      <p class="hint-line">${esc(t('jd.maxHint'))}</p>
      <label for="ev-arrive">${esc(t('jd.arrive'))}</label><select id="ev-arrive">${slotOptions(e, 0)}</select>
      <label for="ev-leave">${esc(t('jd.leave'))}</label><select id="ev-leave">${slotOptions(e, last, true)}</select>
    </div>`;
}

function jobDatingBody(e, role, ranking) {
  const body = {
    role, max_meetings: +el('ev-max').value || 0,
    first_slot: +el('ev-arrive').value, last_slot: +el('ev-leave').value,
  };
  if (role === 'company') { body.description = el('ev-description').value.trim(); body.tables = +el('ev-tables').value || 1; }
  else body.ranking = ranking.value();
  return body;
}
