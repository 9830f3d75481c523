import { DateTime } from 'luxon';
// node-ical ships CommonJS without bundled types for sync parsing we rely on
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeIcal = require('node-ical');
import { calendarZone, rruleProblem, utcUntil } from '../recurrence/rule';

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
  const s = String(v).trim();
  return s || null;
};

/** A node-ical date: date-only values become midnight in the calendar zone. */
function instant(d: Date & { dateOnly?: boolean }, dateOnly: boolean, zone: string): string {
  if (dateOnly || d.dateOnly) {
    // node-ical builds all-day dates at local midnight of the server: keep the calendar day
    const day = DateTime.fromJSDate(d);
    return DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone }).toUTC().toISO()!;
  }
  return DateTime.fromJSDate(d).toUTC().toISO()!;
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
  for (const v of Object.values(data)) {
    if (!v || v.type !== 'VEVENT') continue;
    const uid = textOf(v.uid);
    if (!uid || !v.start) {
      skipped.push({ uid, reason: 'no UID or DTSTART' });
      continue;
    }
    const dateOnly = v.datetype === 'date';
    const start = instant(v.start, dateOnly, zone);
    const end = v.end ? instant(v.end, dateOnly, zone) : null;
    const rrule = rruleValue(v.rrule, dateOnly, zone);
    if (rrule && rruleProblem(rrule)) {
      skipped.push({ uid, reason: `unsupported RRULE ${rrule}: ${rruleProblem(rrule)}` });
      continue;
    }
    const uniq = (xs: string[]) => [...new Set(xs)].sort();
    const exdates = v.exdate ? uniq(Object.values(v.exdate as Record<string, Date>).map((d) => instant(d, dateOnly, zone))) : [];
    const changes = new Map<string, ImportedEvent['occurrenceChanges'][number]>();
    for (const r of Object.values((v.recurrences ?? {}) as Record<string, any>)) {
      if (!r?.recurrenceid) continue;
      const occurrence = instant(r.recurrenceid, dateOnly, zone);
      const cancelled = String(r.status ?? '').toUpperCase() === 'CANCELLED';
      changes.set(occurrence, {
        occurrence,
        cancelled,
        start: cancelled || !r.start ? null : instant(r.start, dateOnly, zone),
        end: cancelled || !r.end ? null : instant(r.end, dateOnly, zone),
        note: textOf(r.description)?.slice(0, 255) ?? null,
      });
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
