import type { EligibilityInput, Membership } from '../services/eligibility';
import { assertKnownFields, fieldError } from '../../../utils/errors';

const MEMBERSHIPS: Membership[] = ['ala-student', 'ila-student', 'ila-personal', 'ila-institutional', 'none'];
const LIBRARY_TYPES = ['public', 'academic', 'school', 'special'];
const FIELDS = ['role', 'yearsExperience', 'membership', 'employedInLibrary', 'goals', 'interests', 'region', 'libraryType', 'maxMentees'];

export interface ApplicationInput extends EligibilityInput {
  goals: string | null;
  interests: string[];
  region: string | null;
  libraryType: string | null;
  maxMentees: number;
}

const fail = (field: string, message: string) => {
  throw fieldError(field, message);
};

/** Shape checks only; eligibility is the eligibility service's rule. Status and user never come from the caller. */
export function validateApplication(data: unknown): ApplicationInput {
  if (!data || typeof data !== 'object' || Array.isArray(data)) fail('data', 'Send the application as { "data": { role, yearsExperience, membership, employedInLibrary, goals, interests } }');
  const d = data as Record<string, unknown>;
  assertKnownFields(d, FIELDS, 'or read-only field(s)');
  if (d.role !== 'mentor' && d.role !== 'mentee') fail('role', 'role must be "mentor" or "mentee"');
  if (!Number.isInteger(d.yearsExperience) || (d.yearsExperience as number) < 0 || (d.yearsExperience as number) > 70) {
    fail('yearsExperience', 'yearsExperience must be a whole number of years from 0 to 70');
  }
  if (!MEMBERSHIPS.includes(d.membership as Membership)) fail('membership', `membership must be one of ${MEMBERSHIPS.join(', ')}`);
  if (typeof d.employedInLibrary !== 'boolean') fail('employedInLibrary', 'employedInLibrary must be true or false');
  if (d.goals !== undefined && d.goals !== null && (typeof d.goals !== 'string' || d.goals.length > 4000)) fail('goals', 'goals must be text of at most 4000 characters');
  const interests = d.interests ?? [];
  if (!Array.isArray(interests) || interests.length > 20 || interests.some((i) => typeof i !== 'string' || !i.trim() || i.length > 80)) {
    fail('interests', 'interests must be a list of up to 20 short topics');
  }
  if (d.region !== undefined && d.region !== null && typeof d.region !== 'string') fail('region', 'region must be text');
  if (d.libraryType !== undefined && d.libraryType !== null && !LIBRARY_TYPES.includes(d.libraryType as string)) fail('libraryType', `libraryType must be one of ${LIBRARY_TYPES.join(', ')}`);
  const maxMentees = d.maxMentees ?? 1;
  if (!Number.isInteger(maxMentees) || (maxMentees as number) < 1 || (maxMentees as number) > 5) fail('maxMentees', 'maxMentees must be 1 to 5');
  return {
    role: d.role as 'mentor' | 'mentee',
    yearsExperience: d.yearsExperience as number,
    membership: d.membership as Membership,
    employedInLibrary: d.employedInLibrary as boolean,
    goals: (d.goals as string) ?? null,
    interests: (interests as string[]).map((i) => i.trim().toLowerCase()),
    region: (d.region as string) ?? null,
    libraryType: (d.libraryType as string) ?? null,
    maxMentees: maxMentees as number,
  };
}
