import { validateJobTitle, validateRoles } from '../../../affiliation/controllers/validation/affiliation';
import { assertObjectBody, inputError } from '../../../../utils/errors';
import type { NewStaff } from '../../services/staff';
import { emailProblem } from '../../../../utils/input-limits';

const FIELDS = ['firstName', 'lastName', 'email', 'jobTitle', 'roles'];

/** POST /api/buildings/:documentId/staff { firstName, lastName, email, jobTitle, roles? } */
export function validateNewStaff(body: unknown): NewStaff {
  assertObjectBody(body, 'must be { firstName, lastName, email, jobTitle }');
  const refused = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (refused.length) throw inputError(refused[0], `cannot be set when adding staff (allowed: ${FIELDS.join(', ')})`);
  const b = body as Record<string, unknown>;
  for (const f of ['firstName', 'lastName'] as const) {
    if (typeof b[f] !== 'string' || !(b[f] as string).trim()) throw inputError(f, 'is required');
    if ((b[f] as string).length > 100) throw inputError(f, 'must be at most 100 characters');
  }
  if (typeof b.email !== 'string') throw inputError('email', 'must be a valid email address');
  const emailRule = emailProblem(b.email.trim());
  if (emailRule) throw inputError('email', emailRule);
  const roles = validateRoles(b.roles ?? ['staff']);
  return {
    firstName: (b.firstName as string).trim(),
    lastName: (b.lastName as string).trim(),
    email: b.email.trim().toLowerCase(),
    jobTitle: validateJobTitle(b.jobTitle),
    roles,
  };
}

const EDIT_FIELDS = ['jobTitle'];

/**
 * PUT /api/buildings/:documentId/staff/:userDocumentId { jobTitle }: a director corrects a title on the staff
 * list. Roles, status, building and user are refused, never applied: those are system staff's and the person's.
 */
export function validateStaffEdit(body: unknown): { jobTitle: string } {
  assertObjectBody(body, 'must be { jobTitle }');
  const refused = Object.keys(body).filter((k) => !EDIT_FIELDS.includes(k));
  if (refused.length) throw inputError(refused[0], `cannot be changed on the staff list (editable: ${EDIT_FIELDS.join(', ')})`);
  return { jobTitle: validateJobTitle((body as Record<string, unknown>).jobTitle) };
}
