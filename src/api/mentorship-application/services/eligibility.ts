/**
 * The ILA mentorship program's eligibility rules, in one place.
 * Mentees: an ALA or ILA student member, or an ILA personal member with fewer
 * than five years of work experience who works in a library now.
 * Mentors: at least six years in the field, or employed in a library now.
 */
export type MentorshipRole = 'mentor' | 'mentee';
export type Membership = 'ala-student' | 'ila-student' | 'ila-personal' | 'ila-institutional' | 'none';

export interface EligibilityInput {
  role: MentorshipRole;
  yearsExperience: number;
  membership: Membership;
  employedInLibrary: boolean;
}

export const MENTEE_MAX_YEARS = 5; // fewer than five
export const MENTOR_MIN_YEARS = 6;

/** A rule not met, in words, and the application fields it is about (the one that failed first). */
export interface UnmetRule {
  rule: string;
  fields: (keyof EligibilityInput)[];
}

/** Returns null when eligible, otherwise the rule that is not met and the fields it is about. */
export function unmet(input: EligibilityInput): UnmetRule | null {
  if (input.role === 'mentee') {
    if (input.membership === 'ala-student' || input.membership === 'ila-student') return null;
    if (input.membership !== 'ila-personal') {
      return { rule: 'Mentees must be an ALA/ILA student member or an ILA personal member', fields: ['membership'] };
    }
    // the personal-member rules hold for that membership only: a student membership would meet them too
    if (input.yearsExperience >= MENTEE_MAX_YEARS) {
      return {
        rule: `ILA personal members can be mentees with fewer than ${MENTEE_MAX_YEARS} years of work experience (you have ${input.yearsExperience})`,
        fields: ['yearsExperience', 'membership'],
      };
    }
    if (!input.employedInLibrary) {
      return { rule: 'ILA personal members can be mentees while currently working in a library setting', fields: ['employedInLibrary', 'membership'] };
    }
    return null;
  }
  if (input.yearsExperience >= MENTOR_MIN_YEARS || input.employedInLibrary) return null;
  return {
    rule: `Mentors need at least ${MENTOR_MIN_YEARS} years in the field or current employment in a library (you have ${input.yearsExperience} years and are not employed in a library)`,
    fields: ['yearsExperience', 'employedInLibrary'],
  };
}

/** Returns null when eligible, otherwise the rule that is not met, in words. */
export function unmetRule(input: EligibilityInput): string | null {
  return unmet(input)?.rule ?? null;
}

export default () => ({ unmet, unmetRule });
