import type { Core } from '@strapi/strapi';
import { assertUsernameAvailable, usernameLock } from '../../../utils/username';
import { withNamedLocks } from '../../../utils/advisory-lock';
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
    const { avatar, username, ...fields } = input;
    const data: Record<string, unknown> = { ...fields };
    const save = async () => {
      if (username !== undefined) {
        const user = await strapi.db.query(USER).findOne({ where: { documentId }, select: ['id', 'email'] });
        data.username = await assertUsernameAvailable(strapi, username, { email: user.email, userId: user.id });
      }
      if (Object.keys(data).length) await strapi.documents(USER).update({ documentId, data: data as never });
    };
    // "is it free?" and the save under the name's lock (whatever its case): two people choosing one username at once
    // would otherwise both find it free and both keep it
    if (typeof username === 'string') await withNamedLocks(strapi, [usernameLock(username)], save);
    else await save();
    // after the other fields: a refused username leaves the avatar in place
    if (avatar === null) await strapi.service('api::profile.avatar').remove(documentId);
    return this.read(documentId);
  },
});
