// Reading a QR code: from the camera (getUserMedia, a frame every 0.6 s
// drawn on a canvas), from an image file, or from a pasted image. The
// daemon decodes (POST /v1/qr/decode), so no JS decoder is shipped.
import { html, useState, useRef, useEffect } from './html.js';
import { Icon } from './ui.js';
import { decodeQR } from './api.js';

export function ScanQR({ onText }) {
  const [camera, setCamera] = useState(false);
  const [msg, setMsg] = useState('');
  const file = useRef(null);

  const fromBlob = async (blob, quiet) => {
    try {
      const text = await decodeQR(blob);
      if (text) {
        setCamera(false);
        setMsg('');
        onText(text);
        return true;
      }
    } catch (e) {
      if (!quiet) setMsg(e.message || 'No QR code found in that image.');
    }
    return false;
  };

  useEffect(() => {
    const onPaste = (e) => {
      const f = e.clipboardData && [...e.clipboardData.files].find((x) => x.type.startsWith('image/'));
      if (f) {
        e.preventDefault();
        fromBlob(f);
      }
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, []);

  return html`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices &&
      navigator.mediaDevices.getUserMedia &&
      html`<button type="button" class="btn" aria-pressed=${camera ? 'true' : 'false'} onClick=${() => setCamera(!camera)}>
        <${Icon} name="camera" /> ${camera ? 'Stop camera' : 'Scan with camera'}
      </button>`}
      <button type="button" class="btn" onClick=${() => file.current.click()}><${Icon} name="qr" /> QR code from an image</button>
      <input
        ref=${file}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${(e) => {
          const f = e.target.files[0];
          e.target.value = '';
          if (f) fromBlob(f);
        }}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${camera && html`<${Camera} onFrame=${(b) => fromBlob(b, true)} onError=${(m) => (setMsg(m), setCamera(false))} />`}
    ${msg && html`<p class="error-text" role="alert">${msg}</p>`}
  </div>`;
}

function Camera({ onFrame, onError }) {
  const video = useRef(null);
  useEffect(() => {
    let stream = null;
    let timer = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const tick = () => {
      const v = video.current;
      if (stopped || !v) return;
      if (v.videoWidth) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        canvas.getContext('2d').drawImage(v, 0, 0);
        canvas.toBlob(async (b) => {
          if (b && !stopped && (await onFrame(b))) stopped = true;
          if (!stopped) timer = setTimeout(tick, 600);
        }, 'image/jpeg', 0.85);
        return;
      }
      timer = setTimeout(tick, 300);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then((s) => {
        stream = s;
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        video.current.srcObject = s;
        video.current.play();
        tick();
      })
      .catch(() => onError('The camera is not available: allow it in the browser, or use an image of the code.'));
    return () => {
      stopped = true;
      clearTimeout(timer);
      if (stream) stream.getTracks().forEach((t) => t.stop());
    };
  }, []);
  return html`<div class="camera"><video ref=${video} muted playsinline aria-label="Camera"></video></div>`;
}
