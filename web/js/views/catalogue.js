// The catalogue, for administrators: rooms (name, layouts with their labels and capacities,
// weekly hours, closures, buffers, equipment), organisations and their category,
// agreements (parties, validity, allowances or hour quotas and their alerts, notice,
// approval, tariff grid, billed category) and tariff grids (prices per unit and category,
// service fees). Each save is one PUT of the whole item; refusals are shown at their field;
// a change made elsewhere reloads the open screen (live "catalogue" topic).
import { api, el, esc, session, isOperatorAdmin } from '../api.js';
import { t } from '../i18n.js';
import { parisFloating, localInputToUtc } from '../time.js';
import { clearErrors, fieldError, showProblem, timeMessage } from '../forms.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CATEGORIES = ['host', 'founder-member', 'member', 'other', 'student-association'];
const UNITS = ['hour', 'half-day', 'day'];
const mine = (owner) => isOperatorAdmin() || owner === session.me.organisation;
const cents = (v) => Math.round(Number(String(v).replace(',', '.')) * 100);
const eurosField = (c) => (c === undefined || c === null ? '' : (c / 100).toFixed(2));

let data = { resources: [], organisations: [], agreements: [], grids: [] };
let tab = 'resources';

export async function loadCatalogue() {
  const [resources, organisations, agreements, grids] = await Promise.all([
    api('GET', '/api/resources'), api('GET', '/api/organisations'), api('GET', '/api/agreements'), api('GET', '/api/tariff-grids')]);
  data = { resources, organisations, agreements, grids };
  // Organisations and their categories are the operator's to change.
  if (tab === 'organisations' && !isOperatorAdmin()) tab = 'resources';
  document.querySelectorAll('[data-cat-tab]').forEach((b) => {
    b.hidden = b.dataset.catTab === 'organisations' && !isOperatorAdmin();
    b.setAttribute('aria-pressed', String(b.dataset.catTab === tab));
    b.onclick = () => { tab = b.dataset.catTab; loadCatalogue(); };
  });
  ({ resources: showResources, organisations: showOrganisations, agreements: showAgreements, grids: showGrids })[tab]();
}

function saved(form, ok) {
  const p = form.querySelector('.saved') || form.appendChild(Object.assign(document.createElement('p'), { className: 'saved', role: 'status' }));
  p.setAttribute('role', 'status');
  p.textContent = ok ? t('accounts.saved') : '';
}

// A picker of the items the caller may change, and the form of the one picked.
function picker(label, items, current, onPick) {
  const id = 'cat-pick';
  const html = `<label for="${id}">${esc(label)}</label><select id="${id}">${items.map((x) => `<option value="${esc(x.id)}"${x.id === current ? ' selected' : ''}>${esc(x.name)}</option>`).join('')}</select>`;
  setTimeout(() => { el(id).onchange = () => onPick(el(id).value); });
  return html;
}

// A small form that creates an item (identifier and name) and opens it.
function newForm(prefix, title, extra = '') {
  return `<form id="${prefix}-new" class="new-item" novalidate><h3>${esc(title)}</h3>
    <label for="${prefix}-new-id">${esc(t('cat.id'))}</label><input id="${prefix}-new-id" required maxlength="64" pattern="[a-z0-9][a-z0-9-]*">
    <label for="${prefix}-new-name">${esc(t('col.name'))}</label><input id="${prefix}-new-name" required maxlength="200">
    ${extra}<button type="submit">${esc(t('cat.create'))}</button></form>`;
}
function wireNew(prefix, make, opened) {
  const form = el(`${prefix}-new`);
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const id = el(`${prefix}-new-id`), name = el(`${prefix}-new-name`);
    let bad = null;
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id.value.trim())) { fieldError(id, t('cat.badId')); bad ??= id; }
    if (!name.value.trim()) { fieldError(name, t('field.required')); bad ??= name; }
    if (bad) { bad.focus(); return; }
    const known = [...data.resources, ...data.agreements, ...data.grids, ...data.organisations];
    if (known.some((x) => x.id === id.value.trim()) && prefix !== 'org') { fieldError(id, t('problem.exists')); id.focus(); return; }
    const { path, body } = make(id.value.trim(), name.value.trim());
    try {
      await api('PUT', path, body);
      opened(id.value.trim());
      await loadCatalogue();
    } catch (e) { showProblem(form, e, { id, name }); }
  };
}

let pickedResource = '';
function showResources() {
  const items = data.resources.filter((r) => mine(r.owner));
  if (!items.some((r) => r.id === pickedResource)) pickedResource = items[0]?.id || '';
  const r = items.find((x) => x.id === pickedResource);
  const box = el('cat-body');
  if (!r) { box.textContent = t('cat.noRooms'); return; }
  const hours = (d) => (r.hours?.[d] || []).map(([a, b]) => `${a}-${b}`).join(', ');
  box.innerHTML = `<div class="bar">${picker(t('cat.resource'), items, r.id, (v) => { pickedResource = v; showResources(); })}</div>
  <form id="res-form" novalidate>
    <label for="res-name">${esc(t('col.name'))}</label><input id="res-name" value="${esc(r.name)}" required maxlength="200">
    <label for="res-setup">${esc(t('cat.setup'))}</label><input id="res-setup" type="number" min="0" max="1440" value="${r.setup_minutes || 0}">
    <label for="res-cleanup">${esc(t('cat.cleanup'))}</label><input id="res-cleanup" type="number" min="0" max="1440" value="${r.cleanup_minutes || 0}">
    <label for="res-equipment">${esc(t('cat.equipment'))}</label><input id="res-equipment" value="${esc((r.equipment || []).join(', '))}">
    <fieldset id="res-layouts"><legend>${esc(t('col.layout'))}</legend>
      ${(r.layouts || []).map((l, i) => layoutRow(l, i)).join('')}
      <button type="button" id="res-add-layout">${esc(t('cat.addLayout'))}</button></fieldset>
    <fieldset id="res-hours"><legend>${esc(t('cat.hours'))}</legend>
      ${DAYS.map((d) => `<label for="res-h-${d}">${esc(t(`day.${d}`))}</label><input id="res-h-${d}" value="${esc(hours(d))}" placeholder="${esc(t('calendar.closed'))}" pattern="^(\\d{2}:\\d{2}-\\d{2}:\\d{2}(, *)?)*$">`).join('')}
    </fieldset>
    <fieldset id="res-closures"><legend>${esc(t('cat.closures'))}</legend>
      ${(r.closures || []).map((c, i) => closureRow(c, i)).join('')}
      <button type="button" id="res-add-closure">${esc(t('cat.addClosure'))}</button></fieldset>
    <button type="submit">${esc(t('accounts.save'))}</button>
  </form>
  ${newForm('res', t('cat.newResource'), `<label for="res-new-site">${esc(t('cat.site'))}</label><select id="res-new-site">${[...new Set(items.map((x) => x.site))].map((x) => `<option>${esc(x)}</option>`).join('')}</select>`)}`;
  wireNew('res', (id, name) => ({ path: `/api/resources/${encodeURIComponent(id)}`, body: { id, name, site: el('res-new-site').value, kind: 'room',
    layouts: [{ id: 'standard', label: 'Standard', capacity: 10 }], hours: Object.fromEntries(DAYS.slice(0, 5).map((d) => [d, [['08:00', '18:00']]])),
    closures: [], setup_minutes: 0, cleanup_minutes: 0, equipment: [] } }), (id) => { pickedResource = id; });
  el('res-add-layout').onclick = () => el('res-add-layout').insertAdjacentHTML('beforebegin', layoutRow({ id: '', label: '', capacity: 10 }, el('res-layouts').querySelectorAll('.row').length));
  el('res-add-closure').onclick = () => el('res-add-closure').insertAdjacentHTML('beforebegin', closureRow({ start: '', end: '', reason: '' }, el('res-closures').querySelectorAll('.row').length));
  el('res-closures').onclick = (ev) => { if (ev.target.dataset.remove !== undefined) ev.target.closest('.row').remove(); };
  el('res-layouts').onclick = (ev) => { if (ev.target.dataset.remove !== undefined) ev.target.closest('.row').remove(); };
  const form = el('res-form');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearErrors(form); saved(form, false);
    const body = { ...r, name: el('res-name').value.trim(), setup_minutes: Number(el('res-setup').value), cleanup_minutes: Number(el('res-cleanup').value),
      equipment: el('res-equipment').value.split(',').map((x) => x.trim()).filter(Boolean), hours: {}, layouts: [], closures: [] };
    let bad = null;
    for (const d of DAYS) {
      const input = el(`res-h-${d}`);
      const v = input.value.trim();
      if (!v) continue;
      const periods = v.split(',').map((p) => p.trim().split('-').map((x) => x.trim()));
      if (periods.some((p) => p.length !== 2 || !p.every((x) => /^\d{2}:\d{2}$/.test(x)) || p[0] >= p[1])) { fieldError(input, t('cat.badHours')); bad ??= input; continue; }
      body.hours[d] = periods;
    }
    form.querySelectorAll('#res-layouts .row').forEach((row) => {
      const [id, label, cap] = row.querySelectorAll('input');
      if (!id.value.trim()) { fieldError(id, t('field.required')); bad ??= id; }
      if (!(Number(cap.value) >= 1)) { fieldError(cap, t('field.positive')); bad ??= cap; }
      body.layouts.push({ id: id.value.trim(), label: label.value.trim(), capacity: Number(cap.value) });
    });
    form.querySelectorAll('#res-closures .row').forEach((row) => {
      const [start, end, reason] = row.querySelectorAll('input');
      const s = localInputToUtc(start.value), e = localInputToUtc(end.value);
      if (!s) { fieldError(start, timeMessage(start)); bad ??= start; }
      if (!e || (s && e <= s)) { fieldError(end, e ? t('field.endBeforeStart') : timeMessage(end)); bad ??= end; }
      body.closures.push({ start: s, end: e, reason: reason.value.trim() });
    });
    if (bad) { bad.focus(); return; }
    try {
      await api('PUT', `/api/resources/${encodeURIComponent(r.id)}`, body);
      saved(form, true);
      data.resources = await api('GET', '/api/resources');
    } catch (e) {
      showProblem(form, e, { name: el('res-name'), setup_minutes: el('res-setup'), cleanup_minutes: el('res-cleanup'), equipment: el('res-equipment'),
        hours: el('res-h-mon'), layouts: form.querySelector('#res-layouts input') || el('res-add-layout'), closures: form.querySelector('#res-closures input') || el('res-add-closure') });
    }
  };
}
function layoutRow(l, i) {
  return `<div class="row"><label for="lay-id-${i}">${esc(t('cat.layoutId'))}</label><input id="lay-id-${i}" value="${esc(l.id)}" maxlength="64">
    <label for="lay-label-${i}">${esc(t('cat.layoutLabel'))}</label><input id="lay-label-${i}" value="${esc(l.label || '')}" maxlength="100">
    <label for="lay-cap-${i}">${esc(t('cat.capacity'))}</label><input id="lay-cap-${i}" type="number" min="1" value="${l.capacity}">
    <button type="button" data-remove>${esc(t('cat.remove'))}</button></div>`;
}
function closureRow(c, i) {
  return `<div class="row"><label for="clo-start-${i}">${esc(t('request.start'))}</label><input id="clo-start-${i}" type="datetime-local" value="${c.start ? parisFloating(c.start).slice(0, 16) : ''}">
    <label for="clo-end-${i}">${esc(t('request.end'))}</label><input id="clo-end-${i}" type="datetime-local" value="${c.end ? parisFloating(c.end).slice(0, 16) : ''}">
    <label for="clo-reason-${i}">${esc(t('cat.reason'))}</label><input id="clo-reason-${i}" value="${esc(c.reason || '')}" maxlength="200">
    <button type="button" data-remove>${esc(t('cat.remove'))}</button></div>`;
}

function showOrganisations() {
  const box = el('cat-body');
  const rows = data.organisations.filter((o) => mine(o.id));
  // A student association names the organisation that accredits it (its single windows).
  const accreditors = (id, chosen) => `<option value="">${esc(t('none'))}</option>${data.organisations.filter((o) => o.id !== id && o.category !== 'student-association')
    .map((o) => `<option value="${esc(o.id)}"${o.id === chosen ? ' selected' : ''}>${esc(o.name)}</option>`).join('')}`;
  box.innerHTML = `<div class="scroll" tabindex="0"><table><thead><tr><th>${esc(t('col.name'))}</th><th>${esc(t('cat.category'))}</th><th>${esc(t('cat.accreditedBy'))}</th><th><span class="sr">${esc(t('col.actions'))}</span></th></tr></thead><tbody>
    ${rows.map((o, i) => `<tr><td><label class="sr" for="org-name-${i}">${esc(t('col.name'))}</label><input id="org-name-${i}" value="${esc(o.name)}" maxlength="200"></td>
      <td><label class="sr" for="org-cat-${i}">${esc(t('cat.category'))}</label><select id="org-cat-${i}"${isOperatorAdmin() ? '' : ' disabled'}>${CATEGORIES.map((c) => `<option value="${c}"${c === o.category ? ' selected' : ''}>${esc(t(`category.${c}`))}</option>`).join('')}</select></td>
      <td><label class="sr" for="org-acc-${i}">${esc(t('cat.accreditedBy'))} — ${esc(o.name)}</label><select id="org-acc-${i}"${isOperatorAdmin() ? '' : ' disabled'}>${accreditors(o.id, o.accredited_by)}</select></td>
      <td><button type="button" data-org="${i}">${esc(t('accounts.save'))}</button> <span role="status" id="org-said-${i}"></span></td></tr>`).join('')}
  </tbody></table></div>
  ${isOperatorAdmin() ? `<form id="org-new" novalidate><h3>${esc(t('cat.newOrg'))}</h3>
    <label for="org-new-id">${esc(t('cat.id'))}</label><input id="org-new-id" required maxlength="64" pattern="[a-z0-9-]+">
    <label for="org-new-name">${esc(t('col.name'))}</label><input id="org-new-name" required maxlength="200">
    <label for="org-new-cat">${esc(t('cat.category'))}</label><select id="org-new-cat">${CATEGORIES.filter((c) => c !== 'host').map((c) => `<option value="${c}">${esc(t(`category.${c}`))}</option>`).join('')}</select>
    <label for="org-new-acc">${esc(t('cat.accreditedBy'))}</label><select id="org-new-acc">${accreditors('', '')}</select>
    <button type="submit">${esc(t('cat.create'))}</button></form>` : ''}`;
  // "Agréée par" concerns student associations only.
  const followCategory = (cat, acc) => { const on = el(cat).value === 'student-association' && !el(cat).disabled; el(acc).disabled = !on; if (!on) el(acc).value = ''; };
  rows.forEach((o, i) => { followCategory(`org-cat-${i}`, `org-acc-${i}`); el(`org-cat-${i}`).onchange = () => followCategory(`org-cat-${i}`, `org-acc-${i}`); });
  if (el('org-new-cat')) { followCategory('org-new-cat', 'org-new-acc'); el('org-new-cat').onchange = () => followCategory('org-new-cat', 'org-new-acc'); }
  box.querySelectorAll('[data-org]').forEach((b) => {
    b.onclick = async () => {
      const i = +b.dataset.org, o = rows[i];
      const body = { ...o, name: el(`org-name-${i}`).value.trim(), category: el(`org-cat-${i}`).value, accredited_by: el(`org-acc-${i}`).value };
      delete body.operator;
      try { await api('PUT', `/api/organisations/${encodeURIComponent(o.id)}`, body); el(`org-said-${i}`).textContent = t('accounts.saved'); } catch (e) {
        el(`org-said-${i}`).textContent = ''; fieldError(el(e.field === 'category' ? `org-cat-${i}` : e.field === 'accredited_by' ? `org-acc-${i}` : `org-name-${i}`), (await import('../i18n.js')).problemText(e));
      }
    };
  });
  const form = el('org-new');
  if (form) form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const id = el('org-new-id').value.trim();
    try { await api('PUT', `/api/organisations/${encodeURIComponent(id)}`, { id, name: el('org-new-name').value.trim(), category: el('org-new-cat').value, accredited_by: el('org-new-acc').value }); loadCatalogue(); } catch (e) {
      showProblem(form, e, { id: el('org-new-id'), name: el('org-new-name'), category: el('org-new-cat'), accredited_by: el('org-new-acc') });
    }
  };
}

let pickedAgreement = '';
function showAgreements() {
  const items = data.agreements.filter((a) => mine(a.provider));
  if (!items.some((a) => a.id === pickedAgreement)) pickedAgreement = items[0]?.id || '';
  const a = items.find((x) => x.id === pickedAgreement);
  const box = el('cat-body');
  if (!a) { box.innerHTML = `<p>${esc(t('empty'))}</p>${agreementNew()}`; wireAgreementNew(); return; }
  const orgName = (id) => data.organisations.find((o) => o.id === id)?.name || id;
  const rooms = data.resources.filter((r) => r.owner === a.provider || (a.reciprocal && r.owner === a.beneficiary));
  const terms = a.resources || {};
  box.innerHTML = `<div class="bar">${picker(t('usage.agreement'), items, a.id, (v) => { pickedAgreement = v; showAgreements(); })}</div>
  <form id="agr-form" novalidate>
    <label for="agr-name">${esc(t('col.name'))}</label><input id="agr-name" value="${esc(a.name)}" required maxlength="300">
    <p>${esc(t('cat.parties', { provider: orgName(a.provider), beneficiary: orgName(a.beneficiary) }))}</p>
    <label for="agr-from">${esc(t('cat.validFrom'))}</label><input id="agr-from" type="date" value="${esc(a.valid_from)}" required>
    <label for="agr-to">${esc(t('cat.validTo'))}</label><input id="agr-to" type="date" value="${esc(a.valid_to)}" required>
    <label for="agr-notice-m">${esc(t('cat.noticeMonths'))}</label><input id="agr-notice-m" type="number" min="0" max="24" value="${a.min_notice?.months || 0}">
    <label for="agr-notice-d">${esc(t('cat.noticeDays'))}</label><input id="agr-notice-d" type="number" min="0" max="365" value="${a.min_notice?.days || 0}">
    <label for="agr-approval">${esc(t('cat.approval'))}</label><input id="agr-approval" type="checkbox"${a.approval_required ? ' checked' : ''}>
    <label for="agr-grid">${esc(t('cat.grid'))}</label><select id="agr-grid"><option value="">${esc(t('none'))}</option>${data.grids.map((g) => `<option value="${esc(g.id)}"${g.id === a.tariff_grid ? ' selected' : ''}>${esc(g.name)}</option>`).join('')}</select>
    <label for="agr-window">${esc(t('cat.window'))}</label><select id="agr-window"><option value="">${esc(t('cat.noWindow'))}</option>${[a.provider, a.beneficiary].map((o) => `<option value="${esc(o)}"${o === a.window_operator ? ' selected' : ''}>${esc(orgName(o))}</option>`).join('')}</select>
    <label for="agr-billed">${esc(t('cat.billedAs'))}</label><select id="agr-billed">${CATEGORIES.map((c) => `<option value="${c}"${c === a.billed_as ? ' selected' : ''}>${esc(t(`category.${c}`))}</option>`).join('')}</select>
    <div class="scroll wide" tabindex="0"><table><caption>${esc(t('cat.terms'))}</caption><thead><tr><th>${esc(t('col.room'))}</th><th>${esc(t('cat.free'))}</th><th>${esc(t('cat.quota'))}</th><th>${esc(t('cat.alerts'))}</th></tr></thead><tbody>
      ${rooms.map((r) => { const x = terms[r.id] || {}; return `<tr><th scope="row">${esc(r.name)}</th>
        <td><label class="sr" for="agr-free-${esc(r.id)}">${esc(t('cat.free'))} — ${esc(r.name)}</label><input id="agr-free-${esc(r.id)}" type="number" min="0" max="1000" value="${x.free_per_year ?? ''}"${x.free === 'unlimited' ? ` placeholder="${esc(t('cat.unlimited'))}"` : ''}></td>
        <td><label class="sr" for="agr-quota-${esc(r.id)}">${esc(t('cat.quota'))} — ${esc(r.name)}</label><input id="agr-quota-${esc(r.id)}" type="number" min="0" max="100000" value="${x.hour_quota ?? ''}"></td>
        <td><label class="sr" for="agr-alerts-${esc(r.id)}">${esc(t('cat.alerts'))} — ${esc(r.name)}</label><input id="agr-alerts-${esc(r.id)}" value="${esc((x.alert_percents || []).join(', '))}" placeholder="80, 100"></td></tr>`; }).join('')}
    </tbody></table></div>
    <button type="submit">${esc(t('accounts.save'))}</button>
  </form>
  ${agreementNew()}`;
  wireAgreementNew();
  const form = el('agr-form');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearErrors(form); saved(form, false);
    const resources = {};
    for (const r of rooms) {
      const free = el(`agr-free-${r.id}`).value, quota = el(`agr-quota-${r.id}`).value, alerts = el(`agr-alerts-${r.id}`).value;
      const old = terms[r.id] || {};
      // Unlimited free lending (a reciprocal agreement's rooms) is kept as it is.
      if (free === '' && quota === '' && old.free !== 'unlimited') continue;
      const x = { ...old };
      if (free !== '') { x.free_per_year = Number(free); delete x.free; } else delete x.free_per_year;
      if (quota !== '') x.hour_quota = Number(quota); else delete x.hour_quota;
      x.alert_percents = alerts.split(',').map((v) => v.trim()).filter(Boolean).map(Number);
      resources[r.id] = x;
    }
    const body = { ...a, name: el('agr-name').value.trim(), valid_from: el('agr-from').value, valid_to: el('agr-to').value,
      min_notice: { months: Number(el('agr-notice-m').value), days: Number(el('agr-notice-d').value) }, approval_required: el('agr-approval').checked,
      tariff_grid: el('agr-grid').value, billed_as: el('agr-billed').value, window_operator: el('agr-window').value, resources };
    try {
      await api('PUT', `/api/agreements/${encodeURIComponent(a.id)}`, body);
      saved(form, true);
      data.agreements = await api('GET', '/api/agreements');
    } catch (e) {
      showProblem(form, e, { name: el('agr-name'), valid_from: el('agr-from'), valid_to: el('agr-to'), min_notice: el('agr-notice-m'), tariff_grid: el('agr-grid'), billed_as: el('agr-billed'), window_operator: el('agr-window') });
    }
  };
}

function agreementNew() {
  const providers = data.organisations.filter((o) => mine(o.id) && o.category !== 'student-association');
  const options = (list) => list.map((o) => `<option value="${esc(o.id)}">${esc(o.name)}</option>`).join('');
  return newForm('agr', t('cat.newAgreement'), `<label for="agr-new-provider">${esc(t('cat.provider'))}</label><select id="agr-new-provider">${options(providers)}</select>
    <label for="agr-new-beneficiary">${esc(t('cat.beneficiary'))}</label><select id="agr-new-beneficiary" required><option value="">${esc(t('accounts.choose'))}</option>${options(data.organisations)}</select>
    <label for="agr-new-from">${esc(t('cat.validFrom'))}</label><input id="agr-new-from" type="date" required>
    <label for="agr-new-to">${esc(t('cat.validTo'))}</label><input id="agr-new-to" type="date" required>`);
}
function wireAgreementNew() {
  wireNew('agr', (id, name) => ({ path: `/api/agreements/${encodeURIComponent(id)}`, body: { id, name, provider: el('agr-new-provider').value,
    beneficiary: el('agr-new-beneficiary').value, valid_from: el('agr-new-from').value, valid_to: el('agr-new-to').value, zone: 'Europe/Paris',
    resources: {}, approval_required: true, tariff_grid: data.grids[0]?.id || '', billed_as: 'member' } }), (id) => { pickedAgreement = id; });
}

let pickedGrid = '';
function wireGridNew() {
  wireNew('grid', (id, name) => ({ path: `/api/tariff-grids/${encodeURIComponent(id)}`, body: { id, name, owner: session.me.organisation,
    half_day_minutes: 240, day_minutes: 480, prices: {}, service_fees: {} } }), (id) => { pickedGrid = id; });
}

function showGrids() {
  const items = data.grids.filter((g) => mine(g.owner || session.operator));
  if (!items.some((g) => g.id === pickedGrid)) pickedGrid = items[0]?.id || '';
  const g = items.find((x) => x.id === pickedGrid);
  const box = el('cat-body');
  if (!g) { box.innerHTML = `<p>${esc(t('empty'))}</p>${newForm('grid', t('cat.newGrid'))}`; wireGridNew(); return; }
  const rooms = data.resources.filter((r) => g.prices?.[r.id] || r.owner === (g.owner || session.operator));
  const cats = CATEGORIES.filter((c) => c !== 'host');
  box.innerHTML = `<div class="bar">${picker(t('cat.grid'), items, g.id, (v) => { pickedGrid = v; showGrids(); })}</div>
  <form id="grid-form" novalidate>
    <label for="grid-name">${esc(t('col.name'))}</label><input id="grid-name" value="${esc(g.name)}" required maxlength="200">
    ${rooms.map((r) => `<div class="scroll wide" tabindex="0"><table><caption>${esc(r.name)} — ${esc(t('cat.prices'))}</caption><thead><tr><th>${esc(t('cat.unit'))}</th>${cats.map((c) => `<th>${esc(t(`category.${c}`))}</th>`).join('')}</tr></thead><tbody>
      ${UNITS.map((u) => `<tr><th scope="row">${esc(t(`unit.${u}`))}</th>${cats.map((c) => `<td><label class="sr" for="p-${esc(r.id)}-${u}-${c}">${esc(r.name)}, ${esc(t(`unit.${u}`))}, ${esc(t(`category.${c}`))}</label>
        <input id="p-${esc(r.id)}-${u}-${c}" inputmode="decimal" size="8" value="${eurosField(g.prices?.[r.id]?.[u]?.[c])}"></td>`).join('')}</tr>`).join('')}
      </tbody></table></div>
      ${(g.service_fees?.[r.id] || [{ label: '', amount_cents: null }]).map((f, i) => `<label for="fee-l-${esc(r.id)}-${i}">${esc(t('cat.fee'))} — ${esc(r.name)}</label>
        <span class="pair"><input id="fee-l-${esc(r.id)}-${i}" value="${esc(f.label)}" maxlength="200"><label class="sr" for="fee-a-${esc(r.id)}-${i}">${esc(t('cat.amount'))}</label><input id="fee-a-${esc(r.id)}-${i}" inputmode="decimal" size="8" value="${eurosField(f.amount_cents)}"> €</span>`).join('')}`).join('')}
    <button type="submit">${esc(t('accounts.save'))}</button>
  </form>
  ${newForm('grid', t('cat.newGrid'))}`;
  wireGridNew();
  const form = el('grid-form');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearErrors(form); saved(form, false);
    const body = { ...g, name: el('grid-name').value.trim(), prices: {}, service_fees: {} };
    let bad = null;
    for (const r of rooms) {
      for (const u of UNITS) for (const c of cats) {
        const input = el(`p-${r.id}-${u}-${c}`);
        if (!input.value.trim()) continue;
        const v = cents(input.value);
        if (!Number.isFinite(v) || v < 0) { fieldError(input, t('cat.badAmount')); bad ??= input; continue; }
        ((body.prices[r.id] ??= {})[u] ??= {})[c] = v;
      }
      form.querySelectorAll(`[id^="fee-l-${r.id}-"]`).forEach((label) => {
        const amount = el(label.id.replace('fee-l-', 'fee-a-'));
        if (!label.value.trim() && !amount.value.trim()) return;
        const v = cents(amount.value);
        if (!Number.isFinite(v) || v < 0) { fieldError(amount, t('cat.badAmount')); bad ??= amount; return; }
        (body.service_fees[r.id] ??= []).push({ label: label.value.trim(), amount_cents: v });
      });
    }
    if (bad) { bad.focus(); return; }
    try {
      await api('PUT', `/api/tariff-grids/${encodeURIComponent(g.id)}`, body);
      saved(form, true);
      data.grids = await api('GET', '/api/tariff-grids');
    } catch (e) { showProblem(form, e, { name: el('grid-name') }); }
  };
}
