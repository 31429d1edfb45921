// The single window (docs/domain.md, "The single window"): a student association asks for a
// room for an event without choosing one and follows its request; the window's operator sees
// which rooms of either party fit, passes the request on to one (its lender then decides it as
// any request) or declines it with a reason.
import { api, el, esc, session } from '../api.js';
import { t, problemText } from '../i18n.js';
import { subscribe } from '../live.js';
import { clearErrors, fieldError, showProblem, timeMessage } from '../forms.js';
import { showWhen, showInstant, showDay, localInputToUtc, todayInParis, parisFloating, parisToUtc, euros } from '../time.js';
import { statusBadge } from './mine.js';

// The windows the signed-in user takes part in (as an association, or as their operator's
// administrator): the navigation shows the page to them only.
export async function loadWindows() {
  session.windows = session.me ? await api('GET', '/api/windows').catch(() => []) : [];
  subscribe(session.windows.map((w) => `window:${w.agreement}`));
  return session.windows;
}

const runs = (agreement) => session.windows.some((w) => w.agreement === agreement && w.runs);

// The first instant the agreement's notice still allows (counted from now, in Paris), with a
// day's margin so that the window has time to pass the request on.
function earliest(w) {
  const [y, m, d] = todayInParis().split('-').map(Number);
  const [h, mi] = parisFloating(new Date().toISOString()).slice(11, 16).split(':').map(Number);
  return parisToUtc(y, m + (w.min_notice?.months || 0), d + (w.min_notice?.days || 0) + 1, h, mi);
}

function fillForm() {
  const mine = session.windows.filter((w) => w.submits);
  el('win-ask').hidden = !mine.length;
  if (!mine.length) return;
  const select = el('win-agreement');
  const chosen = select.value;
  select.innerHTML = mine.map((w) => `<option value="${esc(w.agreement)}">${esc(w.operator_name)} — ${esc(w.name)}</option>`).join('');
  if (mine.some((w) => w.agreement === chosen)) select.value = chosen;
  el('win-agreement-row').hidden = mine.length < 2;
  const w = mine.find((x) => x.agreement === select.value) || mine[0];
  el('win-notice').textContent = t('window.notice', { months: w.min_notice?.months || 0, date: showInstant(earliest(w)), until: showDay(`${w.valid_to}T12:00:00Z`) });
  el('win-intro').textContent = t('window.intro', { operator: w.operator_name, parties: w.party_names.join(' / ') });
}

export function setupWindow() {
  el('win-agreement').onchange = fillForm;
  el('win-form').onsubmit = async (ev) => {
    ev.preventDefault();
    const form = el('win-form');
    clearErrors(form);
    el('win-sent').textContent = '';
    const start = el('win-start').value ? localInputToUtc(el('win-start').value) : '';
    const end = el('win-end').value ? localInputToUtc(el('win-end').value) : '';
    if (!el('win-title').value.trim()) { fieldError(el('win-title'), t('bad.title')); el('win-title').focus(); return; }
    if (!start) { fieldError(el('win-start'), timeMessage(el('win-start'), 'bad.start')); el('win-start').focus(); return; }
    if (!end) { fieldError(el('win-end'), timeMessage(el('win-end'), 'bad.end')); el('win-end').focus(); return; }
    const body = {
      agreement: el('win-agreement').value, title: el('win-title').value.trim(), description: el('win-description').value.trim(),
      start, end, attendees: Number(el('win-attendees').value), kind: el('win-kind').value,
    };
    try {
      const made = await api('POST', '/api/window-requests', body);
      const w = session.windows.find((x) => x.agreement === made.agreement);
      el('win-title').value = ''; el('win-description').value = '';
      await loadWindow().catch(() => {});  // sent either way: the live channel redraws it
      // Said once the list shows it.
      el('win-sent').textContent = t('window.sent', { title: made.title, operator: w?.operator_name || '' });
      el('win-sent').scrollIntoView({ block: 'nearest' });
    } catch (e) {
      showProblem(form, e, { title: el('win-title'), description: el('win-description'), start: el('win-start'), end: el('win-end'), attendees: el('win-attendees'), kind: el('win-kind'), organisation: el('win-agreement'), agreement: el('win-agreement') }, 'window');
    }
  };
}

function statusHtml(r) {
  const again = r.status === 'assigned' && r.routable;
  const word = again ? 'rerouting' : r.status;
  let s = `<span class="status ${esc(r.status === 'submitted' || again ? 'pending' : r.status === 'assigned' ? 'approved' : 'refused')}">${esc(t(`window.status.${word}`))}</span>`;
  if (r.too_late) s += `<br><small class="reason">${esc(t('window.tooLate'))}</small>`;
  if (r.booking) {
    const b = r.booking;
    const state = b.status === 'pending' ? esc(t('window.lenderDecides', { lender: b.lender_name })) : statusBadge(b.status);
    s += `<br><small>${esc(t('window.booking', { room: b.resource_name, lender: b.lender_name }))}</small> ${state}`;
    if (b.reason) s += `<br><small class="reason">${esc(t('reason', { reason: b.reason }))}</small>`;
  }
  if (r.reason) s += `<br><small class="reason">${esc(t('reason', { reason: r.reason }))}</small>`;
  return s;
}

function historyList(r) {
  return `<ol class="history">${r.history.map((h) => `<li><time datetime="${esc(h.at)}">${esc(showInstant(h.at))}</time> — ${esc(t('history.by', { what: t(`history.${h.action}`), who: h.actor_name }))}${h.resource_name ? ` — ${esc(h.resource_name)} (${esc(t(`status.${h.booking_status}`))})` : h.detail && h.action !== 'assigned' ? ` (${esc(h.detail)})` : ''}</li>`).join('')}</ol>`;
}

function actionsHtml(r) {
  const id = esc(r.id);
  let a = `<button type="button" data-win-history="${id}" aria-expanded="false">${esc(t('action.history'))}</button>`;
  if (runs(r.agreement) && r.routable) {
    a += ` <button type="button" data-win-route="${id}" aria-expanded="false">${esc(t(r.status === 'assigned' ? 'window.routeAgain' : 'window.route'))}</button>`;
    a += ` <button type="button" data-win-decline="${id}" aria-expanded="false">${esc(t('window.decline'))}</button>`;
  }
  if (r.organisation === session.me.organisation && r.routable) {
    a += ` <button type="button" data-win-withdraw="${id}">${esc(t('window.withdraw'))}</button>
      <span hidden data-win-confirm="${id}" role="group"><span>${esc(t('window.withdrawAsk', { title: r.title }))}</span>
      <button type="button" class="danger" data-win-confirm-withdraw="${id}">${esc(t('window.confirmWithdraw'))}</button>
      <button type="button" data-win-keep="${id}">${esc(t('action.keep'))}</button></span>`;
  }
  if (r.organisation === session.me.organisation && r.status === 'assigned' && ['pending', 'approved'].includes(r.booking?.status)) a += `<br><small>${esc(t('window.cancelThere'))}</small>`;
  return a;
}

let shownRows = [];
// Reads of the list may overlap (a live change while an action reloads it): only the latest one
// draws, so an older answer never replaces a newer one, and an older read ends when the latest
// has drawn (whoever awaits it finds the list drawn).
let reading = 0;
let newest = Promise.resolve();

export function loadWindow() {
  newest = readWindow(++reading);
  return newest;
}

async function readWindow(mine) {
  await loadWindows();
  if (mine !== reading) return newest;
  fillForm();
  const rows = await api('GET', '/api/window-requests');
  if (mine !== reading) return newest;
  shownRows = rows;
  const running = session.windows.some((w) => w.runs);
  el('win-list-title').textContent = t(running ? 'window.queue' : 'window.mine');
  const body = el('win-rows');
  body.innerHTML = rows.length ? rows.map((r) => `<tr data-id="${esc(r.id)}">
    <td data-label="${esc(t('window.col.event'))}"><strong>${esc(r.title)}</strong>${r.description ? `<br><small>${esc(r.description)}</small>` : ''}${running ? `<br><small>${esc(r.organisation_name)} — ${esc(r.requester_name)}</small>` : ''}</td>
    <td data-label="${esc(t('col.when'))}">${esc(showWhen(r.start, r.end))}</td>
    <td data-label="${esc(t('window.col.people'))}">${r.attendees}<br><small>${esc(t(`window.kind.${r.kind}`))}</small></td>
    <td data-label="${esc(t('col.status'))}">${statusHtml(r)}</td>
    <td class="actions">${actionsHtml(r)}</td>
  </tr><tr hidden data-win-panel="${esc(r.id)}"><td colspan="5"></td></tr>`).join('') : `<tr><td colspan="5">${esc(t('window.empty'))}</td></tr>`;
  wire(body);
}

// Whether the reader is in the middle of something in the list (a room being chosen, a reason
// being typed): a live change then waits until they close it. The form above the list is never
// redrawn.
export const windowBusy = () => !!document.querySelector('#win-rows [data-win-panel]:not([hidden]), #win-rows [data-win-confirm]:not([hidden])');

// One panel at a time below its row: the same button closes it, as does Escape.
function openPanel(body, id, html, button) {
  const row = body.querySelector(`[data-win-panel="${id}"]`);
  if (button.getAttribute('aria-expanded') === 'true') { closePanel(row.firstElementChild, button); return null; }
  body.querySelectorAll('[data-win-panel]').forEach((x) => { x.hidden = true; });
  body.querySelectorAll('[aria-expanded="true"]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
  row.firstElementChild.innerHTML = html;
  row.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  row.onkeydown = (ev) => { if (ev.key === 'Escape') closePanel(row.firstElementChild, button); };
  return row.firstElementChild;
}

// After an action on a request: the list read again, the focus back on that request's row.
async function reloadAt(id) {
  await loadWindow();
  (el('win-rows').querySelector(`tr[data-id="${CSS.escape(id)}"] button`) || el('win-list-title')).focus();
}

// Closing a panel catches up with what changed meanwhile, the focus back on its button.
async function closePanel(cell, button) {
  cell.parentElement.hidden = true;
  button.setAttribute('aria-expanded', 'false');
  const attr = [...button.attributes].find((a) => a.name.startsWith('data-win-'));
  const focus = attr ? `[${attr.name}="${CSS.escape(attr.value)}"]` : 'button';
  await loadWindow().catch(() => {});
  el('win-rows').querySelector(focus)?.focus();
}

function wire(body) {
  const find = (id) => shownRows.find((r) => r.id === id);
  body.querySelectorAll('[data-win-history]').forEach((b) => {
    b.onclick = () => openPanel(body, b.dataset.winHistory, historyList(find(b.dataset.winHistory)), b);
  });
  body.querySelectorAll('[data-win-route]').forEach((b) => {
    b.onclick = async () => {
      const r = find(b.dataset.winRoute);
      let rooms;
      try { rooms = await api('GET', `/api/window-requests/${encodeURIComponent(r.id)}/rooms`); } catch (e) { el('win-said').textContent = problemText(e); return; }
      const fitting = rooms.filter((x) => x.fits);
      const cell = openPanel(body, r.id, `<form class="win-route" data-win-busy novalidate><fieldset><legend>${esc(t('window.rooms', { title: r.title }))}</legend>
        ${rooms.map((x, i) => `<label class="check"><input type="radio" name="win-room-${esc(r.id)}" value="${i}"${x.fits ? '' : ' disabled'}>
          ${esc(t('window.room', { room: x.resource_name, layout: x.layout_label, capacity: x.capacity, lender: x.lender_name }))}
          ${x.fits ? `<span class="ok">✓ ${esc(x.quote?.free ? t('window.fits') : `${t('window.fitsBilled')}, ${euros(x.quote?.total_cents || 0)}`)}</span>` : `<span class="reason">✗ ${esc(problemText({ code: x.code, problem: { code: x.code, detail: x.detail } }))}</span>`}
          ${x.refused_before ? `<br><small class="reason">${esc(t('window.refusedBefore', { reason: x.refused_before }))}</small>` : ''}</label>`).join('')}
        </fieldset>${fitting.length ? '' : `<p>${esc(t('window.noRoom'))}</p>`}
        <button type="submit"${fitting.length ? '' : ' disabled'}>${esc(t('window.send'))}</button> <button type="button" data-win-close>${esc(t('window.close'))}</button><p class="form-error error" role="alert"></p></form>`, b);
      if (!cell) return;
      const form = cell.querySelector('form');
      const first = [...form.querySelectorAll('input:not([disabled])')].find((x) => !rooms[Number(x.value)].refused_before) || form.querySelector('input:not([disabled])');
      if (first) { first.checked = true; first.focus(); }
      form.querySelector('[data-win-close]').onclick = () => closePanel(cell, b);
      form.onsubmit = async (ev) => {
        ev.preventDefault();
        const picked = form.querySelector('input:checked');
        if (!picked) { form.querySelector('.form-error').textContent = t('window.pickRoom'); return; }
        const x = rooms[Number(picked.value)];
        try {
          await api('POST', `/api/window-requests/${encodeURIComponent(r.id)}/assign`, { resource: x.resource, layout: x.layout });
          el('win-said').textContent = t('window.routed', { title: r.title, room: x.resource_name, lender: x.lender_name });
          await reloadAt(r.id);
        } catch (e) { form.querySelector('.form-error').textContent = problemText(e, 'window'); }
      };
    };
  });
  body.querySelectorAll('[data-win-decline]').forEach((b) => {
    b.onclick = () => {
      const r = find(b.dataset.winDecline);
      const cell = openPanel(body, r.id, `<form class="win-decline" data-win-busy novalidate>
        <label for="win-reason-${esc(r.id)}">${esc(t('window.declineReason'))}</label>
        <textarea id="win-reason-${esc(r.id)}" maxlength="1000" rows="2" required></textarea>
        <button type="submit" class="danger">${esc(t('window.confirmDecline'))}</button> <button type="button" data-win-close>${esc(t('window.close'))}</button></form>`, b);
      if (!cell) return;
      const form = cell.querySelector('form');
      const reason = form.querySelector('textarea');
      reason.focus();
      form.querySelector('[data-win-close]').onclick = () => closePanel(cell, b);
      form.onsubmit = async (ev) => {
        ev.preventDefault();
        clearErrors(form);
        if (!reason.value.trim()) { fieldError(reason, t('bad.reason')); reason.focus(); return; }
        try {
          await api('POST', `/api/window-requests/${encodeURIComponent(r.id)}/decline`, { reason: reason.value.trim() });
          el('win-said').textContent = t('window.declined', { title: r.title });
          await reloadAt(r.id);
        } catch (e) { showProblem(form, e, { reason }, 'window'); }
      };
    };
  });
  body.querySelectorAll('[data-win-withdraw]').forEach((b) => {
    b.onclick = () => {
      const box = body.querySelector(`[data-win-confirm="${b.dataset.winWithdraw}"]`);
      box.hidden = false; b.hidden = true;
      box.querySelector('[data-win-keep]').focus();
    };
  });
  body.querySelectorAll('[data-win-keep]').forEach((b) => {
    b.onclick = () => {
      body.querySelector(`[data-win-confirm="${b.dataset.winKeep}"]`).hidden = true;
      const w = body.querySelector(`[data-win-withdraw="${b.dataset.winKeep}"]`); w.hidden = false; w.focus();
    };
  });
  body.querySelectorAll('[data-win-confirm-withdraw]').forEach((b) => {
    b.onclick = async () => {
      const r = find(b.dataset.winConfirmWithdraw);
      try {
        await api('POST', `/api/window-requests/${encodeURIComponent(r.id)}/withdraw`, {});
        el('win-said').textContent = t('window.withdrawn', { title: r.title });
        await reloadAt(r.id);
      } catch (e) { b.parentElement.insertAdjacentHTML('beforeend', `<span class="error" role="alert">${esc(problemText(e, 'window'))}</span>`); }
    };
  });
}
