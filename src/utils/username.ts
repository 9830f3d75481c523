import type { Core } from '@strapi/strapi';
import { fieldError } from './errors';

const USER = 'plugin::users-permissions.user';
/** The user schema's minLength; the column holds 255. */
const MIN = 3;
const MAX = 255;

/**
 * The one rule for an alternate username, at sign-up (POST /api/auth/local/register) and after it (PUT /api/profile).
 * Sign-in takes an email or a username as the same `identifier`, so a username must not be anyone else's email or
 * username, compared without case; and an address other than the person's own cannot be a username, or its owner
 * could not sign up with it later. Returns the trimmed username, or throws a 400 naming `username`.
 */
export async function assertUsernameAvailable(strapi: Core.Strapi, value: unknown, own: { email: string; userId?: number }): Promise<string> {
  if (typeof value !== 'string' || !value.trim()) throw fieldError('username', 'username must be a non-empty text');
  const username = value.trim();
  if (username.length < MIN || username.length > MAX) throw fieldError('username', `username must be ${MIN} to ${MAX} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(username)) throw fieldError('username', 'username must not contain control characters');
  if (username.includes('@') && username.toLowerCase() !== own.email.toLowerCase()) {
    throw fieldError('username', 'username may contain @ only when it is your own email address (another address would keep its owner from signing up with it)');
  }
  const taken = await strapi.db.query(USER).findOne({
    where: { ...(own.userId ? { id: { $ne: own.userId } } : {}), $or: [{ username: { $eqi: username } }, { email: { $eqi: username } }] },
    select: ['id'],
  });
  if (taken) throw fieldError('username', 'This username is taken; choose another alternate username or leave it out to sign in with your email');
  // one's own address is kept as the email is (lowercase): an email change then recognises it and moves it along
  return username.toLowerCase() === own.email.toLowerCase() ? own.email.toLowerCase() : username;
}

/** The lock a username is claimed under, whatever its case: sign-up and PUT /api/profile take the same one. */
export const usernameLock = (username: string) => `username:${username.trim().toLowerCase()}`;
