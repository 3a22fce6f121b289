// <product-gallery product-id="42" api-origin="https://images.example.com">: a product's image
// gallery (docs/WIDGET.md). Data is only ever set as text or attributes, never parsed as HTML.
const CSS = `
:host{display:block;width:500px;max-width:100%;font:300 14px Roboto,Helvetica,Arial,sans-serif;color:#202124}
:host([hidden]){display:none}
*{box-sizing:border-box}
button{font:inherit;color:inherit;cursor:pointer}
img{display:block}
.stage{position:relative;aspect-ratio:1;background:#f1f3f4;overflow:hidden;touch-action:pan-y}
.hero{width:100%;height:100%;padding:0;border:0;background:none;cursor:zoom-in}
.hero img{width:100%;height:100%;object-fit:contain}
.nav{position:absolute;top:50%;width:40px;height:40px;margin-top:-20px;border:0;border-radius:50%;background:#fffe;font-size:26px;line-height:1;box-shadow:0 1px 3px #0005}
.prev{left:8px}.next{right:8px}
.count{position:absolute;right:8px;bottom:8px;padding:2px 10px;border-radius:12px;background:#202124d9;color:#fff;font-size:13px}
.strip{position:relative;display:flex;gap:6px;height:64px;margin-top:8px;padding:5px 5px 0;overflow:auto hidden;scrollbar-width:thin;scroll-behavior:smooth}
.thumb{flex:none;width:42px;height:46px;padding:0;border:0;border-bottom:4px solid transparent;background:none}
.thumb img{width:42px;height:42px;object-fit:cover}
.thumb[aria-current=true]{border-bottom-color:#4285f4}
:focus-visible{outline:3px solid #4285f4;outline-offset:1px}
.hero:focus-visible{outline-offset:-3px}
.msg{position:absolute;inset:0;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:12px;padding:24px;text-align:center;color:#5f6368}
.msg b{font-weight:400;font-size:18px;color:#202124}
.retry{padding:8px 24px;border:1px solid #dadce0;border-radius:4px;background:#fff;color:#1a73e8;font-weight:400}
.sk{background:linear-gradient(90deg,#f1f3f4 40%,#e3e5e8 50%,#f1f3f4 60%) 0 0/300% 100%;animation:sk 1.4s linear infinite}
.strip .sk{flex:none;width:42px;height:42px}
@keyframes sk{from{background-position:100% 0}to{background-position:0 0}}
@media (prefers-reduced-motion:reduce){.sk{animation:none}.strip{scroll-behavior:auto}}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.lb{padding:0;border:0;background:none;max-width:100vw;max-height:100vh;overflow:visible}
.lb::backdrop{background:#000d}
.lb img{max-width:94vw;max-height:86vh;width:auto;height:auto;margin:auto;background:#fff}
.lb p{margin:10px;color:#fff;text-align:center}
.x{position:fixed;top:12px;right:12px;width:44px;height:44px;border:0;border-radius:50%;background:#fff;font-size:28px;line-height:1}
`;
// Shown instead of the browser's broken-image icon: a neutral grey picture.
const BROKEN = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 48 48'%3E%3Crect width='48' height='48' fill='%23e8eaed'/%3E%3Cpath d='M12 34l8-10 6 7 4-5 6 8z' fill='%23bdc1c6'/%3E%3Ccircle cx='31' cy='17' r='3' fill='%23bdc1c6'/%3E%3C/svg%3E";
const STEP = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 };
let sheet;

class ProductGallery extends HTMLElement {
  static observedAttributes = ['product-id', 'api-origin'];

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    root.addEventListener('keydown', e => this.key(e));
  }

  connectedCallback() { this.schedule(); }
  attributeChangedCallback() { this.schedule(); }
  disconnectedCallback() { this.ctl?.abort(); }

  // Attributes and connection arrive together on upgrade: load once for all of them.
  schedule() {
    if (this.queued) return;
    this.queued = 1;
    queueMicrotask(() => { this.queued = 0; if (this.isConnected) this.load(); });
  }

  get base() { return (this.getAttribute('api-origin') || '').replace(/\/+$/, ''); }

  // Site-relative URLs in the data belong to the API's origin, not the embedding page's.
  url(u) { return u && u[0] == '/' && u[1] != '/' ? this.base + u : u; }

  async load() {
    this.ctl?.abort();
    const ctl = this.ctl = new AbortController();
    this.render('loading', el('div', { class: 'stage sk' }, el('span', { class: 'vh', role: 'status' }, 'Loading images…')),
      ...Array.from({ length: 5 }, () => el('span', { class: 'sk' })));
    try {
      const id = encodeURIComponent(this.getAttribute('product-id') || '');
      const res = await fetch(`${this.base}/api/products/${id}/images`, { signal: ctl.signal, headers: { Accept: 'application/json' } });
      if (res.status == 404 || res.status == 400) return this.message('not-found', 'Product not found', 'There is no product with this id.');
      if (!res.ok) throw Error(res.status);
      this.show(await res.json());
    } catch (e) {
      if (ctl.signal.aborted) return;
      const retry = el('button', { class: 'retry', type: 'button' }, 'Retry');
      retry.onclick = () => this.load();
      this.message('error', 'The images could not be loaded.', 'Check your connection and try again.', retry);
    }
  }

  render(state, stage, ...strip) {
    const root = this.shadowRoot;
    this.setAttribute('state', state);
    this.toggleAttribute('aria-busy', state == 'loading');
    this.i = -1;
    // Focus inside the widget (say on Retry) moves to the new state's first button, not to the page.
    this.refocus ||= !!root.activeElement;
    root.replaceChildren(stage, el('div', { class: 'strip' }, ...strip));
    const first = this.refocus && root.querySelector('button');
    if (first) { first.focus(); this.refocus = 0; }
  }

  message(state, title, text, ...extra) {
    this.render(state, el('div', { class: 'stage' },
      el('div', { class: 'msg', role: state == 'error' ? 'alert' : 'status' }, el('b', {}, title), text, ...extra)));
  }

  show(data) {
    const images = this.images = data.images || [], n = images.length;
    if (!n) return this.message('empty', 'No images yet', 'This product has no pictures.');
    this.hero = picture({ part: 'hero-image', sizes: '(max-width: 500px) 100vw, 500px' });
    this.heroButton = el('button', { class: 'hero', type: 'button', 'aria-haspopup': 'dialog' }, this.hero);
    this.heroButton.onclick = () => this.swiped ? (this.swiped = 0) : this.open();
    const prev = el('button', { class: 'nav prev', type: 'button', 'aria-label': 'Previous image' }, '‹');
    const next = el('button', { class: 'nav next', type: 'button', 'aria-label': 'Next image' }, '›');
    prev.onclick = () => this.step(-1);
    next.onclick = () => this.step(1);
    prev.hidden = next.hidden = n < 2;
    this.counter = el('div', { class: 'count', part: 'counter', 'aria-live': 'polite', 'aria-atomic': 'true' });
    const stage = el('div', { class: 'stage', part: 'stage', role: 'group', 'aria-label': `Images of ${data.name || 'the product'}` },
      this.heroButton, prev, next, this.counter);
    stage.onpointerdown = e => { this.x = e.pointerType == 'mouse' ? null : e.clientX; this.swiped = 0; };
    stage.onpointercancel = () => { this.x = null; };
    stage.onpointerup = e => {
      const dx = e.clientX - this.x;
      if (this.x != null && Math.abs(dx) > 30) { this.swiped = 1; this.step(dx < 0 ? 1 : -1); }
      this.x = null;
    };
    this.thumbs = images.map((image, i) => {
      const b = el('button', { class: 'thumb', part: 'thumb', type: 'button', 'aria-label': `Image ${i + 1} of ${n}${image.alt ? ': ' + image.alt : ''}` },
        picture({ src: this.url(image.thumbnailUrl || image.url), alt: '', width: 42, height: 42, loading: 'lazy' }));
      b.onmouseenter = b.onclick = () => this.select(i);
      return b;
    });
    this.big = picture({});
    this.caption = el('p', {});
    const close = el('button', { class: 'x', type: 'button', 'aria-label': 'Close' }, '×');
    this.dialog = el('dialog', { class: 'lb', part: 'lightbox', 'aria-label': 'Full-size image' }, this.big, this.caption, close);
    close.onclick = () => this.dialog.close();
    this.dialog.onclick = e => e.target == this.dialog && this.dialog.close();
    this.dialog.onclose = () => this.heroButton.focus();
    this.render('ready', stage, ...this.thumbs);
    this.strip = this.shadowRoot.lastChild;
    this.strip.setAttribute('role', 'toolbar');
    this.strip.setAttribute('aria-label', 'Choose an image');
    this.shadowRoot.append(this.dialog);
    this.select(0);
  }

  step(d) { const n = this.images.length; this.select((this.i + d + n) % n); }

  select(i) {
    if (i == this.i) return;
    const images = this.images, image = images[i], n = images.length;
    this.i = i;
    this.fill(this.hero, image, true);
    this.counter.textContent = `${i + 1} / ${n}`;
    this.thumbs.forEach((t, j) => { t.setAttribute('aria-current', j == i); t.tabIndex = j == i ? 0 : -1; });
    this.reveal(this.thumbs[i]);
    if (this.dialog.open) this.fill(this.big, image);
    if (n > 1) new Image().src = this.url(images[(i + 1) % n].url);
    this.dispatchEvent(new CustomEvent('gallery-select', { bubbles: true, composed: true, detail: { index: i, image } }));
  }

  fill(img, image, responsive) {
    img.classList.remove('broken');
    const src = this.url(image.url);
    if (responsive && image.width > 0) img.srcset = `${src} ${image.width}w`;
    else img.removeAttribute('srcset');
    img.src = src;
    img.alt = image.alt || '';
    img.width = image.width || 500;
    img.height = image.height || 500;
  }

  // Scrolls the strip itself, never the page, so that the selected thumbnail is in view.
  reveal(t) {
    const s = this.strip, left = t.offsetLeft - 5, right = t.offsetLeft + t.offsetWidth + 5 - s.clientWidth;
    if (left < s.scrollLeft) s.scrollLeft = left;
    else if (right > s.scrollLeft) s.scrollLeft = right;
  }

  open() {
    const image = this.images[this.i];
    this.fill(this.big, image);
    this.caption.textContent = image.alt || '';
    this.dialog.showModal();
    this.dialog.querySelector('.x').focus();
  }

  key(e) {
    this.swiped = 0;
    const n = this.getAttribute('state') == 'ready' && this.images.length;
    const to = e.key == 'Home' ? 0 : e.key == 'End' ? n - 1 : STEP[e.key] ? (this.i + STEP[e.key] + n) % n : -1;
    if (!n || to < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    this.select(to);
    if (this.dialog.open) this.caption.textContent = this.images[to].alt || '';
    else if (e.target.classList.contains('thumb')) this.thumbs[to].focus();
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const k in attrs) node.setAttribute(k, attrs[k]);
  node.append(...children);
  return node;
}

function picture(attrs) {
  const img = el('img', attrs);
  img.onerror = () => {
    if (img.src == BROKEN) return;
    img.removeAttribute('srcset');
    img.src = BROKEN;
    img.classList.add('broken');
  };
  return img;
}

if (!customElements.get('product-gallery')) customElements.define('product-gallery', ProductGallery);
