import type { Core } from '@strapi/strapi';
import { escapeHtml as esc, htmlAsText } from '../../../utils/html';

export const fullName = (u: { firstName?: string | null; lastName?: string | null; username?: string | null }) =>
  [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username || 'A Library Learning user';

/**
 * The account emails of this feature. They go through the outbox, in the
 * transaction of the change they announce: a mail server that is down delays
 * them, never fails the request or loses them.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  publicUrl(): string {
    return ((strapi.config.get('server.url') as string) || 'http://localhost:1337').replace(/\/$/, '');
  },

  /** Queues the paragraphs (HTML) as one message to each address; `carriesSecret`: a sign-in or password link, not kept once sent. */
  async send(to: string | string[], subject: string, paragraphs: string[], opts: { carriesSecret?: boolean } = {}) {
    const html = paragraphs.map((p) => `<p>${p}</p>`).join('\n');
    const text = paragraphs.map(htmlAsText).join('\n\n');
    const recipients = Array.isArray(to) ? to : [to];
    await strapi.service('api::outbox-message.outbox').send(recipients.map((address) => ({ to: address, subject, html, text, ...(opts.carriesSecret ? { carriesSecret: true } : {}) })));
  },

  esc,
});
