// LLV's approval queue: what a decision needs (room, layout, attendees, requester and
// organisation, the quote, what else that room holds that day and what overlaps), the
// request's history, and approving or refusing with a reason.
import { api, el, esc, roomName, layoutName, session } from '../api.js';
import { t, problemText } from '../i18n.js';
import { showWhen, showTime, euros, parisDay, parisToUtc } from '../time.js';
import { wireHistory } from './mine.js';

async function sameDay(r) {
  const [y, mo, d] = parisDay(r.start).split('-').map(Number);
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  const from = parisToUtc(y, mo, d, 0, 0), to = parisToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0);
  const a = await api('GET', `/api/availability?resource=${encodeURIComponent(r.resource)}&from=${from}&to=${to}`);
  const others = a.busy.filter((b) => b.id !== r.id && (b.status === 'pending' || b.status === 'approved'));
  if (!others.length) return '';
  return `<p><strong>${esc(t('admin.nearby'))}</strong></p><ul class="nearby">${others.map((b) => {
    const overlaps = b.occupied_start < r.end && r.start < b.occupied_end;
    return `<li${overlaps ? ' class="conflict"' : ''}>${overlaps ? `<strong>${esc(t('admin.conflict'))} :</strong> ` : ''}${esc(showTime(b.start))}–${esc(showTime(b.end))}
      ${esc(b.title || '')} ${b.organisation_name ? `(${esc(b.organisation_name)})` : ''} — ${esc(t(`status.${b.status}`))}</li>`;
  }).join('')}</ul>`;
}

export async function loadAdmin() {
  // The requests this administrator decides: those for the rooms of their organisation.
  const owner = (id) => (session.allResources || []).find((r) => r.id === id)?.owner;
  const rows = (await api('GET', '/api/reservations?status=pending&limit=500')).filter((r) => owner(r.resource) === session.me.organisation);
  const body = el('admin-rows');
  const context = await Promise.all(rows.map((r) => sameDay(r).catch(() => '')));
  body.innerHTML = rows.length ? rows.map((r, i) => `<tr data-id="${esc(r.id)}">
    <td data-label="${esc(t('col.room'))}">${esc(roomName(r.resource))}<br><small>${esc(layoutName(r.resource, r.layout))} · ${r.attendees} ${esc(t('col.attendees').toLowerCase())}</small></td>
    <td data-label="${esc(t('col.when'))}">${esc(showWhen(r.start, r.end))}${context[i]}</td><td data-label="${esc(t('col.title'))}">${esc(r.title)}</td>
    <td data-label="${esc(t('col.requester'))}">${esc(r.requester_name || '')}<br><small>${esc(r.organisation_name)}</small></td>
    <td data-label="${esc(t('col.quote'))}"><span class="${r.quote.free ? 'free' : 'billed'}">${esc(r.quote.free ? t('quote.free') : t('quote.billed'))}</span><br>${euros(r.quote.total_cents)}
      ${r.quote.allowance ? `<br><small>${esc(t('admin.left', r.quote.allowance))}</small>` : ''}</td>
    <td class="actions"><button type="button" class="primary" data-approve="${esc(r.id)}">${esc(t('action.approve'))}</button>
      <button type="button" data-refuse="${esc(r.id)}">${esc(t('action.refuse'))}</button>
      <button type="button" data-history="${esc(r.id)}" aria-expanded="false">${esc(t('action.history'))}</button>
      <span hidden data-reason-for="${esc(r.id)}"><label for="reason-${esc(r.id)}">${esc(t('action.reason'))}</label>
      <input id="reason-${esc(r.id)}" type="text" maxlength="500"><button type="button" data-confirm="${esc(r.id)}">${esc(t('action.confirm'))}</button></span>
      <span class="error" role="alert" data-error-for="${esc(r.id)}"></span></td>
  </tr><tr hidden data-history-of="${esc(r.id)}"><td colspan="6"></td></tr>`).join('') : `<tr><td colspan="6">${esc(t('empty'))}</td></tr>`;
  wireHistory(body);
  const failed = (id, e) => { body.querySelector(`[data-error-for="${id}"]`).textContent = problemText(e); };
  body.querySelectorAll('[data-approve]').forEach((b) => {
    b.onclick = async () => {
      const title = rows.find((r) => r.id === b.dataset.approve)?.title || '';
      try {
        await api('POST', `/api/reservations/${encodeURIComponent(b.dataset.approve)}/approve`);
        await loadAdmin();
        el('admin-said').textContent = t('admin.approved', { title });
        el('admin-title').focus();
      } catch (e) { failed(b.dataset.approve, e); }
    };
  });
  body.querySelectorAll('[data-refuse]').forEach((b) => {
    b.onclick = () => { const span = body.querySelector(`[data-reason-for="${b.dataset.refuse}"]`); span.hidden = false; span.querySelector('input').focus(); };
  });
  body.querySelectorAll('[data-confirm]').forEach((b) => {
    b.onclick = async () => {
      const input = el(`reason-${b.dataset.confirm}`);
      if (!input.value.trim()) {
        input.setAttribute('aria-invalid', 'true');
        const said = body.querySelector(`[data-error-for="${b.dataset.confirm}"]`);
        said.id = `reason-error-${b.dataset.confirm}`;
        said.textContent = t('field.required');
        input.setAttribute('aria-describedby', said.id);
        input.focus();
        return;
      }
      const title = rows.find((r) => r.id === b.dataset.confirm)?.title || '';
      try {
        await api('POST', `/api/reservations/${encodeURIComponent(b.dataset.confirm)}/refuse`, { reason: input.value.trim() });
        await loadAdmin();
        el('admin-said').textContent = t('admin.refused', { title });
        el('admin-title').focus();
      } catch (e) { failed(b.dataset.confirm, e); }
    };
  });
}
