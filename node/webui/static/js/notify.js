// Browser notifications for messages that arrive while the tab is hidden,
// and the unread count in the tab's title.
import { S, accountName, chatName } from './store.js';
import { keyOf, chatPath } from './util.js';
import { navigate } from './router.js';
import { mutedKey } from './convo.js';

export const canNotify = () => 'Notification' in window;
export const notifyPermission = () => (canNotify() ? Notification.permission : 'unsupported');

// askNotify asks for permission; browsers only allow it from a click.
export async function askNotify() {
  if (!canNotify()) return 'unsupported';
  return Notification.requestPermission();
}

// notifyMessage shows a notification for message m, unless its chat is
// muted (muted: the event said so).
export function notifyMessage(m, muted) {
  if (!document.hidden || !canNotify() || Notification.permission !== 'granted') return;
  const key = keyOf(m);
  if (muted || mutedKey(key)) return;
  const chat = chatName(key);
  const who = m.group ? accountName(m.sender) + ' in ' + chat : chat;
  const body = m.media ? '📎 ' + (m.text || m.media.name || 'a file') : m.text;
  try {
    const n = new Notification(who, { body: body.slice(0, 200), tag: key, icon: document.querySelector('link[rel=icon]').href });
    n.onclick = () => {
      window.focus();
      navigate(chatPath(key));
      n.close();
    };
  } catch {
    // some browsers allow notifications only from a service worker
  }
}

// title keeps "(N) Pigeon" in the tab, N the unread messages of all chats.
let shown = '';
export function updateTitle() {
  let n = 0;
  for (const c of S.convs) n += c.unread || 0;
  const t = n > 0 ? '(' + n + ') Pigeon' : 'Pigeon';
  if (t !== shown) {
    shown = t;
    document.title = t;
  }
}
