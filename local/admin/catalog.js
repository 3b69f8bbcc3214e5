// The back office's catalog tab: products with their stock (held in open checkouts, available),
// a create/edit form, archive and "Put back on sale", stock +/- and photo uploads straight to the
// images bucket. The API lists the products on sale first, then the archived ones (greyed).
// Written against the admin shell's contract (admin.js): Admin.call, el, whileRunning, latest, registerTab.
// Every value from the API is rendered as text, never innerHTML.
'use strict';

(function () {
  const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
  const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

  // whileRunning: a double click on "+" moves the stock once and a double click on "Save" sends one
  // PUT (not a second that the first's new version refuses).
  const { el, call, whileRunning, currency } = Admin;

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // The form's "42.00" and "usd" as the API's price: Stripe's amount (cents for USD, none for JPY, 100 for 1 ISK).
  function price(amount, code) {
    code = code.trim().toUpperCase();
    return { amount: Math.round(Number(amount) * 10 ** currency(code).exponent), currency: code };
  }

  function render(container, caller) {
    const owner = (caller.groups || []).includes('owners');
    const message = el('p', { class: 'message', role: 'status' });
    const table = el('tbody');
    const form = productForm(owner, () => load());
    container.replaceChildren(el('h2', {}, 'Catalog'), message,
      el('table', { class: 'catalog' },
        el('thead', {}, el('tr', {}, ['SKU', 'Name', 'Price', 'Stock', 'Held', 'Available', 'On sale', '']
          .map(title => el('th', {}, title)))),
        table),
      owner ? form.node : el('p', {}, 'Staff see the catalog; prices, stock and photos are the owners\'.'));

    function say(text, isError) {
      message.textContent = text;
      message.className = isError ? 'message error' : 'message';
    }

    // Every change reloads the list: only the last list asked for is drawn, whichever answer comes last.
    const lists = Admin.latest();

    async function load() {
      const asked = lists.ask();
      try {
        const { products } = await call('GET', '/admin/products');
        if (asked()) {
          unanswered = new Map();
          table.replaceChildren(...products.map(row));
        }
      } catch (e) {
        if (asked()) {
          say(e.message, true);
        }
      }
    }

    function row(product) {
      const less = el('button', { type: 'button', title: 'One piece less', onclick: () => stock(product, -1, [less, more]) }, '−');
      const more = el('button', { type: 'button', title: 'One piece more', onclick: () => stock(product, 1, [less, more]) }, '+');
      const stockButtons = owner ? [less, more] : [];
      const saleButton = product.active
        ? el('button', { type: 'button', onclick: () => archive(product, saleButton) }, 'Archive')
        : el('button', { type: 'button', onclick: () => unarchive(product, saleButton) }, 'Put back on sale');
      const actions = owner ? [
        el('button', { type: 'button', onclick: () => form.edit(product) }, 'Edit'),
        saleButton,
      ] : [];
      return el('tr', { class: product.active ? '' : 'archived' },
        el('td', {}, product.sku),
        el('td', {}, product.name),
        el('td', {}, product.price.formatted),
        el('td', {}, String(product.stock), ...stockButtons, ...inCheckouts(product)),
        el('td', {}, String(product.held)),
        el('td', {}, String(product.available)),
        el('td', {}, product.active ? 'yes' : 'archived'),
        el('td', {}, ...actions));
    }

    // Next to the stock, what of it a customer may be paying for now: "0 for sale · 1 in a checkout".
    // The owner sees the piece is not missing, and that "+" would not bring it back (it comes back by
    // itself if the checkout ends unpaid; for a one-of-a-kind piece the API refuses "+" meanwhile).
    function inCheckouts(product) {
      if (!product.held) {
        return [];
      }
      return [el('span', { class: 'held' },
        `${product.available} for sale \u00b7 ${product.held} in ${product.held === 1 ? 'a checkout' : 'checkouts'}`)];
    }

    // A stock change whose answer never came (no answer, or a 5xx) may have been made: the next press of the same
    // button on that product sends it again with the same Idempotency-Key, which the API answers as made (the stock
    // as it is now) instead of moving it twice. A refusal or an answer ends the key; so does drawing the list anew,
    // after which a press is a new change (the owner sees the count).
    let unanswered = new Map();

    async function stock(product, delta, buttons) {
      const last = unanswered.get(product.sku);
      const key = last && last.delta === delta ? last.key : uuid();
      try {
        const level = await whileRunning(buttons,
          () => call('POST', `/admin/products/${encodeURIComponent(product.sku)}/stock`, { delta },
            { 'Idempotency-Key': key }));
        unanswered.delete(product.sku);
        say(`${product.sku}: ${level.stock} in stock, ${level.available} for sale, ${level.held} in open checkouts.`);
        load();
      } catch (e) {
        if (e.status === 0 || e.status >= 500) {
          unanswered.set(product.sku, { delta, key });
          say(`${e.message} Press ${delta > 0 ? '+' : '\u2212'} again to retry: if it was made already, it is not`
            + ' made twice.', true);
        } else {
          unanswered.delete(product.sku);
          say(e.message, true);
        }
      }
    }

    async function archive(product, button) {
      // Archiving stops new checkouts only: one open now keeps its piece and may still be paid (an order for it).
      const held = product.held === 1 ? ' 1 piece is in an open checkout: if that customer pays, it is an order.'
        : product.held ? ` ${product.held} pieces are in open checkouts: if those customers pay, they are orders.` : '';
      if (!confirm(`Stop selling ${product.name}? Old orders keep naming it.${held}`)) {
        return;
      }
      try {
        await whileRunning([button], () => call('POST', `/admin/products/${encodeURIComponent(product.sku)}/archive`, {}));
        say(`${product.sku} is no longer on sale.`);
        load();
      } catch (e) {
        say(e.message, true);
      }
    }

    async function unarchive(product, button) {
      try {
        await whileRunning([button], () => call('POST', `/admin/products/${encodeURIComponent(product.sku)}/unarchive`, {}));
        say(`${product.sku} is on sale again.`);
        load();
      } catch (e) {
        say(e.message, true);
      }
    }

    form.onMessage = say;
    load();
  }

  // The create/edit form. Editing sends the version the list showed, so a change someone else
  // made meanwhile is not overwritten (409: the list is drawn again).
  function productForm(owner, reload) {
    let editing = null;
    let images = [];
    // Asked whenever the form is filled anew (edit, new product): an answer to a save or an upload
    // made for what the form showed before no longer changes it.
    const fills = Admin.latest();
    let filled = fills.ask();
    const fields = {
      sku: el('input', { name: 'sku', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9_\\-]{0,39}' }),
      name: el('input', { name: 'name', required: true, maxlength: 120 }),
      description: el('textarea', { name: 'description', maxlength: 2000 }),
      amount: el('input', { name: 'amount', type: 'number', min: '0.01', step: '0.01', required: true }),
      currency: el('input', { name: 'currency', value: 'USD', maxlength: 3, required: true }),
      stock: el('input', { name: 'stock', type: 'number', min: '0', value: '1', required: true }),
      oneOfAKind: el('input', { name: 'oneOfAKind', type: 'checkbox', checked: true }),
      taxCode: el('input', { name: 'taxCode', placeholder: 'txcd_99999999 (TaxMode=stripe only)' }),
      photo: el('input', { name: 'photo', type: 'file', accept: IMAGE_TYPES.join(',') }),
    };
    // The amount's step is what Stripe charges in the currency: 1 for a zero-decimal one (a fixed 0.01 let "4200.5"
    // through, saved as ¥4201) and for ISK and UGX (whole krónur and shillings, though Stripe's amount has two
    // decimals), 0.01 for the three-decimal ones (12.340 KWD, never 12.345; the API refuses that too), else 0.01.
    function fitAmountToCurrency() {
      const typed = currency(fields.currency.value.trim().toUpperCase() || 'USD').typed;
      const step = typed === 0 ? '1' : (1 / 10 ** typed).toFixed(typed);
      fields.amount.step = step;
      fields.amount.min = step;
    }
    fields.currency.addEventListener('input', fitAmountToCurrency);
    const gallery = el('div', { class: 'gallery' });
    const title = el('h3', {}, 'New product');
    const submit = el('button', { type: 'submit' }, 'Create');
    const self = { onMessage: () => {} };

    function label(text, input) {
      return el('label', {}, text, ' ', input);
    }

    function showImages() {
      gallery.replaceChildren(...images.map(url => el('figure', {},
        el('img', { src: url, alt: '', width: 96, height: 96 }),
        el('button', { type: 'button', onclick: () => { images = images.filter(u => u !== url); showImages(); } },
          'Remove'))));
    }

    fields.photo.addEventListener('change', async () => {
      const file = fields.photo.files[0];
      if (!file) {
        return;
      }
      if (!editing) {
        self.onMessage('Create the product first, then add its photos.', true);
        return;
      }
      if (!IMAGE_TYPES.includes(file.type) || file.size > MAX_IMAGE_BYTES) {
        self.onMessage('A photo is a JPEG, PNG or WebP file of 5 MB at most.', true);
        return;
      }
      // The product the photo is for, fixed now: another product may be opened in the form meanwhile.
      const sku = editing.sku;
      const stillMine = filled;
      // One upload at a time: the input is enabled again once this photo is in the gallery (or failed).
      fields.photo.disabled = true;
      // A preview before the upload, read locally (a data: URL; nothing leaves the browser yet).
      let uploading = true;
      const reader = new FileReader();
      reader.onload = () => {
        if (uploading && stillMine()) {
          gallery.append(el('figure', { class: 'uploading' }, el('img', { src: reader.result, alt: '', width: 96, height: 96 })));
        }
      };
      reader.readAsDataURL(file);
      try {
        const upload = await call('POST', `/admin/products/${encodeURIComponent(sku)}/images`,
          { contentType: file.type, size: file.size });
        // Straight to the images bucket: the link is signed for this type and size only.
        const put = await fetch(upload.uploadUrl, { method: 'PUT', body: file, headers: { 'content-type': file.type } });
        if (!put.ok) {
          throw new Error(`The images bucket refused the photo (${put.status}).`);
        }
        uploading = false;
        if (stillMine()) {
          images = images.concat(upload.imageUrl);
          showImages();
          self.onMessage('Photo uploaded: save the product to show it on the storefront.');
        } else {
          self.onMessage(`The photo for ${sku} was uploaded after the form moved on to another product: edit ${sku} and add it again.`, true);
        }
      } catch (e) {
        uploading = false;
        if (stillMine()) {
          showImages();
        }
        self.onMessage(e.message, true);
      } finally {
        fields.photo.value = '';
        fields.photo.disabled = false;
      }
    });

    const node = el('form', {
      class: 'product-form',
      onsubmit: async event => {
        event.preventDefault();
        const product = editing;
        const stillMine = filled;
        const details = {
          name: fields.name.value,
          description: fields.description.value,
          price: price(fields.amount.value, fields.currency.value),
          images,
          taxCode: fields.taxCode.value.trim() || null,
          oneOfAKind: fields.oneOfAKind.checked,
        };
        try {
          if (product) {
            await whileRunning([submit], () => call('PUT', `/admin/products/${encodeURIComponent(product.sku)}`,
              { ...details, version: product.version }));
            self.onMessage(`${product.sku} saved.`);
            if (stillMine()) {
              self.reset();
            }
          } else {
            const created = await whileRunning([submit], () => call('POST', '/admin/products',
              { ...details, sku: fields.sku.value, stock: Number(fields.stock.value) }));
            self.onMessage(`${created.sku} created: add its photos now.`);
            if (stillMine()) {
              self.edit(created);
            }
          }
          reload();
        } catch (e) {
          if (e.status === 409 && product) {
            // The list's row still had the version this form read (its "Edit" would fill the form with it again):
            // drawn anew, its "Edit" opens the product as it is now.
            self.onMessage(`${e.message} (The list now shows the product as it is.)`, true);
            reload();
          } else {
            self.onMessage(e.message, true);
          }
        }
      },
    }, title,
    label('SKU', fields.sku), label('Name', fields.name), label('Description', fields.description),
    label('Price', fields.amount), label('Currency', fields.currency), label('Stock', fields.stock),
    label('One of a kind', fields.oneOfAKind), label('Tax code', fields.taxCode),
    label('Add a photo', fields.photo), gallery,
    submit, el('button', { type: 'button', onclick: () => self.reset() }, 'New product'));

    self.node = node;
    self.edit = product => {
      filled = fills.ask();
      editing = product;
      images = product.images.slice();
      title.textContent = `Edit ${product.sku}`;
      fields.sku.value = product.sku;
      fields.sku.disabled = true;
      fields.stock.disabled = true; // stock moves by +/- in the list, never by overwriting it
      fields.name.value = product.name;
      fields.description.value = product.description;
      // As people write it (25000 ISK, 12.340 KWD), unless that would hide decimals Stripe would not charge.
      const counted = currency(product.price.currency);
      const digits = product.price.amount % counted.step === 0 ? counted.shown : counted.exponent;
      fields.amount.value = (product.price.amount / 10 ** counted.exponent).toFixed(digits);
      fields.currency.value = product.price.currency;
      fitAmountToCurrency();
      fields.taxCode.value = product.taxCode || '';
      fields.oneOfAKind.checked = product.oneOfAKind;
      submit.textContent = 'Save';
      showImages();
    };
    self.reset = () => {
      filled = fills.ask();
      editing = null;
      images = [];
      node.reset();
      fitAmountToCurrency();
      fields.sku.disabled = false;
      fields.stock.disabled = false;
      title.textContent = 'New product';
      submit.textContent = 'Create';
      showImages();
    };
    return self;
  }

  if (window.Admin && Admin.registerTab) {
    Admin.registerTab('catalog', 'Catalog', render);
  }
})();
