/*
 * The back office's shell: sign-in through the Cognito user pool (amazon-cognito-identity-js,
 * USER_PASSWORD_AUTH: email and password, then the authenticator's code; a first sign-in sets
 * a password and enrols an authenticator), tabs, and the helpers every tab uses (Admin.call,
 * Admin.el, Admin.whileRunning, Admin.latest).
 * Tokens live in this page's memory only (never localStorage, sessionStorage or cookies): a
 * reload signs out. API values are put on the page as text, never innerHTML.
 *
 * Contract for the other tabs (orders.js, refunds.js, catalog.js, campaigns.js, privacy.js):
 *   Admin.registerTab(id, title, render[, {ownersOnly: true}])  render(container, caller)
 *   Admin.api(method, path, body, headers) -> Promise<Response>, JSON in and out, with the access token
 *     (headers: optional extra request headers, e.g. the refund form's Idempotency-Key; they
 *     cannot replace Authorization)
 *   Admin.caller -> {username, groups} once signed in
 *   Admin.call(method, path, body, headers) -> Promise of the answer's JSON; a refusal rejects with
 *     what the API said (Admin.problem), as every tab shows it
 *   Admin.el(tag, attributes, ...children), Admin.whileRunning(buttons, work[, {untilRedrawn}]),
 *   Admin.latest(): the tabs' shared helpers, below
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
    drawTabs();
  }

  function visibleTabs() {
    const owner = Admin.caller.groups.indexOf('owners') >= 0;
    return tabs.filter((t) => owner || !t.ownersOnly);
  }

  function drawTabs(selected) {
    const nav = $('tabs');
    nav.replaceChildren();
    const visible = visibleTabs();
    const current = selected || (visible[0] && visible[0].id);
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
      Promise.resolve(tab.render(container, Admin.caller)).catch((e) => say(e.message, 'error'));
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

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  async function renderStaff(container) {
    const heading = document.createElement('h2');
    heading.textContent = 'Staff';
    container.appendChild(heading);

    const form = document.createElement('form');
    form.id = 'invite-form';
    const label = document.createElement('label');
    label.textContent = 'Invite by email (they get a temporary password by mail)';
    const input = document.createElement('input');
    input.type = 'email';
    input.name = 'email';
    input.required = true;
    label.appendChild(input);
    const submit = document.createElement('button');
    submit.type = 'submit';
    submit.textContent = 'Invite';
    form.append(label, submit);
    container.appendChild(form);

    const table = document.createElement('table');
    table.id = 'staff-list';
    container.appendChild(table);

    // Each invite, disable, enable or resend reloads the list: only the last list asked for is drawn, whichever answer comes last.
    let asked = 0;

    async function load() {
      const mine = ++asked;
      const response = await api('GET', '/admin/staff');
      const body = await response.json();
      if (mine !== asked) { return; }
      if (!response.ok) {
        say(body.detail || 'Could not list the staff (' + response.status + ').', 'error');
        return;
      }
      table.replaceChildren();
      const head = table.insertRow();
      ['Email', 'Status', ''].forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
      (body.staff || []).forEach((member) => {
        const row = table.insertRow();
        row.dataset.username = member.username;
        cell(row, member.username);
        const invited = member.status === 'FORCE_CHANGE_PASSWORD';
        cell(row, !member.enabled ? 'disabled' : (invited ? 'invited, not signed in yet' : 'active'));
        const actions = cell(row, '');
        if (member.enabled) {
          actions.appendChild(button('Disable', 'DELETE', '', member.username + ' is disabled and signed out.'));
        } else {
          actions.appendChild(button('Enable', 'POST', '/enable', member.username + ' can sign in again.'));
        }
        if (member.enabled && invited) {
          actions.appendChild(button('Resend invitation', 'POST', '/invitation',
            member.username + ' gets a new temporary password by mail; the one sent before no longer works.'));
        }

        /** One request per click, however fast the second; the refusal's reason shown as the API gives it. */
        function button(label, method, suffix, done) {
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = label;
          b.addEventListener('click', async () => {
            b.disabled = true;
            try {
              const r = await api(method, '/admin/staff/' + encodeURIComponent(member.username) + suffix);
              say(r.ok ? done : label + ': ' + await problem(r), r.ok ? 'ok' : 'error');
            } finally {
              b.disabled = false;
            }
            load();
          });
          return b;
        }
      });
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true; // one invitation mail, and no "already has an account" after it
      try {
        const response = await api('POST', '/admin/staff', { email: input.value });
        const body = await response.json();
        say(response.ok ? 'Invited ' + body.username + '.' : (body.detail || 'Could not invite.'), response.ok ? 'ok' : 'error');
        if (response.ok) { input.value = ''; load(); }
      } finally {
        submit.disabled = false;
      }
    });
    await load();
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

  /** What an API refusal says to the user: its problem detail, else the HTTP status. */
  function problem(response) {
    const status = 'The API answered ' + response.status + '.';
    return response.json().then((body) => (body && body.detail) || status, () => status);
  }

  /** What a request that got no answer (the network, or a session that could not be refreshed) says. */
  const UNREACHABLE = 'The shop could not be reached.';

  /**
   * The tabs' one way to call the API: the answer's JSON body ({} when it has none); a refusal
   * rejects with an Error saying what the API said (problem) with its HTTP status as `status`,
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
      throw Object.assign(new Error(await problem(response)), { status: response.status });
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

  const Admin = {
    api: api, call: call, registerTab: registerTab, caller: null, el: el, problem: problem,
    whileRunning: whileRunning, latest: latest
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
