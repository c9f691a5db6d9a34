// First run: the daemon runs in setup mode (`pigeon daemon --setup`) on a
// home without an account. This screen creates one, or links this device
// to an account the user already has: the pigeon-link: code from the
// other device (pasted, or read from its QR code), then the six digits to
// compare there, then the history's progress; or restores the account
// from its backups (where they are and their key, then the restore's
// progress). The app starts when the node runs (GET /v1/setup says so).
import { html, useState } from './html.js';
import { S, useSel, changed } from './store.js';
import { get, post } from './api.js';
import { size } from './util.js';
import { ScanQR } from './qr.js';
import { LocationFields, emptyLocation, locationReady, locationBody } from './backup.js';

const POLL_MS = 500;
let finish = null; // resolves untilSetUp's promise
let draftName = ''; // the device's name, kept for another try after a failed link
let draftPlace = emptyLocation(); // where the backups are, kept for another try after a failed restore

// Error codes of a failed restore (the restore form shows them).
const restoreCodes = new Set(['wrong_key', 'restore_failed', 'backup_damaged']);

// untilSetUp shows the setup screen and resolves once this device has an
// account and its node runs (or the user opens the app while the history
// still arrives).
export function untilSetUp() {
  S.boot = 'setup';
  S.setup = null;
  changed();
  return new Promise((ok) => {
    finish = ok;
    poll();
  });
}

function done() {
  const ok = finish;
  finish = null;
  if (ok) ok();
}

async function poll() {
  if (!finish) return;
  try {
    S.setup = await get('/v1/setup');
    S.setupDown = '';
  } catch (e) {
    S.setupDown = e.message; // shown, and tried again
  }
  changed();
  if (S.setup && S.setup.state === 'ready') {
    done();
    return;
  }
  setTimeout(poll, POLL_MS);
}

const count = (n) => (n || 0).toLocaleString('en-US');

function Choice({ failed, onLink, onRestore }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const create = async () => {
    setBusy(true);
    setErr('');
    try {
      await post('/v1/setup/create');
      S.setup = { state: 'creating' };
      changed();
    } catch (e) {
      setErr(e.message);
    }
    setBusy(false);
  };
  return html`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${busy} onClick=${create}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${busy} onClick=${onLink}>Link to an account I already have</button>
    <button type="button" class="btn restore-account" disabled=${busy} onClick=${onRestore}>Restore from a backup</button>
    ${(err || failed) && html`<p class="error-text setup-error" role="alert">${err || failed.error}</p>`}
  </div>`;
}

function LinkForm({ failed, onBack }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState(draftName);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr('');
    try {
      await post('/v1/setup/link', { code: code.trim(), name: name.trim() });
      S.setup = { state: 'linking' };
      changed();
    } catch (e2) {
      setErr(e2.message);
    }
    setBusy(false);
  };
  const shown = err || (failed && failed.error);
  return html`<form class="setup-link" onSubmit=${submit}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${code} onInput=${(e) => setCode(e.target.value)}></textarea>
    </label>
    <${ScanQR} onText=${setCode} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${name} onInput=${(e) => setName((draftName = e.target.value))} />
    </label>
    ${shown && html`<p class="error-text setup-error" role="alert" data-code=${err ? '' : failed.code}>${shown}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${onBack}>Back</button>
      <button type="submit" class="btn primary" disabled=${busy || !code.trim()}>Link this device</button>
    </div>
  </form>`;
}

// RestoreForm asks where the backups are and their key, and starts the
// restore (POST /v1/setup/restore): a wrong key or a place without
// backups is refused at once, to correct and try again.
function RestoreForm({ failed, onBack }) {
  const [loc, setLoc] = useState(draftPlace);
  const [key, setKey] = useState('');
  const [showKey, setShowKey] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    const { place, s3 } = locationBody(loc);
    const body = { from: place, key };
    if (s3) body.s3 = s3;
    try {
      await post('/v1/setup/restore', body);
      S.setup = { state: 'restoring' };
      changed();
    } catch (e2) {
      setErr({ code: e2.code, error: e2.message });
    }
    setBusy(false);
  };
  const shown = err || failed;
  return html`<form class="setup-restore" onSubmit=${submit}>
    <p>Restore your account from the backups another device made: this device becomes a new device of that account, with its contacts, groups and history.</p>
    <${LocationFields} loc=${loc} set=${(v) => setLoc((draftPlace = v))} legend="Where the backups are" />
    <label class="field">
      <span>Recovery key or passphrase</span>
      <div class="row">
        <input type=${showKey ? 'text' : 'password'} class="grow mono restore-key" autocomplete="off" spellcheck="false" value=${key} onInput=${(e) => setKey(e.target.value)} />
        <button type="button" class="btn" aria-pressed=${showKey} onClick=${() => setShowKey(!showKey)}>${showKey ? 'Hide' : 'Show'}</button>
      </div>
    </label>
    ${shown && html`<p class="error-text setup-error" role="alert" data-code=${shown.code || ''}>${shown.error}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${onBack}>Back</button>
      <button type="submit" class="btn primary" disabled=${busy || !key.trim() || !locationReady(loc)}>${busy ? 'Checking the key…' : 'Restore'}</button>
    </div>
  </form>`;
}

export function SetupScreen() {
  const st = useSel((s) => s.setup);
  const down = useSel((s) => s.setupDown);
  const [mode, setMode] = useState(''); // '' until the user picks: choice, link or restore
  let body;
  if (!st) {
    body = html`<p class="muted">Asking the daemon…</p>`;
  } else if (st.state === 'creating') {
    body = html`<p role="status">Creating your account…</p>`;
  } else if (st.state === 'linking') {
    body = st.sas
      ? html`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${'Confirmation code ' + st.sas} data-sas=${st.sas}>${st.sas.slice(0, 3)} ${st.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`
      : html`<p role="status">Asking your other device…</p>`;
  } else if (st.state === 'restoring') {
    const r = st.restore || {};
    body = html`<p class="setup-restoring" role="status">${r.total
        ? 'Restoring your account from the backup: ' + size(r.done) + ' of ' + size(r.total)
        : 'Restoring your account from the backup…'}</p>
      ${r.total ? html`<progress max=${r.total} value=${Math.min(r.done || 0, r.total)} aria-label="Restore progress"></progress>` : html`<progress aria-label="Restore progress"></progress>`}
      <p class="muted">Pigeon opens when the history is in.</p>`;
  } else if (st.state === 'ready' && !st.history) {
    body = html`<p role="status">Starting Pigeon…</p>`;
  } else if (st.state === 'syncing' || st.state === 'ready') {
    const h = st.history || {};
    body = html`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${h.error
        ? 'Getting your history stopped (' + h.error + '); it goes on when the devices meet again.'
        : 'Getting your history: ' + count(h.done) + ' of ' + count(h.total)}</p>
      <progress max=${h.total || 1} value=${h.done || 0}></progress>
      <button type="button" class="btn open-app" onClick=${done}>Open Pigeon now</button>`;
  } else if (mode === 'restore' || (mode === '' && st.error && restoreCodes.has(st.error.code))) {
    body = html`<${RestoreForm} failed=${st.error && restoreCodes.has(st.error.code) ? st.error : null} onBack=${() => setMode('choice')} />`;
  } else if (mode === 'link' || (mode === '' && st.error && st.error.code !== 'internal')) {
    body = html`<${LinkForm} failed=${st.error} onBack=${() => setMode('choice')} />`;
  } else {
    body = html`<p>This device has no Pigeon account yet.</p><${Choice} failed=${st.error} onLink=${() => setMode('link')} onRestore=${() => setMode('restore')} />`;
  }
  return html`<main class="signin setup" aria-labelledby="setup-title" data-state=${st ? st.state : ''}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${body}
    ${down && html`<p class="error-text" role="alert">${down}</p>`}
  </main>`;
}
