// The Job Dating (docs/domain.md, "The Job Dating timetable"): the organisers' timetable builder (build, figures,
// the grid of companies × slots, pin and remove, publish, re-plan the future slots on the
// day) and the live board for a screen in the hall (no student names).
import { api, el, esc } from '../api.js';
import { t, problemText } from '../i18n.js';
import { locale, showTime, showDay, showInstant } from '../time.js';
import { subscribe } from '../live.js';
import { organising, links } from './organise.js';

const enc = encodeURIComponent;
const figures = {};  // of the last build, by event, kept while the app is open
const budgets = {};  // the search time the organiser chose, by event
// What the last build or publication said, by event: a live update redraws the builder, and the
// organiser must still read "published" (or the error) afterwards.
const said = {};

async function timetableOrNull(id) {
  try { return await api('GET', `/api/events/${enc(id)}/timetable`); } catch (e) { if (e.status === 404) return null; throw e; }
}

export async function loadBuilder(id) {
  organising.id = id; organising.view = 'timetable';
  subscribe([`event:${id}`, `jobdating:${id}`]);
  const [e, tt, regs] = await Promise.all([api('GET', `/api/events/${enc(id)}`), timetableOrNull(id), api('GET', `/api/events/${enc(id)}/registrations`)]);
  el('timetable-title').textContent = t('jd.builderOf', { title: e.title });
  const companies = regs.registrations.filter((r) => r.role === 'company' && r.status !== 'left' && r.status !== 'waiting');
  const students = regs.registrations.filter((r) => r.role === 'student' && r.status !== 'left' && r.status !== 'waiting');
  const box = el('timetable-body');
  const slots = e.slot_times.length;
  const at = (company, slot) => (tt?.meetings || []).filter((m) => m.company === company && m.slot === slot);
  const name = Object.fromEntries(regs.registrations.map((r) => [r.id, r.name]));
  box.innerHTML = `${links(e, 'timetable')}
    <p>${esc([t('jd.companiesN', { n: companies.length }), t('jd.studentsN', { n: students.length }), t('jd.slotsN', { n: slots })].join(', '))} — ${esc(showDay(e.slot_times[0]))}</p>
    <div class="bar"><button type="button" class="primary" id="jd-build">${esc(t(tt ? 'jd.rebuild' : 'jd.build'))}</button>
      <label class="inline">${esc(t('jd.budget'))} <input type="number" id="jd-budget" min="1" max="30" step="1" value="${budgets[id] || 3}" inputmode="numeric"></label>
      <button type="button" id="jd-publish" ${tt ? '' : 'disabled'}>${esc(t(tt?.published ? 'jd.republish' : 'jd.publish'))}</button>
      <span class="status ${tt?.published ? 'approved' : 'pending'}">${esc(t(tt ? (tt.published ? 'jd.published' : 'jd.draft') : 'jd.none'))}</span></div>
    <p class="hint-line">${esc(t('jd.replanHint'))}</p>
    <p id="jd-said" role="status" aria-live="polite" tabindex="-1" class="${esc(said[id]?.className || '')}">${esc(said[id]?.text || '')}</p>
    <div id="jd-figures">${figures[id] ? figuresHtml(figures[id], name) : ''}</div>
    ${withdrawnHtml(tt, regs)}
    ${tt?.dropped?.length ? `<h3>${esc(t('jd.dropped'))}</h3><p class="hint-line">${esc(t('jd.droppedWhy'))}</p>
      <ul class="dropped">${tt.dropped.map((m) => `<li>${esc(name[m.student] || m.student)} — ${esc(name[m.company] || m.company)}</li>`).join('')}</ul>` : ''}
    ${tt ? `<div class="scroll grid-wrap" tabindex="0"><table class="grid"><caption>${esc(t('jd.grid'))}</caption>
      <thead><tr><th scope="col">${esc(t('jd.company'))}</th>${e.slot_times.map((s, i) => `<th scope="col">${esc(showTime(s))}${e.breaks.includes(i) ? `<br><small>${esc(t('jd.break'))}</small>` : ''}</th>`).join('')}</tr></thead>
      <tbody>${companies.map((c) => `<tr><th scope="row">${esc(c.name)}<br><small>${esc(t(c.tables > 1 ? 'jd.tablesN' : 'jd.oneTable', { n: c.tables }))}</small></th>
        ${e.slot_times.map((_, i) => `<td>${at(c.id, i).map((m) => `<div class="meeting ${m.pinned ? 'pinned' : ''} ${m.withdrawn ? 'withdrawn' : ''}">
          <span>${esc(m.student_name)}</span> <small>${esc(t('jd.table', { n: m.table + 1 }))}${m.withdrawn ? ` · ${esc(t('jd.cancelled'))}` : ''}</small>
          <button type="button" data-pin='${esc(JSON.stringify({ student: m.student, company: m.company, slot: m.slot, table: m.table }))}' aria-pressed="${m.pinned}" aria-label="${esc(t(m.pinned ? 'jd.unpinOf' : 'jd.pinOf', { s: m.student_name, c: c.name, at: showTime(m.start) }))}">${esc(t(m.pinned ? 'jd.pinned' : 'jd.pin'))}</button>
          <button type="button" data-remove='${esc(JSON.stringify({ student: m.student, company: m.company }))}' aria-label="${esc(t('jd.removeOf', { s: m.student_name, c: c.name }))}">✕</button></div>`).join('')}</td>`).join('')}</tr>`).join('')}</tbody></table></div>` : ''}`;
  const tell = (className, text) => {
    said[id] = { className, text };
    el('jd-said').className = className; el('jd-said').textContent = text;
  };
  const run = async (body, done) => {
    tell('', t('jd.building'));
    const budget = Number(el('jd-budget').value);
    if (Number.isInteger(budget) && budget >= 1 && budget <= 30) { budgets[id] = budget; body = { ...body, time_budget_seconds: budget }; }
    try {
      const out = await api('POST', `/api/events/${enc(id)}/timetable`, body);
      figures[id] = out.figures;
      said[id] = { className: 'saved', text: done };
      await loadBuilder(id);
    } catch (err) { tell('error', problemText(err)); }
    el('jd-said').focus();
  };
  el('jd-budget').oninput = () => {
    const budget = Number(el('jd-budget').value);
    if (Number.isInteger(budget) && budget >= 1 && budget <= 30) budgets[id] = budget;
  };
  el('jd-build').onclick = () => run({ publish: !!tt?.published }, t('jd.built'));
  el('jd-publish').onclick = () => run({ publish: true }, t('jd.publishedNow'));
  box.querySelectorAll('[data-pin]').forEach((b) => { b.onclick = () => {
    const m = JSON.parse(b.dataset.pin);
    run(b.getAttribute('aria-pressed') === 'true' ? { unpin: [m], publish: !!tt.published } : { pin: [m], publish: !!tt.published }, t('jd.built'));
  }; });
  box.querySelectorAll('[data-remove]').forEach((b) => { b.onclick = () => run({ remove: [JSON.parse(b.dataset.remove)], publish: !!tt.published }, t('jd.built')); });
}

// The published meetings of people who no longer take part (left, or marked no-shows): they
// stay until the organisers build again (docs/domain.md, "The Job Dating timetable").
function withdrawnHtml(tt, regs) {
  const gone = (tt?.meetings || []).filter((m) => m.withdrawn).sort((a, b) => a.slot - b.slot);
  if (!gone.length) return '';
  const reg = Object.fromEntries(regs.registrations.map((r) => [r.id, r]));
  const takesPart = (id) => ['registered', 'checked-in'].includes(reg[id]?.status) && !reg[id]?.no_show;
  const who = (m) => [m.company, m.student].filter((id) => !takesPart(id)).map((id) => t('jd.gone', { name: reg[id]?.name || '' })).join(', ');
  return `<section id="jd-withdrawn" class="withdrawn-box" aria-labelledby="jd-withdrawn-title"><h3 id="jd-withdrawn-title">${esc(t('jd.withdrawn', { n: gone.length }))}</h3>
    <p class="hint-line">${esc(t('jd.withdrawnWhy', { n: gone.length }))}</p>
    <ul class="dropped">${gone.map((m) => `<li>${esc(showTime(m.start))} — ${esc(m.student_name)} — ${esc(m.company_name)} (${esc(who(m))})</li>`).join('')}</ul></section>`;
}

function figuresHtml(f, name) {
  const ranks = Object.entries(f.honoured_by_rank || {}).sort((a, b) => +a[0] - +b[0]);
  return `<h3>${esc(t('jd.figures'))}</h3><ul class="figures">
    <li>${esc(t('jd.placed', { n: f.meetings, bound: f.upper_bound }))}</li>
    <li class="proof ${f.optimal ? 'approved' : 'pending'}">${esc(f.optimal ? t(f.exact ? 'jd.optimalExact' : 'jd.optimalFlow')
      : t('jd.gap', { n: f.gap, bound: f.upper_bound }))}</li>
    ${f.idle ? `<li>${esc(t('jd.idle', { mean: new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(f.idle.mean), worst: f.idle.worst, total: f.idle.total }))}</li>` : ''}
    <li>${esc(t('jd.mutual', { n: f.mutual }))}</li>
    ${ranks.length ? `<li>${esc(t('jd.byRank'))} ${ranks.map(([r, n]) => esc(t('jd.rankN', { r: +r, n }))).join(', ')}</li>` : ''}
    <li>${esc(t('jd.perCompany'))} ${Object.entries(f.per_company || {}).map(([c, n]) => `${esc(name[c] || c)} ${n}`).join(', ')}</li>
    <li>${esc(t('jd.perStudentMin', { min: Math.min(...Object.values(f.per_student || { x: 0 })), max: Math.max(...Object.values(f.per_student || { x: 0 })) }))}</li></ul>`;
}

// ---- the board -------------------------------------------------------------------------------

let boardTimer = null;
export const boardShowing = { id: null };

export async function loadBoard(id) {
  boardShowing.id = id;
  // Its event's departures too: a meeting they withdraw leaves the board.
  subscribe([`jobdating:${id}`, `event:${id}`]);
  const [e, tt] = await Promise.all([api('GET', `/api/events/${enc(id)}`), timetableOrNull(id)]);
  el('board-title').textContent = e.title;
  el('board-back').href = `#/event/${enc(id)}`;
  const body = el('board-body');
  body.dataset.meetings = JSON.stringify((tt?.meetings || []).filter((m) => !m.withdrawn));
  body.dataset.slots = JSON.stringify(e.slot_times.map((s) => [s, new Date(Date.parse(s) + e.slot_minutes * 60000).toISOString()]));
  drawBoard();
  clearInterval(boardTimer);
  boardTimer = setInterval(() => { if (boardShowing.id) drawBoard(); }, 1000);
}

// From the live message itself: the board's meetings arrive on the jobdating topic.
export function boardMessage(m) {
  if (!boardShowing.id || m.topic !== `jobdating:${boardShowing.id}`) return false;
  if (!Array.isArray(m.data?.meetings)) return false;
  el('board-body').dataset.meetings = JSON.stringify(m.data.meetings);
  drawBoard();
  return true;
}

export function leaveBoard() { boardShowing.id = null; clearInterval(boardTimer); }

function drawBoard() {
  const body = el('board-body');
  const meetings = JSON.parse(body.dataset.meetings || '[]');
  const slots = JSON.parse(body.dataset.slots || '[]');
  const now = Date.now();
  const current = slots.findIndex(([s, e]) => Date.parse(s) <= now && now < Date.parse(e));
  const next = slots.findIndex(([s]) => Date.parse(s) > now);
  // A company's tables are numbered from 1 for that company: a row per company and table.
  const key = (m) => `${m.company}\u0000${m.table}`;
  const rows = [...new Set(meetings.map(key))].map((k) => meetings.find((m) => key(m) === k))
    .sort((a, b) => a.company_name.localeCompare(b.company_name, 'fr') || a.table - b.table);
  const several = new Set(rows.filter((m) => m.table > 0).map((m) => m.company));
  const clock = el('board-clock');
  if (next >= 0) {
    const left = Math.max(0, Math.round((Date.parse(slots[next][0]) - now) / 1000));
    clock.textContent = left > 3600 ? t('board.nextOn', { at: showInstant(slots[next][0]) })
      : t('board.next', { at: showTime(slots[next][0]), m: Math.floor(left / 60), s: String(left % 60).padStart(2, '0') });
  } else clock.textContent = current >= 0 ? t('board.last') : t('board.over');
  if (!meetings.length) { body.innerHTML = `<p class="board-empty">${esc(t('board.notYet'))}</p>`; return; }
  const line = (m) => (m ? `${esc(showTime(m.start))}` : '—');
  body.innerHTML = `<table class="board"><thead><tr><th scope="col">${esc(t('jd.company'))}</th>
    <th scope="col">${esc(t('board.now'))}</th><th scope="col">${esc(t('board.then'))}</th></tr></thead><tbody>${rows.map((row) => {
    const mine = meetings.filter((m) => key(m) === key(row));
    const cur = mine.find((m) => m.slot === current);
    const nxt = mine.filter((m) => m.slot > current && Date.parse(m.start) > now).sort((a, b) => a.slot - b.slot)[0];
    const table = several.has(row.company) ? ` <span class="table-no">${esc(t('jd.table', { n: row.table + 1 }))}</span>` : '';
    return `<tr><td>${esc(row.company_name)}${table}</td><td>${cur ? line(cur) : esc(t('board.free'))}</td><td>${line(nxt)}</td></tr>`;
  }).join('')}</tbody></table>`;
}
