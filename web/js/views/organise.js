// The organisers' side of an event (docs/domain.md, "Events"): its definition, the registrations live
// (search, waiting list order, CSV, manual registration, no-shows), the door's check-in,
// and the Culturathon's teams with their PÉPITE follow-up.
import { api, el, esc, session } from '../api.js';
import { t, problemText } from '../i18n.js';
import { showWhen, showInstant, utcToLocalInput, localInputToUtc } from '../time.js';
import { checkForm, clearErrors, fieldError, showProblem } from '../forms.js';
import { subscribe } from '../live.js';
import { eventKind } from './events.js';

const enc = encodeURIComponent;
export const organising = { id: null, view: null };

export function links(e, here) {
  const items = [['organise', t('org.registrations')], ['door', t('org.door')], ['edit-event', t('org.edit')]];
  if (e.kind === 'job-dating') items.push(['timetable', t('org.builder')], ['board', t('ev.board')]);
  return `<nav class="sub" aria-label="${esc(t('org.menu'))}">${items.map(([v, label]) => v === here
    ? `<a aria-current="page" href="#/${v}/${enc(e.id)}">${esc(label)}</a>` : `<a href="#/${v}/${enc(e.id)}">${esc(label)}</a>`).join('')}
    <a href="#/event/${enc(e.id)}">${esc(t('org.public'))}</a></nav>`;
}

const countsLine = (c) => t('org.counts', { r: c.registered, w: c.waiting, c: c.checked_in });

// ---- registrations --------------------------------------------------------------------------

export async function loadOrganise(id) {
  organising.id = id; organising.view = 'organise';
  subscribe([`event:${id}`]);
  const [e, data] = await Promise.all([api('GET', `/api/events/${enc(id)}`), api('GET', `/api/events/${enc(id)}/registrations`)]);
  el('organise-title').textContent = t('org.titleOf', { title: e.title });
  const box = el('organise-body');
  const keep = box.querySelector('#reg-search')?.value || '';
  const byId = Object.fromEntries(data.registrations.map((r) => [r.id, r]));
  box.innerHTML = `${links(e, 'organise')}
    <p class="counts" aria-live="polite" id="org-counts">${esc(countsLine(e.counts))} · ${esc(t('ev.capacity', { n: e.capacity }))}</p>
    <div class="bar"><label for="reg-search">${esc(t('org.search'))}</label><input id="reg-search" type="search" value="${esc(keep)}">
      <a href="/api/events/${enc(id)}/registrations?format=csv" download>${esc(t('org.csv'))}</a></div>
    <div class="scroll" tabindex="0"><table class="cards"><caption>${esc(t('org.registrations'))}</caption>
      <thead><tr><th>${esc(t('col.name'))}</th><th>${esc(t('col.email'))}</th><th>${esc(t('col.status'))}</th>
      ${e.kind === 'job-dating' ? `<th>${esc(t('jd.role'))}</th>` : ''}<th>${esc(t('org.code'))}</th><th><span class="sr">${esc(t('col.actions'))}</span></th></tr></thead>
      <tbody id="reg-rows">${data.registrations.map((r) => `<tr data-search="${esc(`${r.name} ${r.email} ${r.code}`.toLowerCase())}">
        <td data-label="${esc(t('col.name'))}">${esc(r.name)}${Object.keys(r.answers || {}).length ? `<br><small>${Object.entries(r.answers).map(([k, v]) => `${esc(questionLabel(e, k))} : ${esc(v)}`).join('<br>')}</small>` : ''}</td>
        <td data-label="${esc(t('col.email'))}">${esc(r.email)}</td>
        <td data-label="${esc(t('col.status'))}"><span class="status ${esc(r.status)}">${esc(t(`pass.status.${r.status}`))}</span>${r.no_show ? ` <small>${esc(t('org.noShow'))}</small>` : ''}</td>
        ${e.kind === 'job-dating' ? `<td data-label="${esc(t('jd.role'))}">${esc(t(`jd.${r.role}`))}</td>` : ''}
        <td data-label="${esc(t('org.code'))}"><code>${esc(r.code)}</code></td>
        <td class="actions">${r.status === 'registered' ? `<button type="button" data-checkin="${esc(r.code)}">${esc(t('door.checkIn'))}</button>` : ''}
          ${e.kind === 'job-dating' && r.status !== 'left' && r.status !== 'waiting' ? `<button type="button" data-noshow="${esc(r.id)}" data-value="${r.no_show ? 'false' : 'true'}">${esc(t(r.no_show ? 'org.present' : 'org.markNoShow'))}</button>` : ''}
          ${r.name === '—' && !r.email ? '' : `<button type="button" class="danger" data-erase="${esc(r.id)}" aria-label="${esc(t('erase.of', { name: r.name }))}">${esc(t('erase.short'))}</button>`}</td>
      </tr>`).join('') || `<tr><td colspan="${e.kind === 'job-dating' ? 6 : 5}">${esc(t('empty'))}</td></tr>`}</tbody></table></div>
    <p id="org-said" role="status" tabindex="-1"></p>
    <h3>${esc(t('org.waiting'))}</h3>
    ${data.waiting.length ? `<ol id="wait-list" class="ranking">${data.waiting.map((rid, i) => `<li><span class="rank">${i + 1}</span><span class="who">${esc(byId[rid]?.name || rid)}</span>
      <span class="moves"><button type="button" data-wup="${i}" ${i === 0 ? 'disabled' : ''} aria-label="${esc(t('jd.up', { name: byId[rid]?.name }))}">↑</button>
      <button type="button" data-wdown="${i}" ${i === data.waiting.length - 1 ? 'disabled' : ''} aria-label="${esc(t('jd.down', { name: byId[rid]?.name }))}">↓</button></span></li>`).join('')}</ol>` : `<p>${esc(t('org.noWaiting'))}</p>`}
    <form id="walkin-form" novalidate class="new-item"><h3>${esc(t('org.addOne'))}</h3>
      <label for="wi-name">${esc(t('ev.name'))}</label><input id="wi-name" maxlength="200" required>
      <label for="wi-email">${esc(t('ev.email'))}</label><input id="wi-email" type="email" maxlength="254">
      ${e.kind === 'job-dating' ? `<label for="wi-role">${esc(t('jd.role'))}</label><select id="wi-role"><option value="student">${esc(t('jd.student'))}</option><option value="company">${esc(t('jd.company'))}</option></select>` : ''}
      ${e.questions.map((q) => `<label for="wi-q-${esc(q.id)}">${esc(q.label)}${q.required ? ' *' : ''}</label><input id="wi-q-${esc(q.id)}" data-question="${esc(q.id)}" maxlength="2000" ${q.required ? 'required' : ''}>`).join('')}
      <button type="submit">${esc(t('org.add'))}</button></form>
    ${e.kind === 'culturathon' ? '<div id="teams-box"></div>' : ''}`;
  const search = el('reg-search');
  const filter = () => { const q = search.value.trim().toLowerCase(); box.querySelectorAll('#reg-rows tr[data-search]').forEach((tr) => { tr.hidden = q && !tr.dataset.search.includes(q); }); };
  search.oninput = filter; filter();
  // Said after the list is drawn again (drawing it empties the line), and focused.
  const said = (msg, ok = true) => { el('org-said').className = ok ? 'saved' : 'error'; el('org-said').textContent = msg; el('org-said').focus(); };
  box.querySelectorAll('[data-checkin]').forEach((b) => { b.onclick = async () => {
    const who = b.closest('tr').cells[0].firstChild.textContent;
    try { await api('POST', `/api/events/${enc(id)}/check-in`, { code: b.dataset.checkin }); await loadOrganise(id); said(t('door.ok', { name: who })); } catch (err) { said(problemText(err, 'checkin'), false); }
  }; });
  box.querySelectorAll('[data-noshow]').forEach((b) => { b.onclick = async () => {
    try { await api('POST', `/api/events/${enc(id)}/no-show`, { registration: b.dataset.noshow, no_show: b.dataset.value === 'true' }); await loadOrganise(id); } catch (err) { said(problemText(err), false); }
  }; });
  // Erasing a registrant's data (docs/privacy.md): definitive, so the button asks once more.
  box.querySelectorAll('[data-erase]').forEach((b) => { b.onclick = async () => {
    const who = b.closest('tr').cells[0].firstChild.textContent;
    if (!b.dataset.sure) { b.dataset.sure = '1'; b.textContent = t('erase.confirm'); b.setAttribute('aria-label', t('erase.confirmOf', { name: who })); return; }
    try { await api('DELETE', `/api/registrations/${enc(b.dataset.erase)}/data`); await loadOrganise(id); said(t('erase.doneOf', { name: who })); } catch (err) { said(problemText(err), false); }
  }; });
  const move = async (i, j) => {
    const order = [...data.waiting];
    [order[i], order[j]] = [order[j], order[i]];
    try { await api('POST', `/api/events/${enc(id)}/waitlist`, { order }); await loadOrganise(id); box.querySelector(`[data-wup="${j}"]:not([disabled]), [data-wdown="${j}"]:not([disabled])`)?.focus(); } catch (err) { said(problemText(err), false); }
  };
  box.querySelectorAll('[data-wup]').forEach((b) => { b.onclick = () => move(+b.dataset.wup, +b.dataset.wup - 1); });
  box.querySelectorAll('[data-wdown]').forEach((b) => { b.onclick = () => move(+b.dataset.wdown, +b.dataset.wdown + 1); });
  const form = el('walkin-form');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    if (!checkForm(form)) return;
    const body = { name: el('wi-name').value.trim(), email: el('wi-email').value.trim(), answers: {} };
    form.querySelectorAll('[data-question]').forEach((x) => { if (x.value.trim()) body.answers[x.dataset.question] = x.value.trim(); });
    if (e.kind === 'job-dating') body.role = el('wi-role').value;
    try {
      const r = await api('POST', `/api/events/${enc(id)}/registrations`, body);
      await loadOrganise(id);
      el('org-said').className = 'saved';
      el('org-said').textContent = t(r.status === 'waiting' ? 'org.addedWaiting' : 'org.added', { name: body.name, code: r.code });
      el('wi-name').focus();
    } catch (err) { showProblem(form, err, { name: el('wi-name'), email: el('wi-email') }); }
  };
  if (e.kind === 'culturathon') await showTeams(e, byId);
}

const questionLabel = (e, id) => e.questions.find((q) => q.id === id)?.label || id;

async function showTeams(e, byId) {
  const teams = await api('GET', `/api/events/${enc(e.id)}/teams`);
  el('teams-box').innerHTML = `<h3>${esc(t('team.all'))}</h3>
    <div class="scroll" tabindex="0"><table><thead><tr><th>${esc(t('team.name'))}</th><th>${esc(t('team.members'))}</th><th>${esc(t('team.pepite'))}</th></tr></thead>
    <tbody>${teams.map((x) => `<tr><td>${esc(x.name)} <small><code>${esc(x.code)}</code></small></td>
      <td>${x.members.map((m) => esc(byId[m]?.name || m)).join(', ')} (${x.members.length})${x.members.length < e.team_min ? ` <small class="error">${esc(t('team.tooSmall', { min: e.team_min }))}</small>` : ''}</td>
      <td><label><input type="checkbox" data-pepite="${esc(x.id)}" ${x.pepite ? 'checked' : ''}> <span class="sr">${esc(t('team.pepiteOf', { name: x.name }))}</span>${esc(t('team.follow'))}</label></td></tr>`).join('') || `<tr><td colspan="3">${esc(t('empty'))}</td></tr>`}</tbody></table></div>`;
  el('teams-box').querySelectorAll('[data-pepite]').forEach((c) => { c.onchange = async () => {
    try { await api('POST', `/api/teams/${enc(c.dataset.pepite)}/pepite`, { pepite: c.checked }); } catch (err) { c.checked = !c.checked; el('org-said').textContent = problemText(err); }
  }; });
}

// ---- the door --------------------------------------------------------------------------------

export async function loadDoor(id) {
  organising.id = id; organising.view = 'door';
  subscribe([`event:${id}`]);
  const e = await api('GET', `/api/events/${enc(id)}`);
  el('door-title').textContent = t('door.titleOf', { title: e.title });
  const box = el('door-body');
  box.innerHTML = `${links(e, 'door')}
    <p class="counts big" id="door-counts" aria-live="polite">${esc(countsLine(e.counts))}</p>
    <form id="door-form" novalidate class="door-form">
      <label for="door-code">${esc(t('door.code'))}</label>
      <input id="door-code" autocomplete="off" autocapitalize="characters" spellcheck="false" inputmode="text" required>
      <button type="submit">${esc(t('door.checkIn'))}</button>
    </form>
    <div id="door-result" class="door-result" role="status" aria-live="assertive"></div>
    <form id="door-find" novalidate class="door-form">
      <label for="door-name">${esc(t('door.byName'))}</label><input id="door-name" type="search" autocomplete="off">
    </form>
    <ul id="door-matches" class="matches"></ul>`;
  const result = (kind, text) => { const r = el('door-result'); r.className = `door-result ${kind}`; r.textContent = text; };
  let people = null;
  const everyone = async () => (people ??= (await api('GET', `/api/events/${enc(id)}/registrations`)).registrations);
  const plain = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const checkIn = async (code, name) => {
    try {
      const counts = await api('POST', `/api/events/${enc(id)}/check-in`, { code });
      result('ok', name ? t('door.ok', { name }) : t('door.okCode', { code }));
      el('door-counts').textContent = countsLine(counts);
      people = null;
    } catch (err) {
      const kind = { 'already-ended': 'already', 'not-found': 'unknown', 'not-pending': 'waiting' }[err.code];
      if (!kind) { result('unknown', problemText(err)); return; }
      // The person behind the code, named, and which of waiting or gone they are.
      const r = kind === 'unknown' ? null : (await everyone().catch(() => [])).find((x) => x.code === code);
      const key = kind === 'waiting' && r?.status === 'left' ? 'door.left' : `door.${kind}`;
      result(kind, t(key, { code, name: r?.name || name || code }));
    }
  };
  el('door-form').onsubmit = async (ev) => {
    ev.preventDefault();
    // Codes as people and scanners type them: any case, spaces or dashes between.
    const code = el('door-code').value.replace(/[^0-9a-z]/gi, '').toUpperCase();
    if (!code) { el('door-code').focus(); return; }
    await checkIn(code);
    el('door-code').value = '';
    el('door-code').focus();
  };
  el('door-find').onsubmit = (ev) => ev.preventDefault();
  el('door-name').oninput = async () => {
    const q = plain(el('door-name').value.trim());
    if (q.length < 2) { el('door-matches').innerHTML = ''; return; }
    const found = (await everyone()).filter((r) => r.status !== 'left' && plain(r.name).includes(q)).slice(0, 8);
    el('door-matches').innerHTML = found.map((r) => `<li><span>${esc(r.name)} <small>${esc(t(`pass.status.${r.status}`))}</small></span>
      ${r.status === 'registered' ? `<button type="button" data-code="${esc(r.code)}" data-name="${esc(r.name)}">${esc(t('door.checkInName', { name: r.name }))}</button>` : ''}</li>`).join('') || `<li>${esc(t('door.noMatch'))}</li>`;
    el('door-matches').querySelectorAll('[data-code]').forEach((b) => { b.onclick = async () => { await checkIn(b.dataset.code, b.dataset.name); el('door-name').value = ''; el('door-matches').innerHTML = ''; el('door-code').focus(); }; });
  };
  el('door-code').focus();
}

// The counts alone, when the rest of the screen is being used (a search typed, a form).
export async function refreshCounts(id) {
  const e = await api('GET', `/api/events/${enc(id)}`);
  const door = el('door-counts');
  if (door) door.textContent = countsLine(e.counts);
  const org = el('org-counts');
  if (org) org.textContent = `${countsLine(e.counts)} · ${t('ev.capacity', { n: e.capacity })}`;
}

// ---- the definition ------------------------------------------------------------------------

const slug = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

export async function loadEventEdit(id) {
  organising.id = id || null; organising.view = 'edit-event';
  const e = id ? await api('GET', `/api/events/${enc(id)}`) : null;
  const reservations = (await api('GET', '/api/reservations?limit=500')).filter((r) => r.status === 'approved' || r.status === 'pending' || e?.reservations?.includes(r.id));
  el('edit-event-title').textContent = e ? t('edit.titleOf', { title: e.title }) : t('edit.new');
  document.title = `${el('edit-event-title').textContent} — Créneau`;
  const box = el('edit-event-body');
  const kinds = ['talk', 'welcome-day', 'job-dating', 'culturathon'];
  const v = e || { kind: 'talk', capacity: 50, questions: [], reservations: [], organisations: [], team_min: 2, team_max: 5, slot_minutes: 15, slots: 16, breaks: [] };
  box.innerHTML = `${e ? links(e, 'edit-event') : ''}
    <form id="edit-form" novalidate>
      <label for="ed-title">${esc(t('edit.title'))}</label><input id="ed-title" maxlength="200" required value="${esc(v.title || '')}">
      <label for="ed-id">${esc(t('edit.id'))}</label><input id="ed-id" maxlength="64" required pattern="[a-z0-9._-]+" value="${esc(v.id || '')}" ${e ? 'readonly' : ''}>
      <label for="ed-kind">${esc(t('edit.kind'))}</label><select id="ed-kind">${kinds.map((k) => `<option value="${k}" ${k === v.kind ? 'selected' : ''}>${esc(eventKind(k))}</option>`).join('')}</select>
      <label for="ed-description">${esc(t('edit.description'))}</label><textarea id="ed-description" rows="4" maxlength="10000">${esc(v.description || '')}</textarea>
      <label for="ed-capacity">${esc(t('edit.capacity'))}</label><input id="ed-capacity" type="number" min="1" max="100000" required value="${v.capacity}">
      <label for="ed-opens">${esc(t('edit.opens'))}</label><input id="ed-opens" type="datetime-local" required value="${v.opens ? utcToLocalInput(v.opens) : ''}">
      <label for="ed-closes">${esc(t('edit.closes'))}</label><input id="ed-closes" type="datetime-local" required value="${v.closes ? utcToLocalInput(v.closes) : ''}">
      <label for="ed-retention">${esc(t('edit.retention'))}</label><input id="ed-retention" type="number" min="1" max="120" required value="${v.retention_months || 12}" aria-describedby="ed-retention-hint">
      <p id="ed-retention-hint" class="hint-line row">${esc(t('edit.retentionHint'))} <a href="#/privacy" target="_blank" rel="noopener">${esc(t('privacy.link'))}</a></p>
      <fieldset id="ed-rooms"><legend>${esc(t('edit.rooms'))}</legend>
        <p class="row hint-line">${esc(t('edit.roomsHint'))}</p>
        ${reservations.map((r) => `<label class="row"><input type="checkbox" data-reservation="${esc(r.id)}" ${v.reservations.includes(r.id) ? 'checked' : ''}>
          ${esc(r.title)} — ${esc(showWhen(r.start, r.end))} (${esc(t(`status.${r.status}`))})</label>`).join('') || `<p>${esc(t('edit.noRoom'))}</p>`}
        <p class="row"><a href="#/request">${esc(t('edit.requestRoom'))}</a></p></fieldset>
      <fieldset><legend>${esc(t('edit.audience'))}</legend>
        <label class="row"><input type="checkbox" id="ed-restricted" ${v.restricted ? 'checked' : ''}> ${esc(t('edit.restricted'))}</label>
        ${session.organisations.map((o) => `<label class="row"><input type="checkbox" data-org="${esc(o.id)}" ${v.organisations.includes(o.id) ? 'checked' : ''}> ${esc(o.name)}</label>`).join('')}</fieldset>
      <fieldset id="ed-questions"><legend>${esc(t('edit.questions'))}</legend>
        <div id="ed-q-rows">${v.questions.map((q, i) => questionRow(q, i)).join('')}</div>
        <p class="row"><button type="button" id="ed-q-add">${esc(t('edit.addQuestion'))}</button></p></fieldset>
      <fieldset data-kind="culturathon"><legend>${esc(t('edit.teams'))}</legend>
        <label for="ed-tmin">${esc(t('edit.teamMin'))}</label><input id="ed-tmin" type="number" min="1" max="100" value="${v.team_min}">
        <label for="ed-tmax">${esc(t('edit.teamMax'))}</label><input id="ed-tmax" type="number" min="1" max="100" value="${v.team_max}"></fieldset>
      <fieldset data-kind="job-dating"><legend>${esc(t('edit.day'))}</legend>
        <label for="ed-day">${esc(t('edit.dayStart'))}</label><input id="ed-day" type="datetime-local" value="${v.day_start && v.slots ? utcToLocalInput(v.day_start) : ''}">
        <label for="ed-slot">${esc(t('edit.slotMinutes'))}</label><input id="ed-slot" type="number" min="1" max="1440" value="${v.slot_minutes}">
        <label for="ed-slots">${esc(t('edit.slots'))}</label><input id="ed-slots" type="number" min="1" max="200" value="${v.slots || 16}">
        <label for="ed-breaks">${esc(t('edit.breaks'))}</label><input id="ed-breaks" value="${esc((v.breaks || []).map((b) => b + 1).join(', '))}" aria-describedby="ed-breaks-hint">
        <p id="ed-breaks-hint" class="hint-line row">${esc(t('edit.breaksHint'))}</p></fieldset>
      <button type="submit">${esc(t('edit.save'))}</button><p id="edit-said" role="status"></p>
    </form>`;
  const kind = el('ed-kind');
  const showKind = () => box.querySelectorAll('[data-kind]').forEach((f) => { f.hidden = f.dataset.kind !== kind.value; });
  kind.onchange = showKind; showKind();
  if (!e) el('ed-title').oninput = () => { if (!el('ed-id').dataset.touched) el('ed-id').value = slug(el('ed-title').value); };
  el('ed-id').oninput = () => { el('ed-id').dataset.touched = '1'; };
  el('ed-q-add').onclick = () => {
    const rows = el('ed-q-rows');
    rows.insertAdjacentHTML('beforeend', questionRow({ id: '', label: '', required: false }, rows.children.length));
    rows.lastElementChild.querySelector('input').focus();
  };
  el('ed-q-rows').onclick = (ev) => { const b = ev.target.closest('[data-q-remove]'); if (b) { b.closest('.row').remove(); el('ed-q-add').focus(); } };
  const form = el('edit-form');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    if (!checkForm(form)) return;
    const body = {
      kind: kind.value, title: el('ed-title').value.trim(), description: el('ed-description').value,
      capacity: +el('ed-capacity').value, retention_months: +el('ed-retention').value, opens: localInputToUtc(el('ed-opens').value), closes: localInputToUtc(el('ed-closes').value),
      reservations: [...box.querySelectorAll('[data-reservation]:checked')].map((x) => x.dataset.reservation),
      restricted: el('ed-restricted').checked, organisations: [...box.querySelectorAll('[data-org]:checked')].map((x) => x.dataset.org),
      questions: uniqueIds([...el('ed-q-rows').querySelectorAll('.row')].map((row) => {
        const label = row.querySelector('[data-q-label]').value.trim();
        return { id: row.dataset.qid || slug(label).slice(0, 40) || 'q', label, required: row.querySelector('[data-q-required]').checked };
      }).filter((q) => q.label)),
      team_min: +el('ed-tmin').value || 1, team_max: +el('ed-tmax').value || 1,
    };
    if (body.kind === 'job-dating') {
      body.day_start = localInputToUtc(el('ed-day').value);
      body.slot_minutes = +el('ed-slot').value; body.slots = +el('ed-slots').value;
      const breaks = el('ed-breaks').value.split(/[\s,;]+/).filter(Boolean);
      if (breaks.some((b) => !/^\d+$/.test(b) || +b < 1 || +b > body.slots)) { fieldError(el('ed-breaks'), t('edit.badBreaks', { n: body.slots })); el('ed-breaks').focus(); return; }
      body.breaks = breaks.map((b) => +b - 1);
      if (!body.day_start) { fieldError(el('ed-day'), t('field.required')); el('ed-day').focus(); return; }
    }
    if (body.kind !== 'job-dating' && !body.reservations.length) {
      const first = box.querySelector('[data-reservation]') || box.querySelector('#ed-rooms a');
      if (first.matches('input')) fieldError(first, t('edit.needRoom')); else el('edit-said').textContent = t('edit.needRoom');
      el('edit-said').className = 'error'; el('edit-said').textContent = t('edit.needRoom');
      first.focus();
      return;
    }
    if (body.closes && body.opens && Date.parse(body.closes) <= Date.parse(body.opens)) { fieldError(el('ed-closes'), t('edit.closesAfter')); el('ed-closes').focus(); return; }
    const newId = el('ed-id').value.trim();
    try {
      await api('PUT', `/api/events/${enc(newId)}`, body);
      location.hash = `#/organise/${enc(newId)}`;
    } catch (err) {
      clearErrors(form);
      showProblem(form, err, { id: el('ed-id'), title: el('ed-title'), capacity: el('ed-capacity'), retention_months: el('ed-retention'), closes: el('ed-closes'), opens: el('ed-opens'),
        slots: el('ed-slots'), team_min: el('ed-tmin'), description: el('ed-description'), reservations: box.querySelector('[data-reservation]') || el('ed-title') });
    }
  };
}

// Questions keep their ids; new ones get one from their label, made unique ("q", "q-2" …).
function uniqueIds(questions) {
  const seen = new Set();
  return questions.map((q) => {
    let id = q.id;
    for (let n = 2; seen.has(id); n++) id = `${q.id}-${n}`;
    seen.add(id);
    return { ...q, id };
  });
}

function questionRow(q, i) {
  return `<div class="row" data-qid="${esc(q.id)}">
    <label for="ed-q-${i}">${esc(t('edit.question'))}</label><input id="ed-q-${i}" data-q-label maxlength="500" value="${esc(q.label)}">
    <label><input type="checkbox" data-q-required ${q.required ? 'checked' : ''}> ${esc(t('edit.required'))}</label>
    <button type="button" data-q-remove aria-label="${esc(t('edit.removeQuestion', { label: q.label || i + 1 }))}">${esc(t('edit.remove'))}</button></div>`;
}

