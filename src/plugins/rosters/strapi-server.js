'use strict';

/**
 * Admin-API routes for event rosters: read (JSON or CSV) and mark attendance.
 * The rules live in the services `api::registration.roster` (who may see
 * which roster, what it holds) and `api::registration.attendance`; this plugin
 * only translates HTTP.
 *
 * Access: any signed-in admin reaches the routes; the roster service then
 * allows admins holding `plugin::rosters.read` / `plugin::rosters.mark-attendance`
 * (Super Admin, a System Staff role) on every event, and the admin users listed
 * on an event's provider on that provider's events only (403 otherwise).
 * The seat figures of the events list's "Seats" column follow the same rule
 * (events the caller may not read are left out of the answer).
 *
 * Plain JavaScript on purpose: src/plugins is outside the TypeScript build.
 */
const guard = ['admin::isAuthenticatedAdmin'];
const { inputError } = require('../input-error');
// the content manager's largest page; one Seats request covers one page
const MAX_SEAT_EVENTS = 100;

const roster = (strapi) => strapi.service('api::registration.roster');
const caller = (ctx) => ({ user: ctx.state.user, ability: ctx.state.userAbility });

async function read(strapi, ctx, documentId, csv) {
  const event = await roster(strapi).authorize(caller(ctx), documentId, 'read');
  const result = await roster(strapi).roster(event, { occurrence: ctx.query.occurrence });
  if (!csv) {
    ctx.body = result;
    return;
  }
  ctx.set('Content-Type', 'text/csv; charset=utf-8');
  ctx.set('Content-Disposition', `attachment; filename="${roster(strapi).fileName(event, result.data.occurrence)}"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = roster(strapi).toCsv(result);
}

module.exports = {
  async bootstrap({ strapi }) {
    await strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: "Read every event's roster (private details included)", uid: 'read', pluginName: 'rosters' },
      { section: 'plugins', displayName: 'Mark attendance for every event', uid: 'mark-attendance', pluginName: 'rosters' },
    ]);
  },

  controllers: {
    roster: ({ strapi }) => ({
      async show(ctx) {
        const id = ctx.params.documentId;
        const csv = /\.csv$/.test(id) || ctx.query.format === 'csv';
        await read(strapi, ctx, id.replace(/\.csv$/, ''), csv);
      },
      /**
       * GET /rosters/seats?events=<documentId>,<documentId>… — seats used / offered for one page of the
       * events list (its "Seats" column asks once per page). Events the caller may not read are left out.
       */
      async seats(ctx) {
        const { events } = ctx.query;
        // `events` given twice came as a list and was answered with no figures at all
        if (events !== undefined && typeof events !== 'string') throw inputError('events', 'must be given once: comma-separated event documentIds');
        const ids = events ? events.split(',').map((s) => s.trim()).filter(Boolean) : [];
        if (ids.length > MAX_SEAT_EVENTS) throw inputError('events', `at most ${MAX_SEAT_EVENTS} documentIds`);
        if (ids.some((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id))) throw inputError('events', 'comma-separated event documentIds');
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { data: await roster(strapi).seatFigures(caller(ctx), ids) };
      },
      async attendance(ctx) {
        const body = ctx.request.body || {};
        const eventDocumentId = await roster(strapi).eventOfRegistration(ctx.params.documentId);
        await roster(strapi).authorize(caller(ctx), eventDocumentId, 'attendance');
        ctx.body = { data: await strapi.service('api::registration.attendance').mark(ctx.params.documentId, body.attended) };
      },
    }),
  },

  routes: {
    admin: {
      type: 'admin',
      routes: [
        { method: 'GET', path: '/seats', handler: 'roster.seats', config: { policies: guard } },
        // `:documentId` may end in `.csv` for the export (same as ?format=csv)
        { method: 'GET', path: '/events/:documentId', handler: 'roster.show', config: { policies: guard } },
        { method: 'POST', path: '/registrations/:documentId/attendance', handler: 'roster.attendance', config: { policies: guard } },
      ],
    },
  },
};
