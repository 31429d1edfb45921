// The organisation's requests: status (and a waiting request's place on its room's list),
// amount due, the refusal or cancellation reason, the history, and cancelling with a
// confirmation.
import { api, el, esc, roomName, layoutName, isAdmin, oneReadAtATime, lentByOther } from '../api.js';
import { t, problemText, quoteKind } from '../i18n.js';
import { showWhen, showInstant, euros } from '../time.js';

export const statusBadge = (s) => `<span class="status ${esc(s)}">${esc(t(`status.${s}`))}</span>`;
// A request for a room another organisation than LLV lends (under the Lille agreement, or
// passed on by a single window) awaits that lender, not LLV.
const badgeOf = (r) => (r.status === 'pending' && lentByOther(r.resource)
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

// Which histories are open (or opening) in a list, their panels as they stand, and whether the
// focus is on a history button: taken before a redraw (a live change), given back to
// wireHistory after it.
export function historyState(body) {
  const focus = body.contains(document.activeElement) ? document.activeElement.dataset?.history : undefined;
  const open = [...body.querySelectorAll('[data-history][aria-expanded="true"]')].map((b) => ({
    id: b.dataset.history,
    cell: body.querySelector(`[data-history-of="${CSS.escape(b.dataset.history)}"]`)?.firstElementChild,
  }));
  return { open, focus };
}

// The latest read of each history, by reservation: an answer that is not the latest is dropped.
const historyReads = new Map();

// A row's history below it, read when it opens. After a redraw, the histories that were open
// (or opening) are shown at once as they were, then read again, and the focus goes back to
// the history button it was on.
export function wireHistory(body, before = { open: [] }) {
  const panel = (id) => body.querySelector(`[data-history-of="${CSS.escape(id)}"]`);
  const button = (id) => body.querySelector(`[data-history="${CSS.escape(id)}"]`);
  const read = async (id) => {
    const mine = (historyReads.get(id) || 0) + 1;
    historyReads.set(id, mine);
    let html;
    try { html = await historyHtml(id); } catch (e) { html = esc(problemText(e)); }
    // A later read of this history (a later redraw) has the newer answer: this one stops.
    if (historyReads.get(id) !== mine) return;
    // The list may have been drawn again meanwhile: the panel of now, if still open.
    const row = panel(id);
    if (row && button(id)?.getAttribute('aria-expanded') === 'true') { row.firstElementChild.innerHTML = html; row.hidden = false; }
  };
  body.querySelectorAll('[data-history]').forEach((b) => {
    b.onclick = () => {
      const row = panel(b.dataset.history);
      if (b.getAttribute('aria-expanded') === 'true') { row.hidden = true; b.setAttribute('aria-expanded', 'false'); return undefined; }
      b.setAttribute('aria-expanded', 'true');
      return read(b.dataset.history);
    };
  });
  for (const { id, cell } of before.open) {
    const row = panel(id);
    if (!row || !button(id)) continue;
    if (cell) row.firstElementChild.replaceChildren(...cell.childNodes);
    row.hidden = !row.firstElementChild.childNodes.length;
    button(id).setAttribute('aria-expanded', 'true');
    read(id);
  }
  if (before.focus) button(before.focus)?.focus();
}

// The statuses and totals last shown, to tell the reader of a request that left the waiting
// list, or that a free unit or free hours that came back made cheaper.
const shown = new Map();

export const loadMine = oneReadAtATime(readMine);

async function readMine() {
  const rows = await api('GET', '/api/reservations?limit=500');
  const undecided = (r) => r.status === 'pending' || r.status === 'waiting';
  const promoted = rows.filter((r) => shown.get(r.id)?.status === 'waiting' && (r.status === 'pending' || r.status === 'approved'));
  const cheaper = rows.filter((r) => undecided(r) && shown.has(r.id) && r.quote.total_cents < shown.get(r.id).total);
  shown.clear();
  rows.forEach((r) => shown.set(r.id, { status: r.status, total: r.quote.total_cents }));
  const said = [...promoted.map((r) => t('mine.promoted', { title: r.title })), ...cheaper.map((r) => t('mine.requoted', { title: r.title, total: euros(r.quote.total_cents) }))];
  if (said.length) el('mine-said').textContent = said.join(' ');
  const body = el('mine-rows');
  const before = historyState(body);
  body.innerHTML = rows.length ? rows.map((r) => {
    const active = r.status === 'pending' || r.status === 'approved' || r.status === 'waiting';
    const due = active ? `${euros(r.quote.total_cents)}${r.quote.free ? `<br><small>${esc(quoteKind(r.quote))}</small>` : ''}` : esc(t('none'));
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
