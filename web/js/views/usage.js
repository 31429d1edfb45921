// The agreements' usage: free allowances per room, hour quotas with their alerts, billable
// lines, the CSV; Chart.js is loaded on this page only.
import { api, el, esc, roomName } from '../api.js';
import { t } from '../i18n.js';
import { showWhen, euros, hoursOf, parisParts } from '../time.js';

let chartLoaded = null;
function loadChart() {
  chartLoaded ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/node_modules/chart.js/dist/chart.umd.js';
    s.onload = resolve;
    s.onerror = reject;
    document.head.append(s);
  });
  return chartLoaded;
}

let chart = null;
export async function loadUsage() {
  const agreements = await api('GET', '/api/agreements');
  const sel = el('us-agreement');
  if (!sel.options.length) {
    sel.innerHTML = agreements.map((a) => `<option value="${esc(a.id)}">${esc(a.name)}</option>`).join('');
    // The years of the agreements' validity, this year chosen when it is one of them.
    const year = parisParts(Date.now()).y;
    const first = Math.min(year, ...agreements.map((a) => +a.valid_from.slice(0, 4)));
    const last = Math.max(year, ...agreements.map((a) => +a.valid_to.slice(0, 4)));
    const years = Array.from({ length: Math.min(last - first + 1, 30) }, (_, i) => first + i);
    el('us-year').innerHTML = years.map((y) => `<option${y === year ? ' selected' : ''}>${y}</option>`).join('');
    sel.onchange = loadUsage;
    el('us-year').onchange = loadUsage;
  }
  if (!sel.value) return;
  const u = await api('GET', `/api/agreements/${encodeURIComponent(sel.value)}/usage?year=${el('us-year').value}`);
  el('us-csv').href = `/api/agreements/${encodeURIComponent(sel.value)}/usage?year=${el('us-year').value}&format=csv`;
  const rooms = u.resources.filter((r) => r.allowance);
  el('us-rows').innerHTML = rooms.map((r) => `<tr><td>${esc(r.name)}</td><td>${r.allowance.used}</td><td>${r.allowance.held}</td>
    <td>${r.allowance.left}</td><td>${r.allowance.limit}</td></tr>`).join('');
  el('us-hours').innerHTML = u.resources.filter((r) => r.hours).map((r) => `<p><label>${esc(r.name)} :
    <progress max="${r.hours.quota_hours * 60}" value="${r.hours.used_minutes}"></progress>
    ${esc(hoursOf(r.hours.used_minutes))}&nbsp;h / ${r.hours.quota_hours}&nbsp;h</label>
    ${r.hours.held_minutes ? ` · ${esc(t('usage.heldHours', { n: hoursOf(r.hours.held_minutes) }))}` : ''}</p>
    ${r.hours.alerts.map((a) => `<p class="error" role="alert">${esc(t('usage.alert', { t: a }))}</p>`).join('')}`).join('');
  el('us-lines').innerHTML = u.billable.length ? u.billable.map((l) => `<tr><td>${esc(showWhen(l.start, l.end))}</td>
    <td>${esc(roomName(l.resource))}</td><td>${esc(l.label)}</td><td>${euros(l.amount_cents)}</td></tr>`).join('')
    + `<tr><th colspan="3">${esc(t('quote.total'))}</th><th>${euros(u.total_cents)}</th></tr>` : `<tr><td colspan="4">${esc(t('empty'))}</td></tr>`;
  await loadChart();
  const data = {
    labels: rooms.map((r) => r.name),
    datasets: [
      { label: t('usage.used'), data: rooms.map((r) => r.allowance.used), backgroundColor: '#0b6b3a' },
      { label: t('usage.held'), data: rooms.map((r) => r.allowance.held), backgroundColor: '#c98a00' },
      { label: t('usage.left'), data: rooms.map((r) => r.allowance.left), backgroundColor: '#6b7682' },
    ],
  };
  el('us-chart').setAttribute('aria-label', t('usage.chart'));
  if (chart) chart.destroy();
  chart = new window.Chart(el('us-chart'), { type: 'bar', data, options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } } });
}
