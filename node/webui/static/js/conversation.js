// A conversation: header, the message list, the typing line and the
// composer. The list is windowed: of all loaded messages (a chat may hold
// tens of thousands) at most WINDOW are in the DOM, around what is on
// screen; scrolling near an edge moves the window, and at the top of what
// is loaded fetches the page before it.
import { html, Component, useState, useEffect, useRef, useCallback } from './html.js';
import { avatarOf } from './profile.js';
import { Icon, Avatar } from './ui.js';
import { MessageRow, UploadRow, Viewer, Receipts } from './message.js';
import { Composer } from './composer.js';
import { S, useSel, loadOlder, accountName, chatName, dropUpload } from './store.js';
import { dayKey, dayLabel, lastSeen, cls } from './util.js';
import { reveal } from './convo.js';
import { navigate, onLink } from './router.js';
import { seekIn } from './search.js';
import { TimerButton } from './expiry.js';

// WINDOW is the most messages in the DOM at once; STEP how many the window
// moves by; EDGE how close (px) to an edge moves it.
export const WINDOW = 200;
const STEP = 50;
const EDGE = 600;

const sameItems = (a, b) => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

// OlderLine tops the list when it shows the chat's oldest loaded message:
// older messages loading, the chat's beginning, or room for the next page.
// It follows the chat itself, so that the list need not render for it.
function OlderLine({ chatKey }) {
  const c = useSel((s) => {
    const chat = s.chats.get(chatKey);
    return chat ? { loading: chat.loading, hasOlder: chat.hasOlder, ready: chat.ready, empty: !chat.msgs.length } : { empty: true };
  });
  if (c.loading) return html`<p class="older" role="status">Loading older messages…</p>`;
  if (!c.hasOlder) return html`<p class="older">${c.ready ? (c.empty ? 'No messages yet' : 'The beginning of this chat') : ''}</p>`;
  return html`<p class="older"> </p>`;
}

class MessageList extends Component {
  constructor(props) {
    super(props);
    this.state = { msgs: null, start: 0, end: 0, stick: true, wantUp: false };
    this.scroller = null;
    this.raf = 0;
    this.olderFrom = 0; // performance.now() when an older page was asked for
    this.openMedia = (media) => props.onOpenMedia(media);
    this.openInfo = (m) => props.onInfo(m);
    this.onScroll = () => {
      if (!this.raf) this.raf = requestAnimationFrame(() => ((this.raf = 0), this.check()));
    };
    this.setRef = (el) => (this.scroller = el);
    this.jump = () => {
      const len = this.props.chat.msgs.length;
      this.setState({ start: Math.max(0, len - STEP), end: len, stick: true });
    };
  }

  // The window follows the message array: a page put before it shifts
  // the indices, messages added after it extend it when it shows the end.
  static getDerivedStateFromProps(props, state) {
    const msgs = props.chat.msgs;
    if (msgs === state.msgs) return null;
    const len = msgs.length;
    if (!state.msgs || !state.msgs.length || !len) {
      return { msgs, start: Math.max(0, len - STEP), end: len, stick: true, wantUp: false };
    }
    const first = state.msgs[0].id;
    let shift = 0;
    if (msgs[0].id !== first) {
      shift = msgs.findIndex((m) => m.id === first);
      if (shift < 0) return { msgs, start: Math.max(0, len - STEP), end: len, stick: true, wantUp: false };
    }
    const last = msgs[len - 1];
    if (last.direction === 'out' && last.id !== state.msgs[state.msgs.length - 1].id && !state.msgs.some((m) => m.id === last.id)) {
      // A message of ours just came in at the end (sent here or on another
      // device): show the end, wherever the window was.
      return { msgs, start: Math.max(0, len - STEP), end: len, stick: true, wantUp: false };
    }
    let start = state.start + shift;
    let end = state.end + shift;
    const wasAtEnd = state.end === state.msgs.length;
    if (state.wantUp && shift > 0) {
      start = Math.max(0, start - STEP);
      end = Math.min(end, start + WINDOW);
    } else if (wasAtEnd && state.stick) {
      end = len;
      start = Math.max(start, end - WINDOW);
    }
    return { msgs, start, end, wantUp: state.wantUp && shift === 0 };
  }

  // The list renders again when what its rows show changed: a chat
  // marked loading (or not, or at its start) is the older line's to show,
  // and wantUp is bookkeeping. Asking for an older page so leaves the list
  // and its layout alone while the request is out.
  shouldComponentUpdate(next, ns) {
    const p = this.props;
    const s = this.state;
    return (
      next.chat.msgs !== p.chat.msgs ||
      next.jump !== p.jump ||
      next.group !== p.group ||
      next.progress !== p.progress ||
      !sameItems(next.uploads, p.uploads) ||
      ns.msgs !== s.msgs ||
      ns.start !== s.start ||
      ns.end !== s.end ||
      ns.stick !== s.stick
    );
  }

  // Before the DOM changes, remember the first message on screen and
  // where it is, to put it back there after (the window may have grown or
  // shrunk above it).
  getSnapshotBeforeUpdate() {
    const el = this.scroller;
    if (!el) return null;
    if (this.state.stick) return { stick: true };
    const top = el.scrollTop;
    for (const row of el.querySelectorAll('.msg[data-id]')) {
      if (row.offsetTop + row.offsetHeight > top) return { id: row.dataset.id, delta: row.offsetTop - top };
    }
    return null;
  }

  componentDidMount() {
    // Rows grow after they are drawn (menus, reactions, quotes, pictures):
    // a list that shows the end keeps showing it.
    this.ro = new ResizeObserver(() => {
      const el = this.scroller;
      if (el && this.state.stick) el.scrollTop = el.scrollHeight;
    });
    this.observeRows();
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.check();
    seekIn(this); // opened from a search result: go to the message
  }

  componentDidUpdate(prevProps, prevState, snap) {
    const el = this.scroller;
    if (snap && snap.stick) {
      el.scrollTop = el.scrollHeight;
    } else if (snap && snap.id) {
      const row = el.querySelector('.msg[data-id="' + snap.id + '"]');
      if (row) el.scrollTop = row.offsetTop - snap.delta;
    }
    if (this.olderFrom && prevState.msgs !== this.state.msgs && prevState.msgs && this.state.msgs[0] !== prevState.msgs[0]) {
      // fetch and render of an older page, layout included (offsetTop
      // above forced it): the number the benchmark compares with the API
      // call alone.
      performance.measure('pigeon:older-page', { start: this.olderFrom, end: performance.now() });
      this.olderFrom = 0;
    }
    this.observeRows();
    if (this.props.jump && this.props.jump !== this.jumped) this.showJump(this.props.jump);
    if (!this.raf) this.raf = requestAnimationFrame(() => ((this.raf = 0), this.check()));
    seekIn(this);
  }

  // showJump brings message jump.id into the window and on screen (a
  // reply's original, clicked in its quote).
  showJump(jump) {
    const msgs = this.props.chat.msgs;
    const i = msgs.findIndex((m) => m.id === jump.id);
    if (i < 0) return;
    this.jumped = jump;
    if (i >= this.state.start && i < this.state.end) {
      reveal(this.scroller, jump.id);
      return;
    }
    const start = Math.max(0, i - STEP);
    this.setState({ start, end: Math.min(msgs.length, Math.max(i + STEP, start + STEP)), stick: false }, () => reveal(this.scroller, jump.id));
  }

  componentWillUnmount() {
    cancelAnimationFrame(this.raf);
    if (this.ro) this.ro.disconnect();
  }

  // observeRows watches the size of every row in the DOM (observing one
  // twice is a no-op; removed rows drop out by themselves).
  observeRows() {
    if (!this.ro || !this.scroller) return;
    for (const row of this.scroller.children) this.ro.observe(row);
  }

  check() {
    const el = this.scroller;
    if (!el) return;
    const { chat } = this.props;
    const { start, end } = this.state;
    const len = chat.msgs.length;
    const below = el.scrollHeight - el.scrollTop - el.clientHeight;
    const stick = below < 40 && end === len;
    if (stick !== this.state.stick) this.setState({ stick });
    if (el.scrollTop < EDGE) {
      if (start > 0) {
        const s = Math.max(0, start - STEP);
        this.setState({ start: s, end: Math.min(end, s + WINDOW), stick: false });
      } else if (chat.hasOlder && !chat.loading && !this.state.wantUp) {
        this.olderFrom = performance.now();
        // loadOlder first: its request goes out now, and the chat it marks
        // loading and wantUp here render together, once.
        loadOlder(chat.key).then((n) => {
          if (!n) {
            this.olderFrom = 0;
            this.setState({ wantUp: false });
          }
        });
        this.setState({ wantUp: true });
      }
    } else if (below < EDGE && end < len) {
      const e = Math.min(len, end + STEP);
      this.setState({ end: e, start: Math.max(start, e - WINDOW) });
    }
  }

  render({ chat, group, progress, uploads }, { start, end, stick }) {
    const msgs = chat.msgs;
    const rows = [];
    if (start === 0) rows.push(html`<${OlderLine} key="older" chatKey=${chat.key} />`);
    for (let i = start; i < end; i++) {
      const m = msgs[i];
      const prev = i > 0 ? msgs[i - 1] : null;
      const day = dayKey(m.sent_at);
      const newDay = !prev || dayKey(prev.sent_at) !== day;
      if (newDay) rows.push(html`<div class="day" role="separator" key=${'d' + m.id}>${dayLabel(m.sent_at)}</div>`);
      const sender = group && m.direction === 'in' && (newDay || prev.sender !== m.sender || prev.direction !== 'in') ? m.sender_name || accountName(m.sender) : '';
      const prog = m.media ? progress.get(m.media.id) : undefined;
      rows.push(html`<${MessageRow} key=${m.id} m=${m} sender=${sender} prog=${prog} onOpen=${this.openMedia} onInfo=${this.openInfo} />`);
    }
    if (end === msgs.length) {
      for (const u of uploads) rows.push(html`<${UploadRow} key=${'u' + u.uid} u=${u} onCancel=${() => (u.error ? dropUpload(u.uid) : u.abort())} />`);
    }
    return html`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${start}
        data-end=${end}
        data-total=${msgs.length}
      >
        ${rows}
      </div>
      ${(!stick || end < msgs.length) &&
      html`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${Icon} name="down" /> Latest</button>`}`;
  }
}

function Header({ chatKey, group, info }) {
  const isGroup = chatKey.startsWith('g:');
  const account = chatKey.slice(2);
  const name = useSel(() => chatName(chatKey));
  const presence = useSel((s) => (isGroup ? null : s.presence.get(account)));
  const avatar = useSel(() => (isGroup ? '' : avatarOf(account)));
  const typing = useSel((s) => s.typing.get(chatKey));
  let sub = '';
  let isTyping = false;
  if (typing && typing.size) {
    isTyping = true;
    const who = [...typing.keys()].map(accountName);
    sub = isGroup ? who.join(', ') + (who.length > 1 ? ' are typing…' : ' is typing…') : 'typing…';
  } else if (isGroup) {
    sub = group ? group.members.map((m) => (S.me && m.account === S.me.account ? 'You' : m.name || accountName(m.account))).join(', ') : '';
  } else if (presence) {
    sub = presence.state === 'online' ? 'online' : presence.last_seen ? lastSeen(presence.last_seen) : '';
  }
  const infoPath = (isGroup ? '/group/' : '/chat/') + account + '/info';
  return html`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${onLink}><${Icon} name="back" /></a>
    <${Avatar} name=${name} group=${isGroup} online=${presence && presence.state === 'online'} src=${avatar} />
    <div class="title">
      <button type="button" onClick=${() => navigate(info ? infoPath.slice(0, -5) : infoPath)} aria-label=${(info ? 'Hide' : 'Show') + ' details of ' + name}>
        <h2>${name}</h2>
        <span class=${cls('subtitle', isTyping && 'typing')} data-presence=${presence ? presence.state : ''}>${sub}</span>
      </button>
    </div>
    <${TimerButton} chatKey=${chatKey} />
    <a href=${info ? infoPath.slice(0, -5) : infoPath} class="icon-btn" onClick=${onLink} aria-label=${isGroup ? 'Group details' : 'Contact details'} aria-pressed=${info ? 'true' : 'false'}>
      <${Icon} name="info" />
    </a>
  </header>`;
}

// Announcer reads new incoming messages of the open chat to screen
// readers (the list itself is not a live region: older pages load into it).
function Announcer({ chat }) {
  const [text, setText] = useState('');
  const last = useRef('');
  useEffect(() => {
    const m = chat.msgs[chat.msgs.length - 1];
    if (!m || m.id === last.current) return;
    const first = !last.current;
    last.current = m.id;
    if (!first && m.direction === 'in') setText((m.sender_name || accountName(m.sender)) + ': ' + (m.text || (m.media ? 'a file' : '')));
  }, [chat.msgs]);
  return html`<div class="sr-only" aria-live="polite">${text}</div>`;
}

export function Conversation({ chatKey, info }) {
  const isGroup = chatKey.startsWith('g:');
  const id = chatKey.slice(2);
  const chat = useSel((s) => s.chats.get(chatKey));
  const group = useSel((s) => (isGroup ? s.groups.get(id) : null));
  const progress = useSel((s) => s.progress);
  const uploads = useSel((s) => s.uploads);
  const jump = useSel((s) => (s.jump && s.jump.key === chatKey ? s.jump : null));
  const warn = useSel((s) => (isGroup ? null : s.identity.get(id)));
  const [viewing, setViewing] = useState(null);
  const [receipts, setReceipts] = useState(null);
  const [drag, setDrag] = useState(false);
  const [dropped, setDropped] = useState(null);
  const onOpenMedia = useCallback((media) => setViewing(media), []);
  const onInfo = useCallback((m) => setReceipts(m), []);
  const mine = uploads.filter((u) => u.key === chatKey);

  const canPost = !isGroup || !group || (group.status === 'active' && (group.settings.post !== 'admins' || group.role === 'owner' || group.role === 'admin'));
  const readonly = isGroup && group && group.status !== 'active' ? (group.status === 'left' ? 'You left this group.' : 'You were removed from this group.') : !canPost ? 'Only admins can send messages to this group.' : '';

  const onDragOver = (e) => {
    if (readonly || !e.dataTransfer || ![...e.dataTransfer.types].includes('Files')) return;
    e.preventDefault();
    setDrag(true);
  };
  const onDrop = (e) => {
    setDrag(false);
    if (readonly || !e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    setDropped([...e.dataTransfer.files]);
  };

  return html`<section
    class="conversation"
    aria-label=${'Chat with ' + chatName(chatKey)}
    data-chat=${chatKey}
    onDragOver=${onDragOver}
    onDragLeave=${(e) => e.currentTarget === e.target && setDrag(false)}
    onDrop=${onDrop}
  >
    <${Header} chatKey=${chatKey} group=${group} info=${info} />
    ${warn &&
    html`<div class="banner" role="alert">
      <${Icon} name="shield" />
      <span class="grow">${chatName(chatKey)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${'/chat/' + id + '/info'} onClick=${onLink}>Compare</a>
    </div>`}
    ${chat ? html`<${MessageList} key=${chatKey} chat=${chat} jump=${jump} group=${isGroup} progress=${progress} uploads=${mine} onOpenMedia=${onOpenMedia} onInfo=${onInfo} />` : html`<div class="messages"></div>`}
    <${TypingLine} chatKey=${chatKey} />
    <${Announcer} chat=${chat || { msgs: [] }} />
    ${readonly ? html`<p class="readonly-note">${readonly}</p>` : html`<${Composer} key=${chatKey} chatKey=${chatKey} dropped=${dropped} />`}
    ${drag && html`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${viewing && html`<${Viewer} media=${viewing} onClose=${() => setViewing(null)} />`}
    ${receipts && html`<${Receipts} m=${receipts} onClose=${() => setReceipts(null)} />`}
  </section>`;
}

function TypingLine({ chatKey }) {
  const typing = useSel((s) => s.typing.get(chatKey));
  const who = typing ? [...typing.keys()].map(accountName) : [];
  return html`<div class="typing-line" aria-live="polite" data-typing=${who.length ? 'yes' : 'no'}>
    ${who.length ? (chatKey.startsWith('g:') ? who.join(', ') + (who.length > 1 ? ' are typing…' : ' is typing…') : who[0] + ' is typing…') : ''}
  </div>`;
}
