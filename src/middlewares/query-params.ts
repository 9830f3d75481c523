import type { Core } from '@strapi/strapi';
import { maxPageSize, readPagination } from '../utils/pagination';
import { isPlainObject } from '../utils/plain-object';

/** Keys of a populate entry that are not relations (the relation's own query). */
const POPULATE_KEYWORDS = ['populate', 'fields', 'filters', 'sort', 'count', 'on'];

/**
 * `populate[events]=*` (also nested: `populate[networkingGroup][populate][events]=*`) asks for the relation
 * with everything of its own, which Strapi writes `populate[events][populate]=*`. Strapi's query sanitizer
 * expands the short form into the relation's attributes without the `populate` level between them
 * (`events: { occurrenceChanges: true, ... }`), which its own validation then refused: 400 "Invalid key
 * occurrenceChanges" for a valid question (strapi/strapi#23326). Written the long way here, in place.
 */
function spellWildcards(populate: unknown): void {
  if (!isPlainObject(populate)) return;
  for (const [key, value] of Object.entries(populate)) {
    if (POPULATE_KEYWORDS.includes(key)) continue;
    if (value === '*') populate[key] = { populate: '*' };
    else if (isPlainObject(value)) spellWildcards(value.populate);
  }
}

/**
 * Query parameters of content-API (REST) requests that Strapi mishandles, fixed before any route reads
 * them: pagination that breaks the rule of src/utils/pagination.ts is a 400 naming the parameter (Strapi
 * clamped it silently), on every route, ours included; a relation populated with `*` is spelt as Strapi
 * validates it. What the caller may see is decided afterwards, as for any populate.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const restPrefix = () => `${strapi.config.get('api.rest.prefix', '/api')}/`;
  return async (ctx: any, next: () => Promise<unknown>) => {
    if (ctx.path.startsWith(restPrefix())) {
      readPagination(ctx.query, maxPageSize(strapi), 'cap');
      // ctx.query is the parsed object Strapi's routes read (cached per query string): changed in place
      spellWildcards(ctx.query.populate);
    }
    return next();
  };
};
