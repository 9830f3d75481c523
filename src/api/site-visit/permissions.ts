import type { RoleType } from '../../bootstrap/permissions';

/** Directors ask for visits for their own buildings (checked by the service). */
export const permissions: [action: string, from: RoleType][] = [
  ['api::site-visit.site-visit.create', 'director'],
  ['api::site-visit.site-visit.find', 'director'],
];
