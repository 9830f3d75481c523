import type { Core } from '@strapi/strapi';
import { runOncePerCluster } from '../../utils/cluster-lock';
import { registrationMail } from './mails';

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
      select: ['id', 'eventDocumentId', 'occurrence'],
      populate: { event: { select: ['id'] } },
      orderBy: { id: 'asc' },
    });
    const registration = strapi.service('api::registration.registration');
    const capacity = strapi.service('api::registration.capacity');
    for (const reg of expired) {
      if (!reg.event?.id) continue;
      const event = await registration.seatEvent(reg.event.id);
      await capacity.withOccurrenceLock(reg.eventDocumentId, reg.occurrence, async () => {
        // re-read under the lock: the person may have paid meanwhile
        const fresh = await strapi.db.query('api::registration.registration').findOne({ where: { id: reg.id }, select: ['status', 'holdExpiresAt'] });
        if (fresh?.status !== 'pending-payment' || !fresh.holdExpiresAt || new Date(fresh.holdExpiresAt) >= now) return;
        await capacity.release(reg.id, event, 'payment hold expired');
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
 * registration whose occurrence starts in the reminder window, exactly once —
 * `reminderSentAt` is claimed with a conditional update in the same transaction
 * as the outbox row, so overlapping runs or processes never send two.
 * Registrations made less than 24 hours ahead get no reminder (their
 * confirmation is recent). Returns how many reminders were enqueued.
 */
export async function sendReminders(strapi: Core.Strapi, now = new Date()): Promise<number> {
  const REG = 'api::registration.registration';
  let sent = 0;
  await onceAcrossCluster(strapi, 'registration-reminders', async () => {
    const from = new Date(now.getTime() + REMINDER_WINDOW_HOURS[0] * 3_600_000);
    const to = new Date(now.getTime() + REMINDER_WINDOW_HOURS[1] * 3_600_000);
    const due = await strapi.db.query(REG).findMany({
      where: { status: 'confirmed', reminderSentAt: { $null: true }, occurrence: { $gte: from, $lt: to } },
      select: ['id', 'occurrence', 'location'],
      populate: { user: { select: ['id', 'email'] }, event: { populate: { locations: true } } },
      orderBy: { id: 'asc' },
    });
    for (const reg of due) {
      const event = reg.event;
      if (!event || event.cancelled || !reg.user?.email) continue;
      await strapi.db.transaction(async () => {
        const claim = await strapi.db.query(REG).updateMany({ where: { id: reg.id, reminderSentAt: { $null: true }, status: 'confirmed' }, data: { reminderSentAt: now } });
        if (!claim?.count) return;
        await strapi.service('api::outbox-message.outbox').enqueue(registrationMail('reminder', reg.user.email, event, reg));
        sent += 1;
      });
    }
  });
  if (sent) strapi.service('api::outbox-message.outbox').kick();
  return sent;
}
