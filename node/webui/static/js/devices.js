// Linked devices: the Devices card of Settings (the list, rename, revoke,
// and a link code with its QR code and countdown), the dialog that asks to
// confirm a new device when a link_request event comes, and the progress
// of a history transfer (history_sync events).
import { html, useState, useEffect } from './html.js';
import { Modal } from './ui.js';
import { S, useSel, changed, report, toast } from './store.js';
import { get, post, put, del, api, qrURL } from './api.js';
import { dayLabel, lastSeen } from './util.js';

// loadDevices reads the account's devices into S.devices.
export async function loadDevices() {
  S.devices = await get('/v1/devices');
  changed();
}

const count = (n) => (n || 0).toLocaleString('en-US');

export function deviceName(id) {
  const d = S.devices && S.devices.devices.find((x) => x.id === id);
  return (d && d.name) || 'device ' + id;
}

// The event stream's device events (events.js calls these).
export function onLinkRequest(ev) {
  S.linkRequest = ev;
  changed();
}
export function onDeviceLinked(ev) {
  S.linkOffer = null; // the code is used
  if (S.linkRequest && S.linkRequest.peer_id === ev.peer_id) S.linkRequest = null;
  changed();
  toast('Linked ' + (ev.name || 'a new device') + '. It is getting your history now.');
  loadDevices().catch(() => {});
}
export function onDeviceRevoked() {
  loadDevices().catch(() => {});
}
export function onHistorySync(ev) {
  S.historySync = ev;
  changed();
}

// seen says when a device was last seen, for the list.
function seen(d) {
  if (d.this) return ''; // the tag says it
  if (d.online) return 'online';
  if (!d.last_seen) return 'not seen since it was linked';
  return lastSeen(d.last_seen);
}

function left(expires, now) {
  const s = Math.max(0, Math.round((Date.parse(expires) - now) / 1000));
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

// LinkOffer shows a link code: its text, its QR code and the time left.
function LinkOffer({ offer, onAgain }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (Date.parse(offer.expires) <= now) {
    return html`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${onAgain}>Make a new code</button>
    </div>`;
  }
  return html`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${qrURL(offer.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${offer.code} onFocus=${(e) => e.target.select()}></textarea>
    <p class="muted" data-expires=${offer.expires}>Expires in ${left(offer.expires, now)}</p>
    <button type="button" class="btn withdraw-link" onClick=${() => withdraw(offer)}>Cancel</button>
  </div>`;
}

// withdraw closes a link code nobody used yet, so it cannot be used later.
async function withdraw(offer) {
  try {
    await api('DELETE', '/v1/devices/link', { code: offer.code });
  } catch (e) {
    report(e);
  }
  S.linkOffer = null;
  changed();
}

function DeviceRow({ d, holdsKey }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(d.name);
  const rename = async (e) => {
    e.preventDefault();
    try {
      await put('/v1/devices/' + d.id, { name: name.trim() });
      setEditing(false);
      await loadDevices();
    } catch (e2) {
      report(e2);
    }
  };
  const edit = () => {
    setName(d.name);
    setEditing(true);
  };
  const revoke = async () => {
    if (!confirm('Revoke ' + (d.name || 'device ' + d.id) + '? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it.')) return;
    try {
      await del('/v1/devices/' + d.id);
      toast('Revoked ' + (d.name || 'device ' + d.id) + '.');
      await loadDevices();
    } catch (e) {
      report(e);
    }
  };
  if (editing) {
    return html`<li data-device=${d.id}>
      <form class="row grow" onSubmit=${rename}>
        <input type="text" class="grow" aria-label="Device name" value=${name} maxlength="64" onInput=${(e) => setName(e.target.value)} />
        <button type="submit" class="btn" disabled=${!name.trim()}>Save</button>
        <button type="button" class="btn" onClick=${() => setEditing(false)}>Cancel</button>
      </form>
    </li>`;
  }
  return html`<li data-device=${d.id}>
    <span class="grow">
      <span class="device-name">${d.name || 'Device ' + d.id}</span>
      ${d.this && html` <span class="role">this device</span>`}
      <div class="relay-stats">${[d.platform, seen(d), 'added ' + dayLabel(d.added_at).toLowerCase()].filter(Boolean).join(' · ')}</div>
    </span>
    <button type="button" class="btn" onClick=${edit} aria-label=${'Rename ' + (d.name || 'device ' + d.id)}>Rename</button>
    ${holdsKey && !d.this && html`<button type="button" class="btn danger" onClick=${revoke} aria-label=${'Revoke ' + (d.name || 'device ' + d.id)}>Revoke</button>`}
  </li>`;
}

export function HistorySyncLine() {
  const h = useSel((s) => s.historySync);
  useSel((s) => s.devices); // the device's name
  if (!h) return null;
  const from = deviceName(h.device);
  if (h.error) return html`<p class="history-sync error-text" role="status">Syncing history from ${from} stopped at ${count(h.done)} (${h.error}); it goes on when the devices meet again.</p>`;
  if ((h.done || 0) >= (h.total || 0)) return html`<p class="history-sync muted" role="status">History synced from ${from}: ${count(h.total)} changes.</p>`;
  return html`<p class="history-sync" role="status">Syncing history from ${from}: ${count(h.done)} of ${count(h.total)}</p>`;
}

export function DevicesCard() {
  const ds = useSel((s) => s.devices);
  const offer = useSel((s) => s.linkOffer);
  useEffect(() => {
    loadDevices().catch(report);
    const t = setInterval(() => loadDevices().catch(() => {}), 30000); // last seen
    return () => clearInterval(t);
  }, []);
  const link = async () => {
    try {
      S.linkOffer = await post('/v1/devices/link');
      changed();
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(ds ? ds.devices : []).map((d) => html`<${DeviceRow} key=${d.id + ':' + d.name} d=${d} holdsKey=${ds.holds_account_key} />`)}
    </ul>
    <${HistorySyncLine} />
    ${ds &&
    (ds.holds_account_key
      ? offer
        ? html`<${LinkOffer} offer=${offer} onAgain=${link} />`
        : html`<button type="button" class="btn link-device" onClick=${link}>Link a device</button>`
      : html`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`;
}

// LinkRequest asks whether the device that used a link code is the one
// the user is linking: the same six digits show on it.
export function LinkRequest() {
  const req = useSel((s) => s.linkRequest);
  if (!req) return null;
  const answer = async (accept) => {
    S.linkRequest = null;
    changed();
    try {
      await post('/v1/devices/link-requests/' + req.id, { accept });
      if (!accept) toast('The device was not linked.');
    } catch (e) {
      report(e);
    }
  };
  return html`<${Modal}
    title="Link a new device?"
    class="link-request"
    onClose=${() => answer(false)}
    actions=${html`<button type="button" class="btn" onClick=${() => answer(false)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${() => answer(true)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${req.name}</strong>${req.platform ? ' (' + req.platform + ')' : ''} asks to join your account.</p>
    <p class="sas" aria-label=${'Confirmation code ' + req.sas} data-sas=${req.sas}>${req.sas.slice(0, 3)} ${req.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`;
}
