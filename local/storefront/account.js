// The account page: sign in with a code mailed to you, then see and change what the shop holds.
// The session token lives in sessionStorage (this tab only, gone when it closes) and travels as
// "Authorization: Bearer"; it is never a cookie, so no other site can send it. Uses API, el and
// say from shop.js.
'use strict';

const SESSION_KEY = 'accountSession';
const account = {
  token() { return sessionStorage.getItem(SESSION_KEY); },
  keep(token) { sessionStorage.setItem(SESSION_KEY, token); },
  forget() { sessionStorage.removeItem(SESSION_KEY); },
  email: '',
};

async function accountApi(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (account.token()) headers.authorization = `Bearer ${account.token()}`;
  const response = await fetch(API + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (response.status === 401 && path !== '/account/sign-in/verify') {
    account.forget();
    showSignIn('Your session has ended. Sign in again with a new code.');
    throw Object.assign(new Error(data.detail), { status: 401, handled: true });
  }
  if (!response.ok) {
    throw Object.assign(new Error((data && data.detail) || `The shop answered ${response.status}.`), { status: response.status });
  }
  return data;
}

// Bumped by each request for the account's view and by each return to the sign-in form: only the
// answer to the last one is drawn, so a slow view cannot undo a newer one (the newsletter status
// flipping back) or show the account again after signing out.
let viewAsked = 0;

function showSignIn(message) {
  viewAsked += 1;
  document.querySelector('#account').hidden = true;
  document.querySelector('#sign-in').hidden = false;
  if (message) say('#sign-in-note', message, 'info');
}

async function askForCode(event) {
  event.preventDefault();
  const form = event.target;
  const email = form.email.value; // the address the code goes to, even if the field changes meanwhile
  try {
    await whileRunning(form.querySelector('button[type=submit]'), () => accountApi('POST', '/account/sign-in', { email }));
    account.email = email;
    document.querySelector('#code-form').hidden = false;
    say('#sign-in-note', 'We mailed a 6-digit code to that address. It works for 10 minutes.', 'ok');
    document.querySelector('#code-form').code.focus();
  } catch (error) {
    say('#sign-in-note', error.message, 'error');
  }
}

async function signIn(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await whileRunning(form.querySelector('button[type=submit]'), async () => {
      const session = await accountApi('POST', '/account/sign-in/verify', { email: account.email, code: form.code.value.trim() });
      account.keep(session.token);
      form.reset();
      form.hidden = true;
      say('#sign-in-note', '', 'info');
      await showAccount();
    });
  } catch (error) {
    say('#sign-in-note', error.message, 'error');
  }
}

function addressText(address) {
  if (!address) return '';
  return [address.name, address.line1, address.line2, [address.postalCode, address.city].filter(Boolean).join(' '),
    address.state, address.country].filter(Boolean).join(', ');
}

function orderCard(order) {
  const card = el('article', { class: 'order', 'data-order': order.orderNumber || '', 'data-order-status': order.status },
    el('h4', {}, `Order ${order.orderNumber || ''} — ${order.status}`),
    el('p', {}, `Placed ${String(order.createdAt || '').slice(0, 10)}`),
    el('ul', {}, ...(order.items || []).map(item => el('li', {}, `${item.quantity} × ${item.name}`))),
    el('p', { class: 'ship-to' }, `Ships to: ${addressText(order.shippingAddress)}`));
  if (order.shipment && order.shipment.trackingUrl) {
    card.append(el('p', {}, `Shipped with ${order.shipment.carrier}: `,
      el('a', { href: order.shipment.trackingUrl, rel: 'noopener noreferrer', target: '_blank', class: 'tracking' },
        `track parcel ${order.shipment.trackingNumber}`)));
  }
  return card;
}

async function showAccount() {
  const mine = ++viewAsked;
  const view = await accountApi('GET', '/account');
  if (mine !== viewAsked) return;
  document.querySelector('#sign-in').hidden = true;
  document.querySelector('#account').hidden = false;
  document.querySelector('#account-email').textContent = view.email;
  const orders = document.querySelector('#orders');
  orders.replaceChildren(...(view.orders.length ? view.orders.map(orderCard) : [el('p', {}, 'No orders under this address.')]));
  const subscribed = view.newsletter === 'subscribed';
  document.querySelector('#newsletter-status').textContent = subscribed ? 'subscribed'
    : view.newsletter === 'pending' ? 'waiting for confirmation' : 'not subscribed';
  document.querySelector('#newsletter-status').dataset.status = view.newsletter;
  const toggle = document.querySelector('#newsletter-toggle');
  toggle.textContent = subscribed ? 'Unsubscribe' : 'Subscribe';
  toggle.dataset.subscribe = String(!subscribed);
  document.querySelector('#age-label').hidden = subscribed;
  document.querySelector('#deactivated-status').textContent = view.deactivated ? 'deactivated' : 'active';
  document.querySelector('#deactivated-status').dataset.status = view.deactivated ? 'deactivated' : 'active';
  const deactivation = document.querySelector('#deactivation');
  deactivation.textContent = view.deactivated ? 'Reactivate my account' : 'Deactivate my account';
  deactivation.dataset.action = view.deactivated ? 'reactivate' : 'deactivate';
}

// control: the button that started it, disabled until the view is drawn again (one correction
// mail, one export, one newsletter change per click).
async function act(control, work, done) {
  try {
    await whileRunning(control, async () => {
      await work();
      await showAccount();
    });
    say('#account-note', done, 'ok');
  } catch (error) {
    if (!error.handled) say('#account-note', error.message, 'error');
  }
}

function correct(event) {
  event.preventDefault();
  const form = event.target;
  const value = name => form[name].value.trim() || undefined;
  const correction = {};
  if (value('name')) correction.name = value('name');
  const address = { line1: value('line1'), line2: value('line2'), postalCode: value('postalCode'), city: value('city'),
    state: value('state'), country: value('country') };
  if (Object.values(address).some(Boolean)) correction.shippingAddress = address;
  act(form.querySelector('button[type=submit]'),
    () => accountApi('POST', '/account/corrections', { correction }).then(() => form.reset()),
    'Saved: your orders that have not shipped carry the correction. We mailed you a note of it.');
}

let newEmail = '';

async function askForAddressCode(event) {
  event.preventDefault();
  const form = event.target;
  const email = form.email.value; // the address the code goes to, even if the field changes meanwhile
  try {
    await whileRunning(form.querySelector('button[type=submit]'), () => accountApi('POST', '/account/email', { email }));
    newEmail = email;
    document.querySelector('#email-code-form').hidden = false;
    say('#account-note', 'We mailed a code to the new address. It works for 10 minutes.', 'ok');
  } catch (error) {
    if (!error.handled) say('#account-note', error.message, 'error');
  }
}

async function changeAddress(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await whileRunning(form.querySelector('button[type=submit]'),
      () => accountApi('POST', '/account/email/verify', { email: newEmail, code: form.code.value.trim() }));
    account.forget();
    showSignIn('Your address is changed. Sign in with the new address; we told the old one too.');
  } catch (error) {
    if (!error.handled) say('#account-note', error.message, 'error');
  }
}

function toggleNewsletter() {
  const toggle = document.querySelector('#newsletter-toggle');
  const subscribe = toggle.dataset.subscribe === 'true';
  const body = subscribe ? { subscribed: true, ageConfirmed: document.querySelector('#age-confirmed').checked }
    : { subscribed: false };
  act(toggle, () => accountApi('PUT', '/account/newsletter', body),
    subscribe ? 'You are subscribed to the newsletter.' : 'You are unsubscribed: no more newsletters.');
}

function exportData() {
  act(document.querySelector('#export'), async () => {
    const result = await accountApi('POST', '/account/export');
    const link = document.querySelector('#export-link');
    link.href = result.download;
    link.hidden = false;
  }, 'Your copy is ready: use the link next to the button (it works for 7 days; we mailed it to you too).');
}

// Deactivating, reactivating and deleting ask once more before anything happens.
const WORDS = {
  deactivate: ['Stop all marketing mail and refuse new orders with this address?', 'Yes, deactivate',
    'Your account is deactivated. Reactivate it here whenever you like.'],
  reactivate: ['Accept orders from this address again?', 'Yes, reactivate', 'Your account is active again.'],
  delete: ['Erase your personal data? This cannot be undone.', 'Yes, delete my data', ''],
};

function askToConfirm(event) {
  const action = event.target.dataset.action;
  document.querySelector('#confirm-text').textContent = WORDS[action][0];
  const yes = document.querySelector('#confirm-yes');
  yes.textContent = WORDS[action][1];
  yes.dataset.action = action;
  document.querySelector('#confirm-box').hidden = false;
}

async function confirmed() {
  const action = document.querySelector('#confirm-yes').dataset.action;
  document.querySelector('#confirm-box').hidden = true;
  // The button that asked stays disabled until it is done: it cannot ask again meanwhile.
  const asker = document.querySelector(action === 'delete' ? '#delete' : '#deactivation');
  if (action === 'delete') {
    try {
      await whileRunning(asker, () => accountApi('POST', '/account/delete', { confirm: 'delete' }));
      account.forget();
      showSignIn('Your personal data is erased and you are signed out. We mailed you a note of it.');
    } catch (error) {
      if (!error.handled) say('#account-note', error.message, 'error');
    }
    return;
  }
  act(asker, () => accountApi('POST', `/account/${action}`, { confirm: action }), WORDS[action][2]);
}

async function signOut(event) {
  try {
    await whileRunning(event.currentTarget, () => accountApi('POST', '/account/sign-out'));
  } finally {
    account.forget();
    showSignIn('You are signed out.');
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.querySelector('#sign-in-form').addEventListener('submit', askForCode);
  document.querySelector('#code-form').addEventListener('submit', signIn);
  document.querySelector('#correction-form').addEventListener('submit', correct);
  document.querySelector('#email-form').addEventListener('submit', askForAddressCode);
  document.querySelector('#email-code-form').addEventListener('submit', changeAddress);
  document.querySelector('#newsletter-toggle').addEventListener('click', toggleNewsletter);
  document.querySelector('#export').addEventListener('click', exportData);
  document.querySelectorAll('[data-confirm]').forEach(button => button.addEventListener('click', askToConfirm));
  document.querySelector('#confirm-yes').addEventListener('click', confirmed);
  document.querySelector('#confirm-no').addEventListener('click', () => { document.querySelector('#confirm-box').hidden = true; });
  document.querySelector('#sign-out').addEventListener('click', signOut);
  if (account.token()) {
    showAccount().catch(error => { if (!error.handled) showSignIn(error.message); });
  } else {
    showSignIn();
  }
});
