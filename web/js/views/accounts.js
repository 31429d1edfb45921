// Accounts, for administrators: the people of the organisations they manage (LLV's
// administrators: everyone), invitations with their one-time link to hand over, roles,
// disabling, and password-reset links.
import { api, el, esc, session, isOperatorAdmin } from '../api.js';
import { t, problemText } from '../i18n.js';
import { showInstant, showDay } from '../time.js';
import { checkForm, showProblem } from '../forms.js';

const ROLES = ['member', 'organiser', 'admin'];

// What each row last said (saved, or why not): kept across the live redraws of the table.
const lastSaid = new Map();

function linkBox(name, link, expiry) {
  const url = new URL(link, location.origin).href;
  el('acc-link').hidden = false;
  el('acc-link').innerHTML = `<label for="acc-link-url">${esc(t('accounts.link', { name }))} ${esc(expiry)}</label>
    <input id="acc-link-url" type="text" readonly value="${esc(url)}">
    <button type="button" id="acc-link-copy">${esc(t('accounts.copy'))}</button> <span role="status" id="acc-link-said"></span>`;
  el('acc-link-url').select();
  el('acc-link-copy').onclick = async () => {
    try { await navigator.clipboard.writeText(url); } catch { el('acc-link-url').select(); document.execCommand?.('copy'); }
    el('acc-link-said').textContent = t('accounts.copied');
  };
}

const orgChoices = () => session.organisations.filter((o) => isOperatorAdmin() || o.id === session.me.organisation);

export async function loadAccounts() {
  const form = el('acc-form');
  if (!form.dataset.ready) {
    form.dataset.ready = '1';
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      if (!checkForm(form)) return;
      const body = { email: el('acc-email').value.trim(), name: el('acc-name').value.trim(), role: el('acc-role').value, organisation: el('acc-org').value };
      try {
        const r = await api('POST', '/api/users', body);
        linkBox(r.user.name, r.link, t('accounts.expiresInvite'));
        form.reset();
        loadAccounts();
      } catch (e) {
        showProblem(form, e, { email: el('acc-email'), name: el('acc-name'), role: el('acc-role'), organisation: el('acc-org') });
      }
    };
  }
  el('acc-role').innerHTML = ROLES.map((r) => `<option value="${r}">${esc(t(`role.${r}`))}</option>`).join('');
  const keepOrg = el('acc-org').value;
  const choices = orgChoices();
  el('acc-org').innerHTML = (choices.length > 1 ? `<option value="">${esc(t('accounts.choose'))}</option>` : '') +
    choices.map((o) => `<option value="${esc(o.id)}">${esc(o.name)}</option>`).join('');
  el('acc-org').required = true;
  if (keepOrg) el('acc-org').value = keepOrg;

  const users = await api('GET', '/api/users');
  users.sort((a, b) => (a.organisation_name + a.name).localeCompare(b.organisation_name + b.name));
  const dormant = users.filter((u) => u.inactive).length;
  el('acc-inactive').hidden = !dormant;
  el('acc-inactive').textContent = dormant ? t('accounts.inactiveSummary', { n: dormant }) : '';
  const body = el('acc-rows');
  body.innerHTML = users.map((u) => {
    const state = u.disabled ? 'disabled' : u.invited ? 'invited' : 'active';
    const self = u.id === session.me.id;
    return `<tr data-user="${esc(u.id)}"><td>${esc(u.name)}</td><td>${esc(u.email)}</td>
      <td>${isOperatorAdmin() && !self ? `<label class="sr" for="org-${esc(u.id)}">${esc(t('accounts.orgOf', { name: u.name }))}</label>
        <select id="org-${esc(u.id)}" data-org="${esc(u.id)}">${session.organisations.map((o) => `<option value="${esc(o.id)}"${o.id === u.organisation ? ' selected' : ''}>${esc(o.name)}</option>`).join('')}</select>` : esc(u.organisation_name)}</td>
      <td><label class="sr" for="role-${esc(u.id)}">${esc(t('accounts.roleOf', { name: u.name }))}</label>
        <select id="role-${esc(u.id)}" data-role="${esc(u.id)}">${ROLES.map((r) => `<option value="${r}"${r === u.role ? ' selected' : ''}>${esc(t(`role.${r}`))}</option>`).join('')}</select></td>
      <td><span class="account ${state}">${esc(t(`accounts.${state}`))}</span>
        ${u.last_active ? `<br><small>${esc(t('accounts.lastActive', { at: showDay(u.last_active) }))}</small>` : ''}
        ${u.inactive ? `<br><span class="account inactive">${esc(t('accounts.inactive'))}</span>
          <br><small>${esc(t('accounts.erasureDue', { at: showDay(u.erasure_due) }))}</small>
          <br><button type="button" data-keep="${esc(u.id)}" aria-label="${esc(t('accounts.keepOf', { name: u.name }))}">${esc(t('accounts.keep'))}</button>` : ''}</td>
      <td>${self ? '' : `<button type="button" data-toggle="${esc(u.id)}" data-disabled="${u.disabled}">${esc(t(u.disabled ? 'accounts.enable' : 'accounts.disable'))}</button>`}
        ${u.disabled ? '' : `<button type="button" data-reset="${esc(u.id)}" data-name="${esc(u.name)}">${esc(t('accounts.reset'))}</button>`}
        <a href="#/data/user/${encodeURIComponent(u.id)}" aria-label="${esc(t('data.seeOf', { name: u.name }))}">${esc(t('data.see'))}</a>
        <span role="status" data-said="${esc(u.id)}">${esc(lastSaid.get(u.id) || '')}</span></td></tr>`;
  }).join('');
  const said = (id, text) => { lastSaid.set(id, text); body.querySelector(`[data-said="${id}"]`).textContent = text; };
  body.querySelectorAll('[data-role]').forEach((s) => {
    s.onchange = async () => {
      try { await api('PUT', `/api/users/${encodeURIComponent(s.dataset.role)}`, { role: s.value }); said(s.dataset.role, t('accounts.saved')); } catch (e) {
        lastSaid.set(s.dataset.role, problemText(e)); await loadAccounts(); el(`role-${s.dataset.role}`)?.focus();
      }
    };
  });
  body.querySelectorAll('[data-org]').forEach((s) => {
    s.onchange = async () => {
      try { await api('PUT', `/api/users/${encodeURIComponent(s.dataset.org)}`, { organisation: s.value }); said(s.dataset.org, t('accounts.saved')); } catch (e) {
        lastSaid.set(s.dataset.org, problemText(e)); await loadAccounts(); el(`org-${s.dataset.org}`)?.focus();
      }
    };
  });
  body.querySelectorAll('[data-toggle]').forEach((b) => {
    b.onclick = async () => {
      const id = b.dataset.toggle;
      try {
        await api('PUT', `/api/users/${encodeURIComponent(id)}`, { disabled: b.dataset.disabled !== 'true' });
        lastSaid.set(id, t('accounts.saved'));
        await loadAccounts();
        el('acc-rows').querySelector(`[data-toggle="${id}"]`)?.focus();
      } catch (e) { said(id, problemText(e)); }
    };
  });
  body.querySelectorAll('[data-keep]').forEach((b) => {
    b.onclick = async () => {
      const id = b.dataset.keep;
      try {
        await api('POST', `/api/users/${encodeURIComponent(id)}/keep`);
        lastSaid.set(id, t('accounts.kept'));
        await loadAccounts();
        el('acc-rows').querySelector(`[data-said="${id}"]`)?.closest('td')?.querySelector('button, a')?.focus();
      } catch (e) { said(id, problemText(e)); }
    };
  });
  body.querySelectorAll('[data-reset]').forEach((b) => {
    b.onclick = async () => {
      try {
        const r = await api('POST', `/api/users/${encodeURIComponent(b.dataset.reset)}/reset`);
        linkBox(b.dataset.name, r.link, r.purpose === 'reset' ? t('accounts.expiresReset', { at: showInstant(r.expires) }) : t('accounts.expiresInvite'));
      } catch (e) { said(b.dataset.reset, problemText(e)); }
    };
  });
}
