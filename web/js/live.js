// The live channel (docs/live-protocol.md): one WebSocket, resumed from the last sequence
// number after a drop, with randomised exponential backoff. Views register handlers by
// message type; `reload` asks them to read again what they show.
import { t } from './i18n.js';

const handlers = new Set();
let socket = null, lastSeq = null, attempts = 0, state = 'connecting', retry = null;
const topics = ['calendar:*'];

export const onLive = (f) => handlers.add(f);
export const liveState = () => state;

export function showLiveState() {
  const s = document.getElementById('live');
  s.dataset.state = state;
  s.textContent = t(`live.${state}`);
}
function setState(s) { state = s; showLiveState(); }

// The last sequence number seen: a view that learns its topics from a read takes it before
// the read and subscribes with it after (`subscribe(topics, since)`).
export const liveSeq = () => lastSeq;

// Adds topics (e.g. "catalogue" for administrators) to the subscription, from `since` (by
// default the last sequence number seen): the facts after it on those topics come first, so
// that a change between a view's read and its subscription is not missed. Before the
// server's hello, the hello's own subscription takes them.
export function subscribe(more, since = lastSeq) {
  const fresh = more.filter((x) => !topics.includes(x));
  if (!fresh.length) return;
  topics.push(...fresh);
  const from = since ?? lastSeq;
  if (socket?.readyState === WebSocket.OPEN && from !== null) send(socket, fresh, from);
}

// The server answers a connection's subscriptions in the order they were sent; a message
// names at most 100 topics.
function send(ws, some, since) {
  for (let i = 0; i < some.length; i += 100) {
    const part = some.slice(i, i + 100);
    const m = since === null ? { op: 'subscribe', topics: part } : { op: 'subscribe', topics: part, since };
    ws.pending.push(m);
    ws.send(JSON.stringify(m));
  }
}

export function connectLive() {
  // Protocol 2: what the server has queued arrives gathered, one message per line.
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`, 'creneau.2');
  ws.pending = [];
  socket = ws;
  ws.onmessage = (ev) => {
    if (socket !== ws || typeof ev.data !== 'string') return;
    // A view that fails on one message must not cost the others their turn.
    for (const line of ev.data.split('\n')) {
      try { receive(ws, line); } catch (e) { console.error(e); }
    }
  };
  ws.onclose = (ev) => {
    if (socket !== ws) return;
    // 1008: the session the channel was opened with ended; the next one is a visitor's.
    if (ev.code === 1008) window.dispatchEvent(new Event('creneau:session-ended'));
    setState('reconnecting');
    const delay = Math.min(10000, 250 * 2 ** attempts++) * (0.5 + Math.random());
    retry = setTimeout(() => { retry = null; connectLive(); }, delay);
  };
}

// Opens the channel again at once, resumed from the last sequence number: the new connection
// carries the session the page has now (the server reads it when the channel opens).
export function reconnectLive() {
  clearTimeout(retry);
  retry = null;
  const old = socket;
  socket = null;
  old?.close();
  attempts = 0;
  setState('connecting');
  connectLive();
}

// One message of the server (docs/live-protocol.md).
function receive(ws, line) {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (!m || typeof m !== 'object') return;
  if (m.type === 'hello') {
    // The first connection starts from the hello's head: a subscription refused in part and
    // sent again misses nothing in between.
    if (lastSeq === null) lastSeq = m.seq;
    send(ws, [...topics], lastSeq);
  } else if (m.type === 'error') {
    // A subscription is all or nothing. Topics refused by name (an event restricted since, or
    // a session that ended and left the channel anonymous) are dropped, and the others
    // subscribed again, from the same point.
    // A refusal that names no topic (too many on one connection) drops the whole message's.
    const sent = ws.pending.shift();
    if (!sent) return;
    const refused = Array.isArray(m.topics) ? m.topics : sent.topics;
    for (const x of refused) if (topics.includes(x)) topics.splice(topics.indexOf(x), 1);
    const rest = sent.topics.filter((x) => !refused.includes(x));
    if (rest.length) send(ws, rest, sent.since ?? null);
  } else if (m.type === 'subscribed') {
    ws.pending.shift();
    attempts = 0;
    setState('live');
    lastSeq = Math.max(lastSeq ?? 0, m.seq);
  } else if (m.type === 'reload') {
    lastSeq = m.seq;
    for (const f of handlers) f({ type: 'reload' });
  } else if (typeof m.seq === 'number') {
    lastSeq = Math.max(lastSeq ?? 0, m.seq);
    for (const f of handlers) f(m);
  }
}
