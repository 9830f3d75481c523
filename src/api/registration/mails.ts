import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type { OutgoingMail } from '../outbox-message/services/outbox';
import { calendarZone, currentTimes, isRecurring, type RecurringEvent } from '../event/recurrence/rule';
import { cancellationDeadline } from './deadlines';

/**
 * Why a registration was cancelled, as stored in its cancellationReason and read by the cancellation email (which says
 * who cancelled, or why a hold went): one spelling for the writers and the reader.
 */
export const CANCELLED = { byRegistrant: 'cancelled by registrant', byStaff: 'cancelled by staff', holdExpired: 'payment hold expired' } as const;

/** The emails a registration change sends (written to the outbox by the capacity module). */
export type MailKind = 'confirmed' | 'pending-payment' | 'waitlisted' | 'promoted' | 'promoted-pending-payment' | 'cancelled' | 'cancelled-for' | 'reminder' | 'event-cancelled' | 'event-moved' | 'moved';

/** The event as mails need it; its recurrence fields and occurrence changes say when a date takes place now. */
export interface MailEvent extends RecurringEvent {
  documentId: string;
  title: string;
  start: string;
  end?: string | null;
  fee?: number | string | null;
  paymentInstructions?: string | null;
  locations?: { key: string; name?: string | null; onlineUrl?: string | null }[] | null;
  cancellationHours?: number | null;
  /** shown without a time, and written to the .ics as a date (as the feeds write it) */
  allDay?: boolean | null;
  /** whom to ask (the event page's contact): a mail that sends the person to the organisers names them */
  contactName?: string | null;
  contactEmail?: string | null;
}

/** "the organisers (Jane Doe, jane@rails.example)": whom a mail sends the person to, with the event's contact when it has one. */
function organisers(event: MailEvent): string {
  const contact = [event.contactName?.trim(), event.contactEmail?.trim()].filter(Boolean).join(', ');
  return contact ? `the organisers (${contact})` : 'the organisers';
}

// Formatting the zone name builds an Intl formatter on every call (0.4 ms of each registration, spent under the
// seat lock, where a burst writes about one date 500 times); the text depends only on zone and instant.
const formatted = new Map<string, string>();

/** "Thursday, January 7, 2027, 1:00 PM CST" in the calendar zone. */
export function localTime(iso: string | Date): string {
  const zone = calendarZone();
  const when = new Date(iso);
  const key = `${zone}|${when.getTime()}`;
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= 2000) formatted.clear();
    text = DateTime.fromJSDate(when).setZone(zone).toFormat('cccc, LLLL d, yyyy, h:mm a ZZZZ');
    formatted.set(key, text);
  }
  return text;
}

/** "Sunday, December 27, 2026": the day of an all-day event in the calendar zone (its midnight would read as a time). */
function localDay(iso: string | Date): string {
  return DateTime.fromJSDate(new Date(iso)).setZone(calendarZone()).toFormat('cccc, LLLL d, yyyy');
}

/** When an occurrence takes place, as a person reads it: a day (and the last day) for an all-day event, else a time. */
function whenText(event: Pick<MailEvent, 'allDay'>, times: { start: Date; end: Date }): string {
  if (!event.allDay) return localTime(times.start);
  const first = localDay(times.start);
  // the end as the last day it covers (an end at midnight closes the day before)
  const last = localDay(new Date(times.end.getTime() - 1));
  return last === first ? first : `${first} to ${last}`;
}

/** An event's own dates as a mail names them (a day, or days, for an all-day event; else its start in the calendar zone). */
export const eventWhenText = (event: { allDay?: boolean | null; start: string | Date; end?: string | Date | null }) =>
  whenText(event, { start: new Date(event.start), end: new Date(event.end ?? event.start) });

/** When the registered occurrence takes place now (moved dates at their new time), falling back to the stored start. */
function whenOf(event: MailEvent, occurrence: string) {
  const now = currentTimes(event, occurrence);
  const start = new Date(now?.start ?? occurrence);
  const end = new Date(now?.end ?? start);
  // an event without an end is written as an hour long
  return { start, end: end > start ? end : new Date(start.getTime() + 3_600_000) };
}

// A burst writes one occurrence's file hundreds of times: kept by everything it is made of (so an edited event
// makes a new one), bounded.
const icsMemo = new Map<string, string>();

/**
 * PUBLISH: the date to put in one's calendar (or the update of it: same UID); CANCEL: the same UID withdrawn, so the
 * entry a confirmation put there goes when the seat does.
 */
export type IcsMethod = 'PUBLISH' | 'CANCEL';

/** The .ics attachment of a mail; the MIME type names the file's METHOD, as iMIP (RFC 6047) requires. */
const icsAttachment = (ics: string, method: IcsMethod) => ({ filename: 'event.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${method}` });

/** The occurrence as a one-event calendar file (luxon DateTimes: see NOTES.md on ical-generator). */
export function occurrenceIcs(event: MailEvent, occurrence: string, locationKey: string | null, method: IcsMethod = 'PUBLISH'): string {
  const key = JSON.stringify([method, calendarZone(), process.env.PUBLIC_URL ?? '', occurrence, locationKey, event.documentId, event.title, event.start, event.end, Boolean(event.allDay),
    event.rrule, event.exdates, event.rdates, event.occurrenceChanges, event.locations?.map((l) => [l.key, l.name, l.onlineUrl])]);
  let ics = icsMemo.get(key);
  if (ics === undefined) {
    if (icsMemo.size >= 500) icsMemo.clear();
    ics = buildOccurrenceIcs(event, occurrence, locationKey, method);
    icsMemo.set(key, ics);
  }
  // stamped when sent, not when first built: a calendar keeps the later of two files of one UID (same SEQUENCE), so a
  // confirmation after a cancellation must not carry the older stamp of a file built before it
  return ics.replace(/^DTSTAMP:.*$/m, `DTSTAMP:${DateTime.utc().toFormat("yyyyLLdd'T'HHmmss'Z'")}`);
}

function buildOccurrenceIcs(event: MailEvent, occurrence: string, locationKey: string | null, method: IcsMethod): string {
  const zone = calendarZone();
  const times = whenOf(event, occurrence);
  let start = DateTime.fromJSDate(times.start).setZone(zone);
  let end = DateTime.fromJSDate(times.end).setZone(zone);
  if (event.allDay) {
    // dates, not times (as the feeds write it): DTEND is the day after the last day
    start = start.startOf('day');
    end = end.minus({ milliseconds: 1 }).startOf('day').plus({ days: 1 });
    if (end <= start) end = start.plus({ days: 1 });
  }
  // the UID names a series' date by its original start, so a moved date keeps its identity; a single event is
  // one date wherever staff move it, named as the personal feed names it (its registrations follow its start)
  const original = DateTime.fromJSDate(new Date(occurrence)).toUTC();
  const uid = isRecurring(event) ? `${event.documentId}-${original.toFormat("yyyyLLdd'T'HHmmss'Z'")}` : event.documentId;
  const location = (event.locations ?? []).find((l) => l.key === locationKey) ?? (event.locations ?? [])[0];
  // zone name null (as the feeds): with a calendar-level zone ical-generator writes DTSTAMP as a floating local time,
  // which RFC 5545 forbids (UTC only); each event names the zone and the VTIMEZONE is still written
  const calendar = ical({
    name: 'Library Learning',
    prodId: '//Library Learning//Registration//EN',
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  calendar.createEvent({
    id: `${uid}@library-learning`,
    start,
    end,
    allDay: Boolean(event.allDay),
    timezone: zone,
    summary: event.title,
    location: location ? [location.name, location.onlineUrl].filter(Boolean).join(' — ') : undefined,
    url: process.env.PUBLIC_URL ? `${process.env.PUBLIC_URL.replace(/\/$/, '')}/events/${event.documentId}` : undefined,
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}

/** " at Meeting room A" / " at Videoconference (https://…)": the location the person chose (L2: registrants pick one), or nothing. */
function placeOf(event: MailEvent, key: string | null | undefined): string {
  const location = key ? (event.locations ?? []).find((l) => l.key === key) : undefined;
  return location ? ` at ${location.name ?? location.key}${location.onlineUrl ? ` (${location.onlineUrl})` : ''}` : '';
}

/**
 * What someone holding a confirmed seat may do if they cannot come, by the cancel route's rule (cancellationDeadline):
 * cancel in My Events until cancelling closes (L2: "no less than 48 hours before an event begins"), after that tell
 * the organisers, since the route answers 409. A seat given or reminded of once cancelling has closed must not ask
 * for a cancellation the person cannot make.
 */
function cancelNote(event: MailEvent, occurrence: string, now: Date): string {
  const { hours, at } = cancellationDeadline(event, occurrence);
  if (now.getTime() <= at.getTime()) return ` If you cannot come, please cancel in My Events by ${localTime(at)} (${hours} hours before the start), so someone on the waitlist can have your seat.`;
  return ` Cancelling online closed ${hours} hours before the start: if you cannot come, please tell ${organisers(event)} so the seat can go to someone else.`;
}

/** Dollars as the calendar prints them ($40.00). */
const dollars = (amount: number) => `$${amount.toFixed(2)}`;

/**
 * What a person whose registration ended without their asking learns of its fee: a seat they paid for (checkout
 * verified the payment) is money to ask the organisers about; a seat only held for payment is owed nothing.
 */
function feeAfterCancellation(event: MailEvent, reg: { status?: string; feeCharged?: number | string | null; paymentVerified?: boolean | null }): string {
  const amount = Number(reg.feeCharged ?? 0);
  if (!(amount > 0)) return '';
  if (reg.status === 'pending-payment') return ` Do not pay the ${dollars(amount)} registration fee: nothing is owed.`;
  if (reg.status === 'confirmed' && reg.paymentVerified) return ` About the ${dollars(amount)} registration fee you paid, please contact ${organisers(event)}.`;
  return '';
}

/**
 * What a paid registration owes and how to pay it (L2: after checkout, "a confirmation will be emailed to you. Pay the
 * registration fee as instructed"); empty for a free one.
 */
function feeDue(event: MailEvent, fee: number | string | null | undefined): string {
  const amount = Number(fee ?? 0);
  if (!(amount > 0)) return '';
  const how = event.paymentInstructions?.trim();
  // staff's words end a sentence, or the next one of the mail runs on from them ("...a check The event is attached");
  // a closing bracket or quote ends one only after a full stop ("(payable to RAILS)" does not, "(see below.)" does)
  return ` Registration fee: ${dollars(amount)}. ${how ? `Pay it as instructed: ${how}${/[.!?]["'”’)\]]*$/.test(how) ? '' : '.'}` : 'The organisers will tell you how to pay it.'}`;
}

export function registrationMail(
  kind: MailKind,
  to: string,
  event: MailEvent,
  reg: {
    occurrence: string;
    location?: string | null;
    status?: string;
    waitlistPosition?: number | null;
    holdExpiresAt?: string | Date | null;
    /** the fee this registration owes (set when its seat was taken): its confirmation says what to pay and how */
    feeCharged?: number | string | null;
    /** checkout confirmed the fee was paid: a cancellation by the organisers tells the person whom to ask about it */
    paymentVerified?: boolean | null;
    /** event-moved: when the date was to take place */
    previousStart?: string;
    /** event-moved, moved: the date (original start) the registration was for before the edit */
    previousOccurrence?: string;
    /** moved, event-moved: the status before staff changed the registration (or the date: a merge of two dates may leave no seat) */
    previousStatus?: string;
    /** cancelled: why (as release() records it); `status` is the one before the cancellation */
    cancellationReason?: string | null;
    /** cancelled-for: the name of the person whose registration the recipient cancelled */
    personName?: string;
    /** cancelled: the name of who cancelled it, when someone else did for the person (a director who registered them) */
    cancelledBy?: string;
  },
  /** when the mail is written (the reminder job's run): whether cancelling is still open is judged then */
  now: Date = new Date(),
): OutgoingMail {
  const when = whenText(event, whenOf(event, reg.occurrence));
  const what = `${event.title} (${when})`;
  const at = placeOf(event, reg.location);
  const ics = () => [icsAttachment(occurrenceIcs(event, reg.occurrence, reg.location ?? null), 'PUBLISH')];
  // a seat's confirmation put the date in the person's calendar: its end takes it out (same UID)
  const cancelEntry = (occurrence: string) => icsAttachment(occurrenceIcs(event, occurrence, reg.location ?? null, 'CANCEL'), 'CANCEL');
  const withdrawn = () => [cancelEntry(reg.occurrence)];
  // the entry of a date the registration left (another date of a series): withdrawn beside the new date's file
  const previousDate = (occurrence: string) => [{ ...cancelEntry(occurrence), filename: 'previous-date.ics' }];
  switch (kind) {
    case 'confirmed':
      return { to, subject: `Registration confirmed: ${event.title}`, text: `You are registered for ${what}${at}.${feeDue(event, reg.feeCharged)} The event is attached as a calendar file.${cancelNote(event, reg.occurrence, now)}`, attachments: ics() };
    case 'promoted':
      return {
        to,
        subject: `A seat opened up: ${event.title}`,
        text: `Good news: a seat became available and you are now registered for ${what}${at}. The event is attached as a calendar file.${cancelNote(event, reg.occurrence, now)}`,
        attachments: ics(),
      };
    case 'pending-payment':
      return {
        to,
        subject: `Payment needed: ${event.title}`,
        text: `A seat for ${what}${at} is held for you until ${reg.holdExpiresAt ? localTime(reg.holdExpiresAt) : 'the hold expires'}: check out to confirm it.${feeDue(event, reg.feeCharged ?? event.fee)}`,
      };
    case 'promoted-pending-payment':
      // given a freed seat from the waitlist, held for a fee: they were not at the screen, so the mail says what happened,
      // until when the seat waits for them (holdExpiresAt, capacity.holdUntil) and what happens after
      return {
        to,
        subject: `Payment needed: ${event.title}`,
        text: `Good news: a seat became available for ${what}${at}, and it is held for you until ${reg.holdExpiresAt ? localTime(reg.holdExpiresAt) : 'the hold expires'}. Check out by then to confirm it; after that the seat is released and you are not registered.${feeDue(event, reg.feeCharged ?? event.fee)}`,
      };
    case 'waitlisted':
      return { to, subject: `Waitlisted: ${event.title}`, text: `${event.title} is full. You are number ${reg.waitlistPosition} on the waitlist for ${when}${at}; we will email you if a seat opens up.` };
    case 'cancelled': {
      const subject = `Registration cancelled: ${event.title}`;
      // the person did not do it: say who did (they may have someone to ask why)
      const by = reg.cancellationReason === CANCELLED.byStaff ? ' by the organisers' : reg.cancelledBy ? ` by ${reg.cancelledBy}` : '';
      if (reg.status === 'waitlisted') return { to, subject, text: `Your place on the waitlist for ${what} has been cancelled${by}.` };
      // what becomes of the fee when the organisers ended it (a held seat's: nothing is owed)
      const fee = reg.cancellationReason === CANCELLED.byStaff ? feeAfterCancellation(event, reg) : '';
      // a seat held for a fee is no registration until checkout (L2): say so, and why it went when the hold ran out
      if (reg.status === 'pending-payment') {
        const why = reg.cancellationReason === CANCELLED.holdExpired ? ': checkout (payment verified) was not completed before the hold expired' : by;
        // let go on purpose by the organisers: no invitation to register again as after a lapse, but whom to ask
        const next = reg.cancellationReason === CANCELLED.byStaff ? `. If you have questions, please contact ${organisers(event)}.` : '; register again while seats remain.';
        return { to, subject, text: `The seat held for you for ${what} has been released${why}. You are not registered${next}${fee}` };
      }
      return { to, subject, text: `Your registration for ${what} has been cancelled${by}.${fee}`, attachments: withdrawn() };
    }
    case 'cancelled-for': {
      // the copy for whoever cancelled on the person's behalf (a director who registered a colleague): L2's
      // "confirmation will also be emailed to you"
      const whose = reg.personName || 'your colleague';
      const cancelledItem = reg.status === 'waitlisted' ? `${whose}'s place on the waitlist for ${what}` : `the registration of ${whose} for ${what}`;
      return { to, subject: `Registration cancelled: ${event.title}`, text: `As you asked, ${cancelledItem} has been cancelled. ${whose} has been emailed as well.` };
    }
    case 'event-cancelled':
      return {
        to,
        subject: `Cancelled: ${event.title}`,
        text: `${what} has been cancelled by its organisers, and your ${reg.status === 'waitlisted' ? 'place on the waitlist' : 'registration'} with it.${feeAfterCancellation(event, reg)} We are sorry for the inconvenience.`,
        ...(reg.status === 'confirmed' ? { attachments: withdrawn() } : {}),
      };
    case 'event-moved': {
      // only a confirmed seat is in the person's calendar (its confirmation's file): the waitlist and an unpaid hold
      // are no registration (L2), and a file would put a date there as if they were coming
      const seated = reg.status === 'confirmed';
      // two dates of a series became one and it was full: the seat (confirmed or held) this person had is gone, and
      // they wait at the end of its line (capacity.moveRegistrations leaves telling them to this one mail)
      const lostSeat = reg.status === 'waitlisted' && (reg.previousStatus === 'confirmed' || reg.previousStatus === 'pending-payment');
      // a series' date given another start (a new rule) is another date, named in the file's UID by its start: the
      // entry the earlier file made is withdrawn beside the new one, or the person's calendar shows both times; a
      // confirmed seat lost in a merge has its entry withdrawn alone
      const entry = reg.previousOccurrence ?? reg.occurrence;
      const replaced = seated && reg.previousOccurrence && isRecurring(event) && new Date(reg.previousOccurrence).getTime() !== new Date(reg.occurrence).getTime();
      const withdrawsSeat = lostSeat && reg.previousStatus === 'confirmed';
      const previous = replaced || withdrawsSeat ? previousDate(entry) : [];
      const stands =
        lostSeat
          ? `It now has the people of two dates and is full: ${reg.previousStatus === 'confirmed' ? 'your seat is' : 'the seat held for you is'} no longer held for you. You are now number ${reg.waitlistPosition} on the waitlist${at}; we will email you if a seat opens up. If you can no longer come, please cancel so the next person in line moves up.${withdrawsSeat ? ' The calendar entry of your seat is withdrawn (attached).' : ''}`
        : reg.status === 'waitlisted' ? `Your place on the waitlist (number ${reg.waitlistPosition}) stands; we will email you if a seat opens up. If you can no longer come, please cancel so the next person in line moves up.`
        : reg.status === 'pending-payment' ? `The seat held for you stands${reg.holdExpiresAt ? ` until ${localTime(reg.holdExpiresAt)}` : ''}: check out to confirm it.`
        : `Your registration stands; the updated event is attached as a calendar file.${cancelNote(event, reg.occurrence, now)}`;
      return {
        to,
        subject: `New date or time${lostSeat ? ', now on the waitlist' : ''}: ${event.title}`,
        text: `${event.title}, planned for ${reg.previousStart ? (event.allDay ? localDay(reg.previousStart) : localTime(reg.previousStart)) : 'another time'}, now takes place ${when}. ${stands}`,
        ...(seated ? { attachments: [...ics(), ...previous] } : previous.length ? { attachments: previous } : {}),
      };
    }
    case 'moved': {
      // staff moved the registration to another location or date of the event, or from its seat to the waitlist; one
      // mail says where the person ends up (a seat given from the line where they were moved included: capacity.settlePlace)
      const subject = `Registration changed: ${event.title}`;
      // moved to another date of a series: the date left is named
      const otherDate = Boolean(reg.previousOccurrence) && new Date(reg.previousOccurrence!).getTime() !== new Date(reg.occurrence).getTime();
      const from = otherDate ? ` from ${whenText(event, whenOf(event, reg.previousOccurrence!))}` : '';
      // only a confirmed seat goes in the calendar (as a moved date's file: event-moved); a seat held for payment or a
      // waitlist place is no registration (L2). The entry a confirmed seat's file put there (its own UID) is withdrawn
      // when the person leaves its date or the seat; a hold or a place in line never had one, so nothing is withdrawn.
      const seated = reg.status === 'confirmed';
      const hadEntry = reg.previousStatus === 'confirmed';
      const oldEntry = otherDate ? previousDate(reg.previousOccurrence!) : withdrawn();
      const attachments = [...(seated ? ics() : []), ...(hadEntry && (otherDate || !seated) ? oldEntry : [])];
      const files = attachments.length ? { attachments } : {};
      const hadSeat = reg.previousStatus === 'confirmed' || reg.previousStatus === 'pending-payment';
      if (reg.status !== 'waitlisted') {
        const until = reg.holdExpiresAt ? localTime(reg.holdExpiresAt) : 'the hold expires';
        // a seat kept where it went, or (sent to a line that had room) given there at once
        const moved = hadSeat && reg.previousStatus === reg.status
          ? `The organisers moved ${seated ? 'your seat' : 'the seat held for you'}${from}: it is now for ${what}${at}.`
          : `The organisers moved you${from} to ${what}${at}, and a seat was free there${seated ? ': you are now registered.' : '.'}`;
        const text = seated
          ? `${moved} The updated event is attached as a calendar file.${hadSeat ? '' : cancelNote(event, reg.occurrence, now)}`
          : `${moved} It is held for you until ${until}: check out by then to confirm it; after that the seat is released and you are not registered.${feeDue(event, reg.feeCharged ?? event.fee)}`;
        return { to, subject, text, ...files };
      }
      // someone who held a seat (confirmed, or held for payment) must learn it is no longer theirs
      return hadSeat
        ? {
            to,
            subject,
            text: `The organisers have put you on the waitlist: your seat${from} is no longer held for you. You are now number ${reg.waitlistPosition} on the waitlist for ${what}${at}. We will email you if a seat opens up.`,
            ...files,
          }
        : { to, subject, text: `The organisers moved your place on the waitlist: you are now number ${reg.waitlistPosition} on the waitlist for ${what}${at}. We will email you if a seat opens up.` };
    }
    case 'reminder':
      return {
        to,
        subject: `Reminder: ${event.title}`,
        // the place as the confirmation gave it, its meeting link included: the day before is when people look for it
        text: `This is a reminder that you are registered for ${what}${at}. The event is attached as a calendar file.${cancelNote(event, reg.occurrence, now)}`,
        attachments: ics(),
      };
  }
}

/** The sentence that tells a person who registered them, when someone else did (a director registering colleagues). */
export const registeredByText = (name: string) => ` ${name.trim() || 'A colleague'} registered you.`;

/** A registration mail with a sentence added at the end of its text (`after` of a waitlist mail, whose text is split around the place). */
export function withNote<T extends { text?: string } | { after: string }>(mail: T, note: string): T {
  if (!note) return mail;
  return 'after' in mail ? { ...mail, after: mail.after + note } : { ...mail, text: `${(mail as { text?: string }).text ?? ''}${note}` };
}

/**
 * The waitlist email before the place is known: its text split around the position, which the seat
 * statements fill in under the lock (src/api/registration/seat-writer.ts). Same wording as registrationMail.
 */
export function waitlistMailText(to: string, event: MailEvent, reg: { occurrence: string; location?: string | null }) {
  const mark = `\u0001${Math.random().toString(36).slice(2)}\u0001`;
  const mail = registrationMail('waitlisted', to, event, { ...reg, waitlistPosition: mark as never });
  const [before, after, ...rest] = mail.text.split(mark);
  if (after === undefined || rest.length) throw new Error('waitlist mail: the position must appear once in its text');
  return { to, subject: mail.subject, before, after };
}
