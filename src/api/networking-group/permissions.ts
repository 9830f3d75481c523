import type { RoleType } from '../../bootstrap/permissions';

/** Content-API actions of networking groups beyond the core read routes. The group feed
 * (`GET /networking-groups/:documentId/ics`) is an auth: false route: nothing to grant.
 * Group events: any signed-in user reaches the route; only the group's primary admin passes the service. */
export const permissions: [action: string, from: RoleType][] = [
  ['api::networking-group.group-events.create', 'authenticated'],
  ['api::networking-group.group-events.update', 'authenticated'],
];
