// The sidebar: your account, actions, the filter box and the chat list
// (1:1 chats and groups, most recent first, with the last message, its
// time, unread count and whether the contact is online).
import { html, useState } from './html.js';
import { Icon, Avatar } from './ui.js';
import { S, useSel, accountName, chatName, loadConvs } from './store.js';
import { listTime, chatPath, cls } from './util.js';
import { onLink, navigate } from './router.js';
import { notifyPermission, askNotify } from './notify.js';
import { MessageSearch } from './search.js';
import { RequestsEntry } from './profile.js';
import { ChatMenu, ChatMarks, ArchivedSection } from './convo.js';
import { KeyCheckBanner } from './backup.js';
import { noticeText } from './expiry.js';

function preview(c) {
  const m = c.last;
  if (!m) return c.group ? 'No messages yet' : '';
  if (m.kind === 'timer' || m.kind === 'device') return noticeText(m);
  let who = '';
  if (m.direction === 'out') who = 'You: ';
  else if (m.group) who = (m.sender_name || accountName(m.sender)) + ': ';
  if (m.media) return who + '📎 ' + (m.text ? m.text : m.media.name || 'file');
  return who + m.text;
}

function ChatItem({ c, current }) {
  const name = c.name || chatName(c.key);
  const presence = useSel((s) => (c.peer ? s.presence.get(c.peer) : null));
  const typing = useSel((s) => s.typing.has(c.key));
  const online = presence && presence.state === 'online';
  const label = name + (c.unread ? ', ' + c.unread + ' unread' : '') + (online ? ', online' : '');
  return html`<li>
    <a
      href=${chatPath(c.key)}
      class=${cls('chat-item', c.unread > 0 && 'unread')}
      aria-current=${current ? 'page' : undefined}
      aria-label=${label}
      onClick=${onLink}
      data-key=${c.key}
    >
      <${Avatar} name=${name} group=${!!c.group} online=${online} src=${c.avatar} />
      <span class="grow">
        <span class="top">
          <span class="name">${name}</span>
          <${ChatMarks} c=${c} />
          <span class="time">${c.last ? listTime(c.last.sent_at) : ''}</span>
        </span>
        <span class="bottom">
          <span class="preview">${typing ? html`<em>typing…</em>` : preview(c)}</span>
          ${c.unread > 0 && html`<span class="badge" aria-hidden="true">${c.unread}</span>`}
        </span>
      </span>
    </a>
    <${ChatMenu} c=${c} reload=${loadConvs} />
  </li>`;
}

function NotifyBanner() {
  const [perm, setPerm] = useState(notifyPermission());
  const [gone, setGone] = useState(localStorage.getItem('pigeon.notify-banner') === 'no');
  if (perm !== 'default' || gone) return null;
  return html`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async () => setPerm(await askNotify())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${() => {
        localStorage.setItem('pigeon.notify-banner', 'no');
        setGone(true);
      }}
    ><${Icon} name="close" /></button>
  </div>`;
}

export function Sidebar({ current, onNewGroup, onAddContact, onJoin }) {
  const convs = useSel((s) => s.convs);
  const conn = useSel((s) => s.conn);
  const me = useSel((s) => s.me);
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const shown = needle ? convs.filter((c) => (c.name || chatName(c.key)).toLowerCase().includes(needle) || (c.peer || c.group).startsWith(needle)) : convs;
  return html`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${onLink} aria-label="My account and QR code"><${Avatar} small name=${me ? 'Me' : '?'} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${onNewGroup}><${Icon} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${onAddContact}><${Icon} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${onJoin}><${Icon} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${onLink} aria-label="Contacts"><${Icon} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${onLink} aria-label="Settings"><${Icon} name="gear" /></a>
    </header>
    ${conn === 'down' && html`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${NotifyBanner} />
    <${KeyCheckBanner} />
    <${MessageSearch} />
    <div class="filter" role="search">
      <label>
        <${Icon} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${q}
          onInput=${(e) => setQ(e.target.value)}
          onKeyDown=${(e) => {
            // Enter opens the first chat that matches, as in Ctrl+K's box.
            if (e.key === 'Enter' && needle && shown.length) {
              e.preventDefault();
              navigate(chatPath(shown[0].key));
            }
          }}
          id="chat-filter"
        />
      </label>
    </div>
    <${RequestsEntry} />
    <ul class="chats" aria-label="Chat list">
      ${shown.map((c) => html`<${ChatItem} key=${c.key} c=${c} current=${c.key === current} />`)}
      ${!needle && html`<${ArchivedSection} Item=${ChatItem} current=${current} />`}
      ${!shown.length &&
      html`<li class="hint">${needle ? 'No chat matches “' + q + '”.' : html`No chats yet. <a href="/contacts" onClick=${onLink}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`;
}
