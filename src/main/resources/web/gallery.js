// <product-gallery product-id="42" api-origin="https://images.example.com">
// A product's image gallery: a hero image above a strip of thumbnails. Data is only ever
// set as text or attributes, never parsed as HTML.
const CSS = `
:host{display:block;width:500px;max-width:100%;font:300 14px Roboto,Helvetica,Arial,sans-serif;color:#202124}
.hero{display:block;width:100%;aspect-ratio:1/1;border:0;padding:0;background:#f1f3f4;overflow:hidden}
.hero img{width:100%;height:100%;object-fit:contain;display:block}
.strip{display:flex;gap:6px;margin:10px 0 0;padding:0 0 4px;list-style:none;overflow-x:auto}
.thumb{flex:0 0 auto;width:42px;height:46px;padding:0 0 4px;border:0;border-bottom:4px solid transparent;background:none;cursor:pointer}
.thumb img{width:42px;height:42px;object-fit:cover;display:block}
.thumb[aria-current=true]{border-bottom-color:#4285f4}
.thumb:focus-visible{outline:2px solid #4285f4;outline-offset:2px}
.msg{padding:24px;background:#f1f3f4;text-align:center}
`;

class ProductGallery extends HTMLElement {
  static get observedAttributes() { return ['product-id']; }

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.images = [];
    this.index = 0;
  }

  connectedCallback() { this.load(); }

  attributeChangedCallback(name, old, value) {
    if (this.isConnected && old !== value) this.load();
  }

  get apiOrigin() {
    return (this.getAttribute('api-origin') || '').replace(/\/+$/, '');
  }

  async load() {
    const id = this.getAttribute('product-id');
    this.render([el('div', { class: 'msg', part: 'loading' }, 'Loading…')]);
    try {
      const res = await fetch(`${this.apiOrigin}/api/products/${encodeURIComponent(id)}/images`, { headers: { Accept: 'application/json' } });
      if (res.status === 404) return this.message('Product not found');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const data = await res.json();
      this.images = data.images;
      this.name = data.name;
      this.index = 0;
      this.show();
    } catch (e) {
      this.message('The gallery could not be loaded.');
    }
  }

  url(u) { return u && u.startsWith('/') ? this.apiOrigin + u : u; }

  message(text) { this.render([el('div', { class: 'msg', role: 'status' }, text)]); }

  show() {
    if (!this.images.length) return this.message('No images yet');
    const first = this.images[0];
    this.heroImg = el('img', { src: this.url(first.url), alt: first.alt || this.name || '', width: first.width || 500, height: first.height || 500 });
    const hero = el('div', { class: 'hero', part: 'hero' }, this.heroImg);
    this.thumbs = this.images.map((image, i) => {
      const b = el('button', { class: 'thumb', type: 'button', 'aria-label': `Show image ${i + 1} of ${this.images.length}` },
        el('img', { src: this.url(image.thumbnailUrl || image.url), alt: '', width: 42, height: 42, loading: 'lazy' }));
      b.addEventListener('mouseenter', () => this.select(i));
      b.addEventListener('click', () => this.select(i));
      return b;
    });
    this.render([hero, el('div', { class: 'strip', role: 'group', 'aria-label': 'Product images' }, ...this.thumbs)]);
    this.select(0);
  }

  select(i) {
    this.index = i;
    const image = this.images[i];
    this.heroImg.src = this.url(image.url);
    this.heroImg.alt = image.alt || this.name || '';
    this.thumbs.forEach((t, j) => t.setAttribute('aria-current', String(j === i)));
  }

  render(nodes) {
    const style = el('style', {}, CSS);
    this.root.replaceChildren(style, ...nodes);
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

if (!customElements.get('product-gallery')) customElements.define('product-gallery', ProductGallery);
