import type { Core } from '@strapi/strapi';
import type { PairingStatus } from '../services/pairings';

const PAIRING = 'api::mentorship-pairing.mentorship-pairing';

/**
 * Pairings are made and moved along by system staff in the admin panel; every
 * write passes here, so the lifecycle rule, the six-month term and the emails
 * hold whatever screen or script made the change.
 */
export function registerPairingMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== PAIRING || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
    const pairings = strapi.service('api::mentorship-pairing.pairings');
    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const data = params.data ?? {};

    let from: PairingStatus | null = null;
    if (ctx.action === 'update' && params.documentId) {
      const current = await strapi.db.query(PAIRING).findOne({ where: { documentId: params.documentId }, select: ['status', 'startDate'] });
      from = (current?.status as PairingStatus) ?? null;
      if (from && data.status) pairings.assertTransition(from, data.status as PairingStatus);
      if (data.status === 'active' && from !== 'active') Object.assign(data, pairings.termDates((data.startDate as string) ?? current?.startDate));
    } else {
      data.status = data.status ?? 'proposed';
      if (data.status === 'active') Object.assign(data, pairings.termDates(data.startDate as string));
      else if (data.startDate && !data.endDate) data.endDate = pairings.termDates(data.startDate as string).endDate;
    }

    const result = await next();
    const to = (data.status as PairingStatus | undefined) ?? from;
    const id = (result as { id?: number } | null)?.id;
    if (id && to && to !== from) await pairings.notify(id);
    return result;
  });
}
