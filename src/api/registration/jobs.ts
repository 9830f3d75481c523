import type { Core } from '@strapi/strapi';
import { runOncePerCluster } from '../../utils/cluster-lock';

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

/** Cron tasks of this feature (they run only where `cron.enabled` is true: CRON_ENABLED). */
export function registerRegistrationJobs(strapi: Core.Strapi) {
  strapi.cron.add({
    outboxDelivery: {
      task: async () => {
        await strapi.service('api::outbox-message.outbox').run();
      },
      options: { rule: process.env.OUTBOX_CRON || '*/5 * * * * *' },
    },
    releaseExpiredHolds: {
      task: async () => {
        try {
          await releaseExpiredHolds(strapi);
        } catch (err) {
          strapi.log.error(`release-expired-holds: ${(err as Error).message}`);
        }
      },
      options: { rule: process.env.HOLD_EXPIRY_CRON || '0 * * * * *' },
    },
  });
}
