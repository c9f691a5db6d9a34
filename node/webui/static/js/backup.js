// Backups: the Backups card of Settings (set up to a folder or an
// S3-compatible store under a recovery key or a passphrase, the recovery
// key shown once and typed back, the status, "Back up now" with its
// progress from the backup_progress and backup_done events, verify, the
// snapshots, and which media go in), the banner that asks every 30 days
// to type the key again (KeyCheckBanner), and the location fields the
// first-run screen's restore uses too (LocationFields).
import { html, useState, useEffect } from './html.js';
import { S, useSel, changed, report, toast } from './store.js';
import { get, post } from './api.js';
import { copy, useAutofocus } from './ui.js';
import { size, dayLabel, clock, percent } from './util.js';

// MIN_PASSPHRASE is the shortest passphrase the daemon takes.
const MIN_PASSPHRASE = 10;

// loadBackup reads GET /v1/backup into S.backup.
export async function loadBackup() {
  S.backup = await get('/v1/backup');
  changed();
}

// onBackupEvent applies backup_progress and backup_done; it reports
// whether ev was one of them.
export function onBackupEvent(ev) {
  switch (ev.type) {
    case 'backup_progress':
      S.backupRun = { done: ev.done || 0, total: ev.total == null ? -1 : ev.total };
      changed();
      return true;
    case 'backup_done':
      S.backupRun = null;
      S.backupDone = ev;
      changed();
      loadBackup().catch(() => {});
      return true;
  }
  return false;
}

const when = (t) => (t ? dayLabel(t) + ' ' + clock(t) : '');

// --- where the backups are ---

// emptyLocation is what LocationFields edits.
export const emptyLocation = () => ({
  kind: 'dir', dir: '', bucket: '', prefix: 'pigeon', endpoint: '', region: '', pathStyle: false, access: '', secret: '',
});

// locationReady says whether loc names a place.
export const locationReady = (loc) => (loc.kind === 'dir' ? !!loc.dir.trim() : !!loc.bucket.trim());

// locationBody turns loc into the API's location: a directory, or
// s3://BUCKET/PREFIX with the store's settings.
export function locationBody(loc) {
  if (loc.kind === 'dir') return { place: loc.dir.trim() };
  const endpoint = loc.endpoint.trim();
  const s3 = { endpoint, region: loc.region.trim(), path_style: loc.pathStyle, access_key: loc.access.trim(), secret_key: loc.secret };
  if (endpoint.startsWith('http://')) s3.insecure = true; // plain http: a store on this computer
  const prefix = loc.prefix.trim().replace(/^\/+|\/+$/g, '');
  return { place: 's3://' + loc.bucket.trim() + (prefix ? '/' + prefix : ''), s3 };
}

// LocationFields edits a backup location: a folder on the computer the
// daemon runs on, or a bucket of an S3-compatible store.
export function LocationFields({ loc, set, legend }) {
  const edit = (k) => (e) => set({ ...loc, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  return html`<fieldset class="field backup-where">
    <legend class="label">${legend}</legend>
    <div class="row">
      <label><input type="radio" name="backup-kind" value="dir" checked=${loc.kind === 'dir'} onChange=${() => set({ ...loc, kind: 'dir' })} /> A folder</label>
      <label><input type="radio" name="backup-kind" value="s3" checked=${loc.kind === 's3'} onChange=${() => set({ ...loc, kind: 's3' })} /> S3-compatible storage</label>
    </div>
    ${loc.kind === 'dir'
      ? html`<label class="field">
          <span>Folder (its full path on the computer the daemon runs on; a disk or a synced folder that is not this one helps)</span>
          <input type="text" class="backup-folder" spellcheck="false" placeholder="/media/usb/pigeon-backup" value=${loc.dir} onInput=${edit('dir')} />
        </label>`
      : html`<div class="backup-s3">
          <div class="row">
            <label class="field grow"><span>Bucket</span><input type="text" class="backup-bucket" spellcheck="false" value=${loc.bucket} onInput=${edit('bucket')} /></label>
            <label class="field grow"><span>Prefix (a folder in the bucket)</span><input type="text" spellcheck="false" value=${loc.prefix} onInput=${edit('prefix')} /></label>
          </div>
          <div class="row">
            <label class="field grow"><span>Endpoint (empty: AWS)</span><input type="text" spellcheck="false" placeholder="https://s3.example.com" value=${loc.endpoint} onInput=${edit('endpoint')} /></label>
            <label class="field grow"><span>Region</span><input type="text" spellcheck="false" placeholder="us-east-1" value=${loc.region} onInput=${edit('region')} /></label>
          </div>
          <label class="check"><input type="checkbox" checked=${loc.pathStyle} onChange=${edit('pathStyle')} /> Path-style addressing (MinIO, Garage, Ceph)</label>
          <div class="row">
            <label class="field grow"><span>Access key</span><input type="text" spellcheck="false" autocomplete="off" value=${loc.access} onInput=${edit('access')} /></label>
            <label class="field grow"><span>Secret key</span><input type="password" autocomplete="new-password" value=${loc.secret} onInput=${edit('secret')} /></label>
          </div>
        </div>`}
  </fieldset>`;
}

// --- media ---

const MB = 1024 * 1024;

// mediaForm turns the API's media choice into the form's text fields,
// and back.
const mediaForm = (m) => ({
  include: !!(m && m.include),
  days: m && m.max_age_days ? String(m.max_age_days) : '',
  mb: m && m.max_size ? String(Math.round(m.max_size / MB)) : '',
});
const mediaBody = (f) => ({
  include: f.include,
  max_age_days: f.include && f.days.trim() ? Math.max(0, parseInt(f.days, 10) || 0) : 0,
  max_size: f.include && f.mb.trim() ? Math.max(0, Math.round(parseFloat(f.mb) * MB) || 0) : 0,
});

function MediaFields({ f, set }) {
  const edit = (k) => (e) => set({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  return html`<fieldset class="field backup-media">
    <legend class="label">Media</legend>
    <label class="check"><input type="checkbox" class="backup-media-include" checked=${f.include} onChange=${edit('include')} /> Include photos, videos and files</label>
    ${f.include &&
    html`<div class="row">
      <label class="field grow"><span>Only from the last … days (empty: any age)</span><input type="number" min="1" class="backup-media-days" value=${f.days} onInput=${edit('days')} /></label>
      <label class="field grow"><span>Only files up to … MB (empty: any size)</span><input type="number" min="1" class="backup-media-mb" value=${f.mb} onInput=${edit('mb')} /></label>
    </div>`}
    <p class="muted">Without media, a backup holds your messages, contacts, groups and settings; photos and files are then lost with this device.</p>
  </fieldset>`;
}

// MediaSetting changes which media go into the backups (POST /v1/backup/media).
function MediaSetting({ media }) {
  const [f, setF] = useState(() => mediaForm(media));
  const [saved, setSaved] = useState(false);
  const save = async (e) => {
    e.preventDefault();
    try {
      await post('/v1/backup/media', mediaBody(f));
      setSaved(true);
      await loadBackup();
    } catch (e2) {
      report(e2);
    }
  };
  return html`<form class="backup-media-form" onSubmit=${save}>
    <${MediaFields} f=${f} set=${(v) => (setF(v), setSaved(false))} />
    <div class="row">
      <button type="submit" class="btn">Save media choice</button>
      ${saved && html`<span class="muted" role="status">Saved: the next backup follows it.</span>`}
    </div>
  </form>`;
}

// --- setting up ---

// useKeyChoice is the state of a key choice (KeyChoice): a recovery key
// made for the user, or a passphrase typed twice; ok once it can be sent.
function useKeyChoice() {
  const [kind, setKind] = useState('recovery');
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const ok = kind === 'recovery' || (pass.length >= MIN_PASSPHRASE && pass === again);
  return { kind, setKind, pass, setPass, again, setAgain, ok };
}

// KeyChoice asks for the kind of key, and the passphrase twice.
function KeyChoice({ k, legend }) {
  const { kind, setKind, pass, setPass, again, setAgain } = k;
  const passErr =
    kind !== 'passphrase' || (!pass && !again)
      ? ''
      : pass.length < MIN_PASSPHRASE
        ? 'At least ' + MIN_PASSPHRASE + ' characters.'
        : again && again !== pass
          ? 'The two passphrases differ.'
          : '';
  return html`<fieldset class="field backup-key-kind">
      <legend class="label">${legend}</legend>
      <label><input type="radio" name="backup-key" value="recovery" checked=${kind === 'recovery'} onChange=${() => setKind('recovery')} /> A recovery key made for you (64 characters to write down)</label>
      <label><input type="radio" name="backup-key" value="passphrase" checked=${kind === 'passphrase'} onChange=${() => setKind('passphrase')} /> A passphrase I choose</label>
    </fieldset>
    ${kind === 'passphrase' &&
    html`<div class="backup-passphrase">
      <p class="warn-text">A passphrase cannot be recovered if you lose it: nobody, not even Pigeon, can open the backups without it.</p>
      <label class="field"><span>Passphrase (at least ${MIN_PASSPHRASE} characters)</span><input type="password" class="backup-pass" autocomplete="new-password" value=${pass} onInput=${(e) => setPass(e.target.value)} /></label>
      <label class="field"><span>The passphrase again</span><input type="password" class="backup-pass-again" autocomplete="new-password" value=${again} onInput=${(e) => setAgain(e.target.value)} /></label>
      ${passErr && html`<p class="error-text" role="alert">${passErr}</p>`}
    </div>`}`;
}

function SetupForm({ st, onDone, onCancel }) {
  const [loc, setLoc] = useState(emptyLocation);
  const k = useKeyChoice();
  const { kind, pass } = k;
  const [media, setMedia] = useState(() => mediaForm(st.media));
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const ok = locationReady(loc) && k.ok;
  const submit = async (e) => {
    e.preventDefault();
    if (!ok) return;
    setBusy(true);
    setErr('');
    const { place, s3 } = locationBody(loc);
    const body = { to: place };
    if (s3) body.s3 = s3;
    if (kind === 'passphrase') body.passphrase = pass;
    if (st.media !== undefined) body.media = mediaBody(media); // a daemon that knows the media choice
    try {
      const res = await post('/v1/backup/setup', body);
      await loadBackup();
      onDone(res && res.key ? res.key : '');
    } catch (e2) {
      setErr(e2.message);
    }
    setBusy(false);
  };
  return html`<form class="backup-setup" onSubmit=${submit}>
    <${LocationFields} loc=${loc} set=${setLoc} legend="Where to keep the backups" />
    <${KeyChoice} k=${k} legend="Key" />
    ${st.media !== undefined && html`<${MediaFields} f=${media} set=${setMedia} />`}
    ${err && html`<p class="error-text backup-error" role="alert">${err}</p>`}
    <div class="row">
      ${onCancel && html`<button type="button" class="btn" onClick=${onCancel}>Cancel</button>`}
      <button type="submit" class="btn primary" disabled=${busy || !ok}>${busy ? 'Setting up…' : 'Set up backups'}</button>
    </div>
  </form>`;
}

// ChangeKeyForm makes a new key open the backups instead of the current
// one (POST /v1/backup/change-key): the way out when the key is lost,
// while this device still holds the current one.
function ChangeKeyForm({ onDone, onCancel }) {
  const k = useKeyChoice();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    if (!k.ok) return;
    setBusy(true);
    setErr('');
    try {
      const res = await post('/v1/backup/change-key', k.kind === 'passphrase' ? { passphrase: k.pass } : {});
      await loadBackup();
      if (!res.key) toast('The new passphrase opens your backups now.');
      onDone(res.key || '');
    } catch (e2) {
      setErr(e2.message);
    }
    setBusy(false);
  };
  return html`<form class="backup-change-key" onSubmit=${submit}>
    <p>A new key opens your backups from now on, the ones made so far too; the current key stops opening them.</p>
    <${KeyChoice} k=${k} legend="New key" />
    ${err && html`<p class="error-text backup-error" role="alert">${err}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${onCancel}>Cancel</button>
      <button type="submit" class="btn primary" disabled=${busy || !k.ok}>${busy ? 'Changing…' : 'Change the key'}</button>
    </div>
  </form>`;
}

// keyGroups splits a recovery key into groups of four characters.
export const keyGroups = (key) => key.replace(/[^0-9A-Za-z]/g, '').match(/.{1,4}/g) || [];

// ShowKey shows the recovery key the daemon just made, once.
function ShowKey({ recoveryKey, onWritten }) {
  const [copied, setCopied] = useState(false);
  const groups = keyGroups(recoveryKey);
  return html`<div class="backup-show-key">
    <p class="warn-text" role="alert"><strong>Write this recovery key down now</strong> and keep it somewhere safe, away from this computer. It is shown only this once: without it your backups cannot be restored.</p>
    <p class="recovery-key safety" aria-label="Recovery key" data-key=${recoveryKey}>
      ${groups.map((g, i) => html`<span key=${i}>${g}</span>`)}
    </p>
    <div class="row">
      <button type="button" class="btn copy-key" onClick=${async () => setCopied(await copy(groups.join(' ')))}>${copied ? 'Copied' : 'Copy'}</button>
      <button type="button" class="btn primary key-written" onClick=${onWritten}>I wrote it down</button>
    </div>
  </div>`;
}

// ConfirmKey asks for the recovery key to be typed back: backups start
// once it matches (POST /v1/backup/confirm).
function ConfirmKey({ intro }) {
  const [key, setKey] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const ref = useAutofocus();
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr('');
    try {
      S.backup = await post('/v1/backup/confirm', { key });
      changed();
      toast('Recovery key confirmed: backups start now.');
    } catch (e2) {
      setErr(e2.message);
    }
    setBusy(false);
  };
  return html`<form class="backup-confirm" onSubmit=${submit}>
    <p>${intro}</p>
    <label class="field">
      <span>Recovery key</span>
      <input type="text" class="mono backup-confirm-key" autocomplete="off" spellcheck="false" autocapitalize="characters" value=${key} onInput=${(e) => setKey(e.target.value)} ref=${ref} />
    </label>
    ${err && html`<p class="error-text backup-error" role="alert">${err}</p>`}
    <button type="submit" class="btn primary" disabled=${busy || !key.trim()}>Confirm</button>
  </form>`;
}

// --- the key check every 30 days ---

// LATER (in sessionStorage) hides the key check for this browser session.
const LATER = 'pigeon.backup-key-later';

// wrongKeyAdvice is what to do when the key typed does not open the
// backups: this device still has everything, so new backups under a new
// key keep the account safe (a key cannot be changed in place).
const wrongKeyAdvice =
  'If you no longer have the key, make a new one (Settings › Backups › New key) while this device still holds the current one: the backups made so far open with the new key too.';

function KeyCheck({ st, onLater, where }) {
  const [key, setKey] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr('');
    try {
      S.backup = await post('/v1/backup/check-key', { key });
      changed();
      toast('That is your backup key: keep it safe.');
    } catch (e2) {
      setErr(e2.code === 'wrong_key' ? 'That is not the key of your backups. ' + wrongKeyAdvice : e2.message);
    }
    setBusy(false);
  };
  const label = st.recovery_key ? 'Recovery key' : 'Passphrase';
  return html`<form class=${'key-check ' + where} onSubmit=${submit}>
    <span class="grow">Check that you still have your backup key: type your ${st.recovery_key ? 'recovery key' : 'passphrase'}.</span>
    <div class="row">
      <input
        type=${st.recovery_key ? 'text' : 'password'}
        class="grow key-check-input mono"
        aria-label=${label}
        autocomplete="off"
        spellcheck="false"
        value=${key}
        onInput=${(e) => setKey(e.target.value)}
      />
      <button type="submit" class="btn" disabled=${busy || !key.trim()}>Check</button>
      ${onLater && html`<button type="button" class="btn key-check-later" onClick=${onLater}>Later</button>`}
    </div>
    ${err && html`<p class="error-text key-check-error" role="alert">${err}</p>`}
  </form>`;
}

// KeyCheckBanner asks, in the chat list, to type the backup key again
// when the daemon says the 30-day check is due; "Later" hides it for
// this session. It never blocks chatting.
export function KeyCheckBanner() {
  const st = useSel((s) => s.backup);
  const [later, setLater] = useState(sessionStorage.getItem(LATER) === '1');
  if (!st || !st.set_up || !st.key_check_due || later) return null;
  const hide = () => {
    sessionStorage.setItem(LATER, '1');
    setLater(true);
  };
  return html`<div class="banner key-check-banner" role="region" aria-label="Backup key check">
    <${KeyCheck} st=${st} onLater=${hide} where="in-banner" />
  </div>`;
}

// --- the status ---

function Verify() {
  const [rep, setRep] = useState(null);
  const [busy, setBusy] = useState('');
  const run = async (full) => {
    setBusy(full ? 'full' : 'light');
    setRep(null);
    try {
      // A damaged backup answers 502 with the report: read it either way.
      const res = await fetch('/v1/backup/verify' + (full ? '?full=1' : ''), { method: 'POST', credentials: 'same-origin' });
      const body = await res.json().catch(() => null);
      if (!res.ok && !(body && body.problems)) throw new Error((body && body.error) || 'verify failed (' + res.status + ')');
      setRep({ ...body, full });
      loadBackup().catch(() => {});
    } catch (e) {
      setRep({ error: e.message });
    }
    setBusy('');
  };
  return html`<div class="backup-verify">
    <div class="row">
      <button type="button" class="btn verify-light" disabled=${!!busy} onClick=${() => run(false)}>${busy === 'light' ? 'Verifying…' : 'Verify'}</button>
      <button type="button" class="btn verify-full" disabled=${!!busy} onClick=${() => run(true)}>${busy === 'full' ? 'Verifying fully…' : 'Verify fully'}</button>
    </div>
    <p class="muted">Verify checks that every snapshot’s parts are there; Verify fully downloads and decrypts them all.</p>
    ${rep &&
    (rep.error
      ? html`<p class="error-text verify-report" role="alert">${rep.error}</p>`
      : rep.problems && rep.problems.length
        ? html`<div class="verify-report" role="alert" data-ok="false">
            <p class="error-text">The backups are damaged: ${rep.problems.length} problem${rep.problems.length === 1 ? '' : 's'}. Back up now to store a sound copy, and keep the damaged place from being used by anything else.</p>
            <ul>${rep.problems.map((p, i) => html`<li key=${i} class="mono">${p}</li>`)}</ul>
          </div>`
        : html`<p class="verify-report" role="status" data-ok="true">
            ${rep.full ? 'Verified fully' : 'Verified'}: ${rep.snapshots} snapshot${rep.snapshots === 1 ? '' : 's'}, ${rep.chunks} chunks${rep.full ? ', ' + size(rep.bytes) + ' read and decrypted' : ''}. All good.
          </p>`)}
  </div>`;
}

function Snapshots({ tick }) {
  const [snaps, setSnaps] = useState(null);
  useEffect(() => {
    get('/v1/backup/snapshots').then(setSnaps).catch(report);
  }, [tick]);
  if (!snaps) return null;
  return html`<div class="backup-snapshots">
    <h4>Snapshots</h4>
    <ul class="list">
      ${snaps.map(
        (s) => html`<li key=${s.id} data-snapshot=${s.id}>
          <span class="grow">${when(s.time)}</span>
          <span class="muted">${s.items} item${s.items === 1 ? '' : 's'}</span>
          <span>${size(s.bytes)}</span>
        </li>`,
      )}
      ${!snaps.length && html`<li class="muted">No snapshot yet.</li>`}
    </ul>
  </div>`;
}

// errorAdvice says what to do about the last failed backup.
function errorAdvice(st) {
  return st.location && st.location.startsWith('s3://')
    ? 'Check that the store can be reached and that its access key still works, then back up now.'
    : 'Check that the folder is there (the disk plugged in) and has free space, then back up now.';
}

function Status({ st, onSetupAgain, onNewKey }) {
  const run = useSel((s) => s.backupRun);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const now = async () => {
    setBusy(true);
    S.backupRun = { done: 0, total: -1 };
    changed();
    try {
      const res = await post('/v1/backup/run');
      toast('Backed up: ' + size(res.bytes) + ' (' + size(res.uploaded || 0) + ' uploaded).');
    } catch (e) {
      report(e);
    }
    S.backupRun = null;
    changed();
    setBusy(false);
    setTick((t) => t + 1);
    loadBackup().catch(() => {});
  };
  const running = busy || run;
  return html`<div class="backup-status" data-snapshot=${st.last_snapshot || ''}>
    <dl class="facts">
      <dt>Location</dt><dd class="mono backup-location">${st.location}</dd>
      <dt>Key</dt><dd>${st.recovery_key ? 'Recovery key' : 'Passphrase'}${st.key_checked_at ? ', last checked ' + when(st.key_checked_at) : ''}</dd>
      <dt>Last backup</dt>
      <dd class="backup-last">${st.last_backup ? when(st.last_backup) + ' · ' + size(st.last_bytes || 0) + ' · ' + size(st.last_uploaded || 0) + ' uploaded' : 'None yet'}</dd>
      ${st.next_backup && html`<dt>Next backup</dt><dd>${when(st.next_backup)}</dd>`}
      <dt>Last verify</dt><dd>${st.last_verify ? when(st.last_verify) : 'Not yet'}</dd>
    </dl>
    ${st.last_error &&
    html`<div class="backup-last-error" role="alert">
      <p class="error-text">The last backup failed ${when(st.last_error_at)}: ${st.last_error}</p>
      <p>${errorAdvice(st)}</p>
    </div>`}
    ${st.key_check_due && html`<${KeyCheck} st=${st} where="in-card" />`}
    <div class="backup-run">
      <button type="button" class="btn primary backup-now" disabled=${running} onClick=${now}>${running ? 'Backing up…' : 'Back up now'}</button>
      ${running &&
      html`<div class="backup-progress" role="status">
        ${run && run.total > 0
          ? html`<progress max=${run.total} value=${Math.min(run.done, run.total)} aria-label="Backup progress"></progress>
              <span class="muted">${size(run.done)} of ${size(run.total)} (${percent(run.done, run.total)}%)</span>`
          : html`<progress aria-label="Backup progress"></progress><span class="muted">${run && run.done ? size(run.done) + ' read' : 'Starting…'}</span>`}
      </div>`}
    </div>
    <${Verify} />
    <${Snapshots} tick=${tick + ':' + (st.last_snapshot || '')} />
    ${st.media !== undefined && html`<${MediaSetting} media=${st.media} />`}
    <div class="row">
      <button type="button" class="btn backup-new-key" onClick=${onNewKey}>New key</button>
      <button type="button" class="btn backup-again" onClick=${onSetupAgain}>Set up again (another place)</button>
    </div>
  </div>`;
}

export function BackupCard() {
  const st = useSel((s) => s.backup);
  const lastDone = useSel((s) => s.backupDone);
  // The recovery key the daemon just made: only in this component, so it
  // is shown once (leaving the screen forgets it).
  const [shown, setShown] = useState('');
  const [again, setAgain] = useState(false);
  const [changing, setChanging] = useState(false);
  useEffect(() => {
    loadBackup().catch(report);
  }, []);
  let body;
  if (!st) {
    body = html`<p class="muted">Loading…</p>`;
  } else if (!st.set_up || again) {
    body = html`<p class="muted">Backups keep your account, contacts, groups and history, end-to-end encrypted, in a folder or a storage bucket you choose, so that a new device can restore them if this one is lost.</p>
      <${SetupForm}
        st=${st}
        onDone=${(key) => {
          setShown(key);
          setAgain(false);
        }}
        onCancel=${st.set_up ? () => setAgain(false) : null}
      />`;
  } else if (shown) {
    body = html`<${ShowKey} recoveryKey=${shown} onWritten=${() => setShown('')} />`;
  } else if (changing) {
    body = html`<${ChangeKeyForm}
      onDone=${(key) => {
        setShown(key);
        setChanging(false);
      }}
      onCancel=${() => setChanging(false)}
    />`;
  } else if (st.recovery_key && !st.confirmed) {
    body = html`<div class="backup-unconfirmed">
        <p class="warn-text" role="alert">Backups are set up at <span class="mono">${st.location}</span> but <strong>not running</strong>: the recovery key was not typed back yet.</p>
        <${ConfirmKey} intro="Type the recovery key you wrote down to confirm it; backups start then." />
        <button type="button" class="btn backup-again" onClick=${() => setAgain(true)}>Lost it? Set up again</button>
      </div>`;
  } else {
    body = html`<${Status}
      st=${st}
      onNewKey=${() => setChanging(true)}
      onSetupAgain=${() => confirm('Set up backups again? Backups go to the new place under the new key from now on; the old ones stay where they are.') && setAgain(true)}
    />`;
  }
  const state = !st ? '' : !st.set_up ? 'none' : st.confirmed ? 'running' : 'unconfirmed';
  return html`<div class="card backups" id="backups" data-state=${state} data-done=${lastDone ? lastDone.id || lastDone.error || '' : undefined}>
    <h3>Backups</h3>
    ${body}
  </div>`;
}
