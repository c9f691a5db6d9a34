// One message in a conversation: its bubble, state ticks, and the file it
// carries (image, video, audio or document).
import { html, memo, useState, useEffect } from './html.js';
import { Icon, Modal } from './ui.js';
import { clock, size, percent, cls } from './util.js';
import { contentURL, thumbURL, save, get } from './api.js';
import { S, fetchMedia, useSel, accountName } from './store.js';
import { MessageActions } from './actions.js';
import { Quote, ReplyButton } from './convo.js';
import { TimerNotice, DeviceNotice, ExpiryMark } from './expiry.js';

const tickLabel = {
  pending: 'pending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'not sent',
};
const tickIcon = { pending: 'clock', sent: 'check', delivered: 'check2', read: 'check2', failed: 'alert' };

export function Ticks({ state }) {
  const name = tickIcon[state];
  if (!name) return null;
  return html`<span class=${cls('icon', 'i-' + name, 'tick', 'tick-' + state)} role="img" aria-label=${tickLabel[state]} data-state=${state}></span>`;
}

// Fit a picture of w×h into at most 300×320, for the layout to hold its
// place before it loads (the message list anchors its scroll position).
function fit(w, h) {
  if (!w || !h) return { width: 240, height: 180 };
  const k = Math.min(1, 300 / w, 320 / h);
  return { width: Math.max(40, Math.round(w * k)), height: Math.max(40, Math.round(h * k)) };
}

function fileState(media, prog) {
  switch (media.state) {
    case 'fetching':
      return prog && prog.total ? 'downloading ' + percent(prog.done, prog.total) + '%' : 'downloading…';
    case 'retrying':
      return 'waiting for the sender to come online…';
    case 'failed':
      return 'download failed' + (media.error ? ': ' + media.error : '');
    case 'removed':
      return 'removed from this device';
    case 'remote':
      return 'not downloaded';
  }
  return '';
}

function Progress({ prog, label }) {
  if (!prog || !prog.total) return html`<progress aria-label=${label}></progress>`;
  return html`<progress aria-label=${label} max=${prog.total} value=${prog.done}></progress>`;
}

// FileCard shows a document: name, size, state, and Download (into the
// node, with progress) or Save (to the browser's downloads).
function FileCard({ media, prog }) {
  const local = media.state === 'local';
  const busy = media.state === 'fetching' || media.state === 'retrying';
  const progress = prog && prog.direction === 'download' ? prog : null;
  return html`<div class="file-card" data-media-state=${media.state}>
    <${Icon} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${media.name}>${media.name || 'file'}</div>
      <div class="file-meta">${size(media.size)}${media.mime ? ' · ' + media.mime : ''}${fileState(media, progress) && ' · ' + fileState(media, progress)}</div>
      ${busy && html`<${Progress} prog=${progress} label=${'Downloading ' + (media.name || 'file')} />`}
    </div>
    ${local
      ? html`<button type="button" class="icon-btn" aria-label=${'Save ' + (media.name || 'file')} onClick=${() => save(media.id, media.name)}>
          <${Icon} name="download" />
        </button>`
      : !busy &&
        html`<button type="button" class="icon-btn" aria-label=${'Download ' + (media.name || 'file') + ', ' + size(media.size)} onClick=${() => fetchMedia(media.id)}>
          <${Icon} name="download" />
        </button>`}
  </div>`;
}

function Picture({ media, prog, onOpen }) {
  const local = media.state === 'local';
  const dims = fit(media.width, media.height);
  const src = local ? contentURL(media.id) : media.thumbnail ? thumbURL(media.id) : '';
  if (!src) return html`<${FileCard} media=${media} prog=${prog} />`;
  const busy = media.state === 'fetching' || media.state === 'retrying';
  return html`<div>
    <button type="button" class=${cls('media-img', !local && 'remote')} onClick=${onOpen} aria-label=${'Open picture ' + (media.name || '')}>
      <img src=${src} alt=${media.caption || media.name || 'picture'} width=${dims.width} height=${dims.height} loading="lazy" decoding="async" />
    </button>
    ${!local &&
    html`<div class="row file-meta">
      ${busy
        ? html`<${Progress} prog=${prog} label=${'Downloading ' + (media.name || 'picture')} />`
        : html`<button type="button" class="btn" onClick=${() => fetchMedia(media.id)}><${Icon} name="download" /> ${size(media.size)}</button>`}
    </div>`}
  </div>`;
}

// Viewer shows a picture at full size; the file downloads if it has not.
export function Viewer({ media, onClose }) {
  return html`<${Modal} title=${media.name || 'Picture'} onClose=${onClose} class="viewer">
    <div class="viewer-body">
      <img src=${contentURL(media.id)} alt=${media.caption || media.name || 'picture'} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${() => save(media.id, media.name)}><${Icon} name="download" /> Save</button>
    </div>
  </${Modal}>`;
}

function MediaView({ media, prog, onOpen }) {
  const mime = media.mime || '';
  const local = media.state === 'local';
  if (mime.startsWith('image/')) return html`<${Picture} media=${media} prog=${prog} onOpen=${onOpen} />`;
  if (mime.startsWith('video/')) {
    // Seeking asks for byte ranges; the node fetches the blocks they need
    // first. A file not downloaded yet loads only when played.
    return html`<video
      class="media-video"
      controls
      preload=${local ? 'metadata' : 'none'}
      poster=${media.thumbnail ? thumbURL(media.id) : undefined}
      src=${contentURL(media.id)}
      aria-label=${'Video ' + (media.name || '')}
      width=${fit(media.width, media.height).width}
    ></video>`;
  }
  if (mime.startsWith('audio/')) {
    return html`<audio class="media-audio" controls preload=${local ? 'metadata' : 'none'} src=${contentURL(media.id)} aria-label=${'Audio ' + (media.name || '')}></audio>`;
  }
  return html`<${FileCard} media=${media} prog=${prog} />`;
}

// Receipts lists, for one of our group messages, where each member is.
export function Receipts({ m, onClose }) {
  const tick = useSel((s) => s.receiptTick || 0);
  const group = useSel((s) => s.groups.get(m.group));
  const [rec, setRec] = useState(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    get('/v1/groups/' + m.group + '/messages/' + m.id + '/receipts')
      .then((r) => setRec(r.receipts || {}))
      .catch((e) => setErr(e.message));
  }, [tick, m.id, m.group]);
  const members = group ? group.members.filter((x) => !S.me || x.account !== S.me.account) : [];
  const accounts = new Set([...members.map((x) => x.account), ...Object.keys(rec || {})]);
  return html`<${Modal} title="Message info" onClose=${onClose}>
    <p class="text">${m.media ? '📎 ' + (m.media.name || 'file') + (m.text ? ' — ' + m.text : '') : m.text}</p>
    ${err && html`<p class="error-text">${err}</p>`}
    ${!rec && !err && html`<p class="muted">Loading…</p>`}
    ${rec &&
    html`<ul class="list receipts">
      ${[...accounts].map((a) => {
        const st = rec[a] || '';
        return html`<li key=${a} data-account=${a} data-receipt=${st || 'none'}>
          <span class="grow">${accountName(a)}</span>
          <span class="muted">${st === 'read' ? 'Read' : st === 'delivered' ? 'Delivered' : 'Not yet delivered'}</span>
          <${Ticks} state=${st === 'read' ? 'read' : st === 'delivered' ? 'delivered' : 'sent'} />
        </li>`;
      })}
    </ul>`}
  </${Modal}>`;
}

// MessageRow is one message; it renders again only when the message, its
// download progress or its sender line changed.
export const MessageRow = memo(function MessageRow({ m, sender, prog, onOpen, onInfo }) {
  if (m.deleted) return null;
  if (m.kind === 'timer') return html`<${TimerNotice} m=${m} />`;
  if (m.kind === 'device') return html`<${DeviceNotice} m=${m} />`;
  const out = m.direction === 'out';
  return html`<div class=${cls('msg', out ? 'out' : 'in')} data-id=${m.id} data-state=${m.state}>
    <div class="bubble">
      ${sender ? html`<span class="sender">${sender}</span>` : html`<span class="sr-only">${out ? 'You:' : ''}</span>`}
      ${m.reply_to && html`<${Quote} m=${m} />`}
      ${m.media && html`<${MediaView} media=${m.media} prog=${prog} onOpen=${() => onOpen(m.media)} />`}
      ${m.text && html`<span class="text">${m.text}</span>`}
      <span class="meta">
        <${ExpiryMark} m=${m} />
        <time datetime=${m.sent_at}>${clock(m.sent_at)}</time>
        ${out &&
        (m.group
          ? html`<button type="button" aria-label=${'Message info: ' + (tickLabel[m.state] || m.state)} onClick=${() => onInfo(m)}><${Ticks} state=${m.state} /></button>`
          : html`<${Ticks} state=${m.state} />`)}
        <${ReplyButton} m=${m} />
      </span>
      ${out && m.state === 'pending' && m.pending && m.pending.reason && html`<span class="why">${m.pending.reason}</span>`}
      <${MessageActions} m=${m} />
    </div>
  </div>`;
});

// UploadRow is a file on its way from the browser to the daemon.
export function UploadRow({ u, onCancel }) {
  return html`<div class="msg out upload" data-upload=${u.name}>
    <div class="bubble">
      ${u.preview && html`<img src=${u.preview} alt="" />`}
      <div class="file-name">${u.name}</div>
      <div class="file-meta">${u.error ? html`<span class="error-text">${u.error}</span>` : 'sending ' + percent(u.loaded, u.size) + '% of ' + size(u.size)}</div>
      ${!u.error && html`<progress aria-label=${'Sending ' + u.name} max=${u.size || 1} value=${u.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${onCancel}>${u.error ? 'Dismiss' : 'Cancel'}</button></div>
    </div>
  </div>`;
}
