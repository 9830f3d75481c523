import type { Core } from '@strapi/strapi';
import { maxPageSize, readPagination } from '../utils/pagination';

/**
 * Query parameters of content-API (REST) requests that Strapi mishandles, fixed before any route reads
 * them: pagination that breaks the rule of src/utils/pagination.ts is a 400 naming the parameter (Strapi
 * clamped it silently), on every route, ours included.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const restPrefix = () => `${strapi.config.get('api.rest.prefix', '/api')}/`;
  return async (ctx: any, next: () => Promise<unknown>) => {
    if (ctx.path.startsWith(restPrefix())) readPagination(ctx.query, maxPageSize(strapi));
    return next();
  };
};
