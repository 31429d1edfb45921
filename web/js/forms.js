// Errors at the field: the message under the input, aria-invalid and aria-describedby, from
// a check made before sending or from the problem the server answered (its `field`).
import { t, problemText } from './i18n.js';
import { repeatedInParis, skippedInParis } from './time.js';

// Why a date-and-time field gave no instant: a time Paris skips, or `otherwise`.
export const timeMessage = (input, otherwise = 'field.required') => t(skippedInParis(input.value) ? 'field.skippedHour' : otherwise);

// Adds the element `id` to what describes `input` (aria-describedby), or takes it away,
// keeping the others.
function describedBy(input, id, on) {
  const ids = new Set((input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
  if (on) ids.add(id); else ids.delete(id);
  if (ids.size) input.setAttribute('aria-describedby', [...ids].join(' ')); else input.removeAttribute('aria-describedby');
}

export function clearErrors(form) {
  form.querySelectorAll('[aria-invalid="true"]').forEach((x) => {
    x.removeAttribute('aria-invalid');
    describedBy(x, `${x.id}-error`, false);
  });
  form.querySelectorAll('.field-error').forEach((x) => x.remove());
  const summary = form.querySelector('.form-error');
  if (summary) summary.textContent = '';
}

export function fieldError(input, message) {
  input.setAttribute('aria-invalid', 'true');
  let p = document.getElementById(`${input.id}-error`);
  if (!p) {
    p = document.createElement('p');
    p.id = `${input.id}-error`;
    p.className = 'field-error';
    input.insertAdjacentElement('afterend', p);
  }
  p.textContent = message;
  describedBy(input, p.id, true);
}

// Shows a refusal: at its field when the form has it (`fields` maps API field names to
// inputs), else in the form's summary line. Returns the element to focus.
export function showProblem(form, e, fields = {}, scope = '') {
  const message = problemText(e, scope);
  const input = fields[e?.problem?.field] || null;
  if (input) { fieldError(input, message); input.focus(); return input; }
  let summary = form.querySelector('.form-error');
  if (!summary) {
    summary = document.createElement('p');
    summary.className = 'form-error error';
    summary.setAttribute('role', 'alert');
    form.append(summary);
  }
  summary.textContent = message;
  return summary;
}

// Checks made before sending: required fields, times Paris skips, minimum lengths (data-min),
// and password confirmations (data-same-as="id"). Returns true when all pass; marks each
// failing field.
export function checkForm(form) {
  clearErrors(form);
  let first = null;
  for (const input of form.querySelectorAll('input, select, textarea')) {
    let message = '';
    const v = input.value;
    if (input.required && !v.trim()) message = t('field.required');
    else if (input.type === 'datetime-local' && skippedInParis(v)) message = timeMessage(input);
    else if (input.dataset.min && v.length < +input.dataset.min) message = t('field.tooShort', { n: input.dataset.min });
    else if (input.dataset.sameAs && v !== document.getElementById(input.dataset.sameAs).value) message = t('field.mismatch');
    if (message) { fieldError(input, message); first ??= input; }
  }
  if (first) first.focus();
  return !first;
}

// A note under a date-and-time field holding a time Paris repeats (the October hour), saying
// which of the two is read; gone when the time changes. Made on every edit, for every field a
// view draws with a value, and again in the other language.
export function noteRepeatedHour(input) {
  const id = `${input.id}-note`;
  let p = document.getElementById(id);
  const repeated = repeatedInParis(input.value);
  if (repeated) {
    if (!p) {
      p = document.createElement('p');
      p.id = id;
      p.className = 'field-note';
      (document.getElementById(`${input.id}-error`) || input).insertAdjacentElement('afterend', p);
    }
    p.textContent = t('field.repeatedHour');
  } else {
    p?.remove();
  }
  describedBy(input, id, repeated);
}
const timeFields = 'input[type="datetime-local"][id]';
export const noteRepeatedHours = (root = document) => root.querySelectorAll(timeFields).forEach(noteRepeatedHour);
for (const kind of ['input', 'change'])
  document.addEventListener(kind, (ev) => {
    if (ev.target instanceof HTMLInputElement && ev.target.matches(timeFields)) noteRepeatedHour(ev.target);
  });
// Fields drawn by a view with a value already in them (a closure, an event's dates, a moved
// date): their value comes with the markup, no edit tells of it.
new MutationObserver((records) => {
  for (const r of records)
    for (const n of r.addedNodes) {
      if (!(n instanceof Element)) continue;
      if (n.matches(timeFields)) noteRepeatedHour(n); else if (n.firstElementChild) noteRepeatedHours(n);
    }
}).observe(document.documentElement, { childList: true, subtree: true });

// A field edited after an error loses its mark and message.
document.addEventListener('input', (ev) => {
  const input = ev.target;
  if (!(input instanceof HTMLElement) || input.getAttribute('aria-invalid') !== 'true') return;
  input.removeAttribute('aria-invalid');
  document.getElementById(`${input.id}-error`)?.remove();
  describedBy(input, `${input.id}-error`, false);
});
