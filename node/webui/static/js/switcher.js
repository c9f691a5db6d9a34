// Ctrl+K: jump to a chat by typing part of its name (a combobox over the
// chats and contacts; arrows move, Enter opens, Escape closes).
import { html, useState } from './html.js';
import { Modal, Avatar, useAutofocus } from './ui.js';
import { S, chatName } from './store.js';
import { peerKey, chatPath } from './util.js';
import { navigate } from './router.js';

function candidates() {
  const out = S.convs.map((c) => ({ key: c.key, name: c.name || chatName(c.key), group: !!c.group }));
  const have = new Set(out.map((c) => c.key));
  for (const c of S.contacts.values()) {
    const key = peerKey(c.account);
    if (!have.has(key)) out.push({ key, name: c.name || chatName(key), group: false });
  }
  return out;
}

export function Switcher({ onClose }) {
  const [q, setQ] = useState('');
  const [sel, setSel] = useState(0);
  const input = useAutofocus();
  const needle = q.trim().toLowerCase();
  const all = candidates();
  const list = (needle ? all.filter((c) => c.name.toLowerCase().includes(needle)) : all).slice(0, 50);
  const cur = Math.min(sel, list.length - 1);
  const go = (c) => {
    if (!c) return;
    onClose();
    navigate(chatPath(c.key));
  };
  const onKeyDown = (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setSel((cur + 1) % Math.max(1, list.length));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setSel((cur - 1 + list.length) % Math.max(1, list.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(list[cur]);
    }
  };
  return html`<${Modal} title="Go to chat" onClose=${onClose} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${input}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${list.length ? 'sw-' + cur : undefined}
      autocomplete="off"
      placeholder="Type a name"
      value=${q}
      onInput=${(e) => (setQ(e.target.value), setSel(0))}
      onKeyDown=${onKeyDown}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${list.map(
        (c, i) => html`<li id=${'sw-' + i} key=${c.key} role="option" aria-selected=${i === cur ? 'true' : 'false'} onClick=${() => go(c)} data-key=${c.key}>
          <${Avatar} small name=${c.name} group=${c.group} />
          ${c.name}
        </li>`,
      )}
      ${!list.length && html`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${Modal}>`;
}
