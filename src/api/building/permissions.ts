import type { RoleType } from '../../bootstrap/permissions';

/** Directory actions; the services check that a director edits only their own buildings. */
export const permissions: [action: string, from: RoleType][] = [
  ['api::building.directory.search', 'public'],
  ['api::building.building.update', 'director'],
  ['api::building.directory.history', 'director'],
  ['api::building.directory.setNonresidentCard', 'director'],
  ['api::building.directory.uploadPolicy', 'director'],
];
