import type { Core } from '@strapi/strapi';
import { traverseEntity } from '@strapi/utils';
import { relationArgsLimits } from '../../../utils/document-input';
import { assertSortAvoidsEvents, constrainEventFilters, constrainEventReads, GRAPHQL_SYNTAX, type GetModel } from '../relation-filters';

const EVENT = 'api::event.event';
const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

/**
 * Members-only events are invisible to anonymous and guest callers of the
 * content API (REST and GraphQL). The rule itself lives in the
 * `api::event.visibility` service; this wires it in at three places:
 *  - a document-service middleware adds the visibility filter to every read of
 *    events made while serving a content-API request (lists, detail → 404,
 *    GraphQL queries, and any service reading events for the request), and to
 *    every part of a read of any type that reaches events through a relation
 *    (filters, populated counts; `../relation-filters.ts`), which would
 *    otherwise match hidden and draft events;
 *  - a content-API output sanitizer drops hidden events from populated
 *    relations of any type (tags.events, networking-groups.events,
 *    events.sessions / parent, ...), since populate bypasses the middleware;
 *  - GraphQL resolves relations with low-level `load`, past the document
 *    service and with no output sanitizer, so each relation field gets a
 *    resolver middleware constraining its filter arguments the same way (a field
 *    targeting events loads only visible, published ones) and, for events,
 *    dropping any hidden one left.
 * Calls made outside a request (scripts, seed, cron) are not filtered.
 */
export function registerEventVisibility(strapi: Core.Strapi) {
  const visibility = () => strapi.service('api::event.visibility');
  const getModel = strapi.getModel.bind(strapi) as unknown as GetModel;

  strapi.documents.use(async (ctx, next) => {
    if (!READS.has(ctx.action)) return next();
    let params = (ctx.params ?? {}) as Record<string, unknown>;
    if (ctx.uid !== EVENT && !params.filters && !params.populate && !params.sort) return next();
    const viewer = await visibility().requestViewer();
    if (!viewer) return next();
    params = constrainEventReads(params, ctx.uid, getModel, visibility().relatedEventFilters(viewer));
    if (ctx.uid === EVENT) {
      const extra = visibility().eventFilters(viewer);
      if (Object.keys(extra).length) params = { ...params, filters: params.filters ? { $and: [params.filters, extra] } : extra };
    }
    (ctx as { params: unknown }).params = params;
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
    // the relation's own arguments: filters reaching events constrained, sorts by them refused;
    // a relation to events loads only what the viewer may see (and never drafts, whatever
    // `status` the root query was given)
    const constrainArgs = (target: string) => async (next: any, parent: any, args: any, context: any, info: any) => {
      const viewer = await visibility().requestViewer();
      if (!viewer) return next(parent, args, context, info);
      assertSortAvoidsEvents(args?.sort, target, getModel);
      const condition = visibility().relatedEventFilters(viewer);
      let filters = args?.filters ? constrainEventFilters(args.filters, target, getModel, condition, GRAPHQL_SYNTAX) : undefined;
      if (target === EVENT) filters = filters ? { [GRAPHQL_SYNTAX.and]: [filters, condition] } : condition;
      return next(parent, filters === undefined ? args : { ...args, filters }, context, info);
    };
    const inputLimits = relationArgsLimits(strapi);
    const models = [
      ...Object.entries(strapi.contentTypes).filter(([uid]) => uid.startsWith('api::')).map(([, model]) => [naming.getTypeName(model), model] as const),
      ...Object.values(strapi.components).map((model) => [naming.getComponentName(model), model] as const),
    ];
    for (const [typeName, model] of models) {
      for (const [name, attribute] of Object.entries((model as any).attributes)) {
        if ((attribute as any).type !== 'relation') continue;
        const target = (attribute as any).target as string;
        // the relation's filters are checked for their shape first (a malformed one failed as an internal error)
        const middlewares = target === EVENT ? [dropHidden, inputLimits(target), constrainArgs(target)] : [inputLimits(target), constrainArgs(target)];
        resolversConfig[`${typeName}.${name}`] = { middlewares };
        resolversConfig[`${typeName}.${name}_connection`] = { middlewares };
      }
    }
    return { resolversConfig };
  });
}
