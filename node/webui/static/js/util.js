// Small helpers: formatting of times, sizes and IDs, and chat keys.

// A chat is keyed "p:ACCOUNT" (1:1) or "g:GROUP".
export const peerKey = (account) => 'p:' + account;
export const groupKey = (id) => 'g:' + id;
export const keyOf = (m) => (m.group ? groupKey(m.group) : peerKey(m.peer));
export const chatPath = (key) => (key.startsWith('g:') ? '/group/' : '/chat/') + key.slice(2);

export const shortID = (id) => (id ? id.slice(0, 12) + '…' : '');

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const shortDateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export const ms = (t) => (t ? Date.parse(t) : 0);
export const clock = (t) => (t ? timeFmt.format(new Date(t)) : '');

function startOfDay(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

// dayKey is a local calendar day, for day separators.
export function dayKey(t) {
  const d = new Date(t);
  return d.getFullYear() * 10000 + d.getMonth() * 100 + d.getDate();
}

// dayLabel names the day of t as a chat shows it: Today, Yesterday, a
// weekday within a week, else the date.
export function dayLabel(t, now = Date.now()) {
  const d = new Date(t);
  const days = Math.round((startOfDay(new Date(now)) - startOfDay(d)) / 86400000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return dayFmt.format(d);
  return dateFmt.format(d);
}

// listTime is the time shown in the chat list: the clock today, else the
// day.
export function listTime(t, now = Date.now()) {
  if (!t) return '';
  const d = new Date(t);
  const days = Math.round((startOfDay(new Date(now)) - startOfDay(d)) / 86400000);
  if (days === 0) return timeFmt.format(d);
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return dayFmt.format(d);
  return shortDateFmt.format(d);
}

export function lastSeen(t, now = Date.now()) {
  if (!t) return '';
  const label = dayLabel(t, now);
  const at = timeFmt.format(new Date(t));
  if (label === 'Today') return 'last seen today at ' + at;
  if (label === 'Yesterday') return 'last seen yesterday at ' + at;
  return 'last seen ' + label + ' at ' + at;
}

export function size(n) {
  if (n == null) return '';
  if (n < 1024) return n + ' B';
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ' + units[i];
}

export const percent = (done, total) => (total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 0);

export const initial = (name) => (name || '?').trim().slice(0, 1).toUpperCase() || '?';

export function cls(...parts) {
  return parts.filter(Boolean).join(' ');
}

// A text someone pastes or scans: an account ID, a contact link
// (pigeon:ACCOUNT?name=NAME, the form the "My account" screen shares) or a
// group invite link (pgi…). Invite links are 163 characters, account IDs
// 60 ("pg" and 58 of base32), so "pgi" alone does not tell them apart; a
// longer run of base32 is not an account ID (never a truncated one).
const inviteRe = /pgi[a-z2-7]{160}/;
const accountRe = /pg[a-z2-7]{58}(?![a-z2-7])/;

export function parseShared(text) {
  const t = (text || '').trim();
  const lower = t.toLowerCase();
  const inv = lower.match(inviteRe);
  if (inv) return { kind: 'invite', link: inv[0] };
  const acc = lower.match(accountRe);
  if (!acc) return null;
  let name = '';
  const q = t.indexOf('?');
  if (q >= 0) {
    try {
      name = new URLSearchParams(t.slice(q + 1)).get('name') || '';
    } catch {
      name = '';
    }
  }
  return { kind: 'account', account: acc[0], name };
}

export function contactLink(account, name) {
  return 'pigeon:' + account + (name ? '?name=' + encodeURIComponent(name) : '');
}

// groupSafety formats a safety number in groups of five digits.
export const groupDigits = (s) => (s || '').replace(/(\d{5})(?=\d)/g, '$1 ');
