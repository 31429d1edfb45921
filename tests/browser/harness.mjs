// Test support for the browser tests: the real creneau on a free loopback port, users made
// with `creneau user add`, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const webDir = process.env.CRENEAU_WEB_DIR;
const { chromium } = require(join(webDir, 'node_modules', 'playwright-core'));

export const binary = process.env.CRENEAU_BINARY;
export const shots = process.env.CRENEAU_SCREENSHOTS;
mkdirSync(shots, { recursive: true });

export const PASSWORD = 'motdepasse-solide';

export class Server {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'creneau-browser-'));
    this.data = join(this.dir, 'data');
    this.port = 0;
  }
  addUser(email, name, role, org) {
    const args = ['user', 'add', '--email', email, '--name', name, '--role', role, '--password-stdin', '--data', this.data];
    if (org) args.push('--org', org);
    execFileSync(binary, args, { input: `${PASSWORD}\n` });
  }
  async start(port = 0) {
    this.proc = spawn(binary, ['--listen', `127.0.0.1:${port}`, '--data', this.data, '--web-root', webDir],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    this.exited = new Promise((resolve) => this.proc.on('exit', resolve));
    this.port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`creneau did not start: ${log}`)), 20000);
      this.proc.stderr.on('data', (chunk) => {
        log += chunk;
        this.log = log;
        const m = /"msg":"listening".*?"port":(\d+)/.exec(log);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
      this.proc.on('exit', () => reject(new Error(`creneau exited: ${log}`)));
    });
    return this.port;
  }
  get url() { return `http://127.0.0.1:${this.port}`; }
  async kill() { this.proc.kill('SIGKILL'); await this.exited; }
  async stop() { if (this.proc.exitCode === null) { this.proc.kill('SIGTERM'); await this.exited; } rmSync(this.dir, { recursive: true, force: true }); }
  async api(method, path, body, token) {
    const res = await fetch(this.url + path, {
      method, body: body ? JSON.stringify(body) : undefined,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  async token(email) { return (await this.api('POST', '/api/session', { email, password: PASSWORD })).body.token; }
}

export async function browser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function signIn(page, server, email) {
  await page.goto(`${server.url}/#/signin`);
  await page.fill('#signin-email', email);
  await page.fill('#signin-password', PASSWORD);
  await Promise.all([page.waitForEvent('load'), page.click('#signin-form button[type=submit]')]);
  await page.waitForSelector('#live[data-state="live"]');
}

export async function goToWeek(page, isoDay) {
  // Step the calendar forward to the week holding `isoDay` (YYYY-MM-DD).
  for (let i = 0; i < 80; i++) {
    const title = await page.textContent('#calendar .ec-title');
    const has = await page.evaluate((d) => !!document.querySelector(`#calendar [data-date^="${d}"], #calendar time[datetime^="${d}"]`) ||
      [...document.querySelectorAll('#calendar .ec-day, #calendar .ec-header .ec-day')].some((x) => (x.getAttribute('data-date') || '').startsWith(d)), isoDay);
    if (has) return title;
    await page.click('#calendar .ec-next');
    await page.waitForTimeout(30);
  }
  throw new Error(`week of ${isoDay} not reached`);
}

export function check(cond, message) { if (!cond) throw new Error(message); }

// axe-core on the page as it stands: no critical or serious violation in our own markup.
// The calendar library's markup is checked apart and its findings returned, to be listed.
const axeSource = readFileSync(join(webDir, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export async function axeCheck(page, what) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: axeSource });
  const run = (context) => page.evaluate(async (ctx) => {
    const r = await window.axe.run(ctx, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }, context);
  const ours = await run({ exclude: [['#calendar']] });
  if (ours.length) throw new Error(`accessibility of ${what}: ${ours.join('; ')}`);
  return (await page.$('#calendar:not([hidden])')) ? run({ include: [['#calendar']] }) : [];
}

// Nothing of the page scrolls sideways.
export async function noSideScroll(page, what) {
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
  if (widths.doc > widths.view) throw new Error(`${what} scrolls sideways: ${widths.doc} px wide in ${widths.view} px`);
}
