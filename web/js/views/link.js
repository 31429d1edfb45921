// Pages reached by a one-time link: choosing one's password after an invitation or a reset
// (#/welcome/TOKEN, #/reset/TOKEN), and the first run's administrator (#/setup/TOKEN).
import { api, el, session } from '../api.js';
import { t } from '../i18n.js';
import { checkForm, showProblem } from '../forms.js';

const signedInNow = () => { location.hash = '#/calendar'; location.reload(); };

export async function loadLink(token) {
  const box = el('link-box'), form = el('link-form');
  form.hidden = true;
  box.textContent = '';
  let info;
  try { info = await api('GET', `/api/links/${encodeURIComponent(token)}`); } catch {
    el('link-title').textContent = t('link.gone');
    return;
  }
  el('link-title').textContent = t(info.purpose === 'reset' ? 'link.reset' : 'link.welcome', { name: info.name });
  box.textContent = t('link.explain', { email: info.email });
  el('link-email').value = info.email;
  form.hidden = false;
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    if (!checkForm(form)) return;
    // Every session of the account ends, this page's too if it was signed in as them.
    session.leaving = true;
    try {
      await api('POST', '/api/password', { token, password: el('link-password').value });
      signedInNow();
    } catch (e) {
      session.leaving = false;
      showProblem(form, e, { password: el('link-password') });
    }
  };
  el('link-password').focus();
}

export async function loadSetup(token) {
  const form = el('setup-form');
  const { needed } = await api('GET', '/api/setup');
  form.hidden = !needed;
  el('setup-said').textContent = needed ? t('setup.explain') : t('setup.done');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    if (!checkForm(form)) return;
    try {
      await api('POST', '/api/setup', { token, name: el('setup-name').value.trim(), email: el('setup-email').value.trim(), password: el('setup-password').value });
      signedInNow();
    } catch (e) { showProblem(form, e, { name: el('setup-name'), email: el('setup-email'), password: el('setup-password') }); }
  };
}

