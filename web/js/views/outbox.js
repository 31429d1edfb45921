// The outbox, for the operator's administrators (docs/notifications.md): the mails not yet
// delivered, why, and what to do with them (send the held backlog, discard, try again).
import { api, el, esc } from '../api.js';
import { t, problemText } from '../i18n.js';
import { showInstant } from '../time.js';

function said(text) { el('outbox-said').textContent = text; }

async function act(path, body, word) {
  try {
    const r = await api('POST', path, body);
    said(t(word, { n: Object.values(r)[0] }));
  } catch (e) {
    said(problemText(e));
  }
  await loadOutbox(true);
}

export async function loadOutbox(keepSaid = false) {
  if (!keepSaid) said('');
  const o = await api('GET', '/api/outbox');
  el('outbox-state').textContent = `${t(o.smtp ? 'outbox.smtp' : 'outbox.nosmtp')} ${o.depth ? t('outbox.counts', o) : t('outbox.empty')}`;
  el('outbox-release').hidden = !o.smtp || !o.held;
  el('outbox-discard-all').hidden = !o.held && !o.failed && !o.mails.some((m) => m.attempts);
  el('outbox-retry-all').hidden = !o.smtp || !o.mails.some((m) => m.attempts);
  el('outbox-rows').innerHTML = o.mails.map((m) => `<tr>
    <td data-label="${esc(t('col.fact'))}">${esc(showInstant(m.at))}</td>
    <td data-label="${esc(t('col.to'))}">${esc(m.to)}</td>
    <td data-label="${esc(t('col.subject'))}">${esc(m.subject)}</td>
    <td data-label="${esc(t('col.mailStatus'))}">${esc(t(`mail.${m.status}`))}${m.attempts ? `<br><small>${esc(t('mail.attempts', { n: m.attempts }))}${m.next_attempt ? `, ${esc(t('mail.next', { at: showInstant(m.next_attempt) }))}` : ''}</small>` : ''}
      ${m.error ? `<br><small class="error">${esc(m.error)}</small>` : ''}</td>
    <td class="actions">${m.attempts && o.smtp ? `<button type="button" data-retry="${esc(m.key)}">${esc(t('outbox.retry'))}</button>` : ''}
      <button type="button" data-discard="${esc(m.key)}">${esc(t('outbox.discard'))}</button></td></tr>`).join('');
  el('outbox-rows').querySelectorAll('[data-discard]').forEach((b) => {
    b.onclick = () => act('/api/outbox/discard', { keys: [b.dataset.discard] }, 'outbox.discarded');
  });
  el('outbox-rows').querySelectorAll('[data-retry]').forEach((b) => {
    b.onclick = () => act('/api/outbox/retry', { keys: [b.dataset.retry] }, 'outbox.retried');
  });
  el('outbox-release').onclick = () => act('/api/outbox/release', {}, 'outbox.released');
  el('outbox-retry-all').onclick = () => act('/api/outbox/retry', { all: true }, 'outbox.retried');
  el('outbox-discard-all').onclick = () => { if (confirm(t('outbox.confirmDiscard'))) act('/api/outbox/discard', { all: true }, 'outbox.discarded'); };
}
