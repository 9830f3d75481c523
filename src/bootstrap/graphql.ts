import type { Core } from '@strapi/strapi';
import { PUBLIC_TYPES } from './permissions';
import { readPagination } from '../utils/pagination';

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

/**
 * GraphQL's `pagination: { page, pageSize, start, limit }` follows the REST rule (src/utils/pagination.ts) on
 * every field that takes it: root queries and their `_connection`, relations, repeatable components. Strapi's
 * resolvers clamped what they could not use (page 0 answered the first page, pageSize -5 one entry, limit -1
 * the most) and the client never learned it had asked for something else; each is now a BAD_USER_INPUT error
 * naming the argument (details.errors[].path `['pagination', 'page']`). A larger page size than the plugin's
 * maxLimit is still answered with at most maxLimit entries, as on Strapi's REST routes.
 * A Nexus plugin, so one check wraps every such field, whatever resolver middlewares other code configures.
 */
export function checkGraphqlPagination(strapi: Core.Strapi) {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const maxLimit = () => Number(graphql.config('maxLimit')) || 100;
  graphql.service('extension').use(({ nexus }: { nexus: any }) => ({
    plugins: [
      nexus.plugin({
        name: 'LibraryLearningPaginationRule',
        onCreateFieldResolver: ({ fieldConfig }: { fieldConfig: { args?: Record<string, unknown> } }) => {
          if (!fieldConfig.args?.pagination) return undefined;
          return (root: unknown, args: any, context: unknown, info: unknown, next: (...a: unknown[]) => unknown) => {
            if (args?.pagination) {
              // an argument given as null is one not given, as Strapi reads it
              const given = Object.fromEntries(Object.entries(args.pagination).filter(([, value]) => value !== null && value !== undefined));
              readPagination({ pagination: given }, maxLimit(), 'cap');
            }
            return next(root, args, context, info);
          };
        },
      }),
    ],
  }));
}
