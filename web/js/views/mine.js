// The organisation's requests: status (and a waiting request's place on its room's list),
// amount due, the refusal or cancellation reason, the history, and cancelling with a
// confirmation.
import { api, el, esc, roomName, layoutName, isAdmin, session } from '../api.js';
import { t, problemText } from '../i18n.js';
import { showWhen, showInstant, euros } from '../time.js';

export const statusBadge = (s) => `<span class="status ${esc(s)}">${esc(t(`status.${s}`))}</span>`;
// A request for a room another organisation than LLV lends (passed on by a single window)
// awaits that lender, not LLV.
const badgeOf = (r) => (r.status === 'pending' && !session.resources.some((x) => x.id === r.resource)
  ? `<span class="status pending">${esc(t('status.pendingLender'))}</span>` : statusBadge(r.status));

// An occurrence of a series: its mark, and the choice of what a decision on it applies to.
export const seriesTag = (r) => (r.series ? `<br><small class="series-tag">↻ ${esc(t('series.badge'))}</small>` : '');
export const scopeChoice = (r, prefix) => (r.series ? `<label for="${prefix}-${esc(r.id)}">${esc(t('series.scope'))}</label>
  <select id="${prefix}-${esc(r.id)}">${['one', 'following', 'all'].map((s) => `<option value="${s}">${esc(t(`series.scope.${s}`))}</option>`).join('')}</select>` : '');
export const scopeOf = (prefix, id) => document.getElementById(`${prefix}-${id}`)?.value || 'one';

// A reason as the reader's words say it: the server's expiry of a waiting request.
const reasonText = (reason) => (reason.startsWith('expired:') ? t('waitlist.expired') : reason);

export async function historyHtml(id) {
  const h = await api('GET', `/api/reservations/${encodeURIComponent(id)}/history`);
  const entries = Array.isArray(h) ? h : h.history || [];
  return `<ol class="history">${entries.map((x) => {
    const what = t(`history.${x.action || x.what || x.status}`);
    // The server's own doings (a promotion, an expiry) are nobody's.
    const who = x.actor === 'system' ? t('history.system') : x.actor_name || x.by_name || x.actor || x.by || '';
    return `<li><time datetime="${esc(x.at)}">${esc(showInstant(x.at))}</time> — ${esc(who ? t('history.by', { what, who }) : what)}${x.detail ? ` (${esc(reasonText(x.detail))})` : ''}</li>`;
  }).join('')}</ol>`;
}

// Which histories are open in a list, and whether the focus is on a history button: taken
// before a redraw (a live change), given back to wireHistory after it.
export function historyState(body) {
  const focus = body.contains(document.activeElement) ? document.activeElement.dataset?.history : undefined;
  const open = [...body.querySelectorAll('[data-history][aria-expanded="true"]')].map((b) => b.dataset.history)
    .map((id) => ({ id, html: body.querySelector(`[data-history-of="${CSS.escape(id)}"]`)?.firstElementChild?.innerHTML || '' }));
  return { open, focus };
}

// A row's history, opened below it on demand. After a redraw, the histories that were open
// open again, read anew, and the focus goes back to the history button it was on.
export function wireHistory(body, before = { open: [] }) {
  body.querySelectorAll('[data-history]').forEach((b) => {
    b.onclick = async () => {
      const row = body.querySelector(`[data-history-of="${CSS.escape(b.dataset.history)}"]`);
      if (!row.hidden) { row.hidden = true; b.setAttribute('aria-expanded', 'false'); return; }
      try { row.firstElementChild.innerHTML = await historyHtml(b.dataset.history); } catch (e) { row.firstElementChild.textContent = problemText(e); }
      row.hidden = false;
      b.setAttribute('aria-expanded', 'true');
    };
  });
  const button = (id) => body.querySelector(`[data-history="${CSS.escape(id)}"]`);
  for (const { id, html } of before.open) {
    const b = button(id);
    const row = body.querySelector(`[data-history-of="${CSS.escape(id)}"]`);
    if (!b || !row) continue;
    // Shown at once as it was, then read again (the change may be this request's).
    row.firstElementChild.innerHTML = html;
    row.hidden = false;
    b.setAttribute('aria-expanded', 'true');
    historyHtml(id).then((fresh) => { if (!row.hidden) row.firstElementChild.innerHTML = fresh; }).catch(() => {});
  }
  if (before.focus) button(before.focus)?.focus();
}

// The statuses last shown, to tell the reader of a request that left the waiting list.
const shown = new Map();

export async function loadMine() {
  const rows = await api('GET', '/api/reservations?limit=500');
  const promoted = rows.filter((r) => shown.get(r.id) === 'waiting' && (r.status === 'pending' || r.status === 'approved'));
  shown.clear();
  rows.forEach((r) => shown.set(r.id, r.status));
  if (promoted.length) el('mine-said').textContent = promoted.map((r) => t('mine.promoted', { title: r.title })).join(' ');
  const body = el('mine-rows');
  const before = historyState(body);
  body.innerHTML = rows.length ? rows.map((r) => {
    const active = r.status === 'pending' || r.status === 'approved' || r.status === 'waiting';
    const due = active ? `${euros(r.quote.total_cents)}${r.quote.free ? `<br><small>${esc(t('quote.freeWithFees'))}</small>` : ''}` : esc(t('none'));
    return `<tr data-id="${esc(r.id)}">
    <td data-label="${esc(t('col.room'))}">${esc(roomName(r.resource))}<br><small>${esc(layoutName(r.resource, r.layout))}, ${r.attendees}</small></td>
    <td data-label="${esc(t('col.when'))}">${esc(showWhen(r.start, r.end))}</td><td data-label="${esc(t('col.title'))}">${esc(r.title)}${seriesTag(r)}${isAdmin() ? `<br><small>${esc(r.requester_name || '')} — ${esc(r.organisation_name || '')}</small>` : ''}</td>
    <td data-label="${esc(t('col.status'))}">${badgeOf(r)}${r.place ? `<br><small>${esc(t('mine.place', { place: r.place }))}</small>` : ''}${r.reason ? `<br><small class="reason">${esc(t('reason', { reason: reasonText(r.reason) }))}</small>` : ''}</td><td data-label="${esc(t('col.total'))}">${due}</td>
    <td class="actions"><button type="button" data-history="${esc(r.id)}" aria-expanded="false">${esc(t('action.history'))}</button>
      ${active ? `<button type="button" data-cancel="${esc(r.id)}">${esc(t('action.cancel'))}</button>
      <span hidden data-confirm-for="${esc(r.id)}" role="group"><span>${esc(t(r.status === 'waiting' ? 'action.cancelWaitingAsk' : 'action.cancelAsk', { title: r.title }))}</span>${scopeChoice(r, 'cancel-scope')}
        <button type="button" class="danger" data-confirm-cancel="${esc(r.id)}">${esc(t('action.confirmCancel'))}</button>
        <button type="button" data-keep="${esc(r.id)}">${esc(t('action.keep'))}</button></span>` : ''}</td>
  </tr><tr hidden data-history-of="${esc(r.id)}"><td colspan="6"></td></tr>`;
  }).join('') : `<tr><td colspan="6">${esc(t('empty'))}</td></tr>`;
  wireHistory(body, before);
  body.querySelectorAll('[data-cancel]').forEach((b) => {
    b.onclick = () => {
      const box = body.querySelector(`[data-confirm-for="${b.dataset.cancel}"]`);
      box.hidden = false; b.hidden = true;
      box.querySelector('[data-keep]').focus();
    };
  });
  body.querySelectorAll('[data-keep]').forEach((b) => {
    b.onclick = () => {
      body.querySelector(`[data-confirm-for="${b.dataset.keep}"]`).hidden = true;
      const c = body.querySelector(`[data-cancel="${b.dataset.keep}"]`); c.hidden = false; c.focus();
    };
  });
  body.querySelectorAll('[data-confirm-cancel]').forEach((b) => {
    b.onclick = async () => {
      try { await api('POST', `/api/reservations/${encodeURIComponent(b.dataset.confirmCancel)}/cancel`, { scope: scopeOf('cancel-scope', b.dataset.confirmCancel) }); await loadMine(); el('mine-title').focus(); } catch (e) {
        b.parentElement.insertAdjacentHTML('beforeend', `<span class="error" role="alert">${esc(problemText(e))}</span>`);
      }
    };
  });
}
