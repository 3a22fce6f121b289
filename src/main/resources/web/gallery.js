// <product-gallery product-id="42" api-origin="https://images.example.com">: a product's image
// gallery (docs/WIDGET.md). Data is only ever set as text or attributes, never parsed as HTML.
const CSS = `
:host{display:block;width:500px;max-width:100%;font:300 14px Roboto,Helvetica,Arial,sans-serif;color:#202124}
:host([hidden]){display:none}
*{box-sizing:border-box}
button{font:inherit;color:inherit;cursor:pointer}
img{display:block;background:center/contain no-repeat}
picture{display:contents}
.stage{position:relative;aspect-ratio:1;background:#f1f3f4;overflow:hidden;touch-action:pan-y}
.hero,.thumb,.lb{padding:0;border:0;background:none}
.hero{width:100%;height:100%;cursor:zoom-in}
.hero img{width:100%;height:100%;object-fit:contain}
.nav,.x{border:0;border-radius:50%;line-height:1}
.nav{position:absolute;top:50%;width:40px;height:40px;margin-top:-20px;background:#fffe;font-size:26px;box-shadow:0 1px 3px #0005}
.prev{left:8px}.next{right:8px}
.count{position:absolute;right:8px;bottom:8px;padding:2px 10px;border-radius:12px;background:#202124d9;color:#fff;font-size:13px}
.strip{position:relative;display:flex;gap:6px;height:64px;margin-top:8px;padding:5px 5px 0;overflow:auto hidden;scrollbar-width:thin;scroll-behavior:smooth}
.thumb{flex:none;width:42px;height:46px;border-bottom:4px solid transparent}
.thumb img{width:42px;height:42px;object-fit:cover;background-size:cover}
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
.lb{max-width:100vw;max-height:100vh;overflow:visible}
.lb::backdrop{background:#000d}
.lb picture{display:block;overflow:hidden}
.lb img{background-color:#fff;touch-action:none;cursor:zoom-in}
.lb p{margin:10px;color:#fff;text-align:center}
.x{position:fixed;top:12px;right:12px;width:44px;height:44px;background:#fff;font-size:28px}
`;
const BROKEN = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 48 48'><path fill='%23e8eaed' d='M0 0h48v48H0z'/><path fill='%23bdc1c6' d='M12 34l8-10 6 7 4-5 6 8z'/></svg>";
const STEP = {ArrowLeft: -1,ArrowUp: -1,ArrowRight: 1,ArrowDown: 1};
const B83 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~';
const {min,max,cos,PI} = Math;
let sheet;

class ProductGallery extends HTMLElement {
  static observedAttributes = ['product-id','api-origin'];

  constructor() {
    super();
    const root = this.attachShadow({mode: 'open'});
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    root.addEventListener('keydown',e => this.key(e));
  }

  connectedCallback() {this.schedule();}
  attributeChangedCallback() {this.schedule();}
  disconnectedCallback() {this.ctl?.abort();}

  // Attributes and connection arrive together on upgrade: load once for all of them.
  schedule() {
    if (this.queued) return;
    this.queued = 1;
    queueMicrotask(() => {this.queued = 0; if (this.isConnected) this.load();});
  }

  get base() {return (this.getAttribute('api-origin') || '').replace(/\/+$/,'');}

  // Site-relative URLs in the data belong to the API's origin, not the embedding page's.
  url(u) {return u && u[0] == '/' && u[1] != '/' ? this.base + u : u;}

  async load() {
    this.ctl?.abort();
    const ctl = this.ctl = new AbortController();
    this.render('loading',el('div',{class: 'stage sk'},el('span',{class: 'vh',role: 'status'},'Loading images…')),
      ...Array.from({length: 5},() => el('span',{class: 'sk'})));
    try {
      const id = encodeURIComponent(this.getAttribute('product-id') || '');
      const res = await fetch(`${this.base}/api/products/${id}/images`,{signal: ctl.signal,headers: {Accept: 'application/json'}});
      if (res.status == 404 || res.status == 400) return this.message('not-found','Product not found','There is no product with this id.');
      if (!res.ok) throw Error(res.status);
      this.show(await res.json());
    } catch (e) {
      if (ctl.signal.aborted) return;
      const retry = el('button',{class: 'retry'},'Retry');
      retry.onclick = () => this.load();
      this.message('error','The images could not be loaded.','Check your connection and try again.',retry);
    }
  }

  render(state,stage,...strip) {
    const root = this.shadowRoot;
    this.setAttribute('state',state);
    this.toggleAttribute('aria-busy',state == 'loading');
    this.i = -1;
    // Focus inside the widget (on Retry, say) moves to the new state's first button, not the page.
    this.refocus ||= !!root.activeElement;
    root.replaceChildren(stage,el('div',{class: 'strip'},...strip));
    const first = this.refocus && root.querySelector('button');
    if (first) {first.focus(); this.refocus = 0;}
  }

  message(state,title,text,...extra) {
    this.render(state,el('div',{class: 'stage'},
      el('div',{class: 'msg',role: state == 'error' ? 'alert' : 'status'},el('b',{},title),text,...extra)));
  }

  show(data) {
    const images = this.images = data.images || [],n = images.length;
    if (!n) return this.message('empty','No images yet','This product has no pictures.');
    this.hero = picture({part: 'hero-image',fetchpriority: 'high'});
    const hero = this.heroButton = el('button',{class: 'hero','aria-haspopup': 'dialog'},this.hero.parentNode);
    hero.onclick = () => this.swiped ? (this.swiped = 0) : this.open();
    const nav = (d,name,label,text) => {
      const b = el('button',{class: 'nav ' + name,'aria-label': label},text);
      b.onclick = () => this.step(d);
      b.onpointerenter = b.onfocus = () => this.warm(d);
      b.hidden = n < 2;
      return b;
    };
    this.counter = el('div',{class: 'count',part: 'counter','aria-live': 'polite','aria-atomic': 'true'});
    const stage = this.stage = el('div',{class: 'stage',part: 'stage',role: 'group','aria-label': `Images of ${data.name || 'the product'}`},
      hero,nav(-1,'prev','Previous image','‹'),nav(1,'next','Next image','›'),this.counter);
    stage.onpointerdown = e => {
      this.x = e.pointerType == 'mouse' ? null : e.clientX;
      this.swiped = 0;
      if (this.x != null) {this.warm(-1); this.warm(1);}
    };
    stage.onpointercancel = () => {this.x = null;};
    stage.onpointerup = e => {
      const dx = e.clientX - this.x;
      if (this.x != null && Math.abs(dx) > 30) {this.swiped = 1; this.step(dx < 0 ? 1 : -1);}
      this.x = null;
    };
    this.thumbs = images.map((image,i) => {
      const img = picture({alt: '',width: 42,height: 42,loading: 'lazy'});
      const b = el('button',{class: 'thumb',part: 'thumb','aria-label': `Image ${i + 1} of ${n}${image.alt ? ': ' + image.alt : ''}`},img.parentNode);
      // Cover-fitted: a landscape image is wider than its 42 px box.
      this.fill(img,image,42 * max(1,ratio(image)),320);
      b.onmouseenter = b.onclick = () => this.select(i);
      return b;
    });
    const big = this.big = picture({});
    big.onpointerdown = big.onpointermove = big.onpointerup = big.onpointercancel = e => this.pointer(e);
    big.onclick = e => this.tapped(e);
    big.onwheel = e => {e.preventDefault(); this.zoom(this.z.s * Math.exp(-e.deltaY / 300),e);};
    this.caption = el('p',{});
    const close = el('button',{class: 'x','aria-label': 'Close'},'×');
    const dialog = this.dialog = el('dialog',{class: 'lb',part: 'lightbox','aria-label': 'Full-size image'},big.parentNode,this.caption,close);
    close.onclick = () => dialog.close();
    dialog.onclick = e => e.target == dialog && dialog.close();
    dialog.onclose = () => {this.zoom(1); hero.focus();};
    this.render('ready',stage,...this.thumbs);
    this.strip = this.shadowRoot.lastChild;
    Object.assign(this.strip,{role: 'toolbar',ariaLabel: 'Choose an image'});
    this.shadowRoot.append(dialog);
    this.pointers = new Map();
    this.z = {s: 1};
    this.select(0);
  }

  step(d) {const n = this.images.length; this.select((this.i + d + n) % n);}

  select(i) {
    if (i == this.i) return;
    const images = this.images,image = images[i],n = images.length;
    this.i = i;
    this.fill(this.hero,image,this.slot(image));
    this.counter.textContent = `${i + 1} / ${n}`;
    this.thumbs.forEach((t,j) => {t.ariaCurrent = j == i; t.tabIndex = j == i ? 0 : -1;});
    this.reveal(this.thumbs[i]);
    if (this.dialog.open) this.enlarge(image);
    this.dispatchEvent(new CustomEvent('gallery-select',{bubbles: true,composed: true,detail: {index: i,image}}));
  }

  // The CSS width of an image contained in the square hero.
  slot(image) {const s = this.stage; return min(s.clientWidth,s.clientHeight * ratio(image)) || 500;}

  warm(d) {
    const n = this.images.length,image = this.images[(this.i + d + n) % n];
    this.fill(picture({}),image,this.slot(image));
  }

  fill(img,image,px,most) {
    const sources = image.sources || [],sizes = Math.ceil(px) + 'px',src = this.url(most && !sources.length && image.thumbnailUrl || image.url);
    img.classList.remove('broken');
    img.parentNode.replaceChildren(...sources.map(s => el('source',{type: s.type,sizes,srcset: s.srcset.split(',')
      .map(c => c.trim().split(/\s+/)).filter(c => !most || parseInt(c[1]) <= most).map(([u,w]) => this.url(u) + ' ' + w).join()})),img);
    img.srcset = !most && !sources.length && image.width > 0 ? `${src} ${image.width}w` : '';
    img.sizes = sizes;
    img.src = src;
    if (!most) Object.assign(img,{alt: image.alt || '',width: image.width || 500,height: image.height || 500});
    img.style.backgroundImage = placeholder(image);
  }

  // Scrolls the strip itself, never the page, so that the selected thumbnail is in view.
  reveal(t) {
    const s = this.strip,left = t.offsetLeft - 5,right = t.offsetLeft + t.offsetWidth + 5 - s.clientWidth;
    if (left < s.scrollLeft) s.scrollLeft = left;
    else if (right > s.scrollLeft) s.scrollLeft = right;
  }

  open() {
    this.enlarge(this.images[this.i]);
    this.dialog.showModal();
    this.dialog.querySelector('.x').focus();
  }

  enlarge(image) {
    const r = ratio(image),w = min(innerWidth * .94,innerHeight * .86 * r,image.width || 1e4) | 0,s = this.big.style;
    this.zoom(1);
    this.fill(this.big,image,w);
    s.width = w + 'px';
    s.height = (w / r | 0) + 'px';
    this.caption.textContent = image.alt || '';
  }

  // Panning moves the point scaled about: the frame stays covered.
  zoom(s,e) {
    const z = this.z,b = this.big,r = b.getBoundingClientRect();
    if (z.s == 1 && e) [z.x,z.y] = [e.clientX - r.left,e.clientY - r.top];
    z.s = s = min(5,max(1,s));
    if (s > 1) b.parentNode.querySelectorAll('source').forEach(o => {o.sizes = this.images[this.i].width + 'px';});
    b.style.transform = s > 1 ? `scale(${s})` : '';
    b.style.transformOrigin = `${z.x}px ${z.y}px`;
    this.dialog.classList.toggle('z',s > 1);
  }

  pointer(e) {
    const p = this.pointers,id = e.pointerId,last = p.get(id),z = this.z,b = this.big,t = e.type;
    if (t == 'pointerdown') {
      b.setPointerCapture(id);
      p.set(id,e);
      this.moved = 0;
      this.s0 = z.s;
      this.d0 = spread(p);
    } else if (t != 'pointermove') p.delete(id);
    else if (last) {
      p.set(id,e);
      const k = z.s - 1,dx = e.clientX - last.clientX,dy = e.clientY - last.clientY;
      this.moved ||= p.size > 1 || Math.abs(dx) + Math.abs(dy) > 2;
      if (p.size > 1) return this.zoom(this.s0 * spread(p) / this.d0,e);
      if (!k) return;
      z.x = min(b.offsetWidth,max(0,z.x - dx / k));
      z.y = min(b.offsetHeight,max(0,z.y - dy / k));
      this.zoom(z.s);
    }
  }

  tapped(e) {
    if (this.moved) return;
    if (e.pointerType == 'touch' && !(e.timeStamp - this.tap < 300)) return void (this.tap = e.timeStamp);
    this.tap = 0;
    this.zoom(this.z.s > 1 ? 1 : 2.5,e);
  }

  key(e) {
    this.swiped = 0;
    const n = this.getAttribute('state') == 'ready' && this.images.length;
    const to = e.key == 'Home' ? 0 : e.key == 'End' ? n - 1 : STEP[e.key] ? (this.i + STEP[e.key] + n) % n : -1;
    if (!n || to < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    this.select(to);
    if (!this.dialog.open && e.target.classList.contains('thumb')) this.thumbs[to].focus();
  }
}

const ratio = image => image.width > 0 && image.height > 0 ? image.width / image.height : 1;

const spread = p => {const [a,c = a] = p.values(); return Math.hypot(a.clientX - c.clientX,a.clientY - c.clientY);};

function placeholder(image) {
  const r = ratio(image),w = min(64,64 * r) + .5 | 0 || 1,h = min(64,64 / r) + .5 | 0 || 1,c = el('canvas',{width: w,height: h});
  const g = c.getContext('2d'),pixels = blurhash(image.placeholder || '',w,h);
  if (pixels) g.putImageData(new ImageData(pixels,w,h),0,0);
  else if (/^#\w{6}$/.test(image.color)) g.fillStyle = image.color,g.fillRect(0,0,w,h);
  else return '';
  return `url(${c.toDataURL()})`;
}

// woltapp/blurhash's reference decoder: w × h RGBA pixels.
function blurhash(hash,w,h) {
  const num = (a,b) => [...hash.slice(a,b)].reduce((v,ch) => v*83+B83.indexOf(ch),0);
  const lin = v => (v /= 255)<=.04045 ? v/12.92 : ((v+.055)/1.055)**2.4;
  const srgb = v => ((v = min(1,max(0,v)))<=.0031308 ? v*12.92 : 1.055*v**(1/2.4)-.055)*255+.5|0;
  const size = num(0,1),nx = size%9+1,ny = (size/9|0)+1,most = (num(1,2)+1)/166,colors = [];
  if (hash.length!=4+2*nx*ny) return null;
  for (let i = 0,v = num(2,6); i<nx*ny; v = num(6+2*i,8+2*i++)) {
    colors.push(i ? [v/361|0,(v/19|0)%19,v%19].map(q => Math.sign(q-9)*((q-9)/9)**2*most)
      : [v>>16,v>>8&255,v&255].map(lin));
  }
  const out = new Uint8ClampedArray(w*h*4).fill(255);
  for (let y = 0; y<h; y++) for (let x = 0; x<w; x++) {
    const c = [0,0,0];
    colors.forEach((f,i) => {const b = cos(PI*x*(i%nx)/w)*cos(PI*y*(i/nx|0)/h); c[0] += f[0]*b; c[1] += f[1]*b; c[2] += f[2]*b;});
    out.set(c.map(srgb),4*(y*w+x));
  }
  return out;
}

function el(tag,attrs,...children) {
  const node = document.createElement(tag);
  if (tag == 'button') node.type = 'button';
  for (const k in attrs) node.setAttribute(k,attrs[k]);
  node.append(...children);
  return node;
}

function picture(attrs) {
  const img = el('img',attrs);
  el('picture',{},img);
  img.onload = () => {img.style.backgroundImage = '';};
  img.onerror = () => {
    if (img.src == BROKEN) return;
    img.parentNode.querySelectorAll('source').forEach(s => s.remove());
    img.srcset = '';
    img.src = BROKEN;
    img.classList.add('broken');
  };
  return img;
}

ProductGallery.blurhash = blurhash;
if (!customElements.get('product-gallery')) customElements.define('product-gallery',ProductGallery);
