import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EventInput } from '../controllers/validation/group-event';
import { fieldDetails, forbiddenError } from '../../../utils/errors';

const GROUP = 'api::networking-group.networking-group';
const EVENT = 'api::event.event';

/** The fields of an event that group-admin and submission answers show. */
export const EVENT_VIEW_FIELDS = ['documentId', 'title', 'slug', 'summary', 'description', 'start', 'end', 'rrule', 'exdates', 'audience', 'kind', 'registrationMode', 'signupInstructions'] as const;

export function eventView(e: Record<string, any>) {
  const out: Record<string, unknown> = {};
  for (const f of EVENT_VIEW_FIELDS) out[f] = e[f] ?? null;
  out.locations = (e.locations ?? []).map((l: any) => ({ key: l.key, name: l.name, onlineUrl: l.onlineUrl ?? null, capacity: l.capacity ?? null }));
  out.networkingGroup = e.networkingGroup ? { documentId: e.networkingGroup.documentId, name: e.networkingGroup.name, slug: e.networkingGroup.slug } : null;
  return out;
}

/** Whether the caller may not see an event of this audience (the visibility service's rule; staff and scripts see all). */
async function hiddenFromCaller(strapi: Core.Strapi, event: { audience?: string | null }): Promise<boolean> {
  const visibility = strapi.service('api::event.visibility');
  const viewer = await visibility.requestViewer();
  return viewer !== null && !visibility.canSee(event, viewer);
}

/**
 * Service `api::networking-group.group-admin`: a group's primary admin (appointed
 * by system staff in the admin panel) creates and edits the events of that group,
 * and of no other. Events are written published, as kind "networking".
 * An admin who is no member (a guest: the route is open to any signed-in person)
 * manages only what they may see (`api::event.visibility`): the group's members-only
 * events are not found for them, and they cannot publish one they could not read back.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The group by documentId or slug, or 404. */
  async group(idOrSlug: string) {
    const group = await strapi.db.query(GROUP).findOne({
      where: { $or: [{ documentId: idOrSlug }, { slug: idOrSlug }] },
      select: ['id', 'documentId', 'name', 'slug'],
      populate: { primaryAdmin: { select: ['id'] } },
    });
    if (!group) throw new errors.NotFoundError('Networking group not found');
    return group as { id: number; documentId: string; name: string; slug: string; primaryAdmin?: { id: number } | null };
  },

  /** The group, when the user is its primary admin; 403 naming the rule otherwise. */
  async groupAdministeredBy(userId: number, idOrSlug: string) {
    const group = await this.group(idOrSlug);
    if (group.primaryAdmin?.id !== userId) {
      throw forbiddenError(`Only the primary admin of ${group.name} can create or edit its events`);
    }
    return group;
  },

  /** The published event of this group, or 404 (another group's event, or one hidden from the caller, is not found here). */
  async groupEvent(groupId: number, eventDocumentId: string) {
    const event = await strapi.db.query(EVENT).findOne({
      where: { documentId: eventDocumentId, publishedAt: { $notNull: true }, networkingGroup: { id: groupId } },
      select: ['id', 'documentId', 'start', 'end', 'audience'],
    });
    if (!event || (await hiddenFromCaller(strapi, event))) throw new errors.NotFoundError('Event not found among this group\'s published events');
    return event as { id: number; documentId: string; start: string; end: string | null };
  },

  /** Refuses an audience the caller could not see: the event would vanish from their own answer and calendar. */
  async assertMaySetAudience(input: EventInput) {
    if (input.audience && (await hiddenFromCaller(strapi, { audience: input.audience }))) {
      const message = 'audience: only members (an approved library affiliation) can publish members-only events';
      throw forbiddenError(message, fieldDetails('ForbiddenError', 'audience', message));
    }
  },

  async findEvent(documentId: string) {
    return strapi.documents(EVENT).findOne({ documentId, status: 'published', populate: { locations: true, networkingGroup: { fields: ['name', 'slug'] } } } as never);
  },

  async createEvent(userId: number, groupIdOrSlug: string, input: EventInput) {
    const group = await this.groupAdministeredBy(userId, groupIdOrSlug);
    await this.assertMaySetAudience(input);
    const created = await strapi.documents(EVENT).create({
      data: { ...input, kind: 'networking', networkingGroup: group.documentId } as never,
      status: 'published',
    } as never);
    return this.findEvent((created as any).documentId);
  },

  async updateEvent(userId: number, groupIdOrSlug: string, eventDocumentId: string, input: EventInput) {
    const group = await this.groupAdministeredBy(userId, groupIdOrSlug);
    await this.groupEvent(group.id, eventDocumentId);
    await this.assertMaySetAudience(input);
    await strapi.documents(EVENT).update({ documentId: eventDocumentId, data: input as never, status: 'published' } as never);
    return this.findEvent(eventDocumentId);
  },
});
