import type { Core } from '@strapi/strapi';
import { relationTarget } from '../../registration/services/registration';

const PAIRING = 'api::mentorship-pairing.mentorship-pairing';

/**
 * Pairings are made and moved along by system staff in the admin panel; every
 * write passes here, so the lifecycle rule, the six-month term, who may be
 * paired (the pairings service), the applications' statuses and the emails hold
 * whatever screen, script or job made the change. Writes take turns under the pairing lock, so the limits
 * hold when two are made at once.
 */
export function registerPairingMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    // a copy (the content manager's "Duplicate") is a new pairing of the same two people unless the form names
    // others: made as a create, so it meets the rules and limits above (it skipped them all, and copied the status)
    if (ctx.uid === PAIRING && ctx.action === 'clone') {
      const params = ctx.params as { documentId?: string; data?: Record<string, any>; populate?: unknown };
      const source = params.documentId
        ? await strapi.db.query(PAIRING).findOne({ where: { documentId: params.documentId }, populate: { mentor: { select: ['documentId'] }, mentee: { select: ['documentId'] } } })
        : null;
      if (!source) return next();
      const data: Record<string, any> = { ...(params.data ?? {}) };
      for (const person of ['mentor', 'mentee']) {
        if (!relationTarget(data[person]) && source[person]) data[person] = source[person].documentId;
      }
      const created = await strapi.documents(PAIRING).create({ data, populate: params.populate } as never);
      return { documentId: created.documentId, entries: [created] };
    }
    if (ctx.uid !== PAIRING || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
    const pairings = strapi.service('api::mentorship-pairing.pairings');
    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const data = (params.data ??= {});

    return pairings.withPairingLock(async () => {
      const { from, to, applications, people } = await pairings.prepareWrite(ctx.action as 'create' | 'update', params.documentId ?? null, data);
      const result = await next();
      const id = (result as { id?: number } | null)?.id;
      if (id) await pairings.settleApplications(id, applications);
      if (id && to) await pairings.notifyChange(id, { from, people });
      return result;
    });
  });
}
