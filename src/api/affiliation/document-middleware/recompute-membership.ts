import type { Core } from '@strapi/strapi';

const AFFILIATION = 'api::affiliation.affiliation';
const WRITES = new Set(['create', 'update', 'delete', 'clone']);

/**
 * Every write to an affiliation, from the REST API, the admin panel's content
 * manager or a script, recomputes the roles of the people it touches.
 */
export function registerMembershipMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== AFFILIATION || !WRITES.has(ctx.action)) return next();

    const documentId = (ctx.params as { documentId?: string }).documentId;
    const before = documentId ? await usersOf(strapi, documentId) : [];
    const result = await next();
    const afterId = (result as { documentId?: string } | null)?.documentId ?? documentId;
    const after = afterId && ctx.action !== 'delete' ? await usersOf(strapi, afterId) : [];

    const membership = strapi.service('api::affiliation.membership');
    for (const userId of new Set([...before, ...after])) await membership.recomputeRole(userId);
    return result;
  });
}

async function usersOf(strapi: Core.Strapi, documentId: string): Promise<number[]> {
  const rows = await strapi.db.query(AFFILIATION).findMany({
    where: { documentId },
    populate: { user: { select: ['id'] } },
  });
  return rows.map((r) => r.user?.id).filter((id): id is number => typeof id === 'number');
}
