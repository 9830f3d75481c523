import type { RoleType } from '../../bootstrap/permissions';

/** Anyone signed in may apply; eligibility is checked by the eligibility rule, not by role. */
export const permissions: [action: string, from: RoleType][] = [
  ['api::mentorship-application.mentorship-application.create', 'authenticated'],
  ['api::mentorship-application.mentorship-application.mine', 'authenticated'],
];
