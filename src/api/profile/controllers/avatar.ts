import type { Core } from '@strapi/strapi';
import { avatarFile } from './validation/avatar';

/** POST /api/profile/avatar (multipart, one image in `avatar`) and DELETE /api/profile/avatar: the caller's own avatar. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async upload(ctx) {
    // the parser's temporary copy is deleted once answered (utils/built-once-middlewares.ts)
    await strapi.service('api::profile.avatar').replace(ctx.state.user.documentId, avatarFile(ctx.request.files, ctx.request.body));
    ctx.body = { data: await strapi.service('api::profile.profile').read(ctx.state.user.documentId), meta: {} };
  },

  async remove(ctx) {
    await strapi.service('api::profile.avatar').remove(ctx.state.user.documentId);
    ctx.body = { data: await strapi.service('api::profile.profile').read(ctx.state.user.documentId), meta: {} };
  },
});
