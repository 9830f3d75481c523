import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { sendCalendar } from '../../event/controllers/calendar';

export default {
  async ics(ctx: Context) {
    const feed = await strapi.service('api::event.calendar').groupFeed(ctx.params.documentId);
    if (!feed) throw new errors.NotFoundError('Networking group not found');
    sendCalendar(ctx, feed, { filename: `${ctx.params.documentId}.ics` });
  },
};
