import type { Core } from '@strapi/strapi';

/**
 * Who may see which events: the only home of the members-only rule.
 * Anonymous callers and guests (no approved affiliation) see public events;
 * members, directors and system staff see members-only events too.
 */
export interface Viewer {
  userId: number | null;
  userDocumentId: string | null;
  isMember: boolean;
}

export const ANONYMOUS: Viewer = { userId: null, userDocumentId: null, isMember: false };

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The viewer behind a Koa context (the users-permissions auth has already run). */
  async viewerOf(ctx: { state?: { user?: { id: number; documentId: string } } }): Promise<Viewer> {
    const user = ctx.state?.user;
    if (!user) return ANONYMOUS;
    const isMember = await strapi.service('api::affiliation.membership').isMember(user.id);
    return { userId: user.id, userDocumentId: user.documentId, isMember };
  },

  /** Strapi filters limiting an event query to what the viewer may see. */
  eventFilters(viewer: Viewer): Record<string, unknown> {
    return viewer.isMember ? {} : { audience: 'public' };
  },

  canSee(event: { audience?: string | null }, viewer: Viewer): boolean {
    return viewer.isMember || (event.audience ?? 'public') === 'public';
  },
});
