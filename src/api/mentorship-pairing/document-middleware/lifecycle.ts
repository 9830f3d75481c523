import type { Core } from '@strapi/strapi';

const PAIRING = 'api::mentorship-pairing.mentorship-pairing';

/**
 * Pairings are made and moved along by system staff in the admin panel; every
 * write passes here, so the lifecycle rule, the six-month term, who may be
 * paired (the pairings service) and the emails hold whatever screen, script or
 * job made the change. Writes take turns under the pairing lock, so the limits
 * hold when two are made at once.
 */
export function registerPairingMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== PAIRING || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
    const pairings = strapi.service('api::mentorship-pairing.pairings');
    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const data = (params.data ??= {});

    return pairings.withPairingLock(async () => {
      const { from, to } = await pairings.prepareWrite(ctx.action as 'create' | 'update', params.documentId ?? null, data);
      const result = await next();
      const id = (result as { id?: number } | null)?.id;
      if (id && to && to !== from) await pairings.notify(id);
      return result;
    });
  });
}
