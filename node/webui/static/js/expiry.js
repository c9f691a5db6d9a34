// Disappearing messages: the timer picker in a chat's header, the notices
// of timer changes in the history, the timer mark on a disappearing
// message, the default timer of new chats in Settings, and removing
// messages at their deadline (the daemon's message_expired event, and a
// timer here for those whose deadline passes while the page is open).
import { html, useState, useEffect } from './html.js';
import { Icon, Modal } from './ui.js';
import { get, put, enc } from './api.js';
import { S, useSel, changed, subscribe, patchMessage, knownMessage, refreshConvs, report, toast, accountName } from './store.js';
import { peerKey, groupKey, clock } from './util.js';

S.timers = new Map(); // chat key -> the chat's timer in seconds (0: off)

// The timers the picker offers, in seconds.
const choices = [
  [0, 'Off'],
  [300, '5 minutes'],
  [3600, '1 hour'],
  [8 * 3600, '8 hours'],
  [86400, '1 day'],
  [7 * 86400, '1 week'],
  [28 * 86400, '4 weeks'],
];
const units = [
  [1, 'seconds'],
  [60, 'minutes'],
  [3600, 'hours'],
  [86400, 'days'],
  [7 * 86400, 'weeks'],
];
const MIN = 30;
const MAX = 365 * 86400;

// label says a timer the way people do: "Off", "5 minutes", "1 week".
export function label(s) {
  if (!s) return 'Off';
  for (const [n, name] of [
    [7 * 86400, 'week'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ]) {
    if (s % n === 0) return s / n + ' ' + name + (s / n === 1 ? '' : 's');
  }
  return s + ' seconds';
}

const timerPath = (key) => (key.startsWith('g:') ? '/v1/groups/' : '/v1/conversations/') + enc(key.slice(2)) + '/timer';

function setTimerOf(key, seconds) {
  S.timers = new Map(S.timers).set(key, seconds || 0);
  changed();
}

async function loadTimer(key) {
  try {
    setTimerOf(key, (await get(timerPath(key))).seconds);
  } catch (e) {
    report(e);
  }
}

// onExpiryEvent applies timer_changed and message_expired; it reports
// whether ev was one of them.
export function onExpiryEvent(ev) {
  switch (ev.type) {
    case 'timer_changed':
      setTimerOf(ev.group ? groupKey(ev.group) : peerKey(ev.peer), ev.seconds);
      return true;
    case 'message_expired':
      if (patchMessage(ev.id, (m) => ({ ...m, deleted: true }))) refreshConvs();
      return true;
  }
  return false;
}

// TimerButton is the header's button: the chat's timer, opening the picker.
export function TimerButton({ chatKey }) {
  const seconds = useSel((s) => s.timers.get(chatKey));
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (seconds === undefined) loadTimer(chatKey);
  }, [chatKey, seconds === undefined]);
  const on = seconds > 0;
  return html`<button
      type="button"
      class=${'icon-btn timer-btn' + (on ? ' on' : '')}
      data-seconds=${seconds === undefined ? '' : seconds}
      aria-label=${'Disappearing messages: ' + (seconds === undefined ? '…' : label(seconds))}
      title=${'Disappearing messages: ' + (seconds === undefined ? '…' : label(seconds))}
      onClick=${() => setOpen(true)}
    >
      <${Icon} name="clock" />${on && html`<span class="timer-short">${short(seconds)}</span>`}
    </button>
    ${open && html`<${TimerPicker} chatKey=${chatKey} seconds=${seconds || 0} onClose=${() => setOpen(false)} />`}`;
}

// short is a timer in the header's few characters: "30s", "5m", "1w".
function short(s) {
  for (const [n, u] of [
    [7 * 86400, 'w'],
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
  ]) {
    if (s % n === 0) return s / n + u;
  }
  return s + 's';
}

// Choices is the list of timers with the custom one: pick(seconds) is
// called with what the person chose.
function Choices({ seconds, pick, name }) {
  const preset = choices.some(([s]) => s === seconds);
  const [unit, setUnit] = useState(() => units.findLast(([n]) => seconds && seconds % n === 0) || units[1]);
  const [count, setCount] = useState(preset || !seconds ? '' : String(seconds / unit[0]));
  const custom = (e) => {
    e.preventDefault();
    const n = Number(count);
    const s = Math.round(n * unit[0]);
    if (!Number.isFinite(n) || n <= 0 || s < MIN || s > MAX) {
      toast('A timer is from 30 seconds to 365 days: pick a number and unit in between.', 'error');
      return;
    }
    pick(s);
  };
  return html`<div class="timer-choices" role="radiogroup" aria-label="Disappearing messages timer">
      ${choices.map(
        ([s, text]) => html`<label class="field check" key=${s}>
          <input type="radio" name=${name} value=${s} checked=${s === seconds} onChange=${() => pick(s)} />
          <span>${text}</span>
        </label>`,
      )}
    </div>
    <form class="timer-custom row" onSubmit=${custom}>
      <label class="field"><span>Custom${!preset && seconds ? ' (now ' + label(seconds) + ')' : ''}</span>
        <input type="number" min="1" step="1" name="count" value=${count} onInput=${(e) => setCount(e.target.value)} aria-label="Custom timer" />
      </label>
      <select name="unit" aria-label="Unit" value=${unit[0]} onChange=${(e) => setUnit(units.find(([n]) => n === Number(e.target.value)))}>
        ${units.map(([n, u]) => html`<option key=${n} value=${n}>${u}</option>`)}
      </select>
      <button type="submit" class="btn" disabled=${!count}>Set</button>
    </form>`;
}

function TimerPicker({ chatKey, seconds, onClose }) {
  const pick = async (s) => {
    try {
      const t = await put(timerPath(chatKey), { seconds: s });
      setTimerOf(chatKey, t.seconds);
      // The daemon sends no event for a notice of ours: read it (its ID
      // is the change's).
      if (t.change) knownMessage(t.change);
      onClose();
    } catch (e) {
      report(e);
    }
  };
  return html`<${Modal} title="Disappearing messages" onClose=${onClose} class="timer-picker">
    <p class="muted">New messages in this chat disappear this long after they are sent (yours) or read (theirs), on every device. Everyone in the chat sees the change.</p>
    <${Choices} seconds=${seconds} pick=${pick} name="chat-timer" />
  </${Modal}>`;
}

// noticeText is what a timer notice says, with who made the change.
export function noticeText(m) {
  return (m.direction === 'out' ? 'You' : m.sender_name || accountName(m.sender)) + ' ' + m.text;
}

// TimerNotice is a timer change in the history: a centred line.
export function TimerNotice({ m }) {
  if (m.deleted) return null;
  return html`<div class="msg notice timer-notice" role="note" data-id=${m.id} data-kind="timer">
    <${Icon} name="clock" /> <span>${noticeText(m)}</span>
  </div>`;
}

// DeviceNotice says the chat's other account added or removed a device
// (messages go to a new one from now on; the safety number stays).
export function DeviceNotice({ m }) {
  return html`<div class="msg notice device-notice" role="note" data-id=${m.id} data-kind="device" title="Messages also go to the account's new devices. The safety number stays the same.">
    <${Icon} name="shield" /> <span>${noticeText(m)}</span>
  </div>`;
}

// ExpiryMark is the timer icon on a disappearing message; its title says
// how long the message has left once its countdown started.
export function ExpiryMark({ m }) {
  if (!(m.expire_after_s > 0)) return null;
  let title = 'Disappears ' + label(m.expire_after_s) + (m.direction === 'out' ? ' after it was sent' : ' after you read it');
  if (m.expires_at) title = 'Disappears at ' + clock(m.expires_at) + ' (in ' + left(Date.parse(m.expires_at) - Date.now()) + ')';
  return html`<span class="expiry-mark" title=${title} data-expires=${m.expires_at || ''}><${Icon} name="clock" label=${title} /></span>`;
}

// left says a span of time to come, roughly.
function left(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.round(s / 60) + ' min';
  if (s < 86400) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' days';
}

// DefaultTimer is the Settings card of the timer new chats start with.
export function DefaultTimer() {
  const [seconds, setSeconds] = useState(null);
  useEffect(() => {
    get('/v1/settings/default-timer')
      .then((t) => setSeconds(t.seconds || 0))
      .catch(report);
  }, []);
  const pick = async (s) => {
    try {
      const t = await put('/v1/settings/default-timer', { seconds: s });
      setSeconds(t.seconds || 0);
      toast('New chats start with disappearing messages ' + (t.seconds ? 'after ' + label(t.seconds) : 'off') + '.');
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="card default-timer" data-seconds=${seconds === null ? '' : seconds}>
    <h3>Default timer for new chats</h3>
    <p class="muted">Chats you start get this disappearing-messages timer with your first message. Each chat's own timer is in its header.</p>
    ${seconds !== null && html`<${Choices} key=${seconds} seconds=${seconds} pick=${pick} name="default-timer" />`}
  </div>`;
}

// --- deadlines passing while the page is open ---

// scanned caches what a message array holds for this: its first deadline,
// and incoming disappearing messages read here whose deadline the page
// does not know yet (the daemon starts their countdown at the first read).
// Arrays are replaced, never changed, so what is cached stays true.
const scanned = new WeakMap();
const asked = new Set(); // messages whose deadline was asked for
let wake = 0;
let wakeAt = Infinity;
let chats = S.chats; // a new map: everything was read again

function scan(msgs) {
  let r = scanned.get(msgs);
  if (r) return r;
  r = { at: Infinity, unstarted: [] };
  for (const m of msgs) {
    if (m.deleted || !(m.expire_after_s > 0)) continue;
    if (m.expires_at) r.at = Math.min(r.at, Date.parse(m.expires_at));
    else if (m.direction === 'in' && m.state === 'read') r.unstarted.push(m.id);
  }
  scanned.set(msgs, r);
  return r;
}
const firstDeadline = (msgs) => scan(msgs).at;

// started reads the deadline of a message whose countdown began.
async function started(id) {
  try {
    const fresh = await get('/v1/messages/' + id);
    if (fresh.expires_at) patchMessage(id, (m) => ({ ...m, expires_at: fresh.expires_at }));
  } catch {
    // gone meanwhile: message_expired says so
  }
}

// schedule sets the one timer to the first deadline among the messages
// loaded; it runs after every change of the state.
function schedule() {
  if (S.chats !== chats) {
    // The page read everything again (the event stream could not
    // resume): timer changes may have been missed meanwhile.
    chats = S.chats;
    asked.clear();
    if (S.timers.size) {
      S.timers = new Map();
      changed();
    }
  }
  let at = Infinity;
  for (const chat of S.chats.values()) {
    const r = scan(chat.msgs);
    at = Math.min(at, r.at);
    for (const id of r.unstarted) if (!asked.has(id)) (asked.add(id), started(id));
  }
  if (at === wakeAt) return;
  clearTimeout(wake);
  wakeAt = at;
  if (at === Infinity) return;
  // setTimeout takes at most 2^31-1 ms: further deadlines wait in steps.
  wake = setTimeout(sweep, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
}

// sweep removes the messages whose deadline passed from what is shown.
function sweep() {
  wakeAt = Infinity;
  const now = Date.now();
  const gone = [];
  for (const chat of S.chats.values()) {
    if (firstDeadline(chat.msgs) > now) continue;
    for (const m of chat.msgs) if (m.expires_at && !m.deleted && Date.parse(m.expires_at) <= now) gone.push(m.id);
  }
  for (const id of gone) patchMessage(id, (m) => ({ ...m, deleted: true }));
  if (gone.length) refreshConvs();
  schedule();
}

subscribe(schedule);
