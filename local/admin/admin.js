/*
 * The back office's shell: sign-in through the Cognito user pool (amazon-cognito-identity-js,
 * USER_PASSWORD_AUTH: email and password, then the authenticator's code; a first sign-in sets
 * a password and enrols an authenticator), tabs, the Staff tab, and the helpers every tab uses
 * (Admin.call, Admin.el, Admin.whileRunning, Admin.latest, Admin.money).
 * Tokens live in this page's memory only (never localStorage, sessionStorage or cookies): a
 * reload signs out. API values are put on the page as text, never innerHTML.
 *
 * Contract for the other tabs (orders.js, refunds.js, catalog.js, campaigns.js, privacy.js):
 *   Admin.registerTab(id, title, render[, {ownersOnly: true}])  render(container, caller, opening)
 *   Admin.openTab(id, opening): that tab drawn as a click on it draws it, its render given opening (what to show
 *     first, null on a click: the Orders tab opens {order: id}'s record, or searches {number: orderNumber})
 *   A link from the owner's mails opens the same way once signed in: #order=<id>, #number=<order number>, #privacy
 *   Admin.api(method, path, body, headers) -> Promise<Response>, JSON in and out, with the access token
 *     (headers: optional extra request headers, e.g. the refund form's Idempotency-Key; they
 *     cannot replace Authorization)
 *   Admin.caller -> {username, groups} once signed in
 *   Admin.call(method, path, body, headers) -> Promise of the answer's JSON; a refusal rejects with
 *     what the API said, as every tab shows it
 *   Admin.el(tag, attributes, ...children), Admin.whileRunning(buttons, work[, {untilRedrawn}]),
 *   Admin.latest(), Admin.money(minor, currency), Admin.currency(code), Admin.when(iso), Admin.time(iso),
 *   Admin.changes(before, after, action), Admin.notReloaded(done, refused, again), Admin.action(code),
 *   Admin.refundReason(code), Admin.refundReasons: the tabs' shared helpers, below
 *   (Admin.time: a <time> element of Admin.when's text; Admin.changes: a trail line's before/after JSON as
 *   "field: before → after" lines, or in words for an email correction, an address change and a refund, as the
 *   activity tab and an order's trail show them; Admin.action: a trail action in words; Admin.refundReasons: Stripe's
 *   refund reasons as [code, label] pairs, the one list the refund form, its list and the trail read)
 */
(function () {
  'use strict';

  /** What the Cognito library would keep in localStorage, kept in a variable instead. */
  const memory = new Map();
  const storage = {
    setItem: (key, value) => { memory.set(key, String(value)); },
    getItem: (key) => (memory.has(key) ? memory.get(key) : null),
    removeItem: (key) => { memory.delete(key); },
    clear: () => { memory.clear(); }
  };

  const tabs = [];
  let config = null;
  let pool = null;
  let user = null;

  const $ = (id) => document.getElementById(id);

  function say(text, kind) {
    $('message').textContent = text || '';
    $('message').dataset.kind = kind || '';
  }

  const FORMS = ['sign-in', 'code', 'new-password', 'mfa-setup'];

  /**
   * A sign-in step's button stays disabled from its submit until Cognito answers (the next step
   * shows, or it failed): a double click does not send a one-time code twice, the second failing
   * after the first signed in.
   */
  function waiting(form) {
    form.querySelector('button[type=submit]').disabled = true;
  }

  function answered() {
    FORMS.forEach((id) => { $(id).querySelector('button[type=submit]').disabled = false; });
  }

  function show(step) {
    answered();
    [...FORMS, 'app'].forEach((id) => { $(id).hidden = id !== step; });
    $('who').hidden = step !== 'app';
    const input = step === 'app' ? null : $(step).querySelector('input');
    if (input) { input.value = ''; input.focus(); }
  }

  /** The callbacks of every sign-in step: each challenge shows its form. */
  const steps = {
    onSuccess: () => { say(''); enter().catch(failed); },
    onFailure: (err) => failed(err),
    totpRequired: () => { say(''); show('code'); },
    newPasswordRequired: () => { say('This is your first sign-in: choose a password.'); show('new-password'); },
    mfaSetup: () => {
      user.associateSoftwareToken({
        associateSecretCode: (secret) => {
          $('totp-secret').textContent = secret;
          say('Last step: an authenticator app.');
          show('mfa-setup');
        },
        onFailure: failed
      });
    }
  };

  function failed(err) {
    answered();
    const text = err && (err.message || err.code || err.name);
    say(text && text !== 'null' ? String(text) : 'Sign-in failed (' + ((err && (err.code || err.name)) || 'unknown') + ').',
      'error');
  }

  function signIn(email, password) {
    user = new AmazonCognitoIdentity.CognitoUser({ Username: email, Pool: pool, Storage: storage });
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    user.authenticateUser(new AmazonCognitoIdentity.AuthenticationDetails({ Username: email, Password: password }), steps);
  }

  /** The current access token, refreshed by the library when it has expired. */
  function accessToken() {
    return new Promise((resolve, reject) => {
      if (!user) { reject(new Error('Not signed in.')); return; }
      user.getSession((err, session) => (err || !session ? reject(err || new Error('Not signed in.'))
        : resolve(session.getAccessToken().getJwtToken())));
    });
  }

  async function api(method, path, body, extraHeaders) {
    const token = await accessToken();
    const headers = { Accept: 'application/json' };
    Object.entries(extraHeaders || {}).forEach(function (entry) {
      if (entry[0].toLowerCase() !== 'authorization') { headers[entry[0]] = String(entry[1]); }
    });
    headers.Authorization = 'Bearer ' + token;
    const init = { method: method, headers: headers, cache: 'no-store' };
    if (body !== undefined && body !== null) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(config.apiUrl.replace(/\/$/, '') + path, init);
  }

  function registerTab(id, title, render, options) {
    tabs.push({ id: id, title: title, render: render, ownersOnly: !!(options && options.ownersOnly) });
    if (Admin.caller) { drawTabs(); }
  }

  async function enter() {
    const response = await api('GET', '/admin/me');
    if (!response.ok) {
      answered();
      say('The back office refused this account (' + response.status + ').', 'error');
      return;
    }
    const me = await response.json();
    Admin.caller = { username: me.username, groups: me.groups || [] };
    $('who-name').textContent = me.username;
    $('who-groups').textContent = '(' + Admin.caller.groups.join(', ') + ')';
    show('app');
    const linked = linkedFromMail();
    drawTabs(linked.tab, linked.opening);
  }

  /**
   * What a link from the owner's mails asks to open (AdminPageUrl#order=<id>, #number=<order number>, #privacy), read
   * from the fragment, which never reaches a server: the owner taps "New order" on their phone, signs in, and is on
   * that order. Anything else opens the first tab, as a plain visit does.
   */
  function linkedFromMail() {
    const hash = window.location.hash.replace(/^#/, '');
    const equals = hash.indexOf('=');
    const key = equals < 0 ? hash : hash.substring(0, equals);
    let value = '';
    try { value = decodeURIComponent(hash.substring(equals + 1)); } catch (e) { value = ''; }
    if (key === 'order' && /^[A-Za-z0-9_-]{1,255}$/.test(value)) { return { tab: 'orders', opening: { order: value } }; }
    if (key === 'number' && /^[#A-Za-z0-9 -]{1,20}$/.test(value)) { return { tab: 'orders', opening: { number: value } }; }
    if (hash === 'privacy') { return { tab: 'privacy', opening: null }; }
    return { tab: null, opening: null };
  }

  function visibleTabs() {
    const owner = Admin.caller.groups.indexOf('owners') >= 0;
    return tabs.filter((t) => owner || !t.ownersOnly);
  }

  /**
   * Draws the tab with this id as a click on it does, giving its render what to show first (opening: orders.js
   * takes {order: id}, that order's record).
   */
  function openTab(id, opening) {
    drawTabs(id, opening);
  }

  function drawTabs(selected, opening) {
    const nav = $('tabs');
    nav.replaceChildren();
    const visible = visibleTabs();
    // A tab this account may not use (a staff member following an owner's link) opens the first one instead.
    const current = visible.some((t) => t.id === selected) ? selected : (visible[0] && visible[0].id);
    visible.forEach((tab) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'tab');
      button.id = 'tab-' + tab.id;
      button.textContent = tab.title;
      button.setAttribute('aria-selected', String(tab.id === current));
      button.addEventListener('click', () => drawTabs(tab.id));
      nav.appendChild(button);
    });
    const content = $('tab-content');
    content.replaceChildren();
    const tab = visible.find((t) => t.id === current);
    if (tab) {
      const container = document.createElement('div');
      container.id = 'panel-' + tab.id;
      content.appendChild(container);
      Promise.resolve(tab.render(container, Admin.caller, opening || null)).catch((e) => say(e.message, 'error'));
    }
  }

  function signOut() {
    $('sign-out').disabled = true; // one GlobalSignOut; the button is enabled again with the sign-in form
    const done = () => {
      $('sign-out').disabled = false;
      memory.clear();
      user = null;
      Admin.caller = null;
      $('tabs').replaceChildren();
      $('tab-content').replaceChildren();
      say('Signed out.', 'ok');
      show('sign-in');
    };
    if (!user) { done(); return; }
    // GlobalSignOut ends every session of this account (its refresh tokens stop working).
    user.getSession((err) => {
      if (err) { done(); return; }
      user.globalSignOut({ onSuccess: done, onFailure: done });
    });
  }

  // --- the shell's own tabs -------------------------------------------------------------

  async function renderStaff(container) {
    const input = el('input', { type: 'email', name: 'email', required: true });
    const submit = el('button', { type: 'submit' }, 'Invite');
    const table = el('table', { id: 'staff-list' });
    container.append(el('h2', {}, 'Staff'),
      el('form', { id: 'invite-form', onsubmit: invite },
        el('label', {}, 'Invite by email (they get a temporary password by mail)', input), submit),
      table);

    // Each invite, disable, enable or resend reloads the list: only the last list asked for is drawn, whichever answer comes last.
    const lists = latest();
    // A row's buttons answered with a success, disabled until the list is drawn again: given back if it cannot be.
    const answered = new Set();

    /** done: what the change that reloads the list did, said again if the reload fails (it did happen). */
    async function load(done) {
      const asked = lists.ask();
      try {
        const body = await call('GET', '/admin/staff');
        if (asked()) {
          answered.clear();
          table.replaceChildren(el('tbody', {}, el('tr', {}, ['Email', 'Status', ''].map((h) => el('th', {}, h))),
            (body.staff || []).map(row)));
        }
      } catch (e) {
        if (asked()) {
          // The rows stay as they were drawn; their buttons work again, and what is done already is not done twice
          // (disable and enable change nothing on an account already so; a resend within 5 minutes is refused).
          answered.forEach((b) => { b.disabled = false; });
          answered.clear();
          say(done ? notReloaded(done, e, 'open the Staff tab again to reload it.')
            : 'Could not list the staff: ' + refusal(e, 'the API answered ' + e.status + '.'), 'error');
        }
      }
    }

    function row(member) {
      const invited = member.status === 'FORCE_CHANGE_PASSWORD';
      return el('tr', { 'data-username': member.username },
        el('td', {}, member.username),
        el('td', {}, !member.enabled ? 'disabled' : (invited ? 'invited, not signed in yet' : 'active')),
        el('td', {},
          member.enabled ? button('Disable', 'DELETE', '', member.username + ' is disabled and signed out.',
            'Disable ' + member.username + '? They are signed out everywhere at once and cannot sign in until the'
            + ' account is enabled again.')
            : button('Enable', 'POST', '/enable', member.username + ' can sign in again.'),
          member.enabled && invited && button('Resend invitation', 'POST', '/invitation',
            member.username + ' gets a new temporary password by mail; the one sent before no longer works.')));

      /**
       * One request per click, however fast the second: after a success the button stays disabled until the list is
       * drawn anew (a click between the answer and the redraw would send it again: a second invitation mail), or until
       * that reload fails (the button usable again, with the failure said); question, when given, asked first (Disable:
       * a misclick would sign someone out in the middle of their work); the refusal's reason shown as the API gives it;
       * the list reloaded after an answer.
       */
      function button(label, method, suffix, done, question) {
        const b = el('button', {
          type: 'button',
          onclick: () => (question && !window.confirm(question) ? null
            : whileRunning(b, () => call(method, '/admin/staff/' + encodeURIComponent(member.username) + suffix),
              { untilRedrawn: true })
              .then(() => { answered.add(b); say(done, 'ok'); load(done); },
                (e) => { say(label + ': ' + e.message, 'error'); if (e.status) { load(); } }))
        }, label);
        return b;
      }
    }

    async function invite(event) {
      event.preventDefault();
      try {
        // One invitation mail, and no "already has an account" after it.
        const body = await whileRunning(submit, () => call('POST', '/admin/staff', { email: input.value }));
        say('Invited ' + body.username + '.', 'ok');
        input.value = '';
        load('Invited ' + body.username + '.');
      } catch (e) {
        say(refusal(e, 'Could not invite.'), 'error');
      }
    }

    await load();
  }

  /** A refusal in the Staff tab's words: the problem's detail, else its own text; no answer at all as call says it. */
  function refusal(e, otherwise) {
    return e.status ? (e.detail || otherwise) : e.message;
  }

  /**
   * What a change says when it was done but the list it reloads then could not be read: both (done, what the change
   * did; refused, the list's refusal; again, how to reload it), so that the failure does not hide that it happened.
   * The Staff tab and the privacy tab's "Try again" say it so.
   */
  function notReloaded(done, refused, again) {
    return done + ' But the list could not be reloaded: ' + refusal(refused, 'the API answered ' + refused.status + '.')
      + ' It may be out of date: ' + again;
  }

  function renderAccount(container, caller) {
    const p = document.createElement('p');
    p.textContent = 'Signed in as ' + caller.username + ', in ' + caller.groups.join(' and ') + '.';
    container.appendChild(p);
  }

  /**
   * An element: attributes are HTML attributes (true: present; false, null or undefined: left out),
   * except on<event>, a listener; children are elements or text (strings, numbers), arrays
   * flattened, null, undefined and false skipped. The tabs build every view with it, API values
   * only as text: el('td', {}, order.number), el('button', {type: 'button', onclick: f}, 'Open').
   */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name.startsWith('on')) { node.addEventListener(name.slice(2), value); }
      else if (value === true) { node.setAttribute(name, ''); }
      else if (value !== false && value !== null && value !== undefined) { node.setAttribute(name, value); }
    });
    children.flat(Infinity).forEach((child) => {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    });
    return node;
  }

  /** An API refusal's problem detail, null when it gave none. */
  function detail(response) {
    return response.json().then((body) => (body && body.detail) || null, () => null);
  }

  /** What a request that got no answer (the network, or a session that could not be refreshed) says. */
  const UNREACHABLE = 'The shop could not be reached.';

  /**
   * The tabs' one way to call the API: the answer's JSON body ({} when it has none); a refusal
   * rejects with an Error saying what the API said (its problem detail, else its HTTP status) with that status as `status` and
   * its problem detail as `detail` (null when it gave none, for a tab with its own words then),
   * a request that got no answer with UNREACHABLE and `status` 0.
   */
  async function call(method, path, body, headers) {
    let response;
    try {
      response = await api(method, path, body, headers);
    } catch (e) {
      throw Object.assign(new Error(UNREACHABLE), { status: 0 });
    }
    if (!response.ok) {
      const said = await detail(response);
      throw Object.assign(new Error(said || 'The API answered ' + response.status + '.'),
        { status: response.status, detail: said });
    }
    return response.json().catch(() => ({}));
  }

  /**
   * A button that changes something is disabled while its request runs, so a double click sends
   * it once (one shipping mail, one refund, one stock move). work() answers a promise, which
   * whileRunning answers too; the buttons (one or an array) are enabled again once it settles, or
   * with {untilRedrawn: true} only if it failed: after a success their view is drawn anew, and
   * until then a second click must not send it again (a refund with the next form's key).
   */
  async function whileRunning(buttons, work, options) {
    const all = [].concat(buttons);
    all.forEach((b) => { b.disabled = true; });
    let succeeded = false;
    try {
      const answer = await work();
      succeeded = true;
      return answer;
    } finally {
      if (!(succeeded && options && options.untilRedrawn)) { all.forEach((b) => { b.disabled = false; }); }
    }
  }

  /**
   * The late-answer rule. Answers come back in any order: for one part of a panel (a list, a
   * record), only the answer to the request asked last is drawn, and an earlier request's answer
   * (or failure) that comes after it is dropped. Admin.latest() is that part's counter; its ask(),
   * called as a request is sent (or when the part is given to something else, with no request),
   * answers a function telling whether that request is still the last one asked.
   */
  function latest() {
    let asked = 0;
    return {
      ask: () => {
        const mine = ++asked;
        return () => mine === asked;
      }
    };
  }

  // How Stripe counts a currency (https://docs.stripe.com/currencies): two decimals unless listed here. The same
  // lists as shop.commerce.StripeCurrency; StripeCurrencyTest reads these three lines and compares them.
  const STRIPE_ZERO_DECIMAL = 'BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV XAF XOF XPF'.split(' ');
  const STRIPE_THREE_DECIMAL = 'BHD JOD KWD OMR TND'.split(' ');
  const STRIPE_WHOLE_UNITS_IN_TWO_DECIMALS = 'ISK UGX'.split(' ');

  /**
   * A currency as Stripe counts it: exponent, the decimals of Stripe's amount (what the API stores); shown, the
   * decimals people read; step, what every amount Stripe charges is a multiple of; typed, the decimals people may
   * type (12.34 KWD, 25000 ISK). currency('ISK') is {exponent: 2, shown: 0, step: 100, typed: 0}.
   */
  function currency(code) {
    const upper = String(code || 'USD').toUpperCase();
    if (STRIPE_ZERO_DECIMAL.includes(upper)) return { exponent: 0, shown: 0, step: 1, typed: 0 };
    if (STRIPE_THREE_DECIMAL.includes(upper)) return { exponent: 3, shown: 3, step: 10, typed: 2 };
    if (STRIPE_WHOLE_UNITS_IN_TWO_DECIMALS.includes(upper)) return { exponent: 2, shown: 0, step: 100, typed: 0 };
    return { exponent: 2, shown: 2, step: 1, typed: 2 };
  }

  /**
   * An amount in minor units as the page shows money, in the browser's locale: money(1250, 'usd')
   * is "$12.50", money(1250, 'JPY') "¥1,250", money(2500000, 'ISK') "ISK 25,000"; no currency counts as USD,
   * no amount as 0, and a code Intl refuses is shown as the amount and the code.
   */
  function money(minor, inCurrency) {
    const code = String(inCurrency || 'USD').toUpperCase();
    const counted = currency(code);
    try {
      return new Intl.NumberFormat(undefined, {
        style: 'currency', currency: code,
        minimumFractionDigits: counted.shown, maximumFractionDigits: counted.exponent
      }).format(Number(minor || 0) / Math.pow(10, counted.exponent));
    } catch (e) {
      return String(minor) + ' ' + code;
    }
  }

  /**
   * A time as the owner reads it: in the browser's time zone, named ("7 Dec 2026, 10:00 GMT+1"), as they type one in the
   * campaigns tab's "or at"; the API's times are UTC ISO text (shown as it is if it is not a time). Every tab showing a
   * time of a record (a campaign's, an order's, a privacy request's, and their trails') shows it so (Admin.time); not
   * the activity tab, which lists one UTC day by its UTC times of day.
   */
  function when(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  }

  /**
   * A time of a record as the page shows it: a <time> element, its text when(iso), its datetime the API's ISO text
   * (the machine value, also its title); null for no time, so a record's fact without one is left out.
   */
  function time(iso) {
    if (iso === null || iso === undefined || iso === '') { return null; }
    return el('time', { datetime: iso, title: iso }, when(iso));
  }

  /**
   * A trail line's before or after (the JSON text of the fields it is about) as {field: value}, a field of a field
   * named "price.amount"; null when it is not a JSON object (shown as it is then), {} when there is none.
   */
  function fields(text) {
    if (text === null || text === undefined || text === '') { return {}; }
    let value;
    try { value = JSON.parse(text); } catch (e) { return null; }
    if (!value || typeof value !== 'object' || Array.isArray(value)) { return null; }
    const flat = {};
    (function walk(object, prefix) {
      Object.keys(object).forEach((key) => {
        const inner = object[key];
        if (inner && typeof inner === 'object' && !Array.isArray(inner)) { walk(inner, prefix + key + '.'); }
        else { flat[prefix + key] = inner; }
      });
    }(value, ''));
    return flat;
  }

  /** A value of a trail line: "–" for none, a list of plain values as "a, b", anything else as its JSON. */
  function shown(value) {
    if (value === undefined || value === null) { return '–'; }
    if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) {
      return value.length ? value.map(shown).join(', ') : '–';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  /** Stripe's refund reasons in the owner's words: the refund form's choices, its list and the trail's refund lines. */
  const REFUND_REASONS = [
    ['requested_by_customer', 'Requested by the customer'],
    ['duplicate', 'Duplicate payment'],
    ['fraudulent', 'Fraudulent payment']
  ];

  /** A refund's reason as the owner reads it; a code this page does not know as it is, none as "no reason given". */
  function refundReason(code) {
    if (code === undefined || code === null || code === '') { return 'no reason given'; }
    const known = REFUND_REASONS.find(([value]) => value === code);
    return known ? known[1] : String(code);
  }

  /**
   * The trail's actions (docs/back-office.md) in the owner's words, as the activity tab's "What" says them; an action
   * this page does not know shows its code. A staff change outside DynamoDB has its request's line and its outcome's.
   */
  const ACTIONS = {
    'order.shipped': 'Shipped',
    'order.shipment_corrected': 'Tracking corrected',
    'order.shipping_address_changed': 'Shipping address changed',
    'order.email_changed': 'Customer email corrected',
    'order.accepted': 'Accepted (it needed attention)',
    'order.refunded': 'Refunded',
    'order.restocked': 'Pieces put back on sale',
    'orders.exported': 'Accounting export',
    'product.created': 'Product added',
    'product.updated': 'Product edited',
    'product.price_changed': 'Price changed',
    'product.stock_changed': 'Stock changed',
    'product.archived': 'Product archived',
    'product.unarchived': 'Product back on sale',
    'staff.invite_requested': 'Invitation asked for',
    'staff.invited': 'Invited',
    'staff.invite_failed': 'Invitation failed',
    'staff.disable_requested': 'Disabling asked for',
    'staff.disabled': 'Disabled',
    'staff.disable_failed': 'Disabling failed',
    'staff.enable_requested': 'Enabling asked for',
    'staff.enabled': 'Enabled',
    'staff.enable_failed': 'Enabling failed',
    'staff.invitation_resend_requested': 'Invitation resend asked for',
    'staff.invitation_resent': 'Invitation sent again',
    'staff.invitation_resend_failed': 'Invitation resend failed',
    'campaign.created': 'Campaign drafted',
    'campaign.updated': 'Draft edited',
    'campaign.test_requested': 'Test mail asked for',
    'campaign.test_sent': 'Test mail sent',
    'campaign.test_failed': 'Test mail failed',
    'campaign.scheduled': 'Campaign scheduled to send',
    'campaign.paused': 'Campaign paused',
    'campaign.resumed': 'Campaign resumed',
    'campaign.cancelled': 'Campaign cancelled',
    'privacy_request.retried': 'Privacy request tried again'
  };

  /** A trail line's action in words (ACTIONS), or its code when the page has none for it. */
  function action(code) {
    if (code === undefined || code === null) { return ''; }
    return Object.prototype.hasOwnProperty.call(ACTIONS, code) ? ACTIONS[code] : String(code);
  }

  // The parts of a shipping address as the order's "Change shipping address" form names them.
  const ADDRESS_PARTS = {
    name: 'name', line1: 'address line 1', line2: 'address line 2', postalCode: 'postal code', city: 'city',
    state: 'state or region', country: 'country'
  };

  /**
   * Trail lines said in words rather than field by field (their before and after as fields() reads them): an email
   * correction and an address change hold a count and a fact, no address (docs/back-office.md), so none is shown; a
   * refund's amounts are in the minor units of the currency only its refund names.
   */
  const IN_WORDS = {
    // before {change: n - 1, bounced}, after {change: n}
    'order.email_changed': (was, is) => ['Email corrected (correction ' + shown(is.change)
      + (was.bounced === true ? '; the old address had bounced' : '') + ')'],
    // before {country}, after {country, changed: [the parts that differ], change: n}
    'order.shipping_address_changed': (was, is) => {
      const parts = [].concat(is.changed || []).map((part) => ADDRESS_PARTS[part] || part);
      return ['Shipping address changed (change ' + shown(is.change) + (parts.length ? ': ' + parts.join(', ') : '') + ')']
        .concat(JSON.stringify(was.country) === JSON.stringify(is.country) ? []
          : ['country: ' + shown(was.country) + ' → ' + shown(is.country)]);
    },
    // before {status, amountRefunded}, after with {refund: {stripeRefundId, amount, currency, reason, restock}}: the
    // amounts in minor units of the refund's currency, shown as money
    'order.refunded': (was, is) => {
      const currency = is['refund.currency'];
      return ['Refunded ' + money(is['refund.amount'], currency) + ' (' + refundReason(is['refund.reason']) + ')'
        + (is['refund.restock'] === true ? ', its pieces back on sale' : '')]
        .concat(was.status === is.status ? [] : ['status: ' + shown(was.status) + ' → ' + shown(is.status)])
        .concat(['refunded in all: ' + money(was.amountRefunded, currency) + ' → ' + money(is.amountRefunded, currency),
          'Stripe refund ' + shown(is['refund.stripeRefundId'])]);
    }
  };

  /**
   * A trail line's fields with each amount beside its currency ({price.amount: 4500, price.currency: 'usd'}) as one
   * field of money ({price: '$45.00'}), in the order the line has them.
   */
  function withMoney(flat) {
    const folded = {};
    Object.keys(flat).forEach((name) => {
      const amount = /^(.*)\.amount$/.exec(name);
      if (amount && (amount[1] + '.currency') in flat) {
        folded[amount[1]] = money(flat[name], flat[amount[1] + '.currency']);
      } else if (!(/\.currency$/.test(name) && name.replace(/currency$/, 'amount') in flat)) {
        folded[name] = flat[name];
      }
    });
    return folded;
  }

  /**
   * What a trail line changed (its before and after, the JSON text the API gives, and its action): a
   * <ul class="changes"> of "field: before → after", one a line, only the fields whose value differs ("–" for none,
   * an amount with its currency as money; the trail's own text, nothing added), or for an action in IN_WORDS its
   * sentences; a before or after that is not a JSON object shown as it is, in <code>, inside a <span class="changes">.
   * The activity tab's lines and an order's trail show them so.
   */
  function changes(before, after, action) {
    const was = fields(before);
    const is = fields(after);
    if (was === null || is === null) {
      return el('span', { class: 'changes' }, before ? el('code', {}, before) : null, before && after ? ' → ' : null,
        after ? el('code', {}, after) : null);
    }
    if (Object.prototype.hasOwnProperty.call(IN_WORDS, action)) {
      return el('ul', { class: 'changes' }, IN_WORDS[action](was, is).map((line) => el('li', {}, line)));
    }
    const from = withMoney(was);
    const to = withMoney(is);
    const names = Object.keys(from).concat(Object.keys(to).filter((name) => !(name in from)));
    return el('ul', { class: 'changes' }, names
      .filter((name) => JSON.stringify(from[name]) !== JSON.stringify(to[name]))
      .map((name) => el('li', {}, name + ': ' + shown(from[name]) + ' → ' + shown(to[name]))));
  }

  const Admin = {
    api: api, call: call, registerTab: registerTab, openTab: openTab, caller: null, el: el,
    whileRunning: whileRunning, latest: latest, money: money, currency: currency, when: when, time: time,
    changes: changes, notReloaded: notReloaded, action: action, refundReason: refundReason,
    refundReasons: REFUND_REASONS.map((pair) => pair.slice())
  };
  window.Admin = Admin;
  registerTab('account', 'Account', renderAccount);
  registerTab('staff', 'Staff', renderStaff, { ownersOnly: true });

  // --- wiring ---------------------------------------------------------------------------

  $('sign-in').addEventListener('submit', (e) => {
    e.preventDefault();
    waiting(e.target);
    say('Signing in...');
    signIn(e.target.email.value.trim(), e.target.password.value);
  });
  $('code').addEventListener('submit', (e) => {
    e.preventDefault();
    waiting(e.target);
    user.sendMFACode(e.target.code.value.trim(), steps, 'SOFTWARE_TOKEN_MFA');
  });
  $('new-password').addEventListener('submit', (e) => {
    e.preventDefault();
    waiting(e.target);
    user.completeNewPasswordChallenge(e.target.password.value, {}, steps);
  });
  $('mfa-setup').addEventListener('submit', (e) => {
    e.preventDefault();
    waiting(e.target);
    user.verifySoftwareToken(e.target.code.value.trim(), 'authenticator', steps);
  });
  $('sign-out').addEventListener('click', signOut);

  fetch('config.json', { cache: 'no-store' }).then((r) => r.json()).then((c) => {
    config = c;
    pool = new AmazonCognitoIdentity.CognitoUserPool({
      UserPoolId: c.userPoolId, ClientId: c.clientId, endpoint: c.cognitoEndpoint || undefined, Storage: storage
    });
    show('sign-in');
  }).catch(() => say('config.json is missing: see docs/back-office.md.', 'error'));
}());
