// Refunds in the admin page: a form the order view draws inside an order, for owners.
//
//   Admin.refundForm(container, order)
//
// container: an element to draw into (emptied first).
// order: the order as GET /admin/orders/{id} answers it; read here: id (or orderId), number
//   (or orderNumber), status, currency, amountTotal (or totals.total), amountRefunded, refunds
//   [{stripeRefundId, amount, currency, reason, note, at, by, restocked}], items [{sku, name, quantity}],
//   restockedPieces ({sku: how many are back on sale}, absent before the first restock), restockedAt (everything is
//   back), reservationId, done.
// Pieces go back on sale line by line: the owner ticks the lines that came back and how many (nothing ticked after a
// partial refund, everything after a full one), and the request carries restockedPieces as read, so a double press
// or a page read before another restock is refused (409) and never puts a piece back twice.
// Owners only: for anyone else it draws one line saying so (the API refuses them with 403 too).
// On success it calls Admin.onOrderChanged(orderId) when the order view defines it, so the view
// can reload the order (orders.js does if its record still shows that order).
//
// Each form gets its own Idempotency-Key (a UUID), kept until the refund is made: a double
// click, or sending the form again after a network error, makes one refund at Stripe.
// Admin.call(method, path, body, headers) must send the extra headers (Idempotency-Key).
//
// Nothing from the API is rendered as HTML: order data is attacker-controlled.
'use strict';

(function () {
  // Stripe's reasons in the owner's words: admin.js holds the one list, which the activity tab's refund lines read too.
  const { el, money, refundReason, refundReasons } = Admin;

  // "12.50" (or "12,50") in the order's currency → 1250 (Stripe's amount); null for "all that is left"; NaN for
  // anything else. No more decimals than Stripe refunds in the currency: "1,250" is not read as 1.25 (USD) or ¥1
  // (JPY), nor "12.5" as ¥13, nor "12.345" as 12.345 KWD (tens of fils only); "500" ISK is 50000.
  function minorUnits(text, currency) {
    const trimmed = String(text).trim();
    if (trimmed === '') return null;
    const counted = Admin.currency(currency);
    const parts = /^(\d+)(?:[.,](\d+))?$/.exec(trimmed);
    if (!parts || (parts[2] || '').length > counted.typed) return NaN;
    return Number(parts[1] + (parts[2] || '').padEnd(counted.typed, '0')) * counted.step;
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function refundList(order, currency) {
    const refunds = order.refunds || [];
    if (refunds.length === 0) return el('p', {}, 'No refunds yet.');
    const list = el('ul', { class: 'refunds' });
    refunds.forEach((r) => {
      // Its time in the owner's time zone, as the rest of the order's record (Admin.time).
      const parts = [money(r.amount, r.currency || currency), refundReason(r.reason), `by ${r.by}`];
      const item = el('li', {}, parts.join(' · '), r.at ? ' · ' : null, Admin.time(r.at),
        r.restocked ? ' · pieces back on sale' : null);
      // Stripe failed or canceled it after it was made (charge.refund.updated): no money went back, and the amount
      // refunded above (so the amount left) no longer counts it. Stripe's reason as text, never as markup.
      if (r.failure) {
        item.classList.add('refund-failed');
        item.append(el('div', { class: 'refund-failure' },
          `${r.failure === 'canceled' ? 'Canceled' : 'Failed'} at Stripe`
          + (r.failureReason ? ` (${r.failureReason})` : '')
          + (r.failedAt ? ' on ' : ''), r.failedAt ? Admin.time(r.failedAt) : null,
          ': the customer did not get this money back; refund them another way or again.'));
      }
      if (r.note) item.append(el('div', { class: 'note' }, r.note));
      list.append(item);
    });
    return list;
  }

  // The order's pieces by SKU: how many were ordered and how many are back on sale (all of them for an order whose
  // pieces went back before the counts were kept: restockedAt without restockedPieces).
  function pieceLines(order) {
    const counts = order.restockedPieces || {};
    const before = !!order.restockedAt && !order.restockedPieces;
    const lines = new Map();
    (order.items || []).forEach((item) => {
      if (!item.sku) return;
      const line = lines.get(item.sku) || { sku: item.sku, name: item.name, ordered: 0 };
      line.ordered += Number(item.quantity) || 0;
      lines.set(item.sku, line);
    });
    return [...lines.values()].map((line) => Object.assign(line, {
      back: before ? line.ordered : Math.min(line.ordered, Number(counts[line.sku]) || 0) }));
  }

  function restockedList(lines) {
    return el('ul', { class: 'restocked-pieces' }, lines.map((line) => el('li', {},
      `${line.name} (${line.sku}): ${line.back} of ${line.ordered} back on sale`)));
  }

  // A tick and a quantity for each line with pieces not back yet. chosen() answers the ticked lines, or a sentence
  // saying what is wrong (nothing ticked, a quantity out of range).
  function pieceChooser(lines, tickAll) {
    const rows = lines.filter((line) => line.ordered > line.back).map((line) => {
      const left = line.ordered - line.back;
      const tick = el('input', { type: 'checkbox', name: 'restock-sku', value: line.sku, checked: tickAll });
      const quantity = el('input', { type: 'number', name: 'restock-quantity', min: '1', max: String(left), step: '1',
        value: String(left), 'aria-label': `How many of ${line.name} came back` });
      return { line, left, tick, quantity };
    });
    const node = el('fieldset', { class: 'restock-pieces' }, el('legend', {}, 'Pieces that came back'),
      rows.map((row) => el('label', {}, row.tick, ' ', row.quantity,
        ` of ${row.left} × ${row.line.name} (${row.line.sku})`)));
    function chosen() {
      const ticked = rows.filter((row) => row.tick.checked);
      if (ticked.length === 0) return 'Tick the pieces that came back.';
      const wrong = ticked.find((row) => !/^\d+$/.test(row.quantity.value.trim())
        || Number(row.quantity.value) < 1 || Number(row.quantity.value) > row.left);
      if (wrong) return `Put back 1 to ${wrong.left} of ${wrong.line.name}.`;
      return ticked.map((row) => ({ sku: row.line.sku, name: row.line.name, quantity: Number(row.quantity.value) }));
    }
    return { node, chosen };
  }

  // The request's choice: the lines, and the counts as this page read them.
  function restockBody(order, chosen) {
    return { lines: chosen.map((c) => ({ sku: c.sku, quantity: c.quantity })), restockedPieces: order.restockedPieces || {} };
  }

  function refundForm(container, order) {
    container.replaceChildren();
    const caller = Admin.caller || { groups: [] };
    const orderId = order.id || order.orderId;
    const currency = order.currency || (order.totals && order.totals.currency) || 'USD';
    const total = order.amountTotal != null ? order.amountTotal : (order.totals && order.totals.total) || 0;
    const refunded = order.amountRefunded || 0;
    const left = Math.max(0, total - refunded);

    const lines = pieceLines(order);
    const tookStock = !!order.reservationId || (order.done || []).includes('STOCK_TAKEN');
    const notBack = lines.filter((line) => line.ordered > line.back);
    container.append(el('h3', {}, 'Refunds'),
      el('p', {}, `Paid ${money(total, currency)}, refunded ${money(refunded, currency)}, `
        + `${money(left, currency)} left.`),
      refundList(order, currency));
    // Which pieces are back on sale, once anything was refunded or put back (never a bare "null": DOM's append
    // writes null as text).
    if (tookStock && (refunded > 0 || lines.some((line) => line.back > 0))) {
      container.append(restockedList(lines));
    }

    if (!(caller.groups || []).includes('owners')) {
      container.append(el('p', { class: 'muted' }, 'Only the shop\'s owners may refund.'));
      return;
    }
    const status = el('p', { role: 'status' });
    // A payment that matched no checkout (or came after its pieces went back) took nothing from stock until an owner
    // accepted it: nothing to put back, so neither the button nor the form's box is offered (the API refuses the one
    // and skips the other).
    if (!tookStock) {
      container.append(el('p', { class: 'took-no-stock' }, 'This order took no pieces from stock: a refund puts nothing back on sale.'));
    }
    if (tookStock && refunded > 0 && notBack.length > 0) {
      // Nothing ticked after a partial refund (the customer may keep some pieces), everything after a full one.
      const chooser = pieceChooser(lines, left <= 0);
      const restock = el('button', { type: 'button' }, 'Put pieces back on sale');
      // Disabled until the record is drawn again after a success.
      // Behind a confirmation: once on sale, a piece the customer kept could be sold to someone else, and the API
      // takes it back only by hand.
      restock.addEventListener('click', () => {
        const chosen = chooser.chosen();
        if (typeof chosen === 'string') {
          status.textContent = chosen;
          return;
        }
        const number = order.number || order.orderNumber;
        const what = chosen.map((c) => `${c.quantity} × ${c.name}`).join(', ');
        if (!window.confirm(`Put ${what} of order ${number} back on sale? `
          + (left > 0 ? 'Only part of it was refunded: do this only if these pieces came back to you. '
            : 'Do this only if these pieces came back to you. ')
          + 'The storefront sells them again.')) return;
        Admin.whileRunning(restock, () => Admin.call('POST', `/admin/orders/${encodeURIComponent(orderId)}/restock`,
          restockBody(order, chosen)), { untilRedrawn: true })
          .then(() => {
            status.textContent = `Back on sale: ${what}.`;
            if (typeof Admin.onOrderChanged === 'function') Admin.onOrderChanged(orderId);
          }, (refused) => {
            status.textContent = refused.status ? refused.message : 'The network failed; try again.';
          });
      });
      container.append(el('div', { class: 'restock' }, chooser.node, restock));
    }
    if (left <= 0 || !['PAID', 'SHIPPED', 'NEEDS_ATTENTION'].includes(order.status)) {
      container.append(status);
      return;
    }

    const key = { value: uuid() };
    const amount = el('input', { name: 'amount', inputmode: 'decimal', placeholder: `${money(left, currency)} (all that is left)` });
    const reason = el('select', { name: 'reason' });
    refundReasons.forEach(([value, label]) => reason.append(el('option', { value }, label)));
    const note = el('textarea', { name: 'note', maxlength: '500', rows: '2',
      placeholder: 'A note for your records (never sent to the customer or Stripe)' });
    // The box opens the same choice of pieces: everything ticked when the form refunds all that is left (its amount
    // empty or that much when the box is ticked), nothing for a part.
    const restockBox = tookStock && notBack.length > 0 ? el('input', { type: 'checkbox', name: 'restock' }) : null;
    const formChoice = el('div', { class: 'restock-choice' });
    let formChooser = null;
    if (restockBox) {
      restockBox.addEventListener('change', () => {
        formChooser = null;
        formChoice.replaceChildren();
        if (!restockBox.checked) return;
        const minor = minorUnits(amount.value, currency);
        formChooser = pieceChooser(lines, minor === null || minor === left);
        formChoice.append(formChooser.node);
      });
    }
    const submit = el('button', { type: 'submit' }, 'Refund');
    const form = el('form', { class: 'refund-form' },
      el('label', {}, `Amount (${currency}) `, amount),
      el('label', {}, 'Reason ', reason),
      el('label', {}, 'Note ', note),
      restockBox && el('label', {}, restockBox, ' Put pieces back on sale'), formChoice,
      submit, status);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const minor = minorUnits(amount.value, currency);
      if (Number.isNaN(minor) || (minor !== null && (minor <= 0 || minor > left))) {
        status.textContent = `Enter an amount up to ${money(left, currency)} (digits, and at most `
          + `${Admin.currency(currency).typed} after the point), or leave it empty for all that is left.`;
        return;
      }
      let restock = false;
      let pieces = '';
      if (restockBox && restockBox.checked && formChooser) {
        const chosen = formChooser.chosen();
        if (typeof chosen === 'string') {
          status.textContent = `${chosen} Or untick "Put pieces back on sale".`;
          return;
        }
        restock = restockBody(order, chosen);
        pieces = ` and put ${chosen.map((c) => `${c.quantity} × ${c.name}`).join(', ')} back on sale`;
      }
      const what = minor === null ? money(left, currency) : money(minor, currency);
      if (!window.confirm(`Refund ${what} to the customer${pieces}? This cannot be undone.`)) return;
      status.textContent = 'Refunding…';
      const body = { reason: reason.value, restock };
      if (minor !== null) body.amount = minor;
      if (note.value.trim()) body.note = note.value.trim();
      // Disabled until the record is drawn again after a refund: a second click makes no second one.
      try {
        const answer = await Admin.whileRunning(submit, () => Admin.call('POST',
          `/admin/orders/${encodeURIComponent(orderId)}/refunds`, body, { 'Idempotency-Key': key.value }),
        { untilRedrawn: true });
        status.textContent = `Refunded ${money(answer.refund.amount, answer.refund.currency)}; the customer gets a mail.`;
        key.value = uuid(); // the next refund is another form
        if (typeof Admin.onOrderChanged === 'function') Admin.onOrderChanged(orderId);
      } catch (refused) {
        // Same key on the next try: it cannot refund twice.
        status.textContent = refused.status ? refused.message
          : 'The network failed; send the form again (it will not refund twice).';
      }
    });
    container.append(form);
  }

  Admin.refundForm = refundForm;
})();
