import type { Core } from '@strapi/strapi';
import { fieldError } from '../../../utils/errors';
import { assertUsernameAvailable } from '../../../utils/username';
import { assertSafeSocialLinks } from '../controllers/validation/profile';
import { contentManagerRequest } from '../../../utils/admin-request';

const USER = 'plugin::users-permissions.user';

/**
 * The admin panel's account form holds the sign-in and profile rules the API holds. Strapi's own check there compares
 * an email with other emails and a username with other usernames, with case: staff could give an account another
 * person's alternate username as its email (sign-in with it then finds one of the two), a username that is another
 * person's email in capitals, or a `javascript:` social link that runs in every page showing the profile. Now an email
 * must be no one else's email or username (any case; stored lowercase), a changed username follows
 * src/utils/username.ts, social links are web addresses or handles: a 400 naming the field, nothing stored.
 */
export function registerAccountFormRules(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== USER || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
    const params = ctx.params as { documentId?: string; data?: Record<string, any> };
    const data = params.data;
    if (!data || !contentManagerRequest(strapi)) return next();
    const stored = params.documentId ? await strapi.db.query(USER).findOne({ where: { documentId: params.documentId }, select: ['id', 'email', 'username'] }) : null;
    if (typeof data.email === 'string') {
      data.email = data.email.trim().toLowerCase();
      const taken = await strapi.db.query(USER).findOne({
        where: { ...(stored ? { id: { $ne: stored.id } } : {}), $or: [{ email: { $eqi: data.email } }, { username: { $eqi: data.email } }] },
        select: ['id'],
      });
      if (taken) throw fieldError('email', 'email is another account\'s email or username: one person, one account');
    }
    if (data.username !== undefined && data.username !== stored?.username) {
      data.username = await assertUsernameAvailable(strapi, data.username, { email: (data.email as string | undefined) ?? stored?.email ?? '', userId: stored?.id });
    }
    assertSafeSocialLinks(data.social);
    return next();
  });
}
