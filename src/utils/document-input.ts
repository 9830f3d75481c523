import type { Core } from '@strapi/strapi';
import {
  EMAIL_LENGTH_RULE, INT32_MAX, INT32_MIN, INT32_RULE, MAX_EMAIL_LENGTH, NUL_RULE, YEAR_RULE,
  bracketed, dotted, inDateWindow, inputError, isInt32, nulPath,
} from './input-limits';

/**
 * The database limits of input-limits.ts, for every document write and read, whichever way it
 * comes (REST, GraphQL, the admin panel, scripts, imports): before anything is stored, and
 * before a filter reaches SQL. Strapi validates an attribute's own min/max and string lengths;
 * it lets through what only PostgreSQL refuses (32-bit integers, emails over 255 characters,
 * NUL characters, year-0 dates), and a filter value that does not fit its column (text for a
 * number or an id) failed as a 500. Each is a 400 naming the field or filter.
 */

type Attribute = { type: string; target?: string; component?: string; min?: number; max?: number };
type Model = { attributes: Record<string, Attribute> };

/** A plain object (a query builder or a Date is a value, not a level of filters). */
const isObject = (v: unknown): v is Record<string, unknown> => {
  if (!v || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const INTEGER = /^[+-]?\d+$/;
const INT64_MIN = BigInt('-9223372036854775808');
const INT64_MAX = BigInt('9223372036854775807');
const INT64_RULE = 'must be a whole number that fits 64 bits';
const NUMBER_RULE = 'must be a number';
/** Operators whose value Strapi converts to the column's type (the others compare text). */
const CAST_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$notIn', '$between'];

/** Why a filter value does not fit a column of this type, or null when it does. */
function filterValueProblem(type: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && value.includes('\u0000')) return NUL_RULE;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  switch (type) {
    case 'id':
    case 'integer':
      return text !== null && INTEGER.test(text) && isInt32(Number(text)) ? null : INT32_RULE;
    case 'biginteger':
      return text !== null && INTEGER.test(text) && BigInt(text) >= INT64_MIN && BigInt(text) <= INT64_MAX ? null : INT64_RULE;
    case 'float':
    case 'decimal':
      return text !== null && text !== '' && Number.isFinite(Number(text)) ? null : NUMBER_RULE;
    default:
      return null;
  }
}

/** Why a value to store does not fit its attribute, or null (what Strapi's own validation refuses is left to it). */
function dataValueProblem(attribute: Attribute, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (attribute.type) {
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : NaN;
      // beyond the column (Strapi checks the attribute's own min and max, not this)
      if (!Number.isInteger(n) || isInt32(n)) return null;
      return `must be a whole number from ${attribute.min ?? INT32_MIN} to ${attribute.max ?? INT32_MAX}`;
    }
    case 'email':
      return typeof value === 'string' && value.length > MAX_EMAIL_LENGTH ? EMAIL_LENGTH_RULE : null;
    case 'date':
    case 'datetime':
    case 'timestamp':
      return inDateWindow(value) ? null : YEAR_RULE;
    default:
      return null;
  }
}

export function registerDocumentInputLimits(strapi: Core.Strapi) {
  const model = (uid: string | undefined): Model | null => (uid ? ((strapi.getModel(uid as never) as unknown as Model) ?? null) : null);
  const targetOf = (attribute: Attribute) => (attribute.type === 'media' ? 'plugin::upload.file' : attribute.target);

  /** Values to store, component and dynamic-zone entries included. */
  function checkData(of: Model, data: Record<string, unknown>, path: string): void {
    for (const [key, value] of Object.entries(data)) {
      const attribute = of.attributes[key];
      const at = dotted(path, key);
      if (!attribute || value === null || value === undefined) continue;
      if (attribute.type === 'component') {
        const component = model(attribute.component);
        const entries = Array.isArray(value) ? value : [value];
        entries.forEach((entry, i) => {
          if (component && isObject(entry)) checkData(component, entry, Array.isArray(value) ? dotted(at, i) : at);
        });
        continue;
      }
      if (attribute.type === 'dynamiczone' && Array.isArray(value)) {
        value.forEach((entry, i) => {
          const component = isObject(entry) ? model(entry.__component as string) : null;
          if (component) checkData(component, entry as Record<string, unknown>, dotted(at, i));
        });
        continue;
      }
      const nul = nulPath(value, at);
      if (nul) throw inputError(nul, NUL_RULE);
      const problem = dataValueProblem(attribute, value);
      if (problem) throw inputError(at, problem);
    }
  }

  /** A filter on one attribute (or id): its value directly, a list, or operators. */
  function checkFilterValue(of: Model, type: string, target: string | undefined, value: unknown, path: string): void {
    if (Array.isArray(value)) return value.forEach((v, i) => checkFilterValue(of, type, target, v, bracketed(path, i)));
    if (!isObject(value)) {
      const problem = filterValueProblem(type, value);
      if (problem) throw inputError(path, problem);
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      const at = bracketed(path, key);
      if (key === '$not' || key === '$and' || key === '$or') checkFilterValue(of, type, target, v, at);
      else if (CAST_OPERATORS.includes(key)) checkFilterValue(of, type, target, v, at);
      else if (key.startsWith('$')) {
        if (typeof v === 'string' && v.includes('\u0000')) throw inputError(at, NUL_RULE);
      } else if (target) {
        // a relation filtered by its own attributes
        const related = model(target);
        if (related) checkFilters(related, { [key]: v }, path);
      }
    }
  }

  function checkFilters(of: Model, filters: unknown, path: string): void {
    if (Array.isArray(filters)) return filters.forEach((f, i) => checkFilters(of, f, bracketed(path, i)));
    if (!isObject(filters)) return;
    for (const [key, value] of Object.entries(filters)) {
      const at = bracketed(path, key);
      if (key === '$and' || key === '$or' || key === '$not') {
        checkFilters(of, value, at);
        continue;
      }
      if (key === 'id') {
        checkFilterValue(of, 'id', undefined, value, at);
        continue;
      }
      const attribute = of.attributes[key];
      if (!attribute) continue;
      if (attribute.type === 'component') {
        const component = model(attribute.component);
        if (component) checkFilters(component, value, at);
      } else if (attribute.type === 'relation' || attribute.type === 'media') {
        // a relation compared directly compares its id
        checkFilterValue(of, 'id', targetOf(attribute), value, at);
      } else {
        checkFilterValue(of, attribute.type, undefined, value, at);
      }
    }
  }

  /** Filters inside populate (`populate[library][filters][id][$eq]`), at any depth. */
  function checkPopulate(of: Model, populate: unknown, path: string): void {
    if (!isObject(populate)) return;
    for (const [key, value] of Object.entries(populate)) {
      const attribute = of.attributes[key];
      if (!attribute || !isObject(value)) continue;
      const uid = attribute.type === 'component' ? attribute.component : targetOf(attribute);
      const related = model(uid);
      if (!related) continue;
      const at = bracketed(path, key);
      if (value.filters) checkFilters(related, value.filters, bracketed(at, 'filters'));
      if (value.populate) checkPopulate(related, value.populate, bracketed(at, 'populate'));
    }
  }

  strapi.documents.use(async (ctx, next) => {
    const of = (ctx as { contentType?: Model }).contentType;
    const params = (ctx.params ?? {}) as { data?: unknown; filters?: unknown; populate?: unknown };
    if (of) {
      if (isObject(params.data)) checkData(of, params.data, '');
      if (params.filters) checkFilters(of, params.filters, 'filters');
      if (params.populate) checkPopulate(of, params.populate, 'populate');
    }
    return next();
  });
}
