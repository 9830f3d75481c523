import type { Core } from '@strapi/strapi';
import { DIRECTOR_ROLES } from '../../affiliation/services/membership';
import { mergedResourceSharing, RESOURCE_SHARING_POPULATE, withBuildingLock } from './directory';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Once a year, directors whose resource-sharing policy was last reviewed more
 * than a year ago (or never) are reminded to review it. reviewReminderSentAt
 * keeps it to one reminder a year, however often the job runs.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async sendDue(now = new Date()): Promise<number> {
    const affiliations = await strapi.db.query('api::affiliation.affiliation').findMany({
      where: { status: 'approved' },
      select: ['roles'],
      populate: { user: { select: ['email', 'firstName', 'blocked'] }, building: { select: ['documentId', 'name'] } },
    });
    const directorsByBuilding = new Map<string, { name: string; emails: string[] }>();
    for (const a of affiliations) {
      if (!a.building || !a.user || a.user.blocked) continue;
      if (!(Array.isArray(a.roles) && a.roles.some((r: string) => (DIRECTOR_ROLES as string[]).includes(r)))) continue;
      const entry = directorsByBuilding.get(a.building.documentId) ?? { name: a.building.name, emails: [] };
      entry.emails.push(a.user.email);
      directorsByBuilding.set(a.building.documentId, entry);
    }

    let sent = 0;
    const base = (strapi.config.get('server.url') as string) || 'http://localhost:1337';
    for (const [documentId, { name, emails }] of directorsByBuilding) {
      // read, reminded and marked under the building's lock: a director saving the policy meanwhile is neither
      // written over with the values read here nor reminded of the review just made
      const reminded = await withBuildingLock(strapi, documentId, async () => {
        const building = (await strapi.documents('api::building.building').findOne({ documentId, populate: RESOURCE_SHARING_POPULATE })) as { resourceSharing?: Record<string, unknown> | null } | null;
        const policy = building?.resourceSharing ?? {};
        const reviewed = policy.lastReviewed ? new Date(String(policy.lastReviewed)).getTime() : 0;
        const remindedAt = policy.reviewReminderSentAt ? new Date(String(policy.reviewReminderSentAt)).getTime() : 0;
        if (now.getTime() - reviewed < YEAR_MS || now.getTime() - remindedAt < YEAR_MS) return false;

        const when = policy.lastReviewed ? `was last reviewed on ${policy.lastReviewed}` : 'has never been reviewed';
        // Queued in the outbox: delivery is retried there, so the reminder counts as sent once queued.
        // One message per director: an email address is private, not shown to the building's other directors.
        await strapi.service('api::outbox-message.outbox').send([...new Set(emails)].map((to) => ({
          to,
          subject: `Please review the resource sharing policy of ${name}`,
          text:
            `The resource sharing policy of ${name} in the Library Learning directory ${when}.\n\n` +
            `Libraries review their interlibrary-loan contacts, lending terms and written policy once a year. ` +
            `Sign in, open your building's page and choose "Edit Resource Sharing policies":\n${base}/api/buildings/${documentId}\n`,
        })));
        await strapi.documents('api::building.building').update({
          documentId,
          data: { resourceSharing: mergedResourceSharing(policy, { reviewReminderSentAt: now.toISOString() }) } as never,
        });
        return true;
      });
      if (reminded) sent += 1;
    }
    return sent;
  },
});
