import type { Core } from '@strapi/strapi';
import { searchTextOf } from '../services/search';
import { withBuildingLock } from '../services/directory';

const BUILDING = 'api::building.building';
const LIBRARY = 'api::library.library';

// Fields whose changes the edit history records (components compared as JSON).
const TRACKED = [
  'name', 'street', 'street2', 'city', 'state', 'zip', 'county', 'latitude', 'longitude', 'phone', 'fax', 'website', 'email',
  'deliveryHub', 'deliveryRoute', 'deliveryFrequency', 'catalogAutomation', 'llsapMember', 'oclcSymbol', 'outletType',
  'fscsId', 'fscsSeq', 'needsReview', 'resourceSharing', 'nonresidentCards', 'library',
];

type Snapshot = Record<string, unknown>;

const stripIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== 'id' && k !== 'reviewReminderSentAt')
        .map(([k, v]) => [k, stripIds(v)])
    );
  }
  return value;
};

async function snapshot(strapi: Core.Strapi, documentId: string): Promise<Snapshot | null> {
  const row = await strapi.db.query(BUILDING).findOne({
    where: { documentId },
    populate: { resourceSharing: true, nonresidentCards: true, library: { select: ['documentId', 'name'] } },
  });
  if (!row) return null;
  return { ...row, library: row.library?.documentId ?? null, libraryName: row.library?.name ?? null };
}

/** Who is behind the current write: a director through the API, staff in the admin panel, or the system. */
function author(strapi: Core.Strapi) {
  const ctx = strapi.requestContext.get() as { state?: { user?: Record<string, unknown>; auth?: { strategy?: { name?: string } } } } | undefined;
  const user = ctx?.state?.user;
  if (!user) return { source: 'system', changedByName: 'System' };
  if (ctx?.state?.auth?.strategy?.name === 'admin') {
    return { source: 'system-staff', changedByAdmin: user.id, changedByName: `${user.firstname ?? ''} ${user.lastname ?? ''}`.trim() || String(user.email) };
  }
  return { source: 'director', changedByUser: user.id, changedByName: `${user.firstName ?? ''} ${user.lastName ?? ''}`.trim() || String(user.username) };
}

/**
 * Every building write, whatever its origin (director API, admin panel, importer),
 * keeps the search text current and, for updates, appends an edit-history entry.
 */
export function registerBuildingMiddleware(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid === LIBRARY && ctx.action === 'update') {
      const result = await next();
      const documentId = (ctx.params as { documentId?: string }).documentId;
      const buildings = await strapi.db.query(BUILDING).findMany({ where: { library: { documentId } }, select: ['documentId'] });
      for (const b of buildings) await refreshSearchText(strapi, b.documentId);
      return result;
    }
    if (ctx.uid !== BUILDING || (ctx.action !== 'create' && ctx.action !== 'update')) return next();

    const documentId = (ctx.params as { documentId?: string }).documentId;
    // an update's before and after are read under the building's lock: two saves at once each record what they changed
    if (ctx.action === 'update' && documentId) return withBuildingLock(strapi, documentId, () => recorded(strapi, next, documentId));
    return recorded(strapi, next, null);
  });
}

/** Saves the building (next), keeps its search text current and, for an update, records the edit in its history. */
async function recorded<T>(strapi: Core.Strapi, next: () => T, documentId: string | null): Promise<Awaited<T>> {
  const before = documentId ? await snapshot(strapi, documentId) : null;
  const result = await next();
  const savedId = (result as { documentId?: string } | null)?.documentId ?? documentId;
  if (!savedId) return result;
  const after = await snapshot(strapi, savedId);
  if (!after) return result;

  await storeSearchText(strapi, after);
  if (before) {
    const changes = TRACKED.flatMap((field) => {
      const was = stripIds(before[field] ?? null);
      const now = stripIds(after[field] ?? null);
      return JSON.stringify(was) === JSON.stringify(now) ? [] : [{ field, old: was, new: now }];
    });
    if (changes.length) {
      await strapi.documents('api::building-change.building-change').create({
        data: { building: savedId, changes, ...author(strapi) } as never,
      });
    }
  }
  return result;
}

async function refreshSearchText(strapi: Core.Strapi, documentId: string) {
  const snap = await snapshot(strapi, documentId);
  if (snap) await storeSearchText(strapi, snap);
}

/** Writes the building's search text when it changed (directly, so no history entry or middleware run). */
async function storeSearchText(strapi: Core.Strapi, snap: Snapshot) {
  const searchText = searchTextOf(snap);
  if (snap.searchText !== searchText) await strapi.db.query(BUILDING).update({ where: { id: snap.id }, data: { searchText } });
}
