import { assertKnownFields, assertObjectBody, inputError } from '../../../../utils/errors';
import { DateTime } from 'luxon';
import { calendarZone } from '../../recurrence/rule';
import type { CalendarFilters } from '../../services/calendar';
import { YEAR_RULE, inDateWindow } from '../../../../utils/input-limits';

const fail = (field: string, message: string): never => {
  throw inputError(field, message);
};

export const maxRangeDays = () => {
  const n = Number(process.env.OCCURRENCES_MAX_DAYS);
  return Number.isFinite(n) && n > 0 ? n : 400;
};

/** A date ('2026-03-01', midnight in the calendar zone) or a date-time with offset. */
function instant(field: string, value: unknown): DateTime {
  if (value === undefined || value === null || value === '') return fail(field, 'is required (an ISO 8601 date or date-time, e.g. 2026-03-01)');
  if (typeof value !== 'string') return fail(field, 'must be given once, as an ISO 8601 date or date-time');
  const dt = DateTime.fromISO(value, { zone: calendarZone() });
  if (!dt.isValid) return fail(field, `"${value}" is not an ISO 8601 date or date-time`);
  // the rules are walked from each series' first date up to the range: a range in the year 9999 took over 100 s
  if (!inDateWindow(dt.toJSDate())) return fail(field, YEAR_RULE);
  return dt;
}

function optionalText(query: Record<string, unknown>, field: string): string | undefined {
  const v = query[field];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > 200) return fail(field, 'must be a single slug or documentId');
  return v;
}

/** The calendar's search box (`q`): up to 5 words of at most 200 characters in all, or nothing. */
function searchWords(query: Record<string, unknown>): string[] | undefined {
  const v = query.q;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > 200) return fail('q', 'must be given once, as words of at most 200 characters in all');
  const words = v.split(/\s+/).filter(Boolean);
  if (words.length > 5) fail('q', 'must be at most 5 words');
  return words.length ? words : undefined;
}

export function parseFilters(query: Record<string, unknown>): CalendarFilters {
  const audience = optionalText(query, 'audience');
  if (audience && audience !== 'public' && audience !== 'members') fail('audience', 'must be "public" or "members"');
  return { tag: optionalText(query, 'tag'), group: optionalText(query, 'group'), provider: optionalText(query, 'provider'), audience: audience as CalendarFilters['audience'], q: searchWords(query) };
}

export function parseOccurrenceQuery(query: Record<string, unknown>) {
  const from = instant('from', query.from);
  const to = instant('to', query.to);
  if (to <= from) fail('to', 'must be after from');
  const max = maxRangeDays();
  if (to.diff(from, 'days').days > max) fail('to', `the range from..to must not exceed ${max} days`);
  return { from, to, filters: parseFilters(query) };
}

/**
 * POST /api/me/calendar-token reads nothing from its body: no body or `{}` is the request, and a field sent
 * (a token to choose, say) is refused, not silently ignored while a new token is made anyway.
 */
export function assertNoBodyFields(body: unknown): void {
  if (body === undefined || body === null || body === '') return;
  assertObjectBody(body, 'must be empty or {}: this request takes no fields');
  assertKnownFields(body, []);
}
