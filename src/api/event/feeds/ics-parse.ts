import { DateTime } from 'luxon';
// node-ical ships CommonJS without bundled types for sync parsing we rely on
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeIcal = require('node-ical');
import { calendarZone, rruleProblem, utcUntil } from '../recurrence/rule';
import { YEAR_MAX, YEAR_MIN, inDateWindow } from '../../../utils/input-limits';
import eventSchema from '../content-types/event/schema.json';

/**
 * Reads an external ICS calendar (node-ical) into event data of our model: one item
 * per UID, a series keeping its RRULE and EXDATEs, and its RECURRENCE-ID overrides
 * turned into occurrence changes (moved, or cancelled).
 */
export interface ImportedEvent {
  uid: string;
  title: string;
  description: string | null;
  location: string | null;
  url: string | null;
  start: string;
  end: string | null;
  allDay: boolean;
  rrule: string | null;
  exdates: string[] | null;
  occurrenceChanges: { occurrence: string; cancelled: boolean; start: string | null; end: string | null; note: string | null }[];
  cancelled: boolean;
}

export interface ParseResult {
  events: ImportedEvent[];
  skipped: { uid: string | null; reason: string }[];
}

const textOf = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object' && 'val' in (v as object)) return textOf((v as { val: unknown }).val);
  // a stray NUL in a feed's text is dropped (no database stores it as text) rather than failing the group's import
  const s = String(v).split('\u0000').join('').trim();
  return s || null;
};

/**
 * A node-ical date: date-only values become midnight in the calendar zone. Null when it is no
 * date (node-ical keeps an unreadable DTSTART or DTEND as its text) or lies outside the years
 * the platform stores.
 */
function instant(d: unknown, dateOnly: boolean, zone: string): string | null {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) return null;
  let iso: string | null;
  if (dateOnly || (d as Date & { dateOnly?: boolean }).dateOnly) {
    // node-ical builds all-day dates at local midnight of the server: keep the calendar day
    const day = DateTime.fromJSDate(d);
    iso = DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone }).toUTC().toISO();
  } else {
    iso = DateTime.fromJSDate(d).toUTC().toISO();
  }
  return iso && inDateWindow(iso) ? iso : null;
}

const unreadable = (property: string, value: unknown) =>
  `${property} ${JSON.stringify(value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : String((value as { val?: unknown })?.val ?? value))} is not a date or date-time between the years ${YEAR_MIN} and ${YEAR_MAX}`;

const RRULE_MAX = (eventSchema.attributes.rrule as { maxLength: number }).maxLength;
const ICS_DATE = /^\d{8}(T\d{6}Z?)?$/i;
const PROPERTY = /^([A-Za-z-]+)((?:;[^=;:]+=(?:"[^"]*"|[^;:"]*))*):(.*)$/;

/**
 * node-ical drops an EXDATE or RECURRENCE-ID it cannot read (with a console warning): the date
 * would silently come back, or a moved date show at its old time. Read from the text: the UIDs
 * holding one, with the reason.
 */
function unreadableDates(text: string): Map<string, string> {
  const found = new Map<string, string>();
  let uid: string | null = null;
  let problem: string | null = null;
  let inEvent = false;
  for (const line of text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    if (/^BEGIN:VEVENT\s*$/i.test(line)) {
      inEvent = true;
      uid = null;
      problem = null;
      continue;
    }
    if (!inEvent) continue;
    if (/^END:VEVENT\s*$/i.test(line)) {
      if (uid && problem && !found.has(uid)) found.set(uid, problem);
      inEvent = false;
      continue;
    }
    const m = PROPERTY.exec(line);
    if (!m) continue;
    const name = m[1].toUpperCase();
    if (name === 'UID') uid = m[3].trim();
    if ((name === 'EXDATE' || name === 'RECURRENCE-ID') && !problem) {
      const bad = m[3].split(',').map((v) => v.trim()).find((v) => !ICS_DATE.test(v));
      if (bad !== undefined) problem = unreadable(name, bad);
    }
  }
  return found;
}

function rruleValue(rrule: { toString(): string } | undefined, dateOnly: boolean, zone: string): string | null {
  if (!rrule) return null;
  const line = rrule.toString().split(/\r?\n/).find((l) => l.startsWith('RRULE:'));
  if (!line) return null;
  // node-ical writes an all-day series' UNTIL date as UTC midnight; it names the last calendar day the series includes
  const value = line.slice('RRULE:'.length);
  return utcUntil(dateOnly ? value.replace(/(^|;)UNTIL=(\d{8})T000000Z(?=;|$)/i, '$1UNTIL=$2') : value, zone);
}

export function parseIcs(text: string, zone = calendarZone()): ParseResult {
  // an error page served with 200 must not read as "every event vanished"
  if (!/^\s*BEGIN:VCALENDAR/i.test(text.replace(/^\uFEFF/, ''))) throw new Error('not an iCalendar file (no BEGIN:VCALENDAR)');
  let data: Record<string, any>;
  try {
    data = nodeIcal.sync.parseICS(text);
  } catch (err) {
    throw new Error(`not a readable iCalendar file: ${(err as Error).message}`);
  }
  const events: ImportedEvent[] = [];
  const skipped: ParseResult['skipped'] = [];
  // an entry with a value we cannot store is skipped whole (and kept as it was, if imported before)
  const unreadableIn = unreadableDates(text);
  for (const v of Object.values(data)) {
    if (!v || v.type !== 'VEVENT') continue;
    const uid = textOf(v.uid);
    if (!uid || !v.start) {
      skipped.push({ uid, reason: 'no UID or DTSTART' });
      continue;
    }
    const skip = (reason: string) => skipped.push({ uid, reason });
    if (unreadableIn.has(uid)) {
      skip(unreadableIn.get(uid)!);
      continue;
    }
    const dateOnly = v.datetype === 'date';
    const start = instant(v.start, dateOnly, zone);
    if (!start) {
      skip(unreadable('DTSTART', v.start));
      continue;
    }
    const end = v.end ? instant(v.end, dateOnly, zone) : null;
    if (v.end && !end) {
      skip(unreadable('DTEND', v.end));
      continue;
    }
    const rrule = rruleValue(v.rrule, dateOnly, zone);
    if (rrule && rruleProblem(rrule)) {
      skip(`unsupported RRULE ${rrule}: ${rruleProblem(rrule)}`);
      continue;
    }
    if (rrule && rrule.length > RRULE_MAX) {
      skip(`RRULE is longer than the ${RRULE_MAX} characters an event stores`);
      continue;
    }
    const uniq = (xs: string[]) => [...new Set(xs)].sort();
    const exdateValues: unknown[] = v.exdate ? Object.values(v.exdate) : [];
    const badExdate = exdateValues.find((d) => !instant(d, dateOnly, zone));
    if (badExdate !== undefined) {
      skip(unreadable('EXDATE', badExdate));
      continue;
    }
    const exdates = uniq(exdateValues.map((d) => instant(d, dateOnly, zone)!));
    const changes = new Map<string, ImportedEvent['occurrenceChanges'][number]>();
    let problem: string | null = null;
    for (const r of Object.values((v.recurrences ?? {}) as Record<string, any>)) {
      if (!r?.recurrenceid) continue;
      const occurrence = instant(r.recurrenceid, dateOnly, zone);
      const cancelled = String(r.status ?? '').toUpperCase() === 'CANCELLED';
      const movedStart = cancelled || !r.start ? null : instant(r.start, dateOnly, zone);
      const movedEnd = cancelled || !r.end ? null : instant(r.end, dateOnly, zone);
      if (!occurrence) problem = unreadable('RECURRENCE-ID', r.recurrenceid);
      else if (!cancelled && r.start && !movedStart) problem = unreadable('DTSTART of a moved date', r.start);
      else if (!cancelled && r.end && !movedEnd) problem = unreadable('DTEND of a moved date', r.end);
      if (problem) break;
      changes.set(occurrence!, {
        occurrence: occurrence!,
        cancelled,
        start: movedStart,
        end: movedEnd,
        note: textOf(r.description)?.slice(0, 255) ?? null,
      });
    }
    if (problem) {
      skip(problem);
      continue;
    }
    events.push({
      uid,
      title: (textOf(v.summary) ?? '(untitled)').slice(0, 250),
      description: textOf(v.description),
      location: textOf(v.location),
      url: textOf(v.url),
      start,
      end,
      allDay: dateOnly,
      rrule,
      exdates: exdates.length ? exdates : null,
      occurrenceChanges: [...changes.values()].sort((a, b) => a.occurrence.localeCompare(b.occurrence)),
      cancelled: String(v.status ?? '').toUpperCase() === 'CANCELLED',
    });
  }
  return { events: events.sort((a, b) => a.uid.localeCompare(b.uid)), skipped };
}
