/**
 * Calendar routes. This file sorts before event.ts, so `/events/feed.rss` is matched
 * before the core `/events/:id` route. Feeds that calendar clients poll without a
 * session are `auth: false` and apply their own visibility (public events only, or
 * the person's token); the others go through the role table (see ../permissions.ts).
 */
export default {
  routes: [
    { method: 'GET', path: '/occurrences', handler: 'api::event.calendar.occurrences', config: {} },
    { method: 'GET', path: '/events/feed.rss', handler: 'api::event.calendar.rss', config: { auth: false } },
    { method: 'GET', path: '/events/:documentId/ics', handler: 'api::event.calendar.eventIcs', config: {} },
    { method: 'GET', path: '/calendar.ics', handler: 'api::event.calendar.publicIcs', config: { auth: false } },
    { method: 'GET', path: '/me/calendar.ics', handler: 'api::event.calendar.myIcs', config: { auth: false } },
    { method: 'POST', path: '/me/calendar-token', handler: 'api::event.calendar.resetToken', config: {} },
  ],
};
