import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ConflictError, fieldDetails, inputError, isUniqueViolation } from '../../../utils/errors';
import { fullName } from '../../affiliation/services/notices';
import type { EmailChangeInput } from '../controllers/validation/email-change';

const USER = 'plugin::users-permissions.user';
/** How long a confirmation link works. */
export const EMAIL_CHANGE_HOURS = 24;

/** The one answer for a link that is unknown, used, replaced, cancelled or expired: which one is not told. */
export const INVALID_LINK = `This email-change link is invalid or has expired. Sign in and ask again (POST /api/profile/email); a link works once, for ${EMAIL_CHANGE_HOURS} hours.`;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');


const takenError = (email: string) =>
  new ConflictError(`email: ${email} is already used by another Library Learning account`, fieldDetails('ConflictError', 'email', 'already used by another account'));

/** The pending change's fields, all cleared together. */
export const NO_PENDING_CHANGE = { pendingEmail: null, emailChangeToken: null, emailChangeExpiresAt: null };

/**
 * Changing the email a person signs in with. The holder asks with their
 * current password (a stolen session alone cannot move the account); the new
 * address gets a link that works once for 24 hours, the old one a notice; the
 * account changes only when the link is followed, if the address is still free.
 * Only a hash of the link's token is stored. Setting a new password cancels a
 * pending change (document-middleware/password-cancels-email-change.ts), which
 * is what the old address's notice advises when the request was not the holder's.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const notices = () => strapi.service('api::affiliation.notices');
  const hello = (u: { firstName?: string | null }) => (u.firstName ? `Hello ${notices().esc(u.firstName)},` : 'Hello,');

  /** Another account signs in with this address (as its email, or as its alternate username). */
  const takenByOther = async (email: string, userId: number) =>
    !!(await strapi.db.query(USER).findOne({ where: { id: { $ne: userId }, $or: [{ email }, { username: email }] }, select: ['id'] }));

  return {
    async request(userId: number, input: EmailChangeInput) {
      const user = await strapi.db.query(USER).findOne({ where: { id: userId }, select: ['id', 'email', 'password', 'firstName', 'lastName', 'username'] });
      if (!user) throw new errors.UnauthorizedError('Sign in again');
      const valid = user.password ? await strapi.plugin('users-permissions').service('user').validatePassword(input.password, user.password) : false;
      if (!valid) throw inputError('password', 'is not the current password of your account');
      if (input.email === user.email) throw inputError('email', 'is already the address of your account');
      if (await takenByOther(input.email, user.id)) throw takenError(input.email);

      const token = crypto.randomBytes(32).toString('hex');
      const expiresAt = new Date(Date.now() + EMAIL_CHANGE_HOURS * 3600_000);
      const e = notices().esc;
      const link = `${notices().publicUrl()}/api/profile/email/confirm?token=${token}`;
      const name = e(fullName(user));
      // one transaction: the pending change (replacing any earlier one, whose link stops working) and both emails
      await strapi.db.transaction(async () => {
        await strapi.db.query(USER).update({
          where: { id: user.id },
          data: { pendingEmail: input.email, emailChangeToken: hashToken(token), emailChangeExpiresAt: expiresAt },
        });
        await notices().send(input.email, 'Confirm your new Library Learning email address', [
          hello(user),
          `Someone (hopefully you) asked to sign in to the Library Learning account of ${name} with this address from now on.`,
          `Confirm this address with the link below within ${EMAIL_CHANGE_HOURS} hours; until then the account keeps its current address:`,
          `<a href="${e(link)}">${e(link)}</a>`,
          'If you did not ask for this, ignore this message; nothing changes.',
        ], { carriesSecret: true });
        await notices().send(user.email, 'Your Library Learning email address is about to change', [
          hello(user),
          `Someone asked to change the email address you sign in to Library Learning with. A confirmation link went to the new address; nothing changes unless it is followed within ${EMAIL_CHANGE_HOURS} hours.`,
          'If this was you, there is nothing else to do.',
          'If it was not you, sign in and change your password now (or use "Forgot password" with this address): a new password cancels the change. Then contact your library system.',
        ]);
      });
      return { expiresAt };
    },

    /**
     * Follows a confirmation link: the account takes the new address (and so does
     * its username when that was the old address, or the old address would still
     * sign in), the link and any password-reset link sent to the old address stop
     * working, and the old address is told.
     */
    async confirm(token: string | null) {
      if (!token) throw new errors.ValidationError(INVALID_LINK);
      const tokenHash = hashToken(token);
      // names no address: a pending address never appears in API output
      const taken = () => takenError('the new address');
      try {
        return await strapi.db.transaction(async () => {
          const user = await strapi.db.query(USER).findOne({
            where: { emailChangeToken: tokenHash },
            select: ['id', 'email', 'username', 'firstName', 'pendingEmail', 'emailChangeExpiresAt'],
          });
          if (!user?.pendingEmail || !user.emailChangeExpiresAt || new Date(user.emailChangeExpiresAt).getTime() <= Date.now()) {
            throw new errors.ValidationError(INVALID_LINK);
          }
          const email = user.pendingEmail as string;
          if (await takenByOther(email, user.id)) throw taken();
          // conditional on the token: of two clicks at once, one applies the change
          const { count } = await strapi.db.query(USER).updateMany({
            where: { id: user.id, emailChangeToken: tokenHash },
            data: { email, ...(user.username === user.email ? { username: email } : {}), resetPasswordToken: null, ...NO_PENDING_CHANGE },
          });
          if (!count) throw new errors.ValidationError(INVALID_LINK);
          await notices().send(user.email, 'Your Library Learning email address was changed', [
            hello(user),
            'The email address of your Library Learning account was changed just now: from now on you sign in with the new address, and messages go there.',
            'If you did not do this, contact your library system right away.',
          ]);
          return { email };
        });
      } catch (err) {
        // a sign-up or another change took the address between the check and the write
        if (isUniqueViolation(err)) throw taken();
        throw err;
      }
    },
  };
};
