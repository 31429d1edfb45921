// A client generated from the API document does what a partner's script does: the types come
// from openapi-typescript, the calls from openapi-fetch, the script (client.ts) is compiled by
// TypeScript in strict mode, then run against the real creneau: sign in, quote, request a
// room, read it back, and be refused the same slot with the code the document lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Server } from '../browser/harness.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const web = process.env.CRENEAU_WEB_DIR;
const work = process.env.CRENEAU_WORK;
const MEMBER = 'claire.martin@univ-artois.fr';

// A Tuesday more than a month ahead, 09:00 to 12:00 Paris time, with Paris's offset that day.
function parisMorning() {
  const day = new Date(Date.now() + 35 * 86400000);
  while (day.getUTCDay() !== 2) day.setUTCDate(day.getUTCDate() + 1);
  const date = day.toISOString().slice(0, 10);
  const offset = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${date}T10:00:00Z`)).find((p) => p.type === 'timeZoneName').value.replace('GMT', '');
  return { start: `${date}T09:00:00${offset}`, end: `${date}T12:00:00${offset}` };
}

test('a client generated from the document signs in, quotes and requests a room', async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  symlinkSync(join(web, 'node_modules'), join(work, 'node_modules'));
  execFileSync(process.execPath, [join(web, 'node_modules/openapi-typescript/bin/cli.js'),
    join(root, 'server/api/openapi.json'), '--output', join(work, 'api.ts'), '--redocly', join(root, 'redocly.yaml')],
  { stdio: 'inherit', cwd: root });
  copyFileSync(join(root, 'tests/contract/client.ts'), join(work, 'client.ts'));
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true,
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'],
      skipLibCheck: true, outDir: 'out',
    },
    files: ['client.ts'],
  }));
  // Any type error (a path, a field or a body the document does not have) fails here.
  execFileSync(process.execPath, [join(web, 'node_modules/typescript/bin/tsc'), '-p', join(work, 'tsconfig.json')], { stdio: 'inherit' });

  const s = new Server();
  s.addUser(MEMBER, 'Claire Martin', 'member', 'univ-artois');
  await s.start();
  try {
    const { bookARoom } = await import(pathToFileURL(join(work, 'out/client.js')).href);
    const { start, end } = parisMorning();
    const outcome = await bookARoom(s.url, MEMBER, 'motdepasse-solide',
      { resource: 'meeting-room', start, end, attendees: 12, title: 'Comité de pilotage' });
    assert.equal(outcome.user, MEMBER);
    assert.equal(outcome.status, 'pending');
    assert.equal(outcome.again, 'slot-taken');
    assert.equal(outcome.bookedCents, outcome.quotedCents);
    // What the server holds is what the client was told.
    const token = await s.token(MEMBER);
    const held = await s.api('GET', `/api/reservations/${outcome.id}`, null, token);
    assert.equal(held.status, 200);
    assert.equal(held.body.start, new Date(start).toISOString().replace('.000Z', 'Z'));
    assert.equal(held.body.quote.total_cents, outcome.quotedCents);
  } finally {
    await s.stop();
  }
});
