import type { Core } from '@strapi/strapi';
import { async, traverse, traverseEntity } from '@strapi/utils';

/**
 * What an admin sees of a related document is what that admin may read of its type.
 *
 * Strapi's admin sanitizer checks an admin's read fields on the type asked for only: a relation it may
 * read comes back whole, with every field of the related document (a registration's person with their
 * pending email and token hashes, a building's affiliations and their people), and `populate`, `filters`
 * and `sort` may go through it as deep as they like. Here every field of a related document of ours
 * (`api::*`, and people) is kept only when the admin's role may read that field of that type, whatever
 * the condition (the document was reached through one the admin may read); a type the role may not
 * read at all shows its id and documentId only. Roles that read everything (Super Admin, System Staff)
 * see what they saw.
 */
const READ = 'plugin::content-manager.explorer.read';
const ALWAYS = new Set(['createdAt', 'updatedAt', 'publishedAt', 'locale']);

const guarded = (uid: string | undefined) => !!uid && (uid.startsWith('api::') || uid === 'plugin::users-permissions.user');

interface Ability {
  rulesFor?: (action: string, subject: string) => { fields?: string | string[]; inverted?: boolean }[];
}

/** The fields of `uid` the ability may read (any condition): null for all of them. */
function readableFields(ability: Ability, uid: string): string[] | null {
  if (typeof ability.rulesFor !== 'function') return null;
  const rules = ability.rulesFor(READ, uid).filter((r) => !r.inverted);
  if (rules.some((r) => r.fields == null)) return null;
  return rules.flatMap((r) => (Array.isArray(r.fields) ? r.fields : [r.fields as string]));
}

function relatedFieldsVisitor(ability: Ability) {
  const cache = new Map<string, string[] | null>();
  const fieldsOf = (uid: string) => {
    if (!cache.has(uid)) cache.set(uid, readableFields(ability, uid));
    return cache.get(uid)!;
  };
  return ({ key, attribute, schema, path }: any, { remove }: { remove: (key: string) => void }) => {
    // the asked-for type's own fields (no dot in the path) are Strapi's to check; components belong to their type
    if (!attribute || !path?.attribute?.includes('.') || schema?.modelType !== 'contentType' || !guarded(schema.uid)) return;
    if (ALWAYS.has(key)) return;
    const fields = fieldsOf(schema.uid);
    if (fields === null) return;
    if (!fields.some((f) => f === key || f.startsWith(`${key}.`))) remove(key);
  };
}

export function limitRelatedFieldsToReadPermissions(strapi: Core.Strapi) {
  const permission = strapi.service('admin::permission') as any;
  const create = permission.createPermissionsManager;
  permission.createPermissionsManager = (options: { ability: Ability; model: string; action?: string }) => {
    const manager = create(options);
    const schema = strapi.getModel(options.model as never);
    if (!schema) return manager;
    const ctx = { schema, getModel: strapi.getModel.bind(strapi) } as any;
    const visitor = relatedFieldsVisitor(options.ability);
    const limitEntity = (data: unknown) => traverseEntity(visitor as any, ctx, data as any);
    const limitQuery = async (query: any) => {
      if (!query || typeof query !== 'object') return query;
      const out = { ...query };
      if (out.filters) out.filters = await traverse.traverseQueryFilters(visitor as any, ctx)(out.filters);
      if (out.sort) out.sort = await traverse.traverseQuerySort(visitor as any, ctx)(out.sort);
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
