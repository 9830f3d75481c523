import { INT32_MAX, queryError } from './input-limits';
import { isPlainObject } from './plain-object';

/**
 * The one pagination rule of the REST API, for Strapi's list routes and ours (/api/people,
 * /api/directory/search) alike: `pagination[page]` and `pagination[pageSize]`, or
 * `pagination[start]` and `pagination[limit]` (top-level `page`, `pageSize`, `start` and `limit`
 * too), each a whole number given once:
 *  - page: from 1; start: from 0 (both at most 2147483647);
 *  - pageSize and limit: from 1; Strapi's routes answer at most the configured most (config/api.ts
 *    `rest.maxLimit`, 100) and say so in meta.pagination, as Strapi documents; our own routes (Find Colleagues,
 *    directory search) refuse a larger size, as they always did. Strapi's `limit=-1` ("all") answered one
 *    entry here: refused with the way to page.
 * Strapi clamped what it could not use (page 0 or -3 answered the first page, pageSize -5 one entry,
 * pageSize "abc" the default) and a client never learned that it had asked for something else; each is a
 * 400 naming the parameter and the rule.
 */

export const PAGE_KEYS = ['page', 'pageSize'] as const;
export const OFFSET_KEYS = ['start', 'limit'] as const;
const KEYS = [...PAGE_KEYS, ...OFFSET_KEYS] as const;
type Key = (typeof KEYS)[number];

const WHOLE = /^\d+$/;

/** What a larger page size than the most does: Strapi's routes answer the most (`cap`), ours refuse it. */
export type OverMax = 'cap' | 'refuse';

const ruleFor = (key: Key, maxSize: number, overMax: OverMax) => {
  if (key === 'page') return { min: 1, max: INT32_MAX, rule: `must be a whole number from 1 to ${INT32_MAX}` };
  if (key === 'start') return { min: 0, max: INT32_MAX, rule: `must be a whole number from 0 to ${INT32_MAX}` };
  const other = key === 'pageSize' ? 'page' : 'start';
  if (overMax === 'cap') return { min: 1, max: INT32_MAX, rule: `must be a whole number from 1 (at most ${maxSize} entries come back: ask for the next ones with ${other})` };
  return { min: 1, max: maxSize, rule: `must be a whole number from 1 to ${maxSize} (at most ${maxSize} entries a request: ask for the next ones with ${other})` };
};


/** One parameter's value, or undefined when it is not given; a 400 naming it when it breaks the rule. */
function numberAt(keys: string[], key: Key, value: unknown, maxSize: number, overMax: OverMax): number | undefined {
  // `?page` without a value: Strapi's query parser makes it null, and Strapi ignored it
  if (value === undefined || value === null || value === '') return undefined;
  const { min, max, rule } = ruleFor(key, maxSize, overMax);
  if (typeof value !== 'string' && typeof value !== 'number') throw queryError(keys, `must be given once: ${rule}`);
  const text = String(value).trim();
  const n = WHOLE.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw queryError(keys, rule);
  return n;
}

export interface Pagination {
  page?: number;
  pageSize?: number;
  start?: number;
  limit?: number;
}

/**
 * The pagination of a query (`pagination[...]` and top-level), checked: a 400 naming the first parameter that
 * breaks the rule, an unknown `pagination[...]` key, or page and offset parameters mixed.
 */
export function readPagination(query: Record<string, unknown>, maxSize: number, overMax: OverMax = 'refuse'): Pagination {
  const out: Pagination = {};
  const nested = query.pagination;
  if (nested !== undefined && nested !== null && nested !== '' && !isPlainObject(nested)) {
    throw queryError(['pagination'], 'must name its parameters: pagination[page] and pagination[pageSize], or pagination[start] and pagination[limit]');
  }
  if (isPlainObject(nested)) {
    for (const [key, value] of Object.entries(nested)) {
      if (key === 'withCount') {
        if (!['true', 'false', true, false, '1', '0', 't', 'f'].includes(value as never)) throw queryError(['pagination', key], 'must be true or false');
        continue;
      }
      if (!(KEYS as readonly string[]).includes(key)) throw queryError(['pagination', key], `is not a pagination parameter (${KEYS.join(', ')}, withCount)`);
      out[key as Key] = numberAt(['pagination', key], key as Key, value, maxSize, overMax);
    }
  }
  for (const key of KEYS) {
    const n = numberAt([key], key, query[key], maxSize, overMax);
    if (n === undefined) continue;
    if (out[key] !== undefined) throw queryError([key], `is also given as pagination[${key}]: give it once`);
    out[key] = n;
  }
  const paged = PAGE_KEYS.find((k) => out[k] !== undefined);
  const offset = OFFSET_KEYS.find((k) => out[k] !== undefined);
  if (paged && offset) throw queryError(['pagination', offset], `cannot be combined with ${paged}: page with page and pageSize, or with start and limit`);
  return out;
}

/** Page and page size for a route that pages (`/api/people`, `/api/directory/search`): the rule above, then defaults. */
export function pageOf(query: Record<string, unknown>, maxSize: number, defaultSize = 25): { page: number; pageSize: number } {
  const p = readPagination(query, maxSize);
  if (p.start !== undefined || p.limit !== undefined) {
    // start/limit translate to pages only when they line up: ask for pages instead of guessing
    const size = p.limit ?? defaultSize;
    const start = p.start ?? 0;
    if (start % size !== 0) throw queryError(['pagination', 'start'], `must be a multiple of the limit (${size}) here: this route pages by page and pageSize`);
    return { page: start / size + 1, pageSize: size };
  }
  return { page: p.page ?? 1, pageSize: p.pageSize ?? Math.min(defaultSize, maxSize) };
}

/** The most entries one request returns (config/api.ts `rest.maxLimit`). */
export const maxPageSize = (strapi: { config: { get: (key: string, fallback?: unknown) => unknown } }) => Number(strapi.config.get('api.rest.maxLimit', 100)) || 100;
