// The composer: Enter sends, Shift+Enter starts a new line; files come
// from the attach button, a paste or a drop, wait in a tray, and go with
// the text as the first one's caption.
import { html, useState, useRef, useEffect } from './html.js';
import { Icon } from './ui.js';
import { S, sendText, sendFile, typing, report } from './store.js';
import { size } from './util.js';
import { ReplyBar, cancelReply } from './convo.js';

let stagedSeq = 0;

export function Composer({ chatKey, dropped }) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState([]); // [{id, file, preview}]
  const [busy, setBusy] = useState(false);
  const area = useRef(null);
  const picker = useRef(null);

  const stage = (list) => {
    const add = [...list].map((file) => ({
      id: ++stagedSeq,
      file,
      preview: file.type.startsWith('image/') ? URL.createObjectURL(file) : '',
    }));
    if (add.length) setFiles((f) => f.concat(add));
    area.current && area.current.focus();
  };
  const unstage = (id) =>
    setFiles((f) =>
      f.filter((x) => {
        if (x.id === id && x.preview) URL.revokeObjectURL(x.preview);
        return x.id !== id;
      }),
    );

  useEffect(() => {
    if (dropped && dropped.length) stage(dropped);
  }, [dropped]);

  useEffect(() => {
    area.current && area.current.focus({ preventScroll: true });
  }, []);

  // Grow with the text, up to the CSS max-height.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = el.scrollHeight + 2 + 'px';
  }, [text]);

  const submit = async () => {
    const body = text.trim();
    if (busy || (!body && !files.length)) return;
    const sending = files;
    const reply = S.replying.get(chatKey); // the first message answers it
    setText('');
    setFiles([]);
    typing(chatKey, false);
    if (sending.length) {
      // Each file is its own message; the text is the first one's caption.
      cancelReply(chatKey);
      sending.forEach((s, i) => {
        sendFile(chatKey, s.file, i === 0 ? body : '', i === 0 && reply ? reply.id : '').finally(() => s.preview && URL.revokeObjectURL(s.preview));
      });
      return;
    }
    setBusy(true);
    try {
      await sendText(chatKey, body, reply ? reply.id : '');
      cancelReply(chatKey);
    } catch (e) {
      setText(body); // nothing is lost: the text is back for another try
      report(e);
    } finally {
      setBusy(false);
      area.current && area.current.focus();
    }
  };

  const onKeyDown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const onPaste = (e) => {
    const list = e.clipboardData && e.clipboardData.files;
    if (list && list.length) {
      e.preventDefault();
      stage(list);
    }
  };

  return html`<div class="composer-wrap">
    <${ReplyBar} chatKey=${chatKey} />
    ${files.length > 0 &&
    html`<ul class="staged" aria-label="Files to send">
      ${files.map(
        (s) => html`<li class="staged-item" key=${s.id}>
          ${s.preview ? html`<img src=${s.preview} alt="" />` : html`<${Icon} name="doc" />`}
          <span class="grow">${s.file.name} <span class="muted">${size(s.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${'Remove ' + s.file.name} onClick=${() => unstage(s.id)}><${Icon} name="close" /></button>
        </li>`,
      )}
    </ul>`}
    <form
      class="composer"
      onSubmit=${(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${() => picker.current.click()}><${Icon} name="attach" /></button>
      <input ref=${picker} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${(e) => (stage(e.target.files), (e.target.value = ''))} />
      <label class="sr-only" for=${'composer-' + chatKey}>${files.length ? 'Caption' : 'Message'}</label>
      <textarea
        id=${'composer-' + chatKey}
        ref=${area}
        rows="1"
        placeholder=${files.length ? 'Add a caption' : 'Type a message'}
        value=${text}
        onInput=${(e) => {
          setText(e.target.value);
          if (e.target.value) typing(chatKey, true);
        }}
        onKeyDown=${onKeyDown}
        onPaste=${onPaste}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${busy}><${Icon} name="send" /></button>
    </form>
  </div>`;
}
