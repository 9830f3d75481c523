import type { Core } from '@strapi/strapi';
import { runOncePerCluster } from '../../utils/cluster-lock';
import { CANCELLED, registrationMail } from './mails';

/** Runs fn on one process of the cluster per tick (see src/utils/cluster-lock.ts). */
export async function onceAcrossCluster(strapi: Core.Strapi, name: string, fn: () => Promise<unknown>): Promise<boolean> {
  return runOncePerCluster(strapi, `job:${name}`, async () => {
    await fn();
  });
}

/** Releases unpaid holds past their time (promoting the waitlist); returns how many. */
export async function releaseExpiredHolds(strapi: Core.Strapi, now = new Date()): Promise<number> {
  let released = 0;
  await onceAcrossCluster(strapi, 'release-expired-holds', async () => {
    const expired = await strapi.db.query('api::registration.registration').findMany({
      where: { status: 'pending-payment', holdExpiresAt: { $lt: now } },
      select: ['id'],
      populate: { event: { select: ['id'] } },
      orderBy: { id: 'asc' },
    });
    const registration = strapi.service('api::registration.registration');
    const capacity = strapi.service('api::registration.capacity');
    for (const reg of expired) {
      if (!reg.event?.id) continue;
      const event = await registration.seatEvent(reg.event.id);
      // as it is under the lock of its date (where staff may have moved it): the person may have paid meanwhile
      await capacity.withRegistrationLock(reg.id, async (fresh: { status?: string; holdExpiresAt?: string | null } | null) => {
        if (fresh?.status !== 'pending-payment' || !fresh.holdExpiresAt || new Date(fresh.holdExpiresAt) >= now) return;
        await capacity.release(reg.id, event, CANCELLED.holdExpired);
        released += 1;
      });
    }
  });
  return released;
}

/** Reminders go out for occurrences starting between 24 and 48 hours from the run (run hourly: each is caught about a day ahead). */
export const REMINDER_WINDOW_HOURS = [24, 48] as const;

/**
 * Enqueues "the day before" reminders through the outbox: one per confirmed
 * registration whose date takes place in the reminder window (a moved date at
 * its new time; a cancelled one never), exactly once — `reminderSentAt` is
 * claimed with a conditional update in the same transaction as the outbox row,
 * so overlapping runs or processes never send two. Registrations made less than
 * 24 hours ahead get no reminder (their confirmation is recent). Returns how
 * many reminders were enqueued.
 */
export async function sendReminders(strapi: Core.Strapi, now = new Date()): Promise<number> {
  const REG = 'api::registration.registration';
  const EVENT = 'api::event.event';
  const recurrence = strapi.service('api::event.recurrence');
  let sent = 0;
  await onceAcrossCluster(strapi, 'registration-reminders', async () => {
    const from = new Date(now.getTime() + REMINDER_WINDOW_HOURS[0] * 3_600_000);
    const to = new Date(now.getTime() + REMINDER_WINDOW_HOURS[1] * 3_600_000);
    const pending = { status: 'confirmed', reminderSentAt: { $null: true } };
    const select = ['id', 'occurrence', 'location', 'eventDocumentId'];
    const populate = { user: { select: ['id', 'email'] } };
    // registrations store a date by its original start: those in the window, and those of dates moved into it
    const stored = await strapi.db.query(REG).findMany({ where: { ...pending, occurrence: { $gte: from, $lt: to } }, select, populate });
    const movedIn = (
      await strapi.db.query(EVENT).findMany({
        where: { publishedAt: { $notNull: true }, occurrenceChanges: { start: { $gte: from, $lt: to } } },
        select: ['documentId'],
        populate: { occurrenceChanges: true },
      })
    ).flatMap((e: any) =>
      (e.occurrenceChanges ?? [])
        .filter((c: any) => c.start && !c.cancelled && new Date(c.start) >= from && new Date(c.start) < to)
        .map((c: any) => ({ eventDocumentId: e.documentId, occurrence: new Date(c.occurrence) })),
    );
    const moved = movedIn.length ? await strapi.db.query(REG).findMany({ where: { ...pending, $or: movedIn }, select, populate }) : [];
    const due = [...new Map([...stored, ...moved].map((r: any) => [r.id, r])).values()].sort((x: any, y: any) => x.id - y.id);

    // the published events, as the calendar shows them
    const ids = [...new Set(due.map((r: any) => r.eventDocumentId).filter(Boolean))];
    const events = new Map(
      (ids.length ? await strapi.db.query(EVENT).findMany({ where: { documentId: { $in: ids }, publishedAt: { $notNull: true } }, populate: { locations: true, occurrenceChanges: true } }) : []).map((e: any) => [e.documentId, e]),
    );
    for (const reg of due) {
      const event = events.get(reg.eventDocumentId);
      if (!event || event.cancelled || !reg.user?.email) continue;
      const times = recurrence.currentTimes(event, reg.occurrence);
      const startsAt = new Date(times?.start ?? reg.occurrence);
      if (times?.cancelled || startsAt < from || startsAt >= to) continue;
      await strapi.db.transaction(async () => {
        const claim = await strapi.db.query(REG).updateMany({ where: { id: reg.id, reminderSentAt: { $null: true }, status: 'confirmed' }, data: { reminderSentAt: now } });
        if (!claim?.count) return;
        await strapi.service('api::outbox-message.outbox').enqueue(registrationMail('reminder', reg.user.email, event, reg, now));
        sent += 1;
      });
    }
  });
  if (sent) strapi.service('api::outbox-message.outbox').kick();
  return sent;
}
