import { DateTime } from 'luxon';
import { RRule, type Options } from 'rrule';

/**
 * Pure recurrence logic (no Strapi): the only place that turns an event's
 * start/end/rrule/exdates/rdates/occurrenceChanges into concrete occurrences.
 *
 * Rules are expanded in *floating* local time of the calendar zone (a JS Date whose
 * UTC fields hold the local wall clock) and each result is then placed in the zone,
 * so a meeting at 1 p.m. stays at 1 p.m. across daylight-saving changes.
 */

export const calendarZone = () => process.env.TZ_CALENDAR || 'America/Chicago';

export interface OccurrenceChange {
  occurrence: string | Date;
  cancelled?: boolean | null;
  start?: string | Date | null;
  end?: string | Date | null;
  note?: string | null;
}

export interface RecurringEvent {
  start: string | Date;
  end?: string | Date | null;
  rrule?: string | null;
  exdates?: unknown;
  rdates?: unknown;
  occurrenceChanges?: OccurrenceChange[] | null;
  cancelled?: boolean | null;
}

export interface Occurrence {
  /** ISO instant (UTC) */
  start: string;
  end: string;
  /** the start the rule gives for this occurrence: its identity (RECURRENCE-ID) */
  originalStart: string;
  cancelled?: boolean;
  moved?: boolean;
  note?: string;
}

// Calendar events repeat daily at most often; sub-daily rules could expand to millions.
const FREQS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
/** Upper bound on occurrences produced by one expansion (a guard, far above real use). */
export const MAX_OCCURRENCES = 5000;
const INT_LIST = /^[+-]?\d{1,3}(,[+-]?\d{1,3})*$/;
const WEEKDAY = '(?:[+-]?\\d{1,2})?(?:MO|TU|WE|TH|FR|SA|SU)';
const PARTS: Record<string, RegExp> = {
  FREQ: new RegExp(`^(${FREQS.join('|')})$`),
  UNTIL: /^\d{8}(T\d{6}Z?)?$/,
  COUNT: /^\d{1,4}$/,
  INTERVAL: /^\d{1,4}$/,
  BYSECOND: INT_LIST,
  BYMINUTE: INT_LIST,
  BYHOUR: INT_LIST,
  BYDAY: new RegExp(`^${WEEKDAY}(,${WEEKDAY})*$`),
  BYMONTHDAY: INT_LIST,
  BYYEARDAY: INT_LIST,
  BYWEEKNO: INT_LIST,
  BYMONTH: /^\d{1,2}(,\d{1,2})*$/,
  BYSETPOS: INT_LIST,
  WKST: /^(MO|TU|WE|TH|FR|SA|SU)$/,
};

/** Why an RRULE value is unacceptable, or null when it is fine. */
export function rruleProblem(value: string): string | null {
  const text = value.trim().replace(/^RRULE:/i, '');
  if (!text) return 'must not be empty';
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    const [key, val, ...rest] = part.split('=');
    const k = (key ?? '').toUpperCase();
    if (!k || val === undefined || rest.length) return `"${part}" is not KEY=VALUE`;
    if (!(k in PARTS)) return `unknown part ${k}`;
    if (seen.has(k)) return `${k} appears twice`;
    seen.add(k);
    if (!PARTS[k].test(val.toUpperCase())) return `${k}=${val} is not a valid value`;
    if (k === 'UNTIL' && !untilInstant(val, calendarZone()).isValid) return `UNTIL=${val} is not a real date and time`;
  }
  if (/(^|;)FREQ=(SECONDLY|MINUTELY|HOURLY)(;|$)/i.test(text)) return 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY';
  if (!seen.has('FREQ')) return 'FREQ is required (e.g. FREQ=MONTHLY;BYDAY=3WE)';
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'COUNT and UNTIL must not both be given';
  if (text.toUpperCase().match(/BYMONTH=([\d,]+)/)?.[1].split(',').some((m) => +m < 1 || +m > 12)) return 'BYMONTH values must be 1-12';
  try {
    RRule.parseString(text.toUpperCase());
  } catch (err) {
    return (err as Error).message;
  }
  return null;
}

const toDT = (v: string | Date) => (v instanceof Date ? DateTime.fromJSDate(v) : DateTime.fromISO(v, { setZone: true }));
const iso = (dt: DateTime) => dt.toUTC().toISO()!;

/**
 * An ISO date-time someone wrote (an event's start, an exdate): with an offset it is that
 * instant; without one it is wall time in the calendar zone, never the server's zone.
 */
export function zonedInstant(v: string | Date, zone = calendarZone()): DateTime {
  return v instanceof Date ? DateTime.fromJSDate(v) : DateTime.fromISO(v, { zone, setZone: true });
}

/** An UNTIL value as an instant: "…Z" is UTC; a floating date-time is wall time in the zone; a date is the end of that day there. */
function untilInstant(value: string, zone: string): DateTime {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/i.exec(value);
  if (!m) return DateTime.invalid('not an RFC 5545 date or date-time');
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  const [hour, minute, second] = m[4] ? [m[4], m[5], m[6]].map(Number) : [23, 59, 59];
  return DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: m[7] ? 'UTC' : zone });
}

/**
 * The rule with UNTIL as the UTC instant RFC 5545 requires beside a DTSTART with a TZID (our feeds
 * write one). An UNTIL without "Z" is read in the calendar zone (a date-time as wall time, a date as
 * the end of that day, as node-ical reads imported calendars) so our expansion and iCal clients
 * reading the feed end the series at the same moment. Any other rule text is returned unchanged.
 */
export function utcUntil(rrule: string, zone = calendarZone()): string {
  return rrule.replace(/(^|;|:)UNTIL=(\d{8}(?:T\d{6})?)(?=;|$)/i, (whole, sep: string, value: string) => {
    const at = untilInstant(value, zone);
    return at.isValid ? `${sep}UNTIL=${at.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}` : whole;
  });
}

/** Local wall time in the zone → floating Date (UTC fields = wall clock). */
function floating(dt: DateTime, zone: string): Date {
  const l = dt.setZone(zone);
  return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
}
function unfloat(d: Date, zone: string): DateTime {
  return DateTime.fromObject(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() },
    { zone },
  );
}

/** A list of ISO instants stored in a JSON field (exdates, rdates; offset-less ones as calendar-zone wall time), tolerating null and bad entries. */
export function instantList(value: unknown, zone = calendarZone()): DateTime[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v) => typeof v === 'string' || v instanceof Date)
    .map((v) => zonedInstant(v as string, zone))
    .filter((d) => d.isValid);
}

export function isRecurring(event: RecurringEvent): boolean {
  return Boolean(event.rrule && event.rrule.trim());
}

/** The rrule object in floating time for an event (UNTIL converted to local wall time). */
export function ruleOf(event: RecurringEvent, zone = calendarZone()): RRule {
  const text = utcUntil(event.rrule!.trim().replace(/^RRULE:/i, '').toUpperCase(), zone);
  const opts: Partial<Options> = RRule.parseString(text);
  if (opts.until) {
    // UNTIL is now a UTC instant (RFC 5545 with a TZID'd DTSTART): compare in local wall time.
    opts.until = floating(DateTime.fromJSDate(opts.until), zone);
  }
  return new RRule({ ...opts, dtstart: floating(toDT(event.start), zone), tzid: undefined });
}

/** Milliseconds of an instant (plain Date parsing: luxon's costs ~0.1 ms a call, and seat and mail code call this per registration). */
const millis = (v: string | Date) => (v instanceof Date ? v.getTime() : Date.parse(v));

function durationMs(event: RecurringEvent): number {
  if (!event.end) return 0;
  return Math.max(0, millis(event.end) - millis(event.start)) || 0;
}

/** Original starts (rule + rdates − exdates) within [from, to] (instants, inclusive). */
function originalStarts(event: RecurringEvent, from: DateTime, to: DateTime, zone: string): DateTime[] {
  const start = toDT(event.start);
  let starts: DateTime[];
  if (!isRecurring(event)) {
    starts = [start];
  } else {
    const rule = ruleOf(event, zone);
    // floating time is monotone with instants except around DST shifts: widen, then filter
    const a = new Date(floating(from, zone).getTime() - 86400000);
    const b = new Date(floating(to, zone).getTime() + 86400000);
    starts = rule.between(a, b, true, (_d, i) => i < MAX_OCCURRENCES).map((d) => unfloat(d, zone));
    for (const r of instantList(event.rdates, zone)) starts.push(r);
  }
  const ex = new Set(instantList(event.exdates, zone).map((d) => d.toMillis()));
  const seen = new Set<number>();
  return starts
    .filter((d) => d.toMillis() >= from.toMillis() && d.toMillis() <= to.toMillis())
    .filter((d) => !ex.has(d.toMillis()))
    .filter((d) => (seen.has(d.toMillis()) ? false : (seen.add(d.toMillis()), true)))
    .sort((x, y) => x.toMillis() - y.toMillis());
}

function isOriginal(event: RecurringEvent, at: DateTime, zone: string): boolean {
  return originalStarts(event, at, at, zone).some((d) => d.toMillis() === at.toMillis());
}

/**
 * Occurrences overlapping [from, to) — moved ones at their new time, cancelled ones
 * flagged (callers that show a calendar drop them), sorted by start.
 */
export function expand(event: RecurringEvent, fromIso: string | Date, toIso: string | Date, zone = calendarZone()): Occurrence[] {
  const from = toDT(fromIso);
  const to = toDT(toIso);
  const dur = durationMs(event);
  const changes = new Map<number, OccurrenceChange>();
  for (const c of event.occurrenceChanges ?? []) {
    const at = c?.occurrence ? toDT(c.occurrence) : null;
    if (at?.isValid) changes.set(at.toMillis(), c);
  }
  // originals that could overlap the range, plus moved ones whose original lies outside it
  const originals = originalStarts(event, from.minus(dur), to, zone);
  const have = new Set(originals.map((d) => d.toMillis()));
  for (const [ms, c] of changes) {
    if (have.has(ms) || !c.start) continue;
    const at = DateTime.fromMillis(ms);
    if (isOriginal(event, at, zone)) {
      originals.push(at);
      have.add(ms);
    }
  }
  const out: Occurrence[] = [];
  for (const orig of originals) {
    const c = changes.get(orig.toMillis());
    let s = orig;
    let e = orig.plus(dur);
    let moved = false;
    if (c && !c.cancelled && c.start) {
      s = toDT(c.start);
      e = c.end ? toDT(c.end) : s.plus(dur);
      moved = s.toMillis() !== orig.toMillis() || e.toMillis() !== orig.plus(dur).toMillis();
    }
    const overlaps = dur === 0 && e.toMillis() === s.toMillis() ? s >= from && s < to : s < to && e > from;
    if (!overlaps) continue;
    const occ: Occurrence = { start: iso(s), end: iso(e), originalStart: iso(orig) };
    if (event.cancelled || c?.cancelled) occ.cancelled = true;
    if (moved) occ.moved = true;
    if (c?.note) occ.note = c.note;
    out.push(occ);
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

/** The occurrence of an event whose original (or moved) start is this instant, if any. */
export function findOccurrence(event: RecurringEvent, when: string | Date, zone = calendarZone()): Occurrence | null {
  const at = toDT(when);
  if (!at.isValid) return null;
  const ms = at.toMillis();
  if (isOriginal(event, at, zone)) {
    const c = (event.occurrenceChanges ?? []).find((x) => x?.occurrence && toDT(x.occurrence).toMillis() === ms);
    const dur = durationMs(event);
    const s = c?.start && !c.cancelled ? toDT(c.start) : at;
    const e = c?.start && !c.cancelled ? (c.end ? toDT(c.end) : s.plus(dur)) : at.plus(dur);
    const occ: Occurrence = { start: iso(s), end: iso(e), originalStart: iso(at) };
    if (event.cancelled || c?.cancelled) occ.cancelled = true;
    if (s.toMillis() !== ms) occ.moved = true;
    return occ;
  }
  // a moved occurrence asked for by its new start
  for (const c of event.occurrenceChanges ?? []) {
    if (c?.start && !c.cancelled && toDT(c.start).toMillis() === ms && c.occurrence) {
      const orig = toDT(c.occurrence);
      if (isOriginal(event, orig, zone)) return findOccurrence(event, orig.toJSDate(), zone);
    }
  }
  return null;
}

/**
 * When the occurrence a registration names (by its original start) takes place now: a single event
 * at its current start (it may have been rescheduled since), a date of a series where its occurrence
 * changes put it. Null when the series no longer has that date.
 */
export function currentTimes(event: RecurringEvent, occurrence: string | Date, zone = calendarZone()): Occurrence | null {
  if (isRecurring(event)) return findOccurrence(event, occurrence, zone);
  const original = millis(occurrence);
  const s = millis(event.start);
  if (Number.isNaN(s) || Number.isNaN(original)) return null;
  const at = (ms: number) => new Date(ms).toISOString();
  const occ: Occurrence = { start: at(s), end: at(s + durationMs(event)), originalStart: at(original) };
  if (event.cancelled) occ.cancelled = true;
  if (s !== original) occ.moved = true;
  return occ;
}

/**
 * The date a registration stored under `occurrence` belongs to after staff changed the event's schedule, by its
 * original start: a single event has one date, its current start; a date a series no longer has goes to the
 * series' date on the same calendar day in the zone (the nearest in time when there are several). Null when
 * `occurrence` is still a date of the event, or no date of the series falls on that day.
 */
export function rescheduledOccurrence(event: RecurringEvent, occurrence: string | Date, zone = calendarZone()): string | null {
  const at = toDT(occurrence);
  if (!at.isValid) return null;
  if (!isRecurring(event)) {
    const start = toDT(event.start);
    return start.isValid && start.toMillis() !== at.toMillis() ? iso(start) : null;
  }
  if (isOriginal(event, at, zone)) return null;
  const day = at.setZone(zone);
  const sameDay = originalStarts(event, day.startOf('day'), day.endOf('day'), zone);
  if (!sameDay.length) return null;
  const distance = (d: DateTime) => Math.abs(d.toMillis() - at.toMillis());
  return iso(sameDay.reduce((best, d) => (distance(d) < distance(best) ? d : best)));
}

/** When the date a registration names starts now (moved or not); its stored start when the event no longer has it. */
export function startOf(event: RecurringEvent, occurrence: string | Date, zone = calendarZone()): string {
  return currentTimes(event, occurrence, zone)?.start ?? new Date(occurrence).toISOString();
}

export function isOccurrence(event: RecurringEvent, when: string | Date, zone = calendarZone()): boolean {
  const occ = findOccurrence(event, when, zone);
  return Boolean(occ && !occ.cancelled);
}
