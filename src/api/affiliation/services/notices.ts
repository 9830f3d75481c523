import type { Core } from '@strapi/strapi';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

export const fullName = (u: { firstName?: string | null; lastName?: string | null; username?: string | null }) =>
  [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username || 'A Library Learning user';

/**
 * The account emails of this feature. A mail server that is down never fails
 * the request that caused the message: the failure is logged.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  publicUrl(): string {
    return ((strapi.config.get('server.url') as string) || 'http://localhost:1337').replace(/\/$/, '');
  },

  async send(to: string | string[], subject: string, paragraphs: string[]) {
    const html = paragraphs.map((p) => `<p>${p}</p>`).join('\n');
    const text = paragraphs.map((p) => p.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')).join('\n\n');
    try {
      await strapi.plugin('email').service('email').send({ to, subject, html, text });
    } catch (err) {
      strapi.log.error(`[accounts] could not send "${subject}" to ${to}: ${(err as Error).message}`);
    }
  },

  esc,
});
