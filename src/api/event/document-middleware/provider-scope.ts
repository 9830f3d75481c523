import type { Core } from '@strapi/strapi';
import { fieldPaths, forbiddenError } from '../../../utils/errors';
import { contentManagerRequest } from '../../../utils/admin-request';

const EVENT = 'api::event.event';
const WRITES = new Set(['create', 'update', 'clone']);
/** What the event provider's conditions (`provider.adminUsers`, src/bootstrap/admin-roles.ts) are judged on. */
const PROVIDER_POPULATE = { provider: { populate: { adminUsers: { select: ['id'] } } } };

/**
 * An admin whose event rights carry conditions (an Event Provider: the events of the providers they are listed on)
 * may create events, but the content manager checks an update against the event as it was before the save and a
 * clone against nothing: they could file an event under another organisation, move their own to one, or copy (and so
 * read) another provider's event. So a content-manager create, update or clone of an event must leave an event the
 * admin may still edit, and a clone must start from one they may read (403 naming the provider otherwise, nothing
 * stored). Staff's unconditioned rights pass as before; scripts and the content API are not admin requests.
 */
export function registerProviderScope(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== EVENT || !WRITES.has(ctx.action)) return next();
    const ability = contentManagerRequest(strapi)?.state?.userAbility;
    if (!ability) return next();
    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    // an update that leaves the provider alone keeps an event the content manager already let them edit
    if (ctx.action === 'update' && !(params.data && 'provider' in params.data)) return next();

    const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility: ability, model: EVENT });
    const draftOf = (documentId: string) => strapi.db.query(EVENT).findOne({ where: { documentId, publishedAt: null }, populate: PROVIDER_POPULATE });
    if (ctx.action === 'clone') {
      const source = params.documentId ? await draftOf(params.documentId) : null;
      if (source && checker.cannot.read(source)) throw forbiddenError('You may copy only the events of your own provider organisations');
    }
    return strapi.db.transaction(async () => {
      const result = await next();
      const documentId = (result as { documentId?: string } | null)?.documentId ?? params.documentId;
      const after = documentId ? await draftOf(documentId) : null;
      if (after && checker.cannot.update(after)) {
        const rule = 'must be one of your own provider organisations';
        throw forbiddenError(`provider: ${rule}`, { errors: fieldPaths('ForbiddenError', ['provider'], rule) });
      }
      return result;
    });
  });
}
