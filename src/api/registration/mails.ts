import ical from 'ical-generator';
import { DateTime } from 'luxon';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type { OutgoingMail } from '../outbox-message/services/outbox';

/** The emails a registration change sends (written to the outbox by the capacity module). */
export type MailKind = 'confirmed' | 'pending-payment' | 'waitlisted' | 'promoted' | 'cancelled' | 'reminder';

export interface MailEvent {
  documentId: string;
  title: string;
  start: string;
  end?: string | null;
  fee?: number | string | null;
  paymentInstructions?: string | null;
  locations?: { key: string; name?: string | null; onlineUrl?: string | null }[] | null;
}

export const calendarZone = () => process.env.TZ_CALENDAR || 'America/Chicago';

/** "Thursday, January 7, 2027, 1:00 PM CST" in the calendar zone. */
export const localTime = (iso: string | Date) =>
  DateTime.fromJSDate(new Date(iso)).setZone(calendarZone()).toFormat("cccc, LLLL d, yyyy, h:mm a ZZZZ");

/** The occurrence as a one-event calendar file (luxon DateTimes: see NOTES.md on ical-generator). */
export function occurrenceIcs(event: MailEvent, occurrence: string, locationKey: string | null): string {
  const zone = calendarZone();
  const start = DateTime.fromJSDate(new Date(occurrence)).setZone(zone);
  const duration = event.end ? new Date(event.end).getTime() - new Date(event.start).getTime() : 3_600_000;
  const end = start.plus({ milliseconds: duration > 0 ? duration : 3_600_000 });
  const location = (event.locations ?? []).find((l) => l.key === locationKey) ?? (event.locations ?? [])[0];
  const calendar = ical({ name: 'Library Learning', prodId: '//Library Learning//Registration//EN', timezone: { name: zone, generator: getVtimezoneComponent } });
  calendar.createEvent({
    id: `${event.documentId}-${start.toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'")}@library-learning`,
    start,
    end,
    timezone: zone,
    summary: event.title,
    location: location ? [location.name, location.onlineUrl].filter(Boolean).join(' — ') : undefined,
    url: process.env.PUBLIC_URL ? `${process.env.PUBLIC_URL.replace(/\/$/, '')}/events/${event.documentId}` : undefined,
  });
  return calendar.toString();
}

export function registrationMail(
  kind: MailKind,
  to: string,
  event: MailEvent,
  reg: { occurrence: string; location?: string | null; waitlistPosition?: number | null; holdExpiresAt?: string | Date | null },
): OutgoingMail {
  const when = localTime(reg.occurrence);
  const what = `${event.title} (${when})`;
  const ics = () => [{ filename: 'event.ics', content: occurrenceIcs(event, reg.occurrence, reg.location ?? null), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }];
  switch (kind) {
    case 'confirmed':
      return { to, subject: `Registration confirmed: ${event.title}`, text: `You are registered for ${what}. The event is attached as a calendar file.`, attachments: ics() };
    case 'promoted':
      return { to, subject: `A seat opened up: ${event.title}`, text: `Good news: a seat became available and you are now registered for ${what}. The event is attached as a calendar file.`, attachments: ics() };
    case 'pending-payment':
      return {
        to,
        subject: `Payment needed: ${event.title}`,
        text: `A seat for ${what} is held for you until ${reg.holdExpiresAt ? localTime(reg.holdExpiresAt) : 'the hold expires'}. Fee: $${event.fee}. ${event.paymentInstructions ?? ''}`.trim(),
      };
    case 'waitlisted':
      return { to, subject: `Waitlisted: ${event.title}`, text: `${event.title} is full. You are number ${reg.waitlistPosition} on the waitlist for ${when}; we will email you if a seat opens up.` };
    case 'cancelled':
      return { to, subject: `Registration cancelled: ${event.title}`, text: `Your registration for ${what} has been cancelled.` };
    case 'reminder':
      return {
        to,
        subject: `Reminder: ${event.title}`,
        text: `This is a reminder that you are registered for ${what}.${reg.location ? ` Location: ${(event.locations ?? []).find((l) => l.key === reg.location)?.name ?? reg.location}.` : ''} The event is attached as a calendar file. If you cannot come, please cancel so someone on the waitlist can have your seat.`,
        attachments: ics(),
      };
  }
}
