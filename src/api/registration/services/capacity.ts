import type { Core } from '@strapi/strapi';
import { activeKey, eventOccurrenceKey, occurrenceKey, slotKey } from '../keys';
import { registrationMail, waitlistMailText, type MailEvent, type MailKind } from '../mails';
import { AlreadyRegistered, HOLDING, seatIsFree, takeSeats, type SeatPlan } from '../seat-writer';

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
const hasFee = (event: SeatEvent) => Number(event.fee ?? 0) > 0;

/**
 * The one module that changes who holds a seat. Every path (register,
 * cancel, checkout, hold expiry, admin edits) runs inside `withOccurrenceLock`:
 * a database transaction that, on PostgreSQL, first takes a transaction-level
 * advisory lock on event|occurrence, so concurrent requests on any number of
 * processes count and take seats one at a time. On SQLite the single
 * connection makes transactions run one after another. Emails are written to
 * the outbox in the same transaction and delivered after commit.
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

  /** A document-service relation to a draft-and-publish event links both its draft and published rows; so do we. */
  const eventRowIds = async (event: SeatEvent) =>
    event.rowIds ?? (await strapi.db.query('api::event.event').findMany({ where: { documentId: event.documentId }, select: ['id'] })).map((r: { id: number }) => r.id);

  const slotsOf = (event: SeatEvent) => ((event.locations ?? []).length ? (event.locations ?? []).map((l) => l.key) : ['']);

  /** The capacity rule (seat-writer.ts) for one slot of an occurrence. */
  const seatSpec = (event: SeatEvent, occurrence: string, location: string) => ({
    eventDocumentId: event.documentId,
    occurrencePrefix: `${eventOccurrenceKey(event.documentId, occurrence)}|`,
    slot: slotKey({ eventDocumentId: event.documentId, occurrence, location }),
    capacity: event.capacity ?? null,
    locationCapacity: (event.locations ?? []).find((l) => l.key === location)?.capacity ?? null,
  });
  const hasFreeSeat = (event: SeatEvent, occurrence: string, location: string) => seatIsFree(strapi, seatSpec(event, occurrence, location));

  function seatData(event: SeatEvent, now = new Date()) {
    return hasFee(event)
      ? { status: 'pending-payment', holdExpiresAt: new Date(now.getTime() + holdMinutes() * 60_000), feeCharged: Number(event.fee), confirmedAt: null }
      : { status: 'confirmed', holdExpiresAt: null, confirmedAt: now };
  }

  /** Gives free seats of the occurrence to the first waitlisted people (the given slot first), renumbering the waitlists. */
  async function fillFreeSeats(event: SeatEvent, occurrence: string, firstSlot?: string) {
    const slots = slotsOf(event);
    const ordered = firstSlot != null ? [firstSlot, ...slots.filter((s) => s !== firstSlot)] : slots;
    for (const location of ordered) {
      const slot = slotKey({ eventDocumentId: event.documentId, occurrence, location });
      let promoted = false;
      while (await hasFreeSeat(event, occurrence, location)) {
        const next = await q().findOne({ where: { slotKey: slot, status: 'waitlisted' }, orderBy: [{ waitlistPosition: 'asc' }, { id: 'asc' }], populate: { user: { select: ['id', 'email'] } } });
        if (!next) break;
        const data = { ...seatData(event), waitlistPosition: null };
        await q().update({ where: { id: next.id }, data });
        await mail(data.status === 'confirmed' ? 'promoted' : 'pending-payment', event, { ...next, ...data });
        promoted = true;
      }
      if (promoted) await renumber(slot);
    }
  }

  /** Waitlist positions stay 1..n in order of arrival. */
  async function renumber(slot: string) {
    const rows = await q().findMany({ where: { slotKey: slot, status: 'waitlisted' }, orderBy: [{ waitlistPosition: 'asc' }, { id: 'asc' }], select: ['id', 'waitlistPosition'] });
    for (const [i, row] of rows.entries()) {
      if (row.waitlistPosition !== i + 1) await q().update({ where: { id: row.id }, data: { waitlistPosition: i + 1 } });
    }
  }

  const service = {
    /** Runs fn in one transaction holding the lock of event|occurrence; kicks the outbox after commit. */
    async withOccurrenceLock<T>(eventDocumentId: string, occurrence: string, fn: () => Promise<T>): Promise<T> {
      const result = await strapi.db.transaction(async ({ trx }) => {
        if (strapi.db.dialect.client === 'postgres') {
          await strapi.db.connection.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [eventOccurrenceKey(eventDocumentId, occurrence)]).transacting(trx);
        }
        return fn();
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
      const plan: SeatPlan = {
        ...seatSpec(event, occurrence, location ?? ''),
        lockKey: eventOccurrenceKey(event.documentId, occurrence),
        eventRowIds: await eventRowIds(event),
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
          seatMail: user.email ? registrationMail(seat.status as MailKind, user.email, event, { ...reg, holdExpiresAt: seat.holdExpiresAt }) : null,
          waitlistMail: user.email ? waitlistMailText(user.email, event, reg) : null,
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

    /** Cancels a registration; a freed seat goes to the waitlist. Call inside withOccurrenceLock. */
    async release(registrationId: number, event: SeatEvent, reason: string) {
      const reg = await q().findOne({ where: { id: registrationId }, populate: { user: { select: ['id', 'email'] } } });
      if (!reg || reg.status === 'cancelled') return reg;
      const held = HOLDING.includes(reg.status);
      await q().update({ where: { id: reg.id }, data: { status: 'cancelled', activeKey: null, waitlistPosition: null, holdExpiresAt: null, cancelledAt: new Date(), cancellationReason: reason } });
      await mail('cancelled', event, reg);
      if (held) await fillFreeSeats(event, reg.occurrence, reg.location ?? '');
      else await renumber(reg.slotKey);
      return q().findOne({ where: { id: reg.id } });
    },

    /** Confirms a pending-payment registration whose hold is still valid. Call inside withOccurrenceLock. */
    async confirmPayment(registrationId: number, event: SeatEvent) {
      const reg = await q().findOne({ where: { id: registrationId }, populate: { user: { select: ['id', 'email'] } } });
      if (!reg || reg.status !== 'pending-payment') throw new SeatConflict(`This registration is ${reg?.status ?? 'gone'}, not waiting for payment`);
      if (reg.holdExpiresAt && new Date(reg.holdExpiresAt).getTime() < Date.now()) throw new SeatConflict(`The seat hold expired at ${new Date(reg.holdExpiresAt).toISOString()}`);
      await q().update({ where: { id: reg.id }, data: { status: 'confirmed', paymentVerified: true, holdExpiresAt: null, confirmedAt: new Date() } });
      await mail('confirmed', event, reg);
      return q().findOne({ where: { id: reg.id } });
    },

    /** After a capacity change (e.g. in the admin panel): promote into any seats that became free. */
    fillFreeSeats,
    renumber,
  };
  return service;
};
