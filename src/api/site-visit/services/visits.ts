import type { Core } from '@strapi/strapi';
import { fieldError, forbiddenError } from '../../../utils/errors';
import { localTime } from '../../registration/mails';

const VISIT = 'api::site-visit.site-visit';

export interface VisitRequest {
  building: string;
  kind: 'visit' | 'call';
  topic: string;
  preferredDates: string[];
}

const membershipInbox = () => process.env.MEMBERSHIP_EMAIL || 'membership@library-learning.example';

/** Site visits and one-on-one calls: a director asks, membership staff schedule, both are told. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async request(userId: number, input: VisitRequest) {
    const building = await strapi.db.query('api::building.building').findOne({ where: { documentId: input.building }, select: ['documentId', 'name'] });
    if (!building) throw fieldError('building', 'building does not exist');
    if (!(await strapi.service('api::building.directory').canEdit(userId, input.building))) {
      throw forbiddenError('Only a director of the building can request a visit or call for it');
    }
    const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId } });
    const visit = await strapi.documents(VISIT).create({
      data: { ...input, requestedBy: user.documentId, status: 'requested' } as never,
    });
    const what = input.kind === 'call' ? 'a one-on-one call' : 'a site visit';
    await this.send(membershipInbox(), `Request for ${what}: ${building.name}`,
      `${user.firstName ?? ''} ${user.lastName ?? ''} (${user.email}) asks for ${what} at ${building.name}.\n\nTopic: ${input.topic}\nPreferred dates: ${input.preferredDates.join(', ') || 'any'}\n`);
    await this.send(user.email, `We received your request for ${what}`,
      `Thank you. Membership staff will contact you to schedule ${what} at ${building.name}.\n\nTopic: ${input.topic}\n`);
    return visit;
  },

  async mine(userId: number) {
    return strapi.db.query(VISIT).findMany({
      where: { requestedBy: { id: userId } },
      select: ['documentId', 'kind', 'topic', 'preferredDates', 'status', 'scheduledAt', 'createdAt'],
      populate: { building: { select: ['documentId', 'name'] } },
      orderBy: { createdAt: 'desc' },
    });
  },

  /**
   * Emails the requester (and membership staff) when staff schedule or cancel a request. `before`: the visit before
   * the save: a visit already scheduled given another date is a change of date, and says the date it replaces.
   */
  async notifyStatus(visitId: number, before?: { status?: string | null; scheduledAt?: string | Date | null } | null) {
    const v = await strapi.db.query(VISIT).findOne({ where: { id: visitId }, populate: { requestedBy: true, building: true, staffContact: true } });
    if (!v?.requestedBy || !['scheduled', 'cancelled'].includes(v.status)) return;
    const what = v.kind === 'call' ? 'one-on-one call' : 'site visit';
    // as every mail names a time: in the calendar zone, with its abbreviation (CST or CDT)
    const when = v.scheduledAt ? localTime(v.scheduledAt) : '';
    const was = before?.status === 'scheduled' && before.scheduledAt && v.scheduledAt && new Date(before.scheduledAt).getTime() !== new Date(v.scheduledAt).getTime() ? localTime(before.scheduledAt) : '';
    const subject = v.status === 'scheduled'
      ? was ? `Your ${what} has a new date: ${when}` : `Your ${what} is scheduled${when ? ` for ${when}` : ''}`
      : `Your ${what} request was cancelled`;
    const text = v.status === 'scheduled'
      ? `Your ${what} at ${v.building?.name ?? 'your library'}${was ? `, planned for ${was},` : ''} is ${was ? 'now ' : ''}scheduled for ${when}.${v.staffContact ? `\nYour contact: ${v.staffContact.firstname} ${v.staffContact.lastname} (${v.staffContact.email})` : ''}\n\nTopic: ${v.topic}\n`
      : `Your ${what} request for ${v.building?.name ?? 'your library'} was cancelled.\n`;
    await this.send(v.requestedBy.email, subject, text);
    await this.send(v.staffContact?.email ?? membershipInbox(), `[Copy] ${subject} — ${v.building?.name ?? ''}`, text);
  },

  /** Buildings (main outlets) with no completed visit in the last `years` years, least recently visited first. */
  async notVisitedSince(years: number, now = new Date()) {
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
    const completed = await strapi.db.query(VISIT).findMany({
      where: { status: 'completed', kind: 'visit' },
      select: ['scheduledAt'],
      populate: { building: { select: ['id'] } },
    });
    const last = new Map<number, string>();
    for (const v of completed) {
      if (!v.building || !v.scheduledAt) continue;
      const at = new Date(v.scheduledAt).toISOString();
      if (!last.has(v.building.id) || last.get(v.building.id)! < at) last.set(v.building.id, at);
    }
    const buildings = await strapi.db.query('api::building.building').findMany({
      where: { outletType: 'main' },
      select: ['id', 'documentId', 'name', 'city', 'county'],
      orderBy: { name: 'asc' },
    });
    return buildings
      .filter((b) => !last.has(b.id) || last.get(b.id)! < cutoff.toISOString())
      .map((b) => ({ documentId: b.documentId, name: b.name, city: b.city, county: b.county, lastVisit: last.get(b.id) ?? null }))
      .sort((a, b) => (a.lastVisit ?? '').localeCompare(b.lastVisit ?? ''));
  },

  async send(to: string, subject: string, text: string) {
    await strapi.service('api::outbox-message.outbox').send([{ to, subject, text }]);
  },
});
