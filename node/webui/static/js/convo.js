// Replies (the quote a message carries, the reply being written, jumping
// to the original) and how chats are kept (pinned, muted, archived): the
// parts other modules hook in.
import { html, useState } from './html.js';
import { Icon } from './ui.js';
import { S, changed, useSel, loadOlder, accountName, report } from './store.js';
import { put } from './api.js';
import { keyOf, cls } from './util.js';

// --- replies ---

// S.replying (chat key -> the message the composer's next message
// answers), S.jump ({key, id, seq}: the message list shows and highlights
// message id) and S.archived (the archived chats) are this module's.
let jumpSeq = 0;

export const quoteThumbURL = (id) => '/v1/messages/' + id + '/quote-thumbnail';

// replyTo makes the composer of m's chat answer m.
export function replyTo(m) {
  const key = keyOf(m);
  S.replying = new Map(S.replying).set(key, m);
  changed();
  const area = document.getElementById('composer-' + key);
  if (area) area.focus();
}

// cancelReply forgets the reply being written in chat key.
export function cancelReply(key) {
  if (!S.replying.has(key)) return;
  const next = new Map(S.replying);
  next.delete(key);
  S.replying = next;
  changed();
}

// takeReply returns the ID the composer's message in chat key answers
// (or ''), and forgets it.
export function takeReply(key) {
  const m = S.replying.get(key);
  cancelReply(key);
  return m ? m.id : '';
}

// jumpTo shows message id of chat key, loading older pages until it is
// there; false when the chat's history does not hold it.
export async function jumpTo(key, id) {
  for (;;) {
    const chat = S.chats.get(key);
    if (!chat) return false;
    if (chat.ids.has(id)) break;
    if (!chat.hasOlder) return false;
    if (chat.loading) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const n = await loadOlder(key);
    const after = S.chats.get(key);
    if (!n && !after.hasOlder && !after.ids.has(id)) return false;
  }
  S.jump = { key, id, seq: ++jumpSeq };
  changed();
  return true;
}

// reveal scrolls the list el to message id and highlights it a moment.
export function reveal(el, id) {
  const row = el && el.querySelector('.msg[data-id="' + id + '"]');
  if (!row) return false;
  row.scrollIntoView({ block: 'center' });
  row.classList.add('highlight');
  setTimeout(() => row.classList.remove('highlight'), 2000);
  return true;
}

function quoteWho(q) {
  if (S.me && q.author === S.me.account) return 'You';
  return q.author_name || accountName(q.author);
}

function quoteText(q) {
  if (q.state === 'deleted') return 'This message was deleted';
  const what = q.file_name ? '📎 ' + q.file_name + (q.snippet ? ' — ' + q.snippet : '') : q.snippet;
  return what || 'a file';
}

// Quote shows what message m replies to, in its bubble; clicking it shows
// the original.
export function Quote({ m }) {
  const [missing, setMissing] = useState(false);
  const q = m.reply_to;
  if (!q) return null;
  const key = keyOf(m);
  const gone = q.state !== 'ok';
  const onClick = async () => {
    if (gone) return;
    const found = await jumpTo(key, q.id).catch((e) => (report(e), true));
    if (!found) setMissing(true);
  };
  return html`<button type="button" class=${cls('quote', gone && 'gone')} data-quote=${q.id} data-quote-state=${q.state} onClick=${onClick}
      aria-label=${'Reply to ' + quoteWho(q) + ': ' + quoteText(q) + (gone ? '' : '. Show the original')}>
    ${q.has_thumbnail && html`<img src=${quoteThumbURL(m.id)} alt="" width="40" height="40" />`}
    <span class="grow">
      <span class="quote-who">${quoteWho(q)}</span>
      <span class="quote-text">${quoteText(q)}</span>
      ${q.state === 'unknown' && html`<span class="quote-note">original not on this device</span>`}
      ${missing && html`<span class="quote-note">original not found in this chat</span>`}
    </span>
  </button>`;
}

// ReplyButton starts a reply to m.
export function ReplyButton({ m }) {
  return html`<button type="button" class="icon-btn reply-btn" aria-label="Reply" title="Reply" onClick=${() => replyTo(m)}><${Icon} name="reply" /></button>`;
}

// ReplyBar shows, above the composer, the message being answered.
export function ReplyBar({ chatKey }) {
  const m = useSel((s) => s.replying.get(chatKey));
  if (!m) return null;
  const who = m.direction === 'out' ? 'You' : m.sender_name || accountName(m.sender);
  const text = m.media ? '📎 ' + (m.media.name || 'file') + (m.text ? ' — ' + m.text : '') : m.text;
  return html`<div class="reply-bar" role="status" data-replying=${m.id}>
    <${Icon} name="reply" />
    <span class="grow">
      <span class="quote-who">Replying to ${who}</span>
      <span class="quote-text">${text}</span>
    </span>
    <button type="button" class="icon-btn" aria-label="Cancel reply" onClick=${() => cancelReply(chatKey)}><${Icon} name="close" /></button>
  </div>`;
}

// --- pinned, muted, archived ---

// FOREVER is the muted_until of a chat muted for ever.
const FOREVER = 'forever';

export function isMuted(c) {
  if (!c || !c.muted_until) return false;
  return c.muted_until === FOREVER || Date.parse(c.muted_until) > Date.now();
}

// mutedKey reports whether the chat with key is muted.
export const mutedKey = (key) => isMuted(S.convs.find((c) => c.key === key));

// prefsOf copies a listed conversation's preferences.
export const prefsOf = (c) => ({ pinned: !!c.pinned, muted_until: c.muted_until || '', archived: !!c.archived });

// placeConv puts conv (a chat with a new last message) into the list:
// first among the unpinned ones, pinned chats staying on top in the order
// they were pinned; a chat archived stays out of the list (its new
// messages leave it archived).
export function placeConv(conv, convs) {
  const prev = convs.find((c) => c.key === conv.key);
  if (prev) Object.assign(conv, prefsOf(prev));
  const archived = S.archived.findIndex((c) => c.key === conv.key);
  if (archived >= 0) {
    const a = S.archived.slice();
    a[archived] = { ...conv, ...prefsOf(S.archived[archived]) };
    S.archived = a;
    return convs;
  }
  if (prev && prev.pinned) return convs.map((c) => (c === prev ? conv : c)); // pinned chats keep their order
  const rest = convs.filter((c) => c.key !== conv.key);
  const pinned = conv.pinned ? 0 : rest.findIndex((c) => !c.pinned);
  const at = pinned < 0 ? rest.length : pinned;
  return [...rest.slice(0, at), conv, ...rest.slice(at)];
}

// setPrefs changes the preferences of chat key (a PUT, then the list
// again: its order follows).
export async function setPrefs(key, change, reload) {
  const path = key.startsWith('g:') ? '/v1/groups/' + key.slice(2) + '/prefs' : '/v1/conversations/' + key.slice(2) + '/prefs';
  try {
    await put(path, change);
    await reload();
  } catch (e) {
    report(e);
  }
}

// ChatMenu is a chat list entry's menu: pin, mute, archive.
export function ChatMenu({ c, reload }) {
  const [open, setOpen] = useState(false);
  const muted = isMuted(c);
  const act = (change) => () => (setOpen(false), setPrefs(c.key, change, reload));
  return html`<span class="chat-menu">
    <button type="button" class="icon-btn" aria-label=${'Chat options'} aria-expanded=${open ? 'true' : 'false'} onClick=${() => setOpen(!open)}><${Icon} name="more" /></button>
    ${open &&
    html`<ul class="menu" role="menu">
      <li role="none"><button type="button" role="menuitem" onClick=${act({ pinned: !c.pinned })}>${c.pinned ? 'Unpin' : 'Pin'}</button></li>
      ${muted
        ? html`<li role="none"><button type="button" role="menuitem" onClick=${act({ muted_until: null })}>Unmute</button></li>`
        : html`<li role="none"><button type="button" role="menuitem" onClick=${act({ muted_until: new Date(Date.now() + 8 * 3600e3).toISOString() })}>Mute for 8 hours</button></li>
            <li role="none"><button type="button" role="menuitem" onClick=${act({ muted_until: FOREVER })}>Mute always</button></li>`}
      <li role="none"><button type="button" role="menuitem" onClick=${act({ archived: !c.archived })}>${c.archived ? 'Unarchive' : 'Archive'}</button></li>
    </ul>`}
  </span>`;
}

// ChatMarks shows a chat's pinned and muted marks in the list.
export function ChatMarks({ c }) {
  return html`${c.pinned && html`<${Icon} name="pin" label="pinned" class="mark" />`}${isMuted(c) && html`<${Icon} name="mute" label="muted" class="mark" />`}`;
}

// ArchivedSection lists the archived chats under the list, folded.
export function ArchivedSection({ Item, current }) {
  const archived = useSel((s) => s.archived);
  const [open, setOpen] = useState(false);
  if (!archived.length) return null;
  return html`<li class="archived-section">
    <button type="button" class="btn archived-toggle" aria-expanded=${open ? 'true' : 'false'} onClick=${() => setOpen(!open)}>
      Archived (${archived.length})
    </button>
    ${open && html`<ul class="chats" aria-label="Archived chats">${archived.map((c) => html`<${Item} key=${c.key} c=${c} current=${c.key === current} />`)}</ul>`}
  </li>`;
}
