import type { Core } from '@strapi/strapi';
import {
  EMAIL_LENGTH_RULE, INT32_MAX, INT32_MIN, INT32_RULE, MAX_EMAIL_LENGTH, NUL, NUL_RULE, YEAR_RULE,
  bracketed, dotted, inDateWindow, isCalendarDate, isInt32, nulPath,
} from './input-limits';
import { inputError } from './errors';
import { isPlainObject } from './plain-object';

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

const INTEGER = /^[+-]?\d+$/;
const INT64_MIN = BigInt('-9223372036854775808');
const INT64_MAX = BigInt('9223372036854775807');
const INT64_RULE = 'must be a whole number that fits 64 bits';
const NUMBER_RULE = 'must be a number';
const DATE_RULE = 'must be an ISO 8601 date (2026-03-17 or 2026-03-17T10:00:00Z) or a timestamp in milliseconds';
/** The furthest a JavaScript date reaches from 1970, in milliseconds (Strapi's parser refuses beyond, with a 500). */
const MAX_TIMESTAMP_MS = 8.64e15;
/** The ISO 8601 forms Strapi's datetime parser reads: a year, month or day, with a time and an offset. */
const ISO_DATETIME = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2}([.,]\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)?)?$/;
/** Operators whose value Strapi converts to the column's type (the others compare text). */
const CAST_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$notIn', '$between'];
/** Operators that compare text: PostgreSQL has no LIKE or LOWER() for numbers, dates, booleans or ids (a 500). */
const TEXT_OPERATORS = ['$eqi', '$nei', '$contains', '$notContains', '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi'];
const NOT_TEXT_TYPES = ['id', 'integer', 'biginteger', 'float', 'decimal', 'date', 'datetime', 'time', 'timestamp', 'boolean'];
/**
 * Text operators PostgreSQL applies to the column as it is (LIKE), where the case-insensitive ones cast it to text first:
 * on a JSON column (jsonb) there is no LIKE (a 500); SQLite, which stores JSON as text, answered.
 */
const CASE_SENSITIVE_TEXT_OPERATORS = ['$contains', '$notContains', '$startsWith', '$endsWith'];
const CONDITIONS_RULE = 'must be a list of conditions (filters[$or][0][name][$eq]=…&filters[$or][1][city][$eq]=…)';
const CONDITION_RULE = 'must be a condition on fields (filters[$not][name][$eq]=…)';
const FILTERS_RULE = 'must be conditions on fields (filters[name][$eq]=…)';
const VALUE_RULE = 'must be a single value or a list of values, not an object';
const BETWEEN_RULE = 'must be a list of two values ([$between][0]=…&[$between][1]=…)';
const SORT_RULE = 'must be asc or desc';
/**
 * The longest text a text operator compares. SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern
 * too complex", a 500 that quoted the SQL): 10,000 characters stay below it in any script, escapes included.
 */
const MAX_PATTERN = 10_000;
const PATTERN_RULE = `must be a text of at most ${MAX_PATTERN} characters`;
/** Operators that combine conditions rather than compare a value. */
const LOGICAL_OPERATORS = ['$and', '$or', '$not'];
/** Values one list operator takes: PostgreSQL binds at most 65535 parameters a statement (a longer list was a 500 quoting the SQL). */
const MAX_LIST = 1000;

const JSON_RULE = 'must be JSON to compare with a JSON field (["2027-01-21T13:00:00.000Z"], "text" in quotes, 3, null)';
function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

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
    case 'date':
    case 'datetime':
    case 'timestamp': {
      // what Strapi's column parsers read (an ISO date or a timestamp); anything else was a 500 from the parser
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? DATE_RULE : null;
      if (text === null) return null; // a value made in code (a knex expression), not a caller's text
      // the parser reads the value as given: untrimmed (a padded date was a 500), a timestamp within JavaScript's dates
      const raw = String(value);
      if (type !== 'date' && INTEGER.test(raw)) return Math.abs(Number(raw)) <= MAX_TIMESTAMP_MS ? null : DATE_RULE;
      const day = raw.match(/^\d{4}-\d{2}-\d{2}/)?.[0];
      if (type === 'date') return day && isCalendarDate(day) && ISO_DATETIME.test(raw) ? null : DATE_RULE;
      return ISO_DATETIME.test(raw) && (!day || isCalendarDate(day)) ? null : DATE_RULE;
    }
    case 'json':
      // PostgreSQL reads the value as JSON (jsonb) to compare: text that is none was a 500 ("invalid input syntax")
      return typeof value !== 'string' || isJsonText(value) ? null : JSON_RULE;
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

/** The checks, over content-type schemas; each throws a 400 naming the field or filter. */
function inputChecks(strapi: Core.Strapi) {
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
          if (component && isPlainObject(entry)) checkData(component, entry, Array.isArray(value) ? dotted(at, i) : at);
        });
        continue;
      }
      if (attribute.type === 'dynamiczone' && Array.isArray(value)) {
        value.forEach((entry, i) => {
          const component = isPlainObject(entry) ? model(entry.__component as string) : null;
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
    if (Array.isArray(value)) {
      if (value.length > MAX_LIST) throw inputError(path, `must list at most ${MAX_LIST} values`);
      return value.forEach((v, i) => checkFilterValue(of, type, target, v, bracketed(path, i)));
    }
    if (!isPlainObject(value)) {
      const problem = filterValueProblem(type, value);
      if (problem) throw inputError(path, problem);
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      const at = bracketed(path, key);
      // the shapes Strapi's query builder takes for granted (anything else failed as a 500 deep in it)
      if ((key === '$and' || key === '$or') && !Array.isArray(v)) throw inputError(at, CONDITIONS_RULE);
      if (key === '$between' && !(Array.isArray(v) && v.length === 2)) throw inputError(at, BETWEEN_RULE);
      if (key.startsWith('$') && !LOGICAL_OPERATORS.includes(key) && (isPlainObject(v) || (Array.isArray(v) && v.some(isPlainObject)))) {
        if (type !== 'json') throw inputError(at, VALUE_RULE);
      }
      if (TEXT_OPERATORS.includes(key) && NOT_TEXT_TYPES.includes(type)) {
        throw inputError(at, `compares text; ${target ? 'a relation is compared by its id' : `this is a ${type} field`}: use $eq, $ne, $lt, $lte, $gt, $gte, $in, $notIn, $between or $null`);
      }
      if (CASE_SENSITIVE_TEXT_OPERATORS.includes(key) && type === 'json') throw inputError(at, `compares text by its case, which a JSON field is not: use ${key}i`);
      if (LOGICAL_OPERATORS.includes(key)) checkFilterValue(of, type, target, v, at);
      else if (CAST_OPERATORS.includes(key)) checkFilterValue(of, type, target, v, at);
      else if (key.startsWith('$')) {
        if (typeof v === 'string' && v.includes('\u0000')) throw inputError(at, NUL_RULE);
        if (TEXT_OPERATORS.includes(key) && String(v).length > MAX_PATTERN) throw inputError(at, PATTERN_RULE);
      } else if (target) {
        // a relation filtered by its own attributes
        const related = model(target);
        if (related) checkFilters(related, { [key]: v }, path);
      }
    }
  }

  function checkFilters(of: Model, filters: unknown, path: string): void {
    if (Array.isArray(filters)) {
      // a list of filters is a list of conditions (`filters[0][name][$eq]=…`); text there reached SQL as a column name
      return filters.forEach((f, i) => {
        if (!isPlainObject(f) && !Array.isArray(f)) throw inputError(bracketed(path, i), CONDITION_RULE);
        checkFilters(of, f, bracketed(path, i));
      });
    }
    if (!isPlainObject(filters)) return;
    for (const [key, value] of Object.entries(filters)) {
      const at = bracketed(path, key);
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value)) throw inputError(at, CONDITIONS_RULE);
        value.forEach((v, i) => {
          if (!isPlainObject(v)) throw inputError(bracketed(at, i), CONDITION_RULE);
        });
      }
      if (key === '$not' && !isPlainObject(value) && !Array.isArray(value)) throw inputError(at, CONDITION_RULE);
      if (LOGICAL_OPERATORS.includes(key)) {
        checkFilters(of, value, at);
        continue;
      }
      // neither is among a model's attributes: checked as the integer and the text they are
      if (key === 'id' || key === 'documentId') {
        checkFilterValue(of, key === 'id' ? 'id' : 'string', undefined, value, at);
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

  /**
   * A sort given as an object (`sort[name]=asc`, `sort[library][name]=desc`): a field takes asc or desc, a
   * relation or component the sort of its own fields. Strapi checks the text forms; an object where a
   * direction belongs reached the query builder and failed as a 500.
   */
  function checkSort(of: Model, sort: unknown, path: string): void {
    if (Array.isArray(sort)) return sort.forEach((s, i) => checkSort(of, s, bracketed(path, i)));
    if (!isPlainObject(sort)) return;
    for (const [key, value] of Object.entries(sort)) {
      const attribute = key === 'id' || key === 'documentId' ? { type: 'id' } : of.attributes[key];
      if (!attribute) continue; // an unknown field: Strapi's own validation names it
      const at = bracketed(path, key);
      const uid = attribute.type === 'component' ? attribute.component : attribute.type === 'relation' || attribute.type === 'media' ? targetOf(attribute) : undefined;
      const related = model(uid);
      if (related) {
        if (!isPlainObject(value)) throw inputError(at, `must name a field of the ${attribute.type} (${at}[name]=asc)`);
        checkSort(related, value, at);
      } else if (typeof value !== 'string' || !/^(asc|desc)$/i.test(value)) {
        throw inputError(at, SORT_RULE);
      }
    }
  }

  /** Filters inside populate (`populate[library][filters][id][$eq]`), at any depth. */
  function checkPopulate(of: Model, populate: unknown, path: string): void {
    if (!isPlainObject(populate)) return;
    for (const [key, value] of Object.entries(populate)) {
      const attribute = of.attributes[key];
      if (!attribute || !isPlainObject(value)) continue;
      const uid = attribute.type === 'component' ? attribute.component : targetOf(attribute);
      const related = model(uid);
      if (!related) continue;
      const at = bracketed(path, key);
      if (value.filters) checkFilters(related, value.filters, bracketed(at, 'filters'));
      if (value.sort) checkSort(related, value.sort, bracketed(at, 'sort'));
      if (value.populate) checkPopulate(related, value.populate, bracketed(at, 'populate'));
    }
  }

  return { checkData, checkFilters, checkSort, checkPopulate };
}

type QueryParams = { filters?: unknown; populate?: unknown; sort?: unknown; _q?: unknown };

/** The query checks, for one read or write of a model: filters, sort, populate and the search text. */
function checkQueryWith(checks: ReturnType<typeof inputChecks>, of: Model, params: QueryParams): void {
  if (params.filters) {
    // text (`filters=abc`) reached the query builder as a condition and failed as a 500
    if (!isPlainObject(params.filters) && !Array.isArray(params.filters)) throw inputError('filters', FILTERS_RULE);
    checks.checkFilters(of, params.filters, 'filters');
  }
  if (params.sort) checks.checkSort(of, params.sort, 'sort');
  if (params.populate) checks.checkPopulate(of, params.populate, 'populate');
  // the search text is split into words: a list or an object failed as a 500
  if (params._q !== undefined && params._q !== null && typeof params._q !== 'string') throw inputError('_q', 'must be a single text');
}

export function registerDocumentInputLimits(strapi: Core.Strapi) {
  const checks = inputChecks(strapi);
  strapi.documents.use(async (ctx, next) => {
    const of = (ctx as { contentType?: Model }).contentType;
    const params = (ctx.params ?? {}) as QueryParams & { data?: unknown; documentId?: unknown };
    // GraphQL's single-document queries pass their documentId argument here unchecked (a 500 on PostgreSQL)
    if (typeof params.documentId === 'string' && params.documentId.includes(NUL)) throw inputError('documentId', NUL_RULE);
    if (of) {
      if (isPlainObject(params.data)) checks.checkData(of, params.data, '');
      checkQueryWith(checks, of, params);
    }
    return next();
  });
}

/**
 * The same query checks for a route that reads through the query engine rather than the document service
 * (Strapi's GET /users/me), which the document middleware above does not see.
 */
export function checkQueryInput(strapi: Core.Strapi, uid: string, params: QueryParams): void {
  const of = strapi.getModel(uid as never) as unknown as Model | undefined;
  if (of) checkQueryWith(inputChecks(strapi), of, params ?? {});
}

/**
 * A GraphQL resolver middleware for a relation field (`libraries { buildings(filters: …) }`): GraphQL loads a
 * relation's rows outside the document service, so its filters get the same checks here, read in the form
 * Strapi maps them to (`between` → `$between`). src/api/event/document-middleware/visibility.ts configures
 * every relation field's resolver and puts this first.
 */
export function relationArgsLimits(strapi: Core.Strapi) {
  const { checkFilters } = inputChecks(strapi);
  return (target: string) => async (next: any, parent: any, args: any, context: any, info: any) => {
    const of = strapi.getModel(target as never) as unknown as Model | undefined;
    if (of && args?.filters) {
      const filters = strapi.plugin('graphql').service('utils').mappers.graphQLFiltersToStrapiQuery(args.filters, of);
      checkFilters(of, filters, 'filters');
    }
    return next(parent, args, context, info);
  };
}
