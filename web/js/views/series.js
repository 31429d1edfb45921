// A request that repeats (docs/domain.md, "Series"): the rule read from the request form in
// Paris time, each date's outcome and quote previewed by the server, dates skipped or moved
// here, and the series sent all or nothing or for the dates that can be booked.
import { api, el, esc } from '../api.js';
import { t, problemText, quoteKind } from '../i18n.js';
import { showDay, showWhen, euros, localInputToUtc, utcToLocalInput } from '../time.js';
import { clearErrors, fieldError, timeMessage } from '../forms.js';

const skipped = new Set();
const moved = new Map();  // date → { start, end } (RFC 3339)
let onChange = () => {};

// The Paris date and ISO weekday (1 = Monday) of the form's start.
function startDay() {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(el('rq-start').value || '');
  if (!m) return null;
  const wd = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
  return { date: m[0], day: +m[3], weekday: wd === 0 ? 7 : wd };
}

export const seriesOn = () => el('rq-repeat').value !== '';

// The recurrence the form says, or null when the request does not repeat.
export function recurrence() {
  const kind = el('rq-repeat').value;
  const start = startDay();
  if (!kind || !start) return null;
  const r = { interval: Math.max(1, Number(el('rq-interval').value) || 1) };
  if (kind === 'weekly') {
    r.frequency = 'weekly';
    r.weekdays = [...el('rq-weekdays').querySelectorAll('input:checked')].map((x) => Number(x.value));
  } else if (kind === 'monthly-day') {
    r.frequency = 'monthly';
    r.month_day = start.day;
  } else {
    r.frequency = 'monthly';
    r.nth = start.day > 28 ? -1 : Math.ceil(start.day / 7);
    r.weekday = start.weekday;
  }
  if (el('rq-ends').value === 'until') r.until = el('rq-until').value;
  else r.count = Number(el('rq-count').value) || 0;
  r.skip = [...skipped];
  r.moves = [...moved].map(([date, p]) => ({ date, start: p.start, end: p.end }));
  return r;
}

export const seriesMode = () => el('request-form').querySelector('input[name="rq-mode"]:checked')?.value || 'all-or-nothing';

// Whether a date's outcome is a booking (pending or approved once sent).
const booked = (o) => o.status === 'pending' || o.status === 'approved';

function outcomeText(o) {
  if (o.skipped) return t('series.skipped');
  if (booked(o)) return `${quoteKind(o.quote)} · ${euros(o.quote?.total_cents || 0)}`;
  return problemText({ code: o.code, problem: { code: o.code, detail: o.detail } });
}

// The dates of a previewed (or sent) series, each with its outcome and, before sending, the
// means to skip or move it.
export function showDates(view, editable) {
  const list = el('rq-dates');
  list.innerHTML = view.occurrences.map((o) => `<li data-date="${esc(o.date)}" class="${o.skipped ? 'skipped' : booked(o) ? 'ok' : 'refused'}">
    <span><strong>${esc(showWhen(o.start, o.end))}</strong>${o.moved ? ` <small>(${esc(t('series.movedFrom', { date: showDay(`${o.date}T12:00:00Z`) }))})</small>` : ''}<br>
      <small>${esc(outcomeText(o))}</small></span>
    ${editable ? `<span class="actions">
      <button type="button" data-skip="${esc(o.date)}" aria-pressed="${o.skipped}">${esc(t(o.skipped ? 'series.restore' : 'series.skip'))}<span class="sr"> ${esc(o.date)}</span></button>
      ${o.skipped ? '' : `<button type="button" data-move="${esc(o.date)}" aria-expanded="false">${esc(t('series.move'))}<span class="sr"> ${esc(o.date)}</span></button>`}
      <span hidden data-move-box="${esc(o.date)}">
        <label for="mv-start-${esc(o.date)}">${esc(t('request.start'))}</label><input id="mv-start-${esc(o.date)}" type="datetime-local" step="900" value="${esc(utcToLocalInput(o.start))}">
        <label for="mv-end-${esc(o.date)}">${esc(t('request.end'))}</label><input id="mv-end-${esc(o.date)}" type="datetime-local" step="900" value="${esc(utcToLocalInput(o.end))}">
        <button type="button" data-move-ok="${esc(o.date)}">${esc(t('series.moveOk'))}</button>
        ${moved.has(o.date) ? `<button type="button" data-unmove="${esc(o.date)}">${esc(t('series.unmove'))}</button>` : ''}</span></span>` : ''}
  </li>`).join('');
  const ok = view.occurrences.filter(booked);
  const total = ok.reduce((n, o) => n + (o.quote?.total_cents || 0), 0);
  const refused = view.occurrences.filter((o) => !o.skipped && !booked(o)).length;
  if (!editable) return { ok: ok.length, refused, total };
  list.querySelectorAll('[data-skip]').forEach((b) => {
    b.onclick = () => {
      const d = b.dataset.skip;
      if (skipped.has(d)) skipped.delete(d); else { skipped.add(d); moved.delete(d); }
      onChange(`[data-skip="${d}"]`);
    };
  });
  list.querySelectorAll('[data-move]').forEach((b) => {
    b.onclick = () => {
      const box = list.querySelector(`[data-move-box="${b.dataset.move}"]`);
      box.hidden = !box.hidden;
      b.setAttribute('aria-expanded', String(!box.hidden));
      if (!box.hidden) box.querySelector('input').focus();
    };
  });
  list.querySelectorAll('[data-move-ok]').forEach((b) => {
    b.onclick = () => {
      const d = b.dataset.moveOk;
      const startInput = el(`mv-start-${d}`), endInput = el(`mv-end-${d}`);
      const start = localInputToUtc(startInput.value), end = localInputToUtc(endInput.value);
      clearErrors(b.parentElement);
      const [at, why] = !start ? [startInput, timeMessage(startInput)] : !end ? [endInput, timeMessage(endInput)] : end <= start ? [endInput, t('field.endBeforeStart')] : [];
      if (at) { fieldError(at, why); at.focus(); return; }
      moved.set(d, { start, end });
      onChange(`[data-move="${d}"]`);
    };
  });
  list.querySelectorAll('[data-unmove]').forEach((b) => {
    b.onclick = () => { moved.delete(b.dataset.unmove); onChange(`[data-move="${b.dataset.unmove}"]`); };
  });
  return { ok: ok.length, refused, total };
}

// The summary of a series' dates, for the quote box.
export function summaryText(counts) {
  return t('series.summary', { ok: counts.ok, refused: counts.refused, total: euros(counts.total) });
}

export async function previewSeries(body) {
  return api('POST', '/api/series/preview', body);
}

function fillWeekdays() {
  const names = t('series.dayNames').split(',');
  const box = el('rq-weekdays');
  const keep = new Set([...box.querySelectorAll('input:checked')].map((x) => x.value));
  box.querySelectorAll('label').forEach((x) => x.remove());
  box.insertAdjacentHTML('beforeend', names.map((n, i) => `<label class="check"><input type="checkbox" value="${i + 1}"${keep.has(String(i + 1)) ? ' checked' : ''}> ${esc(n)}</label>`).join(''));
  box.querySelectorAll('input').forEach((x) => x.addEventListener('change', () => onChange()));
}

// The start's weekday is always one of a weekly series' days.
function keepStartDay() {
  const start = startDay();
  if (!start) return;
  const box = el(`rq-weekdays`).querySelector(`input[value="${start.weekday}"]`);
  if (box) box.checked = true;
}

export function setupSeries(changed) {
  onChange = (focus) => { changed(focus); };
  fillWeekdays();
  const show = () => {
    const kind = el('rq-repeat').value;
    el('rq-series').hidden = !kind;
    el('rq-weekdays').hidden = kind !== 'weekly';
    const until = el('rq-ends').value === 'until';
    el('rq-until').hidden = !until;
    el('request-form').querySelector('label[for="rq-until"]').hidden = !until;
    el('rq-count').hidden = until;
    el('request-form').querySelector('label[for="rq-count"]').hidden = until;
    if (kind === 'weekly') keepStartDay();
  };
  el('rq-repeat').addEventListener('change', () => { show(); onChange(); });
  el('rq-ends').addEventListener('change', () => { show(); onChange(); });
  el('rq-start').addEventListener('change', () => { skipped.clear(); moved.clear(); if (el('rq-repeat').value === 'weekly') keepStartDay(); });
  ['rq-interval', 'rq-count', 'rq-until'].forEach((id) => el(id).addEventListener('input', () => onChange()));
  el('request-form').querySelectorAll('input[name="rq-mode"]').forEach((x) => x.addEventListener('change', () => onChange()));
  show();
}

// After sending, or a new request: no date skipped or moved any more.
export function resetSeries() { skipped.clear(); moved.clear(); }
export const refillWeekdays = fillWeekdays;
