// Building blocks shared by the screens: icons, avatars, dialogs.
import { html, useRef, useLayoutEffect, useEffect } from './html.js';
import { initial, cls } from './util.js';

export const Icon = ({ name, label, class: c }) =>
  label
    ? html`<span class=${cls('icon', 'i-' + name, c)} role="img" aria-label=${label}></span>`
    : html`<span class=${cls('icon', 'i-' + name, c)} aria-hidden="true"></span>`;

export function Avatar({ name, online, small, group, src }) {
  return html`<span class=${cls('avatar', small && 'small')} aria-hidden="true">
    ${group ? html`<${Icon} name="group" />` : src ? html`<img class="avatar-img" src=${src} alt="" />` : initial(name)}
    ${online && html`<span class="dot"></span>`}
  </span>`;
}

let dialogSeq = 0;

// Modal is a <dialog> shown modally: the browser keeps focus inside it,
// Escape closes it, and focus returns where it was.
export function Modal({ title, onClose, children, actions, class: c, label }) {
  const ref = useRef(null);
  const id = useRef('dlg' + ++dialogSeq).current;
  useLayoutEffect(() => {
    const d = ref.current;
    const back = document.activeElement;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      if (back && back.focus && document.contains(back)) back.focus();
    };
  }, []);
  return html`<dialog
    ref=${ref}
    class=${c}
    aria-labelledby=${label ? undefined : id}
    aria-label=${label}
    onCancel=${(e) => {
      e.preventDefault();
      onClose();
    }}
  >
    <header class="bar">
      <h2 id=${id}>${title}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${onClose}><${Icon} name="close" /></button>
    </header>
    <div class="dialog-body">${children}</div>
    ${actions && html`<div class="dialog-actions">${actions}</div>`}
  </dialog>`;
}

// useAutofocus focuses the element once it is on screen.
export function useAutofocus() {
  const ref = useRef(null);
  useEffect(() => {
    if (ref.current) ref.current.focus();
  }, []);
  return ref;
}

export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
