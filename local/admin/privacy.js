// The back office's privacy tab, for owners only (an open request holds the person's address; the API refuses staff
// with 403 too): the open requests soonest due first with the days left, overdue ones marked, each one's trail on
// click (with, for a failed or stopped correction, the changes asked for), and "Try again" on a failed one or one
// whose run stopped part-way (GET /admin/privacy-requests, POST /admin/privacy-requests/{id}/retry). Times in the
// owner's time zone (Admin.time); a "Try again" whose list then cannot be reloaded says both (Admin.notReloaded).
// Every value from the API goes in with textContent, never innerHTML.
(function () {
  'use strict';

  var TYPES = {
    access: 'Access (a copy of their data)', 'delete': 'Erasure', correct: 'Correction', opt_out: 'Opt-out',
    reactivate: 'Reactivation', unsubscribe: 'Unsubscribe'
  };
  var STATUSES = {
    received: 'waiting for the person to confirm', verified: 'being carried out', failed: 'FAILED'
  };

  var el = Admin.el;

  // A time in the owner's time zone (Admin.when), the API's ISO text kept in datetime.
  var time = Admin.time;

  function daysLeft(request) {
    if (request.overdue) {
      return request.daysLeft < 0 ? 'OVERDUE by ' + (-request.daysLeft) + ' day(s)' : 'OVERDUE';
    }
    return request.daysLeft + ' day(s) left';
  }

  // The days left out of all the request was given (30), for the detail: "12 day(s) left of 30".
  function ofAllDays(request) {
    var given = Math.round((new Date(request.dueAt) - new Date(request.receivedAt)) / 86400000);
    return request.overdue ? daysLeft(request) + ': its ' + given + ' days are up' : daysLeft(request) + ' of ' + given;
  }

  var ADDRESS_PARTS = ['line1', 'line2', 'postalCode', 'city', 'state', 'country'];

  function changes(correction) {
    var list = el('dl', { 'class': 'privacy-correction' });
    function change(name, value) {
      list.appendChild(el('dt', {}, name));
      list.appendChild(el('dd', {}, value));
    }
    if (correction.name) { change('Name', correction.name); }
    if (correction.email) { change('New email address', correction.email); }
    if (correction.shippingAddress) {
      var address = correction.shippingAddress;
      change('Shipping address', ADDRESS_PARTS.filter(function (part) { return address[part]; })
        .map(function (part) { return address[part]; }).join(', '));
    }
    return list;
  }

  function render(container) {
    // lists: the list asked for last; shown: the request whose trail was clicked last. An answer to an
    // earlier click that arrives after a later one is dropped.
    var state = { lists: Admin.latest(), shown: Admin.latest() };
    container.textContent = '';
    var message = el('p', { 'class': 'message', role: 'status' });
    var list = el('div', { 'class': 'privacy-list' });
    var detail = el('section', { 'class': 'privacy-detail' });
    container.appendChild(el('h2', {}, 'Privacy requests'));
    container.appendChild(el('p', {}, 'Requests still open, the one due soonest first. Each must be answered by its '
      + 'due date (30 days after it was made). A failed one can be tried again here, or finished by hand.'));
    container.appendChild(el('button', { type: 'button', 'class': 'privacy-reload', onclick: function () { load(); } }, 'Reload'));
    container.appendChild(message);
    container.appendChild(list);
    container.appendChild(detail);

    // "Try again" buttons answered, disabled until the list is drawn again: given back if it cannot be.
    var answered = new Set();

    // done: what a "Try again" that reloads the list did, said again if the reload fails (it did happen).
    function load(done) {
      var asked = state.lists.ask();
      Admin.call('GET', '/admin/privacy-requests').then(function (body) {
        if (asked()) {
          answered.clear();
          drawList(body.requests || []);
        }
      }, function (refused) {
        if (!asked()) { return; }
        answered.forEach(function (b) { b.disabled = false; });
        answered.clear();
        message.textContent = done ? Admin.notReloaded(done, refused, 'press Reload.') : refused.message;
      });
    }

    function drawList(requests) {
      list.textContent = '';
      if (!requests.length) {
        list.appendChild(el('p', {}, 'No open privacy requests.'));
        return;
      }
      var rows = el('table', {}, [el('tr', {}, ['Request', 'Type', 'Status', 'Received', 'Due', 'Days left', '']
        .map(function (h) { return el('th', {}, h); }))]);
      requests.forEach(function (request) {
        var row = el('tr', { 'data-request': request.id, 'class': request.overdue ? 'overdue' : '' }, [
          el('td', {}, [el('button', { type: 'button', 'class': 'linklike',
            title: request.id, onclick: function () { show(request); } }, request.id.slice(0, 8))]),
          el('td', {}, TYPES[request.type] || request.type),
          el('td', { 'class': 'status' }, request.status === 'verified' && request.retryable
            ? 'STOPPED part-way' : (STATUSES[request.status] || request.status)),
          el('td', {}, [time(request.receivedAt)]),
          el('td', {}, [time(request.dueAt)]),
          el('td', { 'class': 'days-left' }, daysLeft(request)),
          el('td', {}, [request.retryable ? retryButton(request) : null])
        ]);
        rows.appendChild(row);
      });
      list.appendChild(rows);
    }

    function retryButton(request) {
      return el('button', { type: 'button', 'class': 'retry', onclick: function (event) {
        if (!window.confirm('Carry out this ' + (TYPES[request.type] || request.type).toLowerCase()
          + ' request again? The person gets the result by mail when it succeeds.')) { return; }
        var asked = state.shown.ask();
        message.textContent = 'Carrying it out again…';
        // Disabled until the list is drawn again, unless the shop could not be reached.
        Admin.whileRunning(event.target, function () {
          return Admin.call('POST', '/admin/privacy-requests/' + encodeURIComponent(request.id) + '/retry').then(function (updated) {
            var done = updated.status === 'completed'
              ? 'Done: the request is completed and the person was mailed the result.'
              : 'It failed again; its trail says why. Try again later, or finish it by hand before its due date.';
            message.textContent = done;
            if (asked()) { drawDetail(updated); }
            answered.add(event.target);
            load(done);
          }, function (refused) {
            message.textContent = refused.message;
            if (!refused.status) { throw refused; }
            answered.add(event.target);
            load(refused.message);
          });
        }, { untilRedrawn: true }).catch(function () { /* said above */ });
      } }, 'Try again');
    }

    // The list carries each request's trail: shown from there, no call. Counted, so that the answer of a "Try again"
    // that arrives after a later click does not replace the trail clicked since.
    function show(request) {
      state.shown.ask();
      drawDetail(request);
    }

    function drawDetail(request) {
      detail.textContent = '';
      detail.setAttribute('data-request', request.id);
      detail.appendChild(el('h3', {}, 'Request ' + request.id + ' (' + request.status + ')'));
      var facts = el('dl');
      // value: text, or elements (a time); attributes: the dd's.
      function fact(name, value, attributes) {
        if (value === undefined || value === null || value === '') { return; }
        facts.appendChild(el('dt', {}, name));
        facts.appendChild(el('dd', attributes || {}, value));
      }
      fact('Type', TYPES[request.type] || request.type);
      fact('Made through', request.source);
      fact('Received', [time(request.receivedAt)], { 'data-fact': 'received' });
      // An open request's due date with the days left of the 30 it was given, an overdue one in red.
      fact('Due', [time(request.dueAt), request.daysLeft !== undefined ? ' (' + ofAllDays(request) + ')' : null],
        { 'data-fact': 'due', 'class': request.overdue ? 'overdue' : null });
      // Shown only for a failed request, so the owner can write to the person or finish it by hand.
      fact('Address', request.email);
      detail.appendChild(facts);
      // A failed or stopped correction: what the person asked to change, for the owner to finish it by hand.
      if (request.correction) {
        detail.appendChild(el('h4', {}, 'Changes asked for'));
        detail.appendChild(changes(request.correction));
      }
      detail.appendChild(el('h4', {}, 'Trail'));
      var trail = el('ol', { 'class': 'privacy-trail' });
      (request.trail || []).forEach(function (line) {
        trail.appendChild(el('li', {}, time(line.at), ' ' + line.event + (line.detail ? ': ' + line.detail : '')
          + (line.stores && line.stores.length ? ' [' + line.stores.join(', ') + ']' : '')));
      });
      detail.appendChild(trail);
    }

    load();
  }

  Admin.registerTab('privacy', 'Privacy requests', render, { ownersOnly: true });
}());
