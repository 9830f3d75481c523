import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';

/**
 * The emails users-permissions sends itself (the sign-up confirmation, its resend, the password reset) go through
 * the outbox like every other: written in the request's transaction, retried while the mail server is down. Strapi
 * sent them on the spot: a mail server hiccup answered a sign-up with an error after its account was made (trying
 * again then said the account existed) and a password reset with a 500, and every sign-up waited on SMTP.
 * Strapi's own code and templates (Settings > Email templates) still make the messages; only the send is queued.
 */
const queueing = new AsyncLocalStorage<boolean>();

/** Runs a users-permissions auth action with the emails it sends written to the outbox. */
export const queuedMail = <T>(fn: () => Promise<T>): Promise<T> => queueing.run(true, fn);

/**
 * Runs the outbox's delivery with the email plugin sending for real, whatever started it: a delivery kicked after
 * a queued message's commit runs in the context of the request that queued it.
 */
export const sendingNow = <T>(fn: () => Promise<T>): Promise<T> => queueing.run(false, fn);

interface PluginMail {
  to: string;
  from?: string;
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
}

/** Puts the outbox behind the email plugin's `send` inside queuedMail (bootstrap). */
export function queuePluginMail(strapi: Core.Strapi) {
  const email = strapi.plugin('email').service('email') as { send: (mail: PluginMail) => Promise<unknown> };
  const send = email.send.bind(email);
  email.send = async (mail: PluginMail) => {
    if (!queueing.getStore()) return send(mail);
    await strapi.service('api::outbox-message.outbox').send([
      // its link confirms the account or sets the password: not kept once sent
      { to: mail.to, subject: mail.subject, text: mail.text ?? '', html: mail.html, carriesSecret: true, ...(mail.from ? { from: mail.from } : {}), ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) },
    ]);
  };
}
