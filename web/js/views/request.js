// The request form: a room, a layout by its name, attendees, a Paris-time period and a
// title; a live quote; checks before sending and refusals shown at their field; a period
// already taken can be waited for on the room's waiting list.
import { api, el, esc, session, lentByOther, ownerName } from '../api.js';
import { t, problemText, quoteKind, quoteClass } from '../i18n.js';
import { localInputToUtc, euros, hoursOf } from '../time.js';
import { clearErrors, fieldError, noteRepeatedHour, showProblem, timeMessage } from '../forms.js';
import { seriesOn, recurrence, seriesMode, showDates, summaryText, previewSeries, setupSeries, resetSeries } from './series.js';

const fields = () => ({
  resource: el('rq-resource'), layout: el('rq-layout'), attendees: el('rq-attendees'),
  start: el('rq-start'), end: el('rq-end'), title: el('rq-title'),
});

export function fillResources() {
  const select = el('rq-resource');
  const keep = select.value;
  select.innerHTML = session.resources.map((r) => `<option value="${esc(r.id)}">${esc(r.name)}</option>`).join('');
  if (keep) select.value = keep;
  fillLayouts();
}
function fillLayouts() {
  const r = session.resources.find((x) => x.id === el('rq-resource').value);
  const keep = el('rq-layout').value;
  el('rq-layout').innerHTML = (r?.layouts || []).map((l) =>
    `<option value="${esc(l.id)}">${esc(l.label || l.id)} (${l.capacity} ${t('col.attendees').toLowerCase()})</option>`).join('');
  if (keep && r?.layouts?.some((l) => l.id === keep)) el('rq-layout').value = keep;
}

export function openRequest(resource, start, end) {
  // The form is shown by the router on the hash change: focus its title once it is.
  if (location.hash !== '#/request') {
    window.addEventListener('hashchange', () => setTimeout(() => el('rq-title').focus()), { once: true });
    location.hash = '#/request';
  }
  if (resource) { el('rq-resource').value = resource; fillLayouts(); }
  if (start) el('rq-start').value = start;
  if (end) el('rq-end').value = end;
  noteRepeatedHour(el('rq-start'));
  noteRepeatedHour(el('rq-end'));
  el('request-result').textContent = '';
  clearErrors(el('request-form'));
  quoteSoon();
  el('rq-title').focus();
}

function requestBody() {
  return {
    resource: el('rq-resource').value, layout: el('rq-layout').value, attendees: Number(el('rq-attendees').value),
    start: localInputToUtc(el('rq-start').value), end: localInputToUtc(el('rq-end').value), title: el('rq-title').value.trim(),
  };
}

// What can be checked without the server; marks the fields and returns false if any fails.
function checkRequest(body, withTitle) {
  const f = fields();
  clearErrors(el('request-form'));
  let first = null;
  const mark = (input, message) => { fieldError(input, message); first ??= input; };
  if (!body.start) mark(f.start, timeMessage(f.start));
  if (!body.end) mark(f.end, timeMessage(f.end));
  if (body.start && body.end && body.end <= body.start) mark(f.end, t('field.endBeforeStart'));
  const layout = session.resources.find((r) => r.id === body.resource)?.layouts?.find((l) => l.id === body.layout);
  if (!(body.attendees >= 1)) mark(f.attendees, t('field.positive'));
  else if (layout && body.attendees > layout.capacity) mark(f.attendees, t('field.capacity', { n: layout.capacity }));
  if (withTitle && !body.title) mark(f.title, t('field.required'));
  return first;
}

function renderQuote(q, heading = '') {
  const lines = q.lines.map((l) => `<li>${esc(l.label)}${esc(t('sep'))}${euros(l.amount_cents)}</li>`).join('');
  let extra = '';
  if (q.allowance) extra = `<p class="allowance">${esc(t('quote.left', q.allowance))}</p>`;
  if (q.hours) {
    const h = q.hours, words = { year: h.year, used: hoursOf(h.used_minutes), held: hoursOf(h.held_minutes || 0), quota: hoursOf(h.quota_minutes) };
    extra = `<p class="allowance">${esc(t(h.held_minutes ? 'quote.hoursHeld' : 'quote.hours', words))}</p>`;
  }
  const kind = quoteKind(q);
  el('quote').innerHTML = `${heading ? `<p><strong>${esc(heading)}</strong></p>` : ''}
    <p class="${quoteClass(q)}" data-testid="quote-kind">${esc(kind)}</p>${extra}
    <ul>${lines}</ul><p><strong>${esc(t('quote.total'))}${esc(t('sep'))}<span data-testid="quote-total">${euros(q.total_cents)}</span></strong></p>`;
}

// A series' dates, previewed: each one's outcome and quote, and the whole's in the quote box.
// `focus`: the control to give the focus back to once the dates are drawn again.
async function previewSoon(body, round, focus) {
  body.recurrence = recurrence();
  try {
    const view = await previewSeries(body);
    if (round !== quoteRound) return;
    const counts = showDates(view, true);
    el('quote').innerHTML = `<p data-testid="series-summary"><strong>${esc(summaryText(counts))}</strong></p>`;
  } catch (e) {
    if (round !== quoteRound) return;
    el('rq-dates').innerHTML = '';
    el('quote').innerHTML = `<p class="error" role="alert">${esc(t('quote.refused'))}${esc(t('sep'))}${esc(problemText(e))}</p>`;
  }
  if (focus) el('rq-dates').querySelector(focus)?.focus();
}

let quoteTimer = null, quoteRound = 0;
let sendWaiting = () => {};  // set by setupRequest: sends the form to the waiting list
export function quoteSoon(focus) {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(async () => {
    const body = requestBody();
    if (!body.start || !body.end || !body.attendees || body.end <= body.start) { el('quote').textContent = t('quote.fill'); return; }
    if (!body.title) body.title = '—';
    if (seriesOn()) { await previewSoon(body, ++quoteRound, typeof focus === 'string' ? focus : null); return; }
    body.wait = true;  // a taken period is quoted as a request that waits for it
    const round = ++quoteRound;
    try {
      const r = await api('POST', '/api/quotes', body);
      if (round !== quoteRound) return;
      renderQuote(r.quote, r.status === 'waiting' ? t('quote.taken') : '');
      if (r.status === 'waiting') {
        // The period is taken: waiting for it is offered here, before anything is sent.
        el('quote').insertAdjacentHTML('beforeend', `<button type="button" id="rq-wait-quote">${esc(t('request.waitNow'))}</button>`);
        el('rq-wait-quote').onclick = () => sendWaiting();
      }
    } catch (e) {
      if (round !== quoteRound) return;
      // Over capacity: the layout's capacity, from the catalogue, in the reader's words.
      const layout = session.resources.find((r) => r.id === body.resource)?.layouts?.find((l) => l.id === body.layout);
      const why = e.code === 'over-capacity' && layout ? t('field.capacity', { n: layout.capacity }) : problemText(e);
      el('quote').innerHTML = `<p class="error" role="alert">${esc(t('quote.refused'))}${esc(t('sep'))}${esc(why)}</p>`;
    }
  }, 200);
}

// Sends the series the form describes; its dates' outcomes are shown below the form.
async function sendSeries(body) {
  body.recurrence = recurrence();
  body.mode = seriesMode();
  try {
    const view = await api('POST', '/api/series', body);
    clearTimeout(quoteTimer);
    ++quoteRound;
    const counts = showDates(view, false);
    resetSeries();
    el('quote').innerHTML = `<p><strong>${esc(summaryText(counts))}</strong></p>`;
    el('request-result').innerHTML = `<span class="status pending">${esc(t('series.sentBadge'))}</span> ${esc(t('series.sent', { title: view.title, ok: counts.ok }))} <a href="#/mine">${esc(t('nav.mine'))}</a>`;
    el('request-result').querySelector('a').focus();
  } catch (e) {
    if (e.code === 'series-refused' && Array.isArray(e.problem.occurrences)) {
      const counts = showDates({ occurrences: e.problem.occurrences }, true);
      el('request-result').innerHTML = `<span class="error" role="alert">${esc(t('series.refused', { refused: counts.refused }))}</span>`;
      return;
    }
    const at = { resource: 'rq-resource', layout: 'rq-layout', attendees: 'rq-attendees', start: 'rq-start', end: 'rq-end', title: 'rq-title' }[e.field];
    if (e.field?.startsWith('recurrence')) {
      el('request-result').innerHTML = `<span class="error" role="alert">${esc(problemText(e))}</span>`;
    } else if (at) { fieldError(el(at), problemText(e)); el(at).focus(); } else showProblem(el('request-form'), e);
  }
}

export function setupRequest() {
  fillResources();
  setupSeries((focus) => quoteSoon(focus));
  el('rq-resource').addEventListener('change', () => { fillLayouts(); });
  ['rq-resource', 'rq-layout', 'rq-attendees', 'rq-start', 'rq-end', 'rq-title'].forEach((id) => el(id).addEventListener('input', () => quoteSoon()));
  // Sends the form; `wait`: on the waiting list if the period is taken.
  const send = async (wait) => {
    const body = requestBody();
    const bad = checkRequest(body, true);
    if (bad) { bad.focus(); el('request-result').textContent = t('request.fix'); return; }
    if (seriesOn()) {
      const button = el('request-form').querySelector('button[type=submit]');
      button.disabled = true;
      try { await sendSeries(body); } finally { button.disabled = false; }
      return;
    }
    if (wait) body.wait = true;
    const button = el('request-form').querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const r = await api('POST', '/api/reservations', body);
      clearTimeout(quoteTimer);
      ++quoteRound;  // the quote shown is the request's own, not a new one for a slot now taken
      renderQuote(r.quote, t('quote.yours'));
      const sentence = r.status === 'approved' ? t('request.sentApproved', { title: r.title })
        : r.status === 'waiting' ? t('request.sentWaiting', { title: r.title, place: r.place })
          : lentByOther(r.resource) ? t('request.sentLender', { title: r.title, lender: ownerName(r.resource) })
            : t('request.sent', { title: r.title });
      const badge = r.status === 'pending' && lentByOther(r.resource) ? t('status.pendingLender') : t(`status.${r.status}`);
      el('request-result').innerHTML = `<span class="status ${esc(r.status)}">${esc(badge)}</span> ${esc(sentence)} <a href="#/mine">${esc(t('nav.mine'))}</a>`;
      el('request-result').querySelector('a').focus();
    } catch (e) {
      el('request-result').textContent = '';
      if (wait) {
        // Already waiting for it, or the list is full: said where the offer was.
        el('request-result').innerHTML = `<span class="error" role="alert">${esc(problemText(e, 'wait'))}</span>`;
        return;
      }
      const f = fields();
      const at = f[e.field] || (['slot-taken', 'closed', 'in-the-past', 'notice-too-short'].includes(e.code) ? f.start
        : e.code === 'over-capacity' ? f.attendees : e.code === 'unknown-layout' ? f.layout
          : e.code === 'outside-agreement' ? f.resource : null);
      const layout = session.resources.find((r) => r.id === body.resource)?.layouts?.find((l) => l.id === body.layout);
      const why = e.code === 'over-capacity' && layout ? t('field.capacity', { n: layout.capacity }) : problemText(e);
      if (at) { fieldError(at, why); at.focus(); } else showProblem(el('request-form'), e);
      if (e.code === 'slot-taken') {
        // Everything else is right: the request may wait for the period to free up.
        el('request-result').innerHTML = `<span>${esc(t('request.taken'))}</span> <button type="button" id="rq-wait">${esc(t('request.wait'))}</button>`;
        el('rq-wait').onclick = () => send(true);
      }
    } finally {
      button.disabled = false;
    }
  };
  sendWaiting = () => send(true);
  el('request-form').onsubmit = (ev) => { ev.preventDefault(); send(false); };
}
