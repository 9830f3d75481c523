import type { Core } from '@strapi/strapi';
import { isMemberRole } from '../../affiliation/services/membership';
import { versionedCache } from '../../../utils/versioned-cache';

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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const hiddenIds = versionedCache(strapi, 'calendar', 1);
  return {
    /** The viewer behind a Koa context (the users-permissions auth has already run). */
    async viewerOf(ctx: { state?: { user?: { id: number; documentId: string; role?: { type?: string } } } }): Promise<Viewer> {
      const user = ctx.state?.user;
      if (!user) return ANONYMOUS;
      // The signed-in user's role is the stored result of the membership rule (recomputed on every
      // affiliation write) and what their route permissions follow; read it rather than re-derive it.
      const isMember = user.role?.type ? isMemberRole(user.role.type) : await strapi.service('api::affiliation.membership').isMember(user.id);
      return { userId: user.id, userDocumentId: user.documentId, isMember };
    },

    /** Strapi filters limiting an event query to what the viewer may see. */
    eventFilters(viewer: Viewer): Record<string, unknown> {
      return viewer.isMember ? {} : { audience: 'public' };
    },

    /**
     * Strapi filters an event reached through a relation (a tag's, a group's, a session's) must
     * pass for this viewer: the rule above, and published, since such a join reads draft rows
     * too and drafts stay with staff.
     */
    relatedEventFilters(viewer: Viewer): Record<string, unknown> {
      return { publishedAt: { $notNull: true }, ...this.eventFilters(viewer) };
    },

    canSee(event: { audience?: string | null }, viewer: Viewer): boolean {
      return viewer.isMember || (event.audience ?? 'public') === 'public';
    },

    /**
     * The viewer of the current content-API request (REST under the API prefix,
     * or GraphQL), cached on the request; null outside such a request (scripts,
     * seeds, the admin panel) or when a route opted out with
     * `ctx.state.skipEventVisibility = true` (e.g. a feed authorised by its own token).
     */
    async requestViewer(): Promise<Viewer | null> {
      const ctx = strapi.requestContext.get() as
        | (Record<string, any> & { state: Record<string, any>; request: { path: string } })
        | undefined;
      if (!ctx?.request) return null;
      if (ctx.state?.skipEventVisibility) return null;
      const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
      const path = ctx.request.path ?? '';
      const isContentApi = path === prefix || path.startsWith(`${prefix}/`) || path.startsWith('/graphql');
      if (!isContentApi) return null;
      if (!ctx.state.eventViewer) ctx.state.eventViewer = this.viewerOf(ctx);
      return ctx.state.eventViewer;
    },

    /** Ids of the events the viewer may not see (for filtering populated relations), cached per request. */
    async hiddenEventIds(viewer: Viewer): Promise<Set<number>> {
      if (viewer.isMember) return new Set();
      const ctx = strapi.requestContext.get() as { state?: Record<string, any> } | undefined;
      if (ctx?.state?.hiddenEventIds) return ctx.state.hiddenEventIds;
      // every anonymous read of a relation to events needs these; they change only when events do
      const ids = await hiddenIds.get('members-only-event-ids', async () => {
        const rows = await strapi.db.query('api::event.event').findMany({ where: { audience: 'members' }, select: ['id'] });
        return new Set<number>(rows.map((r: { id: number }) => r.id));
      });
      if (ctx?.state) ctx.state.hiddenEventIds = ids;
      return ids;
    },
  };
};
