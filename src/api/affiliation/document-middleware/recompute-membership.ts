import type { Core } from '@strapi/strapi';
import { validateRoles } from '../controllers/validation/affiliation';

const AFFILIATION = 'api::affiliation.affiliation';
const USER = 'plugin::users-permissions.user';
const WRITES = new Set(['create', 'update', 'delete', 'clone']);

/**
 * Every write to an affiliation, from the REST API, the admin panel's content
 * manager or a script, recomputes the roles of the people it touches; so does a write that sets an account's role.
 */
export function registerMembershipMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    // an account's role is never set by hand: a role chosen in the admin panel's account form (or copied by its
    // "Duplicate") gave rights no approved affiliation gives, until the person's next affiliation change
    if (ctx.uid === USER && (ctx.action === 'clone' || ((ctx.action === 'create' || ctx.action === 'update') && 'role' in ((ctx.params as { data?: object }).data ?? {})))) {
      const result = await next();
      const written = result as { id?: number; entries?: { id?: number }[] } | null;
      const id = written?.entries?.[0]?.id ?? written?.id;
      if (typeof id === 'number') await strapi.service('api::affiliation.membership').recomputeRole(id);
      return result;
    }
    if (ctx.uid !== AFFILIATION || !WRITES.has(ctx.action)) return next();
    // the roles decide who is a director: names the membership rules know, whoever writes (the admin panel's JSON
    // field took any, e.g. "superuser", and showed it as if granted); a Duplicate's form too
    const data = (ctx.params as { data?: Record<string, unknown> }).data;
    if (data && ctx.action !== 'delete') {
      for (const field of ['roles', 'requestedRoles']) if (field in data) validateRoles(data[field], field);
    }

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
