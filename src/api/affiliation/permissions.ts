import type { RoleType } from '../../bootstrap/permissions';

/** Content-API actions this feature opens, with the lowest role that gets each. */
export const permissions: [action: string, from: RoleType][] = [
  ['api::affiliation.affiliation.mine', 'authenticated'],
  ['api::affiliation.affiliation.request', 'authenticated'],
  ['api::affiliation.affiliation.end', 'authenticated'],
];
