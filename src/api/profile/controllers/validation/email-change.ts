import { assertObjectBody, inputError } from '../../../../utils/errors';
import { emailProblem } from '../../../../utils/input-limits';

const FIELDS = ['email', 'password'];

export interface EmailChangeInput {
  email: string;
  password: string;
}

/**
 * POST /api/profile/email { email, password }. The address is stored as
 * users-permissions stores emails: trimmed and lowercase.
 */
export function validateEmailChange(body: unknown): EmailChangeInput {
  assertObjectBody(body, 'must be { email, password }');
  const refused = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (refused.length) throw inputError(refused[0], `cannot be sent here (allowed: ${FIELDS.join(', ')})`);
  const b = body as Record<string, unknown>;
  if (typeof b.email !== 'string' || !b.email.trim()) throw inputError('email', 'is required: the new address');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(b.email)) throw inputError('email', 'must not contain control characters');
  const email = b.email.trim().toLowerCase();
  const emailRule = emailProblem(email);
  if (emailRule) throw inputError('email', emailRule);
  if (typeof b.password !== 'string' || !b.password) throw inputError('password', 'is required: your current password');
  return { email, password: b.password };
}

/** The token of a confirmation link: what the link carries, or nothing (answered like an unknown token). */
export function tokenParam(value: unknown): string | null {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : null;
}
