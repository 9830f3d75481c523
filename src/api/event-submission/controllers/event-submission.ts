import type { Context } from 'koa';
import { bodyOf, fail, parseEventInput } from '../../networking-group/controllers/validation/group-event';
import { UnprocessableError } from '../../../utils/errors';

const submissions = () => strapi.service('api::event-submission.submissions');

export default {
  /** POST /api/event-submissions — a member submits an event on behalf of a networking group. */
  async create(ctx: Context) {
    const data = { ...bodyOf(ctx.request.body) };
    const { networkingGroup, openToAllMembers } = data;
    delete data.networkingGroup;
    delete data.openToAllMembers;
    // `location` (one place) is shorthand for `locations: [place]`
    if (data.location !== undefined) {
      if (data.locations !== undefined) fail('location', 'send either location or locations, not both');
      data.locations = data.location === null ? null : [data.location];
      delete data.location;
    }
    if (typeof networkingGroup !== 'string' || !networkingGroup) fail('networkingGroup', 'is required (the documentId or slug of the group)');
    const input = parseEventInput(data, { partial: false });
    if (openToAllMembers !== true) {
      throw new UnprocessableError('openToAllMembers: an event submitted for a networking group must be open to all members of the system; confirm it with openToAllMembers: true', { rule: 'open-to-all-members', field: 'openToAllMembers' });
    }
    const event = await submissions().submit(ctx.state.user.id, networkingGroup as string, input);
    ctx.status = 201;
    ctx.body = { data: event, meta: {} };
  },

  /** GET /api/me/event-submissions — the caller's submissions with their review state. */
  async mine(ctx: Context) {
    ctx.body = { data: await submissions().mine(ctx.state.user.id), meta: {} };
  },
};
