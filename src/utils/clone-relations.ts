import type { Core } from '@strapi/strapi';

/**
 * A copy made with the content manager's "Duplicate" (the document service's clone) starts with the source's
 * relations, and a one-to-many relation's targets belong to one document only: the copy took them from the source
 * (a library system's copy took its libraries, an account's copy its affiliations and registrations, a building's its
 * affiliations, a provider's or group's their events). A copy therefore starts without them; targets the form names
 * explicitly (connect / set) are attached as they would be by an edit.
 */
export function registerCloneKeepsOwnedRelations(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.action !== 'clone') return next();
    const params = ctx.params as { data?: Record<string, any> };
    const data = (params.data ??= {});
    for (const [name, attribute] of Object.entries((strapi.getModel(ctx.uid) as { attributes: Record<string, any> }).attributes)) {
      if (attribute.type !== 'relation' || attribute.relation !== 'oneToMany') continue;
      if (!namesTargets(data[name])) data[name] = { set: [] };
    }
    return next();
  });
}

/** Whether a relation value in a write names targets (a list, or connect / set with entries), not just an unchanged form's empty lists. */
function namesTargets(value: unknown): boolean {
  if (value == null) return false;
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object') return true;
  const v = value as { connect?: unknown; set?: unknown };
  return Array.isArray(v.set) || (Array.isArray(v.connect) ? v.connect.length > 0 : v.connect != null);
}
