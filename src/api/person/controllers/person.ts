import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { validateProfile } from '../../profile/controllers/validation/profile';

function pageParam(value: unknown, field: string, fallback: number, max: number) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new errors.ValidationError(`${field}: must be a whole number from 1 to ${max}`, { errors: [{ path: [field], message: 'out of range' }] });
  return n;
}

/** GET /api/people?q= (Find Colleagues, members) and PUT /api/people/:documentId (directors). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx) {
    const query = ctx.query as Record<string, any>;
    const q = query.q ?? '';
    if (typeof q !== 'string' || q.length > 200) throw new errors.ValidationError('q: must be a text of at most 200 characters', { errors: [{ path: ['q'], message: 'invalid' }] });
    const pagination = (query.pagination ?? {}) as Record<string, unknown>;
    const page = pageParam(pagination.page ?? query.page, 'pagination.page', 1, 100000);
    const pageSize = pageParam(pagination.pageSize ?? query.pageSize, 'pagination.pageSize', 25, 100);
    const { data, pagination: meta } = await strapi.service('api::person.people').search(q.trim(), page, pageSize);
    ctx.body = { data, meta: { pagination: meta } };
  },

  async update(ctx) {
    const input = validateProfile(ctx.request.body);
    const person = await strapi.service('api::person.people').assertManages(ctx.state.user.id, ctx.params.documentId);
    ctx.body = { data: await strapi.service('api::profile.profile').update(person.documentId, input), meta: {} };
  },
});
