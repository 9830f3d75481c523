import type { RoleType } from '../../bootstrap/permissions';

/** Content-API actions of networking groups beyond the core read routes. The group feed
 * (`GET /networking-groups/:documentId/ics`) is an auth: false route: nothing to grant. */
export const permissions: [action: string, from: RoleType][] = [];
