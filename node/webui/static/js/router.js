// Client-side routes; the daemon serves index.html for each of them.
//   /                    no chat open
//   /chat/ACCOUNT[/info] a 1:1 chat (and its contact's details)
//   /group/ID[/info]     a group (and its details)
//   /contacts, /me, /settings, /requests
import { useState, useEffect } from './html.js';

const listeners = new Set();

export function navigate(path, { replace = false } = {}) {
  if (path === location.pathname) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const f of listeners) f();
}

window.addEventListener('popstate', () => {
  for (const f of listeners) f();
});

export function route(path = location.pathname) {
  const parts = path.split('/').filter(Boolean);
  const [a, b, c] = parts;
  if ((a === 'chat' || a === 'group') && b) {
    return { name: 'chat', key: (a === 'group' ? 'g:' : 'p:') + b, info: c === 'info' };
  }
  if (a === 'contacts' || a === 'me' || a === 'settings' || a === 'requests') return { name: a };
  return { name: 'home' };
}

export function useRoute() {
  const [r, set] = useState(() => route());
  useEffect(() => {
    const f = () => set(route());
    listeners.add(f);
    return () => listeners.delete(f);
  }, []);
  return r;
}

// link makes an <a> navigate in the app (a plain click) while keeping
// what links do otherwise (open in a new tab, copy the address).
export function onLink(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.currentTarget;
  e.preventDefault();
  navigate(a.getAttribute('href'));
}
