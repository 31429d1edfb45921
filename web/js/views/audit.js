// The change log: who changed which account, room, organisation, agreement or tariff grid,
// and when; live for administrators through the "catalogue" topic.
import { api, el, esc, session } from '../api.js';
import { t } from '../i18n.js';
import { showInstant } from '../time.js';

export async function loadAudit() {
  const [rows, users, resources, agreements, grids] = await Promise.all([api('GET', '/api/audit'), api('GET', '/api/users'),
    api('GET', '/api/resources'), api('GET', '/api/agreements'), api('GET', '/api/tariff-grids')]);
  // Subjects and organisations by their names where the caller can see them.
  const names = new Map([...users, ...resources, ...agreements, ...grids, ...session.organisations].map((x) => [x.id, x.name]));
  const name = (id) => names.get(id) || id;
  el('audit-rows').innerHTML = rows.length ? rows.map((e) => {
    const action = t(`audit.${e.action}`) === `audit.${e.action}` ? e.action : t(`audit.${e.action}`);
    // A password chosen through a link is the person's own doing.
    const system = !e.actor || e.actor === 'system';
    const who = !system ? e.actor_name || e.actor : e.action === 'password-set' ? name(e.subject) : 'Créneau';
    return `<tr><td><time datetime="${esc(e.at)}">${esc(showInstant(e.at))}</time></td>
    <td>${esc(who)}</td><td>${esc(action)}</td><td>${esc(name(e.subject))}</td><td>${esc(name(e.organisation))}</td></tr>`;
  }).join('') : `<tr><td colspan="5">${esc(t('empty'))}</td></tr>`;
}
