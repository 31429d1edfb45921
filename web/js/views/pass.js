// A registrant's personal page, reached by the registration code (no account needed): the
// code as text and as a QR code for the door, the status (registered, waiting with its
// position, checked in, left) kept live, leaving, the event's .ics; a Culturathon team; a
// Job Dating's wishes until the timetable is published, then the personal timetable.
import { api, el, esc, oneReadAtATime } from '../api.js';
import { t, problemText } from '../i18n.js';
import { showTime, showDay, showInstant } from '../time.js';
import { subscribe } from '../live.js';
import { checkForm, clearErrors, fieldError } from '../forms.js';
import { rankingEditor } from './ranking.js';
import { whenWhere, eventKind, slotOptions } from './events.js';

let showing = null;  // { event, code } on screen, for live updates

const path = (id, code, rest = '') => `/api/events/${encodeURIComponent(id)}/registrations/${encodeURIComponent(code)}${rest}`;

async function qrSvg(text) {
  const { default: qrcode } = await import('/node_modules/qrcode-generator/dist/qrcode.mjs');
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return qr.createSvgTag({ cellSize: 6, margin: 2, scalable: true });
}

export const passShowing = () => showing;

export async function loadPass(id, code) {
  showing = { event: id, code };
  subscribe([`event:${id}`, `jobdating:${id}`]);
  const box = el('pass-body');
  let me;
  try { me = await api('GET', path(id, code)); } catch (e) {
    el('pass-title').textContent = t('pass.title');
    box.innerHTML = `<p class="error" role="alert">${esc(e.status === 404 ? t('pass.unknown') : problemText(e))}</p>`;
    return;
  }
  const e = me.event, r = me.registration;
  const fresh = sessionStorage.getItem(`creneau.new.${id}`) === code;
  el('pass-title').textContent = t('pass.titleOf', { title: e.title });
  const status = r.status === 'waiting' ? t('pass.waiting', { n: me.position }) : t(`pass.status.${r.status}`);
  // One who is in the room stays in: the place is no longer theirs to give up.
  const active = r.status !== 'left' && r.status !== 'checked-in';
  const placed = r.status === 'registered' || r.status === 'checked-in';
  // Said on every reading of the page until it is left: a live change reads it again.
  const justLeft = leaving === `${id}/${code}` && r.status === 'left';
  meetings = 0;
  box.innerHTML = `${fresh ? `<p class="saved" role="status">${esc(t(r.status === 'waiting' ? 'pass.doneWaiting' : 'pass.done'))}</p>` : ''}
    ${justLeft ? `<p class="saved" role="status">${esc(t('pass.left'))}</p>` : ''}
    <p class="kind">${[esc(eventKind(e.kind)), ...whenWhere(e).map(esc)].join('<br>')}</p>
    <div class="pass">
      <div><p>${esc(t('pass.name'))} <strong>${esc(r.name)}</strong></p>
        <p>${esc(t('pass.code'))} <strong class="code" id="pass-code">${esc(r.code)}</strong><br><small>${esc(t('pass.codePrivate'))}</small></p>
        <p class="status-line ${esc(r.status)}" id="pass-status" aria-live="polite">${esc(status)}</p>
        ${r.status === 'left' ? '' : `<p class="hint-line">${esc(t(placed ? 'pass.keep' : 'pass.keepNoPlace'))}</p>`}
        <p class="pass-link"><label for="pass-url">${esc(t('pass.link'))}</label>
          <input id="pass-url" readonly value="${esc(location.href)}"> <button type="button" id="pass-copy">${esc(t('accounts.copy'))}</button></p></div>
      ${placed ? `<div class="qr" role="img" aria-label="${esc(t('pass.qr', { code: r.code }))}" id="pass-qr"></div>` : ''}
    </div>
    <p>${r.status === 'left' ? '' : `<a href="/api/events/${encodeURIComponent(id)}/calendar.ics" download>${esc(t('ev.ics'))}</a>
      · `}<a href="#/event/${encodeURIComponent(id)}">${esc(t('pass.eventPage'))}</a>
      · <a href="#/data/pass/${encodeURIComponent(id)}/${encodeURIComponent(r.code)}">${esc(t('data.title'))}</a>
      · <a href="#/privacy">${esc(t('privacy.link'))}</a></p>
    <div id="pass-team"></div><div id="pass-jd"></div>
    ${active ? `<div class="leave"><button type="button" class="danger" id="pass-leave">${esc(t('pass.leave'))}</button>
      <span id="pass-leave-ask" hidden role="group"><span>${esc(t('pass.leaveAsk'))}</span>
      <button type="button" class="danger" id="pass-leave-yes">${esc(t('pass.leaveYes'))}</button>
      <button type="button" id="pass-leave-no">${esc(t('action.keep'))}</button></span>
      <span id="pass-leave-said" role="alert" class="error"></span></div>` : ''}`;
  if (placed) qrSvg(r.code).then((svg) => { el('pass-qr').innerHTML = svg; el('pass-qr').querySelector('svg')?.setAttribute('aria-hidden', 'true'); }).catch(() => {});
  el('pass-copy').onclick = async () => {
    try { await navigator.clipboard.writeText(el('pass-url').value); el('pass-copy').textContent = t('pass.copied'); } catch { el('pass-url').select(); }
  };
  if (active) wireLeave(id, code);
  if (e.kind === 'culturathon' && (r.status === 'registered' || r.status === 'checked-in')) showTeam(id, code, me);
  if (e.kind === 'job-dating' && r.status !== 'left' && r.status !== 'waiting') await showJobDating(id, code, me);
}

// The meetings of a published Job Dating timetable the page shows, which leaving cancels.
let meetings = 0;
// The registration given up on this page, to say so while it shows it.
let leaving = null;

function wireLeave(id, code) {
  el('pass-leave').onclick = () => {
    el('pass-leave-ask').querySelector('span').textContent = t(meetings ? 'pass.leaveAskMeetings' : 'pass.leaveAsk', { n: meetings });
    el('pass-leave-ask').hidden = false; el('pass-leave').hidden = true; el('pass-leave-no').focus();
  };
  el('pass-leave-no').onclick = () => { el('pass-leave-ask').hidden = true; el('pass-leave').hidden = false; el('pass-leave').focus(); };
  el('pass-leave-yes').onclick = async () => {
    // Known before the answer: a live change may read the page again before it comes, and
    // that reading too must say the place was given up.
    leaving = `${id}/${code}`;
    try {
      await api('POST', `/api/events/${encodeURIComponent(id)}/leave`, { code });
      sessionStorage.removeItem(`creneau.new.${id}`);
      await loadPass(id, code);
      el('pass-title').focus();
    } catch (e) { leaving = null; el('pass-leave-said').textContent = problemText(e, 'event'); }
  };
}

function showTeam(id, code, me) {
  const box = el('pass-team');
  const team = me.team;
  const e = me.event;
  box.innerHTML = `<h3 tabindex="-1">${esc(t('team.title'))}</h3>
    <p class="caption">${esc(t('ev.teamRule', { min: e.team_min, max: e.team_max }))}</p>
    ${team ? `<p>${esc(t('team.yours', { name: team.name }))}</p>
      <p>${esc(t('team.code'))} <strong class="code team-code">${esc(team.code)}</strong></p>
      <p class="hint-line">${esc(t('team.share'))}</p>
      ${team.member_names.length < e.team_min ? `<p class="warning">${esc(t('team.needMore', { n: e.team_min - team.member_names.length }))}</p>` : ''}
      <ul>${team.member_names.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
      <button type="button" id="team-leave">${esc(t('team.leave'))}</button>`
    : `<form id="team-create" novalidate><label for="team-name">${esc(t('team.name'))}</label><input id="team-name" maxlength="100" required>
        <button type="submit">${esc(t('team.create'))}</button></form>
      <form id="team-join" novalidate><label for="team-code">${esc(t('team.joinCode'))}</label><input id="team-code" maxlength="20" required autocapitalize="characters">
        <button type="submit">${esc(t('team.join'))}</button></form>`}
    <p id="team-said" role="alert" class="error"></p>`;
  // A refusal about a field (the name, the code) is said at it; any other under the forms.
  const act = async (url, body, form = null) => {
    el('team-said').textContent = '';
    try {
      await api('POST', `/api/events/${encodeURIComponent(id)}/teams${url}`, { code, ...body });
      await loadPass(id, code);
      el('pass-team').querySelector('h3')?.focus();
    } catch (err) {
      const at = { name: '#team-name', team_code: '#team-code' }[err?.problem?.field];
      const input = at && form?.querySelector(at);
      if (input) { fieldError(input, problemText(err, 'team')); input.focus(); } else el('team-said').textContent = problemText(err, 'team');
    }
  };
  if (team) el('team-leave').onclick = () => act('/leave', {});
  else {
    for (const [form, input, url, key] of [['team-create', 'team-name', '', 'name'], ['team-join', 'team-code', '/join', 'team_code']]) {
      // One form at a time: what the other said no longer stands.
      el(form).onsubmit = (ev) => { ev.preventDefault(); clearErrors(box); if (checkForm(el(form))) act(url, { [key]: el(input).value.trim() }, el(form)); };
    }
  }
}

async function showJobDating(id, code, me) {
  const box = el('pass-jd');
  const e = me.event, r = me.registration;
  if (me.timetable_published) {
    const tt = await api('GET', `/api/events/${encodeURIComponent(id)}/timetable/${encodeURIComponent(code)}`);
    meetings = tt.meetings.filter((m) => !m.withdrawn && Date.parse(m.end) > Date.now()).length;
    box.innerHTML = `<h3>${esc(t('jd.timetable'))}</h3><p class="caption">${esc(showDay(e.slot_times[0]))}</p>
      ${tt.meetings.length ? `<ol class="timetable">${tt.meetings.map((m) => `<li${m.withdrawn ? ' class="withdrawn"' : ''}><time datetime="${esc(m.start)}">${esc(showTime(m.start))}–${esc(showTime(m.end))}</time>
        <span>${esc(t('jd.table', { n: m.table + 1 }))}</span><strong>${esc(m.with)}</strong>${m.withdrawn ? `<em>${esc(t('jd.cancelledOther', { name: m.with }))}</em>` : ''}</li>`).join('')}</ol>` : `<p>${esc(t('jd.noMeeting'))}</p>`}
      ${tt.meetings.some((m) => m.withdrawn) ? `<p class="hint-line">${esc(t('jd.replanSoon'))}</p>` : ''}
      <p><a href="/api/events/${encodeURIComponent(id)}/timetable/${encodeURIComponent(code)}.ics" download>${esc(t('jd.ics'))}</a></p>`;
    return;
  }
  const last = e.slot_times.length - 1;
  if (Date.now() >= Date.parse(e.closes)) {
    box.innerHTML = `<h3>${esc(t('jd.myWishes'))}</h3><p>${esc(t('jd.final'))}</p>`;
    return;
  }
  box.innerHTML = `<h3>${esc(t('jd.myWishes'))}</h3><p class="caption">${esc(t('jd.untilClosing', { at: showInstant(e.closes) }))}</p>
    <form id="jd-form" novalidate>
      ${r.role === 'student' ? '<div id="jd-ranking" class="ranking-box"></div>' : `
        <label for="jd-description">${esc(t('jd.description'))}</label><textarea id="jd-description" maxlength="1000" rows="3">${esc(r.description)}</textarea>
        <label for="jd-tables">${esc(t('jd.tables'))}</label><input id="jd-tables" type="number" min="1" max="20" value="${r.tables}">
        <h4 class="full">${esc(t('jd.students'))}</h4>
        ${(me.students || []).length ? me.students.map((s) => `<fieldset class="student-choice"><legend>${esc(s.name)}</legend>
          <label><input type="radio" name="st-${esc(s.id)}" value="" ${!r.wants.includes(s.id) && !r.declines.includes(s.id) ? 'checked' : ''}> ${esc(t('jd.either'))}</label>
          <label><input type="radio" name="st-${esc(s.id)}" value="want" ${r.wants.includes(s.id) ? 'checked' : ''}> ${esc(t('jd.want'))}</label>
          <label><input type="radio" name="st-${esc(s.id)}" value="decline" ${r.declines.includes(s.id) ? 'checked' : ''}> ${esc(t('jd.decline'))}</label></fieldset>`).join('') : `<p class="full">${esc(t('jd.noStudent'))}</p>`}`}
      <label for="jd-max">${esc(t('jd.max'))}</label><input id="jd-max" type="number" min="0" max="1000" value="${r.max_meetings}">
      <label for="jd-arrive">${esc(t('jd.arrive'))}</label><select id="jd-arrive">${slotOptions(e, r.first_slot)}</select>
      <label for="jd-leave">${esc(t('jd.leave'))}</label><select id="jd-leave">${slotOptions(e, Math.min(r.last_slot, last), true)}</select>
      <button type="submit">${esc(t('jd.save'))}</button><p id="jd-said" role="status" tabindex="-1"></p>
    </form>`;
  const ranking = r.role === 'student' ? rankingEditor(el('jd-ranking'), me.companies, r.ranking, 'jd') : null;
  const form = el('jd-form');
  // Unsaved changes survive live updates: the page then only refreshes its status line.
  form.addEventListener('input', () => { form.dataset.dirty = '1'; });
  form.addEventListener('change', () => { form.dataset.dirty = '1'; });
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const body = { max_meetings: +el('jd-max').value || 0, first_slot: +el('jd-arrive').value, last_slot: +el('jd-leave').value };
    if (ranking) body.ranking = ranking.value();
    else {
      body.description = el('jd-description').value.trim();
      body.tables = +el('jd-tables').value || 1;
      body.wants = me.students.filter((s) => box.querySelector(`input[name="st-${s.id}"]:checked`)?.value === 'want').map((s) => s.id);
      body.declines = me.students.filter((s) => box.querySelector(`input[name="st-${s.id}"]:checked`)?.value === 'decline').map((s) => s.id);
    }
    try {
      await api('PATCH', path(id, code), body);
      delete form.dataset.dirty;
      if (ranking) delete el('jd-ranking').dataset.dirty;
      el('jd-said').className = 'saved';
      el('jd-said').textContent = t('jd.saved');
    } catch (err) { el('jd-said').className = 'error'; el('jd-said').textContent = problemText(err, 'event'); }
    el('jd-said').focus();
  };
}

// A live change of the event or its timetable: the status line always, the rest of the page
// unless the person is editing a form on it. A question to leave gives way to a registration
// that left or checked in meanwhile (elsewhere, or before this page's own answer came).
export async function refreshPass(m) {
  if (!showing) return;
  if (m.topic && m.topic !== `event:${showing.event}` && m.topic !== `jobdating:${showing.event}`) return;
  await readPassAgain();
}

// The pass shown when the read begins, one read at a time (web/js/api.js): a burst of changes
// costs one more read, and an older answer never replaces a newer one.
const readPassAgain = oneReadAtATime(async () => {
  if (!showing) return;
  const { event: id, code } = showing;
  const editing = document.activeElement?.closest?.('#pass-jd form, #pass-team form') ||
    el('jd-form')?.dataset.dirty || el('jd-ranking')?.dataset.dirty || el('team-name')?.value || el('team-code')?.value;
  const asking = el('pass-leave-ask') && !el('pass-leave-ask').hidden;
  if (!editing && !asking) { await loadPass(id, code); return; }
  const me = await api('GET', path(id, code));
  const r = me.registration;
  if (!editing && r.status !== 'registered' && r.status !== 'waiting') {
    const focused = el('pass-body')?.contains(document.activeElement);
    await loadPass(id, code);
    if (focused) el('pass-title')?.focus();
    return;
  }
  el('pass-status').className = `status-line ${r.status}`;
  el('pass-status').textContent = r.status === 'waiting' ? t('pass.waiting', { n: me.position }) : t(`pass.status.${r.status}`);
});

export const leavePass = () => { showing = null; leaving = null; };
