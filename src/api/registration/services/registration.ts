import { factories } from '@strapi/strapi';
import { rowsOfUser } from '../../../utils/user-relations';
import { errors } from '@strapi/utils';
import { activeKey, occurrenceKey } from '../keys';
import { nameOnly, SeatConflict, type Person, type SeatEvent } from './capacity';
import { CANCELLED, localTime } from '../mails';
import { cancellationWindow } from '../deadlines';
import { ConflictError, fieldDetails, fieldError, fieldPaths, inputError, forbiddenError, notFoundError } from '../../../utils/errors';
import { forgetRequestVersion, versionedCache } from '../../../utils/versioned-cache';
import { EventChanged } from '../seat-writer';

const REG = 'api::registration.registration';
const EVENT = 'api::event.event';
const USER = 'plugin::users-permissions.user';

/** 422 Unprocessable: the event does not take registrations on the platform. */
export class NotRegistrable extends Error {
  readonly status = 422;
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'UnprocessableEntityError';
  }
}

export interface RegisterInput {
  occurrence?: string;
  location?: string;
  emergencyPhone?: string;
  specialNeeds?: string;
  attendees?: string[];
}

/** The one target of a relation value as the content manager or a script sends it (documentId, id, connect/set lists). */
export function relationTarget(value: unknown): { id?: number; documentId?: string } | null {
  if (value == null) return null;
  if (typeof value === 'string') return value ? { documentId: value } : null;
  if (typeof value === 'number') return { id: value };
  if (Array.isArray(value)) return value.length ? relationTarget(value[0]) : null;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.connect) && v.connect.length) return relationTarget(v.connect[0]);
    if (Array.isArray(v.set) && v.set.length) return relationTarget(v.set[0]);
    if (typeof v.documentId === 'string') return { documentId: v.documentId };
    if (typeof v.id === 'number') return { id: v.id };
  }
  return null;
}

/**
 * Why a signed-in person who is no member may not register for an event that takes registrations from members only
 * (L2: "Registration for some events is restricted to members"): the register route's refusal and what availability
 * tells that person.
 */
const MEMBERS_ONLY = 'This event is for members: registration needs an approved library affiliation';

/** `details.errors` of a refusal of one listed attendee: their place in the body's `attendees` (['attendees', '1'], as Strapi paths a list item). */
const attendeeError = (index: number, message: string) => fieldPaths('ForbiddenError', [`attendees.${index}`], message);

/** The private details a registration may carry, from the API or the admin panel: text of bounded length. */
function checkPrivateDetails(input: { emergencyPhone?: unknown; specialNeeds?: unknown }) {
  for (const [field, max] of [['emergencyPhone', 40], ['specialNeeds', 2000]] as const) {
    const v = input[field];
    if (v != null && (typeof v !== 'string' || v.length > max)) throw fieldError(field, `${field} must be text of at most ${max} characters`);
    // PostgreSQL stores no NUL character in text: refused here with the field's name, never a 500
    if (typeof v === 'string' && v.includes('\u0000')) throw fieldError(field, `${field} must not contain NUL (\\u0000) characters`);
  }
}

/** What a list of registrations costs, in dollars (summed in cents: 20.10 + 70.40 is 90.5, not 90.49999). */
export const feeTotal = (rows: { feeCharged?: number | string | null }[]) => rows.reduce((cents, r) => cents + Math.round(Number(r.feeCharged ?? 0) * 100), 0) / 100;

/** The one rule of what checkout takes: `paymentVerified` exactly true (L2: "check the box to verify payment"), a 400 naming it otherwise. */
function assertPaymentVerified(body: { paymentVerified?: unknown } | null | undefined) {
  if (body?.paymentVerified !== true) throw fieldError('paymentVerified', 'paymentVerified must be true once the payment has been verified');
}

/**
 * A refusal of one registration of a cart checkout, naming it where a 4xx names a field (`registrations[1]: …`,
 * details.errors path ['registrations', '1']) with its documentId; the status stays the refusal's own (404 not in
 * the cart, 403 a rule about the person, 409 no longer held for payment).
 */
function namedRefusal(field: string, what: string, documentId: string, err: unknown): unknown {
  if (err instanceof SeatConflict) {
    const message = `${field}: ${what}: ${err.message}`;
    return new SeatConflict(message, fieldDetails('ConflictError', field, message, { ...err.details, registration: documentId }));
  }
  if (err instanceof errors.NotFoundError) {
    const e = notFoundError(field, `${field}: ${documentId} is not in your cart (${err.message}): only seats held for payment for you, or that you registered, are`);
    (e.details as Record<string, unknown>).registration = documentId;
    return e;
  }
  if (err instanceof errors.PolicyError) {
    const message = `${field}: ${what}: ${err.message}`;
    return forbiddenError(message, { registration: documentId, errors: fieldPaths('ForbiddenError', [field], message) });
  }
  return err;
}

export default factories.createCoreService(REG, ({ strapi }) => {
  // a burst of registrations reads one event hundreds of times: its rows are kept under the calendar version
  const eventRows = versionedCache(strapi, 'calendar', 500);
  const recurrence = () => strapi.service('api::event.recurrence');

  const MY_EVENTS_ORDER = [{ occurrence: 'asc' }, { id: 'asc' }];
  // the event's summary, and what working out the date's current times needs
  const MY_EVENTS_EVENT = publishedEventPopulate({
    select: [...EVENT_SUMMARY_FIELDS, 'rrule', 'exdates', 'rdates'],
    populate: { occurrenceChanges: true },
  });

  /** A registration in My Events: its event, when the date takes place now (moved or not), and the hours earned. */
  function presentMyEvent(r: any, viewer: Person) {
    // `occurrence` names the date (its original start); `start`/`end` say when it takes place, moved or not
    const times = r.event ? recurrence().currentTimes(r.event, r.occurrence) : null;
    // the Cancel link: whether the cancel route would take it now, and until when (a confirmed seat's deadline)
    const cancelling = r.event ? cancellationWindow(r.status, r.event, r.occurrence) : null;
    return {
      ...presentRegistration(r, viewer),
      start: times?.start ?? occurrenceKey(r.occurrence),
      end: times?.end ?? null,
      upcoming: new Date(times?.start ?? r.occurrence).getTime() >= Date.now(),
      cancellable: cancelling?.open ?? false,
      cancelUntil: cancelling?.until ? cancelling.until.toISOString() : null,
      // hours earned: what staff recorded, else the event's hours once attendance is marked
      pdhEarned: r.pdhEarned != null ? Number(r.pdhEarned) : r.attended && r.event?.pdhHours != null ? Number(r.event.pdhHours) : 0,
    };
  }

  /** The published event as the seat logic reads it, with the ids of both its rows (a registration links to the draft and the published one). */
  async function publishedEvent(documentId: string): Promise<(SeatEvent & Record<string, any>) | null> {
    const rows = await eventRows.get(documentId, () => strapi.db.query(EVENT).findMany({ where: { documentId }, populate: { locations: true, occurrenceChanges: true } }));
    const event = rows.find((r: { publishedAt?: unknown }) => r.publishedAt);
    return event ? { ...event, rowIds: rows.map((r: { id: number }) => r.id) } : null;
  }

  /**
   * Runs a registration again, from a fresh read of its event, when staff changed the event between that read and
   * the seat (EventChanged: nothing was written): it is judged by the event as it is now (its dates, capacities,
   * fee). A 409 if the event keeps changing.
   */
  async function withCurrentEvent<T>(register: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await register();
      } catch (err) {
        if (!(err instanceof EventChanged)) throw err;
        if (attempt >= 3) throw new ConflictError('The event was changed while you registered: please try again');
        // this request's cached event rows are the old ones
        forgetRequestVersion(strapi, 'calendar');
      }
    }
  }

  /**
   * The date a request names, as registrations store it: its original start (a moved date may be
   * named by its new one). Single events have one date; a series needs one named.
   */
  function occurrenceOf(event: SeatEvent & Record<string, any>, value: unknown): string {
    if (value == null || value === '') {
      if (event.rrule) throw fieldError('occurrence', 'occurrence (the ISO start of one date) is required for a recurring event');
      return new Date(event.start).toISOString();
    }
    const when = new Date(value as string);
    if ((typeof value !== 'string' && !(value instanceof Date)) || Number.isNaN(when.getTime())) throw fieldError('occurrence', 'occurrence must be an ISO date-time');
    // The recurrence service owns what an occurrence is (rule, exdates, rdates, moved or cancelled dates).
    const found = recurrence().findOccurrence(event, when);
    if (!found || found.cancelled) throw fieldError('occurrence', `occurrence ${value} is not a date of this event`);
    return new Date(found.originalStart).toISOString();
  }

  /** Why the event takes no registration now, whatever the date (not on the platform, cancelled, outside its window), or null. */
  function registrationClosed(event: SeatEvent & Record<string, any>, now: Date): { message: string; notRegistrable?: true } | null {
    if (event.registrationMode !== 'platform') {
      // L2: meetings organised by member libraries (networking groups) "often do not use L2's registration
      // functions. The contact information or instructions for signing up are included in the event details":
      // with none as with external, the sign-up instructions are the answer ("just come" only when there are none)
      const instructions = event.signupInstructions?.trim();
      const how =
        event.registrationMode === 'external'
          ? `Registration for this event is not on this platform. ${instructions ?? ''}`.trim()
          : instructions
            ? `This event does not take registrations here. ${instructions}`
            : 'This event does not take registrations; just come.';
      return { message: how, notRegistrable: true };
    }
    if (event.cancelled) return { message: 'This event has been cancelled' };
    if (event.registrationOpens && new Date(event.registrationOpens) > now) {
      return { message: `Registration opens ${new Date(event.registrationOpens).toISOString()} (${localTime(event.registrationOpens)})` };
    }
    if (event.registrationCloses && new Date(event.registrationCloses) <= now) {
      return { message: `Registration closed ${new Date(event.registrationCloses).toISOString()} (${localTime(event.registrationCloses)})` };
    }
    return null;
  }

  /** 'This occurrence has already started' once the date's start has passed (a moved date by its new start), or null. */
  const dateStarted = (event: SeatEvent & Record<string, any>, occurrence: string, now: Date) =>
    new Date(recurrence().startOf(event, occurrence)) < now ? 'This occurrence has already started' : null;

  /** The location a request names, or the event's only one; required when there are several. */
  function locationOf(event: SeatEvent, value: unknown): string | null {
    const keys = (event.locations ?? []).map((l) => l.key);
    if (value != null && value !== '') {
      if (!keys.includes(value as string)) throw fieldError('location', `location must be one of: ${keys.join(', ') || '(this event has no locations)'}`);
      return value as string;
    }
    if (keys.length > 1) throw fieldError('location', `location is required: choose one of ${keys.join(', ')}`);
    return keys[0] ?? null;
  }

  /**
   * Refuses an edit that links a registration to another event or person than `documentId` (a relation value as the
   * content manager or a script sends it; an unchanged form sends empty connect/disconnect lists).
   */
  async function sameRelation(data: Record<string, unknown>, field: string, uid: string, documentId: string | null, rule: string) {
    const value = data[field];
    if (value === undefined) return;
    const target = relationTarget(value);
    const v = value as { connect?: unknown[]; disconnect?: unknown[]; set?: unknown } | null;
    const removed = !target && (value == null || typeof value !== 'object' || Array.isArray(value) || Boolean(v?.disconnect?.length) || Array.isArray(v?.set));
    if (!target && !removed) return;
    const targetId = target?.documentId ?? (target?.id != null ? (await strapi.db.query(uid as never).findOne({ where: { id: target.id }, select: ['documentId'] }))?.documentId : null);
    if (targetId && targetId === documentId) return;
    throw inputError(field, rule);
  }

  /**
   * The members' registration rule (L2: "Registration for some events is restricted to members"), one place for
   * registering and for paying a hold: why `person` may not hold a seat of `event`, in the caller's words (their own
   * seat, or a colleague named as `who`), or null when they may.
   */
  async function membersOnlyRefusal(event: { registrationAudience?: string | null } & Record<string, any>, person: { id: number }, caller: { id: number }, who: string): Promise<string | null> {
    if (event.registrationAudience !== 'members' || (await strapi.service('api::affiliation.membership').isMember(person.id))) return null;
    return person.id === caller.id ? MEMBERS_ONLY : `${who} is not a member (no approved library affiliation): this event registers members only`;
  }

  /**
   * The ids of the registrations whose person (`user`) or registrant (`registeredBy`) is this user, from the link
   * table's index on the user: a relation filter would scan every registration on SQLite.
   */
  async function registrationIdsLinked(relation: 'user' | 'registeredBy', userId: number): Promise<number[]> {
    const link = (strapi.db.metadata.get(REG) as any).attributes[relation].joinTable;
    return strapi.db.getConnection(link.name).where(link.inverseJoinColumn.name, userId).pluck(link.joinColumn.name);
  }

  return {
    capacity() {
      return strapi.service('api::registration.capacity');
    },

    /** The published event as the seat logic needs it, when the caller may see it (404 otherwise, as for any hidden event). */
    async registrableEvent(documentId: string): Promise<SeatEvent & Record<string, any>> {
      const event = await publishedEvent(documentId);
      const visibility = strapi.service('api::event.visibility');
      const viewer = await visibility.requestViewer();
      if (!event || (viewer && !visibility.canSee(event, viewer))) throw new errors.NotFoundError('Event not found');
      return event;
    },

    publishedEvent,

    /**
     * Loads an event by a row id for the seat logic, whatever its visibility. A registration links to
     * both rows of its event; the seat rules and dates follow the published one (a draft may hold
     * staff edits nobody published yet).
     */
    async seatEvent(eventId: number): Promise<SeatEvent> {
      const row = await strapi.db.query(EVENT).findOne({ where: { id: eventId }, select: ['documentId'] });
      if (!row) return null as never;
      return (await publishedEvent(row.documentId)) ?? (await strapi.db.query(EVENT).findOne({ where: { id: eventId }, populate: { locations: true, occurrenceChanges: true } }));
    },

    /**
     * Whether registering for a date of the event would get a seat now, per location, and how many wait: what a
     * website needs to offer "Register" or "Join the waitlist" (L2: "If registration is full, you will see a link to
     * be added to a waiting list instead"). Visible as the event is (404 otherwise); `occurrence` as for registering.
     */
    async availability(documentId: string, query: { occurrence?: unknown }) {
      const event = await this.registrableEvent(documentId);
      const now = new Date();
      const occurrence = occurrenceOf(event, query.occurrence);
      // who asks: registering needs signing in (L2: "you need to be logged into L2 to sign up"), some events take
      // members only, and a person already registered (or waiting) for the date is told so rather than offered "Register"
      const viewer = await strapi.service('api::event.visibility').requestViewer();
      const signedIn = viewer?.userId != null && viewer.userDocumentId != null;
      const platform = event.registrationMode === 'platform';
      const audience = event.registrationAudience === 'members' ? 'members' : 'everyone';
      const closed = registrationClosed(event, now);
      const closedReason =
        closed?.message ??
        dateStarted(event, occurrence, now) ??
        (signedIn ? await membersOnlyRefusal(event, { id: viewer.userId as number }, { id: viewer.userId as number }, '') : null);
      const { free, waitlisted } = await this.capacity().availability(event, occurrence);
      const locations = (event.locations ?? []).map((l: { key: string; name?: string | null }) => ({ key: l.key, name: l.name ?? null, seatAvailable: free[l.key] }));
      const yours =
        signedIn && platform
          ? await strapi.db.query(REG).findOne({
              where: { activeKey: activeKey({ eventDocumentId: event.documentId, occurrence, userDocumentId: viewer.userDocumentId as string }) },
              select: ['documentId', 'status', 'waitlistPosition', 'location'],
            })
          : null;
      return {
        event: event.documentId,
        occurrence,
        registrationMode: event.registrationMode ?? null,
        registrationAudience: audience,
        open: !closedReason,
        closedReason: closedReason ?? null,
        signInRequired: platform && !signedIn,
        seatAvailable: Object.values(free).some(Boolean),
        waitlisted,
        locations,
        yourRegistration: yours
          ? { documentId: yours.documentId, status: yours.status, waitlistPosition: yours.waitlistPosition ?? null, location: yours.location ?? null }
          : null,
      };
    },

    register(caller: Person, documentId: string, input: RegisterInput) {
      return withCurrentEvent(() => this.registerAsEventIs(caller, documentId, input));
    },

    /** register, judged by the event as read now (see withCurrentEvent). */
    async registerAsEventIs(caller: Person, documentId: string, input: RegisterInput) {
      const event = await this.registrableEvent(documentId);
      const now = new Date();

      const closed = registrationClosed(event, now);
      if (closed?.notRegistrable) throw new NotRegistrable(closed.message, { registrationMode: event.registrationMode, signupInstructions: event.signupInstructions ?? null });
      if (closed) throw new SeatConflict(closed.message);
      const occurrence = occurrenceOf(event, input.occurrence);
      const begun = dateStarted(event, occurrence, now);
      if (begun) throw new SeatConflict(begun);
      const location = locationOf(event, input.location);

      checkPrivateDetails(input);

      const people = await this.attendeesFor(caller, input.attendees);
      if (event.registrationAudience === 'members') {
        for (const p of people) {
          const message = await membersOnlyRefusal(event, p, caller, p.email);
          if (message) {
            // a person the request listed is named by their place in `attendees`; the caller alone is no field
            const at = Array.isArray(input.attendees) ? input.attendees.indexOf(p.documentId) : -1;
            throw forbiddenError(message, at < 0 ? {} : { errors: attendeeError(at, message) });
          }
        }
      }

      const created = await this.capacity().register({
        event, occurrence, location, registeredBy: caller,
        // private details describe the caller; they are not copied to colleagues
        people: people.map((p) => (p.id === caller.id ? { user: p, emergencyPhone: input.emergencyPhone, specialNeeds: input.specialNeeds } : { user: p })),
      });
      // each row carries its person already (capacity.register); the event is the one just read, no query more
      return created.map((r: Record<string, unknown>) => ({ ...r, event, registeredBy: caller }));
    },

    /**
     * A registration created by staff in the admin panel: the same seat rules as
     * the API (a seat if one is free, else the waitlist; never two for one
     * person and occurrence), whatever status the form says. Staff may add
     * people outside the registration window or audience.
     */
    registerByStaff(data: Record<string, any>) {
      return withCurrentEvent(() => this.registerByStaffAsEventIs(data));
    },

    /** registerByStaff, judged by the event as read now (see withCurrentEvent). */
    async registerByStaffAsEventIs(data: Record<string, any>) {
      const eventRef = relationTarget(data.event);
      const userRef = relationTarget(data.user);
      if (!eventRef) throw fieldError('event', 'event is required');
      if (!userRef) throw fieldError('user', 'user (the person registering) is required');
      const eventRow = await strapi.db.query(EVENT).findOne({ where: eventRef, select: ['documentId'] });
      if (!eventRow) throw fieldError('event', 'event not found');
      const event = await publishedEvent(eventRow.documentId);
      if (!event) throw fieldError('event', 'the event must be published before people register');
      const user = await strapi.db.query(USER).findOne({ where: userRef, select: ['id', 'documentId', 'email'] });
      if (!user) throw fieldError('user', 'user not found');
      const byRef = relationTarget(data.registeredBy);
      const by = (byRef && (await strapi.db.query(USER).findOne({ where: byRef, select: ['id', 'documentId', 'email'] }))) || user;

      const occurrence = occurrenceOf(event, data.occurrence);
      const location = locationOf(event, data.location);
      checkPrivateDetails(data);

      const capacity = this.capacity();
      try {
        const [created] = await capacity.register({
          event, occurrence, location, registeredBy: by,
          people: [{ user, emergencyPhone: data.emergencyPhone ?? null, specialNeeds: data.specialNeeds ?? null }],
        });
        return created;
      } catch (err: unknown) {
        if (err instanceof SeatConflict) throw new ConflictError(err.message);
        throw err;
      }
    },

    /**
     * Where a staff edit of a registration (admin panel form, or a script through the document service) moves it:
     * the date and location it names, checked as a registration's are (a date of the event, one of its locations:
     * a 400 naming the field), or null when it stays where it is. Writes the values as registrations store them
     * into `data` (a moved date named by its new start is stored by its original one; an event's only location is
     * filled in). A registration stays with its event and person (its seat keys are made of them): staff cancel
     * it and add the person where they should be. A cancelled registration is not moved. A field left as it was is
     * not checked again (a date a series no longer has, a location since removed).
     */
    async staffMove(event: SeatEvent & Record<string, any>, before: Record<string, any>, data: Record<string, unknown>): Promise<{ occurrence: string; location: string | null } | null> {
      await sameRelation(data, 'event', EVENT, before.eventDocumentId, 'a registration stays with its event: cancel it and register the person for the other event');
      await sameRelation(data, 'user', USER, before.userDocumentId, 'a registration stays with its person: cancel it and register the other person');
      const from = { occurrence: occurrenceKey(before.occurrence), location: (before.location as string | null) ?? null };
      let occurrence = from.occurrence;
      if (data.occurrence !== undefined && !(data.occurrence != null && new Date(data.occurrence as string).getTime() === new Date(from.occurrence).getTime())) {
        occurrence = occurrenceOf(event, data.occurrence);
      }
      const named = data.location === undefined ? from.location : ((data.location as string | null) || null);
      const locationChanged = named !== from.location;
      if (occurrence === from.occurrence && !locationChanged) {
        if (data.occurrence !== undefined) data.occurrence = from.occurrence;
        if (data.location !== undefined) data.location = from.location;
        return null;
      }
      // the place it moves to, whole: a date change keeps the location only while the event still has it
      const location = locationOf(event, named);
      if ('occurrence' in data) data.occurrence = occurrence;
      if ('location' in data) data.location = location;
      if (occurrence === from.occurrence && location === from.location) return null;
      const field = occurrence !== from.occurrence ? 'occurrence' : 'location';
      const status = typeof data.status === 'string' ? data.status : before.status;
      if (status === 'cancelled') throw inputError(field, `a cancelled registration stays where it was: register the person again for another date or location`);
      data.occurrence = occurrence;
      data.location = location;
      return { occurrence, location };
    },

    /** The people a request registers: the caller, or (directors only) colleagues at their buildings. */
    async attendeesFor(caller: Person, attendees?: unknown): Promise<Person[]> {
      if (attendees == null || (Array.isArray(attendees) && attendees.length === 0)) return [caller];
      if (!Array.isArray(attendees) || attendees.some((a) => typeof a !== 'string') || attendees.length > 100) {
        throw fieldError('attendees', 'attendees must be a list of up to 100 user documentIds');
      }
      // a person listed twice is a slip in the form, not two seats: say so rather than guess which was meant
      const again = (attendees as string[]).findIndex((a, i) => attendees.indexOf(a) !== i);
      if (again >= 0) throw fieldError(`attendees.${again}`, `attendees lists ${attendees[again]} twice: each person once`);
      const membership = strapi.service('api::affiliation.membership');
      const buildings = await membership.buildingIdsOf(caller.id, { directorOnly: true });
      if (!buildings.length) {
        const message = 'Only directors and directory editors may register colleagues (attendees)';
        throw forbiddenError(message, { errors: fieldPaths('ForbiddenError', ['attendees'], message) });
      }
      const people: Person[] = [];
      for (const documentId of attendees as string[]) {
        const user = await strapi.db.query(USER).findOne({ where: { documentId }, select: ['id', 'documentId', 'email'] });
        const ok = user && (user.id === caller.id || (await membership.buildingIdsOf(user.id)).some((b) => buildings.includes(b)));
        if (!ok) {
          const message = `Attendee ${documentId} is not affiliated with a building you direct`;
          throw forbiddenError(message, { errors: attendeeError(attendees.indexOf(documentId), message) });
        }
        people.push(user);
      }
      return people;
    },

    /** A registration the caller may act on (their own, or one they made for a colleague). */
    async ownRegistration(caller: Person, documentId: string) {
      const reg = await strapi.db.query(REG).findOne({
        where: { documentId },
        populate: { user: { select: ['id', 'documentId', 'email', 'firstName', 'lastName'] }, registeredBy: { select: ['id', 'documentId'] }, event: { select: ['id'] } },
      });
      if (!reg || (reg.user?.id !== caller.id && reg.registeredBy?.id !== caller.id)) throw new errors.NotFoundError('Registration not found');
      if (!reg.event) throw new errors.NotFoundError('The event of this registration has been deleted: there is nothing left to cancel or pay for');
      return reg;
    },

    async cancel(caller: Person, documentId: string) {
      const reg = await this.ownRegistration(caller, documentId);
      if (reg.status === 'cancelled') throw new SeatConflict('This registration is already cancelled');
      const event = await this.seatEvent(reg.event.id);
      // Leaving a waitlist is always allowed, and so is letting go of a seat held for a fee not paid (nobody is
      // registered until they pay, the seed says; the seat goes to the waitlist sooner than the hold's expiry).
      // Giving back a confirmed seat closes `cancellationHours` before the start (cancellationWindow, which My Events shows).
      const cancelling = cancellationWindow(reg.status, event as never, reg.occurrence);
      if (!cancelling.open && cancelling.until) {
        throw new SeatConflict(
          `Cancellation closed ${cancelling.hours} hours before the start, at ${cancelling.until.toISOString()} (${localTime(cancelling.until)}); please contact the organiser`,
          { deadline: cancelling.until.toISOString() },
        );
      }
      const capacity = this.capacity();
      const cancelled = await capacity.withRegistrationLock(reg.id, () => capacity.release(reg.id, event, CANCELLED.byRegistrant, caller));
      // answered as registering answers it: with its event, person and registrant, all read above
      return cancelled && { ...cancelled, event, user: reg.user, registeredBy: reg.registeredBy };
    },

    /** POST /api/registrations/:documentId/checkout: one seat held for payment confirmed (the checkout rule: confirmHolds). */
    async checkout(caller: Person, documentId: string, body: { paymentVerified?: unknown }) {
      assertPaymentVerified(body);
      const [confirmed] = await this.confirmHolds(caller, [documentId]);
      return confirmed;
    },

    /**
     * POST /api/me/cart/checkout: the seats held for payment it lists (`registrations`, documentIds), or everything in
     * the caller's cart, confirmed together, all or nothing (confirmHolds). An empty cart is a 409.
     */
    async checkoutCart(caller: Person, body: { paymentVerified?: unknown; registrations?: unknown }) {
      assertPaymentVerified(body);
      let listed = body.registrations;
      if (listed !== undefined) {
        if (!Array.isArray(listed) || listed.length === 0 || listed.length > 100) {
          throw fieldError('registrations', 'registrations must be a list of 1 to 100 registration documentIds from your cart, or left out for the whole cart');
        }
        listed.forEach((id, i) => {
          if (typeof id !== 'string' || !id) throw fieldError(`registrations[${i}]`, `registrations[${i}] must be a registration documentId`);
          const first = (listed as unknown[]).indexOf(id);
          if (first !== i) throw fieldError(`registrations[${i}]`, `registrations[${i}]: ${id} is listed twice (as registrations[${first}] too): each once`);
        });
      } else {
        // the whole cart is what it totals: the holds still running (one that ran out is shown, marked, until released)
        listed = (await this.cart(caller)).items.filter((item: { expired: boolean }) => !item.expired).map((item: { documentId: string }) => item.documentId);
        if (!(listed as string[]).length) throw new SeatConflict('Your cart is empty: no seat is held for payment for you or for someone you registered (a hold that ran out is released)');
      }
      return this.confirmHolds(caller, listed as string[], (i) => `registrations[${i}]`);
    },

    /**
     * The checkout rule, in one place for the single checkout and the cart's. Each registration must be in the
     * caller's cart: their own or one they registered for someone (404 otherwise), of an event they may see (the
     * members-only rule: a hidden event's is no more theirs to pay for than to register for) and, when the event
     * registers members only, for a person who is a member (403, as registering says). Then, in one transaction
     * holding the locks of all their dates (capacity.withRegistrationLocks, taken in one order), each must still be a
     * seat held for payment whose hold has not run out (capacity.confirmPayment, 409 otherwise); all are confirmed and
     * each person is emailed their confirmation, or the first refusal rolls everything back and nothing changes.
     * `field(i)` names the i-th in a refusal (the cart's `registrations[i]`); the single route's refusals name none.
     */
    async confirmHolds(caller: Person, documentIds: string[], field?: (i: number) => string) {
      const visibility = strapi.service('api::event.visibility');
      const viewer = await visibility.requestViewer();
      const capacity = this.capacity();
      const held: { id: number; documentId: string; event: SeatEvent; what: string; user: unknown; registeredBy: unknown }[] = [];
      const refusing = async <T>(i: number, what: string, fn: () => Promise<T>): Promise<T> => {
        try {
          return await fn();
        } catch (err) {
          throw field ? namedRefusal(field(i), what, documentIds[i], err) : err;
        }
      };
      for (const [i, documentId] of documentIds.entries()) {
        held.push(
          await refusing(i, documentId, async () => {
            const reg = await this.ownRegistration(caller, documentId);
            const event = (await this.seatEvent(reg.event.id)) as SeatEvent & Record<string, any>;
            if (viewer && !visibility.canSee(event, viewer)) throw new errors.NotFoundError('Event not found');
            const person = nameOnly(reg.user) || 'this person';
            const what = `${documentId} (${reg.user?.id === caller.id ? 'your seat' : person}, "${event.title}")`;
            const refusal = reg.user ? await membersOnlyRefusal(event, reg.user, caller, person) : null;
            if (refusal) throw forbiddenError(refusal);
            return { id: reg.id as number, documentId, event, what, user: reg.user, registeredBy: reg.registeredBy };
          }),
        );
      }
      return capacity.withRegistrationLocks(
        held.map((h) => h.id),
        async () => {
          const confirmed = [];
          for (const [i, h] of held.entries()) {
            const paid = (await refusing(i, h.what, () => capacity.confirmPayment(h.id, h.event))) as Record<string, unknown>;
            // answered as registering answers it: with its event, person and registrant, all read above
            confirmed.push({ ...paid, event: h.event, user: h.user, registeredBy: h.registeredBy });
          }
          return confirmed;
        },
      );
    },

    /**
     * GET /api/me/cart (L2's "shopping cart"): the seats held for payment for the caller or for the people they
     * registered, of events the caller may see, soonest expiry first: per item whose it is (a name, nothing private),
     * the event and date (its original start, and when it takes place now), the fee and when the hold runs out
     * (`expired` once it has: checkout refuses it, the hold job releases it); with the total and the earliest expiry.
     */
    async cart(caller: Person) {
      const ids = [...new Set([...(await registrationIdsLinked('user', caller.id)), ...(await registrationIdsLinked('registeredBy', caller.id))])];
      const rows = ids.length
        ? await strapi.db.query(REG).findMany({
            where: { id: { $in: ids }, status: 'pending-payment' },
            orderBy: [{ holdExpiresAt: 'asc' }, { id: 'asc' }],
            populate: {
              event: publishedEventPopulate({ select: ['documentId', 'title', 'start', 'end', 'audience', 'rrule', 'exdates', 'rdates'], populate: { occurrenceChanges: true, locations: true } }),
              user: { select: ['id', 'documentId', 'firstName', 'lastName'] },
            },
          })
        : [];
      const visibility = strapi.service('api::event.visibility');
      const viewer = (await visibility.requestViewer()) ?? { userId: caller.id, userDocumentId: caller.documentId, isMember: await strapi.service('api::affiliation.membership').isMember(caller.id) };
      const now = Date.now();
      const items = rows
        .filter((r: any) => r.event && r.user && visibility.canSee(r.event, viewer))
        .map((r: any) => {
          const times = recurrence().currentTimes(r.event, r.occurrence);
          const place = (r.event.locations ?? []).find((l: { key: string }) => l.key === r.location);
          const expiresAt = r.holdExpiresAt ? new Date(r.holdExpiresAt) : null;
          return {
            documentId: r.documentId,
            status: r.status,
            person: { documentId: r.user.documentId, firstName: r.user.firstName ?? null, lastName: r.user.lastName ?? null, you: r.user.id === caller.id },
            event: { documentId: r.event.documentId, title: r.event.title },
            occurrence: occurrenceKey(r.occurrence),
            start: times?.start ?? occurrenceKey(r.occurrence),
            end: times?.end ?? null,
            location: r.location ?? null,
            locationName: place?.name ?? null,
            feeCharged: r.feeCharged != null ? Number(r.feeCharged) : 0,
            holdExpiresAt: expiresAt ? expiresAt.toISOString() : null,
            expired: expiresAt ? expiresAt.getTime() < now : false,
          };
        });
      // what checking out the whole cart takes, and so costs: the holds still running
      const live = items.filter((item: { expired: boolean }) => !item.expired);
      const expiries = live.map((item: { holdExpiresAt: string | null }) => item.holdExpiresAt).filter(Boolean) as string[];
      return { items, count: items.length, total: feeTotal(live), earliestHoldExpiresAt: expiries.length ? expiries.sort()[0] : null };
    },

    /** My Events: every registration of the caller with its event and when its date takes place now, soonest first. */
    async mine(caller: Person) {
      const rows = await rowsOfUser(strapi, caller.id, 'registrations', { orderBy: MY_EVENTS_ORDER, populate: { event: MY_EVENTS_EVENT, registeredBy: { select: ['documentId'] } } });
      return rows.map((r: any) => presentMyEvent({ ...r, userDocumentId: caller.documentId }, caller));
    },

    /**
     * The registrations the caller made for colleagues (a director registering staff), as My Events lists them, each
     * with whose it is: what they may cancel for them. No private details: those are the registrant's own.
     */
    async registeredForColleagues(caller: Person) {
      const ids = await registrationIdsLinked('registeredBy', caller.id);
      if (!ids.length) return [];
      const rows = await strapi.db.query(REG).findMany({
        where: { id: { $in: ids } },
        orderBy: MY_EVENTS_ORDER,
        populate: { event: MY_EVENTS_EVENT, user: { select: ['id', 'documentId', 'firstName', 'lastName'] }, registeredBy: { select: ['documentId'] } },
      });
      return rows
        .filter((r: any) => r.user && r.user.id !== caller.id)
        .map((r: any) => ({ ...presentMyEvent(r, caller), person: { documentId: r.user.documentId, firstName: r.user.firstName ?? null, lastName: r.user.lastName ?? null } }));
    },
  };
});

/**
 * Populates a registration's event with its published row. A registration links both rows of its event (draft
 * and published) and a plain populate gets whichever the database returns first: the draft may hold staff edits
 * nobody published yet (a new time, title or PD hours). Null when the event has no published version.
 */
export const publishedEventPopulate = <T extends Record<string, unknown>>(query: T) => ({ ...query, where: { publishedAt: { $notNull: true } } });

/**
 * The fields of a registration's event its answers carry (register, cancel, checkout, the cart's checkout, My
 * Events): what a website shows beside it. Fields the event's own page shows whoever may see it, as the person
 * registered and the director who registered them could when registering; nothing of the seat logic (locations'
 * capacities, a series' rule) and nothing staff keep.
 */
const EVENT_SUMMARY_FIELDS = ['documentId', 'title', 'slug', 'start', 'end', 'audience', 'kind', 'pdhHours', 'cancellationHours', 'fee', 'cancelled'] as const;

/** A registration's event as its answers show it, picked from whatever event row is in hand (the one the seat logic read, or My Events' populate). */
export function eventSummary(event: Record<string, any>) {
  const out: Record<string, unknown> = { id: event.id };
  for (const field of EVENT_SUMMARY_FIELDS) out[field] = event[field] ?? null;
  return out;
}

/**
 * What the content API shows of a registration (API.md: `event`, `user`, `registeredBy`, ...): the event's summary,
 * whose it is and who made it as documentIds only (never another person's email), private details only to the
 * registrant. `r` carries its event, person and registrant as loaded; each action passes what it has already read.
 */
export function presentRegistration(r: any, viewer: { id: number; documentId: string }) {
  const own = (r.user?.id != null && r.user.id === viewer.id) || r.userDocumentId === viewer.documentId;
  const out: Record<string, unknown> = {
    id: r.id,
    documentId: r.documentId,
    occurrence: occurrenceKey(r.occurrence),
    location: r.location ?? null,
    status: r.status,
    waitlistPosition: r.waitlistPosition ?? null,
    paymentVerified: !!r.paymentVerified,
    feeCharged: r.feeCharged != null ? Number(r.feeCharged) : null,
    holdExpiresAt: r.holdExpiresAt ? new Date(r.holdExpiresAt).toISOString() : null,
    attended: !!r.attended,
    pdhEarned: r.pdhEarned != null ? Number(r.pdhEarned) : null,
    confirmedAt: r.confirmedAt ? new Date(r.confirmedAt).toISOString() : null,
    cancelledAt: r.cancelledAt ? new Date(r.cancelledAt).toISOString() : null,
    // why: by the registrant, by staff, an unpaid hold that ran out, or the event was cancelled
    cancellationReason: r.status === 'cancelled' ? (r.cancellationReason ?? null) : null,
    createdAt: r.createdAt ? new Date(r.createdAt).toISOString() : null,
  };
  if (r.event) out.event = eventSummary(r.event);
  // the row names its person itself (userDocumentId, a seat key): My Events' rows have no user populated
  const userDocumentId = r.user?.documentId ?? r.userDocumentId;
  if (userDocumentId) out.user = { documentId: userDocumentId };
  if (r.registeredBy?.documentId) out.registeredBy = { documentId: r.registeredBy.documentId };
  if (own) {
    out.emergencyPhone = r.emergencyPhone ?? null;
    out.specialNeeds = r.specialNeeds ?? null;
  }
  return out;
}
