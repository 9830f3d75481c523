import type { Core } from '@strapi/strapi';
import { keepRequestVersions, requestHasVersions, versionedCache, versionsColumnSql, type VersionedCache } from './versioned-cache';
import { extendPluginFactory } from './plugin-factories';

/**
 * Every content-API request is authenticated before any code of ours runs: the API-token strategy looks
 * the bearer token up among API tokens (a users-permissions JWT is not one), then users-permissions reads
 * the person with their role and the role's permissions (five queries per signed-in request; an anonymous
 * one reads the public role's permissions). The answers are kept per process under database versions
 * (`accounts`, `api-tokens`) that every write to users, roles, permissions or tokens bumps (a database
 * lifecycle, whatever writes): a role change, a block, a permission edit or a new token counts from the
 * next request, on every process.
 */
const caches = new WeakMap<Core.Strapi, Record<'accounts' | 'api-tokens' | 'settings', VersionedCache>>();
const cachesOf = (strapi: Core.Strapi) => {
  let c = caches.get(strapi);
  if (!c) {
    // Access must not outlive a change no lifecycle saw (a failed bump after its write committed, a raw import
    // of link rows): whatever happens, an answer is rebuilt after AUTH_CACHE_MAX_AGE_SECONDS.
    const maxAgeMs = (Number(process.env.AUTH_CACHE_MAX_AGE_SECONDS) || 60) * 1000;
    c = {
      accounts: versionedCache(strapi, 'accounts', 5000, { maxAgeMs }),
      'api-tokens': versionedCache(strapi, 'api-tokens', 1000, { maxAgeMs }),
      settings: versionedCache(strapi, 'settings', 200, { maxAgeMs }),
    };
    caches.set(strapi, c);
  }
  return c;
};

const copies = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r }));

// Strapi's own row-to-entity conversion (column names, booleans, dates, JSON), so the person read below is the
// object Strapi's query layer would have made; tests/api/cached-answers.test.ts compares the two.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { fromRow } = require('@strapi/database/dist/query/helpers/transform.js') as { fromRow: (meta: unknown, row: unknown) => any };

const USER = 'plugin::users-permissions.user';
const ROLE = 'plugin::users-permissions.role';

/**
 * The signed-in person with their role, as users-permissions' fetchAuthenticatedUser returns it, in one query
 * instead of two: the person's row joined to their role link, the role itself from the `accounts` cache (a few
 * roles serve every person). Inside a transaction (never on the sign-in path) it defers to Strapi's own read.
 */
export async function fetchUserWithRole(strapi: Core.Strapi, id: number | string, strapiRead: () => Promise<any>, opts: { withVersions?: boolean } = {}) {
  if (strapi.db.inTransaction()) return strapiRead();
  const users = strapi.db.metadata.get(USER) as any;
  const link = users.attributes.role.joinTable;
  const knex = strapi.db.connection;
  const row = await knex(`${users.tableName} as u`)
    .leftJoin(`${link.name} as l`, `l.${link.joinColumn.name}`, 'u.id')
    .where('u.id', id)
    .first('u.*', knex.raw('l.?? as ??', [link.inverseJoinColumn.name, '__ll_role_id']), ...(opts.withVersions ? [knex.raw(`${versionsColumnSql(strapi)} as ??`, ['__ll_versions'])] : []));
  if (!row) return null;
  const roleId = row.__ll_role_id;
  delete row.__ll_role_id;
  if (opts.withVersions) {
    keepRequestVersions(strapi, row.__ll_versions);
    delete row.__ll_versions;
  }
  const user = fromRow(users, row);
  user.role = roleId == null ? null : await cachesOf(strapi).accounts.get(`role-row:${roleId}`, () => strapi.db.query(ROLE).findOne({ where: { id: roleId } }));
  return user;
}

/** users-permissions' user and permission lookups (called from the plugin extension, before the plugin registers). */
export function cacheUsersPermissionsLookups(plugin: any) {
  extendPluginFactory(plugin.services, 'user', (service, strapi) => ({
    async fetchAuthenticatedUser(id: number | string) {
      const { accounts } = cachesOf(strapi);
      const key = `user:${id}`;
      const read = (withVersions = false) => fetchUserWithRole(strapi, id, () => service.fetchAuthenticatedUser(id), { withVersions });
      // A person not kept yet, at the request's first cached read (a sign-in after a while, every one of a burst):
      // the counters come in the same statement as the person, one query instead of two, read at one instant.
      const early = !accounts.has(key) && !requestHasVersions(strapi) ? await read(true) : undefined;
      const user = await accounts.get<Record<string, any> | null>(key, () => (early !== undefined ? Promise.resolve(early) : read()));
      // a copy per request: ctx.state.user is the request's own to change
      return user && { ...user, role: user.role && { ...user.role } };
    },
  }));

  extendPluginFactory(plugin.services, 'permission', (service, strapi) => ({
    async findRolePermissions(roleId: number | string) {
      return copies(await cachesOf(strapi).accounts.get(`role:${roleId}`, () => service.findRolePermissions(roleId)));
    },
    async findPublicPermissions() {
      return copies(await cachesOf(strapi).accounts.get('public', () => service.findPublicPermissions()));
    },
  }));
}

/**
 * What the API-token strategy hashes when the bearer is a users-permissions JWT. Strapi's access keys are hex
 * (crypto.randomBytes), a JWT is three dot-separated parts: no key Strapi issued can be one, so its lookup is
 * skipped instead of costing a query on every signed-in request whose sign-in is not cached yet.
 */
const NOT_AN_ACCESS_KEY = '(a JWT, not an API token)';
const isJwtShaped = (token: unknown) => typeof token === 'string' && token.split('.').length === 3;

/** The API-token lookup by hashed access key, a miss included (called in register). */
export function cacheApiTokenLookups(strapi: Core.Strapi) {
  strapi.get('services').extend('admin::api-token-content-api', (service: Record<string, any>) => ({
    ...service,
    hash(accessKey: string) {
      return isJwtShaped(accessKey) ? NOT_AN_ACCESS_KEY : service.hash(accessKey);
    },
    async getByAccessKey(hash: string, options?: unknown) {
      if (hash === NOT_AN_ACCESS_KEY) return null;
      const token = await cachesOf(strapi)['api-tokens'].get<Record<string, any> | null>(`${hash}|${JSON.stringify(options ?? null)}`, () => service.getByAccessKey(hash, options));
      return token && { ...token };
    },
  }));
}

/**
 * Strapi's core store (plugin settings such as users-permissions' "advanced", which its strategy reads on every
 * signed-in request) read through the `settings` version family; every core-store write bumps it. Each caller
 * gets its own copy of the value (callers change what they read before writing it back).
 */
export function cacheCoreStoreReads(strapi: Core.Strapi) {
  const store = strapi.store as unknown as { get: (params: Record<string, unknown>) => Promise<unknown> };
  const read = store.get;
  store.get = async (params: Record<string, unknown>) => {
    const value = await cachesOf(strapi).settings.get(JSON.stringify(params ?? {}), () => read(params));
    return value instanceof Date ? new Date(value) : value != null && typeof value === 'object' ? structuredClone(value) : value;
  };
}

/**
 * The content API's abilities, kept by the permissions they are made of: users-permissions builds one on every
 * signed-in request (an async hook chain per permission, ~0.25 ms), though a role's permissions rarely change.
 * Keyed by the permissions themselves, so an edited role makes a new key; only plain calls (no options, which
 * could carry a user for conditions) are kept. CASL abilities are not changed after they are built.
 */
export function cacheContentApiAbilities(strapi: Core.Strapi) {
  const engine = (strapi as any).contentAPI.permissions.engine;
  const generate = engine.generateAbility.bind(engine);
  const kept = new Map<string, Promise<unknown>>();
  engine.generateAbility = (permissions: unknown[], options?: Record<string, unknown>) => {
    if (options && Object.keys(options).length) return generate(permissions, options);
    const key = JSON.stringify(permissions);
    let ability = kept.get(key);
    if (!ability) {
      if (kept.size >= 100) kept.delete(kept.keys().next().value as string);
      ability = generate(permissions);
      ability.catch(() => kept.delete(key));
      kept.set(key, ability);
    }
    return ability;
  };
}
