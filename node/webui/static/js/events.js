// The daemon's event stream (/v1/events), followed with its cursor: every
// frame has a seq, the first is {"type":"hello","epoch","seq"}. The first
// stream reads everything shown (the REST calls) once hello came; a client
// that reconnects with ?epoch=E&after=N first gets every event after N
// (none lost, none twice), or {"type":"reset"} when the daemon cannot
// replay them (it restarted, or N fell out of its buffer), after which it
// reads everything again.
import {
  S, changed, reloadAll, addMessage, patchMessage, knownMessage, refreshConvs, setTyping, setPresence,
  setProgress, mediaState, loadContacts, loadGroup, loadGroups, loadConvs, markRead, toast,
} from './store.js';
import { peerKey, groupKey, keyOf } from './util.js';
import { notifyMessage } from './notify.js';
import { onActionEvent } from './actions.js';
import { onLinkRequest, onDeviceLinked, onDeviceRevoked, onHistorySync } from './devices.js';
import { loadSocial, onSocialEvent } from './profile.js';
import { onExpiryEvent } from './expiry.js';
import { onBackupEvent, loadBackup } from './backup.js';

let ws = null;
let epoch = '';
let seq = 0; // the last seq applied
let helloSeq = 0; // the seq the current connection's hello named
let resumed = false; // the current connection was opened with a cursor
let retry = 250;
let timer = 0;
let queue = Promise.resolve(); // events are applied one after another

// cursor is where the stream resumes: exported for tests and the status
// line.
export const cursor = () => ({ epoch, seq });

export function connect() {
  clearTimeout(timer);
  if (ws) return;
  resumed = !!epoch;
  const q = resumed ? '?epoch=' + encodeURIComponent(epoch) + '&after=' + seq : '';
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const sock = new WebSocket(proto + '//' + location.host + '/v1/events' + q);
  ws = sock;
  sock.onmessage = (e) => {
    let ev;
    try {
      ev = JSON.parse(e.data);
    } catch {
      return;
    }
    queue = queue.then(() => handle(ev)).catch((err) => console.error('pigeon: event', ev.type, err));
  };
  sock.onclose = () => {
    if (ws !== sock) return;
    ws = null;
    S.conn = 'down';
    changed();
    timer = setTimeout(connect, retry);
    retry = Math.min(retry * 2, 5000);
  };
}

// reconnect drops the stream and opens it again at once (after the
// browser went online again, or a tab came back from sleep).
export function reconnect() {
  if (ws && ws.readyState === WebSocket.OPEN) return;
  if (ws) {
    const old = ws;
    ws = null;
    old.onclose = null;
    old.close();
  }
  retry = 250;
  connect();
}

async function handle(ev) {
  if (ev.type === 'hello') {
    epoch = ev.epoch || '';
    helloSeq = ev.seq || 0;
    S.conn = 'live';
    retry = 250;
    changed();
    // Resuming, the replay follows from our seq (or a reset when the
    // daemon cannot replay). A first stream starts after the hello's seq:
    // read everything now; events after it follow and are applied after.
    if (!resumed) {
      seq = helloSeq;
      await Promise.all([reloadAll(), loadSocial().catch(() => {}), loadBackup().catch(() => {})]);
    }
    return;
  }
  if (ev.type === 'reset') {
    seq = helloSeq;
    await Promise.all([reloadAll(), loadSocial().catch(() => {}), loadBackup().catch(() => {})]);
    return;
  }
  if (typeof ev.seq === 'number') {
    if (ev.seq <= seq) return; // seen before: none twice
    seq = ev.seq;
  }
  apply(ev);
}

function apply(ev) {
  if (onSocialEvent(ev)) return;
  if (onExpiryEvent(ev)) return;
  if (onBackupEvent(ev)) return;
  switch (ev.type) {
    case 'message_received': {
      const m = ev.message;
      if (!m) return;
      const incoming = m.direction === 'in';
      addMessage(m, { incoming });
      if (incoming) {
        if (m.kind !== 'device') notifyMessage(m, ev.muted); // a notice, not a message
        markRead(keyOf(m));
        refreshConvs();
      }
      return;
    }
    case 'chat_prefs_changed':
      refreshConvs();
      return;
    case 'message_state_changed': {
      const found = patchMessage(ev.id, (m) => ({ ...m, state: ev.state, pending: ev.state === 'pending' ? m.pending : undefined }));
      if (!found) knownMessage(ev.id);
      return;
    }
    case 'message_edited':
    case 'message_deleted':
    case 'reaction_changed':
      onActionEvent(ev);
      return;
    case 'message_pending': {
      const pending = { code: ev.code, reason: ev.reason, attempts: ev.attempts, next_attempt: ev.next_attempt };
      for (const id of ev.ids || []) patchMessage(id, (m) => (m.state === 'pending' ? { ...m, pending } : m));
      return;
    }
    case 'typing':
      setTyping(peerKey(ev.from), ev.from, ev.active, ev.until);
      return;
    case 'group_typing':
      setTyping(groupKey(ev.group), ev.from, ev.active, ev.until);
      return;
    case 'presence':
      setPresence(ev);
      return;
    case 'group_changed':
      loadGroup(ev.group)
        .then(() => (ev.change === 'created' || ev.change === 'member_added' || ev.change === 'member_joined' ? loadConvs() : null))
        .catch(() => {});
      return;
    case 'group_receipt':
      S.receiptTick = (S.receiptTick || 0) + 1; // an open receipts view reads them again
      changed();
      return;
    case 'media_progress':
      setProgress(ev);
      return;
    case 'media_state':
      mediaState(ev);
      return;
    case 'contact_changed':
      loadContacts().then(refreshConvs).catch(() => {});
      return;
    case 'identity_changed':
      S.identity = new Map(S.identity).set(ev.account, ev);
      changed();
      loadContacts().catch(() => {});
      return;
    case 'storage':
      S.storageFull = ev.state === 'full';
      changed();
      if (S.storageFull) toast('The disk is nearly full: Pigeon cannot store new messages or files until you free some space.', 'error');
      return;
    case 'link_request':
      onLinkRequest(ev);
      return;
    case 'device_linked':
      onDeviceLinked(ev);
      return;
    case 'device_revoked':
      onDeviceRevoked(ev);
      return;
    case 'history_sync':
      onHistorySync(ev);
      return;
    case 'dropped':
      // Only a client that reads too slowly sees this; read it all again.
      reloadAll().catch(() => {});
      loadGroups().catch(() => {});
      return;
  }
}
