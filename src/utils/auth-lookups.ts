import type { Core } from '@strapi/strapi';
import { versionedCache, type VersionedCache } from './versioned-cache';
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
const caches = new WeakMap<Core.Strapi, Record<'accounts' | 'api-tokens', VersionedCache>>();
const cachesOf = (strapi: Core.Strapi) => {
  let c = caches.get(strapi);
  if (!c) {
    // Access must not outlive a change no lifecycle saw (a failed bump after its write committed, a raw import
    // of link rows): whatever happens, an answer is rebuilt after AUTH_CACHE_MAX_AGE_SECONDS.
    const maxAgeMs = (Number(process.env.AUTH_CACHE_MAX_AGE_SECONDS) || 60) * 1000;
    c = { accounts: versionedCache(strapi, 'accounts', 5000, { maxAgeMs }), 'api-tokens': versionedCache(strapi, 'api-tokens', 1000, { maxAgeMs }) };
    caches.set(strapi, c);
  }
  return c;
};

const copies = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r }));

/** users-permissions' user and permission lookups (called from the plugin extension, before the plugin registers). */
export function cacheUsersPermissionsLookups(plugin: any) {
  extendPluginFactory(plugin.services, 'user', (service, strapi) => ({
    async fetchAuthenticatedUser(id: number | string) {
      const user = await cachesOf(strapi).accounts.get<Record<string, any> | null>(`user:${id}`, () => service.fetchAuthenticatedUser(id));
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

/** The API-token lookup by hashed access key, a miss included (called in register). */
export function cacheApiTokenLookups(strapi: Core.Strapi) {
  strapi.get('services').extend('admin::api-token-content-api', (service: Record<string, any>) => ({
    ...service,
    async getByAccessKey(hash: string, options?: unknown) {
      const token = await cachesOf(strapi)['api-tokens'].get<Record<string, any> | null>(`${hash}|${JSON.stringify(options ?? null)}`, () => service.getByAccessKey(hash, options));
      return token && { ...token };
    },
  }));
}
