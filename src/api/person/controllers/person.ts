import type { Core } from '@strapi/strapi';
import { inputError } from '../../../utils/errors';
import { maxPageSize, pageOf } from '../../../utils/pagination';
import { validateProfile } from '../../profile/controllers/validation/profile';

/** GET /api/people?q= (Find Colleagues, members) and PUT /api/people/:documentId (directors). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx) {
    const query = ctx.query as Record<string, any>;
    const q = query.q ?? '';
    if (typeof q !== 'string' || q.length > 200) throw inputError('q', 'must be a text of at most 200 characters');
    const { page, pageSize } = pageOf(query, maxPageSize(strapi));
    const { data, pagination: meta } = await strapi.service('api::person.people').search(q.trim(), page, pageSize);
    ctx.body = { data, meta: { pagination: meta } };
  },

  async update(ctx) {
    const input = validateProfile(ctx.request.body, 'director');
    const person = await strapi.service('api::person.people').assertManages(ctx.state.user.id, ctx.params.documentId);
    ctx.body = { data: await strapi.service('api::profile.profile').update(person.documentId, input), meta: {} };
  },
});
