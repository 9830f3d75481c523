import { inputError } from '../../../../utils/errors';
import { isInt32 } from '../../../../utils/input-limits';

export const PROFILE_FIELDS = ['firstName', 'lastName', 'phone', 'bio', 'social', 'avatar'] as const;
const SOCIAL_FIELDS = ['website', 'linkedin', 'facebook', 'instagram', 'bluesky', 'mastodon'];
const MAX: Record<string, number> = { firstName: 100, lastName: 100, phone: 40, bio: 2000 };

export interface ProfileInput {
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  bio?: string | null;
  social?: Record<string, string | null> | null;
  avatar?: number | null;
}

/**
 * PUT /api/profile and PUT /api/people/:documentId: the body is the profile
 * fields themselves. Anything else (role, confirmed, blocked, email, password…)
 * is refused with 400 naming it, never silently dropped. The email changes only
 * through its own confirmed route (services/email-change.ts), never here, not
 * even by a director: whoever could point a colleague's account at an address
 * they read could take it over with "Forgot password".
 */
export function validateProfile(body: unknown): ProfileInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw inputError('body', `must be a JSON object with some of ${PROFILE_FIELDS.join(', ')}`);
  const refused = Object.keys(body).filter((k) => !(PROFILE_FIELDS as readonly string[]).includes(k));
  if (refused.includes('email')) throw inputError('email', 'cannot be changed here: the account holder changes it with POST /api/profile/email { email, password }, confirmed from the new address');
  if (refused.length) throw inputError(refused[0], `cannot be changed here (editable profile fields: ${PROFILE_FIELDS.join(', ')})`);
  const input = body as Record<string, unknown>;
  const out: ProfileInput = {};
  for (const field of ['firstName', 'lastName'] as const) {
    if (!(field in input)) continue;
    const v = input[field];
    if (typeof v !== 'string' || !v.trim()) throw inputError(field, 'must be a non-empty text');
    if (v.length > MAX[field]) throw inputError(field, `must be at most ${MAX[field]} characters`);
    out[field] = v.trim();
  }
  for (const field of ['phone', 'bio'] as const) {
    if (!(field in input)) continue;
    const v = input[field];
    if (v !== null && typeof v !== 'string') throw inputError(field, 'must be a text or null');
    if (typeof v === 'string' && v.length > MAX[field]) throw inputError(field, `must be at most ${MAX[field]} characters`);
    out[field] = v === null ? null : (v as string).trim();
  }
  if ('social' in input) {
    const v = input.social;
    if (v !== null && (typeof v !== 'object' || Array.isArray(v))) throw inputError('social', `must be an object with ${SOCIAL_FIELDS.join(', ')}`);
    if (v) {
      for (const [k, link] of Object.entries(v)) {
        if (!SOCIAL_FIELDS.includes(k)) throw inputError(`social.${k}`, `unknown link (allowed: ${SOCIAL_FIELDS.join(', ')})`);
        if (link !== null && (typeof link !== 'string' || link.length > 300)) throw inputError(`social.${k}`, 'must be a text of at most 300 characters or null');
      }
    }
    out.social = v as ProfileInput['social'];
  }
  if ('avatar' in input) {
    const v = input.avatar;
    // an id is a 32-bit integer: a larger number is no file (PostgreSQL refused the lookup with a 500)
    if (v !== null && !(isInt32(v) && (v as number) > 0)) throw inputError('avatar', 'must be the id of an uploaded image, or null');
    out.avatar = v as number | null;
  }
  return out;
}
