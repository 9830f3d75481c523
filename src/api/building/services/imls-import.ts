import type { Core } from '@strapi/strapi';
import type { ImlsOutlet } from '../imls/parse';

const LIBRARY = 'api::library.library';
const BUILDING = 'api::building.building';

export interface ImportSummary {
  librariesCreated: number;
  librariesUpdated: number;
  created: number;
  updated: number;
  unchanged: number;
  flagged: number;
}

type Row = Record<string, unknown> & { documentId: string };

// Fields the IMLS file owns; a re-import refreshes these and nothing else.
const BUILDING_FIELDS = [
  'name', 'street', 'city', 'state', 'county', 'latitude', 'longitude', 'phone',
  'outletType', 'squareFeet', 'hoursPerYear', 'needsReview', 'reviewNote',
] as const;

const same = (a: unknown, b: unknown) => {
  if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '';
  if (typeof a === 'number' || typeof b === 'number') return Math.abs(Number(a) - Number(b)) < 1e-6;
  return a === b;
};

/**
 * Loads IMLS outlets as libraries (one per FSCS id) and buildings (one per
 * FSCS id + sequence). Idempotent: existing records are matched by those keys
 * and only changed fields are written.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async importOutlets(outlets: ImlsOutlet[], opts: { batchSize?: number } = {}): Promise<ImportSummary> {
    const summary: ImportSummary = { librariesCreated: 0, librariesUpdated: 0, created: 0, updated: 0, unchanged: 0, flagged: 0 };

    const libraries = new Map<string, Row>();
    for (const lib of (await strapi.db.query(LIBRARY).findMany({ select: ['id', 'documentId', 'name', 'fscsId'] })) as Row[]) {
      if (lib.fscsId) libraries.set(String(lib.fscsId), lib);
    }
    const buildings = new Map<string, Row>();
    for (const b of (await strapi.db.query(BUILDING).findMany({ select: ['id', 'documentId', 'fscsId', 'fscsSeq', ...BUILDING_FIELDS] })) as Row[]) {
      if (b.fscsId) buildings.set(`${b.fscsId}:${b.fscsSeq}`, b);
    }

    const batchSize = opts.batchSize ?? 200;
    for (let i = 0; i < outlets.length; i += batchSize) {
      const batch = outlets.slice(i, i + batchSize);
      // One transaction per batch: far fewer fsyncs on SQLite, bounded lock time on PostgreSQL.
      await strapi.db.transaction(async () => {
        for (const outlet of batch) {
          const library = await this.upsertLibrary(outlet, libraries, summary);
          await this.upsertBuilding(outlet, library, buildings, summary);
          if (outlet.needsReview) summary.flagged += 1;
        }
      });
    }
    return summary;
  },

  async upsertLibrary(outlet: ImlsOutlet, libraries: Map<string, Row>, summary: ImportSummary): Promise<Row> {
    const existing = libraries.get(outlet.fscsId);
    if (!existing) {
      const created = (await strapi.documents(LIBRARY).create({
        data: { name: outlet.libraryName, type: 'public', fscsId: outlet.fscsId } as never,
      })) as unknown as Row;
      libraries.set(outlet.fscsId, created);
      summary.librariesCreated += 1;
      return created;
    }
    if (existing.name !== outlet.libraryName) {
      const updated = (await strapi.documents(LIBRARY).update({
        documentId: existing.documentId,
        data: { name: outlet.libraryName } as never,
      })) as unknown as Row;
      libraries.set(outlet.fscsId, updated);
      summary.librariesUpdated += 1;
      return updated;
    }
    return existing;
  },

  async upsertBuilding(outlet: ImlsOutlet, library: Row, buildings: Map<string, Row>, summary: ImportSummary) {
    const key = `${outlet.fscsId}:${outlet.fscsSeq}`;
    const data: Record<string, unknown> = {
      name: outlet.name,
      street: outlet.street,
      city: outlet.city,
      state: outlet.state,
      county: outlet.county,
      latitude: outlet.latitude,
      longitude: outlet.longitude,
      phone: outlet.phone,
      outletType: outlet.outletType,
      squareFeet: outlet.squareFeet,
      hoursPerYear: outlet.hoursPerYear,
      needsReview: outlet.needsReview,
      reviewNote: outlet.reviewNote,
    };
    const existing = buildings.get(key);
    if (!existing) {
      const created = (await strapi.documents(BUILDING).create({
        data: { ...data, fscsId: outlet.fscsId, fscsSeq: outlet.fscsSeq, library: library.documentId } as never,
      })) as unknown as Row;
      buildings.set(key, created);
      summary.created += 1;
      return;
    }
    const changed = Object.fromEntries(Object.entries(data).filter(([k, v]) => !same(v, existing[k])));
    if (!Object.keys(changed).length) {
      summary.unchanged += 1;
      return;
    }
    await strapi.documents(BUILDING).update({ documentId: existing.documentId, data: changed as never });
    summary.updated += 1;
  },
});
