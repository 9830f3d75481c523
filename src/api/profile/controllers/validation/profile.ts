import { assertObjectBody, inputError } from '../../../../utils/errors';

export const PROFILE_FIELDS = ['firstName', 'lastName', 'phone', 'bio', 'social', 'avatar', 'username'] as const;
const SOCIAL_FIELDS = ['website', 'linkedin', 'facebook', 'instagram', 'bluesky', 'mastodon'];
const SOCIAL_LINK_RULE = 'must be a web address (https://…) or a handle (@name, @name@server, www.library.example)';
/**
 * A social link websites can show as a link: an http(s) address, or text without a scheme (a handle, a bare host).
 * Any other scheme (javascript:, data:) would run or load what the person wrote in every page that links it.
 */
function isSafeLink(link: string): boolean {
  if (link === '') return true;
  if (!link.includes(':')) return /^@?[\w.-]+(@[\w.-]+)?(\/[^\s]*)?$/.test(link);
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
const MAX: Record<string, number> = { firstName: 100, lastName: 100, phone: 40, bio: 2000 };

/** The social links of a profile as any writer stores them (the admin panel's account form too): safe links only. */
export function assertSafeSocialLinks(social: unknown): void {
  if (!social || typeof social !== 'object') return;
  for (const field of SOCIAL_FIELDS) {
    const link = (social as Record<string, unknown>)[field];
    if (typeof link === 'string' && !isSafeLink(link.trim())) throw inputError(`social.${field}`, SOCIAL_LINK_RULE);
  }
}

export interface ProfileInput {
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  bio?: string | null;
  social?: Record<string, string | null> | null;
  /** only null (remove it): an avatar is uploaded with POST /api/profile/avatar */
  avatar?: null;
  /** checked against other accounts by the profile service (utils/username.ts) */
  username?: unknown;
}

/**
 * PUT /api/profile and PUT /api/people/:documentId: the body is the profile
 * fields themselves. Anything else (role, confirmed, blocked, email, password…)
 * is refused with 400 naming it, never silently dropped. The email changes only
 * through its own confirmed route (services/email-change.ts), never here, not
 * even by a director: whoever could point a colleague's account at an address
 * they read could take it over with "Forgot password". The username (the other
 * sign-in identifier) is the account holder's own too (`by: 'self'`).
 */
export function validateProfile(body: unknown, by: 'self' | 'director' = 'self'): ProfileInput {
  assertObjectBody(body, `must be a JSON object with some of ${PROFILE_FIELDS.join(', ')}`);
  const refused = Object.keys(body).filter((k) => !(PROFILE_FIELDS as readonly string[]).includes(k));
  if (refused.includes('email')) throw inputError('email', 'cannot be changed here: the account holder changes it with POST /api/profile/email { email, password }, confirmed from the new address');
  if (refused.length) throw inputError(refused[0], `cannot be changed here (editable profile fields: ${PROFILE_FIELDS.join(', ')})`);
  if (by !== 'self' && 'username' in body) throw inputError('username', 'is changed only by the account holder, with PUT /api/profile');
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
        if (typeof link === 'string' && !isSafeLink(link.trim())) throw inputError(`social.${k}`, SOCIAL_LINK_RULE);
      }
    }
    out.social = v as ProfileInput['social'];
  }
  if ('avatar' in input) {
    // a file id would let anyone show any stored file (another person's avatar, an attachment) as theirs
    if (input.avatar !== null) throw inputError('avatar', 'can only be null here (removes it); upload an image with POST /api/profile/avatar (multipart, field "avatar")');
    out.avatar = null;
  }
  if ('username' in input) out.username = input.username;
  return out;
}
