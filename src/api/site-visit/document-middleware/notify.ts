import type { Core } from '@strapi/strapi';
import { withNamedLocks } from '../../../utils/advisory-lock';
import { fieldError } from '../../../utils/errors';

/** Staff schedule or cancel requests in the admin panel; the requester hears of it whatever screen was used. */
export function registerSiteVisitMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== 'api::site-visit.site-visit') return next();
    const { documentId, data } = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    // a new visit (staff entering one, or a Duplicate with its form's status) scheduled for no date: the same rule
    if (ctx.action === 'create' || ctx.action === 'clone') {
      const source = ctx.action === 'clone' && documentId
        ? await strapi.db.query('api::site-visit.site-visit').findOne({ where: { documentId }, select: ['status', 'scheduledAt'] })
        : null;
      assertScheduledHasDate(data, source);
      return next();
    }
    if (ctx.action !== 'update' || !documentId) return next();
    // before, the save and the email under the visit's lock: two staff saving at once (any process) send one email
    // each for what each changed, in the order saved, never two of one change or two of the last one
    return withNamedLocks(strapi, [`site-visit:${documentId}`], async () => {
      const before = await strapi.db.query('api::site-visit.site-visit').findOne({ where: { documentId }, select: ['status', 'scheduledAt'] });
      if (before) assertScheduledHasDate(data, before);
      const result = await next();
      const id = (result as { id?: number } | null)?.id;
      const changed = data && before && ((data.status && data.status !== before.status) || (data.scheduledAt && new Date(String(data.scheduledAt)).getTime() !== new Date(before.scheduledAt).getTime()));
      if (id && changed) await strapi.service('api::site-visit.visits').notifyStatus(id, before);
      return result;
    });
  });
}

/**
 * A visit scheduled for no date would email the director "scheduled for ." with nothing to put in a calendar.
 * `data`: what the write sets; `current`: the visit it writes over (or copies), whose fields the write keeps.
 */
function assertScheduledHasDate(data: Record<string, unknown> | undefined, current: { status?: unknown; scheduledAt?: unknown } | null) {
  const status = data?.status ?? current?.status;
  const scheduledAt = data && 'scheduledAt' in data ? data.scheduledAt : current?.scheduledAt;
  if (status === 'scheduled' && !scheduledAt) {
    throw fieldError('scheduledAt', 'scheduledAt: a scheduled visit or call needs its date and time (the requester is emailed it)');
  }
}
