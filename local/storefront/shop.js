// The storefront's whole client side: a few calls to the shop's public API, a cart kept in
// localStorage, and a page-view beacon. No framework and no build step: copy what you need.
'use strict';

// Where the API lives. Empty means "this origin" (the local run serves both); a deployed
// storefront sets <meta name="shop-api" content="https://api.example.com"> instead.
const API = (document.querySelector('meta[name="shop-api"]') || {}).content || '';

async function api(method, path, body, options) {
  const response = await fetch(API + path, {
    ...options,
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    // Problem bodies (RFC 9457) carry a sentence meant for people in "detail".
    const error = new Error((data && data.detail) || `The shop answered ${response.status}.`);
    error.status = response.status;
    throw error;
  }
  return data;
}

// --- the cart: {sku: quantity}, in this browser only ---
const cart = {
  read() { return JSON.parse(localStorage.getItem('cart') || '{}'); },
  write(items) { localStorage.setItem('cart', JSON.stringify(items)); showCartCount(); },
  add(sku) { const items = cart.read(); items[sku] = Math.min((items[sku] || 0) + 1, 10); cart.write(items); },
  remove(sku) { const items = cart.read(); delete items[sku]; cart.write(items); },
  clear() { cart.write({}); },
};

function showCartCount() {
  const count = Object.values(cart.read()).reduce((a, b) => a + b, 0);
  document.querySelectorAll('[data-cart-count]').forEach(el => { el.textContent = count; });
}

// Text from the API goes into the page as text, never as HTML.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(child => node.append(child));
  return node;
}

// The button is disabled while its request runs: a double click sends the form once (one
// checkout holding the pieces, one confirmation mail, one sign-in code).
async function whileRunning(button, work) {
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}

function say(target, message, kind) {
  const box = document.querySelector(target);
  box.textContent = message;
  box.dataset.kind = kind || 'info';
}

// --- pages ---
async function showProducts() {
  const grid = document.querySelector('#products');
  if (!grid) return;
  // The API lets caches keep the catalog for a minute; the grid asks afresh so that a piece
  // sold a moment ago shows as sold out.
  const { products } = await api('GET', '/products', undefined, { cache: 'no-cache' });
  grid.replaceChildren(...products.map(product => {
    const soldOut = product.availability !== 'in_stock';
    const button = el('button', { type: 'button', 'data-add': product.sku }, soldOut ? 'Sold out' : 'Add to cart');
    button.disabled = soldOut;
    button.addEventListener('click', () => { cart.add(product.sku); say('#cart-note', `${product.name} is in your cart.`); });
    const card = el('article', { class: 'product', 'data-sku': product.sku, 'data-availability': product.availability },
      el('h3', {}, product.name),
      el('p', { class: 'description' }, product.description),
      el('p', { class: 'price' }, product.price.formatted),
      el('p', { class: 'availability' }, soldOut ? 'Sold out' : 'Available'),
      button);
    if (product.images && product.images[0]) {
      card.prepend(el('img', { src: product.images[0], alt: product.name, loading: 'lazy' }));
    }
    return card;
  }));
}

// Bumped by each drawing of the cart: after two quick "Remove"s, the answer for the older cart
// (which still had the piece removed second) is dropped, whichever arrives last.
let cartShown = 0;

async function showCart() {
  const list = document.querySelector('#cart');
  if (!list) return;
  const mine = ++cartShown;
  const items = cart.read();
  const skus = Object.keys(items);
  if (skus.length === 0) {
    list.replaceChildren(el('li', {}, 'Your cart is empty.'));
    document.querySelector('#checkout').disabled = true;
    return;
  }
  const products = await Promise.all(skus.map(sku => api('GET', `/products/${encodeURIComponent(sku)}`)));
  if (mine !== cartShown) return;
  list.replaceChildren(...products.map(product => {
    const remove = el('button', { type: 'button' }, 'Remove');
    remove.addEventListener('click', () => { cart.remove(product.sku); showCart(); });
    return el('li', { 'data-sku': product.sku }, `${items[product.sku]} × ${product.name} — ${product.price.formatted} `, remove);
  }));
}

async function checkout(event) {
  event.preventDefault();
  const form = event.target;
  const items = Object.entries(cart.read()).map(([sku, quantity]) => ({ sku, quantity }));
  // Required: checkout passes it to Stripe as the session's customer_email, which the customer
  // cannot change there, and refuses an address whose owner deactivated it.
  const body = { items, email: form.email.value.trim() };
  // Disabled until the payment page opens: a second checkout would hold a one-of-a-kind piece
  // against the first (and be refused as sold out).
  const button = form.querySelector('#checkout');
  button.disabled = true;
  try {
    const session = await api('POST', '/checkout/sessions', body);
    window.location.assign(session.url); // Stripe Checkout (locally: the Stripe stand-in's pay page)
  } catch (error) {
    button.disabled = false;
    say('#checkout-note', error.message, 'error');
  }
}

async function showOrder() {
  const box = document.querySelector('#order');
  if (!box) return;
  const sessionId = new URLSearchParams(window.location.search).get('session_id');
  if (!sessionId) { say('#order-note', 'No order to show.', 'error'); return; }
  cart.clear();
  // The webhook may land a moment after Stripe sends the customer back: ask a few times.
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const order = await api('GET', `/orders/${encodeURIComponent(sessionId)}`);
      box.replaceChildren(
        el('p', { 'data-order-status': order.status }, `Order ${order.orderNumber}: ${order.statusText}`),
        el('ul', {}, ...order.items.map(item => el('li', {}, `${item.quantity} × ${item.name} — ${item.total}`))),
        el('p', { class: 'total' }, `Total ${order.total}`));
      if (order.status === 'PAID') return;
    } catch (error) {
      if (error.status !== 404) { say('#order-note', error.message, 'error'); return; }
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

async function subscribe(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await whileRunning(form.querySelector('button[type=submit]'), () => api('POST', '/newsletter/subscriptions', {
      email: form.email.value, consent: form.consent.checked, ageConfirmed: form.ageConfirmed.checked, source: 'storefront',
    }));
    say('#newsletter-note', 'Almost done: we sent you a mail with a link to confirm.', 'ok');
    form.reset();
  } catch (error) {
    say('#newsletter-note', error.message, 'error');
  }
}

async function privacyRequest(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await whileRunning(form.querySelector('button[type=submit]'),
      () => api('POST', '/privacy/requests', { email: form.email.value, type: form.type.value }));
    say('#privacy-note', 'We sent a mail to that address. Open the link in it to confirm the request.', 'ok');
    form.reset();
  } catch (error) {
    say('#privacy-note', error.message, 'error');
  }
}

// Counted without cookies; browsers sending Sec-GPC or DNT are counted but not logged.
function beacon() {
  const body = JSON.stringify({ path: window.location.pathname, referrer: document.referrer || undefined });
  if (!(navigator.sendBeacon && navigator.sendBeacon(API + '/visits', body))) {
    fetch(API + '/visits', { method: 'POST', body, keepalive: true }).catch(() => {});
  }
}

document.addEventListener('DOMContentLoaded', () => {
  showCartCount();
  beacon();
  const on = (selector, handler) => { const form = document.querySelector(selector); if (form) form.addEventListener('submit', handler); };
  on('#newsletter-form', subscribe);
  on('#privacy-form', privacyRequest);
  on('#checkout-form', checkout);
  // Back from the payment page through the back button, the page may come from the browser's
  // cache as it was left: the checkout button disabled. A fresh look at the cart enables it.
  window.addEventListener('pageshow', event => {
    if (event.persisted && document.querySelector('#checkout')) {
      document.querySelector('#checkout').disabled = false;
      showCart().catch(error => say('#checkout-note', error.message, 'error'));
    }
  });
  showProducts().catch(error => say('#cart-note', error.message, 'error'));
  showCart().catch(error => say('#checkout-note', error.message, 'error'));
  showOrder();
});
