import { inputError } from '../../../../utils/errors';
import { AFFILIATION_ROLES, type AffiliationRole } from '../../services/membership';
import type { AffiliationRequest } from '../../services/requests';

/** roles: a list of the five role names (may be empty). */
export function validateRoles(value: unknown, field = 'roles'): AffiliationRole[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw inputError(field, `must be a list of role names (${AFFILIATION_ROLES.join(', ')})`);
  const unknown = value.filter((r) => typeof r !== 'string' || !AFFILIATION_ROLES.includes(r as AffiliationRole));
  if (unknown.length) throw inputError(field, `unknown role ${JSON.stringify(unknown[0])}; allowed: ${AFFILIATION_ROLES.join(', ')}`);
  return value as AffiliationRole[];
}

export function validateJobTitle(value: unknown, field = 'jobTitle'): string {
  if (typeof value !== 'string' || !value.trim()) throw inputError(field, 'is required (your position at the library)');
  if (value.length > 200) throw inputError(field, 'must be at most 200 characters');
  return value.trim();
}

const REQUEST_FIELDS = ['building', 'jobTitle', 'roles'];

/** POST /api/affiliations { data: { building, jobTitle, roles } }; anything else is refused, not ignored. */
export function validateAffiliationRequest(body: unknown): AffiliationRequest {
  const data = (body as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw inputError('data', 'the body must be { "data": { "building", "jobTitle", "roles" } }');
  const refused = Object.keys(data).filter((k) => !REQUEST_FIELDS.includes(k));
  if (refused.length) throw inputError(refused[0], `cannot be set when asking to join a building (allowed: ${REQUEST_FIELDS.join(', ')})`);
  const { building, jobTitle, roles } = data as Record<string, unknown>;
  if (typeof building !== 'string' || !building.trim()) throw inputError('building', 'is required (the documentId of the building)');
  return { building: building.trim(), jobTitle: validateJobTitle(jobTitle), roles: validateRoles(roles) };
}

/** PUT /api/affiliations/:documentId { data: { building?, jobTitle?, roles? } } */
export function validateAffiliationEdit(body: unknown): Partial<AffiliationRequest> {
  const data = (body as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw inputError('data', 'the body must be { "data": { "building"?, "jobTitle"?, "roles"? } }');
  const refused = Object.keys(data).filter((k) => !REQUEST_FIELDS.includes(k));
  if (refused.length) throw inputError(refused[0], `cannot be changed by you (editable: ${REQUEST_FIELDS.join(', ')})`);
  if (!Object.keys(data).length) throw inputError('data', `give at least one of ${REQUEST_FIELDS.join(', ')}`);
  const d = data as Record<string, unknown>;
  const out: Partial<AffiliationRequest> = {};
  if ('building' in d) {
    if (typeof d.building !== 'string' || !d.building.trim()) throw inputError('building', 'must be the documentId of a building');
    out.building = d.building.trim();
  }
  if ('jobTitle' in d) out.jobTitle = validateJobTitle(d.jobTitle);
  if ('roles' in d) out.roles = validateRoles(d.roles);
  return out;
}
