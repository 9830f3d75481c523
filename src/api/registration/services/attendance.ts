import type { Core } from '@strapi/strapi';
import { rowsOfUser } from '../../../utils/user-relations';
import { errors } from '@strapi/utils';
import { DateTime } from 'luxon';
import { ConflictError, fieldError } from '../../../utils/errors';
import { YEAR_RULE, inDateWindow, isCalendarDate } from '../../../utils/input-limits';
import { calendarZone } from '../../event/recurrence/rule';
import { occurrenceKey } from '../keys';
import { publishedEventPopulate } from './registration';

const REG = 'api::registration.registration';

/** Hours a registration earns: the event's professional-development hours once attended, nothing otherwise. */
export const hoursEarned = (attended: boolean, pdhHours: unknown): number | null => (attended ? Number(pdhHours ?? 0) || 0 : null);

/**
 * A `from`/`to` query value: an ISO date (a whole day in the calendar zone) or date-time, in the years every
 * date of the platform lies in (9999-01-01 was taken, and answered an empty transcript as if that were true).
 */
function bound(field: 'from' | 'to', value: unknown): Date | null {
  if (value == null || value === '') return null;
  const rule = `${field} must be an ISO date (YYYY-MM-DD, a day that exists) or date-time`;
  if (typeof value !== 'string') throw fieldError(field, `${rule}, given once`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = DateTime.fromISO(value, { zone: calendarZone() });
    if (!isCalendarDate(value) || !day.isValid) throw fieldError(field, rule);
    // the year as written (2200-12-31 ends in 2201 UTC)
    if (!inDateWindow(value)) throw fieldError(field, `${field} ${YEAR_RULE}`);
    return (field === 'from' ? day.startOf('day') : day.endOf('day')).toJSDate();
  }
  const when = new Date(value);
  if (Number.isNaN(when.getTime())) throw fieldError(field, rule);
  if (!inDateWindow(when)) throw fieldError(field, `${field} ${YEAR_RULE}`);
  return when;
}

/**
 * Attendance and professional-development hours: the one place that decides
 * what marking attendance means (only confirmed seats of occurrences that have
 * started; hours follow the event's `pdhHours`) and what a transcript totals.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  hoursEarned,

  /** Marks whether the person came; sets `pdhEarned` from the event's hours. */
  async mark(documentId: string, attended: unknown, now = new Date()) {
    if (typeof attended !== 'boolean') throw fieldError('attended', 'attended must be true or false');
    const reg = await strapi.db.query(REG).findOne({ where: { documentId }, populate: { event: publishedEventPopulate({ select: ['id', 'pdhHours', 'title'] }) } });
    if (!reg) throw new errors.NotFoundError('Registration not found');
    await this.assertMarkable(reg, reg.status, now);
    const pdhEarned = hoursEarned(attended, reg.event?.pdhHours);
    await strapi.db.query(REG).update({ where: { id: reg.id }, data: { attended, pdhEarned } });
    return { documentId, attended, pdhEarned };
  },

  /**
   * Refuses (409 naming `attended`) to mark a registration attended unless it is a confirmed seat (status: as it is, or
   * as the edit being saved sets it) of an occurrence that has started: the roster's rule and the admin panel form's.
   */
  async assertMarkable(reg: { status: string; occurrence: string; event?: { id?: number } | null }, status: string, now = new Date()) {
    if (status !== 'confirmed') throw new ConflictError(`Attendance is marked on confirmed registrations; this one is ${status}`, { status, field: 'attended' });
    // a moved date has started when its new start has passed
    const event = reg.event?.id ? await strapi.service('api::registration.registration').seatEvent(reg.event.id) : null;
    const startsAt = event ? strapi.service('api::event.recurrence').startOf(event, reg.occurrence) : reg.occurrence;
    if (new Date(startsAt) > now) {
      throw new ConflictError(`Attendance can be marked once the occurrence has started (${occurrenceKey(reg.occurrence)})`, { occurrence: occurrenceKey(reg.occurrence), field: 'attended' });
    }
  },

  /** The caller's attended registrations (optionally between from and to) and their total hours. */
  async transcript(userId: number, query: { from?: unknown; to?: unknown } = {}) {
    const from = bound('from', query.from);
    const to = bound('to', query.to);
    if (from && to && from > to) throw fieldError('to', 'to must not be before from (from is the first day of the transcript, to the last)');
    // a person's attended registrations are few: all are read, and filtered by the date they took place
    const rows = await rowsOfUser(strapi, userId, 'registrations', {
      where: { attended: true },
      populate: { event: publishedEventPopulate({ select: ['documentId', 'title', 'pdhHours'], populate: { provider: { select: ['name'] } } }) },
    });
    const seats = strapi.service('api::registration.registration');
    const recurrence = strapi.service('api::event.recurrence');
    // a moved date counts at its new start, as the person attended it (publishedEvent is cached per event)
    const takenPlace = async (r: any): Promise<string> => {
      const documentId = r.eventDocumentId ?? r.event?.documentId;
      const event = documentId ? await seats.publishedEvent(documentId) : null;
      return event ? recurrence.startOf(event, r.occurrence) : occurrenceKey(r.occurrence);
    };
    const dated = await Promise.all(rows.map(async (r: any) => ({ r, date: await takenPlace(r) })));
    const data = dated
      .filter(({ date }) => (!from || new Date(date) >= from) && (!to || new Date(date) <= to))
      .sort((a, b) => a.date.localeCompare(b.date) || a.r.id - b.r.id)
      .map(({ r, date }) => ({
        registration: r.documentId,
        event: { documentId: r.event?.documentId ?? r.eventDocumentId, title: r.event?.title ?? null, provider: r.event?.provider?.name ?? null },
        date,
        hours: r.pdhEarned != null ? Number(r.pdhEarned) : hoursEarned(true, r.event?.pdhHours) ?? 0,
      }));
    // sum in hundredths so 1.5 + 0.1 + ... stays exact
    const totalHours = Math.round(data.reduce((sum: number, d: { hours: number }) => sum + d.hours * 100, 0)) / 100;
    return { data, meta: { totalHours, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null } };
  },
});
