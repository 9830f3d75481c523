import type { Core } from '@strapi/strapi';
import { traverseEntity } from '@strapi/utils';

const EVENT = 'api::event.event';
const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

/**
 * Members-only events are invisible to anonymous and guest callers of the
 * content API (REST and GraphQL). The rule itself lives in the
 * `api::event.visibility` service; this wires it in at two places:
 *  - a document-service middleware adds the visibility filter to every read of
 *    events made while serving a content-API request (lists, detail → 404,
 *    GraphQL queries, and any service reading events for the request);
 *  - a content-API output sanitizer drops hidden events from populated
 *    relations of any type (tags.events, networking-groups.events,
 *    events.sessions / parent, ...), since populate bypasses the middleware;
 *  - GraphQL resolves relations with low-level `load` and no output
 *    sanitizer, so each relation field targeting events gets a resolver
 *    middleware dropping the hidden ones.
 * Calls made outside a request (scripts, seed, cron) are not filtered.
 */
export function registerEventVisibility(strapi: Core.Strapi) {
  const visibility = () => strapi.service('api::event.visibility');

  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== EVENT || !READS.has(ctx.action)) return next();
    const viewer = await visibility().requestViewer();
    if (viewer) {
      const extra = visibility().eventFilters(viewer);
      if (Object.keys(extra).length) {
        const params = ctx.params as { filters?: Record<string, unknown> };
        params.filters = params.filters ? { $and: [params.filters, extra] } : extra;
      }
    }
    return next();
  });

  const hideEvents = (schema: any) => async (entity: unknown) => {
    if (!entity || typeof entity !== 'object') return entity;
    const viewer = await visibility().requestViewer();
    if (!viewer || viewer.isMember) return entity;
    const hidden = await visibility().hiddenEventIds(viewer);
    if (!hidden.size) return entity;
    const visible = (e: any) => !(e && typeof e === 'object' && hidden.has(e.id));
    return traverseEntity(
      ({ key, value, attribute }: any, { set }: any) => {
        if (attribute?.type !== 'relation' || attribute.target !== EVENT || value == null) return;
        if (Array.isArray(value)) set(key, value.filter(visible));
        else if (value && typeof value === 'object' && Array.isArray(value.data)) set(key, { ...value, data: value.data.filter(visible) });
        else if (!visible(value)) set(key, null);
      },
      { schema, getModel: strapi.getModel.bind(strapi) },
      entity as any,
    );
  };
  strapi.sanitizers.add('content-api.output', hideEvents as never);

  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  graphql.service('extension').use(() => {
    const naming = graphql.service('utils').naming;
    const resolversConfig: Record<string, { middlewares: unknown[] }> = {};
    const dropHidden = async (next: any, parent: any, args: any, context: any, info: any) => {
      const result = await next(parent, args, context, info);
      const viewer = await visibility().requestViewer();
      if (!viewer || viewer.isMember || result == null) return result;
      const hidden = await visibility().hiddenEventIds(viewer);
      const visible = (e: any) => !(e && hidden.has(e.id));
      if (Array.isArray(result)) return result.filter(visible);
      if (Array.isArray(result.nodes)) return { ...result, nodes: result.nodes.filter(visible) };
      if (result.value && !visible(result.value)) return null;
      return visible(result) ? result : null;
    };
    for (const [uid, model] of Object.entries(strapi.contentTypes)) {
      if (!uid.startsWith('api::')) continue;
      const typeName = naming.getTypeName(model);
      for (const [name, attribute] of Object.entries((model as any).attributes)) {
        if ((attribute as any).type !== 'relation' || (attribute as any).target !== EVENT) continue;
        resolversConfig[`${typeName}.${name}`] = { middlewares: [dropHidden] };
        resolversConfig[`${typeName}.${name}_connection`] = { middlewares: [dropHidden] };
      }
    }
    return { resolversConfig };
  });
}
