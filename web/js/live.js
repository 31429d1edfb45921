// The live channel (docs/live-protocol.md): one WebSocket, resumed from the last sequence
// number after a drop, with randomised exponential backoff. Views register handlers by
// message type; `reload` asks them to read again what they show.
import { t } from './i18n.js';

const handlers = new Set();
let socket = null, lastSeq = null, attempts = 0, state = 'connecting';
const topics = ['calendar:*'];

export const onLive = (f) => handlers.add(f);
export const liveState = () => state;

export function showLiveState() {
  const s = document.getElementById('live');
  s.dataset.state = state;
  s.textContent = t(`live.${state}`);
}
function setState(s) { state = s; showLiveState(); }

// Adds topics (e.g. "catalogue" for administrators) to the subscription.
export function subscribe(more) {
  const fresh = more.filter((x) => !topics.includes(x));
  if (!fresh.length) return;
  topics.push(...fresh);
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ op: 'subscribe', topics: fresh }));
}

export function connectLive() {
  // Protocol 2: what the server has queued arrives gathered, one message per line.
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`, 'creneau.2');
  socket = ws;
  ws.onmessage = (ev) => {
    if (typeof ev.data !== 'string') return;
    // A view that fails on one message must not cost the others their turn.
    for (const line of ev.data.split('\n')) {
      try { receive(ws, line); } catch (e) { console.error(e); }
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    setState('reconnecting');
    const delay = Math.min(10000, 250 * 2 ** attempts++) * (0.5 + Math.random());
    setTimeout(connectLive, delay);
  };
}

// One message of the server (docs/live-protocol.md).
function receive(ws, line) {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (!m || typeof m !== 'object') return;
  if (m.type === 'hello') {
    ws.send(JSON.stringify(lastSeq === null ? { op: 'subscribe', topics } : { op: 'subscribe', topics, since: lastSeq }));
    if (lastSeq === null) lastSeq = m.seq;
  } else if (m.type === 'subscribed') {
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
