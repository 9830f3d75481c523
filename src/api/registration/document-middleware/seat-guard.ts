import type { Core } from '@strapi/strapi';
import { HOLDING } from '../services/capacity';
import { occurrenceKey } from '../keys';
import { CANCELLED } from '../mails';
import { ConflictError, fieldError } from '../../../utils/errors';
import { relationTarget } from '../services/registration';
import { contentManagerRequest } from '../../../utils/admin-request';

const REG = 'api::registration.registration';
const EVENT = 'api::event.event';
/** A registration's fields that the seat rules keep (src/api/registration/keys.ts; the waitlist place, capacity.ts). */
const DERIVED = ['slotKey', 'activeKey', 'eventDocumentId', 'userDocumentId', 'waitlistPosition'];

/**
 * Staff edits in the admin panel go through the same seat rules as the API:
 *  - cancelling a registration (status → cancelled) releases it through the
 *    capacity module (activeKey freed, waitlist promoted, person emailed);
 *  - moving someone back to the waitlist puts them at its end (and tells them);
 *  - changing the location or date moves the registration (capacity.settlePlace): its seat keys follow, a seat
 *    is kept only where one is free (else a 400 naming the field), the one given up goes to the next in line;
 *    the seat keys and the waitlist place themselves are never taken from the edit;
 *  - deleting a registration or editing it otherwise re-fills free seats from
 *    the waitlist and renumbers it;
 *  - updating or publishing an event moves registrations to their date's new
 *    start when staff reschedule it, and promotes waitlisted people into the
 *    seats that became free (e.g. a raised capacity);
 *  - deleting an event in the admin panel is refused while it has registrations not cancelled (409), and
 *    unpublishing it while it has registrations for upcoming dates (409): staff cancel it first;
 *  - creating a registration in the admin panel (staff adding someone) takes
 *    a seat or a waitlist place through the registration service, like the
 *    API does, whatever status the form says.
 * Each runs in one transaction with the edit, under the lock of the registration's date as it is once locked
 * (capacity.withRegistrationLock: a concurrent move to another date is followed).
 * The registration code itself writes with db.query, so it does not come here.
 */
export function registerSeatGuard(strapi: Core.Strapi) {
  const capacity = () => strapi.service('api::registration.capacity');
  const seatEvent = (id: number) => strapi.service('api::registration.registration').seatEvent(id);

  // (the admin panel form's registration status is already in the data: src/utils/content-manager-status.ts)
  strapi.documents.use(async (ctx, next) => {
    // only the admin panel's creates: seeds, imports and scripts write trusted rows directly
    if (ctx.uid === REG && ctx.action === 'create' && contentManagerRequest(strapi)) {
      const params = ctx.params as { data?: Record<string, any>; fields?: unknown; populate?: unknown };
      const created = await strapi.service('api::registration.registration').registerByStaff(params.data ?? {});
      // answer like a plain create would (the content manager asks for its fields and relations)
      return strapi.documents(REG).findOne({ documentId: created.documentId, fields: params.fields, populate: params.populate } as never);
    }
    // a copy (the content manager's "Duplicate") is a new registration: the seat rules decide its place, as for a
    // create; it copied the seat keys and status as they were (a second row with the same active key: a 500)
    if (ctx.uid === REG && ctx.action === 'clone') {
      const params = ctx.params as { documentId?: string; data?: Record<string, any>; fields?: unknown; populate?: unknown };
      const source = params.documentId ? await strapi.db.query(REG).findOne({ where: { documentId: params.documentId } }) : null;
      if (!source) return next();
      const sent = params.data ?? {};
      const given = (field: string) => sent[field] !== undefined && (!['event', 'user'].includes(field) || relationTarget(sent[field]));
      const data: Record<string, any> = { event: source.eventDocumentId, user: source.userDocumentId };
      for (const field of ['event', 'user', 'occurrence', 'location', 'emergencyPhone', 'specialNeeds']) {
        if (given(field)) data[field] = sent[field];
        else if (!(field in data)) data[field] = source[field];
      }
      const created = await strapi.service('api::registration.registration').registerByStaff(data);
      const copy = await strapi.documents(REG).findOne({ documentId: created.documentId, fields: params.fields, populate: params.populate } as never);
      return { documentId: created.documentId, entries: [copy] };
    }
    if (ctx.uid === REG && (ctx.action === 'update' || ctx.action === 'delete')) {
      const documentId = (ctx.params as { documentId?: string }).documentId;
      const data = ctx.action === 'update' ? (ctx.params as { data?: Record<string, unknown> }).data : undefined;
      // the keys and the waitlist place are derived from the event, date, location, person and the seat rules: never
      // taken from a form or a script (the admin panel's form sends them back as it loaded them, however stale)
      if (data) for (const field of DERIVED) delete data[field];
      const found = documentId
        ? await strapi.db.query(REG).findOne({ where: { documentId }, select: ['id', 'eventDocumentId'], populate: { event: { select: ['id'] } } })
        : null;
      if (!found?.event?.id || !found.eventDocumentId) return next();
      const event = await seatEvent(found.event.id);
      const registration = strapi.service('api::registration.registration');
      // the edit as sent: staffMove writes the place it names into it, from the registration as read each time
      const sent = data ? { ...data } : undefined;
      let to: { occurrence: string; location: string | null } | null = null;
      // under the lock of the registration's date as it is then, and of the date it moves to (another location or
      // date of the event, checked: a 400 naming the field otherwise)
      const moveTo = async (reg: Record<string, any>) => {
        if (!data || !sent) return null;
        for (const key of Object.keys(data)) delete data[key];
        Object.assign(data, sent);
        to = await registration.staffMove(event, reg, data);
        return to?.occurrence ?? null;
      };
      return capacity().withRegistrationLock(found.id, async (before: Record<string, any> | null) => {
        if (!before) return next();
        assertStaffStatusChange(before.status, data?.status);
        const cancelling = data?.status === 'cancelled' && before.status !== 'cancelled';
        if (cancelling) delete data!.status;
        // joining a date's line (back to the waitlist, or waiting for another date): at its end, as if joining it now
        // (a seat freed this way goes to whoever waited first, at any location), never without a place
        const dateChanged = !!to && to.occurrence !== occurrenceKey(before.occurrence);
        if (data && (data.status ?? before.status) === 'waitlisted' && (before.status !== 'waitlisted' || dateChanged)) {
          Object.assign(data, { waitlistPosition: await capacity().nextWaitlistPosition(before.eventDocumentId, to?.occurrence ?? before.occurrence), holdExpiresAt: null, confirmedAt: null });
        }
        if (ctx.action === 'delete') await capacity().tellRemoved(before.id, event);
        const result = await next();
        if (cancelling) await capacity().release(before.id, event, CANCELLED.byStaff);
        else if (to) await capacity().settlePlace(before.id, event, before as { occurrence: string; status: string });
        else await capacity().settleEdit(before.id, event, before as { occurrence: string; status: string });
        return result;
      }, moveTo);
    }

    // deleting an event in the admin panel (its Delete or the list's bulk delete) left its registrations confirmed or
    // waiting for nothing, and nobody was told: staff mark it Cancelled, which tells its people and ends them, first
    if (ctx.uid === EVENT && ctx.action === 'delete' && contentManagerRequest(strapi)) {
      const documentId = (ctx.params as { documentId?: string }).documentId;
      const open = documentId ? await strapi.db.query(REG).count({ where: { eventDocumentId: documentId, status: { $ne: 'cancelled' } } }) : 0;
      if (open > 0) {
        throw new ConflictError(`This event has ${open} registration(s) not cancelled: tick Cancelled and publish (its people are told and their registrations end) before deleting it`, { field: 'cancelled', registrations: open });
      }
    }
    // unpublishing took the event off the calendar and out of the reminders, its people still registered and told
    // nothing: as for deleting, staff cancel it first (a past event's records do not stop it)
    if (ctx.uid === EVENT && ctx.action === 'unpublish' && contentManagerRequest(strapi)) {
      const documentId = (ctx.params as { documentId?: string }).documentId;
      const event = documentId ? await strapi.service('api::registration.registration').publishedEvent(documentId) : null;
      const open = event && !event.cancelled ? await capacity().upcomingRegistrations(event) : 0;
      if (open > 0) {
        throw new ConflictError(`This event has ${open} registration(s) for upcoming dates: tick Cancelled and publish (its people are told and their registrations end) before unpublishing it`, { field: 'cancelled', registrations: open });
      }
    }
    if (ctx.uid === EVENT && (ctx.action === 'update' || ctx.action === 'publish')) {
      const documentId = (ctx.params as { documentId?: string }).documentId;
      if (!documentId) return next();
      // registrations follow a rescheduled date, waitlists fill freed seats: in one transaction with the edit
      return capacity().scheduleEdit(documentId, () => next());
    }
    return next();
  });
}


/**
 * Staff may cancel, or move someone back to the waitlist, but a seat is never
 * handed out by editing a status: seats go to the waitlist in order (raise the
 * capacity to let more people in), and a cancelled registration stays cancelled.
 */
function assertStaffStatusChange(from: string, to: unknown) {
  if (typeof to !== 'string' || to === from) return;
  if (from === 'cancelled') {
    throw fieldError('status', 'A cancelled registration cannot be reopened: register the person again');
  }
  if (HOLDING.includes(to) && !HOLDING.includes(from)) {
    throw fieldError('status', 'Seats go to the waitlist in order: raise the event capacity to let more people in');
  }
  // a payment hold is made by registering for a fee event, with its expiry; set by hand it had none (a free event's
  // seat showed "Payment needed" for good, and no job ever released it)
  if (to === 'pending-payment') {
    throw fieldError('status', 'A seat is held for payment only when the person registers for an event with a fee: keep it confirmed or cancel it');
  }
}
