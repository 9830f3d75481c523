'use strict';

/**
 * Admin-API routes for membership staff. The rules live in the services
 * `api::mentorship-pairing.pairings` and `api::site-visit.visits`; this plugin
 * translates HTTP and guards the routes with admin authentication and the
 * `plugin::membership.read` permission (System Staff and Membership Staff have it).
 *
 * Plain JavaScript on purpose: src/plugins is outside the TypeScript build.
 */
const { inputError } = require('../input-error');

const guard = [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions: ['plugin::membership.read'] } },
];

module.exports = {
  async bootstrap({ strapi }) {
    await strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: 'Mentor suggestions and site-visit reports', uid: 'read', pluginName: 'membership' },
    ]);
  },

  controllers: {
    reports: ({ strapi }) => ({
      /** GET /membership/mentorship/suggestions/:menteeApplicationId?limit= — ranked mentors for one mentee. */
      async suggestions(ctx) {
        const limit = ctx.query.limit === undefined ? 10 : Number(ctx.query.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw inputError('limit', 'must be a whole number from 1 to 50');
        const data = await strapi.service('api::mentorship-pairing.pairings').suggestMentors(ctx.params.menteeApplicationId, limit);
        ctx.body = { data };
      },
      /** GET /membership/site-visits/not-visited?years=3 — main libraries not visited in that many years. */
      async notVisited(ctx) {
        const years = ctx.query.years === undefined ? 3 : Number(ctx.query.years);
        if (!Number.isInteger(years) || years < 1 || years > 20) throw inputError('years', 'must be a whole number from 1 to 20');
        const data = await strapi.service('api::site-visit.visits').notVisitedSince(years);
        ctx.body = { data, meta: { years, total: data.length } };
      },
    }),
  },

  routes: {
    admin: {
      type: 'admin',
      routes: [
        { method: 'GET', path: '/mentorship/suggestions/:menteeApplicationId', handler: 'reports.suggestions', config: { policies: guard } },
        { method: 'GET', path: '/site-visits/not-visited', handler: 'reports.notVisited', config: { policies: guard } },
      ],
    },
  },
};
