// One's own account: changing the password (the other sessions end) and the open sessions.
import { api, el, esc } from '../api.js';
import { t, problemText } from '../i18n.js';
import { showInstant } from '../time.js';
import { checkForm, showProblem } from '../forms.js';

// The language of one's mails and which of them one receives (docs/notifications.md).
async function loadPreferences() {
  const form = el('prefs-form');
  const me = await api('GET', '/api/me');
  const p = me.preferences;
  el('prefs-lang').value = p.lang;
  form.querySelectorAll('[data-kind]').forEach((c) => { c.checked = !p.muted.includes(c.dataset.kind); });
  el('prefs-copies').checked = p.copies;
  form.querySelectorAll('[data-admin-only]').forEach((x) => { x.hidden = me.role !== 'admin'; });
  if (form.dataset.ready) return;
  form.dataset.ready = '1';
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    el('prefs-said').textContent = '';
    const muted = [...form.querySelectorAll('[data-kind]')].filter((c) => !c.checked).map((c) => c.dataset.kind);
    try {
      await api('PUT', '/api/me/preferences', { lang: el('prefs-lang').value, muted, copies: el('prefs-copies').checked });
      el('prefs-said').textContent = t('prefs.saved');
    } catch (e) {
      el('prefs-said').textContent = problemText(e);
    }
  };
}

export async function loadAccount() {
  const form = el('pw-form');
  if (!form.dataset.ready) {
    form.dataset.ready = '1';
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      el('pw-said').textContent = '';
      if (!checkForm(form)) return;
      try {
        await api('POST', '/api/me/password', { current: el('pw-current').value, password: el('pw-new').value });
        form.reset();
        el('pw-said').textContent = t('account.changed');
        loadAccount();
      } catch (e) {
        showProblem(form, e, { current: el('pw-current'), password: el('pw-new') });
      }
    };
  }
  await loadPreferences();
  const sessions = await api('GET', '/api/me/sessions');
  const list = el('sessions');
  list.innerHTML = sessions.map((s) => `<li>${esc(t('account.opened', { at: showInstant(s.opened) }))}, ${esc(t('account.expires', { at: showInstant(s.expires) }))}
    ${s.current ? `<strong>(${esc(t('account.current_session'))})</strong>` : `<button type="button" data-end="${esc(s.id)}">${esc(t('account.end'))}</button>`}</li>`).join('');
  list.querySelectorAll('[data-end]').forEach((b) => {
    b.onclick = async () => {
      try { await api('DELETE', `/api/me/sessions/${encodeURIComponent(b.dataset.end)}`); loadAccount(); } catch (e) { b.insertAdjacentText('afterend', ` ${problemText(e)}`); }
    };
  });
}
