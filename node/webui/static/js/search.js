// Message search: a box over the chat list that searches the history of
// every chat (GET /v1/search), results with the matching words marked, and
// opening a result's chat at the message (seekIn, called by the message
// list, pages back until the message is loaded and scrolls to it).
import { html, useState, useEffect, useRef } from './html.js';
import { Icon } from './ui.js';
import { S, useSel, loadOlder, accountName, chatName, report } from './store.js';
import { get, enc } from './api.js';
import { keyOf, chatPath, listTime, cls } from './util.js';
import { navigate } from './router.js';

const LIMIT = 20;
const DELAY = 250; // ms of no typing before a search is sent

// parts cuts a snippet into text and marked matches. Ranges are UTF-8
// byte offsets (the API's); the text stays text: Preact escapes it.
export function parts(snippet) {
  const bytes = new TextEncoder().encode(snippet.text);
  const dec = new TextDecoder();
  const out = [];
  let at = 0;
  for (const [a, b] of snippet.ranges || []) {
    if (a < at || b > bytes.length || a > b) break;
    if (a > at) out.push({ text: dec.decode(bytes.subarray(at, a)) });
    out.push({ text: dec.decode(bytes.subarray(a, b)), mark: true });
    at = b;
  }
  if (at < bytes.length) out.push({ text: dec.decode(bytes.subarray(at)) });
  return out;
}

function Hit({ h }) {
  const m = h.message;
  const key = keyOf(m);
  const chat = m.group ? m.group_name || chatName(key) : m.peer_name || chatName(key);
  const from = m.direction === 'out' ? 'You' : m.sender_name || accountName(m.sender);
  return html`<li>
    <a
      href=${chatPath(key)}
      class="search-hit"
      data-id=${m.id}
      onClick=${(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        openAt(key, m.id);
      }}
    >
      <span class="top">
        <span class="name">${chat}</span>
        <span class="time">${listTime(m.sent_at)}</span>
      </span>
      <span class="snippet">
        ${m.group || m.direction === 'out' ? from + ': ' : ''}${h.snippet.field === 'file_name' ? '📎 ' : ''}
        ${parts(h.snippet).map((p) => (p.mark ? html`<mark>${p.text}</mark>` : p.text))}
      </span>
    </a>
  </li>`;
}

// MessageSearch is the box and, while it holds a query, its results.
export function MessageSearch() {
  const [q, setQ] = useState('');
  const [res, setRes] = useState(null); // {q, hits, next, error}
  const [more, setMore] = useState(false);
  const seq = useRef(0);
  const needle = q.trim();
  useEffect(() => {
    if (!needle) {
      setRes(null);
      return;
    }
    const n = ++seq.current;
    const t = setTimeout(async () => {
      try {
        const r = await get('/v1/search?q=' + enc(needle) + '&limit=' + LIMIT);
        if (n === seq.current) setRes({ q: needle, hits: r.hits, next: r.next_cursor || '' });
      } catch (e) {
        if (n !== seq.current) return;
        if (e.status === 400) setRes({ q: needle, hits: [], next: '', error: e.message });
        else report(e);
      }
    }, DELAY);
    return () => clearTimeout(t);
  }, [needle]);

  const loadMore = async () => {
    if (!res || !res.next || more) return;
    setMore(true);
    try {
      const r = await get('/v1/search?q=' + enc(res.q) + '&limit=' + LIMIT + '&cursor=' + enc(res.next));
      setRes((cur) => (cur && cur.q === res.q ? { ...cur, hits: cur.hits.concat(r.hits), next: r.next_cursor || '' } : cur));
    } catch (e) {
      report(e);
    } finally {
      setMore(false);
    }
  };

  return html`<div class="msg-search" role="search">
    <label>
      <${Icon} name="search" />
      <span class="sr-only">Search messages</span>
      <input
        type="search"
        id="message-search"
        placeholder="Search messages"
        value=${q}
        onInput=${(e) => setQ(e.target.value)}
        onKeyDown=${(e) => e.key === 'Escape' && setQ('')}
      />
    </label>
    ${res &&
    html`<div class="search-results" aria-live="polite">
      ${res.error
        ? html`<p class="hint" role="alert">${res.error}</p>`
        : !res.hits.length
          ? html`<p class="hint">No message matches “${res.q}”.</p>`
          : html`<ul aria-label="Search results">
              ${res.hits.map((h) => html`<${Hit} key=${h.message.id} h=${h} />`)}
            </ul>`}
      ${res.next && html`<button type="button" class=${cls('btn', 'more')} disabled=${more} onClick=${loadMore}>More results</button>`}
    </div>`}
  </div>`;
}

// --- Opening a chat at a message.

let target = null; // {key, id}: the message a chat should show when it opens
let list = null; // the message list that last asked (conversation.js)

// openAt opens chat key and scrolls to message id, paging back as needed.
export function openAt(key, id) {
  target = { key, id };
  navigate(chatPath(key));
  if (list && list.scroller && list.props.chat.key === key) seekIn(list);
}

// seekIn is called by the message list after it mounts and after each
// update: if the search opened its chat at a message, it loads older
// pages until the message is there, moves the window onto it, scrolls it
// to the middle and marks it for a moment.
export function seekIn(l) {
  list = l;
  const chat = l.props.chat;
  if (!target || target.key !== chat.key || !l.scroller) return;
  const msgs = chat.msgs;
  const i = msgs.findIndex((m) => m.id === target.id);
  if (i < 0) {
    if (!chat.ready || chat.loading) return; // an update follows
    if (!chat.hasOlder) {
      target = null; // gone (deleted since the search)
      return;
    }
    loadOlder(chat.key);
    return;
  }
  const { start, end } = l.state;
  if (i < start || i >= end) {
    const s = Math.max(0, i - 25);
    l.setState({ start: s, end: Math.min(msgs.length, Math.max(i + 25, s + 50)), stick: false });
    return;
  }
  const row = l.scroller.querySelector('.msg[data-id="' + target.id + '"]');
  if (!row) return;
  target = null;
  if (l.state.stick) l.setState({ stick: false });
  row.scrollIntoView({ block: 'center' });
  row.classList.add('found');
  setTimeout(() => row.classList.remove('found'), 2500);
  // Rows above it may still grow (reactions, quotes, pictures arriving);
  // the list keeps the first row on screen in place, which pushes this one
  // down: keep it in view while the layout settles (about a second).
  const scroller = l.scroller;
  const settle = (frames) => {
    if (!frames || !row.isConnected) return;
    const box = scroller.getBoundingClientRect();
    const r = row.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) row.scrollIntoView({ block: 'center' });
    requestAnimationFrame(() => settle(frames - 1));
  };
  requestAnimationFrame(() => settle(60));
}
