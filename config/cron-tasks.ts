import type { Core } from '@strapi/strapi';
import { runOncePerCluster } from '../src/utils/cluster-lock';

/** Scheduled jobs; each runs on one process of the cluster per round. */
export default {
  resourceSharingReviewReminders: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await runOncePerCluster(strapi, 'directory:review-reminders', async () => {
        await strapi.service('api::building.review-reminders').sendDue();
      });
    },
    options: { rule: '0 8 * * *', tz: process.env.TZ_CALENDAR || 'America/Chicago' },
  },
  mentorshipCheckIns: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await runOncePerCluster(strapi, 'mentorship:check-ins', async () => {
        await strapi.service('api::mentorship-pairing.pairings').sendCheckIns();
      });
    },
    options: { rule: '0 9 * * *', tz: process.env.TZ_CALENDAR || 'America/Chicago' },
  },
};
