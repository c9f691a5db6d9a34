// The app: boot (who am I, is this browser signed in), the layout
// (sidebar, conversation or page, details drawer), dialogs, keyboard
// shortcuts, and the event stream that keeps it all current.
import { html, render, useState, useEffect } from './html.js';
import { S, useSel, changed, subscribe, openChat, closeChat, setVisible, dismiss } from './store.js';
import { get, unauthorized } from './api.js';
import { connect, reconnect } from './events.js';
import { useRoute } from './router.js';
import { updateTitle } from './notify.js';
import { Sidebar } from './chatlist.js';
import { Conversation } from './conversation.js';
import { ContactsPage, MePage, ContactInfo, AddContact } from './contacts.js';
import { NewGroup, JoinGroup, GroupInfo } from './groups.js';
import { SettingsPage, applyTheme } from './settings.js';
import { RequestsPage } from './profile.js';
import { Switcher } from './switcher.js';
import { Icon } from './ui.js';
import { LinkRequest } from './devices.js';
import { SetupScreen, untilSetUp } from './setup.js';

function SignedOut() {
  return html`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`;
}

function Toasts() {
  const toasts = useSel((s) => s.toasts);
  return html`<div class="toasts" role="status" aria-live="polite">
    ${toasts.map(
      (t) => html`<div key=${t.id} class=${'toast ' + t.kind} role=${t.kind === 'error' ? 'alert' : undefined}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${() => dismiss(t.id)}><${Icon} name="close" /></button>
      </div>`,
    )}
  </div>`;
}

function Home() {
  return html`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`;
}

function App() {
  const boot = useSel((s) => s.boot);
  const storageFull = useSel((s) => s.storageFull);
  const route = useRoute();
  const [dialog, setDialog] = useState('');

  useEffect(() => {
    if (route.name === 'chat') openChat(route.key);
    else closeChat();
  }, [route.name, route.key, boot]);

  useEffect(() => {
    const onKey = (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setDialog('switcher');
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (boot === 'signedout') return html`<${SignedOut} />`;
  if (boot === 'setup') return html`<${SetupScreen} />`;
  if (boot === 'error') return html`<main class="signin"><h1>Pigeon</h1><p class="error-text">${S.bootError}</p></main>`;

  const close = () => setDialog('');
  let pane;
  if (route.name === 'chat') {
    const conv = html`<${Conversation} key=${route.key} chatKey=${route.key} info=${route.info} />`;
    const drawer = route.info && (route.key.startsWith('g:') ? html`<${GroupInfo} id=${route.key.slice(2)} />` : html`<${ContactInfo} account=${route.key.slice(2)} />`);
    pane = html`<main class="pane" id="main">${drawer ? html`<div class="with-drawer">${conv}${drawer}</div>` : conv}</main>`;
  } else if (route.name === 'contacts') pane = html`<${ContactsPage} onAdd=${() => setDialog('contact')} />`;
  else if (route.name === 'me') pane = html`<${MePage} />`;
  else if (route.name === 'settings') pane = html`<${SettingsPage} />`;
  else if (route.name === 'requests') pane = html`<${RequestsPage} />`;
  else pane = html`<${Home} />`;

  return html`<div class=${'app' + (route.name !== 'home' ? ' chat-open' : '')} data-boot=${boot}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Sidebar}
      current=${route.key}
      onNewGroup=${() => setDialog('group')}
      onAddContact=${() => setDialog('contact')}
      onJoin=${() => setDialog('join')}
    />
    ${storageFull && html`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${pane}
    ${dialog === 'switcher' && html`<${Switcher} onClose=${close} />`}
    ${dialog === 'group' && html`<${NewGroup} onClose=${close} />`}
    ${dialog === 'contact' && html`<${AddContact} onClose=${close} />`}
    ${dialog === 'join' && html`<${JoinGroup} onClose=${close} />`}
    <${LinkRequest} />
    <${Toasts} />
  </div>`;
}

// Root renders App and mirrors the connection state onto <body> (tests
// and the status line read data-conn).
function Root() {
  const conn = useSel((s) => s.conn);
  useEffect(() => {
    document.body.dataset.conn = conn;
  }, [conn]);
  return html`<${App} />`;
}

// afterPaint resolves once the browser has painted the page as it is: a
// frame's rendering runs after its animation callbacks, and a task queued
// from one runs after that frame. A hidden tab paints nothing: no wait.
function afterPaint() {
  return new Promise((ok) => (document.hidden ? ok() : requestAnimationFrame(() => setTimeout(ok))));
}

// boot asks the daemon who we are at once, lets the browser paint the
// skeleton of index.html first (the first contentful paint waits for
// neither the app's first render nor the API), then renders the app.
async function boot() {
  unauthorized(() => {
    S.boot = 'signedout';
    changed();
  });
  const info = get('/v1/info');
  info.catch(() => {}); // handled below, after the paint
  await afterPaint();
  const root = document.getElementById('app');
  root.textContent = '';
  root.className = '';
  render(html`<${Root} />`, root);
  try {
    S.me = await info.catch(async (e) => {
      if (e.code !== 'not_set_up') throw e;
      // `pigeon daemon --setup` on a new home: create an account or
      // link this device first.
      await untilSetUp();
      S.boot = 'loading';
      return get('/v1/info');
    });
  } catch (e) {
    if (e.status !== 401) {
      S.boot = 'error';
      S.bootError = e.message;
    }
    changed();
    return;
  }
  changed();
  connect();
  document.addEventListener('visibilitychange', () => {
    setVisible(document.visibilityState === 'visible');
    if (!document.hidden) reconnect();
  });
  window.addEventListener('online', reconnect);
  subscribe(updateTitle); // "(3) Pigeon": the unread count in the tab title
}

applyTheme(); // before the first paint: no flash of the other theme
boot();
