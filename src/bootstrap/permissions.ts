import type { Core } from '@strapi/strapi';

/**
 * The users-permissions roles and their content-API permissions, as code.
 * Bootstrap makes the database match this table on every start: missing
 * permissions are added, and managed ones not listed here are removed, so
 * nothing depends on clicks in the admin panel.
 */
export type RoleType = 'public' | 'authenticated' | 'member' | 'director';

export const ROLE_DEFINITIONS: Record<RoleType, { name: string; description: string }> = {
  public: { name: 'Public', description: 'Anonymous visitors: the public calendar and directory.' },
  authenticated: {
    name: 'Authenticated',
    description: 'Guest: signed in, but without an approved library affiliation. Limited access.',
  },
  member: { name: 'Member', description: 'At least one library affiliation approved by system staff.' },
  director: {
    name: 'Director',
    description: 'A member whose approved affiliation carries the director or directory-editor role.',
  },
};

const read = (uid: string) => [`${uid}.find`, `${uid}.findOne`];

/** The public calendar and directory: read by everyone, through Strapi's own find/findOne (GraphQL too, see graphql.ts). */
export const PUBLIC_TYPES = [
  'api::event.event',
  'api::building.building',
  'api::library.library',
  'api::library-system.library-system',
  'api::networking-group.networking-group',
  'api::tag.tag',
  'api::provider.provider',
];

const PUBLIC_CONTENT = PUBLIC_TYPES.flatMap(read);

const AUTH_ROUTES = [
  'plugin::users-permissions.auth.callback',
  'plugin::users-permissions.auth.connect',
  'plugin::users-permissions.auth.register',
  'plugin::users-permissions.auth.forgotPassword',
  'plugin::users-permissions.auth.resetPassword',
  'plugin::users-permissions.auth.emailConfirmation',
  'plugin::users-permissions.auth.sendEmailConfirmation',
];

const SIGNED_IN = [
  ...PUBLIC_CONTENT,
  'plugin::users-permissions.user.me',
  'plugin::users-permissions.auth.changePassword',
];

const MEMBER = [...SIGNED_IN];

const DIRECTOR = [...MEMBER];

/** Feature modules add their actions here (see `grant`). */
export const ROLE_PERMISSIONS: Record<RoleType, Set<string>> = {
  public: new Set([...PUBLIC_CONTENT, ...AUTH_ROUTES]),
  authenticated: new Set(SIGNED_IN),
  member: new Set(MEMBER),
  director: new Set(DIRECTOR),
};

/** Grants an action to the given roles and every role above them. */
export function grant(action: string, from: RoleType) {
  const order: RoleType[] = ['public', 'authenticated', 'member', 'director'];
  for (const role of order.slice(order.indexOf(from))) ROLE_PERMISSIONS[role].add(action);
}

// Feature modules' own routes (see feature-permissions.ts).
import { FEATURE_PERMISSIONS } from './feature-permissions';
for (const [action, from] of FEATURE_PERMISSIONS) grant(action, from);

// Actions of these namespaces are managed here; others (e.g. upload) keep Strapi's defaults.
const MANAGED = (action: string) => action.startsWith('api::') || action.startsWith('plugin::users-permissions.');

export async function syncRolesAndPermissions(strapi: Core.Strapi) {
  const roleQuery = strapi.db.query('plugin::users-permissions.role');
  const permissionQuery = strapi.db.query('plugin::users-permissions.permission');

  for (const type of Object.keys(ROLE_DEFINITIONS) as RoleType[]) {
    const def = ROLE_DEFINITIONS[type];
    let role = await roleQuery.findOne({ where: { type } });
    if (!role) {
      role = await roleQuery.create({ data: { type, name: def.name, description: def.description } });
    } else if (role.description !== def.description || role.name !== def.name) {
      role = await roleQuery.update({ where: { id: role.id }, data: { name: def.name, description: def.description } });
    }

    const wanted = ROLE_PERMISSIONS[type];
    const existing: { id: number; action: string }[] = await permissionQuery.findMany({
      where: { role: role.id },
      select: ['id', 'action'],
    });
    const have = new Set(existing.map((p) => p.action));
    const stale = existing.filter((p) => MANAGED(p.action) && !wanted.has(p.action)).map((p) => p.id);
    if (stale.length) await permissionQuery.deleteMany({ where: { id: { $in: stale } } });
    for (const action of wanted) {
      if (!have.has(action)) await permissionQuery.create({ data: { action, role: role.id } });
    }
  }
}

export async function roleIdByType(strapi: Core.Strapi, type: RoleType): Promise<number> {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type }, select: ['id'] });
  if (!role) throw new Error(`users-permissions role "${type}" is missing; bootstrap did not run`);
  return role.id;
}
