#!/usr/bin/env node
'use strict';
// aws-ses-v2-local keeps every mail whole (headers included), which is why it is the SES
// stand-in, but it drops the two things SES v2 uses to send a mail's events back: the
// configuration set (without it, SES publishes no bounce, complaint or delivery for the mail)
// and the message tags (the campaign tag names the campaign a bounce counts against). This
// starts the same server with both kept on each stored mail, as `configurationSetName` and
// `tags` ({name: [values]}, the shape of an SES event's `mail.tags`), so tests read them from the
// mail as SES would route them rather than from the shop's own records.
// Usage: node ses_server.cjs --host 127.0.0.1 --port N (the arguments of aws-ses-v2-local).
const { AsyncLocalStorage } = require('node:async_hooks');
const store = require('aws-ses-v2-local/dist/store');
const sendEmail = require('aws-ses-v2-local/dist/v2/sendEmail');
const sendBulkEmail = require('aws-ses-v2-local/dist/v2/sendBulkEmail');

const request = new AsyncLocalStorage();

function tags(...lists) {
  const byName = {};
  for (const list of lists) {
    for (const tag of list ?? []) {
      byName[tag.Name] = [tag.Value];
    }
  }
  return byName;
}

// The server routes to each module's `default` when it starts, so these wrappers are the ones
// it calls; the request body is held for the call, across the handler's awaits.
for (const module of [sendEmail, sendBulkEmail]) {
  const handler = module.default;
  module.default = (req, res) => request.run(req.body ?? {}, () => handler(req, res));
}

const save = store.saveEmail;
store.saveEmail = (email) => {
  const body = request.getStore() ?? {};
  // SendBulkEmail: the default tags, and an entry's replacement tags would override them (the
  // shop sends one SendEmail per recipient, so the defaults are all it would use).
  save({
    ...email,
    configurationSetName: body.ConfigurationSetName ?? null,
    tags: tags(body.DefaultEmailTags, body.EmailTags),
  });
};

require('aws-ses-v2-local/dist/cli.js');
