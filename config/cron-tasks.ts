import type { Core } from '@strapi/strapi';
import { runOncePerCluster } from '../src/utils/cluster-lock';
import { releaseExpiredHolds, sendReminders } from '../src/api/registration/jobs';

const logged = (name: string, job: (strapi: Core.Strapi) => Promise<unknown>) => async ({ strapi }: { strapi: Core.Strapi }) => {
  try {
    await job(strapi);
  } catch (err) {
    strapi.log.error(`${name}: ${(err as Error).message}`);
  }
};

/**
 * Every scheduled job of the platform (they run where CRON_ENABLED is true).
 * Each runs on one process of the cluster per round, except outbox delivery,
 * which every process may run: each message is claimed before it is sent.
 */
export default {
  outboxDelivery: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await strapi.service('api::outbox-message.outbox').run();
    },
    options: { rule: process.env.OUTBOX_CRON || '*/5 * * * * *' },
  },
  releaseExpiredHolds: {
    task: logged('release-expired-holds', (strapi) => releaseExpiredHolds(strapi)),
    options: { rule: process.env.HOLD_EXPIRY_CRON || '0 * * * * *' },
  },
  registrationReminders: {
    task: logged('registration-reminders', (strapi) => sendReminders(strapi)),
    options: { rule: process.env.REMINDER_CRON || '0 15 * * * *' },
  },
  resourceSharingReviewReminders: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await runOncePerCluster(strapi, 'directory:review-reminders', async () => {
        await strapi.service('api::building.review-reminders').sendDue();
      });
    },
    options: { rule: '0 8 * * *', tz: process.env.TZ_CALENDAR || 'America/Chicago' },
  },
  // SQLite's planner statistics, kept current as tables grow (config/database.ts gathers them when the database opens)
  sqliteOptimize: {
    task: logged('sqlite-optimize', async (strapi) => {
      if (strapi.db.dialect.client === 'sqlite') await strapi.db.connection.raw('PRAGMA optimize = 0x10002');
    }),
    options: { rule: process.env.SQLITE_OPTIMIZE_CRON || '0 40 * * * *' },
  },
  mentorshipCheckIns: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await runOncePerCluster(strapi, 'mentorship:check-ins', async () => {
        await strapi.service('api::mentorship-pairing.pairings').sendCheckIns();
      });
    },
    options: { rule: '0 9 * * *', tz: process.env.TZ_CALENDAR || 'America/Chicago' },
  },
  mentorshipTermEnds: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await runOncePerCluster(strapi, 'mentorship:term-ends', async () => {
        await strapi.service('api::mentorship-pairing.pairings').completeEndedTerms();
      });
    },
    options: { rule: '0 6 * * *', tz: process.env.TZ_CALENDAR || 'America/Chicago' },
  },
};
