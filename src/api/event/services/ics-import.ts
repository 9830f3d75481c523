import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { parseIcs, type ImportedEvent, type ParseResult } from '../feeds/ics-parse';

/**
 * Service `api::event.ics-import`: loads an external ICS calendar into a networking
 * group's events. Idempotent by UID (event.externalUid, scoped by event.importSource):
 * re-importing the same feed changes nothing; events that vanished from the feed are
 * deleted only when nobody registered for them.
 */

export interface ImportSummary {
  group: string;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  kept: { uid: string; documentId: string; reason: string }[];
  skipped: { uid: string | null; reason: string }[];
}

const MAX_BYTES = 5 * 1024 * 1024;

const ms = (v: unknown) => (v ? new Date(v as string).getTime() : null);
const slugify = (s: string) =>
  s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'event';

/** The fields an import owns, in a comparable form. */
function fingerprint(e: Record<string, any>): string {
  return JSON.stringify({
    title: e.title,
    description: e.description ?? null,
    start: ms(e.start),
    end: ms(e.end),
    allDay: Boolean(e.allDay),
    rrule: e.rrule || null,
    exdates: ((e.exdates as string[] | null) ?? []).map(ms).sort(),
    cancelled: Boolean(e.cancelled),
    location: (e.locations ?? [])[0]?.name ?? null,
    changes: ((e.occurrenceChanges ?? []) as any[])
      .map((c) => [ms(c.occurrence), Boolean(c.cancelled), ms(c.start), ms(c.end), c.note ?? null])
      .sort((a, b) => (a[0] as number) - (b[0] as number)),
  });
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = {
  /** Downloads an ICS feed (http/https only, size-capped, 20 s timeout). */
  async fetchText(url: string): Promise<string> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new errors.ValidationError(`icsFeedUrl: "${url}" is not a URL`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new errors.ValidationError('icsFeedUrl: only http and https feeds can be imported');
    const res = await fetch(parsed, { signal: AbortSignal.timeout(20000), headers: { Accept: 'text/calendar, */*' } });
    if (!res.ok) throw new errors.ApplicationError(`ICS feed answered ${res.status} ${res.statusText}`);
    const text = await res.text();
    if (text.length > MAX_BYTES) throw new errors.ApplicationError('ICS feed is larger than 5 MB');
    return text;
  },

  /** Imports ICS text for a group (slug or documentId). */
  async importForGroup(groupRef: string, text: string): Promise<ImportSummary> {
    const group = (await strapi.documents('api::networking-group.networking-group').findFirst({
      filters: { $or: [{ slug: groupRef }, { documentId: groupRef }] },
    } as never)) as any;
    if (!group) throw new errors.NotFoundError(`No networking group "${groupRef}"`);
    let parsed;
    try {
      parsed = parseIcs(text);
    } catch (err) {
      throw new errors.ValidationError((err as Error).message);
    }
    // all or nothing: a failure part way (a database error, a restart) leaves the group's events
    // and lastImportedAt as the previous run left them, and the next run starts over
    return strapi.db.transaction(() => service.importParsed(group, parsed));
  },

  /** Writes a parsed feed into the group's events (inside importForGroup's transaction). */
  async importParsed(group: { documentId: string; slug: string }, parsed: ParseResult): Promise<ImportSummary> {
    const source = `ics:networking-group:${group.documentId}`;
    const docs = strapi.documents('api::event.event');
    const existing = (await docs.findMany({ filters: { importSource: source }, status: 'draft', populate: { locations: true, occurrenceChanges: true }, limit: -1 } as never)) as any[];
    const byUid = new Map(existing.map((e) => [e.externalUid as string, e]));
    const summary: ImportSummary = { group: group.slug, created: 0, updated: 0, unchanged: 0, removed: 0, kept: [], skipped: parsed.skipped };

    const dataOf = (i: ImportedEvent) => ({
      title: i.title,
      description: [i.description, i.url ? `More: ${i.url}` : null].filter(Boolean).join('\n\n') || null,
      start: i.start,
      end: i.end,
      allDay: i.allDay,
      rrule: i.rrule,
      exdates: i.exdates,
      cancelled: i.cancelled,
      occurrenceChanges: i.occurrenceChanges,
      locations: i.location ? [{ key: 'venue', name: i.location.slice(0, 255) }] : [],
    });

    for (const item of parsed.events) {
      const data = dataOf(item);
      const current = byUid.get(item.uid);
      if (current) {
        byUid.delete(item.uid);
        if (fingerprint(current) === fingerprint(data)) {
          summary.unchanged += 1;
          continue;
        }
        await docs.update({ documentId: current.documentId, data } as never);
        await docs.publish({ documentId: current.documentId } as never);
        summary.updated += 1;
        continue;
      }
      const hash = crypto.createHash('sha1').update(`${source}|${item.uid}`).digest('hex').slice(0, 8);
      const created = await docs.create({
        data: {
          ...data,
          slug: `${slugify(item.title)}-${hash}`,
          audience: 'public',
          kind: 'networking',
          registrationMode: 'none',
          registrationAudience: 'everyone',
          networkingGroup: group.documentId,
          externalUid: item.uid,
          importSource: source,
        },
      } as never);
      await docs.publish({ documentId: created.documentId } as never);
      summary.created += 1;
    }

    // vanished from the feed: delete unless someone registered (an entry we could not
    // read is still in the feed, so it stays as it was)
    for (const s of parsed.skipped) if (s.uid) byUid.delete(s.uid);
    for (const [uid, e] of byUid) {
      const registrations = await strapi.db.query('api::registration.registration').count({
        where: { $or: [{ eventDocumentId: e.documentId }, { event: { documentId: e.documentId } }] },
      });
      if (registrations > 0) {
        summary.kept.push({ uid, documentId: e.documentId, reason: `${registrations} registration(s): left in place for staff to cancel` });
        continue;
      }
      await docs.delete({ documentId: e.documentId } as never);
      summary.removed += 1;
    }
    await strapi.documents('api::networking-group.networking-group').update({ documentId: group.documentId, data: { lastImportedAt: new Date().toISOString() } } as never);
    return summary;
  },

  /** Imports a group's stored feed address (networking-group.icsFeedUrl). */
  async importGroupFeed(groupRef: string): Promise<ImportSummary> {
    const group = (await strapi.documents('api::networking-group.networking-group').findFirst({
      filters: { $or: [{ slug: groupRef }, { documentId: groupRef }] },
    } as never)) as any;
    if (!group) throw new errors.NotFoundError(`No networking group "${groupRef}"`);
    if (!group.icsFeedUrl) throw new errors.ValidationError(`icsFeedUrl: the group "${group.slug}" has no ICS feed address`);
    return service.importForGroup(group.documentId, await service.fetchText(group.icsFeedUrl));
  },
  };
  return service;
};
