import type { RoleType } from '../../bootstrap/permissions';

/** Content-API actions this feature opens, with the lowest role that gets each. */
export const permissions: [action: string, from: RoleType][] = [];
