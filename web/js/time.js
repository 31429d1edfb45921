// Time as Créneau's people read it: wall-clock Europe/Paris, whatever the browser's zone.
// The wire carries RFC 3339 instants; the calendar library is given Paris wall-clock times
// without a zone ("floating"), so every conversion goes through here.
import { lang } from './i18n.js';

export const ZONE = 'Europe/Paris';

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', hourCycle: 'h23',
});
export function parisParts(ms) {
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, s: +p.second };
}
export const pad = (n) => String(n).padStart(2, '0');

// "2027-03-09T09:00:00": an instant on Paris's wall clock.
export function parisFloating(iso) {
  const p = parisParts(Date.parse(iso));
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}
// "2027-03-09": the Paris day of an instant.
export const parisDay = (iso) => parisFloating(iso).slice(0, 10);
export const todayInParis = () => parisFloating(new Date().toISOString()).slice(0, 10);

// A Paris wall-clock time to the instant, as an RFC 3339 string in UTC. Of the two instants of
// the hour October repeats, the earlier (summer time), as the server reads one
// (docs/architecture.md, "Time").
export function parisToUtc(y, mo, d, h, mi) {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const offsetAt = (ms) => { const p = parisParts(ms); return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - ms; };
  let ms = guess - offsetAt(guess);
  ms = guess - offsetAt(ms);
  const before = parisParts(ms - 3600000);
  if (before.d === d && before.h === h && before.mi === mi) ms -= 3600000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
// A datetime-local value read as Paris time: the instant, and that instant's own Paris time.
function readLocal(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || '');
  if (!m) return null;
  const utc = parisToUtc(+m[1], +m[2], +m[3], +m[4], +m[5]);
  return { typed: m[0], utc, shown: parisFloating(utc).slice(0, 16) };
}
// "2027-03-09T09:00" (a datetime-local field, read as Paris time) to the instant; null for no
// time, and for a time no instant shows, such as one Paris skips (see skippedInParis).
export function localInputToUtc(value) {
  const x = readLocal(value);
  return x && x.shown === x.typed ? x.utc : null;
}
// Whether a datetime-local value is in the hour Paris skips when the clocks go forward (02:00 to
// 03:00 on the last Sunday of March): read as the hour after it.
export function skippedInParis(value) {
  const x = readLocal(value);
  return !!x && x.shown !== x.typed && Date.parse(`${x.shown}:00Z`) - Date.parse(`${x.typed}:00Z`) === 3600000;
}
// Whether a datetime-local value is in the hour Paris repeats when the clocks go back (02:00 to
// 03:00 on the last Sunday of October): it happens twice, and the first is read.
export function repeatedInParis(value) {
  const x = readLocal(value);
  return !!x && x.shown === x.typed && repeatNote(x.utc) !== '';
}
// " (UTC+2)" for an instant whose Paris time happens twice (the hour October repeats), so that
// the two are told apart; "" for every other instant.
export function repeatNote(iso) {
  const ms = Date.parse(iso);
  const wall = (x) => { const p = parisParts(x); return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s); };
  const w = wall(ms);
  if (wall(ms + 3600000) !== w && wall(ms - 3600000) !== w) return '';
  return ` (UTC+${Math.round((w - ms) / 3600000)})`;
}
// An instant to a datetime-local field's value in Paris time.
export const utcToLocalInput = (iso) => parisFloating(iso).slice(0, 16);
// The calendar's Date to a datetime-local value. The calendar library reads the
// "2027-03-09T09:00:00" it is given as the browser's local time and gives dates back in it:
// their local fields hold Paris's wall clock, whatever the browser's zone.
export function floatingDateToInput(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
// The calendar's floating Date to the instant it means in Paris.
export const floatingToUtc = (date) => localInputToUtc(floatingDateToInput(date));

// The page's language as Intl's locale.
export const locale = () => (lang() === 'fr' ? 'fr-FR' : 'en-GB');
export function showWhen(startIso, endIso) {
  const f = new Intl.DateTimeFormat(locale(), { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const sameDay = parisDay(startIso) === parisDay(endIso);
  const e = new Intl.DateTimeFormat(locale(), sameDay ? { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }
    : { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `${f.format(new Date(startIso))}${repeatNote(startIso)} – ${e.format(new Date(endIso))}${repeatNote(endIso)}`;
}
export const showTime = (iso) => new Intl.DateTimeFormat(locale(), { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }).format(new Date(iso)) + repeatNote(iso);
export const showDay = (iso) => new Intl.DateTimeFormat(locale(), { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
export const showInstant = (iso) => new Intl.DateTimeFormat(locale(), { timeZone: ZONE, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) + repeatNote(iso);
// Minutes as hours, to a tenth, in the language's way of writing numbers ("407,5").
export const hoursOf = (minutes) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(minutes / 60);
export const euros = (cents) => new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR' }).format(cents / 100);
