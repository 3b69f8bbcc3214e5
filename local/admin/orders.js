// The back office's orders tab: "to ship" first (oldest first, how long each order has waited, and every slip printed
// at once), the open disputes by deadline, a search by order number or email, an order's record, the ship form
// (and on a shipped order, the form that corrects its tracking), the form that changes the shipping address of an order
// to ship (at the customer's request), the packing
// slip (printed from a new window built with DOM APIs) and, for owners, the acceptance of an order that needs attention and the accounting export.
// Every value from the API is order data a customer typed: it goes in with textContent, never innerHTML.
(function () {
  'use strict';

  // Not a status: a disputed order stays paid or shipped. The API lists the open disputes with ?dispute=open,
  // soonest evidence deadline first.
  var DISPUTES = 'DISPUTES';
  var LISTS = [
    ['PAID', 'To ship'], ['SHIPPED', 'Shipped'], ['PENDING_PAYMENT', 'Awaiting payment'],
    ['NEEDS_ATTENTION', 'Needs attention'], ['REFUNDED', 'Refunded'], ['FAILED', 'Failed'], ['ALL', 'All'],
    [DISPUTES, 'Disputes open']
  ];

  var el = Admin.el;
  var money = Admin.money;

  // The lists worked from the top, the order waiting longest first: the API's sort=oldest. The others newest first.
  var OLDEST_FIRST = { PAID: true, NEEDS_ATTENTION: true };
  // How many pages of slips (100 each) one "Print slips" reads, one after the other, before printing what it has.
  var SLIP_PAGES = 10;

  // How long an order has waited since it was placed: "3 days", "5 hours", "12 minutes" (never less than a minute).
  // Placed, not paid: a list's answer has no paidAt (the byStatus index does not project it; template.yaml).
  function waited(iso, now) {
    var minutes = Math.max(1, Math.floor((now - new Date(iso).getTime()) / 60000));
    if (Number.isNaN(minutes)) { return ''; }
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor(minutes / 60);
    return days >= 1 ? days + (days === 1 ? ' day' : ' days')
      : hours >= 1 ? hours + (hours === 1 ? ' hour' : ' hours')
        : minutes + (minutes === 1 ? ' minute' : ' minutes');
  }
  // An order to ship waiting this long or more is marked: the customer may be wondering where it is.
  var LONG_WAIT_DAYS = 3;

  // "9 December 2026, 23:59 UTC", as the owner's dispute mail writes the deadline.
  function deadline(iso) {
    if (!iso) { return el('span', {}, 'none given'); }
    var text = iso;
    try {
      text = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric',
        hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) + ' UTC';
    } catch (e) { /* the ISO text then */ }
    return el('time', { datetime: iso }, text);
  }

  // A form's button stays disabled while its request runs: a double click sends it once (one shipping mail, one
  // acceptance). Enabled again whatever the answer, for the form drawn anew or one that failed and is sent again.
  var whileRunning = Admin.whileRunning;

  // Why a paid session needs the owner, in the words of the owner's mail (the order's attentionReason, written with its status).
  var ATTENTION_REASONS = {
    no_reservation: 'It was not made by the shop\u2019s checkout (a Payment Link, the Dashboard or another integration of the Stripe account), so no piece was held for it.',
    unknown_reservation: 'The reservation it names does not exist (any more), so no piece was held for it.',
    other_session: 'The reservation it names belongs to another checkout, which keeps its piece.',
    other_amount: 'Stripe\u2019s amount or currency differs from what the shop priced for it; no piece was held for it.',
    deactivated_email: 'It was paid with an address whose owner deactivated it; its piece is set aside for it.',
    stock_not_held: 'Its pieces were no longer held for it when the payment arrived; one may have been sold to someone else meanwhile.'
  };

  function addressLines(address) {
    if (!address) { return []; }
    var city = [address.postalCode, address.city, address.state].filter(Boolean).join(' ');
    return [address.name, address.line1, address.line2, city, address.country].filter(Boolean);
  }

  // opening: {order: id} to show that order's record at once (the activity tab's link to an order, a link from the owner's
  // mail), {number: orderNumber} to search for it (the mail about a bounce), else null.
  function render(container, caller, opening) {
    var isOwner = (caller.groups || []).indexOf('owners') >= 0;
    // lists, details: the last list and the last order asked for; an answer to anything asked before is dropped.
    // detailId: the order asked for last, the one the record shows (or is about to).
    // sort: the order of a list by status ('oldest' or 'newest'), each list's own until the owner turns it.
    var state = { list: 'PAID', sort: 'oldest', search: null, pages: [], page: null, lists: Admin.latest(),
      details: Admin.latest(), detailId: null };
    container.textContent = '';
    var tabs = el('nav', { 'class': 'order-lists' });
    // One field: what the customer wrote. An address has an @; anything else is read as an order number
    // (the API accepts it in any case, with spaces or a leading #).
    var searchField = el('input', { type: 'search', name: 'q', maxlength: '254', required: 'required',
      placeholder: 'Order number or email', 'aria-label': 'Order number or customer email' });
    var searchForm = el('form', { 'class': 'order-search', role: 'search', onsubmit: function (event) {
      event.preventDefault();
      var typed = searchField.value.trim();
      if (!typed) { return; }
      state.search = typed.indexOf('@') >= 0 ? { param: 'email', value: typed } : { param: 'number', value: typed };
      load();
    } }, [searchField, el('button', { type: 'submit' }, 'Find')]);
    var message = el('p', { 'class': 'message', role: 'status' });
    var table = el('div', { 'class': 'order-list' });
    var more = el('button', { type: 'button' }, 'Next page');
    var detail = el('section', { 'class': 'order-detail' });
    // A list by status in either order (not "All", which walks back month by month, nor the disputes, by deadline).
    var sortButtons = [['oldest', 'Oldest first'], ['newest', 'Newest first']].map(function (entry) {
      return el('button', { type: 'button', 'data-sort': entry[0], 'aria-pressed': 'false', onclick: function () {
        state.sort = entry[0]; load();
      } }, entry[1]);
    });
    var sorting = el('nav', { 'class': 'list-sort', 'aria-label': 'Order of the list' }, sortButtons);
    // The day's packing slips at once: every order to ship, oldest first, a page break between two.
    var printAll = el('button', { type: 'button', 'class': 'print-slips', onclick: function () { printSlips(); } },
      'Print slips for the orders to ship');
    LISTS.forEach(function (entry) {
      tabs.appendChild(el('button', { type: 'button', 'data-list': entry[0], 'aria-pressed': 'false', onclick: function () {
        state.list = entry[0]; state.sort = OLDEST_FIRST[entry[0]] ? 'oldest' : 'newest';
        state.search = null; state.page = null; searchField.value = ''; load();
      } }, entry[1]));
    });
    more.onclick = function () { load(state.next); };
    container.appendChild(el('h2', {}, 'Orders'));
    container.appendChild(searchForm);
    container.appendChild(tabs);
    container.appendChild(el('div', { 'class': 'list-tools' }, [sorting, printAll]));
    container.appendChild(message);
    container.appendChild(table);
    container.appendChild(more);
    container.appendChild(detail);
    if (isOwner) { container.appendChild(exportForm(message)); }

    function load(page) {
      // What this request asks for is fixed now: a slower answer to an earlier tab or search must neither
      // draw over the list asked for since nor be drawn under the later tab's name.
      var asked = state.lists.ask();
      var search = state.search;
      var list = state.list;
      var disputes = !search && list === DISPUTES;
      var sortable = !search && !disputes && list !== 'ALL';
      var sort = state.sort;
      // The list's tools say what is shown: the list's tab, its order, and the slips on "to ship" only.
      Array.prototype.forEach.call(tabs.children, function (tab) {
        tab.setAttribute('aria-pressed', String(!search && tab.getAttribute('data-list') === list));
      });
      sorting.hidden = !sortable;
      sortButtons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-sort') === sort)); });
      printAll.hidden = Boolean(search) || list !== 'PAID';
      // A page token belongs to its list: none is kept across lists (a refused list leaves no other list's "Next page").
      if (!page) { more.hidden = true; state.next = null; }
      var query = (search ? '?' + search.param + '=' + encodeURIComponent(search.value)
        : disputes ? '?dispute=open' : '?status=' + encodeURIComponent(state.list)
          + (sortable && sort === 'oldest' ? '&sort=oldest' : ''))
        + '&limit=25' + (page ? '&page=' + encodeURIComponent(page) : '');
      Admin.call('GET', '/admin/orders' + query).then(function (body) {
        if (!asked()) { return; }
        message.textContent = '';
        state.next = body.nextPage;
        more.hidden = !body.nextPage;
        if (!page) {
          table.textContent = '';
          table.setAttribute('data-showing', search ? search.param : list);
          if (sortable) { table.setAttribute('data-sort', sort); } else { table.removeAttribute('data-sort'); }
        }
        // How long each order has waited, on the lists of orders waiting for someone here.
        var waiting = sortable && OLDEST_FIRST[list];
        var now = Date.now();
        var headings = ['Order', 'Placed', 'Customer', 'Total', 'Country', 'Status'];
        if (waiting) { headings.splice(2, 0, 'Waiting'); }
        if (disputes) { headings = headings.concat(['Evidence due', 'Dispute']); }
        var rows = el('table', {}, [el('tr', {}, headings.map(function (h) { return el('th', {}, h); }))]);
        body.orders.forEach(function (order) {
          var link = el('button', { type: 'button', 'class': 'linklike', 'data-order': order.id,
            onclick: function () { show(order.id); } }, order.number);
          var cells = [el('td', {}, [link]), el('td', {}, [Admin.time(order.createdAt)]),
            el('td', {}, order.customerName || ''), el('td', {}, money(order.total, order.currency)),
            el('td', {}, order.country || ''), el('td', {}, order.status)];
          if (waiting) {
            var late = now - new Date(order.createdAt).getTime() >= LONG_WAIT_DAYS * 86400000;
            cells.splice(2, 0, el('td', { 'class': late ? 'waiting long' : 'waiting' }, waited(order.createdAt, now)));
          }
          if (disputes && order.dispute) {
            var d = order.dispute;
            cells.push(el('td', { 'class': 'evidence-due' }, [deadline(d.evidenceDueBy)]));
            cells.push(el('td', { 'class': 'dispute' }, [d.status, d.reason, money(d.amount, d.currency)]
              .filter(Boolean).join(', ')));
          }
          rows.appendChild(el('tr', {}, cells));
        });
        if (!page && search) {
          table.appendChild(el('p', { 'class': 'search-summary' }, body.orders.length
            ? (search.param === 'email' ? 'Orders of this email address' : 'Orders numbered ' + body.number) + ', newest first:'
            : (search.param === 'email' ? 'No orders with this email address.' : 'No order numbered ' + body.number + '.')));
        } else if (!body.orders.length && !page) {
          table.appendChild(el('p', {}, disputes ? 'No open disputes.' : 'No orders here.'));
        } else if (disputes && !page) {
          table.appendChild(el('p', { 'class': 'list-summary' }, 'Open disputes, soonest evidence deadline first. Submit evidence in the Stripe Dashboard.'));
        } else if (waiting && sort === 'oldest' && !page) {
          table.appendChild(el('p', { 'class': 'list-summary' }, 'Oldest first: the order waiting longest is on top.'));
        }
        table.appendChild(rows);
      }, function (refused) {
        if (!asked()) { return; }
        message.textContent = refused.message;
        // The list shown is no longer the one asked for: it is not left under the new list's name.
        if (!page) { table.textContent = ''; table.removeAttribute('data-showing'); }
      });
    }

    // refunds.js after a refund or a restock: the record is drawn again if it still shows that order (not if another
    // order was clicked meanwhile).
    // A refund or restock changed an order: its record is drawn again if still shown, and the list too,
    // since a whole refund moves an order out of "to ship".
    Admin.onOrderChanged = function (id) { if (state.detailId === id) { show(id); } load(); };

    // The order clicked last (or acted on last) is the one shown, whichever answer comes last.
    function askDetail(id) {
      state.detailId = id;
      return state.details.ask();
    }

    function show(id) {
      var asked = askDetail(id);
      Admin.call('GET', '/admin/orders/' + encodeURIComponent(id)).then(function (order) {
        if (asked()) { drawDetail(order); }
      }, function (refused) { if (asked()) { message.textContent = refused.message; } });
    }

    function drawDetail(order) {
      detail.textContent = '';
      detail.appendChild(el('h3', {}, 'Order ' + order.orderNumber + ' (' + order.status + ')'));
      var facts = el('dl');
      // value: text, or text and elements (a time); left out when there is none. name: also the dd's data-fact.
      function fact(name, value) {
        if (value === undefined || value === null || value === '') { return; }
        facts.appendChild(el('dt', {}, name));
        facts.appendChild(el('dd', { 'data-fact': name }, value));
      }
      // Every time in the owner's time zone (Admin.time), the API's ISO text kept as the <time>'s datetime.
      var time = Admin.time;
      fact('Placed', time(order.createdAt));
      fact('Paid', time(order.paidAt));
      fact('Shipped', time(order.fulfilledAt));
      fact('Customer', order.customerName);
      fact('Email', order.customerEmail);
      fact('Ship to', addressLines(order.shipping).join(', '));
      if (order.shippingChanges) {
        fact('Shipping address changed', [order.shippingChanges + ' time(s), last ', time(order.shippingChangedAt),
          ' by ' + order.shippingChangedBy]);
      }
      // Changed by the back office (a correction after a bounce, counted in emailChanges) or by the customer moving their
      // account to a new address (emailChangedBy "customer"): the last change says who.
      if (order.emailChangedAt) {
        fact('Email changed', ['last ', time(order.emailChangedAt), ' by ' + (order.emailChangedBy === 'customer'
          ? 'the customer (their account)' : order.emailChangedBy || 'the customer (their account)')
          + (order.emailChanges ? '; ' + order.emailChanges + ' correction(s) in the back office' : '')]);
      }
      fact('Billing', addressLines(order.billing).join(', '));
      fact('Total', money(order.amountTotal, order.currency));
      if (order.amountRefunded) { fact('Refunded', money(order.amountRefunded, order.currency)); }
      if (order.shipment) {
        fact('Carrier', order.shipment.carrier);
        fact('Tracking', order.shipment.trackingNumber + ' ' + order.shipment.trackingUrl);
        if (order.shipment.corrections) {
          fact('Tracking corrected', [order.shipment.corrections + ' time(s), last ', time(order.shipment.correctedAt),
            ' by ' + order.shipment.correctedBy]);
        }
      }
      if (order.dispute) {
        var dispute = order.dispute;
        // The evidence deadline as the list and the owner's dispute mail write it (UTC), in a <time> too.
        var due = !dispute.outcome && dispute.evidenceDueBy;
        fact('Dispute', [[dispute.status, dispute.reason, money(dispute.amount, dispute.currency),
          dispute.outcome ? 'outcome: ' + dispute.outcome : null].filter(Boolean).join(', '),
          due ? ', evidence due ' : null, due ? deadline(dispute.evidenceDueBy) : null]);
      }
      // An accepted (or refunded) order keeps why it needed the owner: an order honoured although paid with a
      // deactivated address says so for as long as it is shown.
      if (order.attentionReason && order.status !== 'NEEDS_ATTENTION') {
        fact('Needed attention', ATTENTION_REASONS[order.attentionReason] || order.attentionReason);
      }
      if (order.erasedAt) { fact('Erased on request', time(order.erasedAt)); }
      if (order.shippingKeptUntilDone) {
        fact('Kept to ship', 'name and shipping address only, removed when shipped or refunded in full');
      }
      detail.appendChild(facts);
      var items = el('ul');
      (order.items || []).forEach(function (item) {
        items.appendChild(el('li', {}, item.quantity + ' × ' + item.name + ' — ' + money(item.amountTotal, order.currency)));
      });
      detail.appendChild(items);
      if (typeof Admin.refundForm === 'function') {
        // local/admin/refunds.js: the order's refunds, and for owners the refund form and restock.
        var refunds = el('section', { 'class': 'order-refunds' });
        detail.appendChild(refunds);
        Admin.refundForm(refunds, order);
      } else {
        (order.refunds || []).forEach(function (refund) {
          detail.appendChild(el('p', {}, 'Refund ' + money(refund.amount, order.currency) + ' ' + (refund.reason || '') + ' ',
            time(refund.at)));
        });
      }
      if (order.status === 'NEEDS_ATTENTION') { detail.appendChild(attention(order)); }
      detail.appendChild(el('button', { type: 'button', 'class': 'print-slip', onclick: function () { printSlip(order.id); } }, 'Print packing slip'));
      if (order.status === 'PAID') { detail.appendChild(shipForm(order)); }
      if (order.status === 'PAID' && !order.fulfilledAt && !order.erasedAt && !order.shippingKeptUntilDone) {
        detail.appendChild(addressForm(order));
      }
      if (order.status === 'SHIPPED' && order.shipment) { detail.appendChild(correctForm(order)); }
      if (['PAID', 'SHIPPED', 'REFUNDED'].indexOf(order.status) >= 0 && !order.erasedAt && !order.shippingKeptUntilDone) {
        detail.appendChild(emailForm(order));
      }
      detail.appendChild(el('h4', {}, 'Mails'));
      var mails = el('ul', { 'class': 'order-mails' });
      (order.mails || []).forEach(function (mail) {
        mails.appendChild(el('li', { 'data-mail': mail.kind }, mail.kind + ': ' + mail.status + (mail.sentAt ? ' ' : ''),
          time(mail.sentAt)));
      });
      detail.appendChild(mails);
      // Who did what and when, and what it changed as the activity tab shows it: "field: before → after", one a line.
      detail.appendChild(el('h4', {}, 'Trail'));
      var trail = el('ul', { 'class': 'order-trail' });
      (order.trail || []).forEach(function (line) {
        // The action in words, as the activity tab says it; its code (what docs/back-office.md names) on hover.
        trail.appendChild(el('li', { 'data-action': line.action }, time(line.at), ' ' + line.by + ' ',
          el('span', { 'class': 'action', title: line.action }, Admin.action(line.action)),
          Admin.changes(line.before, line.after, line.action)));
      });
      detail.appendChild(trail);
    }

    // An order that needs the owner: why, and for owners the acceptance (the API takes its pieces from stock when its
    // payment took none, and confirms it to the customer) behind a confirmation; otherwise a refund is the way out.
    function attention(order) {
      var section = el('section', { 'class': 'attention' });
      section.appendChild(el('h4', {}, 'Needs attention'));
      section.appendChild(el('p', { 'class': 'attention-reason' }, ATTENTION_REASONS[order.attentionReason]
        || 'The owner was mailed why.'));
      if (!isOwner) {
        section.appendChild(el('p', {}, 'An owner checks it, then accepts it or refunds it.'));
        return section;
      }
      var takes = !order.reservationId;
      section.appendChild(el('p', {}, takes
        ? 'Accepting takes its pieces from stock now; if one is no longer there, refund it instead.'
        : 'Its piece was set aside for it when it was paid; accepting takes nothing more from stock.'));
      var deactivated = order.attentionReason === 'deactivated_email';
      if (deactivated) {
        section.appendChild(el('p', { 'class': 'attention-deactivated' }, 'The customer deactivated this address to stop'
          + ' purchases through it. Accepting honours this order anyway and mails the confirmation to that address.'));
      }
      var note = el('textarea', { name: 'note', maxlength: '500', rows: '2', placeholder: 'What you checked (kept in the trail)' });
      // Archived means "no longer for sale": the API takes an archived piece only when the owner says so here.
      var takeArchived = takes ? el('input', { type: 'checkbox', name: 'takeArchived' }) : null;
      var submit = el('button', { type: 'submit' }, 'Accept and confirm to the customer');
      var result = el('p', { role: 'status' });
      var form = el('form', { 'class': 'accept-form', onsubmit: function (event) {
        event.preventDefault();
        if (!window.confirm('Accept order ' + order.orderNumber + ' and send the customer their order confirmation?'
          + (deactivated ? ' Its address was deactivated by the customer; the confirmation goes to it all the same.' : '')
          + (takes ? ' Its pieces are taken from stock' + (takeArchived.checked ? ', archived ones too.' : '.') : ''))) { return; }
        var body = {};
        if (note.value.trim()) { body.note = note.value.trim(); }
        if (takeArchived && takeArchived.checked) { body.takeArchived = true; }
        body = Object.keys(body).length ? body : undefined;
        var asked = askDetail(order.id);
        whileRunning(submit, function () {
          return Admin.call('POST', '/admin/orders/' + encodeURIComponent(order.id) + '/accept', body).then(function (updated) {
            if (asked()) { drawDetail(updated); }
            load();
          }, function (refused) { result.textContent = refused.message; });
        });
      } }, [
        el('label', {}, 'Note ', note),
        takeArchived && el('label', {}, takeArchived, ' Take archived pieces too (no longer on sale, but on the shelf for this customer)'),
        submit,
        result
      ]);
      section.appendChild(form);
      return section;
    }

    // The parcel's three fields, prefilled with what is recorded (empty for an order to ship).
    function parcelFields(shipment) {
      return {
        carrier: el('input', { name: 'carrier', required: 'required', maxlength: '60', value: shipment.carrier || '' }),
        trackingNumber: el('input', { name: 'trackingNumber', required: 'required', maxlength: '60', value: shipment.trackingNumber || '' }),
        trackingUrl: el('input', { name: 'trackingUrl', type: 'url', required: 'required', pattern: 'https://.*', maxlength: '500', value: shipment.trackingUrl || '' })
      };
    }

    function parcelLabels(fields) {
      return [
        el('label', {}, 'Carrier ', fields.carrier),
        el('label', {}, 'Tracking number ', fields.trackingNumber),
        el('label', {}, 'Tracking link ', fields.trackingUrl)
      ];
    }

    // Sends the order's shipment (POST: record it; PUT: correct it) and draws the answer if that order is still the one
    // asked for last. onRefused(refusal) gets a refusal (its message, its status).
    function sendShipment(order, method, body, submit, result, onRefused) {
      var asked = askDetail(order.id);
      whileRunning(submit, function () {
        return Admin.call(method, '/admin/orders/' + encodeURIComponent(order.id) + '/shipment', body).then(function (updated) {
          if (asked()) { drawDetail(updated); }
          load();
        }, function (refused) {
          if (refused.status) { onRefused(refused); } else { result.textContent = refused.message; }
        });
      });
    }

    function shipForm(order) {
      var fields = parcelFields(order.shipment || {});
      var submit = el('button', { type: 'submit' }, 'Mark as shipped');
      var result = el('p', { role: 'status' });
      var form = el('form', { 'class': 'ship-form', onsubmit: function (event) {
        event.preventDefault();
        sendShipment(order, 'POST', { carrier: fields.carrier.value, trackingNumber: fields.trackingNumber.value,
          trackingUrl: fields.trackingUrl.value }, submit, result, function (refused) { result.textContent = refused.message; });
      } }, parcelLabels(fields).concat([submit, result]));
      return form;
    }

    // A shipped order: its tracking corrected (a typo, the wrong carrier), the customer mailed the right link once per
    // correction. The API refuses (409) a correction of a shipment changed since this record was read; the record is
    // then read again, with the refusal shown above it, and the form drawn anew from what is recorded now.
    // "Send the shipping mail again" sends the recorded shipment as it is: the first press's mail is sent if it was not.
    function correctForm(order) {
      var shipment = order.shipment;
      var fields = parcelFields(shipment);
      var submit = el('button', { type: 'submit' }, 'Correct tracking');
      var result = el('p', { role: 'status' });
      var resend = el('button', { type: 'button', 'class': 'resend-shipping', onclick: function () {
        sendShipment(order, 'POST', { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber,
          trackingUrl: shipment.trackingUrl }, resend, result, function (refused) { result.textContent = refused.message; });
      } }, 'Send the shipping mail again');
      var form = el('form', { 'class': 'correct-form', onsubmit: function (event) {
        event.preventDefault();
        sendShipment(order, 'PUT', { carrier: fields.carrier.value, trackingNumber: fields.trackingNumber.value,
          trackingUrl: fields.trackingUrl.value, corrections: shipment.corrections || 0 }, submit, result,
          function (refused) {
            result.textContent = refused.message;
            if (refused.status === 409 && state.detailId === order.id) {
              message.textContent = refused.message;
              show(order.id);
            }
          });
      } }, [el('h4', {}, 'Correct tracking')].concat(parcelLabels(fields), [submit, resend, result]));
      return form;
    }

    // An order to ship sent elsewhere at the customer's request (they wrote or called): the name and address on the parcel
    // replaced, the customer mailed that it was changed (to their order's address, once per change). The form sends the
    // shippingVersion this record was read with: the API refuses (409) a change of an address changed since (by the
    // customer's own correction or someone else here); the record is then read again, with the refusal shown above it.
    function addressForm(order) {
      var shipping = order.shipping || {};
      function input(name, label, attributes) {
        var field = el('input', Object.assign({ name: name, value: shipping[name] || '' }, attributes || {}));
        return { field: field, label: el('label', {}, label + ' ', field) };
      }
      var parts = {
        name: input('name', 'Name', { required: 'required', maxlength: '200' }),
        line1: input('line1', 'Address line 1', { required: 'required', maxlength: '200' }),
        line2: input('line2', 'Address line 2', { maxlength: '200' }),
        postalCode: input('postalCode', 'Postal code', { maxlength: '20' }),
        city: input('city', 'City', { required: 'required', maxlength: '200' }),
        state: input('state', 'State or region', { maxlength: '200' }),
        country: input('country', 'Country (2 letters)', { required: 'required', pattern: '[A-Z]{2}', maxlength: '2' })
      };
      var submit = el('button', { type: 'submit' }, 'Change shipping address');
      var result = el('p', { role: 'status' });
      var form = el('form', { 'class': 'address-form', onsubmit: function (event) {
        event.preventDefault();
        var address = {};
        ['line1', 'line2', 'postalCode', 'city', 'state', 'country'].forEach(function (part) {
          var value = parts[part].field.value.trim();
          if (value) { address[part] = value; }
        });
        putChange(order, '/shipping-address', { name: parts.name.field.value, shippingAddress: address,
          shippingVersion: order.shippingVersion }, submit, result);
      } }, [el('h4', {}, 'Change shipping address'),
        el('p', {}, 'At the customer\u2019s request: they are mailed that it was changed.')]
        .concat(Object.keys(parts).map(function (key) { return parts[key].label; }), [submit, result]));
      return form;
    }

    // A change of the order's record sent from its form (PUT /admin/orders/{id}<path>, the body carrying the version the
    // record was read with): its button disabled while it runs; the answer redraws the record and the list; a refusal is
    // shown under the form, and a 409 (changed meanwhile) reads the record again with the refusal shown above it.
    function putChange(order, path, body, submit, result) {
      var asked = askDetail(order.id);
      whileRunning(submit, function () {
        return Admin.call('PUT', '/admin/orders/' + encodeURIComponent(order.id) + path, body).then(function (updated) {
          if (asked()) { drawDetail(updated); }
          load();
        }, function (refused) {
          result.textContent = refused.message;
          if (refused.status === 409 && state.detailId === order.id) {
            message.textContent = refused.message;
            show(order.id);
          }
        });
      });
    }

    // A paid order's customer email corrected after its mail bounced (the owner's bounce mail says so; the owner reached
    // the customer another way): the order and its keyed hash move to the new address, which gets the order's mail
    // (once per correction); nothing goes to the old one. The form sends the emailVersion this record was read with: the
    // API refuses (409) a correction of an address changed since, or to an address the shop's mail bounced from.
    function emailForm(order) {
      var field = el('input', { name: 'email', type: 'email', required: 'required', maxlength: '254',
        autocomplete: 'off', value: '' });
      var submit = el('button', { type: 'submit' }, 'Correct email');
      var result = el('p', { role: 'status' });
      var form = el('form', { 'class': 'email-form', onsubmit: function (event) {
        event.preventDefault();
        putChange(order, '/email', { email: field.value.trim(), emailVersion: order.emailVersion }, submit, result);
      } }, [el('h4', {}, 'Correct the customer\u2019s email'),
        el('p', { 'class': 'current-email' }, 'Now: ' + (order.customerEmail || 'none')),
        el('p', {}, 'After their mail bounced and they gave you the right address: they are mailed the order there;'
          + ' nothing goes to the old address.'),
        el('label', {}, 'Right email ', field), submit, result]);
      return form;
    }

    // A window opened at once, in the click, so no pop-up blocker stops it; filled when the slips arrive.
    function slipWindow() {
      var win = window.open('', '_blank', 'width=700,height=900');
      if (!win) { message.textContent = 'Allow pop-ups for this page to print packing slips.'; }
      return win;
    }

    // Writes the slips into the window, one after the other (slip.css breaks the page after each), and prints once.
    function fillSlips(win, title, slips) {
      var doc = win.document;
      doc.title = title;
      // The slip's window inherits this page's Content-Security-Policy, which refuses inline
      // styles: its stylesheet is a file beside this page (style-src 'self'), named by its
      // full URL because the new window's document has no address of its own. Printed once
      // it has loaded (or failed to), so the paper is styled.
      var style = doc.createElement('link');
      style.rel = 'stylesheet';
      style.href = new URL('slip.css', document.baseURI).href;
      var printed = false;
      style.onload = style.onerror = function () {
        if (printed) { return; }
        printed = true;
        win.focus();
        win.print();
      };
      doc.head.appendChild(style);
      var body = doc.body;
      body.textContent = '';
      slips.forEach(function (slip) {
        var section = doc.createElement('section'); section.className = 'slip';
        var h1 = doc.createElement('h1'); h1.textContent = 'Order ' + slip.orderNumber; section.appendChild(h1);
        var address = doc.createElement('div'); address.className = 'address';
        var lines = addressLines(slip.shippingAddress);
        if (!lines.length && slip.name) { lines = [slip.name]; }
        lines.forEach(function (line) { var p = doc.createElement('div'); p.textContent = line; address.appendChild(p); });
        section.appendChild(address);
        var table = doc.createElement('table');
        var head = doc.createElement('tr');
        ['Qty', 'Item', 'SKU'].forEach(function (h) { var th = doc.createElement('th'); th.textContent = h; head.appendChild(th); });
        table.appendChild(head);
        (slip.items || []).forEach(function (item) {
          var tr = doc.createElement('tr');
          [item.quantity, item.name, item.sku || ''].forEach(function (v) { var td = doc.createElement('td'); td.textContent = String(v); tr.appendChild(td); });
          table.appendChild(tr);
        });
        section.appendChild(table);
        body.appendChild(section);
      });
    }

    function printSlip(id) {
      var win = slipWindow();
      if (!win) { return; }
      Admin.call('GET', '/admin/orders/' + encodeURIComponent(id) + '/packing-slip').then(function (slip) {
        fillSlips(win, 'Packing slip ' + slip.orderNumber, [slip]);
      }, function (refused) { win.close(); message.textContent = refused.message; });
    }

    // Every order to ship, oldest first (the API's order), read a page of 100 after the other, then printed at once.
    // The button stays disabled meanwhile, so a double click opens one window. An order shipped meanwhile by someone
    // else has no slip (the API reads each page's orders as they are now).
    function printSlips() {
      var win = slipWindow();
      if (!win) { return; }
      var slips = [];
      function read(page, pages) {
        return Admin.call('GET', '/admin/packing-slips?limit=100' + (page ? '&page=' + encodeURIComponent(page) : ''))
          .then(function (body) {
            slips = slips.concat(body.slips);
            return body.nextPage && pages + 1 < SLIP_PAGES ? read(body.nextPage, pages + 1) : body.nextPage;
          });
      }
      whileRunning(printAll, function () {
        return read(null, 0).then(function (left) {
          if (!slips.length) {
            win.close();
            message.textContent = 'No orders to ship: no slips to print.';
            return;
          }
          message.textContent = slips.length + ' packing slip(s), oldest first'
            + (left ? '; more orders are waiting: print again once these have shipped.' : '.');
          fillSlips(win, 'Packing slips (' + slips.length + ')', slips);
        }, function (refused) { win.close(); message.textContent = refused.message; });
      });
    }

    function exportForm(message) {
      var year = new Date().getUTCFullYear();
      var from = el('input', { type: 'date', name: 'from', required: 'required', value: year + '-01-01' });
      var to = el('input', { type: 'date', name: 'to', required: 'required', value: year + '-12-31' });
      var link = el('p', { role: 'status' });
      var submit = el('button', { type: 'submit' }, 'Export CSV');
      return el('form', { 'class': 'export-form', onsubmit: function (event) {
        event.preventDefault();
        link.textContent = 'Preparing…';
        whileRunning(submit, function () {
          return Admin.call('POST', '/admin/exports/orders', { from: from.value, to: to.value }).then(function (answer) {
            link.textContent = answer.orders + ' orders. ';
            link.appendChild(el('a', { href: answer.url, rel: 'noopener noreferrer' }, 'Download the CSV (link works for 5 minutes)'));
          }, function (refused) { link.textContent = refused.message; });
        });
      } }, [el('h3', {}, 'Accounting export'),
        el('label', {}, 'From ', from),
        el('label', {}, 'To ', to),
        submit, link]);
    }

    // A link from the owner's mail about a bounce knows the order by its number: the search for it, as if typed.
    if (opening && opening.number) {
      searchField.value = opening.number;
      state.search = { param: 'number', value: opening.number };
    }
    load();
    if (opening && opening.order) { show(opening.order); }
  }

  Admin.registerTab('orders', 'Orders', render);
}());
