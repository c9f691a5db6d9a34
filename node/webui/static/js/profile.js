// Profiles, message requests and blocking: my name and avatar (settings),
// the "Requests" entry of the chat list and its page, block/unblock in a
// contact's details. State lives in S: S.profiles (account -> Profile),
// S.requests ([Conversation]), S.blocked (Set of accounts), S.myProfile.
import { html, useState, useEffect } from './html.js';
import { S, changed, useSel, report, toast, loadContacts, refreshConvs } from './store.js';
import { get, post, put, del, enc } from './api.js';
import { Icon, Avatar } from './ui.js';
import { onLink, navigate } from './router.js';
import { shortID, listTime } from './util.js';

// maxAvatar is the daemon's limit; pictures are downscaled below it.
const maxAvatar = 48 << 10;

// loadSocial reads profiles, requests and blocked accounts (at start, and
// when the event stream says they changed).
export async function loadSocial() {
  const [profiles, requests, blocked, mine] = await Promise.all([
    get('/v1/profiles').catch(() => []),
    get('/v1/requests').catch(() => []),
    get('/v1/blocked').catch(() => []),
    get('/v1/profile').catch(() => null),
  ]);
  S.profiles = new Map(profiles.map((p) => [p.account, p]));
  S.requests = requests;
  S.blocked = new Set(blocked.map((b) => b.account));
  S.myProfile = mine;
  changed();
}

// onSocialEvent applies the events of this module; false for others.
export function onSocialEvent(ev) {
  switch (ev.type) {
    case 'profile_changed':
    case 'blocked_changed':
    case 'request_received':
    case 'request_changed':
      loadSocial().catch(() => {});
      loadContacts().then(refreshConvs).catch(() => {});
      return true;
  }
  return false;
}

// avatarOf is the avatar URL of an account's profile, '' for none.
export function avatarOf(account) {
  const p = S.profiles && S.profiles.get(account);
  return p && p.has_avatar ? p.avatar_url : '';
}

// downscale draws an image file into at most 256×256 pixels and encodes
// it as JPEG, lowering the quality until it fits the daemon's limit.
async function downscale(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 256 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const q of [0.9, 0.8, 0.6, 0.4]) {
    const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/jpeg', q));
    if (blob && blob.size <= maxAvatar) return blob;
  }
  throw new Error('the picture does not fit 48 KiB even small: try another one');
}

async function uploadAvatar(blob) {
  const res = await fetch('/v1/profile/avatar', { method: 'PUT', body: blob, credentials: 'same-origin', headers: { 'Content-Type': blob.type } });
  if (!res.ok) {
    const e = await res.json().catch(() => ({}));
    throw new Error(e.message || 'the daemon refused the picture');
  }
}

// ProfileCard is the settings card where I set my name and avatar.
export function ProfileCard() {
  const mine = useSel((s) => s.myProfile);
  const [name, setName] = useState(mine ? mine.name : '');
  useEffect(() => setName(mine ? mine.name : ''), [mine && mine.name]);
  const save = async (e) => {
    e.preventDefault();
    try {
      await put('/v1/profile', { name });
      await loadSocial();
      toast('Profile saved: your contacts and groups get it.');
    } catch (e2) {
      report(e2);
    }
  };
  const pick = async (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      await uploadAvatar(await downscale(file));
      await loadSocial();
    } catch (e2) {
      report(e2);
    }
  };
  const remove = async () => {
    try {
      await del('/v1/profile/avatar');
      await loadSocial();
    } catch (e2) {
      report(e2);
    }
  };
  return html`<div class="card profile-card">
    <h3>Profile</h3>
    <p class="muted">Your name and picture, end-to-end encrypted to your contacts and groups.</p>
    <div class="row">
      <${Avatar} name=${name || '?'} src=${mine && mine.has_avatar ? mine.avatar_url : ''} />
      <label class="btn">Choose picture<input type="file" accept="image/*" class="sr-only" onChange=${pick} aria-label="Choose a profile picture" /></label>
      ${mine && mine.has_avatar && html`<button type="button" class="btn" onClick=${remove}>Remove picture</button>`}
    </div>
    <form class="row" onSubmit=${save}>
      <label class="field grow"><span>Display name</span><input type="text" maxlength="64" value=${name} onInput=${(e) => setName(e.target.value)} id="profile-name" /></label>
      <button class="btn primary" type="submit">Save</button>
    </form>
  </div>`;
}

// RequestsEntry is the chat list's link to the message requests.
export function RequestsEntry() {
  const requests = useSel((s) => s.requests || []);
  if (!requests.length) return null;
  return html`<a href="/requests" class="requests-entry" onClick=${onLink} id="requests-entry">
    <${Icon} name="person-add" /> <span class="grow">Message requests</span><span class="badge">${requests.length}</span>
  </a>`;
}

function requestName(r) {
  return r.profile_name || r.name || shortID(r.peer);
}

// RequestsPage lists the chats strangers started, with accept, delete and
// block.
export function RequestsPage() {
  const requests = useSel((s) => s.requests || []);
  const act = async (r, what) => {
    try {
      if (what === 'accept') await post('/v1/requests/' + enc(r.peer) + '/accept', { name: '' });
      if (what === 'delete') {
        if (!confirm('Delete this request and its messages?')) return;
        await del('/v1/requests/' + enc(r.peer));
      }
      if (what === 'block') await post('/v1/requests/' + enc(r.peer) + '/block');
      await loadSocial();
      await loadContacts();
      refreshConvs();
      if (what === 'accept') navigate('/chat/' + r.peer);
    } catch (e) {
      report(e);
    }
  };
  return html`<section class="pane page" aria-labelledby="requests-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${onLink}><${Icon} name="back" /></a>
      <h2 id="requests-title">Message requests</h2>
    </header>
    <div class="page-body">
      <p class="muted">People who are not in your contacts wrote to you. They do not see that you read their messages until you accept.</p>
      <ul class="requests">
        ${requests.map(
          (r) => html`<li key=${r.peer} class="card request" data-account=${r.peer}>
            <div class="row">
              <${Avatar} name=${requestName(r)} src=${r.avatar_url || ''} />
              <span class="grow"><strong>${requestName(r)}</strong><br /><span class="muted">${r.last ? r.last.text : ''}</span></span>
              <span class="time">${r.last ? listTime(r.last.sent_at) : ''}</span>
            </div>
            <div class="row">
              <button type="button" class="btn primary" onClick=${() => act(r, 'accept')}>Accept</button>
              <button type="button" class="btn" onClick=${() => act(r, 'delete')}>Delete</button>
              <button type="button" class="btn danger" onClick=${() => act(r, 'block')}>Block</button>
            </div>
          </li>`,
        )}
        ${!requests.length && html`<li class="hint">No message requests.</li>`}
      </ul>
    </div>
  </section>`;
}

// BlockSection blocks or unblocks an account (a contact's details).
export function BlockSection({ account }) {
  const blocked = useSel((s) => !!(s.blocked && s.blocked.has(account)));
  const toggle = async () => {
    try {
      if (blocked) await del('/v1/blocked/' + enc(account));
      else {
        if (!confirm('Block this account? Its messages will be dropped on all your devices.')) return;
        await put('/v1/blocked/' + enc(account));
      }
      await loadSocial();
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="section">
    <button type="button" class=${'btn' + (blocked ? '' : ' danger')} onClick=${toggle} id="block-toggle">
      ${blocked ? 'Unblock' : 'Block'}
    </button>
    ${blocked && html`<p class="muted">Blocked: messages from this account are dropped.</p>`}
  </div>`;
}
