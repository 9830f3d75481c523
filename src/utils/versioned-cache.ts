import type { Core } from '@strapi/strapi';

/**
 * Answers that are expensive to build and read far more often than their data
 * changes (the calendar, feeds, directory search) are cached per process and
 * keyed by a version counter kept in the database (table ll_cache_versions,
 * created by database/migrations). Every write to a watched content type bumps
 * the counter inside the writing transaction (a database lifecycle, so the
 * document service, db.query, imports and the admin panel all count), and every
 * request compares the counters first: one read of a few rows instead of rebuilding
 * the answer, and correct across any number of processes.
 */
const TABLE = 'll_cache_versions';

export type CacheFamily = 'calendar' | 'directory' | 'accounts' | 'api-tokens' | 'settings';

/** Which content types (and components) each cached family is built from. */
export const WATCHED: Record<CacheFamily, string[]> = {
  calendar: ['api::event.event', 'event.location', 'event.occurrence-override', 'api::tag.tag', 'api::provider.provider', 'api::networking-group.networking-group'],
  directory: ['api::building.building', 'api::library.library', 'api::library-system.library-system'],
  // who a caller is and what they may do (src/utils/auth-lookups.ts)
  accounts: ['plugin::users-permissions.user', 'plugin::users-permissions.role', 'plugin::users-permissions.permission'],
  'api-tokens': ['admin::api-token', 'admin::api-token-permission'],
  // Strapi's core store: plugin settings (users-permissions' "advanced", read on every signed-in request), layouts
  settings: ['strapi::core-store'],
};

const FAMILIES = Object.keys(WATCHED) as CacheFamily[];

/**
 * Versions a request has read, kept for the rest of that request (one read per family per request, however
 * many caches ask): as if the whole request had run at its first read. A write in the request forgets its family.
 */
const readInRequest = new WeakMap<object, Map<CacheFamily, string>>();
const currentRequest = (strapi: Core.Strapi) => strapi.requestContext.get() as object | undefined;

export async function readVersion(strapi: Core.Strapi, family: CacheFamily): Promise<string> {
  const query = () => strapi.db.connection(TABLE).where({ name: family }).first('version');
  // inside a transaction, read on its connection (SQLite has one: another read would wait for it forever)
  if (strapi.db.inTransaction()) return String((await strapi.db.transaction(({ trx }) => query().transacting(trx)))?.version ?? 0);
  const request = currentRequest(strapi);
  if (!request) return String((await query())?.version ?? 0);
  let read = readInRequest.get(request);
  if (read?.has(family)) return read.get(family)!;
  // the first read of a request takes every family's counter (a few rows): most requests consult two
  const rows: { name: CacheFamily; version: number | string }[] = await strapi.db.connection(TABLE).select('name', 'version');
  return keepForRequest(request, rows).get(family)!;
}

function keepForRequest(request: object, rows: { name: string; version: number | string }[]) {
  const read = new Map(FAMILIES.map((f) => [f, String(rows.find((r) => r.name === f)?.version ?? 0)]));
  readInRequest.set(request, read);
  return read;
}

/** Whether this request has read the counters yet (false outside a request). */
export const requestHasVersions = (strapi: Core.Strapi) => {
  const request = currentRequest(strapi);
  return !!request && readInRequest.has(request);
};

/**
 * SQL for a column holding every counter as JSON ([[name, version], ...]): a query that is a sure miss at the
 * request's first cached read takes the counters in the same statement, read at the same instant as its data.
 */
export const versionsColumnSql = (strapi: Core.Strapi) =>
  strapi.db.dialect.client === 'postgres'
    ? `(SELECT json_agg(json_build_array(name, version)) FROM ${TABLE})`
    : `(SELECT json_group_array(json_array(name, version)) FROM ${TABLE})`;

/** Keeps for the rest of the request the counters a versionsColumnSql column returned. */
export function keepRequestVersions(strapi: Core.Strapi, column: unknown) {
  const request = currentRequest(strapi);
  if (!request || readInRequest.has(request)) return;
  const pairs = (typeof column === 'string' ? JSON.parse(column) : column ?? []) as [string, number | string][];
  keepForRequest(request, pairs.map(([name, version]) => ({ name, version })));
}

/** Forgets the family's counter the current request has read: its next read takes it again (the data changed since). */
export function forgetRequestVersion(strapi: Core.Strapi, family: CacheFamily): void {
  const request = currentRequest(strapi);
  if (request) readInRequest.get(request)?.delete(family);
}

/** Bumps the family's counter in the current transaction (a new one when there is none). */
export async function bumpVersion(strapi: Core.Strapi, family: CacheFamily): Promise<void> {
  forgetRequestVersion(strapi, family);
  await strapi.db.transaction(async ({ trx }) => {
    await strapi.db.connection(TABLE).transacting(trx)
      .insert({ name: family, version: 1 })
      .onConflict('name')
      .merge({ version: strapi.db.connection.raw(`${TABLE}.version + 1`) });
  });
}

/** Registers the database lifecycles that bump each family on any write to what it is built from. */
export function watchCacheFamilies(strapi: Core.Strapi) {
  const byModel = new Map<string, CacheFamily[]>();
  for (const [family, models] of Object.entries(WATCHED) as [CacheFamily, string[]][]) {
    for (const m of models) byModel.set(m, [...(byModel.get(m) ?? []), family]);
  }
  const bump = async (event: { model: { uid: string } }) => {
    for (const family of byModel.get(event.model.uid) ?? []) await bumpVersion(strapi, family);
  };
  strapi.db.lifecycles.subscribe({
    models: [...byModel.keys()],
    afterCreate: bump,
    afterCreateMany: bump,
    afterUpdate: bump,
    afterUpdateMany: bump,
    afterDelete: bump,
    afterDeleteMany: bump,
  } as never);
}

export interface VersionedCache {
  /** The cached answer for key, built (and kept) when the family changed since it was cached. */
  get<T>(key: string, build: () => Promise<T>): Promise<T>;
  /** Whether an answer for key is kept (of whatever version): false means the next get builds it. */
  has(key: string): boolean;
}

/**
 * A bounded, least-recently-used cache of one family's answers in this process. `maxAgeMs` bounds how long an
 * answer may be served without a rebuild: a safety net for writes no lifecycle sees (a bump that failed after its
 * write committed, a raw SQL write), for the families where a stale answer would grant access.
 */
export function versionedCache(strapi: Core.Strapi, family: CacheFamily, max = 200, opts: { maxAgeMs?: number } = {}): VersionedCache {
  let version: string | null = null;
  const entries = new Map<string, { value: unknown; at: number }>();
  // answers being built, by version and key: concurrent misses (a burst) wait for one build instead of each running it
  const building = new Map<string, Promise<unknown>>();
  return {
    has: (key: string) => entries.has(key),
    async get<T>(key: string, build: () => Promise<T>): Promise<T> {
      // Inside a transaction the answer may rest on writes that are not committed (or will roll
      // back), and SQLite's one connection is the transaction's: build it there, keep nothing.
      if (strapi.db.inTransaction()) return build();
      // The version is read before the data: an answer built from newer data than its version is harmless, the
      // reverse would be served stale. Any other counter empties the cache, a lower one too: a request that read
      // its counter before a write (a rebuild is harmless) or a database restored from a backup (stale otherwise).
      const seen = await readVersion(strapi, family);
      if (seen !== version) {
        entries.clear();
        version = seen;
      }
      const hit = entries.get(key);
      if (hit && (opts.maxAgeMs == null || Date.now() - hit.at < opts.maxAgeMs)) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as T;
      }
      const flight = `${seen}|${key}`;
      let pending = building.get(flight) as Promise<T> | undefined;
      if (!pending) {
        pending = build().finally(() => building.delete(flight));
        building.set(flight, pending);
      }
      const built = await pending;
      // a write landed while building: keep the answer out of the cache
      if (version === seen) {
        entries.delete(key);
        entries.set(key, { value: built, at: Date.now() });
        if (entries.size > max) entries.delete(entries.keys().next().value as string);
      }
      return built;
    },
  };
}
