// A student's wishes for a Job Dating: the companies by name and description, chosen and put
// in order by drag and drop or with the Up/Down buttons (keyboard), at most MAX of them.
import { esc } from '../api.js';
import { t } from '../i18n.js';

export const MAX_WISHES = 10;

// `box` receives the editor; `companies` [{id, name, description}]; `chosen` ids, best first.
// Returns { value() } giving the chosen ids in order.
export function rankingEditor(box, companies, chosen, prefix = 'ev') {
  let order = chosen.filter((id) => companies.some((c) => c.id === id));
  const byId = Object.fromEntries(companies.map((c) => [c.id, c]));
  let dragged = null;
  const render = (focus) => {
    if (focus !== undefined) box.dataset.dirty = '1';
    const rest = companies.filter((c) => !order.includes(c.id));
    box.innerHTML = `<h4 id="${prefix}-ranking-title">${esc(t('jd.wishes', { max: MAX_WISHES }))}</h4>
      <ol id="${prefix}-ranking-list" class="ranking" aria-labelledby="${prefix}-ranking-title" tabindex="-1">${order.map((id, i) => `
        <li draggable="true" data-id="${esc(id)}"><span class="rank">${i + 1}</span>
          <span class="who"><strong>${esc(byId[id].name)}</strong><br><small>${esc(byId[id].description || '')}</small></span>
          <span class="moves">
          <button type="button" data-up="${i}" ${i === 0 ? 'disabled' : ''} aria-label="${esc(t('jd.up', { name: byId[id].name }))}">↑</button>
          <button type="button" data-down="${i}" ${i === order.length - 1 ? 'disabled' : ''} aria-label="${esc(t('jd.down', { name: byId[id].name }))}">↓</button>
          <button type="button" data-remove="${i}" aria-label="${esc(t('jd.remove', { name: byId[id].name }))}">✕</button></span></li>`).join('')}
      </ol>${order.length ? '' : `<p class="caption">${esc(t('jd.noWish'))}</p>`}
      <p class="live-note sr" aria-live="polite" id="${prefix}-ranking-said"></p>
      <h4>${esc(t('jd.companies'))}</h4>
      <ul class="companies">${rest.map((c) => `<li><span class="who"><strong>${esc(c.name)}</strong><br><small>${esc(c.description || '')}</small></span>
        <button type="button" data-add="${esc(c.id)}" ${order.length >= MAX_WISHES ? 'disabled' : ''} aria-label="${esc(t('jd.add', { name: c.name }))}">${esc(t('jd.addShort'))}</button></li>`).join('') || `<li class="caption">${esc(t(companies.length ? 'jd.allChosen' : 'jd.noCompany'))}</li>`}</ul>`;
    const said = (key, name, n) => { box.querySelector(`#${prefix}-ranking-said`).textContent = t(key, { name, n }); };
    box.querySelectorAll('[data-up]').forEach((b) => { b.onclick = () => { const i = +b.dataset.up; [order[i - 1], order[i]] = [order[i], order[i - 1]]; render(`[data-up="${i - 1}"]`); said('jd.movedTo', byId[order[i - 1]].name, i); }; });
    box.querySelectorAll('[data-down]').forEach((b) => { b.onclick = () => { const i = +b.dataset.down; [order[i + 1], order[i]] = [order[i], order[i + 1]]; render(`[data-down="${i + 1}"]`); said('jd.movedTo', byId[order[i + 1]].name, i + 2); }; });
    box.querySelectorAll('[data-remove]').forEach((b) => { b.onclick = () => { const [id] = order.splice(+b.dataset.remove, 1); render(`#${prefix}-ranking-list`); said('jd.removed', byId[id].name); }; });
    box.querySelectorAll('[data-add]').forEach((b) => { b.onclick = () => { order.push(b.dataset.add); render(`[data-remove="${order.length - 1}"]`); said('jd.added', byId[b.dataset.add].name, order.length); }; });
    box.querySelectorAll('li[draggable]').forEach((li) => {
      li.ondragstart = (ev) => { dragged = li.dataset.id; ev.dataTransfer.effectAllowed = 'move'; ev.dataTransfer.setData('text/plain', dragged); };
      li.ondragover = (ev) => { ev.preventDefault(); };
      li.ondrop = (ev) => {
        ev.preventDefault();
        const from = order.indexOf(dragged), to = order.indexOf(li.dataset.id);
        if (from < 0 || to < 0 || from === to) return;
        order.splice(to, 0, ...order.splice(from, 1));
        render(null);
        said('jd.movedTo', byId[dragged].name, to + 1);
      };
    });
    if (focus) { const f = box.querySelector(focus); (f && !f.disabled ? f : box.querySelector(`#${prefix}-ranking-list`)).focus(); }
  };
  render(undefined);
  return { value: () => [...order], changed: () => box.dataset.dirty === '1' };
}
