import type { Core } from '@strapi/strapi';

/** Staff schedule or cancel requests in the admin panel; the requester hears of it whatever screen was used. */
export function registerSiteVisitMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== 'api::site-visit.site-visit' || ctx.action !== 'update') return next();
    const { documentId, data } = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const before = documentId ? await strapi.db.query('api::site-visit.site-visit').findOne({ where: { documentId }, select: ['status', 'scheduledAt'] }) : null;
    const result = await next();
    const id = (result as { id?: number } | null)?.id;
    const changed = data && before && ((data.status && data.status !== before.status) || (data.scheduledAt && String(data.scheduledAt) !== String(before.scheduledAt)));
    if (id && changed) await strapi.service('api::site-visit.visits').notifyStatus(id);
    return result;
  });
}
