import type { Core } from '@strapi/strapi';
import { inputError } from '../../../utils/errors';
import type { ProfileInput } from '../controllers/validation/profile';

const USER = 'plugin::users-permissions.user';

/** What a person sees of their own profile (and a director of the people they manage). */
const OWN_FIELDS = ['documentId', 'username', 'email', 'firstName', 'lastName', 'phone', 'bio', 'confirmed', 'createdAt', 'updatedAt'];

/** Profile fields of an account: the only things PUT /api/profile and PUT /api/people/:id change. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async read(documentId: string) {
    const user = await strapi.documents(USER).findOne({ documentId, fields: OWN_FIELDS as never, populate: { social: true, avatar: { fields: ['id', 'url', 'name', 'mime'] } } as never });
    if (!user) return null;
    const { id: _id, ...rest } = user as Record<string, any>;
    if (rest.social) delete rest.social.id;
    return rest;
  },

  async update(documentId: string, input: ProfileInput) {
    if (input.avatar) {
      const file = await strapi.db.query('plugin::upload.file').findOne({ where: { id: input.avatar }, select: ['id', 'mime'] });
      if (!file) throw inputError('avatar', `no uploaded file with id ${input.avatar}`);
      if (!String(file.mime).startsWith('image/')) throw inputError('avatar', 'must be an image');
    }
    await strapi.documents(USER).update({ documentId, data: input as never });
    return this.read(documentId);
  },
});
