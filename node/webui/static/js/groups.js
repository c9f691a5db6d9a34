// Groups: creating one, joining by invite link (typed, pasted or from a
// QR code), and a group's details: name, description, settings, members
// with their roles, invite links with QR codes, leaving.
import { html, useState } from './html.js';
import { avatarOf } from './profile.js';
import { Icon, Modal, Avatar, useAutofocus, copy } from './ui.js';
import { S, useSel, createGroup, joinGroup, loadGroup, loadConvs, report, toast } from './store.js';
import { post, put, del, patch, qrURL } from './api.js';
import { parseShared, shortID } from './util.js';
import { navigate, onLink } from './router.js';
import { ScanQR } from './qr.js';
import { AdminsDelete } from './actions.js';

function ContactPicker({ chosen, onChange, exclude }) {
  const contacts = useSel((s) => s.contacts);
  const list = [...contacts.values()].filter((c) => !exclude || !exclude.has(c.account));
  if (!list.length) return html`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`;
  return html`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${list.map(
      (c) => html`<label key=${c.account}>
        <input
          type="checkbox"
          checked=${chosen.has(c.account)}
          onChange=${(e) => {
            const n = new Set(chosen);
            if (e.target.checked) n.add(c.account);
            else n.delete(c.account);
            onChange(n);
          }}
        />
        ${c.name || shortID(c.account)}
      </label>`,
    )}
  </fieldset>`;
}

export function NewGroup({ onClose }) {
  const [name, setName] = useState('');
  const [desc, setDesc] = useState('');
  const [chosen, setChosen] = useState(new Set());
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const focus = useAutofocus();
  const submit = async (e) => {
    e.preventDefault();
    if (!name.trim()) {
      setErr('Give the group a name.');
      return;
    }
    setBusy(true);
    try {
      const g = await createGroup(name.trim(), desc.trim(), [...chosen]);
      onClose();
      navigate('/group/' + g.id);
    } catch (e2) {
      setErr(e2.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal}
    title="New group"
    onClose=${onClose}
    actions=${html`<button type="button" class="btn" onClick=${onClose}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${busy}>Create</button>`}
  >
    <form id="new-group" onSubmit=${submit}>
      <label class="field"><span>Name</span><input ref=${focus} type="text" name="name" value=${name} onInput=${(e) => setName(e.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${desc} onInput=${(e) => setDesc(e.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${ContactPicker} chosen=${chosen} onChange=${setChosen} />
      ${err && html`<p class="error-text" role="alert">${err}</p>`}
    </form>
  </${Modal}>`;
}

export function JoinGroup({ onClose }) {
  const [link, setLink] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const focus = useAutofocus();
  const join = async (text) => {
    const p = parseShared(text);
    if (!p || p.kind !== 'invite') {
      setErr('That is not a group invite link (it starts with pgi). Ask a member for a new one.');
      return;
    }
    setBusy(true);
    setErr('');
    try {
      const res = await joinGroup(p.link);
      toast(res.status === 'active' ? 'You joined the group.' : 'Admitted: the group appears once its history arrives.');
      onClose();
      navigate('/group/' + res.group);
    } catch (e) {
      setErr(e.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal}
    title="Join a group"
    onClose=${onClose}
    actions=${html`<button type="button" class="btn" onClick=${onClose}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${busy}>${busy ? 'Asking the group…' : 'Join'}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${(e) => {
        e.preventDefault();
        join(link);
      }}
    >
      <label class="field"><span>Invite link</span><input ref=${focus} type="text" name="link" autocomplete="off" spellcheck="false" value=${link} onInput=${(e) => setLink(e.target.value)} placeholder="pgi…" /></label>
      ${err && html`<p class="error-text" role="alert">${err}</p>`}
    </form>
    <${ScanQR} onText=${(t) => (setLink(t), join(t))} />
  </${Modal}>`;
}

const can = (g, what) => g.role === 'owner' || g.role === 'admin' || (g.settings && g.settings[what] === 'members' && g.role === 'member');

function Invites({ g }) {
  const [link, setLink] = useState('');
  const [ttl, setTtl] = useState('86400');
  const make = async () => {
    try {
      const r = await post('/v1/groups/' + g.id + '/invites', { ttl_seconds: Number(ttl) });
      setLink(r.link);
      loadGroup(g.id);
    } catch (e) {
      report(e);
    }
  };
  const revoke = async () => {
    try {
      await post('/v1/groups/invites/revoke', { link });
      setLink('');
      loadGroup(g.id);
      toast('Invite link revoked: nobody can join with it now.');
    } catch (e) {
      report(e);
    }
  };
  return html`<div class="section invites">
    <h3>Invite link</h3>
    ${link
      ? html`<p class="mono" data-invite=${link}>${link}</p>
          <img class="qr" src=${qrURL(link)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async () => toast((await copy(link)) ? 'Invite link copied.' : 'Copy failed: select the link and copy it.')}>
              <${Icon} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${revoke}>Revoke</button>
          </div>`
      : html`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${ttl} onChange=${(e) => setTtl(e.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${make}><${Icon} name="link" /> Create invite link</button>
        </div>`}
    ${g.invites && g.invites.length > 0 && html`<p class="muted">${g.invites.length} invite link${g.invites.length > 1 ? 's' : ''} open.</p>`}
  </div>`;
}

function Members({ g }) {
  const contacts = useSel((s) => s.contacts);
  useSel((s) => s.profiles); // members' avatars: render again when profiles change
  const [adding, setAdding] = useState(false);
  const [chosen, setChosen] = useState(new Set());
  const me = S.me && S.me.account;
  const admin = g.role === 'owner' || g.role === 'admin';
  const act = async (fn) => {
    try {
      await fn();
      await loadGroup(g.id);
    } catch (e) {
      report(e);
    }
  };
  const base = '/v1/groups/' + g.id + '/members';
  return html`<div class="section members">
    <h3>${g.members.length} members</h3>
    <ul class="list">
      ${g.members.map((m) => {
        const name = m.account === me ? 'You' : m.name || (contacts.get(m.account) || {}).name || shortID(m.account);
        return html`<li key=${m.account} data-account=${m.account}>
          <${Avatar} small name=${name} src=${avatarOf(m.account)} />
          <span class="grow">${name}</span>
          ${m.role !== 'member' && html`<span class="role">${m.role}</span>`}
          ${admin &&
          m.account !== me &&
          m.role !== 'owner' &&
          html`<span class="row">
            ${m.role === 'member'
              ? html`<button type="button" class="btn" onClick=${() => act(() => put(base + '/' + m.account + '/role', { role: 'admin' }))} aria-label=${'Make ' + name + ' an admin'}>Make admin</button>`
              : g.role === 'owner' &&
                html`<button type="button" class="btn" onClick=${() => act(() => put(base + '/' + m.account + '/role', { role: 'member' }))} aria-label=${'Make ' + name + ' a member'}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${() => confirm('Remove ' + name + ' from the group?') && act(() => del(base + '/' + m.account))} aria-label=${'Remove ' + name}>
              Remove
            </button>
          </span>`}
        </li>`;
      })}
    </ul>
    ${can(g, 'add') &&
    (adding
      ? html`<div>
          <${ContactPicker} chosen=${chosen} onChange=${setChosen} exclude=${new Set(g.members.map((m) => m.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!chosen.size}
              onClick=${() =>
                act(async () => {
                  await post(base, { accounts: [...chosen], role: 'member' });
                  setAdding(false);
                  setChosen(new Set());
                })}
            >
              Add ${chosen.size || ''}
            </button>
            <button type="button" class="btn" onClick=${() => setAdding(false)}>Cancel</button>
          </div>
        </div>`
      : html`<button type="button" class="btn" onClick=${() => setAdding(true)}><${Icon} name="person-add" /> Add members</button>`)}
  </div>`;
}

function Choice({ g, k, label }) {
  const set = async (v) => {
    try {
      await patch('/v1/groups/' + g.id, { settings: { ...g.settings, [k]: v } });
      await loadGroup(g.id);
    } catch (e) {
      report(e);
    }
  };
  return html`<label class="field">
    <span>${label}</span>
    <select value=${g.settings[k]} onChange=${(e) => set(e.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`;
}

function Settings({ g }) {
  return html`<div class="section">
    <h3>Permissions</h3>
    <${Choice} g=${g} k="post" label="Who can send messages" />
    <${Choice} g=${g} k="add" label="Who can add members" />
    <${Choice} g=${g} k="edit_info" label="Who can change name and description" />
    <${AdminsDelete} g=${g} />
  </div>`;
}

export function GroupInfo({ id }) {
  const g = useSel((s) => s.groups.get(id));
  const [name, setName] = useState(null);
  const [desc, setDesc] = useState(null);
  if (!g) return html`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;
  const active = g.status === 'active';
  const edit = active && can(g, 'edit_info');
  const save = async (e) => {
    e.preventDefault();
    try {
      await patch('/v1/groups/' + id, { name: (name ?? g.name).trim(), description: (desc ?? g.description ?? '').trim() });
      await loadGroup(id);
      await loadConvs();
      setName(null);
      setDesc(null);
      toast('Saved.');
    } catch (e2) {
      report(e2);
    }
  };
  const leave = async () => {
    if (!confirm('Leave ' + g.name + '? You will not get its messages any more.')) return;
    try {
      await post('/v1/groups/' + id + '/leave');
      await loadGroup(id);
    } catch (e) {
      report(e);
    }
  };
  return html`<aside class="drawer" aria-label="Group details" data-group=${id}>
    <header class="bar">
      <a href=${'/group/' + id} class="icon-btn" onClick=${onLink} aria-label="Close details"><${Icon} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${edit
        ? html`<form onSubmit=${save}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${name ?? g.name} onInput=${(e) => setName(e.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${desc ?? g.description ?? ''} onInput=${(e) => setDesc(e.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${name === null && desc === null}>Save</button>
          </form>`
        : html`<h3>${g.name}</h3>
            <p>${g.description}</p>`}
      <p class="muted">${!active ? (g.status === 'left' ? 'You left this group.' : 'You were removed from this group.') : 'Your role: ' + g.role}</p>
    </div>
    ${active && html`<${Members} g=${g} />`}
    ${active && can(g, 'add') && html`<${Invites} g=${g} />`}
    ${active && (g.role === 'owner' || g.role === 'admin') && html`<${Settings} g=${g} />`}
    ${active && html`<div class="section"><button type="button" class="btn danger" onClick=${leave}>Leave group</button></div>`}
  </aside>`;
}
