import type { Core } from '@strapi/strapi';
import { validateProfile } from './validation/profile';

/** PUT /api/profile: the caller's own profile fields, and nothing else. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async update(ctx) {
    const input = validateProfile(ctx.request.body);
    const data = await strapi.service('api::profile.profile').update(ctx.state.user.documentId, input);
    ctx.body = { data, meta: {} };
  },

  async find(ctx) {
    ctx.body = { data: await strapi.service('api::profile.profile').read(ctx.state.user.documentId), meta: {} };
  },
});
