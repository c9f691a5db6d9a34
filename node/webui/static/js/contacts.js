// Contacts: adding one (account ID, contact link or QR code), the list,
// your own account to share, and a contact's details with the safety
// number to compare.
import { BlockSection } from './profile.js';
import { html, useState, useEffect } from './html.js';
import { Icon, Modal, Avatar, useAutofocus, copy } from './ui.js';
import { S, useSel, addContact, verifyContact, loadContacts, refreshConvs, report, toast, joinGroup } from './store.js';
import { get, put, del, qrURL, enc } from './api.js';
import { parseShared, contactLink, shortID, groupDigits } from './util.js';
import { navigate, onLink } from './router.js';
import { ScanQR } from './qr.js';

export function AddContact({ onClose, initial }) {
  const [text, setText] = useState(initial || '');
  const [name, setName] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const focus = useAutofocus();
  const parsed = parseShared(text);
  useEffect(() => {
    if (parsed && parsed.kind === 'account' && parsed.name && !name) setName(parsed.name);
  }, [text]);

  const submit = async (e) => {
    e.preventDefault();
    if (!parsed) {
      setErr('That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.');
      return;
    }
    setBusy(true);
    setErr('');
    try {
      if (parsed.kind === 'invite') {
        const res = await joinGroup(parsed.link);
        toast(res.status === 'active' ? 'You joined the group.' : 'Admitted: the group appears once its history arrives.');
        onClose();
        navigate('/group/' + res.group);
        return;
      }
      await addContact(parsed.account, name.trim());
      onClose();
      navigate('/chat/' + parsed.account);
    } catch (e2) {
      setErr(e2.message);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal}
    title="Add contact"
    onClose=${onClose}
    actions=${html`<button type="button" class="btn" onClick=${onClose}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${busy}>${parsed && parsed.kind === 'invite' ? 'Join group' : 'Add'}</button>`}
  >
    <form id="add-contact" onSubmit=${submit}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${focus} type="text" name="account" autocomplete="off" spellcheck="false" value=${text} onInput=${(e) => setText(e.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${parsed && parsed.kind === 'invite' && html`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!parsed || parsed.kind === 'account') &&
      html`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${name} onInput=${(e) => setName(e.target.value)} />
      </label>`}
      ${err && html`<p class="error-text" role="alert">${err}</p>`}
    </form>
    <${ScanQR} onText=${(t) => (setText(t), setErr(''))} />
  </${Modal}>`;
}

export function MyAccount() {
  const me = useSel((s) => s.me);
  const [name, setName] = useState(localStorage.getItem('pigeon.my-name') || '');
  if (!me) return null;
  const link = contactLink(me.account, name.trim());
  return html`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${me.account}>${me.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async () => toast((await copy(me.account)) ? 'Account ID copied.' : 'Copy failed: select the ID and copy it.')}>
        <${Icon} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async () => toast((await copy(link)) ? 'Contact link copied.' : 'Copy failed.')}>
        <${Icon} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${name}
        onInput=${(e) => {
          setName(e.target.value);
          localStorage.setItem('pigeon.my-name', e.target.value);
        }}
      />
    </label>
    <img class="qr" src=${qrURL(link)} alt=${'QR code of your contact link ' + link} width="220" height="220" />
    <p class="muted">Device ${me.device} · peer ${shortID(me.peer_id)}</p>
  </div>`;
}

export function ContactsPage({ onAdd }) {
  const contacts = useSel((s) => s.contacts);
  const list = [...contacts.values()].sort((a, b) => (a.name || a.account).localeCompare(b.name || b.account));
  return html`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${onLink}><${Icon} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${onAdd}><${Icon} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${list.map(
            (c) => html`<li key=${c.account} data-account=${c.account}>
              <${Avatar} small name=${c.name} />
              <span class="grow">
                <strong>${c.name || shortID(c.account)}</strong>
                ${c.verified && html` <span class="verified">✓ verified</span>`}
                ${c.identity_changed_at && html` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${c.account}</div>
              </span>
              <a class="btn" href=${'/chat/' + c.account} onClick=${onLink}><${Icon} name="chat" /> Message</a>
            </li>`,
          )}
          ${!list.length && html`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${MyAccount} />
    </div>
  </section>`;
}

export function MePage() {
  return html`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${onLink}><${Icon} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${MyAccount} /></div>
  </section>`;
}

// SafetyNumber shows the number both sides compare (read aloud, or scan
// each other's code), and verifies the contact.
function SafetyNumber({ account }) {
  const contact = useSel((s) => s.contacts.get(account));
  const changed = useSel((s) => s.identity.get(account));
  const [num, setNum] = useState('');
  const [err, setErr] = useState('');
  const [scanning, setScanning] = useState(false);
  const [match, setMatch] = useState(null);
  useEffect(() => {
    get('/v1/contacts/' + enc(account) + '/safety-number')
      .then((r) => setNum(r.safety_number))
      .catch((e) => setErr(e.message));
  }, [account, contact && contact.identity_changed_at, changed]);
  const groups = groupDigits(num).split(' ').filter(Boolean);
  const verify = async () => {
    try {
      await verifyContact(account);
      toast('Marked as verified.');
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(changed || (contact && contact.identity_changed_at)) &&
    html`<p class="banner" role="alert"><${Icon} name="shield" /> Their device keys changed${contact && contact.verified ? ' since you verified it' : ''} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${err && html`<p class="error-text">${err}</p>`}
    ${num &&
    html`<div class="safety" aria-label=${'Safety number ' + groups.join(' ')} data-safety=${num}>${groups.map((g, i) => html`<span key=${i}>${g}</span>`)}</div>
      <img class="qr" src=${qrURL(num)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${contact && contact.name ? contact.name : 'your contact'}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${scanning &&
    html`<${ScanQR}
      onText=${(t) => {
        setScanning(false);
        setMatch(t.replace(/\s/g, '') === num);
      }}
    />`}
    ${match === true && html`<p class="verified" role="status">The numbers match.</p>`}
    ${match === false && html`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${() => setScanning(!scanning)}><${Icon} name="camera" /> ${scanning ? 'Stop scanning' : 'Scan their code'}</button>
      ${contact && contact.verified && !contact.identity_changed_at
        ? html`<span class="verified"><${Icon} name="shield" /> Verified</span>`
        : html`<button type="button" class="btn primary" onClick=${verify} disabled=${!contact}>Mark as verified</button>`}
    </div>
  </div>`;
}

const autoChoices = [
  [-1, 'As in Settings'],
  [0, 'Never'],
  [1 << 20, 'Up to 1 MB'],
  [16 << 20, 'Up to 16 MB'],
  [100 << 20, 'Up to 100 MB'],
  [16 * 1024 * 1024 * 1024, 'Always'],
];

export function AutoDownloadChat({ account }) {
  const [v, setV] = useState(localStorage.getItem('pigeon.auto.' + account) || '-1');
  const set = async (val) => {
    try {
      await put('/v1/conversations/' + enc(account) + '/auto-download', { max_bytes: Number(val) });
      localStorage.setItem('pigeon.auto.' + account, val);
      setV(val);
    } catch (e) {
      report(e);
    }
  };
  return html`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${v} onChange=${(e) => set(e.target.value)}>
      ${autoChoices.map(([n, label]) => html`<option value=${String(n)}>${label}</option>`)}
    </select>
  </label>`;
}

export function ContactInfo({ account }) {
  const contact = useSel((s) => s.contacts.get(account));
  const presence = useSel((s) => s.presence.get(account));
  const [name, setName] = useState(contact ? contact.name : '');
  useEffect(() => setName(contact ? contact.name : ''), [contact && contact.name]);
  const rename = async (e) => {
    e.preventDefault();
    try {
      await put('/v1/contacts/' + enc(account), { name: name.trim() });
      await loadContacts();
      refreshConvs();
      toast('Saved.');
    } catch (e2) {
      report(e2);
    }
  };
  const remove = async () => {
    if (!confirm('Remove this contact? The chat stays.')) return;
    try {
      await del('/v1/contacts/' + enc(account));
      await loadContacts();
    } catch (e) {
      report(e);
    }
  };
  return html`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${'/chat/' + account} class="icon-btn" onClick=${onLink} aria-label="Close details"><${Icon} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${contact
        ? html`<form onSubmit=${rename} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${name} onInput=${(e) => setName(e.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`
        : html`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${() => addContact(account, '').catch(report)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${account}</p>
      ${presence && html`<p class="muted">${presence.state === 'online' ? 'Online' : presence.state === 'offline' ? 'Offline' : 'Presence not shared'}</p>`}
    </div>
    <${SafetyNumber} account=${account} />
    <div class="section">
      <h3>Files</h3>
      <${AutoDownloadChat} account=${account} />
    </div>
    <${BlockSection} account=${account} />
    ${contact && html`<div class="section"><button type="button" class="btn danger" onClick=${remove}><${Icon} name="trash" /> Remove contact</button></div>`}
  </aside>`;
}
