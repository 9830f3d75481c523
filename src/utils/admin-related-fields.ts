import type { Core } from '@strapi/strapi';
import { async, traverse, traverseEntity } from '@strapi/utils';
import { isPlainObject } from './plain-object';

/**
 * What an admin sees of a related document is what that admin may read of its type.
 *
 * Strapi's admin sanitizer checks an admin's read fields on the type asked for only: a relation it may
 * read comes back whole, with every field of the related document (a registration's person with their
 * pending email and token hashes, a building's affiliations and their people), and `populate`, `filters`
 * and `sort` may go through it as deep as they like. Here every field of a related document of ours
 * (`api::*`, and people) is kept only when the admin's role may read that field of that type, whatever
 * the condition, and a type the role may not read at all shows its id and documentId only. A type the
 * role reads only under conditions (an event provider's own events, its registrants) shows its fields
 * only on the documents those conditions let it read: each such type of a response is asked of the
 * database once (the content manager's permission query and the ids found), and any other document
 * of it shows its id and documentId only. Roles that read everything (Super Admin, System Staff) see
 * what they saw and pay no query.
 */
const READ = 'plugin::content-manager.explorer.read';
const ALWAYS = new Set(['createdAt', 'updatedAt', 'publishedAt', 'locale']);

const guarded = (uid: string | undefined) => !!uid && (uid.startsWith('api::') || uid === 'plugin::users-permissions.user');

interface Rule {
  fields?: string | string[];
  inverted?: boolean;
  conditions?: unknown;
}
interface Ability {
  rulesFor?: (action: string, subject: string) => Rule[];
}
type Ids = Map<string, Set<number>>;

/** The ability's rules that let it read `uid` (none when it cannot tell). */
const readRules = (ability: Ability, uid: string): Rule[] =>
  typeof ability.rulesFor === 'function' ? ability.rulesFor(READ, uid).filter((r) => !r.inverted) : [];

/** The fields of `uid` the ability may read (any condition): null for all of them. */
function readableFields(ability: Ability, uid: string): string[] | null {
  if (typeof ability.rulesFor !== 'function') return null;
  const rules = readRules(ability, uid);
  if (rules.some((r) => r.fields == null)) return null;
  return rules.flatMap((r) => (Array.isArray(r.fields) ? r.fields : [r.fields as string]));
}

/** Whether the ability reads `uid` only under conditions: which of its documents it may read is a query. */
function readUnderConditions(ability: Ability, uid: string): boolean {
  const rules = readRules(ability, uid);
  return rules.length > 0 && rules.every((r) => r.conditions != null);
}

/** A field of a related document of ours, not of the asked-for one (no dot in its path); components belong to their type. */
const relatedOfOurs = ({ schema, path }: any) => !!path?.attribute?.includes('.') && schema?.modelType === 'contentType' && guarded(schema.uid);

/**
 * The ids among `wanted` the ability may read, per type: one query per type for every document that a
 * response sanitizes in the same turn (a list sanitizes its rows one by one, all at once).
 */
function permittedIdsLoader(strapi: Core.Strapi, permissionQueryOf: (uid: string) => unknown) {
  let batch: Ids | null = null;
  let answer: Promise<Ids>;
  return (wanted: Ids): Promise<Ids> => {
    if (!batch) {
      const current: Ids = (batch = new Map());
      answer = new Promise((resolve) => setImmediate(resolve)).then(async () => {
        batch = null;
        const permitted: Ids = new Map();
        for (const [uid, ids] of current) {
          const rows: { id: number }[] = await strapi.db.query(uid as never).findMany({ where: { $and: [permissionQueryOf(uid), { id: { $in: [...ids] } }] }, select: ['id'] });
          permitted.set(uid, new Set(rows.map((r) => r.id)));
        }
        return permitted;
      });
    }
    for (const [uid, ids] of wanted) batch.set(uid, new Set([...(batch.get(uid) ?? []), ...ids]));
    return answer;
  };
}

function relatedFieldsVisitor(ability: Ability, permitted?: Ids) {
  const cache = new Map<string, string[] | null>();
  const fieldsOf = (uid: string) => {
    if (!cache.has(uid)) cache.set(uid, readableFields(ability, uid));
    return cache.get(uid)!;
  };
  return ({ key, attribute, schema, path, data }: any, { remove }: { remove: (key: string) => void }) => {
    // the asked-for type's own fields are Strapi's to check
    if (!attribute || !relatedOfOurs({ schema, path })) return;
    if (ALWAYS.has(key)) return;
    const allowed = permitted?.get(schema.uid);
    if (allowed && !allowed.has(data?.id)) {
      if (key !== 'documentId') remove(key);
      return;
    }
    const fields = fieldsOf(schema.uid);
    if (fields === null) return;
    if (!fields.some((f) => f === key || f.startsWith(`${key}.`))) remove(key);
  };
}

const LOGICAL = new Set(['$and', '$or', '$not']);

/** The fields every related document shows whatever the role's conditions: ids and timestamps. */
const SHOWN_OF_EVERY = new Set(['id', 'documentId', ...ALWAYS]);

/** Whether a sort under a relation (`reviewNote:asc`, `{ updatedAt: 'desc' }`) orders by such fields only. */
function sortsByShownFields(value: unknown): boolean {
  if (typeof value === 'string') return value.split(',').every((part) => SHOWN_OF_EVERY.has(part.trim().split(/[.:]/)[0]));
  if (Array.isArray(value)) return value.every(sortsByShownFields);
  if (isPlainObject(value)) return Object.entries(value).every(([key, order]) => SHOWN_OF_EVERY.has(key) && typeof order === 'string');
  return true;
}

/** A sort with the keys a traversal removed taken out (Strapi's leaves `{ events: undefined }` in the object form). */
function withoutEmptyKeys(sort: unknown): unknown {
  if (Array.isArray(sort)) return sort.map(withoutEmptyKeys).filter((s) => !(isPlainObject(s) && !Object.keys(s).length));
  if (!isPlainObject(sort)) return sort;
  const entries = Object.entries(sort).map(([key, value]) => [key, withoutEmptyKeys(value)] as const);
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined && !(isPlainObject(value) && !Object.keys(value).length)));
}

/**
 * A sort through a relation to a type the role reads only under conditions is dropped unless it orders by ids or
 * timestamps: `sort=events.reviewNote` on tags would order the tags by what another provider's event holds. A sort
 * cannot be limited to the readable documents the way a filter is; Strapi likewise drops a sort on a field the role
 * may not read.
 */
function conditionalSortVisitor(visitor: ReturnType<typeof relatedFieldsVisitor>, underConditions: (uid: string) => boolean, unreadable: (uid: string) => boolean) {
  return (args: any, helpers: { remove: (key: string) => void }) => {
    const { attribute, key, value } = args;
    // a type the role may not read at all likewise (removing only its field left a sort by the relation itself: a 500)
    if (attribute?.type === 'relation' && guarded(attribute.target) && (underConditions(attribute.target) || unreadable(attribute.target)) && !sortsByShownFields(value)) {
      helpers.remove(key);
      return;
    }
    visitor(args, helpers);
  };
}

/** A filter on documents of a type read under conditions, ANDed with the role's permission query for it (if any). */
function withPermission(permission: unknown | undefined, filter: unknown): unknown {
  // (a filter on the id alone says nothing the role cannot read)
  const idOnly = isPlainObject(filter) && Object.keys(filter).every((k) => k === 'id' || k === 'documentId');
  return permission !== undefined && !idOnly ? { $and: [permission, filter] } : filter;
}

/**
 * Filters through a relation to a type the role reads only under conditions look only at the documents those
 * conditions let it read: `filters[events][reviewNote][$contains]=…` on tags would otherwise tell an event provider,
 * by which tags come back, what another provider's event holds. The relation's filter becomes
 * `{ $and: [<the role's permission query for that type>, <the filter>] }`; the permission query itself is not
 * walked again (it names relations of its own, read under conditions too).
 */
function scopeRelationFilters(strapi: Core.Strapi, filters: unknown, schema: any, scoped: (uid: string) => unknown | undefined): unknown {
  if (Array.isArray(filters)) return filters.map((f) => scopeRelationFilters(strapi, f, schema, scoped));
  if (!isPlainObject(filters) || !schema) return filters;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    const attribute = schema.attributes?.[key];
    if (LOGICAL.has(key)) {
      out[key] = scopeRelationFilters(strapi, value, schema, scoped);
    } else if (attribute?.type === 'relation' && attribute.target && !String(attribute.relation).startsWith('morph')) {
      const target = strapi.getModel(attribute.target);
      const inner = scopeRelationFilters(strapi, value, target, scoped);
      out[key] = withPermission(guarded(attribute.target) ? scoped(attribute.target) : undefined, inner);
    } else {
      out[key] = value;
    }
  }
  return out;
}

// What Strapi's `_q` search looks at (@strapi/database query/helpers/search): text-like columns, and numeric ones
// when the term is a number, unless the attribute says `"searchable": false`.
const SEARCHED_TEXT = new Set(['string', 'text', 'uid', 'email', 'enumeration', 'richtext']);
const SEARCHED_NUMBER = new Set(['integer', 'biginteger', 'float', 'decimal']);

/**
 * `_q` limited to the fields the role may read. Strapi's list search matches every searchable column of the type,
 * whatever the role's read fields, so an event provider (who reads its registrants' name and email) could find
 * them by their profile phone or bio, one digit at a time. When the search would look at a field the role may not
 * read, it becomes a filter over the readable ones (the same contains-match); otherwise it is left as it was.
 */
function searchReadableFields(query: Record<string, any>, schema: any, readable: string[] | null): Record<string, any> {
  const term = query._q;
  if (typeof term !== 'string' || !term || readable === null) return query;
  const numeric = !Number.isNaN(Number(term));
  const searched = Object.entries(schema.attributes ?? {})
    .filter(([, a]: [string, any]) => a.searchable !== false && (SEARCHED_TEXT.has(a.type) || (numeric && SEARCHED_NUMBER.has(a.type))))
    .map(([name]) => name);
  const allowed = searched.filter((name) => readable.includes(name));
  if (allowed.length === searched.length) return query;
  const { _q: _ignored, ...rest } = query;
  const any = allowed.map((name) => (SEARCHED_TEXT.has(schema.attributes[name].type) ? { [name]: { $containsi: term } } : { [name]: { $eq: Number(term) } }));
  if (numeric && Number.isInteger(Number(term))) any.push({ id: { $eq: Number(term) } });
  const search = any.length ? { $or: any } : { id: { $null: true } };
  return { ...rest, filters: rest.filters ? { $and: [rest.filters, search] } : search };
}

export function limitRelatedFieldsToReadPermissions(strapi: Core.Strapi) {
  const permission = strapi.service('admin::permission') as any;
  const create = permission.createPermissionsManager;
  permission.createPermissionsManager = (options: { ability: Ability; model: string; action?: string }) => {
    const manager = create(options);
    const schema = strapi.getModel(options.model as never);
    if (!schema) return manager;
    const ctx = { schema, getModel: strapi.getModel.bind(strapi) } as any;
    const { ability } = options;
    const visitor = relatedFieldsVisitor(ability);
    const conditional = new Map<string, boolean>();
    const underConditions = (uid: string) => {
      if (!conditional.has(uid)) conditional.set(uid, readUnderConditions(ability, uid));
      return conditional.get(uid)!;
    };
    /** The role's permission query for a type it reads only under conditions (undefined: no limit to add). */
    const permissionQueryOf = (uid: string) => {
      if (!underConditions(uid)) return undefined;
      // no query (nothing readable): a filter that matches nothing
      return create({ ability, model: uid, action: READ }).getQuery() ?? { id: { $null: true } };
    };
    const permittedIds = permittedIdsLoader(strapi, permissionQueryOf);
    const unreadable = (uid: string) => readRules(ability, uid).length === 0 && typeof ability.rulesFor === 'function';
    const sortVisitor = conditionalSortVisitor(visitor, underConditions, unreadable);
    const limitEntity = async (data: unknown) => {
      // the related documents of types read under conditions, by id
      const found: Ids = new Map();
      await traverseEntity(((args: any) => {
        if (!relatedOfOurs(args) || args.data?.id == null || !underConditions(args.schema.uid)) return;
        found.set(args.schema.uid, (found.get(args.schema.uid) ?? new Set()).add(args.data.id));
      }) as any, ctx, data as any);
      const permitted = found.size ? await permittedIds(found) : undefined;
      return traverseEntity((permitted ? relatedFieldsVisitor(ability, permitted) : visitor) as any, ctx, data as any);
    };
    const limitQuery = async (query: any) => {
      if (!query || typeof query !== 'object') return query;
      const out = searchReadableFields({ ...query }, schema, readableFields(ability, options.model));
      if (out.filters) {
        out.filters = await traverse.traverseQueryFilters(visitor as any, ctx)(out.filters);
        out.filters = scopeRelationFilters(strapi, out.filters, schema, permissionQueryOf);
      }
      if (out.sort) out.sort = withoutEmptyKeys(await traverse.traverseQuerySort(sortVisitor as any, ctx)(out.sort));
      // (the content manager builds its populate itself: a populate's own filters and sort never reach the database)
      if (out.populate) out.populate = await traverse.traverseQueryPopulate(visitor as any, ctx)(out.populate);
      return out;
    };
    const { sanitizeOutput, sanitizeQuery } = manager;
    manager.sanitizeOutput = async (data: unknown, opts?: unknown) => {
      const clean = await sanitizeOutput(data, opts);
      return Array.isArray(clean) ? async.map(clean, limitEntity) : clean && typeof clean === 'object' ? limitEntity(clean) : clean;
    };
    manager.sanitizeQuery = async (query: unknown, opts?: unknown) => limitQuery(await sanitizeQuery(query, opts));
    return manager;
  };
}
