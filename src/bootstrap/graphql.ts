import type { Core } from '@strapi/strapi';
import { PUBLIC_TYPES } from './permissions';

/**
 * What GraphQL offers: the public calendar and directory, read only.
 *
 * Strapi's generated (shadow CRUD) resolvers call the document service directly
 * and are authorised by the type's CRUD-named permissions (`<uid>.find`,
 * `.findOne`, `.create`, `.update`, `.delete`), the very actions our REST routes
 * are granted under. The REST controllers add rules those resolvers never apply
 * (a director edits only their own building and never its locked fields, a site
 * visit or mentorship application gets its status from the server, owners list
 * only their own rows), so a grant meant for a route would open the resolver too.
 * Hence, for every api:: type:
 *  - no generated mutation: every write goes through its REST route;
 *  - generated queries only for PUBLIC_TYPES, whose REST reads are Strapi's own
 *    (event visibility and drafts are enforced below the resolvers, for both);
 *  - every other type is left out of the schema: no query, relation field or filter;
 *  - a relation of a public type or component to a type no content-API role may
 *    list (a group contact's `user`: the account, with its email, phone and
 *    username) is left out too. Strapi's relation resolvers load the target
 *    without asking whether the caller may read it, where REST drops such a
 *    populate (no role has `plugin::users-permissions.user.find`).
 * Runs at register, before the graphql plugin builds its schema.
 */
export function restrictGraphql(strapi: Core.Strapi) {
  const extension = strapi.plugin('graphql')?.service('extension');
  if (!extension) return;
  for (const uid of Object.keys(strapi.contentTypes)) {
    if (!uid.startsWith('api::')) continue;
    if (PUBLIC_TYPES.includes(uid)) extension.shadowCRUD(uid).disableMutations();
    else extension.shadowCRUD(uid).disable();
  }
  const publicModels = [...PUBLIC_TYPES, ...Object.keys(strapi.components)];
  for (const uid of publicModels) {
    const model = strapi.getModel(uid as never) as { attributes: Record<string, { type: string; target?: string }> } | undefined;
    for (const [name, attribute] of Object.entries(model?.attributes ?? {})) {
      if (attribute.type === 'relation' && !PUBLIC_TYPES.includes(attribute.target ?? '')) extension.shadowCRUD(uid).field(name).disable();
    }
  }
}
