import type { RoleType } from '../../bootstrap/permissions';

/**
 * Content-API actions of the accounts feature (affiliations, profile, email
 * change, people, staff lists), with the lowest role that gets each. Finer rules (own
 * affiliations only, director of *that* building) are checked in the services.
 */
export const permissions: [action: string, from: RoleType][] = [
  // a person's own affiliations
  ['api::affiliation.affiliation.mine', 'authenticated'],
  ['api::affiliation.affiliation.request', 'authenticated'],
  ['api::affiliation.affiliation.edit', 'authenticated'],
  ['api::affiliation.affiliation.end', 'authenticated'],
  // the caller's own profile
  ['api::profile.profile.find', 'authenticated'],
  ['api::profile.profile.update', 'authenticated'],
  ['api::profile.avatar.upload', 'authenticated'],
  ['api::profile.avatar.remove', 'authenticated'],
  // changing one's sign-in email: asked with the password; the link in the email works signed out (the token is the proof)
  ['api::profile.email-change.request', 'authenticated'],
  ['api::profile.email-change.confirm', 'public'],
  // Find Colleagues: members only
  ['api::person.person.find', 'member'],
  // directors edit the people of their own buildings (people.assertManages)
  ['api::person.person.update', 'director'],
  // a building's staff list: members read it, its directors change it (staff.assertDirects)
  ['api::building.staff.list', 'member'],
  ['api::building.staff.add', 'director'],
  ['api::building.staff.update', 'director'],
  ['api::building.staff.remove', 'director'],
];
