import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { assertKnownFields, assertObjectBody, fieldError, isUniqueViolation } from '../../utils/errors';
import { checkQueryInput } from '../../utils/document-input';
import { cacheUsersPermissionsLookups } from '../../utils/auth-lookups';
import { extendPluginFactory } from '../../utils/plugin-factories';
import { assertUsernameAvailable, usernameLock } from '../../utils/username';
import { withNamedLocks } from '../../utils/advisory-lock';
import { queuedMail } from '../../api/outbox-message/plugin-mail';

const USER = 'plugin::users-permissions.user';

/**
 * Sign-up rules on top of Strapi's register route:
 * - the email is the login; `username` (the "alternate username") defaults to it;
 * - a person who already has an account is told so, with the way back in,
 *   instead of getting a second account or a vague "already taken".
 * role/confirmed/blocked stay refused by Strapi's own allowedFields check.
 */
const accountExists = () =>
  fieldError('email', 'An account already exists for this email. Sign in with it, or reset its password with "Forgot password" (POST /api/auth/forgot-password { email }).');

async function prepareRegistration(strapi: Core.Strapi, ctx: any) {
  const body = ctx.request.body;
  assertObjectBody(body, 'must be a JSON object with email, password, firstName and lastName');
  if (typeof body.email !== 'string' || !body.email.trim()) {
    throw fieldError('email', 'email is required');
  }
  const email = body.email.trim().toLowerCase();
  body.email = email;
  if (body.username === undefined || body.username === null || body.username === '') body.username = email;
  for (const field of ['firstName', 'lastName'] as const) {
    if (typeof body[field] !== 'string' || !body[field].trim()) {
      throw fieldError(field, `${field} is required`);
    }
    body[field] = body[field].trim();
  }
  const users = strapi.db.query(USER);
  const existing = await users.findOne({ where: { $or: [{ email }, { username: email }] }, select: ['id'] });
  if (existing) throw accountExists();
  if (body.username !== email) body.username = await assertUsernameAvailable(strapi, body.username, { email });
}

/**
 * Takes `affiliations` out of a populate query (string, list or object form);
 * returns whether it was asked for. Affiliations have no generic `find`
 * permission (that would open them through every populate), so /users/me
 * attaches the caller's own ones itself.
 */
function takeAffiliations(query: any): boolean {
  const p = query?.populate;
  if (p === undefined) return false;
  if (p === '*' || p === 'affiliations') {
    if (p === 'affiliations') delete query.populate;
    return true;
  }
  if (typeof p === 'string') {
    const parts = p.split(',').map((s) => s.trim());
    if (!parts.includes('affiliations')) return false;
    const rest = parts.filter((s) => s !== 'affiliations');
    if (rest.length) query.populate = rest.join(',');
    else delete query.populate;
    return true;
  }
  if (Array.isArray(p)) {
    if (!p.includes('affiliations')) return false;
    const rest = p.filter((s) => s !== 'affiliations');
    if (rest.length) query.populate = rest;
    else delete query.populate;
    return true;
  }
  if (p && typeof p === 'object' && 'affiliations' in p) {
    delete p.affiliations;
    if (!Object.keys(p).length) delete query.populate;
    return true;
  }
  return false;
}

const NO_ACCOUNT_SUBJECT = 'No Library Learning account for this address';

/**
 * The email an address without an account gets when someone asks for its password: how to sign up, or find the old
 * account. At most one a day to an address (counted in the outbox, so across processes): the form must not become a
 * way to flood someone's inbox.
 */
async function sendNoAccountPrompt(strapi: Core.Strapi, email: string) {
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  if (await strapi.db.query('api::outbox-message.outbox-message').count({ where: { to: email, subject: NO_ACCOUNT_SUBJECT, createdAt: { $gt: since } } })) return;
  const notices = strapi.service('api::affiliation.notices');
  const signUp = `${notices.publicUrl()}/account/sign-up`;
  await notices.send(email, NO_ACCOUNT_SUBJECT, [
    `Someone, probably you, asked to reset the Library Learning password of ${notices.esc(email)}, but no account uses this address.`,
    `To create one, sign up at <a href="${signUp}">${signUp}</a>.`,
    'If you already have an account under an address you can no longer use (after changing jobs, for instance), do not create a second one: ask a co-worker to look for your name with Find Colleagues, then sign in to that account and update its email address and library.',
    'If you did not ask, you can ignore this message.',
  ]);
}

export default (plugin: any) => {
  cacheUsersPermissionsLookups(plugin);

  extendPluginFactory(plugin.controllers, 'user', (user, strapi) => ({
    async me(ctx: any) {
      // Strapi reads the account through the query engine, which the document service's input checks do not see
      checkQueryInput(strapi, USER, ctx.query ?? {});
      const wantsAffiliations = takeAffiliations(ctx.query);
      if (ctx.query?.populate === '*') delete ctx.query.populate; // '*' would reach private relations' permission checks
      await user.me(ctx);
      if (wantsAffiliations && ctx.state.user && ctx.body && typeof ctx.body === 'object') {
        ctx.body.affiliations = await strapi.service('api::affiliation.requests').listOwn(ctx.state.user.id);
      }
    },
  }));

  /** Strapi's auth actions read their fields from the body without checking there is one: no body was a 500. */
  const requireBody = (ctx: any, fields: string) => assertObjectBody(ctx.request.body, `must be a JSON object with ${fields}`);

  extendPluginFactory(plugin.controllers, 'auth', (auth, strapi) => ({
    async callback(ctx: any) {
      // only the local provider reads a body; other providers answer their redirect (GET) with a query
      if (ctx.method === 'POST') requireBody(ctx, 'identifier and password');
      return auth.callback(ctx);
    },
    async changePassword(ctx: any) {
      requireBody(ctx, 'currentPassword, password and passwordConfirmation');
      return auth.changePassword(ctx);
    },
    async sendEmailConfirmation(ctx: any) {
      requireBody(ctx, 'email');
      // Strapi reads only `email`: another field (a misspelt one, a redirect URL) was silently ignored
      assertKnownFields(ctx.request.body, ['email']);
      return queuedMail(() => auth.sendEmailConfirmation(ctx));
    },
    async register(ctx: any) {
      // the checks and the new account in one transaction, under the lock of each name the account signs in with
      // (any case; PUT /api/profile and the staff-list add take the same ones): two sign-ups, or a sign-up and a
      // profile change or a director's add, would otherwise both find the name free, and the later one be refused by
      // whichever check first saw the earlier one's account (Strapi's, naming no field or the username, not the email).
      // On SQLite, one writer at a time, only a chosen username is taken in a transaction: it would hold the one
      // connection through the password's hashing, and the email's unique index keeps one account per address. The
      // confirmation email is queued to the outbox either way (plugin-mail.ts).
      const body = ctx.request.body;
      const names = [body?.username, body?.email].filter((n): n is string => typeof n === 'string' && !!n.trim()).map(usernameLock);
      const chosen = typeof body?.username === 'string' && !!body.username.trim();
      const signUp = async () => {
        await prepareRegistration(strapi, ctx);
        return auth.register(ctx);
      };
      try {
        return await queuedMail(() => (chosen || (names.length && strapi.db.dialect.client === 'postgres') ? withNamedLocks(strapi, names, signUp) : signUp()));
      } catch (err) {
        // the same email signed up at the same moment (the check above saw neither): the unique index kept one
        if (isUniqueViolation(err)) throw accountExists();
        throw err;
      }
    },
    /**
     * L2: "If there is no L2 account associated with the address you entered, you will be prompted to create an
     * account." The prompt goes to the address, by email: the answer stays Strapi's `{ ok: true }` whether or not
     * an account exists, so the form tells nobody who has one.
     */
    async forgotPassword(ctx: any) {
      requireBody(ctx, 'email');
      const result = await queuedMail(() => auth.forgotPassword(ctx));
      const email = typeof ctx.request.body?.email === 'string' ? ctx.request.body.email.trim().toLowerCase() : '';
      if (ctx.status < 400 && email && !(await strapi.db.query(USER).findOne({ where: { email }, select: ['id'] }))) {
        await sendNoAccountPrompt(strapi, email);
      }
      return result;
    },
    /**
     * Following a password link proves the person owns the address, so an
     * account created by a director (unconfirmed, no password) becomes usable.
     */
    async resetPassword(ctx: any) {
      requireBody(ctx, 'code, password and passwordConfirmation');
      const code = ctx.request.body?.code;
      const user = typeof code === 'string' && code ? await strapi.db.query(USER).findOne({ where: { resetPasswordToken: code }, select: ['id', 'confirmed'] }) : null;
      const result = await auth.resetPassword(ctx);
      if (user && !user.confirmed && ctx.status < 400) {
        await strapi.db.query(USER).update({ where: { id: user.id }, data: { confirmed: true, confirmationToken: null } });
        if (ctx.body?.user) ctx.body.user.confirmed = true;
      }
      return result;
    },
  }));

  return plugin;
};
