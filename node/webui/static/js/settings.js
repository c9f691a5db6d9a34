// Settings: linked devices (devices.js), backups (backup.js), relays, push wake-ups, presence privacy, automatic downloads,
// theme, notifications and signing out of this browser.
import { ProfileCard } from './profile.js';
import { html, useState, useEffect } from './html.js';
import { Icon } from './ui.js';
import { S, useSel, loadAutoDownload, report, toast } from './store.js';
import { get, post, put, del } from './api.js';
import { size, shortID } from './util.js';
import { onLink } from './router.js';
import { notifyPermission, askNotify } from './notify.js';
import { DevicesCard } from './devices.js';
import { BackupCard } from './backup.js';
import { DefaultTimer } from './expiry.js';

export function applyTheme(theme = localStorage.getItem('pigeon.theme') || 'system') {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function Relays() {
  const [relays, setRelays] = useState(null);
  const [addr, setAddr] = useState('');
  const [invite, setInvite] = useState('');
  const load = () => get('/v1/relays').then(setRelays).catch(report);
  useEffect(() => {
    load();
    const t = setInterval(load, 10000);
    return () => clearInterval(t);
  }, []);
  const add = async (e) => {
    e.preventDefault();
    try {
      await post('/v1/relays', invite.trim() ? { addr: addr.trim(), invite: invite.trim() } : { addr: addr.trim() });
      setAddr('');
      setInvite('');
      toast('Relay added: the node reserves a slot there now.');
      load();
    } catch (e2) {
      report(e2);
    }
  };
  const remove = async (r) => {
    if (!confirm('Stop using relay ' + shortID(r.peer_id) + '? What its mailbox holds for you is taken first.')) return;
    try {
      await del('/v1/relays/' + r.peer_id);
      load();
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(relays || []).map(
        (r) => html`<li key=${r.peer_id} data-peer=${r.peer_id}>
          <span class="grow">
            <span class="mono">${r.addr}</span>
            <div class="relay-stats">
              ${r.closing ? 'closing' : r.reserved ? 'connected' : 'not connected'}
              ${r.latency_ms ? ' · ' + r.latency_ms.toFixed(1) + ' ms' : ''}
              ${r.region ? ' · ' + r.region : ''}
              ${r.mailbox ? ' · mailbox' : ''}
              ${r.push && r.push !== 'off' ? ' · push ' + r.push + (r.push_reason ? ' (' + r.push_reason + ')' : '') : ''}
              ${r.last_error ? html` · <span class="error-text">${r.last_error}</span>` : ''}
            </div>
          </span>
          ${!r.closing && html`<button type="button" class="btn danger" onClick=${() => remove(r)} aria-label=${'Remove relay ' + r.addr}>Remove</button>`}
        </li>`,
      )}
      ${relays && !relays.length && html`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${add}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${addr} onInput=${(e) => setAddr(e.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${invite} onInput=${(e) => setInvite(e.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!addr.trim()}>Add relay</button>
    </form>
  </div>`;
}

function Push() {
  const [st, setSt] = useState(null);
  const [kind, setKind] = useState('unifiedpush');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [topic, setTopic] = useState('');
  const load = () => get('/v1/push').then(setSt).catch(report);
  useEffect(() => {
    load();
  }, []);
  const set = async (e) => {
    e.preventDefault();
    const body = { kind };
    if (kind === 'unifiedpush' || kind === 'webhook') body.url = url.trim();
    else body.token = token.trim();
    if (kind === 'apns') body.topic = topic.trim();
    try {
      await put('/v1/push', body);
      toast('Push endpoint set; each relay says below whether it will use it.');
      load();
    } catch (e2) {
      report(e2);
    }
  };
  const clear = async () => {
    try {
      await del('/v1/push');
      load();
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${st &&
    html`<p>${st.endpoint ? 'Now: ' + st.described : 'No push endpoint.'}</p>
      <ul class="list">
        ${st.relays.map((r) => html`<li key=${r.peer_id}><span class="grow mono">${shortID(r.peer_id)}</span><span>${r.state}${r.reason ? ': ' + r.reason : ''}</span></li>`)}
      </ul>`}
    <form onSubmit=${set}>
      <label class="field">
        <span>Kind</span>
        <select value=${kind} onChange=${(e) => setKind(e.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${kind === 'unifiedpush' || kind === 'webhook'
        ? html`<label class="field"><span>URL</span><input type="url" value=${url} onInput=${(e) => setUrl(e.target.value)} /></label>`
        : html`<label class="field"><span>Token</span><input type="text" value=${token} onInput=${(e) => setToken(e.target.value)} /></label>`}
      ${kind === 'apns' && html`<label class="field"><span>Topic</span><input type="text" value=${topic} onInput=${(e) => setTopic(e.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${st && st.endpoint && html`<button type="button" class="btn danger" onClick=${clear}>Turn off</button>`}
      </div>
    </form>
  </div>`;
}

function Privacy() {
  // The daemon's setting: '' until it answered.
  const [who, setWho] = useState('');
  useEffect(() => {
    get('/v1/presence/privacy').then((p) => setWho(p.who)).catch(report);
  }, []);
  const set = async (v) => {
    try {
      await put('/v1/presence/privacy', { who: v });
      setWho(v);
      toast('Saved.');
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${who} onChange=${(e) => set(e.target.value)}>
        ${!who && html`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`;
}

const autoChoices = [
  [0, 'Never (download when I ask)'],
  [1 << 20, 'Files up to 1 MB'],
  [16 << 20, 'Files up to 16 MB'],
  [100 << 20, 'Files up to 100 MB'],
  [16 * 1024 * 1024 * 1024, 'All files'],
];

function AutoDownload() {
  const cur = useSel((s) => s.autoDownload);
  const v = cur ? cur.max_bytes : null;
  const choices = v == null || autoChoices.some(([n]) => n === v) ? autoChoices : [...autoChoices, [v, 'Files up to ' + size(v)]];
  const set = async (n) => {
    try {
      await put('/v1/media-settings/auto-download', { max_bytes: Number(n) });
      await loadAutoDownload();
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${v == null ? '' : String(v)} onChange=${(e) => set(e.target.value)}>
        ${choices.map(([n, label]) => html`<option value=${String(n)}>${label}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`;
}

function Appearance() {
  const [theme, setTheme] = useState(localStorage.getItem('pigeon.theme') || 'system');
  const [perm, setPerm] = useState(notifyPermission());
  const pick = (t) => {
    localStorage.setItem('pigeon.theme', t);
    setTheme(t);
    applyTheme(t);
  };
  return html`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${['system', 'light', 'dark'].map(
          (t) => html`<label key=${t}><input type="radio" name="theme" value=${t} checked=${theme === t} onChange=${() => pick(t)} /> ${t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}</label>`,
        )}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${perm === 'granted'
        ? ' on, while this tab is in the background.'
        : perm === 'denied'
          ? ' blocked in this browser’s site settings.'
          : perm === 'unsupported'
            ? ' not supported by this browser.'
            : html` <button type="button" class="btn" onClick=${async () => setPerm(await askNotify())}>Turn on</button>`}
    </p>
  </div>`;
}

function Session() {
  const logout = async () => {
    try {
      await post('/v1/web/logout');
    } catch (e) {
      if (e.status !== 401) return report(e);
    }
    S.boot = 'signedout';
    S.me = null;
    location.replace('/');
  };
  return html`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${logout}>Sign out</button>
  </div>`;
}

export function SettingsPage() {
  return html`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${onLink}><${Icon} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${ProfileCard} />
      <${DevicesCard} />
      <${BackupCard} />
      <${Appearance} />
      <${Privacy} />
      <${DefaultTimer} />
      <${AutoDownload} />
      <${Relays} />
      <${Push} />
      <${Session} />
    </div>
  </section>`;
}
