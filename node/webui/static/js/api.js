// The local API of the daemon that served this page. The session cookie
// set by the login link authenticates every request; no token is ever in a
// URL.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || 'request failed (' + status + ')');
    this.status = status;
    this.code = code || '';
  }
}

let onUnauthorized = () => {};
// unauthorized sets what happens when a request gets 401 (the session
// ended): the app shows how to log in again.
export function unauthorized(fn) {
  onUnauthorized = fn;
}

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.status === 401) onUnauthorized();
  return new ApiError(res.status, body && body.code, body && body.error);
}

// api sends a request with an optional JSON body and returns the decoded
// response (null for 204).
export async function api(method, path, body) {
  const init = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'the daemon does not answer: is `pigeon daemon` still running?');
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204 || res.status === 202) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

export const enc = encodeURIComponent;

// history pages back through a chat: the page of messages older than
// before (the newest without it), oldest first.
export function historyPath(key, before, limit) {
  const id = key.slice(2);
  const base = key.startsWith('g:') ? '/v1/groups/' + id : '/v1/conversations/' + id;
  let q = '?limit=' + limit;
  if (before) q += '&before=' + before;
  return base + '/messages' + q;
}

// upload streams a file to POST /v1/media, reporting progress as the
// browser sends it (XHR upload events; fetch has none). It returns
// { promise, abort }; the promise gives the new message's ID.
export function upload({ key, file, caption, replyTo, onProgress }) {
  const q = new URLSearchParams();
  q.set(key.startsWith('g:') ? 'group' : 'to', key.slice(2));
  if (file.name) q.set('name', file.name);
  if (file.type) q.set('mime', file.type);
  if (caption) q.set('caption', caption);
  if (replyTo) q.set('reply_to', replyTo);
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', '/v1/media?' + q.toString());
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress && onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const body = xhr.response;
      if (xhr.status === 201 && body && body.id) {
        resolve(body.id);
        return;
      }
      if (xhr.status === 401) onUnauthorized();
      reject(new ApiError(xhr.status, body && body.code, body && body.error));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload was cut off: is the daemon still running?'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload cancelled'));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

export const contentURL = (id) => '/v1/media/' + id + '/content';
export const thumbURL = (id) => '/v1/media/' + id + '/thumbnail';
export const qrURL = (text) => '/v1/qr.svg?text=' + enc(text);

// decodeQR sends an image (a photo of a QR code, a screenshot, a camera
// frame) to the daemon, which returns the text it holds.
export async function decodeQR(blob) {
  const res = await fetch('/v1/qr/decode', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': blob.type || 'application/octet-stream' },
    body: blob,
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()).text;
}

// save hands a file to the browser's downloads: the daemon sends it with
// Content-Disposition: attachment, so this never navigates away.
export function save(id, name) {
  const a = document.createElement('a');
  a.href = contentURL(id);
  a.download = name || '';
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
