// The HTTP API (docs/api.md) and small DOM helpers shared by every view.
import { todayInParis } from './time.js';

export class Problem extends Error {
  constructor(problem, status) {
    super(problem?.detail || String(status));
    this.problem = problem || {};
    this.status = status;
  }
  get code() { return this.problem.code || ''; }
  get field() { return this.problem.field || ''; }
}

// The last answer to each GET with its ETag: the next GET of that path sends If-None-Match
// and a 304 reuses it (the server renders nothing then). A few dozen paths at most, for the
// page's life. The ETag is drawn from the body, so a 304 never stands for an answer another
// session would not get (a session that comes back in place keeps them, main.js).
const validated = new Map();
const validatedMax = 64;

export async function api(method, path, body) {
  const headers = body !== undefined ? { 'Content-Type': 'application/json' } : {};
  const known = method === 'GET' ? validated.get(path) : undefined;
  if (known) headers['If-None-Match'] = known.etag;
  const res = await fetch(path, {
    method, headers, body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (res.status === 304 && known) return structuredClone(known.data);
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    // A session the server no longer knows (ended elsewhere, expired): the shell says so.
    if (res.status === 401 && session.me && data?.code === 'unauthenticated') window.dispatchEvent(new Event('creneau:session-ended'));
    throw new Problem(typeof data === 'object' ? data : { detail: data }, res.status);
  }
  const etag = res.headers.get('etag');
  if (method === 'GET' && etag && typeof data === 'object') {
    validated.delete(path);
    if (validated.size >= validatedMax) validated.delete(validated.keys().next().value);
    validated.set(path, { etag, data: structuredClone(data) });
  } else if (method !== 'GET') {
    validated.delete(path);
  }
  return data;
}

// A view's read of the server, asked for on every live change (they come in bursts): never two
// at once, so an older answer never replaces a newer one. Asked for while one runs, it runs
// once more after it, for all who asked meanwhile; each caller's promise settles once a read
// begun after its call has drawn.
export function oneReadAtATime(read) {
  let running = null;
  let queued = null;
  const start = () => {
    // Settled with a read queued: that one takes over (calls meanwhile share it).
    running = read().finally(() => { if (!queued) running = null; });
    return running;
  };
  return () => {
    if (!running) return start();
    if (!queued) queued = running.catch(() => {}).then(() => { queued = null; return start(); });
    return queued;
  };
}

export const el = (id) => document.getElementById(id);
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// What the app knows of the session: the user (or null) and the catalogue it shows.
// `leaving`: the page itself is ending its session (signing out, erasing its own account,
// setting a password through a link): the channel's close that follows is not news.
// `endedFor`: the person whose session ended in this tab, until a sign-in elsewhere brings them
// back (main.js, `sessionBack`).
export const session = { me: null, endedFor: null, resources: [], organisations: [], windows: [], agreements: [], leaving: false };
export const isAdmin = () => session.me?.role === 'admin';
export const isOrganiser = () => !!session.me && session.me.role !== 'member';
export const isOperatorAdmin = () => isAdmin() && session.me.organisation === session.operator;
// The rooms one may ask for: the operator's, one's organisation's own, and those the other
// party of an agreement not yet ended lends one's organisation (the Lille agreement lends
// both ways). The server decides what each request may have (docs/domain.md).
export function bookableRooms(all) {
  const org = session.me?.organisation;
  const today = todayInParis();
  const lent = new Set();
  for (const a of session.agreements) {
    if (!org || (a.valid_to && a.valid_to < today)) continue;
    const lender = org === a.beneficiary ? a.provider : a.reciprocal && org === a.provider ? a.beneficiary : null;
    if (lender) for (const id of Object.keys(a.resources || {})) lent.add(`${lender}/${id}`);
  }
  return all.filter((r) => r.kind !== 'opening-hours'
    && (r.owner === session.operator || (org && r.owner === org) || lent.has(`${r.owner}/${r.id}`)));
}
// Whether a room is lent by another organisation than the operator: its requests await that
// lender's decision.
export const ownerOf = (id) => anyRoom(id)?.owner;
export const lentByOther = (id) => { const owner = ownerOf(id); return !!owner && owner !== session.operator; };
export const ownerName = (id) => { const owner = ownerOf(id); return session.organisations.find((o) => o.id === owner)?.name || owner || ''; };

// Names of rooms: LLV's, then any other lender's (a room passed on by a single window).
const anyRoom = (id) => session.resources.find((r) => r.id === id) || session.allResources?.find((r) => r.id === id);
export const roomName = (id) => anyRoom(id)?.name || id;
export function layoutName(resource, layout) {
  const r = anyRoom(resource);
  const l = r?.layouts?.find((x) => x.id === layout);
  return l?.label || layout || '';
}
