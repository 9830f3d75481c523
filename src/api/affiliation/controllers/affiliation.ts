import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { validateAffiliationEdit, validateAffiliationRequest } from './validation/affiliation';

/**
 * A person's own affiliations. Strapi's generic CRUD is not exposed: status,
 * user and decisions never come from the caller (system staff decide through
 * the approvals admin routes).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async mine(ctx) {
    const data = await strapi.service('api::affiliation.requests').listOwn(ctx.state.user.id);
    ctx.body = { data, meta: {} };
  },

  async request(ctx) {
    const input = validateAffiliationRequest(ctx.request.body);
    const data = await strapi.service('api::affiliation.requests').request(ctx.state.user.id, input);
    ctx.status = 201;
    ctx.body = { data, meta: {} };
  },

  async edit(ctx) {
    const input = validateAffiliationEdit(ctx.request.body);
    ctx.body = { data: await strapi.service('api::affiliation.requests').edit(ctx.state.user.id, ctx.params.documentId, input), meta: {} };
  },

  async end(ctx) {
    const requests = strapi.service('api::affiliation.requests');
    const own = await requests.findOwn(ctx.state.user.id, ctx.params.documentId);
    if (!own) throw new errors.NotFoundError('No affiliation of yours with this documentId');
    if (own.status !== 'ended') await requests.end(own.documentId);
    ctx.body = { data: await requests.findOwn(ctx.state.user.id, own.documentId), meta: {} };
  },
});
