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
const { errors } = require('@strapi/utils');
const { inputError } = require('../input-error');

const EVENT = 'api::event.event';
const reviewGuard = [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions: ['plugin::approvals.review-submissions'] } },
];

async function pendingSubmission(strapi, documentId) {
  const draft = await strapi.db.query(EVENT).findOne({ where: { documentId, publishedAt: null, submissionState: 'submitted' }, select: ['id'] });
  if (!draft) throw new errors.NotFoundError('No submitted event awaiting review with that documentId');
}

module.exports = {
  async bootstrap({ strapi }) {
    await strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: 'Confirm or reject library affiliations', uid: 'decide', pluginName: 'approvals' },
      { section: 'plugins', displayName: 'Review member-submitted events', uid: 'review-submissions', pluginName: 'approvals' },
    ]);
  },

  controllers: {
    submissions: ({ strapi }) => ({
      async list(ctx) {
        const rows = await strapi.db.query(EVENT).findMany({
          where: { publishedAt: null, submissionState: 'submitted' },
          select: ['documentId', 'title', 'start', 'end', 'audience', 'createdAt'],
          populate: { submittedBy: { select: ['firstName', 'lastName', 'email'] }, networkingGroup: { select: ['name'] } },
          orderBy: { createdAt: 'asc' },
        });
        ctx.body = { data: rows.map(({ id, ...rest }) => rest) };
      },
      async publish(ctx) {
        await pendingSubmission(strapi, ctx.params.documentId);
        await strapi.documents(EVENT).publish({ documentId: ctx.params.documentId });
        ctx.body = { data: { documentId: ctx.params.documentId, submissionState: 'approved' } };
      },
      async reject(ctx) {
        const reason = (ctx.request.body || {}).reason;
        if (typeof reason !== 'string' || !reason.trim()) throw inputError('reason', 'is required when rejecting (it is sent to the submitter)');
        await pendingSubmission(strapi, ctx.params.documentId);
        await strapi.documents(EVENT).update({ documentId: ctx.params.documentId, status: 'draft', data: { submissionState: 'rejected', reviewNote: reason.trim() } });
        ctx.body = { data: { documentId: ctx.params.documentId, submissionState: 'rejected' } };
      },
    }),
    counts: ({ strapi }) => ({
      // each queue's size only to admins who may work on it (null otherwise): an event provider's home page
      // showed how many affiliations and site visits were waiting for staff
      async show(ctx) {
        const ability = ctx.state.userAbility;
        const may = (action, subject) => Boolean(ability && ability.can(action, subject));
        const count = (allowed, uid, where) => (allowed ? strapi.db.query(uid).count({ where }) : null);
        const [affiliations, submissions, siteVisits] = await Promise.all([
          count(may('plugin::approvals.decide'), 'api::affiliation.affiliation', { status: 'pending' }),
          count(may('plugin::approvals.review-submissions'), EVENT, { publishedAt: null, submissionState: 'submitted' }),
          count(may('plugin::content-manager.explorer.read', 'api::site-visit.site-visit'), 'api::site-visit.site-visit', { status: 'requested' }),
        ]);
        ctx.body = { data: { affiliations, submissions, siteVisits } };
      },
    }),
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
        { method: 'GET', path: '/counts', handler: 'counts.show', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/submissions', handler: 'submissions.list', config: { policies: reviewGuard } },
        { method: 'POST', path: '/submissions/:documentId/publish', handler: 'submissions.publish', config: { policies: reviewGuard } },
        { method: 'POST', path: '/submissions/:documentId/reject', handler: 'submissions.reject', config: { policies: reviewGuard } },
        { method: 'POST', path: '/:documentId/approve', handler: 'queue.approve', config: { policies: guard } },
        { method: 'POST', path: '/:documentId/reject', handler: 'queue.reject', config: { policies: guard } },
      ],
    },
  },
};
