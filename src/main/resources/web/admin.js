// The merchant's gallery editor on /admin/products/{id}: no framework, no build step. The page
// holds no product data; everything comes from the API with the token the merchant enters,
// kept in this tab's sessionStorage only. Writes run one at a time, each with If-Match.

const TOKEN_KEY = 'images-editor-token';
const IMAGE_ID_TYPE = 'application/x-gallery-image-id';
const root = document.querySelector('.editor');
const productId = root.dataset.productId;
const byId = (id) => document.getElementById(id);
const ui = {
  name: root.querySelector('.product-name'), heading: root.querySelector('h1'),
  message: byId('message'), announce: byId('announce'), tokenForm: byId('token-form'), token: byId('token'),
  editor: byId('editor'), forget: byId('forget-token'), files: byId('files'), drop: byId('drop'),
  uploads: byId('uploads'), images: byId('images'), dialog: byId('confirm-delete'), dialogThumb: byId('confirm-thumb'),
};

let etag = null;
let images = [];
let savedOrder = '';
let pendingDelete = null;
const drafts = new Map();
const fieldErrors = new Map();
const polling = new Set();

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `The service answered ${status}.`);
    this.status = status;
    this.problem = problem || {};
  }
}

const token = () => sessionStorage.getItem(TOKEN_KEY);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(method, path, { json, ifMatch } = {}) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch) headers['If-Match'] = ifMatch;
  let response;
  try {
    response = await fetch(path, { method, headers, cache: 'no-store', body: json === undefined ? undefined : JSON.stringify(json) });
  } catch {
    throw new ApiError(0, { detail: 'The service could not be reached. Check the connection and try again.' });
  }
  const body = (response.headers.get('Content-Type') || '').includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return { etag: response.headers.get('ETag'), body };
}

// Writes and reloads queue behind each other, so each write carries the ETag of the one before.
let queue = Promise.resolve();
function serially(task) {
  queue = queue.then(task).catch(failed).catch((error) => {
    say(`Something went wrong in this page: ${error.message}`);
  });
  return queue;
}

function say(text) {
  ui.message.textContent = text;
}

function announce(text) {
  ui.announce.textContent = '';
  setTimeout(() => { ui.announce.textContent = text; }, 50);
}

async function failed(error) {
  if (!(error instanceof ApiError)) throw error;
  if (error.status === 401) {
    forgetToken(`The API token was refused: ${error.message} Enter a valid token.`);
  } else if (error.status === 412) {
    say('Someone else changed this gallery since it was loaded, so your change was not saved. '
      + 'The current gallery is shown now; make your change again if it is still needed.');
    await load();
  } else if (error.status === 404 && /no product/i.test(error.message)) {
    notFound();
  } else {
    say(error.message);
    if (error.status === 404) await load();
  }
}

function notFound() {
  images = [];
  ui.editor.hidden = true;
  say(`There is no product with id ${productId}. Check the address.`);
}

function askForToken() {
  ui.editor.hidden = true;
  ui.tokenForm.hidden = false;
  ui.token.focus();
}

function forgetToken(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  etag = null;
  images = [];
  polling.clear();
  ui.images.replaceChildren();
  say(message);
  askForToken();
}

function start() {
  if (!token()) {
    askForToken();
    return;
  }
  ui.tokenForm.hidden = true;
  serially(async () => {
    try {
      // The API checks a token sent with this read as it would a write's: a refused one is a 401.
      if (await load()) ui.heading.focus();
    } catch (error) {
      // The service may be down or busy: the form stays, to try again.
      ui.tokenForm.hidden = false;
      throw error;
    }
  });
}

async function load() {
  if (!token()) return false;
  let answer;
  try {
    answer = await api('GET', `/api/products/${productId}`);
  } catch (error) {
    if (error.status !== 404) throw error;
    notFound();
    return false;
  }
  etag = answer.etag;
  images = answer.body.images;
  savedOrder = orderOf(images);
  ui.name.textContent = answer.body.name;
  document.title = `Gallery editor · ${answer.body.name}`;
  render();
  ui.editor.hidden = false;
  images.filter((image) => image.status === 'processing').forEach((image) => poll(image.id));
  return true;
}

const orderOf = (list) => list.map((image) => image.id).join(',');
const describe = (image) => (image.alt ? `“${image.alt}”` : `image ${image.id}`);

function element(tag, properties = {}, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function button(role, text, label) {
  const node = element('button', { type: 'button', textContent: text });
  node.dataset.role = role;
  if (label) node.setAttribute('aria-label', label);
  return node;
}

function item(image, index) {
  const count = images.length;
  const li = element('li', { className: 'image', draggable: true });
  li.dataset.id = image.id;
  li.dataset.status = image.status || 'ready';
  const handle = button('handle', '⠿', `Image ${index + 1} of ${count}: ${describe(image)}. Alt+Up or Alt+Down moves it.`);
  handle.classList.add('handle');
  // Until it is ready an upload's URL is its original, which may be large or not displayable.
  const thumb = image.status && image.status !== 'ready'
    ? element('span', { className: 'thumb pending' })
    : element('img', { className: 'thumb', src: image.thumbnailUrl, alt: '', width: 96, height: 96, loading: 'lazy', draggable: false });
  const position = element('span', { className: 'position', textContent: String(index + 1) });

  const key = String(image.id);
  const inputId = `alt-${image.id}`;
  const errorId = `alt-error-${image.id}`;
  const input = element('input', { id: inputId, type: 'text', value: drafts.has(key) ? drafts.get(key) : (image.alt || '') });
  input.dataset.role = 'alt';
  const error = element('p', { id: errorId, className: 'field-error', textContent: fieldErrors.get(key) || '' });
  if (fieldErrors.has(key)) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', errorId);
  }
  const save = button('save', 'Save alt text');
  save.type = 'submit';
  const form = element('form', { className: 'alt' }, element('label', { htmlFor: inputId, textContent: 'Alt text' }), input, save, error);

  const status = element('p', { className: 'status' });
  if (image.status === 'processing') status.textContent = 'Processing…';
  if (image.status === 'failed') status.textContent = `Failed: ${image.failureReason || 'the image could not be processed.'}`;

  const earlier = button('earlier', '↑', `Move image ${index + 1} earlier`);
  const later = button('later', '↓', `Move image ${index + 1} later`);
  earlier.disabled = index === 0;
  later.disabled = index === count - 1;
  const actions = element('div', { className: 'actions' }, earlier, later, button('delete', 'Delete', `Delete image ${index + 1}`));
  li.append(handle, position, thumb, element('div', { className: 'fields' }, form, status), actions);
  return li;
}

function render(focus = focusedControl()) {
  ui.images.replaceChildren(...images.map(item));
  if (focus) {
    const li = ui.images.querySelector(`li[data-id="${focus.id}"]`);
    const target = li && li.querySelector(`[data-role="${focus.role}"]`);
    (target && !target.disabled ? target : li && li.querySelector('.handle'))?.focus();
  }
}

function focusedControl() {
  const active = document.activeElement;
  const li = active && active.closest && active.closest('#images li');
  return li ? { id: li.dataset.id, role: active.dataset.role || 'handle' } : null;
}

const indexOf = (id) => images.findIndex((image) => String(image.id) === String(id));

function moveTo(id, to) {
  const from = indexOf(id);
  if (from < 0 || to < 0 || to >= images.length || to === from) return;
  say('');
  const [moved] = images.splice(from, 1);
  images.splice(to, 0, moved);
  render();
  announce(`Moved ${describe(moved)} to position ${to + 1} of ${images.length}.`);
  serially(saveOrder);
}

async function saveOrder() {
  const order = orderOf(images);
  if (order === savedOrder) return;
  let answer;
  try {
    answer = await api('PUT', `/api/products/${productId}/images/order`,
      { json: { imageIds: images.map((image) => image.id) }, ifMatch: etag });
  } catch (error) {
    if (error.status === 401 || error.status === 412) throw error;
    // The order shown was never saved: show the one the service has.
    say(error.message);
    await load();
    return;
  }
  etag = answer.etag;
  savedOrder = order;
}

function saveAlt(id, alt) {
  say('');
  serially(async () => {
    try {
      const answer = await api('PATCH', `/api/products/${productId}/images/${id}`, { json: { alt }, ifMatch: etag });
      etag = answer.etag;
      const image = images[indexOf(id)];
      if (image) image.alt = answer.body.alt;
      drafts.delete(id);
      fieldErrors.delete(id);
      render();
      announce('Alt text saved.');
    } catch (error) {
      if (error.status !== 422) throw error;
      const reasons = (error.problem.errors || []).filter((e) => e.field === 'alt').map((e) => `Alt text ${e.reason}.`);
      fieldErrors.set(id, reasons.length ? reasons.join(' ') : error.message);
      render({ id, role: 'alt' });
    }
  });
}

function confirmDelete(id) {
  const image = images[indexOf(id)];
  if (!image) return;
  pendingDelete = id;
  ui.dialogThumb.hidden = image.status && image.status !== 'ready';
  if (!ui.dialogThumb.hidden) ui.dialogThumb.src = image.thumbnailUrl;
  ui.dialog.returnValue = '';
  ui.dialog.showModal();
}

function deleteImage(id) {
  say('');
  serially(async () => {
    const at = indexOf(id);
    const answer = await api('DELETE', `/api/products/${productId}/images/${id}`, { ifMatch: etag });
    etag = answer.etag;
    images = images.filter((image) => String(image.id) !== String(id));
    savedOrder = orderOf(images);
    drafts.delete(id);
    fieldErrors.delete(id);
    const next = images[Math.min(at, images.length - 1)];
    render(next ? { id: next.id, role: 'handle' } : null);
    if (!next) ui.files.focus();
    announce(`Image deleted. ${images.length} left.`);
  });
}

function uploadRow(file) {
  const progress = element('progress', { max: 100, value: 0 });
  progress.setAttribute('aria-label', `Upload of ${file.name}`);
  const state = element('span', { className: 'state', textContent: 'Uploading…' });
  const li = element('li', {}, element('span', { className: 'file', textContent: file.name }), progress, state);
  ui.uploads.append(li);
  const set = (name, text) => {
    li.dataset.state = name;
    state.textContent = text;
  };
  set('uploading', 'Uploading…');
  return { li, progress, set };
}

function upload(file) {
  const row = uploadRow(file);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', `/api/products/${productId}/images`);
  xhr.setRequestHeader('Authorization', `Bearer ${token()}`);
  xhr.upload.addEventListener('progress', (event) => {
    if (!event.lengthComputable) return;
    const percent = Math.round((100 * event.loaded) / event.total);
    row.progress.value = percent;
    row.set('uploading', `Uploading… ${percent}%`);
  });
  xhr.addEventListener('load', () => {
    let body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch { /* not JSON: the status says enough */ }
    if (xhr.status === 202 && body) {
      row.progress.value = 100;
      row.li.dataset.imageId = body.id;
      row.set('processing', 'Processing…');
      serially(load);
      poll(body.id, row);
    } else if (xhr.status === 401) {
      row.set('rejected', 'Not uploaded: the token was refused.');
      forgetToken(`The API token was refused: ${(body && body.detail) || ''} Enter a valid token.`);
    } else {
      row.set('rejected', `Not uploaded: ${(body && body.detail) || `the service answered ${xhr.status}.`}`);
    }
  });
  xhr.addEventListener('error', () => row.set('rejected', 'Not uploaded: the connection failed. Try again.'));
  const form = new FormData();
  form.append('file', file);
  xhr.send(form);
}

async function poll(id, row) {
  if (polling.has(id)) return;
  polling.add(id);
  for (let delay = 400; polling.has(id); delay = Math.min(delay * 1.5, 3000)) {
    await sleep(delay);
    let image;
    try {
      image = (await api('GET', `/api/products/${productId}/images/${id}`)).body;
    } catch (error) {
      if (error.status !== 404) continue;
      polling.delete(id);
      row?.set('rejected', 'Deleted before it was ready.');
      return;
    }
    if (image.status === 'processing') continue;
    polling.delete(id);
    if (image.status === 'ready') {
      row?.set('ready', 'Ready');
      announce(`${row ? row.li.querySelector('.file').textContent : describe(image)} is ready.`);
    } else {
      row?.set('failed', `Failed: ${image.failureReason || 'the image could not be processed.'}`);
      announce(`Processing failed: ${image.failureReason || ''}`);
    }
    serially(load);
  }
}

function uploadAll(files) {
  say('');
  [...files].forEach(upload);
}

ui.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = ui.token.value.trim();
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  ui.token.value = '';
  say('');
  start();
});

ui.forget.addEventListener('click', () => forgetToken('The token was forgotten. Enter it again to edit.'));

ui.files.addEventListener('change', () => {
  uploadAll(ui.files.files);
  ui.files.value = '';
});

ui.images.addEventListener('click', (event) => {
  const control = event.target.closest('button[data-role]');
  if (!control) return;
  const id = control.closest('li').dataset.id;
  const role = control.dataset.role;
  if (role === 'earlier') moveTo(id, indexOf(id) - 1);
  if (role === 'later') moveTo(id, indexOf(id) + 1);
  if (role === 'delete') confirmDelete(id);
});

ui.images.addEventListener('keydown', (event) => {
  if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
  const li = event.target.closest('li');
  if (!li) return;
  event.preventDefault();
  moveTo(li.dataset.id, indexOf(li.dataset.id) + (event.key === 'ArrowUp' ? -1 : 1));
});

ui.images.addEventListener('input', (event) => {
  if (event.target.dataset.role === 'alt') drafts.set(event.target.closest('li').dataset.id, event.target.value);
});

ui.images.addEventListener('submit', (event) => {
  event.preventDefault();
  const li = event.target.closest('li');
  saveAlt(li.dataset.id, li.querySelector('[data-role="alt"]').value);
});

ui.dialog.addEventListener('close', () => {
  const id = pendingDelete;
  pendingDelete = null;
  if (ui.dialog.returnValue === 'delete') {
    deleteImage(id);
  } else {
    ui.images.querySelector(`li[data-id="${id}"] [data-role="delete"]`)?.focus();
  }
});

// Reordering by drag and drop: a dragged image carries its id; dropped files are uploads.
ui.images.addEventListener('dragstart', (event) => {
  const li = event.target.closest && event.target.closest('li');
  if (!li) return;
  event.dataTransfer.setData(IMAGE_ID_TYPE, li.dataset.id);
  event.dataTransfer.effectAllowed = 'move';
  li.classList.add('dragged');
});

ui.images.addEventListener('dragend', () => {
  ui.images.querySelectorAll('.dragged, .drop-before, .drop-after').forEach((li) => li.classList.remove('dragged', 'drop-before', 'drop-after'));
});

function dropSide(event, li) {
  const box = li.getBoundingClientRect();
  return event.clientY > box.top + box.height / 2 ? 'after' : 'before';
}

ui.images.addEventListener('dragover', (event) => {
  const li = event.target.closest && event.target.closest('li');
  if (!li || !event.dataTransfer.types.includes(IMAGE_ID_TYPE)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'move';
  const side = dropSide(event, li);
  li.classList.toggle('drop-before', side === 'before');
  li.classList.toggle('drop-after', side === 'after');
});

ui.images.addEventListener('dragleave', (event) => {
  const li = event.target.closest && event.target.closest('li');
  if (li && !li.contains(event.relatedTarget)) li.classList.remove('drop-before', 'drop-after');
});

ui.images.addEventListener('drop', (event) => {
  const li = event.target.closest && event.target.closest('li');
  const id = event.dataTransfer.getData(IMAGE_ID_TYPE);
  if (!li || !id) return;
  event.preventDefault();
  event.stopPropagation();
  li.classList.remove('drop-before', 'drop-after');
  const from = indexOf(id);
  let to = indexOf(li.dataset.id) + (dropSide(event, li) === 'after' ? 1 : 0);
  if (from < to) to -= 1;
  moveTo(id, to);
});

const carriesFiles = (event) => event.dataTransfer && event.dataTransfer.types.includes('Files');

document.addEventListener('dragover', (event) => {
  if (!carriesFiles(event) || ui.editor.hidden) return;
  event.preventDefault();
  ui.drop.classList.add('active');
});

document.addEventListener('dragleave', (event) => {
  if (!event.relatedTarget) ui.drop.classList.remove('active');
});

document.addEventListener('drop', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  ui.drop.classList.remove('active');
  if (!ui.editor.hidden) uploadAll(event.dataTransfer.files);
});

start();
