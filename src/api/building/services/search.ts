import type { Core } from '@strapi/strapi';
import { versionedCache } from '../../../utils/versioned-cache';
import { notFoundError } from '../../../utils/errors';

const BUILDING = 'api::building.building';
const SYSTEM = 'api::library-system.library-system';
const STOP_WORDS = new Set(['the', 'of', 'and', 'at', 'in', 'for', 'il', 'illinois']);

/** Lower case, accents and dots/apostrophes dropped ("C.E." → "ce", "O'Fallon" → "ofallon"), other punctuation → space. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.'’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function tokens(query: string): string[] {
  return [...new Set(normalize(query).split(' ').filter((t) => t.length > 1 && !STOP_WORDS.has(t)))];
}

/** The text a building is found by: its name, its library's name, city and county. */
export function searchTextOf(b: Record<string, unknown>): string {
  return ` ${normalize([b.name, b.libraryName, b.city, b.county].filter(Boolean).join(' '))} `;
}

export interface SearchFilters {
  system?: string;
  type?: string;
  county?: string;
  city?: string;
}

interface Candidate {
  documentId: string;
  name: string;
  city: string | null;
  county: string | null;
  searchText: string;
  library?: { documentId: string; name: string; type: string; system?: { code: string; name: string } | null } | null;
}

/**
 * Scores one candidate: every query word found counts, more when it is a whole
 * word of the building or library name, more again when the name starts with it
 * or holds the whole query as a phrase. One missing word is tolerated.
 */
export function score(c: { name: string; libraryName?: string; city?: string | null; county?: string | null }, words: string[], phrase: string) {
  const name = ` ${normalize(c.name)} `;
  const library = ` ${normalize(c.libraryName ?? '')} `;
  const place = ` ${normalize(`${c.city ?? ''} ${c.county ?? ''}`)} `;
  let matched = 0;
  let points = 0;
  for (const w of words) {
    const inName = name.includes(` ${w} `) ? 4 : name.includes(` ${w}`) ? 3 : name.includes(w) ? 1 : 0;
    const inLibrary = library.includes(` ${w} `) ? 2 : library.includes(` ${w}`) ? 1.5 : library.includes(w) ? 0.5 : 0;
    const inPlace = place.includes(` ${w} `) ? 2.5 : place.includes(` ${w}`) ? 1.5 : 0;
    const best = Math.max(inName, inLibrary, inPlace);
    if (best > 0) matched += 1;
    points += best;
  }
  if (phrase && name.includes(` ${phrase}`)) points += 5;
  if (words[0] && name.startsWith(` ${words[0]}`)) points += 2;
  return { matched, points };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Results change only when a building, library or system is written: cached per query until then.
  const cache = versionedCache(strapi, 'directory', 500);

  /** The id of the library system a `system` filter names by its code (any case) or documentId; 404 naming the filter when none. */
  async function systemNamed(value: string): Promise<number> {
    const system = await strapi.db.query(SYSTEM).findOne({ where: { $or: [{ code: value.toUpperCase() }, { documentId: value }] }, select: ['id'] });
    if (system) return system.id;
    const message = `system: no library system has the code or documentId "${value}"`;
    throw notFoundError('system', message);
  }

  async function rank(query: string, filters: SearchFilters, page: number, pageSize: number) {
    const words = tokens(query);
    const where: Record<string, unknown>[] = [];
    if (filters.system) where.push({ library: { system: { id: await systemNamed(filters.system) } } });
    if (filters.type) where.push({ library: { type: filters.type } });
    if (filters.county) where.push({ county: { $eqi: filters.county } });
    if (filters.city) where.push({ city: { $eqi: filters.city } });
    if (words.length) where.push({ $or: words.map((w) => ({ searchText: { $contains: w } })) });

    // Rank on the few columns scoring needs; the page alone gets its library and system.
    const rows = (await strapi.db.query(BUILDING).findMany({
      where: { $and: where },
      select: ['id', 'name', 'city', 'county'],
      populate: { library: { select: ['name'] } },
      limit: 5000,
    })) as { id: number; name: string; city: string | null; county: string | null; library?: { name: string } | null }[];

    const phrase = words.join(' ');
    const needed = Math.max(1, words.length - 1);
    const ranked = rows
      .map((c) => ({ c, s: score({ ...c, libraryName: c.library?.name }, words, phrase) }))
      .filter(({ s }) => !words.length || s.matched >= needed)
      .sort((a, b) => b.s.matched - a.s.matched || b.s.points - a.s.points || a.c.name.localeCompare(b.c.name));

    const start = (page - 1) * pageSize;
    const pageRows = ranked.slice(start, start + pageSize);
    const details = new Map(
      ((await strapi.db.query(BUILDING).findMany({
        where: { id: { $in: pageRows.map(({ c }) => c.id) } },
        select: ['id', 'documentId'],
        populate: { library: { select: ['documentId', 'name', 'type'], populate: { system: { select: ['code', 'name'] } } } },
      })) as (Pick<Candidate, 'documentId' | 'library'> & { id: number })[]).map((d) => [d.id, d]),
    );
    return {
      results: pageRows.map(({ c, s }) => {
        const d = details.get(c.id);
        const library = d?.library;
        return {
          documentId: d?.documentId as string,
          name: c.name,
          city: c.city,
          county: c.county,
          library: library ? { documentId: library.documentId, name: library.name, type: library.type, system: library.system ?? null } : null,
          score: Math.round(s.points * 10) / 10,
        };
      }),
      pagination: { page, pageSize, pageCount: Math.ceil(ranked.length / pageSize), total: ranked.length },
    };
  }

  return {
    async search(query: string, filters: SearchFilters = {}, page = 1, pageSize = 25) {
      const key = JSON.stringify([tokens(query), filters.system, filters.type, filters.county?.toLowerCase(), filters.city?.toLowerCase(), page, pageSize]);
      return cache.get(key, () => rank(query, filters, page, pageSize));
    },
  };
};
