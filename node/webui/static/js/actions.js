// Edits, deletes and reactions of a message: its menu (Edit, Delete for
// me, Delete for everyone, React), the "edited" label with the earlier
// versions, the reactions row with counts and who reacted, and the events
// that keep them current.
import { html, useState } from './html.js';
import { Modal, useAutofocus } from './ui.js';
import { clock, cls } from './util.js';
import { get, put, del, patch } from './api.js';
import { S, patchMessage, knownMessage, refreshConvs, report, accountName, loadGroup } from './store.js';

// The emoji the menu offers.
export const quickEmoji = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

const editWindow = 24 * 3600 * 1000;
const deleteWindow = 48 * 3600 * 1000;

// onActionEvent applies message_edited, message_deleted and
// reaction_changed events to what the page shows.
export function onActionEvent(ev) {
  switch (ev.type) {
    case 'message_edited':
      if (!patchMessage(ev.id, (m) => ({ ...m, text: ev.text, edited: true, edits: ev.edits, edited_at: ev.edited_at }))) knownMessage(ev.id);
      return;
    case 'message_deleted':
      if (patchMessage(ev.id, (m) => ({ ...m, deleted: true }))) refreshConvs();
      return;
    case 'reaction_changed':
      reload(ev.id);
      return;
  }
}

// reload reads a message again (its reactions with who reacted).
async function reload(id) {
  try {
    const fresh = await get('/v1/messages/' + id);
    patchMessage(id, (m) => ({ ...m, reactions: fresh.reactions, text: fresh.text, edited: fresh.edited, edits: fresh.edits }));
  } catch {
    // deleted meanwhile
  }
}

function mine(m) {
  return m.direction === 'out' || (S.me && m.sender === S.me.account);
}

// canDeleteForEveryone: our own message within 48 h, or any member's in
// a group that lets admins delete, when we are one.
function canDeleteForEveryone(m) {
  if (mine(m)) return Date.now() - Date.parse(m.sent_at) < deleteWindow;
  if (!m.group) return false;
  const g = S.groups.get(m.group);
  return !!(g && g.settings && g.settings.admins_delete && (g.role === 'admin' || g.role === 'owner'));
}

async function react(m, emoji) {
  try {
    const fresh = await put('/v1/messages/' + m.id + '/reaction', { emoji });
    patchMessage(m.id, (x) => ({ ...x, reactions: fresh.reactions }));
  } catch (e) {
    report(e);
  }
}

async function remove(m, everyone) {
  try {
    await del('/v1/messages/' + m.id + '?for=' + (everyone ? 'everyone' : 'me'));
    patchMessage(m.id, (x) => ({ ...x, deleted: true }));
    refreshConvs();
  } catch (e) {
    report(e);
  }
}

function EditDialog({ m, onClose }) {
  const [text, setText] = useState(m.text || '');
  const ref = useAutofocus();
  const save = async (e) => {
    e.preventDefault();
    const t = text.trim();
    if (!t || t === m.text) return onClose();
    try {
      const fresh = await put('/v1/messages/' + m.id, { text: t });
      patchMessage(m.id, (x) => ({ ...x, text: fresh.text, edited: true, edits: fresh.edits, edited_at: fresh.edited_at }));
      onClose();
    } catch (err) {
      report(err);
    }
  };
  return html`<${Modal} title="Edit message" onClose=${onClose} class="edit-dialog">
    <form class="edit-form" onSubmit=${save}>
      <textarea ref=${ref} aria-label="New text" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
      <p class="muted">${10 - (m.edits || 0)} edits left. Everyone in the chat sees that it was edited, and the earlier versions.</p>
      <div class="row">
        <button type="submit" class="btn primary">Save</button>
        <button type="button" class="btn" onClick=${onClose}>Cancel</button>
      </div>
    </form>
  </${Modal}>`;
}

function VersionsDialog({ m, onClose }) {
  const [vs, setVs] = useState(null);
  const [err, setErr] = useState('');
  if (vs === null && !err) {
    get('/v1/messages/' + m.id + '/versions')
      .then((x) => setVs(x || []))
      .catch((e) => setErr(e.message));
  }
  return html`<${Modal} title="Edit history" onClose=${onClose}>
    ${err && html`<p class="error-text">${err}</p>`}
    ${!vs && !err && html`<p class="muted">Loading…</p>`}
    ${vs &&
    html`<ol class="list versions">
      ${vs.map(
        (v) => html`<li key=${v.version} data-version=${v.version}>
          <span class="grow text">${v.text}</span>
          <span class="muted">${v.version === 0 ? 'original' : 'edit ' + v.version} · <time datetime=${v.at}>${clock(v.at)}</time></span>
        </li>`,
      )}
    </ol>`}
  </${Modal}>`;
}

function Menu({ m, onEdit, onClose }) {
  const own = mine(m);
  const canEdit = own && (m.edits || 0) < 10 && Date.now() - Date.parse(m.sent_at) < editWindow;
  const run = (fn) => () => {
    onClose();
    fn();
  };
  return html`<div class="msg-menu" role="menu" aria-label="Message actions">
    <div class="react-row" role="group" aria-label="React">
      ${quickEmoji.map(
        (e) => html`<button type="button" role="menuitem" class="emoji-btn" aria-label=${'React ' + e} onClick=${run(() => react(m, e))}>${e}</button>`,
      )}
    </div>
    ${canEdit && html`<button type="button" role="menuitem" class="menu-item" onClick=${run(onEdit)}>Edit</button>`}
    <button type="button" role="menuitem" class="menu-item" onClick=${run(() => remove(m, false))}>Delete for me</button>
    ${canDeleteForEveryone(m) && html`<button type="button" role="menuitem" class="menu-item danger" onClick=${run(() => remove(m, true))}>Delete for everyone</button>`}
  </div>`;
}

// Reactions is the row under a message: each emoji with its count, who
// reacted in its title; ours is marked and clicking it removes it.
function Reactions({ m }) {
  if (!m.reactions || !m.reactions.length) return null;
  const me = S.me && S.me.account;
  return html`<div class="reactions" aria-label="Reactions">
    ${m.reactions.map((r) => {
      const who = (r.accounts || []).map((a) => (a === me ? 'You' : accountName(a))).join(', ');
      const ours = (r.accounts || []).includes(me);
      return html`<button
        type="button"
        key=${r.emoji}
        class=${cls('reaction', ours && 'ours')}
        data-emoji=${r.emoji}
        data-count=${r.count}
        title=${who}
        aria-label=${r.emoji + ' ' + r.count + ': ' + who}
        onClick=${() => react(m, ours ? '' : r.emoji)}
      >${r.emoji} ${r.count}</button>`;
    })}
  </div>`;
}

// MessageActions is what a message row shows of its actions: the edited
// label (opens the earlier versions), the reactions, and the menu button.
export function MessageActions({ m }) {
  const [open, setOpen] = useState('');
  return html`<div class="msg-actions">
    ${m.edited && html`<button type="button" class="edited" onClick=${() => setOpen('versions')} aria-label="Edited: show earlier versions">edited</button>`}
    <${Reactions} m=${m} />
    <button type="button" class="icon-btn msg-menu-btn" aria-haspopup="menu" aria-expanded=${open === 'menu'} aria-label="Message actions"
      onClick=${() => setOpen(open === 'menu' ? '' : 'menu')}>⋯</button>
    ${open === 'menu' && html`<${Menu} m=${m} onEdit=${() => setOpen('edit')} onClose=${() => setOpen('')} />`}
    ${open === 'edit' && html`<${EditDialog} m=${m} onClose=${() => setOpen('')} />`}
    ${open === 'versions' && html`<${VersionsDialog} m=${m} onClose=${() => setOpen('')} />`}
  </div>`;
}

// AdminsDelete is the group setting that lets admins delete any member's
// message for everyone (in the group's permissions).
export function AdminsDelete({ g }) {
  const set = async (on) => {
    try {
      await patch('/v1/groups/' + g.id, { settings: { ...g.settings, admins_delete: on } });
      await loadGroup(g.id);
    } catch (e) {
      report(e);
    }
  };
  return html`<label class="field check">
    <input type="checkbox" checked=${!!(g.settings && g.settings.admins_delete)} onChange=${(e) => set(e.target.checked)} />
    <span>Admins can delete anyone's messages</span>
  </label>`;
}
