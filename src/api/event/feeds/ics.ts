import crypto from 'crypto';
import { DateTime } from 'luxon';
import icalGenerator, { ICalCalendarMethod, ICalEventBusyStatus, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { calendarZone, instantList, isRecurring, utcUntil, type RecurringEvent } from '../recurrence/rule';

/**
 * Builds RFC 5545 calendars from events. Series are written once, with RRULE /
 * EXDATE / RDATE; a moved occurrence is an override VEVENT with RECURRENCE-ID, a
 * cancelled one an EXDATE. ical-generator gets luxon DateTimes in the calendar zone
 * (given plain Dates it writes UTC clock times under the zone label: see NOTES.md).
 */

export interface FeedEvent extends RecurringEvent {
  documentId: string;
  /** UID stem when it is not the documentId (one occurrence written alone) */
  uid?: string;
  /** not certain to take place for the reader (a personal feed's waitlisted registration): STATUS:TENTATIVE */
  tentative?: boolean;
  title: string;
  slug?: string | null;
  summary?: string | null;
  description?: string | null;
  allDay?: boolean | null;
  audience?: string | null;
  updatedAt?: string | Date | null;
  publishedAt?: string | Date | null;
  createdAt?: string | Date | null;
  locations?: { name?: string | null; onlineUrl?: string | null }[] | null;
  occurrenceChanges?: { occurrence: string | Date; cancelled?: boolean | null; start?: string | Date | null; end?: string | Date | null; note?: string | null }[] | null;
}

export interface BuiltFeed {
  /** the calendar as UTF-8, encoded once: a state's year is megabytes, which Node would otherwise encode again for every poll */
  body: Buffer;
  etag: string;
  lastModified: Date;
}

export const uidOf = (documentId: string) => `${documentId}@library-learning`;
export const publicUrl = () => (process.env.PUBLIC_URL || 'http://localhost:1337').replace(/\/$/, '');
export const eventUrl = (e: { documentId: string; slug?: string | null }) => `${publicUrl()}/events/${encodeURIComponent(e.slug || e.documentId)}`;

const toDT = (v: string | Date) => (v instanceof Date ? DateTime.fromJSDate(v) : DateTime.fromISO(String(v), { setZone: true }));
const local = (v: string | Date, zone: string) => toDT(v).setZone(zone);
const stamp = (dt: DateTime) => dt.toFormat("yyyyMMdd'T'HHmmss");

/** Markdown/HTML rich text → plain text for DESCRIPTION. */
function plain(text?: string | null): string {
  if (!text) return '';
  return text.replace(/<[^>]+>/g, '').replace(/[*_#`>]/g, '').trim();
}

function locationText(e: FeedEvent): string | null {
  const parts = (e.locations ?? []).map((l) => [l.name, l.onlineUrl].filter(Boolean).join(' – ')).filter(Boolean);
  return parts.length ? parts.join('; ') : null;
}

function lastModifiedOf(e: FeedEvent): DateTime {
  const v = e.updatedAt ?? e.publishedAt ?? e.createdAt;
  return v ? toDT(v).toUTC() : DateTime.fromMillis(0).toUTC();
}

export function buildCalendar(events: FeedEvent[], opts: { name: string; description?: string; zone?: string }): BuiltFeed {
  const zone = opts.zone ?? calendarZone();
  const cal = icalGenerator({
    name: opts.name,
    description: opts.description,
    prodId: { company: 'Library Learning', product: 'calendar', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    // name null: with a calendar-level zone ical-generator writes DTSTAMP/LAST-MODIFIED as
    // floating local times; each event carries the zone instead, and the generator still
    // emits one VTIMEZONE for it.
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  cal.x('X-WR-TIMEZONE', zone);
  let newest = DateTime.fromMillis(0).toUTC();

  for (const e of [...events].sort((a, b) => (a.uid ?? a.documentId).localeCompare(b.uid ?? b.documentId))) {
    const modified = lastModifiedOf(e);
    if (modified > newest) newest = modified;
    const start = local(e.start, zone);
    let end = e.end ? local(e.end, zone) : start;
    // an all-day DTEND is exclusive: a one-day event ends the next day
    if (e.allDay && end.startOf('day') <= start.startOf('day')) end = start.startOf('day').plus({ days: 1 });
    const durMs = end.toMillis() - start.toMillis();
    const common = {
      summary: e.title,
      description: plain(e.summary) || plain(e.description) || undefined,
      location: locationText(e) ?? undefined,
      url: eventUrl(e),
      stamp: modified,
      lastModified: modified,
      timezone: zone,
      ...(e.tentative && !e.cancelled ? { busystatus: ICalEventBusyStatus.TENTATIVE } : {}),
    };
    const status = e.cancelled ? ICalEventStatus.CANCELLED : e.tentative ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED;
    const main = cal.createEvent({
      ...common,
      id: uidOf(e.uid ?? e.documentId),
      start,
      end,
      allDay: Boolean(e.allDay),
      status,
    });
    if (!isRecurring(e)) continue;

    const changes = e.occurrenceChanges ?? [];
    const exdates = [
      ...instantList(e.exdates, zone),
      ...changes.filter((c) => c?.cancelled && c.occurrence).map((c) => toDT(c.occurrence)),
    ].map((d) => d.setZone(zone));
    const rdates = instantList(e.rdates, zone).map((d) => d.setZone(zone));
    const lines = [`RRULE:${utcUntil(e.rrule!.trim().replace(/^RRULE:/i, '').toUpperCase(), zone)}`];
    const uniq = (ds: DateTime[]) => [...new Set(ds.map(stamp))].sort();
    if (exdates.length) lines.push(`EXDATE;TZID=${zone}:${uniq(exdates).join(',')}`);
    if (rdates.length) lines.push(`RDATE;TZID=${zone}:${uniq(rdates).join(',')}`);
    main.repeating(lines.join('\r\n'));

    // moved occurrences: override instances of the same UID
    for (const c of changes) {
      if (!c?.occurrence || c.cancelled || !c.start) continue;
      const s = local(c.start, zone);
      const en = c.end ? local(c.end, zone) : s.plus(durMs);
      cal.createEvent({
        ...common,
        id: uidOf(e.uid ?? e.documentId),
        recurrenceId: local(c.occurrence, zone),
        start: s,
        end: en,
        description: [c.note, common.description].filter(Boolean).join('\n\n') || undefined,
        status,
      });
    }
  }

  const body = Buffer.from(cal.toString(), 'utf8');
  const etag = `"${crypto.createHash('sha1').update(body).digest('base64url')}"`;
  return { body, etag, lastModified: (events.length ? newest : DateTime.utc().startOf('day')).toJSDate() };
}
