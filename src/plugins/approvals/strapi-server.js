'use strict';

/**
 * Admin-API routes for system staff's confirmation queue. The rules live in
 * the service `api::affiliation.approvals`; this plugin only translates HTTP
 * and guards the routes with admin authentication and the
 * `plugin::approvals.decide` permission (granted to roles in the admin panel,
 * Super Admins have it).
 *
 * Plain JavaScript on purpose: src/plugins is outside the TypeScript build.
 */
const guard = [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions: ['plugin::approvals.decide'] } },
];

const service = (strapi) => strapi.service('api::affiliation.approvals');

module.exports = {
  async bootstrap({ strapi }) {
    await strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: 'Confirm or reject library affiliations', uid: 'decide', pluginName: 'approvals' },
    ]);
  },

  controllers: {
    queue: ({ strapi }) => ({
      async list(ctx) {
        ctx.body = { data: await service(strapi).queue() };
      },
      async approve(ctx) {
        const body = ctx.request.body || {};
        const data = await service(strapi).approve(ctx.params.documentId, {
          grantDirector: body.grantDirector,
          roles: body.roles,
          decidedBy: ctx.state.user.id,
        });
        ctx.body = { data };
      },
      async reject(ctx) {
        const body = ctx.request.body || {};
        const data = await service(strapi).reject(ctx.params.documentId, { reason: body.reason, decidedBy: ctx.state.user.id });
        ctx.body = { data };
      },
    }),
  },

  routes: {
    admin: {
      type: 'admin',
      routes: [
        { method: 'GET', path: '/queue', handler: 'queue.list', config: { policies: guard } },
        { method: 'POST', path: '/:documentId/approve', handler: 'queue.approve', config: { policies: guard } },
        { method: 'POST', path: '/:documentId/reject', handler: 'queue.reject', config: { policies: guard } },
      ],
    },
  },
};
