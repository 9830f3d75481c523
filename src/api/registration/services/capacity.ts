import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { activeKey, eventLockKey, eventOccurrenceKey, occurrenceKey, slotKey } from '../keys';
import { CANCELLED, localTime, registeredByText, registrationMail, waitlistMailText, withNote, type MailEvent, type MailKind } from '../mails';
import { currentTimes, isRecurring, rescheduledOccurrence, startOf } from '../../event/recurrence/rule';
import { AlreadyRegistered, HOLDING, nextInLine, seatIsFree, takeSeats, type OccurrenceSeats, type SeatPlan } from '../seat-writer';
import { lockNames } from '../../../utils/advisory-lock';
import { ConflictError, inputError } from '../../../utils/errors';

const REG = 'api::registration.registration';
export { HOLDING };

export interface SeatEvent extends MailEvent {
  id: number;
  /** the ids of the event's draft and published rows, when the caller already has them */
  rowIds?: number[];
  capacity?: number | null;
  fee?: number | string | null;
  locations?: { key: string; name?: string | null; capacity?: number | null; onlineUrl?: string | null }[] | null;
}

export interface Person {
  id: number;
  documentId: string;
  email: string;
}

/** One person to register, with the private details they gave (only for themselves). */
export interface Seating {
  user: Person;
  emergencyPhone?: string | null;
  specialNeeds?: string | null;
}

export class SeatConflict extends Error {
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConflictError';
  }
}

export const holdMinutes = () => Number(process.env.REGISTRATION_HOLD_MINUTES) || 60;
/**
 * How long a seat is held for payment for someone given it from the waitlist (REGISTRATION_PROMOTION_HOLD_HOURS, 24):
 * they learn of it by email, perhaps hours later, not at the screen as someone registering does. 0 gives them the
 * ordinary hold; unset, empty or not a number: 24.
 */
export const promotionHoldHours = () => {
  const raw = process.env.REGISTRATION_PROMOTION_HOLD_HOURS?.trim();
  const hours = raw ? Number(raw) : NaN;
  return Number.isFinite(hours) && hours >= 0 ? hours : 24;
};
const hasFee = (event: SeatEvent) => Number(event.fee ?? 0) > 0;

/** A person's name as mails to others give it: first and last name, never the email that stands in for a missing one elsewhere. */
export const nameOnly = (u: { firstName?: string | null; lastName?: string | null } | null | undefined) => [u?.firstName, u?.lastName].filter(Boolean).join(' ');

/** What a registration becomes when it ends, for whatever reason: its seat, waitlist place, hold and activeKey freed. */
const cancelledData = (reason: string) => ({ status: 'cancelled', activeKey: null, waitlistPosition: null, holdExpiresAt: null, cancelledAt: new Date(), cancellationReason: reason });

/** The event|occurrence locks the current transaction holds (what lockOccurrences took in it). */
const heldLocks = new AsyncLocalStorage<Set<string>>();

/** How often withRegistrationLock follows a registration that staff keep moving before it gives up (a 409). */
const LOCK_ATTEMPTS = 5;
const MOVED = Symbol('the registration moved to another date');

/**
 * The one module that changes who holds a seat. Every path runs in a database transaction that, on PostgreSQL,
 * first takes transaction-level advisory locks: the event's, shared, then event|occurrence's, so concurrent
 * requests on any number of processes count and take seats one at a time: registering (the seat writer takes
 * them), cancel, checkout, hold expiry and admin edits of a registration (`withRegistrationLock`: the lock of the
 * date the registration is on when the lock is held). Staff edits of an event (`scheduleEdit`) hold the event's
 * lock alone: no seat of any of its dates changes meanwhile, and a registration planned from the event as it was
 * before the edit writes nothing and is made again (seat-writer.ts, EventChanged). On SQLite the single connection
 * makes transactions run one after another. Emails are written to the outbox in the same transaction and
 * delivered after commit.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const outbox = () => strapi.service('api::outbox-message.outbox');
  const q = () => strapi.db.query(REG);

  /** Queues the email about reg to its person (reg.user populated with email, or the address given). */
  async function mail(kind: MailKind, event: SeatEvent, reg: any, to?: string) {
    const email = to ?? reg.user?.email;
    if (!email) return;
    await outbox().enqueue(registrationMail(kind, email, event, reg));
  }

  /** " Dana Aspen registered you." for the mail of a person someone else registered (their name, never their email). */
  async function registeredByNote(userId: number): Promise<string> {
    return registeredByText(await nameOf(userId));
  }

  /** A person's name as mails to others give it (nameOnly), read by id. */
  async function nameOf(userId: number): Promise<string> {
    return nameOnly(await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId }, select: ['firstName', 'lastName'] }));
  }

  /** A document-service relation to a draft-and-publish event links both its draft and published rows; so do we. */
  const eventRowIds = async (event: SeatEvent) =>
    event.rowIds ?? (await strapi.db.query('api::event.event').findMany({ where: { documentId: event.documentId }, select: ['id'] })).map((r: { id: number }) => r.id);

  /** The seats of an occurrence as the capacity rule (seat-writer.ts) reads them: the event's, and each location's (an event without locations has one slot). */
  const occurrenceSeats = (event: SeatEvent, occurrence: string): OccurrenceSeats => {
    const locations = (event.locations ?? []).length ? (event.locations ?? []) : [{ key: '', capacity: null }];
    return {
      eventDocumentId: event.documentId,
      occurrencePrefix: `${eventOccurrenceKey(event.documentId, occurrence)}|`,
      capacity: event.capacity ?? null,
      slots: locations.map((l) => ({ key: slotKey({ eventDocumentId: event.documentId, occurrence, location: l.key }), capacity: l.capacity ?? null })),
    };
  };
  const seatSpec = (event: SeatEvent, occurrence: string, location: string) => ({
    ...occurrenceSeats(event, occurrence),
    slot: slotKey({ eventDocumentId: event.documentId, occurrence, location }),
  });
  const hasFreeSeat = (event: SeatEvent, occurrence: string, location: string, mover?: number) => seatIsFree(strapi, seatSpec(event, occurrence, location), mover);

  /**
   * When a payment hold taken now ends: REGISTRATION_HOLD_MINUTES for someone registering (they are at the screen and
   * can pay at once); for someone given a freed seat from the waitlist (`promotedTo`: the date), time to read the
   * email and act on it, promotionHoldHours, but no later than the date's start (a moved date by its new start): a
   * seat is not worth holding for a meeting under way. The cap is the start, not the cancellation deadline: that
   * deadline binds confirmed seats only (a hold may be let go at any time, cancellationWindow), the waitlist is still
   * promoted up to the start when the hold lapses, and capping there would give someone promoted just before the
   * deadline minutes while someone promoted just after it got the full hours. Never shorter than the ordinary hold:
   * promoted shortly before the start, the person gets what someone registering at that moment gets (as before),
   * not a hold that ends before they could read the email; past the start nobody else could be given the seat anyway.
   */
  function holdUntil(event: SeatEvent, now: Date, promotedTo?: string): Date {
    const ordinary = now.getTime() + holdMinutes() * 60_000;
    if (promotedTo === undefined) return new Date(ordinary);
    const capped = Math.min(now.getTime() + promotionHoldHours() * 3_600_000, new Date(startOf(event, promotedTo)).getTime());
    return new Date(Math.max(ordinary, capped));
  }

  /** What a registration given a seat now becomes: confirmed, or held for payment (`promotedTo`: from the waitlist, see holdUntil). */
  function seatData(event: SeatEvent, now = new Date(), promotedTo?: string) {
    return hasFee(event)
      ? { status: 'pending-payment', holdExpiresAt: holdUntil(event, now, promotedTo), feeCharged: Number(event.fee), confirmedAt: null }
      : { status: 'confirmed', holdExpiresAt: null, confirmedAt: now };
  }

  // A waitlisted row without a place (written by a script) waits behind those with one, on both databases
  // (SQLite sorts NULLs first, PostgreSQL last).
  const waitlistOrder = (a: { waitlistPosition?: number | null; id: number }, b: { waitlistPosition?: number | null; id: number }) =>
    (a.waitlistPosition ?? Infinity) - (b.waitlistPosition ?? Infinity) || a.id - b.id;

  /** The waiting registrations of one date, every location's. */
  const waitingOn = (eventDocumentId: string, occurrence: string | Date) => ({ eventDocumentId, occurrence: new Date(occurrence), status: 'waitlisted' });

  /**
   * Gives free seats of the occurrence to the people next in line, one at a time, by the rule of the seat writer
   * (nextInLine: the date's waitlist in order, passing over people whose location is full), and renumbers the
   * waitlist. The same order whatever freed the seats: a cancellation, an expired hold, raised capacities. Never into
   * a date that has begun (a moved date by its new start): nobody is told a seat opened for a meeting that is under
   * way or over. `quiet`: the registration staff just moved here, whose one mail (where they ended up, a seat given
   * now included) the move writes (settlePlace): not a waitlist notice and then a seat notice.
   */
  async function fillFreeSeats(event: SeatEvent, occurrence: string, quiet?: number): Promise<boolean> {
    if (new Date(startOf(event, occurrence)).getTime() <= Date.now()) return false;
    const seats = occurrenceSeats(event, occurrence);
    let promoted = false;
    for (let id = await nextInLine(strapi, seats); id != null; id = await nextInLine(strapi, seats)) {
      const next = await q().findOne({ where: { id }, populate: { user: { select: ['id', 'email'] } } });
      const data = { ...seatData(event, new Date(), occurrence), waitlistPosition: null };
      await q().update({ where: { id }, data });
      if (id !== quiet) await mail(data.status === 'confirmed' ? 'promoted' : 'promoted-pending-payment', event, { ...next, ...data });
      promoted = true;
    }
    if (promoted) await renumber(event.documentId, occurrence);
    return promoted;
  }

  /** The place after the last person waiting for the date, whatever their location (read under the occurrence lock). */
  async function nextWaitlistPosition(eventDocumentId: string, occurrence: string | Date): Promise<number> {
    const last = await q().findOne({ where: { ...waitingOn(eventDocumentId, occurrence), waitlistPosition: { $notNull: true } }, orderBy: { waitlistPosition: 'desc' }, select: ['waitlistPosition'] });
    return (last?.waitlistPosition ?? 0) + 1;
  }

  /** Takes the locks of these occurrences of one event in the current transaction (lockDates). */
  const lockOccurrences = (trx: unknown, eventDocumentId: string, occurrences: string[]) =>
    lockDates(trx, occurrences.map((occurrence) => ({ eventDocumentId, occurrence })));

  /**
   * Takes the locks of dates (of one event or several) in the current transaction, in the seat writer's order: every
   * event's lock (shared, unless this transaction holds it already) in key order, then every date's in key order. Any
   * number of transactions taking dates this way never wait on each other in a circle.
   */
  async function lockDates(trx: unknown, dates: { eventDocumentId: string; occurrence: string | Date }[]) {
    if (!dates.length) return;
    const held = heldLocks.getStore();
    const events = [...new Set(dates.map((d) => eventLockKey(d.eventDocumentId)))].filter((k) => !held?.has(k));
    await lockNames(strapi, trx, events, { shared: true });
    for (const key of events) held?.add(key);
    const keys = dates.map((d) => eventOccurrenceKey(d.eventDocumentId, d.occurrence));
    await lockNames(strapi, trx, keys);
    for (const key of keys) held?.add(key);
  }

  /** Takes the event's lock in the current transaction: alone (scheduleEdit), or shared with other seat changes. */
  async function lockEvent(trx: unknown, eventDocumentId: string, opts: { shared?: boolean } = {}) {
    await lockNames(strapi, trx, [eventLockKey(eventDocumentId)], opts);
    heldLocks.getStore()?.add(eventLockKey(eventDocumentId));
  }

  /** Runs fn in a transaction that records the locks it takes (those of an enclosing one count too). */
  const lockingTransaction = <T>(fn: (trx: unknown) => Promise<T>): Promise<T> =>
    strapi.db.transaction(({ trx }) => heldLocks.run(new Set(heldLocks.getStore()), () => fn(trx))) as Promise<T>;

  /**
   * Refuses to change the seats of a date whose lock this transaction does not hold: another transaction may be
   * counting them (a registration read before its lock was taken may have been moved to another date meanwhile).
   * A mistake in the code, never the caller's: callers go through withRegistrationLock.
   */
  function assertLocked(eventDocumentId: string, occurrence: string | Date) {
    const key = eventOccurrenceKey(eventDocumentId, occurrence);
    if (!heldLocks.getStore()?.has(key)) throw new Error(`capacity: seats of ${key} changed without holding its lock`);
  }

  /**
   * An event's registration is not switched off (mode none or external) while people hold a seat or wait for one of
   * its upcoming dates: they would keep a registration nothing honours any more, and nobody would tell them. Staff
   * cancel those registrations, or the event (which tells its people), first. Past dates keep theirs (attendance).
   */
  async function assertRegistrationKept(before: SeatEvent & Record<string, any>, after: SeatEvent & Record<string, any>) {
    if (before.registrationMode !== 'platform' || after.registrationMode === 'platform' || after.cancelled) return;
    const open = await upcomingRegistrations(after);
    if (open > 0) {
      throw new ConflictError(
        `This event has ${open} registration(s) for upcoming dates: cancel them, or cancel the event (its people are told), before switching registration to "${after.registrationMode}"`,
        { field: 'registrationMode', registrations: open },
      );
    }
  }

  /**
   * How many registrations (not cancelled) the event has for dates still ahead: people holding or waiting for a seat
   * who expect it to take place. Upcoming by when the date takes place now: a series' date staff moved keeps its
   * original start as its key (a meeting postponed from last week to next is upcoming); a cancelled date's do not count.
   */
  async function upcomingRegistrations(event: SeatEvent): Promise<number> {
    const rows = await q().findMany({ where: { eventDocumentId: event.documentId, status: { $ne: 'cancelled' } }, select: ['occurrence'] });
    const now = Date.now();
    return rows.filter((r: { occurrence: string }) => {
      const times = currentTimes(event, r.occurrence);
      return !times?.cancelled && new Date(times?.start ?? r.occurrence).getTime() >= now;
    }).length;
  }

  /** A registration as the seat rules act on it, with its event's row id and its person. */
  const registrationRow = (id: number) =>
    q().findOne({ where: { id }, populate: { event: { select: ['id'] }, user: { select: ['id', 'documentId', 'email'] } } });

  /** The occurrences of an event that have registrations (of these statuses), in key order. */
  async function occurrencesWith(eventDocumentId: string, status: unknown): Promise<string[]> {
    const rows = await q().findMany({ where: { eventDocumentId, status }, select: ['occurrence'] });
    return [...new Set(rows.map((r: { occurrence: string }) => occurrenceKey(r.occurrence)))].sort();
  }

  /**
   * Moves the registrations of one date of an event to another: staff rescheduled it, and the keys that count
   * seats and keep one registration per person follow the date. Statuses and waitlist places stay as they are.
   * Onto a date that already has registrations (two old dates of a series fall on one new one) the seat rules
   * hold as for newcomers: whoever is registered there already keeps that registration (the moved one is
   * cancelled quietly: the person is still registered), a seat is kept only while one is free, others join the
   * end of the waitlist and are told, here unless the mail of the schedule change tells them (`told`: its
   * registrations, tellScheduleChanges): one mail per person for one edit. Call under the locks of both dates.
   */
  async function moveRegistrations(event: SeatEvent, from: string, to: string, told: Set<number>) {
    const eventDocumentId = event.documentId;
    const rows = await q().findMany({ where: { eventDocumentId, occurrence: new Date(from) }, populate: { user: { select: ['id', 'email'] } } });
    // seats first, then the waitlist in order (sorted here: NULLs sort differently on SQLite and PostgreSQL)
    const rank = (r: any) => (HOLDING.includes(r.status) ? 0 : r.status === 'waitlisted' ? 1 : 2);
    rows.sort((a: any, b: any) => rank(a) - rank(b) || waitlistOrder(a, b));
    const merging = (await q().count({ where: { eventDocumentId, occurrence: new Date(to), status: { $ne: 'cancelled' } } })) > 0;
    for (const r of rows) {
      const slot = slotKey({ eventDocumentId, occurrence: to, location: r.location });
      const data: Record<string, unknown> = { occurrence: new Date(to), slotKey: slot };
      if (r.status !== 'cancelled') {
        data.activeKey = activeKey({ eventDocumentId, occurrence: to, userDocumentId: r.userDocumentId });
        if (merging && (await q().count({ where: { activeKey: data.activeKey } }))) {
          Object.assign(data, cancelledData('already registered for the rescheduled date'));
        } else if (merging && (r.status === 'waitlisted' || !(await hasFreeSeat(event, to, r.location ?? '')))) {
          Object.assign(data, { status: 'waitlisted', waitlistPosition: await nextWaitlistPosition(eventDocumentId, to), holdExpiresAt: null, confirmedAt: null });
          if (r.status !== 'waitlisted' && !told.has(r.id)) await mail('waitlisted', event, { ...r, ...data, occurrence: to });
        }
      }
      await q().update({ where: { id: r.id }, data });
    }
    if (rows.length) await renumber(eventDocumentId, to);
  }

  /** What an edit did to one upcoming date people were registered for (see scheduleChanges): `statuses`, each registration's before the edit. */
  interface DateChange { statuses: Map<number, string>; from: string; to: string; previousStart: string; cancelled: boolean }

  /**
   * The upcoming dates (of those with registrations) that an edit cancelled (the series lost the date, or the
   * event or the date was marked cancelled) or moved, comparing the published event before and after it, with
   * the registrations then active on each. Read before the registrations move (`moved` maps a date to where
   * they go).
   */
  async function scheduleChanges(before: SeatEvent, after: SeatEvent, dates: string[], moved: Map<string, string>): Promise<DateChange[]> {
    const changes: DateChange[] = [];
    for (const from of dates) {
      const was = currentTimes(before, from);
      // only dates people were expecting: upcoming, and on
      if (!was || was.cancelled || new Date(was.start).getTime() <= Date.now()) continue;
      const to = moved.get(from) ?? from;
      const now = currentTimes(after, to);
      const cancelled = !now || Boolean(now.cancelled);
      if (!cancelled && now.start === was.start && now.end === was.end) continue;
      const rows = await q().findMany({ where: { eventDocumentId: after.documentId, occurrence: new Date(from), status: { $in: [...HOLDING, 'waitlisted'] } }, select: ['id', 'status'] });
      if (rows.length) changes.push({ statuses: new Map(rows.map((r: { id: number; status: string }) => [r.id, r.status])), from, to, previousStart: was.start, cancelled });
    }
    return changes;
  }

  /**
   * Tells the people of cancelled and moved dates. A cancelled date's registrations end with it (its seats mean
   * nothing; the roster shows why); a moved date's stand, and the email carries the updated calendar file (same
   * UID: it replaces the entry). Each registration is read as it is now: one ended by a merge of two dates (the
   * person kept the other) is not written to again; one the merge sent from its seat to the waitlist (the date was
   * full) is told so in this one mail, with its place (moveRegistrations leaves it to this mail).
   */
  async function tellScheduleChanges(before: SeatEvent, after: SeatEvent, changes: DateChange[]) {
    for (const change of changes) {
      const rows = await q().findMany({ where: { id: { $in: [...change.statuses.keys()] }, status: { $in: [...HOLDING, 'waitlisted'] } }, populate: { user: { select: ['id', 'email'] } } });
      for (const reg of rows) {
        const previousStatus = change.statuses.get(reg.id);
        if (change.cancelled) {
          await q().update({ where: { id: reg.id }, data: cancelledData('the event was cancelled') });
          // the registration as the person knew it (a seat the move onto the cancelled date took is theirs to lose, with its calendar entry)
          await mail('event-cancelled', before, { ...reg, status: previousStatus ?? reg.status, occurrence: change.from });
        } else {
          await mail('event-moved', after, { ...reg, occurrence: change.to, previousStart: change.previousStart, previousOccurrence: change.from, previousStatus });
        }
      }
    }
  }

  /**
   * Waitlist positions stay 1..n per date, in order of arrival. One line per date, not per location: the order a
   * freed seat follows across locations (first come, first served), so the place people see in My Events and their
   * email never tells them they are first while someone at another location goes before them (it may count people
   * waiting for a full location, who are passed over).
   */
  async function renumber(eventDocumentId: string, occurrence: string | Date) {
    const rows = (await q().findMany({ where: waitingOn(eventDocumentId, occurrence), select: ['id', 'waitlistPosition'] })).sort(waitlistOrder);
    for (const [i, row] of rows.entries()) {
      if (row.waitlistPosition !== i + 1) await q().update({ where: { id: row.id }, data: { waitlistPosition: i + 1 } });
    }
  }

  /** After staff moved or edited a registration at the date: free seats go to its line, numbered 1..n again (`quiet`: fillFreeSeats). */
  async function settleDate(event: SeatEvent, occurrence: string, quiet?: number) {
    if (!(await fillFreeSeats(event, occurrence, quiet))) await renumber(event.documentId, occurrence);
  }

  const service = {
    /**
     * Runs fn in one transaction holding the lock of the date a registration is on, with the registration as it is
     * under the lock (null once deleted); kicks the outbox after commit. The date is read before the lock is taken,
     * and staff may move the registration to another date meanwhile: it is read again under the lock, and when its
     * date changed the transaction is left (nothing written) and the new date's lock taken instead, so nobody
     * changes a date's seats or waitlist without its lock. `alsoLock(reg)`: another date to lock with it (where a
     * staff edit moves it), worked out from the registration as read, and again under the lock (the same rule).
     * Every path acting on one existing registration goes through here: cancel, checkout, hold expiry, staff edits.
     */
    async withRegistrationLock<T>(registrationId: number, fn: (reg: any) => Promise<T>, alsoLock: (reg: any) => Promise<string | Date | null> = async () => null): Promise<T> {
      for (let attempt = 1; attempt <= LOCK_ATTEMPTS; attempt += 1) {
        const seen = await registrationRow(registrationId);
        const extra = seen?.eventDocumentId ? await alsoLock(seen) : null;
        const dates = seen?.eventDocumentId ? [seen.occurrence, ...(extra ? [extra] : [])].map(occurrenceKey) : [];
        const outcome = await lockingTransaction(async (trx) => {
          if (seen?.eventDocumentId) await lockOccurrences(trx, seen.eventDocumentId, dates);
          const reg = await registrationRow(registrationId);
          if (reg && seen?.eventDocumentId) {
            if (reg.eventDocumentId !== seen.eventDocumentId || occurrenceKey(reg.occurrence) !== dates[0]) return MOVED;
            const also = await alsoLock(reg);
            if (also && !dates.includes(occurrenceKey(also))) return MOVED;
          }
          return { value: await fn(reg) };
        });
        if (outcome !== MOVED) {
          outbox().kick();
          return outcome.value;
        }
      }
      throw new ConflictError('This registration is being moved by staff right now: please try again');
    },

    /**
     * withRegistrationLock for several registrations at once (the cart's checkout): fn runs in one transaction holding
     * the locks of every date they are on (taken together by lockDates, whatever events they belong to), with the
     * registrations as they are under the locks (in the order given, null for one deleted). A registration staff
     * moved to another date meanwhile is followed, as withRegistrationLock does. Kicks the outbox after commit.
     */
    async withRegistrationLocks<T>(registrationIds: number[], fn: (regs: any[]) => Promise<T>): Promise<T> {
      const readAll = async () => {
        const rows = [];
        for (const id of registrationIds) rows.push(await registrationRow(id));
        return rows;
      };
      const placeOf = (r: any) => (r?.eventDocumentId ? eventOccurrenceKey(r.eventDocumentId, r.occurrence) : null);
      for (let attempt = 1; attempt <= LOCK_ATTEMPTS; attempt += 1) {
        const seen = await readAll();
        const dates = seen.filter((r) => r?.eventDocumentId).map((r) => ({ eventDocumentId: r.eventDocumentId as string, occurrence: occurrenceKey(r.occurrence) }));
        const outcome = await lockingTransaction(async (trx) => {
          await lockDates(trx, dates);
          const regs = await readAll();
          if (regs.some((reg, i) => reg && placeOf(seen[i]) && placeOf(reg) !== placeOf(seen[i]))) return MOVED;
          return { value: await fn(regs) };
        });
        if (outcome !== MOVED) {
          outbox().kick();
          return outcome.value;
        }
      }
      throw new ConflictError('A registration of this checkout is being moved by staff right now: please try again');
    },

    /**
     * Runs an edit of an event (update, publish) in one transaction with what it means for seats: registrations
     * follow their date when staff reschedule it (a single event's one date wherever its start goes; a future
     * date a series no longer has to its date on the same day, see rescheduledOccurrence), then free seats go
     * to the waitlists. The event's lock is held alone throughout, taken before anything is read: the dates with
     * registrations are read while no seat change of the event is under way (a registration, or a staff move onto
     * a date nobody had registered for, commits before or waits until after). The people of an upcoming date that
     * was cancelled or moved are told (tellScheduleChanges).
     */
    async scheduleEdit<T>(eventDocumentId: string, edit: () => Promise<T>): Promise<T> {
      const active = { $ne: 'cancelled' };
      const result = await lockingTransaction(async (trx) => {
        await lockEvent(trx, eventDocumentId);
        const dates = await occurrencesWith(eventDocumentId, active);
        await lockOccurrences(trx, eventDocumentId, dates);
        const published = () => strapi.service('api::registration.registration').publishedEvent(eventDocumentId) as Promise<SeatEvent | null>;
        const before = dates.length ? await published() : null;
        const out = await edit();
        const event = await published();
        if (!event) return out;
        if (before) await assertRegistrationKept(before, event);
        const moves: [string, string][] = [];
        for (const from of dates) {
          // a series' past dates stay as they were (attendance and hours were recorded there); a single event has one date
          if (isRecurring(event) && new Date(from).getTime() < Date.now()) continue;
          const to = rescheduledOccurrence(event, from);
          if (to) moves.push([from, occurrenceKey(to)]);
        }
        await lockOccurrences(trx, eventDocumentId, moves.map(([, to]) => to));
        const changes = before ? await scheduleChanges(before, event, dates, new Map(moves)) : [];
        const told = new Set(changes.flatMap((c) => [...c.statuses.keys()]));
        for (const [from, to] of moves) await moveRegistrations(event, from, to, told);
        if (before) await tellScheduleChanges(before, event, changes);
        // every date with people waiting: seats may have become free (a raised capacity)
        for (const occurrence of await occurrencesWith(eventDocumentId, 'waitlisted')) await fillFreeSeats(event, occurrence);
        return out;
      });
      outbox().kick();
      return result;
    },

    /**
     * Registers people for one occurrence, in order: each gets a seat while one is free, else the next
     * waitlist place, and is emailed either way. The decision and the writes run in the database in one
     * transaction holding the occurrence lock (seat-writer.ts); a second active registration of a person
     * for the occurrence is refused by the unique activeKey index, with nothing written.
     */
    async register(input: { event: SeatEvent; occurrence: string; location: string | null; registeredBy: Person; people: Seating[] }) {
      const { event, occurrence, registeredBy } = input;
      const location = input.location || null;
      const now = new Date();
      const seat = seatData(event, now);
      const reg = { occurrence: occurrenceKey(occurrence), location };
      const newId = (strapi.db.metadata.get(REG) as any).attributes.documentId.default as () => string;
      // a colleague registered by someone else (a director) is told who did it: a registration they did not make themselves
      const byWhom = input.people.some(({ user }) => user.id !== registeredBy.id) ? await registeredByNote(registeredBy.id) : '';
      const note = (user: Person) => (user.id === registeredBy.id ? '' : byWhom);
      const plan: SeatPlan = {
        ...seatSpec(event, occurrence, location ?? ''),
        lockKey: eventOccurrenceKey(event.documentId, occurrence),
        eventRowIds: await eventRowIds(event),
        publishedRowId: event.id,
        occurrence: new Date(occurrence),
        location,
        seat: seat as SeatPlan['seat'],
        registeredById: registeredBy.id,
        now,
        people: input.people.map(({ user, emergencyPhone, specialNeeds }) => ({
          documentId: newId(),
          outboxDocumentId: newId(),
          userId: user.id,
          userDocumentId: user.documentId,
          activeKey: activeKey({ eventDocumentId: event.documentId, occurrence, userDocumentId: user.documentId }),
          emergencyPhone: emergencyPhone ?? null,
          specialNeeds: specialNeeds ?? null,
          seatMail: user.email ? withNote(registrationMail(seat.status as MailKind, user.email, event, { ...reg, holdExpiresAt: seat.holdExpiresAt }), note(user)) : null,
          waitlistMail: user.email ? withNote(waitlistMailText(user.email, event, reg), note(user)) : null,
        })),
      };
      let taken;
      try {
        taken = await takeSeats(strapi, plan);
      } catch (err) {
        if (err instanceof AlreadyRegistered) {
          const { user } = input.people[err.personIndex];
          throw new SeatConflict(`${user.email} is already registered for this occurrence of "${event.title}"`, { user: user.documentId });
        }
        throw err;
      }
      outbox().kick();
      return taken.map((t, i) => {
        const { user, emergencyPhone, specialNeeds } = input.people[i];
        const seated = t.status !== 'waitlisted';
        return {
          id: t.id,
          documentId: t.documentId,
          ...reg,
          status: t.status,
          waitlistPosition: t.waitlistPosition,
          emergencyPhone: emergencyPhone ?? null,
          specialNeeds: specialNeeds ?? null,
          paymentVerified: false,
          feeCharged: seated ? seat.feeCharged ?? null : null,
          holdExpiresAt: seated ? seat.holdExpiresAt : null,
          confirmedAt: seated ? seat.confirmedAt : null,
          attended: false,
          pdhEarned: null,
          cancelledAt: null,
          createdAt: now,
          updatedAt: now,
          eventDocumentId: event.documentId,
          userDocumentId: user.documentId,
          slotKey: plan.slot,
          activeKey: plan.people[i].activeKey,
          user: { id: user.id, documentId: user.documentId, email: user.email },
        };
      });
    },

    /**
     * Whether someone registering now would get a seat at each location of the date (the rule takeSeats applies:
     * the event's and the location's capacity, and nobody in the date's line to take it first), and how many wait.
     * Read without the lock: a website's hint before the person registers, not a promise.
     */
    async availability(event: SeatEvent, occurrence: string): Promise<{ free: Record<string, boolean>; waitlisted: number }> {
      const keys = (event.locations ?? []).map((l) => l.key);
      const free: Record<string, boolean> = {};
      for (const key of keys.length ? keys : ['']) free[key] = await hasFreeSeat(event, occurrence, key);
      return { free, waitlisted: Number(await q().count({ where: waitingOn(event.documentId, occurrence) })) };
    },

    /**
     * Cancels a registration; a freed seat goes to the waitlist. `by`: who cancelled, when not the person registered
     * (a director for a colleague they registered): they get a copy. Call inside withRegistrationLock.
     */
    async release(registrationId: number, event: SeatEvent, reason: string, by?: Person) {
      const reg = await q().findOne({ where: { id: registrationId }, populate: { user: { select: ['id', 'email', 'firstName', 'lastName'] } } });
      if (!reg || reg.status === 'cancelled') return reg;
      assertLocked(reg.eventDocumentId, reg.occurrence);
      const held = HOLDING.includes(reg.status);
      await q().update({ where: { id: reg.id }, data: cancelledData(reason) });
      const forSomeoneElse = Boolean(by && by.id !== reg.user?.id);
      // reg is as it was: the mail says what was let go (a seat, a place in line, an unpaid hold), why, and who did
      // it when the person did not (a director for a colleague: their name, never their email)
      const cancelledBy = forSomeoneElse ? (await nameOf(by!.id)) || 'a colleague' : undefined;
      await mail('cancelled', event, { ...reg, cancellationReason: reason, cancelledBy });
      if (by?.email && forSomeoneElse) {
        const personName = nameOnly(reg.user);
        await mail('cancelled-for', event, { ...reg, personName }, by.email);
      }
      if (held) await fillFreeSeats(event, reg.occurrence);
      else await renumber(reg.eventDocumentId, reg.occurrence);
      return q().findOne({ where: { id: reg.id } });
    },

    /**
     * Staff moved a registration to another location or date of its event (its row already says where: the seat
     * guard wrote the edit): the keys that count seats and keep one registration per person follow it. Where it
     * goes it is a newcomer: a seat (confirmed or held for payment) is kept only if the place has one free by the
     * rule everyone registers by (the event's and the location's capacity, nobody in line to take it first; its
     * own old seat not counted), otherwise the edit is refused (400 naming the field: staff raise the capacity, or
     * put the person on the waitlist in the same save). A person holding another registration for the new date is
     * a 409. The seat or place given up goes to the next in line (emails as for a cancellation); people in line at
     * the new place may have a seat now. The person is told in one mail where they now are (a seat that line gives them
     * at once included; sent from a seat to the waitlist in the same save and left there, that the seat is no longer theirs). `before`: the registration before the save.
     * Call inside withRegistrationLock, holding the locks of both dates.
     */
    async settlePlace(registrationId: number, event: SeatEvent, before: { occurrence: string | Date; status: string }) {
      const reg = await q().findOne({ where: { id: registrationId }, populate: { user: { select: ['id', 'email'] } } });
      if (!reg || reg.status === 'cancelled') return reg;
      const eventDocumentId = event.documentId;
      const from = occurrenceKey(before.occurrence);
      const to = occurrenceKey(reg.occurrence);
      assertLocked(eventDocumentId, from);
      assertLocked(eventDocumentId, to);
      const field = to === from ? 'location' : 'occurrence';
      const where = (event.locations ?? []).find((l) => l.key === reg.location)?.name ?? reg.location;
      const key = activeKey({ eventDocumentId, occurrence: to, userDocumentId: reg.userDocumentId });
      if (key !== reg.activeKey && (await q().count({ where: { activeKey: key } }))) {
        const message = `${field}: ${reg.user?.email ?? 'this person'} is already registered for ${localTime(startOf(event, to))}: cancel that registration first, or keep this one where it was`;
        throw new ConflictError(message, { field });
      }
      if (HOLDING.includes(reg.status) && !(await hasFreeSeat(event, to, reg.location ?? '', reg.id))) {
        const place = field === 'location' ? `${where}` : `${localTime(startOf(event, to))}${where ? ` at ${where}` : ''}`;
        throw inputError(field, `${place} has no free seat (within the event's and the location's capacity, after the people on the waitlist): raise the capacity first, or set the status to waitlisted in the same save`);
      }
      await q().update({ where: { id: reg.id }, data: { slotKey: slotKey({ eventDocumentId, occurrence: to, location: reg.location }), activeKey: key } });
      for (const date of new Set([from, to])) await settleDate(event, date, reg.id);
      // one mail about where the person ended up: a seat the line gave them at once is part of the move (the old
      // date's calendar entry withdrawn with it), not a second mail after "you are on the waitlist"
      const now = await q().findOne({ where: { id: reg.id } });
      await mail('moved', event, { ...now, user: reg.user, previousStatus: before.status, previousOccurrence: from });
      return now;
    },

    /**
     * Staff are deleting a registration (the content manager's Delete): a person with a seat, an unpaid hold or a
     * place in line for a date still ahead is told, as for a cancellation by staff (their calendar entry withdrawn).
     * Queued in the deletion's transaction: a delete that fails sends nothing. Call inside withRegistrationLock.
     */
    async tellRemoved(registrationId: number, event: SeatEvent) {
      const reg = await q().findOne({ where: { id: registrationId }, populate: { user: { select: ['id', 'email'] } } });
      if (!reg || reg.status === 'cancelled') return;
      if (new Date(startOf(event, reg.occurrence)).getTime() <= Date.now()) return;
      await mail('cancelled', event, { ...reg, cancellationReason: CANCELLED.byStaff });
    },

    /**
     * Staff edited a registration where it is (or deleted it): seats it freed go to the waitlist, which is
     * renumbered; a person staff sent from a seat to the waitlist is told so, with their place. `before`: the
     * registration before the save. Call inside withRegistrationLock.
     */
    async settleEdit(registrationId: number, event: SeatEvent, before: { occurrence: string | Date; status: string }) {
      const date = occurrenceKey(before.occurrence);
      assertLocked(event.documentId, date);
      await settleDate(event, date);
      const now = await q().findOne({ where: { id: registrationId }, populate: { user: { select: ['id', 'email'] } } });
      if (now?.status === 'waitlisted' && HOLDING.includes(before.status)) await mail('moved', event, { ...now, previousStatus: before.status });
      return now;
    },

    /** Confirms a pending-payment registration whose hold is still valid. Call inside withRegistrationLock. */
    async confirmPayment(registrationId: number, event: SeatEvent) {
      const reg = await q().findOne({ where: { id: registrationId }, populate: { user: { select: ['id', 'email'] } } });
      if (!reg || reg.status !== 'pending-payment') throw new SeatConflict(`This registration is ${reg?.status ?? 'gone'}, not waiting for payment`);
      assertLocked(reg.eventDocumentId, reg.occurrence);
      if (reg.holdExpiresAt && new Date(reg.holdExpiresAt).getTime() < Date.now()) throw new SeatConflict(`The seat hold expired at ${new Date(reg.holdExpiresAt).toISOString()}`);
      await q().update({ where: { id: reg.id }, data: { status: 'confirmed', paymentVerified: true, holdExpiresAt: null, confirmedAt: new Date() } });
      await mail('confirmed', event, reg);
      return q().findOne({ where: { id: reg.id } });
    },

    /** After a capacity change (e.g. in the admin panel): promote into any seats that became free. */
    fillFreeSeats,
    upcomingRegistrations,
    renumber,
    nextWaitlistPosition,
  };
  return service;
};
