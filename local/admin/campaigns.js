// The back office's campaigns tab (owners only): write a newsletter campaign, preview it as a
// subscriber gets it, send a test to the owner's own address, send it now or at a time, pause,
// resume or cancel it, and watch its counts. The list shows the newest 50, "Older campaigns" the 50 before; a refresh
// after an action reads again as many pages as the owner had opened. No opens or clicks: the shop does not track them.
// While the open campaign is scheduled or going out, its status and counts refresh by themselves
// (the same GET every few seconds), until it is SENT, paused or cancelled, or the screen is left.
// Next to "Send now", a draft or scheduled campaign says how many confirmed subscribers it would go to
// (GET /admin/campaigns/audience, read each time such a campaign is shown, never polled): 0 or 3 is a
// mistake the owner sees before sending.
// API values are rendered with textContent; the preview's HTML (the owner's own) is shown in a
// sandboxed frame that runs no script.
'use strict';

(function () {
  const COUNTS = [['queued', 'Queued (this pass)'], ['handled', 'Done (this pass)'], ['recipients', 'Recipients'], ['sent', 'Sent'], ['failed', 'Could not be sent'], ['givenUp', 'Given up (unknown if sent)'], ['delivered', 'Delivered'], ['bounced', 'Bounced'],
    ['softBounced', 'Soft bounces'], ['complained', 'Complaints'], ['unsubscribed', 'Unsubscribed'], ['skipped', 'Skipped']];

  const { el, call, when } = Admin;

  /** Statuses that still change by themselves: the dispatcher's and the senders' work. */
  const MOVING = ['SCHEDULED', 'SENDING', 'DISPATCHED'];
  /** Statuses that have not gone out yet: the screen says how many they would go to. */
  const NOT_SENT = ['DRAFT', 'SCHEDULED'];
  const REFRESH_MS = 3000;

  function render(container) {
    let current = null;
    let refreshTimer = null;
    // Asked whenever the screen shows a campaign anew: an answer to an older refresh or preview is dropped.
    const shows = Admin.latest();
    let shown = shows.ask();
    // Asked whenever the owner asks for what the screen is to show (open, new, save, an action): only the
    // answer to the last such request is drawn, so a slow one cannot draw over a campaign opened since.
    const screen = Admin.latest();
    // Asked by each list request: only the last list asked for is drawn.
    const lists = Admin.latest();
    // True while a save or an action runs: their buttons are disabled meanwhile (a campaign shown
    // meanwhile keeps them so), so a double click saves one draft and sends one test, and a second
    // "Send now" does not follow the first.
    let busy = false;
    const message = el('p', { class: 'message', role: 'status' });
    const list = el('tbody');
    // The list shows the newest 50; "Older campaigns" appends the next 50 (next: where they start; opened: how many
    // pages are listed, read again as many by a refresh, so the older campaigns the owner opened stay listed).
    let next = null;
    let opened = 1;
    const older = el('button', { type: 'button', class: 'campaigns-older', hidden: true, onclick: () => load(next) },
      'Older campaigns');
    const fields = {
      subject: el('input', { name: 'subject', required: true, maxlength: 200 }),
      html: el('textarea', { name: 'html', required: true, rows: 10 }),
      text: el('textarea', { name: 'text', rows: 6, placeholder: 'Left empty, it is made from the HTML.' }),
      at: el('input', { name: 'at', type: 'datetime-local' }),
    };
    const title = el('h3', {}, 'New campaign');
    const status = el('p', { class: 'campaign-status' });
    const counts = el('dl', { class: 'campaign-counts' });
    // Recipients whose mail failed on every attempt: the owner is told where they are and what sends them.
    const failedNote = el('p', { class: 'campaign-failed', role: 'note', hidden: true });
    const preview = el('div', { class: 'campaign-preview' });
    // How many a send would reach, counted when a draft or scheduled campaign is shown.
    const reach = el('span', { class: 'campaign-audience', role: 'note', hidden: true });
    const actions = el('div', { class: 'campaign-actions' },
      button('Preview', 'preview', showPreview),
      button('Send a test to me', 'test', () => act('POST', 'test', 'A test went to your address.')),
      reach,
      // Mail to every subscriber cannot be called back: sending, scheduling and resuming ask once more.
      button('Send now', 'send-now', () => confirm(`Send "${current.subject}" to every subscriber now?`)
        && act('POST', 'send', 'Sending starts within a minute.', {})),
      el('label', {}, 'or at ', fields.at),
      button('Schedule', 'schedule', schedule),
      button('Pause', 'pause', () => act('POST', 'pause', 'Paused.')),
      // Resuming sends too: a campaign whose time has come goes on at once, to everyone not reached yet.
      button('Resume', 'resume', () => confirm(current.sendAt && new Date(current.sendAt).getTime() > Date.now()
        ? `Resume "${current.subject}"? It goes out to every subscriber at ${when(current.sendAt)}.`
        : `Resume "${current.subject}"? It goes out now to every subscriber not reached yet.`)
        && act('POST', 'resume', answer => (answer.status === 'SCHEDULED'
          ? `Resumed: it goes out at ${when(answer.sendAt)}.` : 'Resumed: only those not reached yet get it.'))),
      button('Cancel', 'cancel', () => confirm('Cancel this campaign for good?') && act('POST', 'cancel', 'Cancelled.')));
    const form = el('form', {
      class: 'campaign-form',
      onsubmit: async event => {
        event.preventDefault();
        const draft = { subject: fields.subject.value, html: fields.html.value };
        if (fields.text.value.trim()) {
          draft.text = fields.text.value;
        }
        const asked = screen.ask();
        await running(async () => {
          try {
            const saved = current ? await call('PUT', `/admin/campaigns/${current.id}`, draft)
              : await call('POST', '/admin/campaigns', draft);
            if (asked()) {
              show(saved);
            }
            say(`Draft "${saved.subject}" saved.`);
            load();
          } catch (e) {
            say(e.message, true);
          }
        });
      },
    }, el('label', {}, 'Subject ', fields.subject), el('label', {}, 'HTML ', fields.html),
    el('label', {}, 'Text ', fields.text), el('button', { type: 'submit', name: 'save' }, 'Save draft'),
    el('button', { type: 'button', onclick: () => { screen.ask(); show(null); } }, 'New campaign'));

    container.replaceChildren(el('h2', {}, 'Campaigns'), message,
      el('table', { class: 'campaigns' }, el('thead', {}, el('tr', {},
        ['Subject', 'Status', 'Send at', 'Sent', ''].map(t => el('th', {}, t)))), list), older,
      title, form, status, actions, counts, failedNote, preview);
    show(null);
    load();

    function button(text, name, onclick) {
      return el('button', { type: 'button', name, onclick }, text);
    }

    function say(text, isError) {
      message.textContent = text;
      message.className = isError ? 'message error' : 'message';
    }

    /**
     * The newest campaigns and as many older pages as were listed, each read in turn; with page (a nextPage the list
     * handed out), the 50 older ones appended.
     */
    async function load(page) {
      const asked = lists.ask();
      try {
        const rows = [];
        let token = page || null;
        let read = 0;
        await Admin.whileRunning(older, async () => {
          do {
            const answer = await call('GET', '/admin/campaigns' + (token ? `?page=${encodeURIComponent(token)}` : ''));
            rows.push(...answer.campaigns.map(c => el('tr', { 'data-campaign': c.id },
              el('td', {}, c.subject), el('td', {}, c.status),
              el('td', { class: 'send-at' }, c.sendAt ? when(c.sendAt) : ''), el('td', {}, String(c.counts.sent)),
              el('td', {}, el('button', { type: 'button', onclick: () => open(c.id) }, 'Open')))));
            token = answer.nextPage || null;
            read++;
          } while (!page && read < opened && token);
        });
        if (!asked()) {
          return;
        }
        if (page) {
          list.append(...rows);
          opened++;
        } else {
          list.replaceChildren(...rows);
          opened = read;
        }
        next = token;
        older.hidden = !next;
      } catch (e) {
        if (asked()) {
          say(e.message, true);
        }
      }
    }

    async function open(id) {
      const asked = screen.ask();
      try {
        const campaign = await call('GET', `/admin/campaigns/${id}`);
        if (asked()) {
          show(campaign);
        }
      } catch (e) {
        if (asked()) {
          say(e.message, true);
        }
      }
    }

    function show(campaign) {
      current = campaign;
      shown = shows.ask();
      preview.replaceChildren();
      watch();
      title.textContent = campaign ? `Campaign: ${campaign.subject}` : 'New campaign';
      fields.subject.value = campaign ? campaign.subject : '';
      fields.html.value = campaign ? campaign.html : '';
      fields.text.value = campaign ? campaign.text : '';
      // A scheduled (or paused) campaign's time as the owner would type it again: a new time starts from it.
      fields.at.value = campaign && campaign.sendAt && ['SCHEDULED', 'PAUSED'].includes(campaign.status)
        ? typed(campaign.sendAt) : '';
      const draft = !campaign || campaign.status === 'DRAFT';
      Object.values(fields).forEach(f => { f.disabled = !draft && f !== fields.at; });
      enableButtons();
      actions.hidden = !campaign;
      showProgress(campaign);
      reach.replaceChildren();
      if (campaign && NOT_SENT.includes(campaign.status)) {
        countAudience();
      }
    }

    /**
     * "Will go to about N confirmed subscribers": the count of the audience's index now, at most those mailed (the
     * senders skip an address suppressed meanwhile). Dropped when another campaign (or this one changed) is shown since.
     */
    async function countAudience() {
      const isShown = shown;
      try {
        const answer = await call('GET', '/admin/campaigns/audience');
        const n = answer.confirmedSubscribers;
        if (!isShown()) {
          return;
        }
        if (!Number.isInteger(n) || n < 0) {
          reach.replaceChildren('How many subscribers it will go to could not be read.');
          return;
        }
        reach.replaceChildren('Will go to about ', el('strong', { 'data-audience': String(n) }, n.toLocaleString()),
          n === 1 ? ' confirmed subscriber' : ' confirmed subscribers', n === 0 ? ': no one would get it.' : '');
      } catch (e) {
        if (isShown()) {
          reach.replaceChildren(`How many subscribers it will go to could not be counted: ${e.message}`);
        }
      }
    }

    function enableButtons() {
      form.querySelector('button[name=save]').disabled = busy || (current !== null && current.status !== 'DRAFT');
      actions.querySelectorAll('button').forEach(b => { b.disabled = busy; });
    }

    /** A save or an action: its buttons disabled until it is answered. */
    async function running(work) {
      busy = true;
      try {
        return await Admin.whileRunning([form.querySelector('button[name=save]'), ...actions.querySelectorAll('button')], work);
      } finally {
        busy = false;
        enableButtons();
      }
    }

    /** Status and counts only: the form, and a preview the owner opened, stay as they are. */
    function showProgress(campaign) {
      status.textContent = !campaign ? '' : `Status: ${campaign.status}`
        + (campaign.status === 'SENT' && campaign.finishedAt
          ? `, finished ${when(campaign.finishedAt)}`
          : (campaign.sendAt ? `, send at ${when(campaign.sendAt)}` : ''));
      status.dataset.status = campaign ? campaign.status : '';
      reach.hidden = !campaign || !NOT_SENT.includes(campaign.status);
      counts.replaceChildren(...(campaign ? COUNTS.flatMap(([key, label]) =>
        [el('dt', {}, label), el('dd', { 'data-count': key }, String(campaign.counts[key]))]) : []));
      const failed = campaign ? campaign.counts.failed || 0 : 0;
      failedNote.hidden = failed === 0;
      const couldNot = `${failed} ${failed === 1 ? 'recipient' : 'recipients'} could not be sent:`;
      // A cancelled campaign drops every message, redriven ones too; a paused one's resume retries them.
      failedNote.textContent = failed === 0 ? '' : campaign.status === 'CANCELLED'
        ? `${couldNot} the campaign is cancelled, so they will not be sent.`
        : `${couldNot} waiting in the dead-letter queue; they are sent when it is redriven`
          + (campaign.status === 'PAUSED' ? ' or the campaign resumed' : '')
          + ' (docs/back-office.md, "Sending"). Open the campaign again afterwards to see them counted as sent.';
      const row = campaign && list.querySelector(`tr[data-campaign="${CSS.escape(campaign.id)}"]`);
      if (row) {
        row.cells[1].textContent = campaign.status;
        row.cells[3].textContent = String(campaign.counts.sent);
      }
    }

    /** Refreshes the open campaign every REFRESH_MS while it moves; one timer, for the campaign open now. */
    function watch() {
      clearTimeout(refreshTimer);
      refreshTimer = null;
      if (!current || !MOVING.includes(current.status)) {
        return;
      }
      const id = current.id;
      const isShown = shown;
      // Another tab, signed out, or another campaign (or an owner's action) shown since.
      const stillMine = () => container.isConnected && isShown();
      refreshTimer = setTimeout(async () => {
        if (!stillMine()) {
          return;
        }
        try {
          const campaign = await call('GET', `/admin/campaigns/${id}`);
          if (stillMine()) {
            current = campaign;
            showProgress(campaign);
          }
        } catch (e) {
          if (stillMine()) {
            say(e.message, true);
          }
        }
        if (stillMine()) {
          watch();
        }
      }, REFRESH_MS);
    }

    async function act(method, action, done, body) {
      const path = `/admin/campaigns/${current.id}/${action}`;
      const asked = screen.ask();
      await running(async () => {
        try {
          const answer = await call(method, path, body);
          if (answer.id) {
            if (asked()) {
              show(answer);
            }
            load();
          }
          say(typeof done === 'function' ? done(answer) : done);
        } catch (e) {
          say(e.message, true);
        }
      });
    }

    /** A time as "or at" (a datetime-local field, in the browser's time zone) holds it: 2026-12-07T10:00. */
    function typed(iso) {
      const date = new Date(iso);
      const two = n => String(n).padStart(2, '0');
      return Number.isNaN(date.getTime()) ? '' : `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`
        + `T${two(date.getHours())}:${two(date.getMinutes())}`;
    }

    function schedule() {
      if (!fields.at.value) {
        say('Choose a date and time first.', true);
        return;
      }
      const chosen = new Date(fields.at.value);
      if (chosen.getTime() <= Date.now()) {
        // The API sends a campaign whose time has passed at once: a mistyped day must not send it now.
        say(`${when(chosen.toISOString())} has passed: choose a later time, or "Send now".`, true);
        return;
      }
      const at = chosen.toISOString();
      if (confirm(`Send "${current.subject}" to every subscriber at ${when(at)}?`)) {
        act('POST', 'send', `Scheduled for ${when(at)}.`, { at });
      }
    }

    async function showPreview() {
      const isShown = shown;
      try {
        const mail = await call('GET', `/admin/campaigns/${current.id}/preview`);
        if (!isShown()) {
          return; // another campaign (or this one changed) is shown since: its preview is not this one
        }
        const frame = el('iframe', { title: 'HTML preview', sandbox: '', srcdoc: mail.html, width: 600, height: 400 });
        preview.replaceChildren(el('h4', {}, `Subject: ${mail.subject}`), frame,
          el('h4', {}, 'Text part'), el('pre', { class: 'campaign-text' }, mail.text),
          el('h4', {}, 'Headers'), el('pre', { class: 'campaign-headers' },
            Object.entries(mail.headers).map(([name, value]) => `${name}: ${value}`).join('\n')));
      } catch (e) {
        if (isShown()) {
          say(e.message, true);
        }
      }
    }
  }

  Admin.registerTab('campaigns', 'Campaigns', render, { ownersOnly: true });
})();
