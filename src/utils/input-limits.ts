import { errors } from '@strapi/utils';
import { inputError } from './errors';

/**
 * What either database can store, as rules every input path shares. PostgreSQL refuses a
 * NUL character in text, an integer column beyond 32 bits, a varchar(255) email over 255
 * characters and a year-0 date with an error that would otherwise be a 500 (SQLite stores
 * them), so each is refused up front, with the field's name, the same on both databases.
 */

export const NUL = '\u0000';
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
/** RFC 5321's longest address; the column holds 255. */
export const MAX_EMAIL_LENGTH = 254;
/**
 * Dates the platform accepts: far from both databases' limits, and a bounded walk for the
 * recurrence expansion (rrule steps from a series' first date to the asked one: a date in
 * the year 9999 took over 100 s of CPU per request for one daily series).
 */
export const YEAR_MIN = 1900;
export const YEAR_MAX = 2200;

export const NUL_RULE = 'must not contain NUL (\\u0000) characters';
/**
 * Half of a UTF-16 surrogate pair with no other half (JSON lets a body write "\ud800"): no character at all.
 * SQLite stored its bytes, which read back as three replacement characters, and PostgreSQL's driver wrote one
 * replacement character instead: either way the text stored was not the text sent.
 */
export const SURROGATE_RULE = 'must be valid Unicode text (no unpaired surrogate such as \\uD800)';
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const hasUnpairedSurrogate = (text: string) => UNPAIRED_SURROGATE.test(text);
export const INT32_RULE = `must be a whole number from ${INT32_MIN} to ${INT32_MAX}`;
export const EMAIL_LENGTH_RULE = `must be at most ${MAX_EMAIL_LENGTH} characters`;
export const YEAR_RULE = `must be a date between the years ${YEAR_MIN} and ${YEAR_MAX}`;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The one email rule every form shares: at most 254 characters, then the shape. The length comes first: the
 * pattern backtracks over a long run of dots (a megabyte of them held the process for minutes).
 */
export function emailProblem(value: string): string | null {
  if (value.length > MAX_EMAIL_LENGTH) return EMAIL_LENGTH_RULE;
  return EMAIL_PATTERN.test(value) ? null : 'must be a valid email address';
}

/**
 * 400 naming a query parameter as the URL writes it (`pagination[page]`), with its path as a list
 * (`['pagination', 'page']`), the shape Strapi gives a body field's path.
 */
export const queryError = (keys: string[], rule: string) => {
  const name = keys.slice(1).reduce((at, key) => bracketed(at, key), keys[0]);
  return new errors.ValidationError(`${name}: ${rule}`, { errors: [{ path: keys, message: rule, name: 'ValidationError' }] });
};

/**
 * How deeply lists and objects may nest in a JSON body. The checks that walk a body (the NUL search here,
 * Strapi's sanitizers) recurse: a body nested thousands of levels deep overflowed the stack, a 500.
 */
export const MAX_BODY_DEPTH = 64;
export const DEPTH_RULE = `must not nest lists and objects more than ${MAX_BODY_DEPTH} levels deep`;

/** True when lists and objects in a value nest deeper than `max` levels; stops looking at that depth. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (!value || typeof value !== 'object') return false;
  if (max <= 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((v) => nestsDeeperThan(v, max - 1));
}

const shown = (key: string) => key.split(NUL).join('\\u0000');

const hasNul = (text: string) => text.includes(NUL);

/**
 * Where the first NUL character sits in a value (a string, or a key or string inside lists and objects); null when there is none.
 * `has` looks for something else in the same places (an unpaired surrogate).
 */
export function nulPath(value: unknown, path: string, join: (path: string, key: string | number) => string = dotted, has: (text: string) => boolean = hasNul): string | null {
  if (typeof value === 'string') return has(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = nulPath(value[i], join(path, i), join, has);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (has(key)) return join(path, shown(key));
      const found = nulPath(v, join(path, key), join, has);
      if (found) return found;
    }
  }
  return null;
}

/** `data` + `jobTitle` → `data.jobTitle`; list items as `locations[0]`. */
export function dotted(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path || 'body'}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** `filters` + `name` → `filters[name]`, as a query string writes it. */
export const bracketed = (path: string, key: string | number) => (path ? `${path}[${key}]` : String(key));

/** A whole number a 32-bit integer column (and every id) holds. */
export const isInt32 = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;

/** The year of a date value (a Date, or text Date.parse reads), or null when it is not a date. */
function yearOf(value: unknown): number | null {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).getUTCFullYear();
}

/** False for a readable date outside the accepted years; true otherwise (what is not a date is another rule's to refuse). */
export function inDateWindow(value: unknown): boolean {
  const year = yearOf(value);
  return year === null || (year >= YEAR_MIN && year <= YEAR_MAX);
}

/**
 * A calendar date written YYYY-MM-DD that exists: Date.parse rolls "2026-02-30" over to March 2 (and the date
 * column then refused it without naming the field, a JSON field stored it as sent).
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Throws a 400 naming the field when a date lies outside the accepted years. */
export function assertDateWindow(path: string, value: unknown): void {
  if (!inDateWindow(value)) throw inputError(path, YEAR_RULE);
}
