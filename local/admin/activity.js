// The back office's activity tab, for owners only (the API refuses staff with 403 too): what happened in the back
// office on one UTC day across the whole shop, newest first: who shipped, refunded, changed a price, disabled an
// account, sent a campaign (GET /admin/activity?day=&limit=&page=); each action in words ("Shipped", "Price changed":
// Admin.action, its code as the cell's title); an order by its number (a click opens it in the
// Orders tab), a campaign by its subject, a staff account by its sign-in address; what changed as "field: before →
// after", one a line, amounts as money, or in words for an email correction, an address change or a refund, its reason
// as the refund form words it (Admin.changes, as an order's trail shows it). A day picker, and "Older" for the day's next page. Lines written
// before the trail recorded their day are not listed (they are in each record's own trail).
// Every value from the API goes in with textContent, never innerHTML.
(function () {
  'use strict';

  var PAGE = 50;
  var KINDS = {
    order: 'Order', product: 'Product', staff: 'Account', campaign: 'Campaign', privacy_request: 'Privacy request',
    'export': 'Export'
  };

  var el = Admin.el;

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  // Not Admin.when (the owner's time zone, with the date): the tab shows one UTC day, so its lines' times are that day's
  // UTC times of day, which a time zone's date could contradict at either end of the day.
  function time(iso) {
    var text = iso;
    try {
      text = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .format(new Date(iso)) + ' UTC';
    } catch (e) { /* the ISO text then */ }
    return el('time', { datetime: iso, title: iso }, text);
  }

  // An order by the number the owner knows it by (the packing slip, the mails, the Orders tab), a click opening its
  // record in the Orders tab; a campaign by its subject (as the Campaigns tab lists it); a staff account by its sign-in
  // address; an order or a campaign no longer kept, an account deleted since and any other record by its kind and id.
  function record(subject) {
    if (subject.kind === 'order' && subject.number) {
      return el('button', { type: 'button', 'class': 'linklike', 'data-order': subject.id, title: subject.id,
        onclick: function () { Admin.openTab('orders', { order: subject.id }); } }, 'Order ' + subject.number);
    }
    var name = subject.kind === 'campaign' && subject.name ? '"' + subject.name + '"' : (subject.name || subject.id);
    return el('span', { title: subject.id }, (KINDS[subject.kind] || subject.kind) + ' ' + name);
  }

  function render(container) {
    // pages: the day (or its next page) asked for last; an answer to an earlier ask that arrives later is dropped.
    var state = { pages: Admin.latest(), next: null };
    container.textContent = '';
    var picker = el('input', { type: 'date', 'class': 'activity-day', value: today(), max: today(), required: true });
    var show = el('button', { type: 'submit' }, 'Show');
    var form = el('form', { 'class': 'activity-form', onsubmit: function (event) {
      event.preventDefault();
      load(false);
    } }, [el('label', {}, ['Day (UTC) ', picker]), ' ', show]);
    var message = el('p', { 'class': 'message', role: 'status' });
    var rows = el('tbody');
    var table = el('table', { 'class': 'activity-list' }, [
      el('thead', {}, [el('tr', {}, ['Time', 'By', 'What', 'Record', 'Changed (before → after)']
        .map(function (h) { return el('th', {}, h); }))]),
      rows
    ]);
    var older = el('button', { type: 'button', 'class': 'activity-older', hidden: true,
      onclick: function () { load(true); } }, 'Older');
    container.appendChild(el('h2', {}, 'Activity'));
    container.appendChild(el('p', {}, 'Everything done in the back office on one day (UTC), the latest first: '
      + 'by whom, on which record, and what each field it changed was before and after.'));
    container.appendChild(form);
    container.appendChild(message);
    container.appendChild(table);
    container.appendChild(older);

    function load(more) {
      var day = picker.value || today();
      var path = '/admin/activity?day=' + encodeURIComponent(day) + '&limit=' + PAGE
        + (more && state.next ? '&page=' + encodeURIComponent(state.next) : '');
      var asked = state.pages.ask();
      if (!more) {
        rows.textContent = '';
        older.hidden = true;
        table.setAttribute('data-day', '');
      }
      message.textContent = 'Loading…';
      return Admin.whileRunning([show, older], function () {
        return Admin.call('GET', path).then(function (body) {
          if (!asked()) { return; }
          draw(body.lines || []);
          state.next = body.nextPage || null;
          older.hidden = !state.next;
          table.setAttribute('data-day', body.day);
          message.textContent = rows.children.length ? '' : 'Nothing was done in the back office on ' + body.day + '.';
        }, function (refused) {
          if (asked()) { message.textContent = refused.message; }
        });
      });
    }

    function draw(lines) {
      lines.forEach(function (line) {
        var subject = line.subject || {};
        rows.appendChild(el('tr', { 'data-action': line.action, 'data-subject': subject.id }, [
          el('td', {}, [time(line.at)]),
          el('td', { 'class': 'by' }, line.by),
          // The action in words; its code (what the trail and docs/back-office.md name) on hover.
          el('td', { 'class': 'action', title: line.action }, Admin.action(line.action)),
          el('td', { 'class': 'subject' }, [record(subject)]),
          el('td', { 'class': 'change' }, [Admin.changes(line.before, line.after, line.action)])
        ]));
      });
    }

    load(false);
  }

  Admin.registerTab('activity', 'Activity', render, { ownersOnly: true });
}());
