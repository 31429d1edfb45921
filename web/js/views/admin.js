// LLV's approval queue: what a decision needs (room, layout, attendees, requester and
// organisation, the quote, what else that room holds that day and what overlaps), the
// request's history, and approving or refusing with a reason. Below it, the rooms' waiting
// lists in order, moved up and down, and refused with a reason.
import { api, el, esc, roomName, layoutName, session, oneReadAtATime, ownerOf } from '../api.js';
import { t, problemText, quoteKind, quoteClass } from '../i18n.js';
import { showWhen, showTime, euros, parisDay, parisToUtc, hoursOf } from '../time.js';
import { historyState, wireHistory, seriesTag, scopeChoice, scopeOf } from './mine.js';

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

// The waiting requests of the rooms this administrator lends, by room, in their list's order.
async function loadWaitlists() {
  const mine = (session.allResources || []).filter((r) => r.owner === session.me.organisation && r.kind !== 'opening-hours');
  const lists = await Promise.all(mine.map((r) => api('GET', `/api/resources/${encodeURIComponent(r.id)}/waitlist`)));
  const waiting = lists.flatMap((l) => l.waiting);
  const rooms = lists.filter((l) => l.waiting.length).map((l) => l.resource).sort((a, b) => roomName(a).localeCompare(roomName(b)));
  const box = el('waitlists');
  // A redraw (a live change) keeps the focus on the button it was on.
  const had = box.contains(document.activeElement) ? document.activeElement : null;
  const again = had && [...had.attributes].filter((a) => a.name.startsWith('data-')).map((a) => `[${a.name}="${CSS.escape(a.value)}"]`).join('');
  if (!rooms.length) { box.innerHTML = `<p>${esc(t('waitlist.empty'))}</p>`; return; }
  const byRoom = Object.fromEntries(lists.map((l) => [l.resource, l.waiting]));
  const before = historyState(box);
  box.innerHTML = rooms.map((room) => `<h4>${esc(roomName(room))}</h4><ol class="waitlist" data-room="${esc(room)}">${byRoom[room].map((r, i, list) => `
    <li data-id="${esc(r.id)}"><span><strong>${esc(r.title)}</strong> — ${esc(showWhen(r.start, r.end))}<br>
      <small>${esc(r.requester_name || '')} — ${esc(r.organisation_name)} · ${r.attendees} ${esc(t('col.attendees').toLowerCase())} ·
      <span class="${quoteClass(r.quote)}">${esc(quoteKind(r.quote))}</span> ${euros(r.quote.total_cents)}</small></span>
      <span class="actions">
        <button type="button" data-move="-1" data-of="${esc(r.id)}" aria-label="${esc(t('waitlist.up', { title: r.title }))}"${i === 0 ? ' disabled' : ''}>↑</button>
        <button type="button" data-move="1" data-of="${esc(r.id)}" aria-label="${esc(t('waitlist.down', { title: r.title }))}"${i === list.length - 1 ? ' disabled' : ''}>↓</button>
        <button type="button" data-refuse="${esc(r.id)}">${esc(t('action.refuse'))}</button>
        <button type="button" data-history="${esc(r.id)}" aria-expanded="false">${esc(t('action.history'))}</button>
        <span hidden data-reason-for="${esc(r.id)}"><label for="reason-${esc(r.id)}">${esc(t('action.reason'))}</label>
        <input id="reason-${esc(r.id)}" type="text" maxlength="500"><button type="button" data-confirm="${esc(r.id)}">${esc(t('action.confirm'))}</button></span>
        <span class="error" role="alert" data-error-for="${esc(r.id)}"></span></span>
      <div hidden data-history-of="${esc(r.id)}"><div></div></div></li>`).join('')}</ol>`).join('');
  wireHistory(box, before);
  if (again) box.querySelector(again)?.focus();
  box.querySelectorAll('[data-move]').forEach((b) => {
    b.onclick = async () => {
      const room = b.closest('ol').dataset.room;
      const order = byRoom[room].map((r) => r.id);
      const at = order.indexOf(b.dataset.of), to = at + Number(b.dataset.move);
      [order[at], order[to]] = [order[to], order[at]];
      const moved = byRoom[room][at];
      try {
        await api('POST', `/api/resources/${encodeURIComponent(room)}/waitlist`, { order });
        await loadWaitlists();
        el('waitlist-said').textContent = t('waitlist.moved', { room: roomName(room), title: moved.title, place: to + 1 });
        // Keep the focus on the request moved, on the same arrow if it can still move.
        const again = box.querySelector(`[data-of="${CSS.escape(moved.id)}"][data-move="${b.dataset.move}"]`);
        (again && !again.disabled ? again : box.querySelector(`[data-of="${CSS.escape(moved.id)}"]:not([disabled])`))?.focus();
      } catch (e) { box.querySelector(`[data-error-for="${CSS.escape(b.dataset.of)}"]`).textContent = problemText(e); }
    };
  });
  wireRefusals(box, async (id) => {
    const title = waiting.find((r) => r.id === id)?.title || '';
    await loadWaitlists();
    el('waitlist-said').textContent = t('waitlist.refused', { title });
    el('waitlist-title').focus();
  });
}

// Refusing with a reason, in the approval table and in the waiting lists alike.
function wireRefusals(body, done) {
  const failed = (id, e) => { body.querySelector(`[data-error-for="${CSS.escape(id)}"]`).textContent = problemText(e); };
  body.querySelectorAll('[data-refuse]').forEach((b) => {
    b.onclick = () => { const span = body.querySelector(`[data-reason-for="${CSS.escape(b.dataset.refuse)}"]`); span.hidden = false; span.querySelector('input').focus(); };
  });
  body.querySelectorAll('[data-confirm]').forEach((b) => {
    b.onclick = async () => {
      const input = el(`reason-${b.dataset.confirm}`);
      if (!input.value.trim()) {
        input.setAttribute('aria-invalid', 'true');
        const said = body.querySelector(`[data-error-for="${CSS.escape(b.dataset.confirm)}"]`);
        said.id = `reason-error-${b.dataset.confirm}`;
        said.textContent = t('field.required');
        input.setAttribute('aria-describedby', said.id);
        input.focus();
        return;
      }
      try {
        await api('POST', `/api/reservations/${encodeURIComponent(b.dataset.confirm)}/refuse`, { reason: input.value.trim(), scope: scopeOf('decide-scope', b.dataset.confirm) });
        await done(b.dataset.confirm);
      } catch (e) { failed(b.dataset.confirm, e); }
    };
  });
}

// The year a quote's allowance or hour quota counts in.
const counterYear = (q) => q.allowance?.year ?? q.hours?.year;

// The allowances and hour quotas of the rows' agreements and years as they stand now: the
// quote of a request tells what was left when it was made, which the decisions since have
// changed.
async function countersOf(rows) {
  const counters = {};
  const keys = new Set(rows.filter((r) => r.quote.agreement && counterYear(r.quote)).map((r) => `${r.quote.agreement}/${counterYear(r.quote)}`));
  await Promise.all([...keys].map(async (k) => {
    const [agreement, year] = k.split('/');
    const u = await api('GET', `/api/agreements/${encodeURIComponent(agreement)}/usage?year=${year}`).catch(() => null);
    for (const x of u?.resources || []) counters[`${k}/${x.resource}`] = x;
  }));
  return counters;
}

function allowanceNow(r, counters) {
  const q = r.quote;
  const now = counters[`${q.agreement}/${counterYear(q)}/${r.resource}`];
  let text = '';
  if (q.allowance) {
    text = now?.allowance ? t('admin.taken', { year: q.allowance.year, used: now.allowance.used, held: now.allowance.held, limit: now.allowance.limit })
      : t('admin.left', q.allowance);
  } else if (q.hours) {
    const h = now?.hours;
    text = h ? t('admin.hours', { room: roomName(r.resource), year: q.hours.year, used: hoursOf(h.used_minutes), held: hoursOf(h.held_minutes), quota: hoursOf(h.quota_hours * 60) })
      : '';
  }
  return text ? `<br><small>${esc(text)}</small>` : '';
}

export const loadAdmin = oneReadAtATime(readAdmin);

async function readAdmin() {
  // The requests this administrator decides: those for the rooms of their organisation.
  const waitlists = loadWaitlists().catch((e) => { el('waitlists').textContent = problemText(e); });
  const rows = (await api('GET', '/api/reservations?status=pending&limit=500')).filter((r) => ownerOf(r.resource) === session.me.organisation);
  const body = el('admin-rows');
  const [context, counters] = await Promise.all([Promise.all(rows.map((r) => sameDay(r).catch(() => ''))), countersOf(rows)]);
  const before = historyState(body);
  body.innerHTML = rows.length ? rows.map((r, i) => `<tr data-id="${esc(r.id)}">
    <td data-label="${esc(t('col.room'))}">${esc(roomName(r.resource))}<br><small>${esc(layoutName(r.resource, r.layout))} · ${r.attendees} ${esc(t('col.attendees').toLowerCase())}</small></td>
    <td data-label="${esc(t('col.when'))}">${esc(showWhen(r.start, r.end))}${context[i]}</td><td data-label="${esc(t('col.title'))}">${esc(r.title)}${seriesTag(r)}</td>
    <td data-label="${esc(t('col.requester'))}">${esc(r.requester_name || '')}<br><small>${esc(r.organisation_name)}</small></td>
    <td data-label="${esc(t('col.quote'))}"><span class="${quoteClass(r.quote)}">${esc(quoteKind(r.quote))}</span><br>${euros(r.quote.total_cents)}
      ${allowanceNow(r, counters)}</td>
    <td class="actions">${scopeChoice(r, 'decide-scope')}<button type="button" class="primary" data-approve="${esc(r.id)}">${esc(t('action.approve'))}</button>
      <button type="button" data-refuse="${esc(r.id)}">${esc(t('action.refuse'))}</button>
      <button type="button" data-history="${esc(r.id)}" aria-expanded="false">${esc(t('action.history'))}</button>
      <span hidden data-reason-for="${esc(r.id)}"><label for="reason-${esc(r.id)}">${esc(t('action.reason'))}</label>
      <input id="reason-${esc(r.id)}" type="text" maxlength="500"><button type="button" data-confirm="${esc(r.id)}">${esc(t('action.confirm'))}</button></span>
      <span class="error" role="alert" data-error-for="${esc(r.id)}"></span></td>
  </tr><tr hidden data-history-of="${esc(r.id)}"><td colspan="6"></td></tr>`).join('') : `<tr><td colspan="6">${esc(t('empty'))}</td></tr>`;
  wireHistory(body, before);
  const failed = (id, e) => { body.querySelector(`[data-error-for="${id}"]`).textContent = problemText(e); };
  body.querySelectorAll('[data-approve]').forEach((b) => {
    b.onclick = async () => {
      const title = rows.find((r) => r.id === b.dataset.approve)?.title || '';
      try {
        await api('POST', `/api/reservations/${encodeURIComponent(b.dataset.approve)}/approve`, { scope: scopeOf('decide-scope', b.dataset.approve) });
        await loadAdmin();
        el('admin-said').textContent = t('admin.approved', { title });
        el('admin-title').focus();
      } catch (e) { failed(b.dataset.approve, e); }
    };
  });
  wireRefusals(body, async (id) => {
    const title = rows.find((r) => r.id === id)?.title || '';
    await loadAdmin();
    el('admin-said').textContent = t('admin.refused', { title });
    el('admin-title').focus();
  });
  await waitlists;
}
