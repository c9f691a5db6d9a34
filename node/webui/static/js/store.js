// The app's state and the actions that change it. State is one object;
// whatever changes is replaced, not mutated (a chat, its message array, a
// message, the maps below), so components select what they show with
// useSel and render again only when that changed.
import { useReducer, useRef, useLayoutEffect } from './html.js';
import { api, get, post, put, del, historyPath, upload, ApiError, enc } from './api.js';
import { keyOf, peerKey, groupKey, shortID, ms } from './util.js';
import { placeConv, prefsOf } from './convo.js';

// PAGE is how many messages a history request asks for.
export const PAGE = 50;

export const S = {
  boot: 'loading', // loading, setup, ready, signedout, error
  bootError: '',
  me: null, // Info
  conn: 'connecting', // connecting, live, down
  convs: [], // [Conv] most recent first: {key, peer, group, name, last, unread}
  contacts: new Map(), // account -> Contact
  groups: new Map(), // group ID -> Group
  presence: new Map(), // account -> Presence
  typing: new Map(), // chat key -> Map(from -> until ms)
  progress: new Map(), // media ID -> {phase, done, total, direction}
  uploads: [], // [{uid, key, name, size, loaded, error, abort, preview}]
  chats: new Map(), // chat key -> Chat: {key, msgs, ids, hasOlder, loading, ready}
  open: '', // the chat on screen
  identity: new Map(), // account -> identity_changed event not yet verified
  storageFull: false,
  autoDownload: null, // {max_bytes}
  devices: null, // GET /v1/devices: {devices, holds_account_key}
  linkOffer: null, // the link code on screen: {code, qr_text, expires}
  linkRequest: null, // the link_request event waiting for an answer
  historySync: null, // the last history_sync event
  backup: null, // GET /v1/backup (backup.js)
  backupRun: null, // the running backup's progress: {done, total} (backup.js)
  backupDone: null, // the last backup_done event
  setup: null, // GET /v1/setup while the daemon has no account yet (setup.js)
  setupDown: '', // why the last GET /v1/setup failed
  toasts: [], // [{id, text, kind}]
  replying: new Map(), // chat key -> the message being answered (convo.js)
  jump: null, // {key, id, seq}: the message to show (convo.js)
  archived: [], // [Conv] the archived chats (convo.js)
  visible: document.visibilityState === 'visible',
  profiles: new Map(), // account -> Profile (profile.js)
  requests: [], // [Conversation] message requests (profile.js)
  blocked: new Set(), // blocked accounts (profile.js)
  myProfile: null, // my Profile, null before I set one (profile.js)
};

const subs = new Set();
let queued = false;

// changed tells subscribers the state changed; they run once per task.
export function changed() {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    for (const f of subs) f();
  });
}

// subscribe calls f after every change; it returns the unsubscribe.
export function subscribe(f) {
  subs.add(f);
  return () => subs.delete(f);
}

function shallowEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.is(a[k], b[k])) return false;
  return true;
}

// useSel returns sel(S) and renders the component again when it changes.
export function useSel(sel) {
  const [, force] = useReducer((x) => x + 1, 0);
  const ref = useRef(null);
  const val = sel(S);
  ref.current = { sel, val };
  useLayoutEffect(() => {
    const check = () => {
      const r = ref.current;
      if (!shallowEqual(r.sel(S), r.val)) force();
    };
    subs.add(check);
    check();
    return () => subs.delete(check);
  }, []);
  return val;
}

// --- toasts ---

let toastSeq = 0;
export function toast(text, kind = 'info') {
  const id = ++toastSeq;
  S.toasts = [...S.toasts, { id, text, kind }];
  changed();
  setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
}
export function dismiss(id) {
  S.toasts = S.toasts.filter((t) => t.id !== id);
  changed();
}

// report shows an error from the API the way people can act on it.
export function report(err) {
  if (err instanceof ApiError && err.status === 401) return; // the sign-in screen says it
  toast(err && err.message ? err.message : String(err), 'error');
}

// --- names ---

export function accountName(account) {
  if (!account) return '';
  if (S.me && account === S.me.account) return 'You';
  const c = S.contacts.get(account);
  const p = S.profiles.get(account);
  return (c && c.name) || (p && p.name) || shortID(account);
}

export function chatName(key) {
  if (key.startsWith('g:')) {
    const g = S.groups.get(key.slice(2));
    return (g && g.name) || 'Group ' + key.slice(2, 10);
  }
  const c = S.contacts.get(key.slice(2));
  if (c && c.name) return c.name;
  const conv = S.convs.find((x) => x.key === key);
  return (conv && conv.name) || shortID(key.slice(2));
}

// --- loading ---

export async function loadContacts() {
  const list = await get('/v1/contacts');
  S.contacts = new Map(list.map((c) => [c.account, c]));
  for (const c of list) {
    if (c.identity_changed_at && !S.identity.has(c.account)) {
      S.identity = new Map(S.identity).set(c.account, { account: c.account, at: c.identity_changed_at });
    }
    if (!c.identity_changed_at && S.identity.has(c.account)) {
      const m = new Map(S.identity);
      m.delete(c.account);
      S.identity = m;
    }
  }
  changed();
}

export async function loadGroups() {
  const list = await get('/v1/groups');
  S.groups = new Map(list.map((g) => [g.id, g]));
  changed();
}

export async function loadGroup(id) {
  try {
    const g = await get('/v1/groups/' + id);
    S.groups = new Map(S.groups).set(id, g);
  } catch (e) {
    if (e.status === 404) {
      const m = new Map(S.groups);
      m.delete(id);
      S.groups = m;
    } else throw e;
  }
  changed();
}

function convOf(c) {
  const key = c.group ? groupKey(c.group) : peerKey(c.peer);
  return { key, peer: c.peer || '', group: c.group || '', name: c.name || c.profile_name || '', avatar: c.avatar_url || '', last: c.last, unread: c.unread, ...prefsOf(c) };
}

const lastTime = (c) => (c.last ? ms(c.last.stored_at) || ms(c.last.sent_at) : 0);

// readSeq counts the reads this page made; readAt holds the count at each
// chat's last read, so that a chat list asked for before a read finished
// does not bring its unread count back.
let readSeq = 0;
const readAt = new Map();

export async function loadConvs() {
  const asked = readSeq;
  const [list, archived] = await Promise.all([get('/v1/conversations'), get('/v1/conversations?archived=true')]);
  const convs = list.map(convOf);
  S.archived = archived.map(convOf);
  for (const c of convs) if ((readAt.get(c.key) || 0) > asked) c.unread = 0;
  // Groups without messages yet are chats too.
  const have = new Set(convs.concat(S.archived).map((c) => c.key));
  for (const g of S.groups.values()) {
    const key = groupKey(g.id);
    if (!have.has(key) && g.status === 'active') convs.push({ key, peer: '', group: g.id, name: g.name, last: null, unread: 0 });
  }
  S.convs = convs;
  changed();
  for (const c of convs.slice(0, 30)) if (c.peer && !S.presence.has(c.peer)) loadPresence(c.peer);
}

let convTimer = 0;
// refreshConvs reads the chat list again soon (unread counts are the
// daemon's), coalescing bursts of events.
export function refreshConvs() {
  clearTimeout(convTimer);
  convTimer = setTimeout(() => loadConvs().catch(() => {}), 300);
}

const presenceInFlight = new Set();
export async function loadPresence(account) {
  if (presenceInFlight.has(account)) return;
  presenceInFlight.add(account);
  try {
    const p = await get('/v1/presence/' + account);
    S.presence = new Map(S.presence).set(account, p);
    changed();
  } catch {
    // presence is a nicety; the chat works without it
  } finally {
    presenceInFlight.delete(account);
  }
}

export async function loadAutoDownload() {
  S.autoDownload = await get('/v1/media-settings/auto-download');
  changed();
}

// reloadAll reads everything shown again: at start, and when the event
// stream could not resume where it left off.
export async function reloadAll() {
  await Promise.all([loadContacts(), loadGroups(), loadAutoDownload().catch(() => {})]);
  await loadConvs();
  const open = S.open;
  S.chats = new Map();
  S.boot = 'ready';
  changed();
  if (open) await openChat(open);
}

// --- chats ---

function newChat(key) {
  return { key, msgs: [], ids: new Set(), hasOlder: true, loading: false, ready: false };
}

function setChat(chat) {
  S.chats.set(chat.key, chat);
  changed();
}

export async function openChat(key) {
  S.open = key;
  changed();
  let chat = S.chats.get(key);
  if (!chat || !chat.ready) {
    chat = newChat(key);
    chat.loading = true;
    setChat(chat);
    try {
      const page = await get(historyPath(key, '', PAGE));
      const cur = S.chats.get(key);
      // Live messages may have arrived meanwhile: keep them after the page.
      const msgs = page.slice();
      const ids = new Set(page.map((m) => m.id));
      for (const m of cur.msgs) if (!ids.has(m.id)) (msgs.push(m), ids.add(m.id));
      setChat({ ...cur, msgs, ids, hasOlder: page.length === PAGE, loading: false, ready: true });
    } catch (e) {
      setChat({ ...S.chats.get(key), loading: false });
      report(e);
    }
  }
  if (key.startsWith('p:')) loadPresence(key.slice(2));
  markRead(key);
}

export function closeChat() {
  S.open = '';
  changed();
}

// loadOlder fetches the page before the oldest message loaded; it
// resolves to the number of messages added.
export async function loadOlder(key) {
  const chat = S.chats.get(key);
  if (!chat || !chat.ready || chat.loading || !chat.hasOlder) return 0;
  setChat({ ...chat, loading: true });
  try {
    const before = chat.msgs.length ? chat.msgs[0].id : '';
    const page = await get(historyPath(key, before, PAGE));
    const cur = S.chats.get(key);
    const fresh = page.filter((m) => !cur.ids.has(m.id));
    for (const m of fresh) cur.ids.add(m.id);
    setChat({ ...cur, msgs: fresh.concat(cur.msgs), hasOlder: page.length === PAGE, loading: false });
    return fresh.length;
  } catch (e) {
    setChat({ ...S.chats.get(key), loading: false });
    report(e);
    return 0;
  }
}

// stateRank orders a message's states: a copy read later (a fetch that
// raced with the events) never takes one back.
const stateRank = { pending: 0, failed: 0, sent: 1, received: 1, delivered: 2, read: 3 };

// addMessage puts a message into its chat and the chat list (once). A
// message shown already takes the state of m when it is further on.
export function addMessage(m, { incoming = false } = {}) {
  const key = keyOf(m);
  const chat = S.chats.get(key);
  if (chat && !chat.ids.has(m.id)) {
    chat.ids.add(m.id);
    setChat({ ...chat, msgs: chat.msgs.concat([m]) });
  } else if (chat) {
    const shown = chat.msgs.findLast((x) => x.id === m.id);
    if (shown && (stateRank[m.state] ?? 0) > (stateRank[shown.state] ?? 0)) {
      patchMessage(m.id, (x) => ({ ...x, state: m.state, pending: undefined }));
    }
  }
  const i = S.convs.findIndex((c) => c.key === key);
  const prev = i >= 0 ? S.convs[i] : null;
  if (prev && prev.last && prev.last.id === m.id) return;
  const unread = (prev ? prev.unread : 0) + (incoming && !(S.open === key && S.visible) ? 1 : 0);
  const conv = {
    key,
    peer: m.peer || '',
    group: m.group || '',
    name: (prev && prev.name) || m.peer_name || m.group_name || '',
    last: m,
    unread,
  };
  S.convs = placeConv(conv, S.convs);
  changed();
  if (!prev && m.group && !S.groups.has(m.group)) loadGroup(m.group).catch(() => {});
}

// patchMessage replaces the message id wherever it is shown.
export function patchMessage(id, fn) {
  let found = false;
  for (const chat of S.chats.values()) {
    if (!chat.ids.has(id)) continue;
    const i = chat.msgs.findLastIndex((m) => m.id === id);
    if (i < 0) continue;
    const msgs = chat.msgs.slice();
    msgs[i] = fn(msgs[i]);
    setChat({ ...chat, msgs });
    found = true;
  }
  const ci = S.convs.findIndex((c) => c.last && c.last.id === id);
  if (ci >= 0) {
    const convs = S.convs.slice();
    convs[ci] = { ...convs[ci], last: fn(convs[ci].last) };
    S.convs = convs;
    found = true;
  }
  if (found) changed();
  return found;
}

// knownMessage fetches a message this page has not seen (one sent from
// the CLI, say) when an event names it.
const fetching = new Set();
export async function knownMessage(id) {
  for (const chat of S.chats.values()) if (chat.ids.has(id)) return;
  if (fetching.has(id)) return;
  fetching.add(id);
  try {
    addMessage(await get('/v1/messages/' + id));
  } catch {
    // gone, or not ours to show
  } finally {
    fetching.delete(id);
  }
}

const reading = new Map(); // key -> true while a read is in flight
const readAgain = new Set(); // keys with messages that came during it
// markRead tells the daemon (and so the senders) that the open chat was
// read, when the tab is visible. A message that comes while a read is in
// flight is read by another call after it.
export function markRead(key) {
  if (!key || key !== S.open || !S.visible) return;
  const conv = S.convs.find((c) => c.key === key);
  const chat = S.chats.get(key);
  const unreadIn = chat ? chat.msgs.filter((m) => m.direction === 'in' && m.state === 'received').map((m) => m.id) : [];
  if ((!conv || !conv.unread) && !unreadIn.length) return;
  if (reading.has(key)) {
    readAgain.add(key);
    return;
  }
  const done = new Set(unreadIn); // what the daemon marks read now
  const path = key.startsWith('g:') ? '/v1/groups/' + key.slice(2) + '/read' : '/v1/conversations/' + key.slice(2) + '/read';
  reading.set(key, true);
  post(path)
    .then(() => {
      readAt.set(key, ++readSeq);
      S.convs = S.convs.map((c) => (c.key === key ? { ...c, unread: 0 } : c));
      const ch = S.chats.get(key);
      if (ch) setChat({ ...ch, msgs: ch.msgs.map((m) => (done.has(m.id) && m.state === 'received' ? { ...m, state: 'read' } : m)) });
      changed();
    })
    .catch(report)
    .finally(() => {
      reading.delete(key);
      if (readAgain.delete(key)) markRead(key);
    });
}

export function setVisible(v) {
  S.visible = v;
  changed();
  if (v) markRead(S.open);
}

// --- sending ---

export async function sendText(key, text, replyTo) {
  const id = key.slice(2);
  const reply = replyTo ? { reply_to: replyTo } : {};
  const res = key.startsWith('g:')
    ? await post('/v1/groups/' + id + '/messages', { text, ...reply })
    : await post('/v1/messages', { to: id, text, ...reply });
  const m = await get('/v1/messages/' + res.id);
  addMessage(m);
  return m;
}

let uploadSeq = 0;
// sendFile uploads a file with progress shown in the chat until the
// daemon has stored it.
export async function sendFile(key, file, caption, replyTo) {
  const uid = ++uploadSeq;
  const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : '';
  const up = upload({
    key,
    file,
    caption,
    replyTo,
    onProgress: (loaded) => {
      S.uploads = S.uploads.map((u) => (u.uid === uid ? { ...u, loaded } : u));
      changed();
    },
  });
  S.uploads = [...S.uploads, { uid, key, name: file.name, size: file.size, loaded: 0, error: '', abort: up.abort, preview }];
  changed();
  try {
    const id = await up.promise;
    const m = await get('/v1/messages/' + id);
    addMessage(m);
    S.uploads = S.uploads.filter((u) => u.uid !== uid);
  } catch (e) {
    if (e.code === 'aborted') S.uploads = S.uploads.filter((u) => u.uid !== uid);
    else S.uploads = S.uploads.map((u) => (u.uid === uid ? { ...u, error: e.message } : u));
    if (e.code !== 'aborted') report(e);
  } finally {
    if (preview) setTimeout(() => URL.revokeObjectURL(preview), 60000);
    changed();
  }
}

export function dropUpload(uid) {
  S.uploads = S.uploads.filter((u) => u.uid !== uid);
  changed();
}

let typingSent = 0;
let typingTimer = 0;
// typing tells the chat's other side that we type: at most every 3 s
// while keys come, and "stopped" 5 s after the last one or on send.
export function typing(key, active) {
  const path = key.startsWith('g:') ? '/v1/groups/' + key.slice(2) + '/typing' : '/v1/conversations/' + key.slice(2) + '/typing';
  clearTimeout(typingTimer);
  const now = Date.now();
  if (active) {
    typingTimer = setTimeout(() => typing(key, false), 5000);
    if (now - typingSent < 3000) return;
    typingSent = now;
  } else {
    if (!typingSent) return;
    typingSent = 0;
  }
  post(path, { active }).catch(() => {});
}

// --- media ---

export async function fetchMedia(id) {
  try {
    await post('/v1/media/' + id + '/fetch');
    patchMessage(id, (m) => (m.media ? { ...m, media: { ...m.media, state: 'fetching', error: '' } } : m));
  } catch (e) {
    report(e);
  }
}

export function setProgress(ev) {
  S.progress = new Map(S.progress).set(ev.id, { phase: ev.phase, done: ev.done || 0, total: ev.total || 0, direction: ev.direction });
  changed();
}

export function mediaState(ev) {
  patchMessage(ev.id, (m) =>
    m.media ? { ...m, media: { ...m.media, state: ev.state, error: ev.error || '', retry_until: ev.retry_until || '' } } : m,
  );
  if (ev.state !== 'fetching' && S.progress.has(ev.id)) {
    const p = new Map(S.progress);
    p.delete(ev.id);
    S.progress = p;
    changed();
  }
}

// --- typing and presence from events ---

let typingExpiry = 0;
function expireTyping() {
  const now = Date.now();
  let next = Infinity;
  let dirty = false;
  const out = new Map();
  for (const [key, who] of S.typing) {
    const keep = new Map();
    for (const [from, until] of who) {
      if (until > now) {
        keep.set(from, until);
        next = Math.min(next, until);
      } else dirty = true;
    }
    if (keep.size) out.set(key, keep);
  }
  if (dirty) {
    S.typing = out;
    changed();
  }
  clearTimeout(typingExpiry);
  if (next !== Infinity) typingExpiry = setTimeout(expireTyping, next - now + 50);
}

export function setTyping(key, from, active, until) {
  const m = new Map(S.typing);
  const who = new Map(m.get(key) || []);
  if (active) who.set(from, ms(until) || Date.now() + 6000);
  else who.delete(from);
  if (who.size) m.set(key, who);
  else m.delete(key);
  S.typing = m;
  changed();
  expireTyping();
}

export function setPresence(ev) {
  const prev = S.presence.get(ev.account) || {};
  S.presence = new Map(S.presence).set(ev.account, { ...prev, account: ev.account, state: ev.state, last_seen: ev.last_seen || prev.last_seen });
  changed();
}

// --- contacts and groups ---

export async function addContact(account, name) {
  await put('/v1/contacts/' + enc(account), name ? { name } : {});
  await loadContacts();
  refreshConvs();
}

export async function verifyContact(account) {
  await post('/v1/contacts/' + enc(account) + '/verify');
  const m = new Map(S.identity);
  m.delete(account);
  S.identity = m;
  await loadContacts();
}

export async function createGroup(name, description, members) {
  const g = await post('/v1/groups', { name, description, members });
  S.groups = new Map(S.groups).set(g.id, g);
  await loadConvs();
  return g;
}

export async function joinGroup(link) {
  const res = await post('/v1/groups/join', { link });
  await loadGroups();
  await loadConvs();
  return res;
}

export { api, del };
