import crypto from 'crypto';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import type { BuiltFeed } from '../feeds/ics';
import { publicUrl } from '../feeds/ics';
import { buildRss } from '../feeds/rss';
import { calendarZone } from '../recurrence/rule';
import { assertNoBodyFields, parseFilters, parseOccurrenceQuery } from './validation/calendar';

const calendar = () => strapi.service('api::event.calendar');
const visibility = () => strapi.service('api::event.visibility');

/** Sends a calendar with validators so clients can poll with If-None-Match / If-Modified-Since. */
export function sendCalendar(ctx: Context, feed: BuiltFeed, opts: { filename: string; private?: boolean }) {
  ctx.set('ETag', feed.etag);
  ctx.set('Last-Modified', feed.lastModified.toUTCString());
  ctx.set('Cache-Control', opts.private ? 'private, max-age=300' : 'public, max-age=300');
  ctx.set('Content-Disposition', `inline; filename="${opts.filename}"`);
  const inm = ctx.get('If-None-Match');
  if (inm && inm.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(feed.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.body = feed.body;
}

export default {
  async occurrences(ctx: Context) {
    const { from, to, filters } = parseOccurrenceQuery(ctx.query as Record<string, unknown>);
    await calendar().assertFiltersExist(filters);
    const viewer = await visibility().viewerOf(ctx);
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = await calendar().occurrencesJson(viewer, from, to, filters);
  },

  async eventIcs(ctx: Context) {
    const viewer = await visibility().viewerOf(ctx);
    const feed = await calendar().eventFeed(ctx.params.documentId, viewer);
    if (!feed) throw new errors.NotFoundError('Event not found');
    sendCalendar(ctx, feed, { filename: `${ctx.params.documentId}.ics`, private: viewer.isMember });
  },

  async publicIcs(ctx: Context) {
    const filters = parseFilters(ctx.query as Record<string, unknown>);
    await calendar().assertFiltersExist(filters);
    sendCalendar(ctx, await calendar().publicFeed(filters), { filename: 'library-learning.ics' });
  },

  async myIcs(ctx: Context) {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    // The token, not a session, authorises this feed: the person's own members-only events belong in it.
    (ctx.state as Record<string, unknown>).skipEventVisibility = true;
    const feed = await calendar().personalFeed(token);
    // one answer for a missing, wrong or reset token: nothing to learn by guessing
    if (!feed) throw new errors.NotFoundError('Unknown calendar token: reset it from your profile to get a new feed address');
    sendCalendar(ctx, feed, { filename: 'my-events.ics', private: true });
  },

  async resetToken(ctx: Context) {
    const user = ctx.state.user;
    if (!user) throw new errors.UnauthorizedError('Sign in to get a calendar feed');
    assertNoBodyFields(ctx.request.body);
    const token = await calendar().resetCalendarToken(user.id);
    const url = `${publicUrl()}/api/me/calendar.ics?token=${encodeURIComponent(token)}`;
    ctx.status = 201;
    ctx.body = { data: { token, url, webcal: url.replace(/^https?:/, 'webcal:') }, meta: {} };
  },

  async rss(ctx: Context) {
    const list = await calendar().newestPublic(50);
    const body = buildRss(list, calendarZone());
    const etag = `"${crypto.createHash('sha1').update(body).digest('base64url')}"`;
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'public, max-age=300');
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/rss+xml; charset=utf-8';
    ctx.body = body;
  },
};
