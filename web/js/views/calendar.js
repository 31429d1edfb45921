// The live availability calendar: bookings (pending and confirmed), their set-up and
// clean-up buffers, closed hours and closures, all on Paris's wall clock; a room filter;
// day, week and list views; and, for the keyboard and for phones, the free slots of a day
// as buttons that open the request form.
import { api, el, esc, session, roomName, bookableRooms, lentByOther } from '../api.js';
import { t, problemText } from '../i18n.js';
import { onLive } from '../live.js';
import { locale, parisFloating, parisToUtc, floatingToUtc, floatingDateToInput, utcToLocalInput, showTime, todayInParis, showDay } from '../time.js';
import { openRequest } from './request.js';

let calendar = null;
let range = null;                 // the visible range, RFC 3339 in UTC
const availability = new Map();   // resource id → the last /api/availability answer
let roomFilter = '';

const shownResources = () => session.resources.filter((r) => !roomFilter || r.id === roomFilter);
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

function eventsOf(a) {
  const out = [];
  const res = a.resource;
  // A list (the phone's view) has no column per room: each booking says its room.
  const room = calendar?.getOption('view').startsWith('list') ? `${roomName(res)} · ` : '';
  for (const b of a.busy) {
    if (b.status !== 'pending' && b.status !== 'approved') continue;
    // An occurrence of a series is marked as one (for those who see titles).
    const who = b.title ? `${b.series ? `↻ ${t('series.badge')} · ` : ''}${b.title}${b.organisation_name ? ` — ${b.organisation_name}` : ''}` : '';
    // A request for a room another organisation lends awaits that lender, not LLV.
    const status = b.status === 'pending' && lentByOther(res) ? t('status.pendingLender') : t(`status.${b.status}`);
    out.push({
      id: b.id || `${res}@${b.start}`, resourceIds: [res], start: parisFloating(b.start), end: parisFloating(b.end),
      title: `${room}${who ? `${status} · ${who}` : status}`, classNames: [b.status],
    });
    if (b.occupied_start < b.start)
      out.push({ resourceIds: [res], start: parisFloating(b.occupied_start), end: parisFloating(b.start), display: 'background', classNames: ['buffer'], title: t('calendar.buffer') });
    if (b.occupied_end > b.end)
      out.push({ resourceIds: [res], start: parisFloating(b.end), end: parisFloating(b.occupied_end), display: 'background', classNames: ['buffer'], title: t('calendar.buffer') });
  }
  // Closed hours: what the range holds outside the open periods and outside the closures
  // (drawn apart, with their reason).
  let gaps = [];
  let cursor = a.from;
  for (const o of [...a.open, { start: a.to, end: a.to }]) {
    if (o.start > cursor) gaps.push({ start: cursor, end: o.start });
    if (o.end > cursor) cursor = o.end;
  }
  for (const c of a.closures)
    gaps = gaps.flatMap((g) => (c.end <= g.start || g.end <= c.start ? [g]
      : [{ start: g.start, end: c.start }, { start: c.end, end: g.end }].filter((x) => x.start < x.end)));
  for (const g of gaps)
    out.push({ resourceIds: [res], start: parisFloating(g.start), end: parisFloating(g.end), display: 'background', classNames: ['closed'], title: t('calendar.closed') });
  for (const c of a.closures)
    out.push({ resourceIds: [res], start: parisFloating(c.start), end: parisFloating(c.end), display: 'background', classNames: ['closure'], title: c.reason || t('calendar.closure') });
  return out;
}

function render() {
  if (!calendar) return;
  const events = [];
  for (const r of shownResources()) if (availability.has(r.id)) events.push(...eventsOf(availability.get(r.id)));
  calendar.setOption('events', events);
}

let loading = 0;
async function loadRange() {
  if (!range) return;
  const round = ++loading;
  const answers = await Promise.all(session.resources.map((r) => api('GET',
    `/api/availability?resource=${encodeURIComponent(r.id)}&from=${range.from}&to=${range.to}`).catch(() => null)));
  if (round !== loading) return;
  answers.forEach((a, i) => { if (a) availability.set(session.resources[i].id, a); });
  render();
  const cal = el('view-calendar');
  cal.dataset.loaded = String(Number(cal.dataset.loaded || 0) + 1);
  loadFree();
}
let reloadTimer = null;
const reloadSoon = () => { clearTimeout(reloadTimer); reloadTimer = setTimeout(loadRange, 40); };

// The free periods a new booking can take: where a period meets another booking, the new
// booking's own set-up (before it) or clean-up (after it) must fit too.
function usableFree(a, resource) {
  const r = session.resources.find((x) => x.id === resource) || {};
  const shift = (iso, minutes) => iso && new Date(Date.parse(iso) + minutes * 60000).toISOString().replace('.000Z', 'Z');
  return a.free.map((f) => ({
    start: a.busy.some((b) => b.occupied_end === f.start) ? shift(f.start, r.setup_minutes || 0) : f.start,
    end: a.busy.some((b) => b.occupied_start === f.end) ? shift(f.end, -(r.cleanup_minutes || 0)) : f.end,
  })).filter((f) => f.start < f.end);
}

// Why a selection cannot be requested, or '' when it lies in one free period.
function selectionProblem(resource, start, end) {
  const a = availability.get(resource);
  if (!a) return '';
  if (usableFree(a, resource).some((f) => f.start <= start && end <= f.end)) return '';
  if (!a.open.some((o) => o.start <= start && end <= o.end) || a.closures.some((c) => c.start < end && start < c.end))
    return t('problem.closed');
  if (start < new Date().toISOString()) return t('problem.in-the-past');
  return t('problem.slot-taken');
}

function say(message) {
  const m = el('cal-message');
  m.textContent = message;
  m.hidden = !message;
  if (message) m.scrollIntoView({ block: 'nearest' });
}

function options() {
  return {
    locale: locale(),
    noEventsContent: t('calendar.noEvents'),
    customButtons: { parisToday: { text: t('calendar.today'), click: () => calendar.setOption('date', todayInParis()) } },
    buttonText: { today: t('calendar.today'), dayGridMonth: t('calendar.month'), listDay: t('calendar.list'), listWeek: t('calendar.list'), resourceTimeGridDay: t('calendar.day'), resourceTimeGridWeek: t('calendar.week'), resourceTimelineDay: t('calendar.day'), resourceTimelineWeek: t('calendar.week'), timeGridDay: t('calendar.day'), timeGridWeek: t('calendar.week') },
  };
}

export function setupCalendar() {
  const phone = window.matchMedia('(max-width: 640px)').matches;
  calendar = EventCalendar.create(el('calendar'), {
    view: phone ? 'listWeek' : 'resourceTimeGridWeek',
    // Today is Paris's, whatever the browser's zone: it opens there, and the button goes there.
    date: todayInParis(),
    // The library's own today is the browser's: Paris's is marked as a highlighted date instead
    // (web/app.css gives it the today colour), and follows Paris's midnight.
    highlightedDates: [todayInParis()],
    ...options(),
    firstDay: 1, nowIndicator: false, allDaySlot: false, height: 'auto', slotMinTime: '07:00', slotMaxTime: '23:00',
    slotDuration: '00:30', scrollTime: '08:00',
    // The week of several rooms has 7 narrow columns per room: a day's header is its letter and
    // number ("M 10"), the whole date still read out by screen readers. One room's has room for
    // "ven. 26/03".
    views: { resourceTimeGridWeek: { dayHeaderFormat: (date) => new Intl.DateTimeFormat(locale(),
      shownResources().length > 1 ? { weekday: 'narrow', day: 'numeric' } : { weekday: 'short', month: 'numeric', day: 'numeric' }).format(date) } },
    // A booking past those hours (a room open at night) widens them, drawn whole.
    flexibleSlotTimeLimits: true,
    resources: shownResources().map((r) => ({ id: r.id, title: r.name })),
    headerToolbar: { start: 'prev,next parisToday', center: 'title', end: '' },
    selectable: !!session.me,
    editable: false, eventStartEditable: false, eventDurationEditable: false,
    select: (info) => {
      const resource = info.resource?.id || roomFilter || session.resources[0]?.id;
      const start = floatingToUtc(info.start), end = floatingToUtc(info.end);
      const why = selectionProblem(resource, start, end);
      if (why) { calendar.unselect(); say(t('calendar.refusedSelection', { why })); return; }
      say('');
      openRequest(resource, floatingDateToInput(info.start), floatingDateToInput(info.end));
    },
    datesSet: (info) => {
      labelButtons();
      // The range the calendar shows (Paris wall clock in local fields), widened by a day
      // on each side for the difference between Paris and the browser's zone.
      const from = floatingToUtc(info.start), to = floatingToUtc(info.end);
      range = { from: iso(Date.parse(from) - 86400000), to: iso(Date.parse(to) + 86400000) };
      loadRange();
    },
  });
  document.querySelectorAll('[data-view]').forEach((b) => {
    b.setAttribute('aria-pressed', String(calendar.getOption('view') === b.dataset.view));
    b.onclick = () => {
      calendar.setOption('view', b.dataset.view);
      render();
      document.querySelectorAll('[data-view]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
    };
  });
  fillRoomSelects();
  const rooms = el('cal-room');
  rooms.onchange = () => {
    roomFilter = rooms.value;
    if (roomFilter) { el('free-room').value = roomFilter; loadFree(); }
    calendar.setOption('resources', shownResources().map((r) => ({ id: r.id, title: r.name })));
    render();
  };
  el('free-day').value = todayInParis();
  el('cal-date').value = todayInParis();
  el('cal-date').onchange = () => {
    const d = el('cal-date').value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return;
    calendar.setOption('date', d);
    el('free-day').value = d;
    loadFree();
  };
  el('free-room').onchange = loadFree;
  el('free-day').onchange = loadFree;
  let today = todayInParis();
  setInterval(() => {
    if (todayInParis() === today) return;
    today = todayInParis();
    calendar.setOption('highlightedDates', [today]);
  }, 60000);
  onLive((m) => {
    if (m.type === 'reload' || (m.topic || '').startsWith('calendar:')) {
      if (m.type === 'resource-defined') refreshResources().then(reloadSoon); else reloadSoon();
    }
  });
}

// The room pickers of the calendar and of the free slots, keeping what is chosen.
function fillRoomSelects() {
  const options = session.resources.map((r) => `<option value="${esc(r.id)}">${esc(r.name)}</option>`).join('');
  const rooms = el('cal-room'), free = el('free-room');
  const keepRoom = rooms.value, keepFree = free.value;
  rooms.innerHTML = `<option value="">${esc(t('calendar.allRooms'))}</option>${options}`;
  free.innerHTML = options;
  if (session.resources.some((r) => r.id === keepRoom)) rooms.value = keepRoom; else roomFilter = '';
  if (session.resources.some((r) => r.id === keepFree)) free.value = keepFree;
}

// The rooms one may book, read again with the agreements (a room defined, a session back).
export async function refreshResources() {
  const [all, agreements] = await Promise.all([api('GET', '/api/resources'), session.me ? api('GET', '/api/agreements').catch(() => session.agreements) : []]);
  session.agreements = agreements;
  session.allResources = all;
  session.resources.splice(0, session.resources.length, ...bookableRooms(all));
  fillRoomSelects();
  calendar?.setOption('resources', shownResources().map((r) => ({ id: r.id, title: r.name })));
}

// The free slots of one room and one Paris day, as buttons.
let freeRound = 0;
export async function loadFree() {
  const resource = el('free-room').value, day = el('free-day').value;
  const list = el('free-list');
  if (!resource || !/^\d{4}-\d{2}-\d{2}$/.test(day)) { list.innerHTML = ''; return; }
  const [y, mo, d] = day.split('-').map(Number);
  const from = parisToUtc(y, mo, d, 0, 0);
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  const to = parisToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0);
  const round = ++freeRound;
  let a;
  try { a = await api('GET', `/api/availability?resource=${encodeURIComponent(resource)}&from=${from}&to=${to}`); } catch (e) {
    list.innerHTML = `<li class="error">${esc(problemText(e))}</li>`; return;
  }
  if (round !== freeRound) return;
  const now = new Date().toISOString();
  const slots = usableFree(a, resource).map((f) => ({ start: f.start < now ? now : f.start, end: f.end }))
    .filter((f) => Date.parse(f.end) - Date.parse(f.start) >= 30 * 60000);
  el('free-caption').textContent = `${roomName(resource)} — ${showDay(from)}`;
  // Drawn again (a live change, a later reading) under the keyboard: it stays on its slot.
  const had = list.contains(document.activeElement) ? document.activeElement.dataset.start ?? '' : null;
  list.innerHTML = slots.length ? slots.map((f) => {
    const label = t('free.request', { room: roomName(resource), from: showTime(f.start), to: showTime(f.end) });
    return `<li><button type="button" data-start="${esc(f.start)}" data-end="${esc(f.end)}">${esc(label)}</button></li>`;
  }).join('') : `<li>${esc(t('free.none'))}</li>`;
  list.querySelectorAll('button').forEach((b) => {
    b.onclick = () => {
      if (!session.me) { location.hash = '#/signin'; return; }
      openRequest(resource, utcToLocalInput(b.dataset.start), utcToLocalInput(b.dataset.end));
    };
  });
  if (had !== null) ([...list.querySelectorAll('button')].find((b) => b.dataset.start === had) || list.querySelector('button') || el('free-day')).focus();
}

// The library draws its previous and next buttons as icons without a name: name them.
function labelButtons() {
  el('calendar').querySelector('.ec-prev')?.setAttribute('aria-label', t('calendar.prev'));
  el('calendar').querySelector('.ec-next')?.setAttribute('aria-label', t('calendar.next'));
}

// The language changed: the calendar's words, and the events' titles.
export function relabelCalendar() {
  if (!calendar) return;
  for (const [k, v] of Object.entries(options())) calendar.setOption(k, v);
  labelButtons();
  const rooms = el('cal-room');
  if (rooms.options.length) rooms.options[0].textContent = t('calendar.allRooms');
  render();
  loadFree();
}

export function showCalendarDate(date) {
  if (!calendar || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
  calendar.setOption('date', date);
  el('cal-date').value = date;
  el('free-day').value = date;
}
export const reloadCalendar = reloadSoon;
