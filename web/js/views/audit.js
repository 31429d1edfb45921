// The change log: who changed which account, room, organisation, agreement or tariff grid,
// and when; live for administrators through the "catalogue" topic.
import { api, el, esc } from '../api.js';
import { t } from '../i18n.js';
import { showInstant } from '../time.js';

export async function loadAudit() {
  const rows = await api('GET', '/api/audit');
  el('audit-rows').innerHTML = rows.length ? rows.map((e) => `<tr><td><time datetime="${esc(e.at)}">${esc(showInstant(e.at))}</time></td>
    <td>${esc(e.actor_name || e.actor || 'Créneau')}</td><td><code>${esc(e.action)}</code></td><td>${esc(e.subject)}</td><td>${esc(e.organisation)}</td></tr>`).join('')
    : `<tr><td colspan="5">${esc(t('empty'))}</td></tr>`;
}
