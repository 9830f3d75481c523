import type { Context } from 'koa';
import { bodyOf, parseEventInput } from './validation/group-event';
import { eventView } from '../services/group-admin';

const admin = () => strapi.service('api::networking-group.group-admin');

/** A group's primary admin manages the group's events (the rule itself: services/group-admin.ts). */
export default {
  /** POST /api/networking-groups/:documentId/events */
  async create(ctx: Context) {
    // who before what: a non-admin learns nothing from validation messages
    await admin().groupAdministeredBy(ctx.state.user.id, ctx.params.documentId);
    const input = parseEventInput(bodyOf(ctx.request.body), { partial: false });
    const event = await admin().createEvent(ctx.state.user.id, ctx.params.documentId, input);
    ctx.status = 201;
    ctx.body = { data: eventView(event as any), meta: {} };
  },

  /** PUT /api/networking-groups/:documentId/events/:eventDocumentId — a partial edit. */
  async update(ctx: Context) {
    const group = await admin().groupAdministeredBy(ctx.state.user.id, ctx.params.documentId);
    const current = await admin().groupEvent(group.id, ctx.params.eventDocumentId);
    const input = parseEventInput(bodyOf(ctx.request.body), { partial: true, current });
    const event = await admin().updateEvent(ctx.state.user.id, ctx.params.documentId, ctx.params.eventDocumentId, input);
    ctx.body = { data: eventView(event as any), meta: {} };
  },
};
