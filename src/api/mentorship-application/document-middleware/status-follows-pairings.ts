import type { Core } from '@strapi/strapi';

const APPLICATION = 'api::mentorship-application.mentorship-application';

/**
 * An application's status follows its pairings (pairings.assertApplicationStatus), whoever writes it: the admin
 * panel's form, a Duplicate, a script. A status change is checked and written under the pairing lock, so a pairing
 * started at the same moment is seen. Registered before the decision notice: a refused change emails nobody, and
 * the locks are always taken pairing lock first, as a pairing write that settles an application takes them.
 */
export function registerApplicationStatusRule(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== APPLICATION || !['create', 'update', 'clone'].includes(ctx.action)) return next();
    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const data = params.data ?? {};
    const pairings = strapi.service('api::mentorship-pairing.pairings');
    const current = () => strapi.db.query(APPLICATION).findOne({ where: { documentId: params.documentId }, select: ['id', 'role', 'status'] });

    // a new application (or a copy) is held by no pairing yet
    if (ctx.action === 'create') {
      await pairings.assertApplicationStatus(null, String(data.role), String(data.status ?? 'submitted'));
      return next();
    }
    if (ctx.action === 'clone') {
      const source = params.documentId ? await current() : null;
      if (source) await pairings.assertApplicationStatus(null, String(data.role ?? source.role), String(data.status ?? source.status));
      return next();
    }
    if (typeof data.status !== 'string' || !params.documentId) return next();
    return pairings.withPairingLock(async () => {
      const application = await current();
      if (application) await pairings.assertApplicationStatus(application, application.role, data.status as string);
      return next();
    });
  });
}
