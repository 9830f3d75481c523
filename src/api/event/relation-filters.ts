import { errors } from '@strapi/utils';
import { isPlainObject } from '../../utils/plain-object';

/**
 * Filters, sorts and relation counts that reach events through a relation.
 *
 * A filter such as `tags?filters[events][title][$startsWith]=M` becomes a SQL join
 * on the events table with no condition of its own: it matches draft rows and
 * members-only events, so whether a tag comes back tells their titles letter by
 * letter. These helpers make every such part of a query require what the viewer
 * may see (`condition`, from `api::event.visibility`), so a hidden event counts
 * exactly like one that does not exist. Pure functions over a query and the
 * content-type schemas; `document-middleware/visibility.ts` applies them.
 */

const EVENT = 'api::event.event';

type Attribute = { type: string; target?: string; component?: string };
export type GetModel = (uid: string) => { attributes: Record<string, Attribute> } | undefined;
type Filters = unknown;

/** How a filter spells its logical operators: Strapi's (REST, document service) or GraphQL's. */
export interface Syntax {
  and: string;
  or: string;
  not: string;
  /** whether `{ $in: [...] }`-style operators may stand for the related ids themselves */
  relationOperators: boolean;
}
export const STRAPI_SYNTAX: Syntax = { and: '$and', or: '$or', not: '$not', relationOperators: true };
export const GRAPHQL_SYNTAX: Syntax = { and: 'and', or: 'or', not: 'not', relationOperators: false };


/** The type a relation or component attribute leads to, if any. */
const targetOf = (attribute: Attribute | undefined): string | undefined =>
  attribute?.type === 'relation' ? attribute.target : attribute?.type === 'component' ? attribute.component : undefined;

/**
 * `filters` (on `uid`) with `condition` added to every part that reaches events
 * through a relation, however deep (`$and`/`$or`/`$not`, relations of relations,
 * components). `condition` holds plain attribute conditions only, which read the
 * same in both syntaxes.
 *
 * Two shapes cannot be made to behave as if the hidden events did not exist, since a
 * join has a row for every related event: a `$not` around a relation to events
 * (answered 400), and a test that passes only on a missing related row
 * (`[events][$null]=true`), which therefore never matches (a hidden event must not
 * count as missing, nor a missing one differ from a hidden one).
 */
export function constrainEventFilters(
  filters: Filters,
  uid: string,
  getModel: GetModel,
  condition: Record<string, unknown>,
  syntax: Syntax = STRAPI_SYNTAX,
  /** where these filters sit in the query (`populate[tags][filters]` → ['populate', 'tags', 'filters']), to name a refused part */
  root: string[] = ['filters'],
): Filters {
  const walk = (value: Filters, model: string, path: string[], negated: boolean): Filters => {
    if (Array.isArray(value)) return value.map((item, i) => walk(item, model, [...path, String(i)], negated));
    if (!isPlainObject(value)) return value;
    const attributes = getModel(model)?.attributes ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, nested] of Object.entries(value)) {
      const at = [...path, key];
      if (key === syntax.and || key === syntax.or) out[key] = walk(nested, model, at, negated);
      else if (key === syntax.not) out[key] = walk(nested, model, at, true);
      else if (attributes[key]?.type === 'relation' && attributes[key].target === EVENT) {
        if (negated) {
          const rule = `${syntax.not} cannot apply to a filter on related events`;
          throw new errors.ValidationError(`Invalid filter "${at.join('.')}": ${rule}`, {
            key: at.join('.'), path: at.join('.'), source: 'query', param: 'filters',
            errors: [{ path: [...root, ...at], message: rule, name: 'ValidationError' }],
          });
        }
        // `events: 5` and `events: { $in: [...] }` filter the related ids themselves
        const operatorsOnly = syntax.relationOperators && isPlainObject(nested) && Object.keys(nested).every((k) => k.startsWith('$') && ![syntax.and, syntax.or, syntax.not].includes(k));
        const ownFilter = !isPlainObject(nested) || operatorsOnly ? { id: nested } : walk(nested, EVENT, at, false);
        out[key] = { [syntax.and]: [ownFilter, condition] };
      } else {
        const target = targetOf(attributes[key]);
        out[key] = target ? walk(nested, target, at, negated) : nested;
      }
    }
    return out;
  };
  return walk(filters, uid, [], false);
}

/** The first sort path (e.g. ['events', 'title'], ['parent', 'start']) that orders by fields of related events, if any. */
function sortThroughEvents(sort: unknown, uid: string, getModel: GetModel): string[] | undefined {
  const crosses = (segments: string[], model: string): boolean => {
    let current: string | undefined = model;
    for (const segment of segments) {
      const attribute: Attribute | undefined = current ? getModel(current)?.attributes[segment] : undefined;
      if (attribute?.type === 'relation' && attribute.target === EVENT) return true;
      current = targetOf(attribute);
      if (!current) return false;
    }
    return false;
  };
  const objectPaths = (value: Record<string, unknown>, prefix: string[]): string[][] =>
    Object.entries(value).flatMap(([key, nested]) => (isPlainObject(nested) ? objectPaths(nested, [...prefix, key]) : [[...prefix, key]]));
  const paths: string[][] = (Array.isArray(sort) ? sort : [sort]).flatMap((item) => {
    if (typeof item === 'string') return item.split(',').map((part) => part.trim().split(':')[0].split('.'));
    if (isPlainObject(item)) return objectPaths(item, []);
    return [];
  });
  return paths.find((segments) => crosses(segments, uid));
}

/**
 * A sort on `uid` by fields of related events is refused (400): a join cannot be ordered by only the visible rows.
 * `root` is where the sort sits in the query (['populate', 'tags', 'sort']); the refused field is named below it
 * as the object form of a sort writes it (`sort[events][title]` → ['sort', 'events', 'title']).
 */
export function assertSortAvoidsEvents(sort: unknown, uid: string, getModel: GetModel, prefix = '', root: string[] = ['sort']) {
  const through = sort ? sortThroughEvents(sort, uid, getModel) : undefined;
  if (!through) return;
  const path = prefix + through.join('.');
  const rule = 'results cannot be ordered by fields of related events';
  throw new errors.ValidationError(`Invalid sort "${path}": ${rule}`, {
    key: path, path, source: 'query', param: 'sort',
    errors: [{ path: [...root, ...through], message: rule, name: 'ValidationError' }],
  });
}

/**
 * Document-service read parameters on `uid` with every filter reaching events
 * constrained (see constrainEventFilters), in the root `filters` and in those of
 * populated relations; populated events that are counted or filtered get the
 * condition too (a relation `count` would otherwise count hidden ones); sorts by
 * fields of related events are refused (assertSortAvoidsEvents).
 */
export function constrainEventReads<P extends Record<string, unknown>>(params: P, uid: string, getModel: GetModel, condition: Record<string, unknown>): P {
  const populate = (value: unknown, model: string, at: string[]): unknown => {
    // string and list forms populate whole relations: nothing filtered or counted there
    if (!isPlainObject(value)) return value;
    const attributes = getModel(model)?.attributes ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, nested] of Object.entries(value)) {
      const target = targetOf(attributes[key]);
      if (!target || !isPlainObject(nested)) {
        out[key] = nested;
        continue;
      }
      const entry: Record<string, unknown> = { ...nested };
      const here = [...at, key];
      if (entry.filters) entry.filters = constrainEventFilters(entry.filters, target, getModel, condition, STRAPI_SYNTAX, [...here, 'filters']);
      if (target === EVENT && attributes[key].type === 'relation' && (entry.filters || 'count' in entry)) {
        entry.filters = entry.filters ? { $and: [entry.filters, condition] } : condition;
      }
      assertSortAvoidsEvents(entry.sort, target, getModel, `${key}.`, [...here, 'sort']);
      if (entry.populate) entry.populate = populate(entry.populate, target, [...here, 'populate']);
      out[key] = entry;
    }
    return out;
  };

  assertSortAvoidsEvents(params.sort, uid, getModel);
  const out: Record<string, unknown> = { ...params };
  if (params.filters) out.filters = constrainEventFilters(params.filters, uid, getModel, condition);
  if (params.populate) out.populate = populate(params.populate, uid, ['populate']);
  return out as P;
}
