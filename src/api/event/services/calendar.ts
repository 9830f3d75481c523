import crypto from 'crypto';
import { rowsOfUser } from '../../../utils/user-relations';
import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import type { Viewer } from './visibility';
import { calendarZone, expand, findOccurrence, isRecurring } from '../recurrence/rule';
import { buildCalendar, type BuiltFeed, type FeedEvent } from '../feeds/ics';
import { versionedCache } from '../../../utils/versioned-cache';
import { notFoundError } from '../../../utils/errors';

/**
 * Service `api::event.calendar`: reads published events for the occurrences API and
 * the iCal feeds. Who sees what comes from `api::event.visibility`; feeds that serve
 * anonymous callers (public, group) always ask it for the anonymous viewer.
 */

export interface CalendarFilters {
  tag?: string;
  group?: string;
  provider?: string;
  audience?: 'public' | 'members';
  /** the calendar's search box: every word in the event's title, summary or description (any case) */
  q?: string[];
}

/** Registrations that put an event in the person's calendar. */
export const ACTIVE_REGISTRATION = ['confirmed', 'waitlisted', 'pending-payment'];

const POPULATE = {
  tags: { fields: ['name', 'slug'] },
  provider: { fields: ['name', 'slug'] },
  networkingGroup: { fields: ['name', 'slug'] },
  locations: true,
  occurrenceChanges: true,
} as const;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const bySlugOrId = (v: string) => ({ $or: [{ slug: v }, { documentId: v }] });
const ANON: Viewer = { userId: null, userDocumentId: null, isMember: false };

type EventDoc = FeedEvent & Record<string, any>;
/** A location as an occurrence shows it. */
type Location = { key?: string; name?: string; onlineUrl: string | null };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const visibility = () => strapi.service('api::event.visibility');
  // Occurrences and feeds depend only on published events (and their tags, provider, group)
  // and on whether the viewer sees members-only events: cached per that, until any of them is written.
  const cache = versionedCache(strapi, 'calendar');
  // Searches (`q`) are kept apart: each is asked for rarely, and a run of different ones pushed the month pages and
  // feeds every calendar polls out of the shared cache.
  const searches = versionedCache(strapi, 'calendar', 50);
  const cacheFor = (f: CalendarFilters) => (f.q?.length ? searches : cache);
  const viewerClass = (viewer: Viewer) => (visibility().eventFilters(viewer).audience ? 'public' : 'members');
  const keyOf = (...parts: unknown[]) => JSON.stringify(parts);
  const events = () => strapi.documents('api::event.event');

  const filtersFor = (viewer: Viewer, f: CalendarFilters, extra: Record<string, unknown>[] = []) => {
    const and: Record<string, unknown>[] = [visibility().eventFilters(viewer), ...extra];
    if (f.tag) and.push({ tags: bySlugOrId(f.tag) });
    if (f.group) and.push({ networkingGroup: bySlugOrId(f.group) });
    if (f.provider) and.push({ provider: bySlugOrId(f.provider) });
    if (f.audience) and.push({ audience: f.audience });
    for (const word of f.q ?? []) and.push({ $or: ['title', 'summary', 'description'].map((field) => ({ [field]: { $containsi: word } })) });
    return { $and: and.filter((x) => Object.keys(x).length) };
  };

  const published = async (filters: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<EventDoc[]> =>
    (await events().findMany({ filters, status: 'published', populate: POPULATE, ...extra } as never)) as unknown as EventDoc[];

  /** The public summary of an event that each occurrence carries. */
  const eventSummary = (e: EventDoc) => ({
    documentId: e.documentId,
    title: e.title,
    slug: e.slug,
    summary: e.summary ?? null,
    audience: e.audience,
    kind: e.kind,
    allDay: e.allDay ?? false,
    recurring: isRecurring(e),
    registrationMode: e.registrationMode,
    registrationAudience: e.registrationAudience,
    fee: e.fee ?? null,
    pdhHours: e.pdhHours ?? null,
    cancelled: e.cancelled ?? false,
    provider: e.provider ? { documentId: e.provider.documentId, name: e.provider.name, slug: e.provider.slug } : null,
    networkingGroup: e.networkingGroup ? { documentId: e.networkingGroup.documentId, name: e.networkingGroup.name, slug: e.networkingGroup.slug } : null,
    tags: (e.tags ?? []).map((t: any) => ({ name: t.name, slug: t.slug })),
  });

  /** Where an occurrence takes place: every location of its event (in-person sites, an online link), as the feeds list them. */
  const locationsOf = (e: EventDoc): Location[] =>
    ((e.locations ?? []) as { key?: string; name?: string; onlineUrl?: string }[]).map((l) => ({ key: l.key, name: l.name, onlineUrl: l.onlineUrl ?? null }));

  /** The filter (tag, group, provider) naming nothing that exists, with its value; null when all do. */
  const unknownFilter = (f: CalendarFilters) =>
    cache.get(keyOf('unknown-filter', f.tag, f.group, f.provider), async () => {
      const lookups: [keyof CalendarFilters, string, string | undefined][] = [
        ['tag', 'api::tag.tag', f.tag],
        ['group', 'api::networking-group.networking-group', f.group],
        ['provider', 'api::provider.provider', f.provider],
      ];
      for (const [param, uid, value] of lookups) {
        if (value && !(await strapi.db.query(uid as never).findOne({ where: bySlugOrId(value), select: ['id'] }))) return { param, value };
      }
      return null;
    });

  return {
    /**
     * 404 naming the parameter when a filter names no tag, group or provider: a calendar subscribed with a
     * misspelt one showed nothing, for ever, with no sign of why.
     */
    async assertFiltersExist(f: CalendarFilters) {
      const unknown = await unknownFilter(f);
      if (!unknown) return;
      const what = { tag: 'tag has the slug or documentId', group: 'networking group has the slug or documentId', provider: 'provider has the slug or documentId' }[unknown.param as 'tag' | 'group' | 'provider'];
      const message = `${unknown.param}: no ${what} "${unknown.value}"`;
      throw notFoundError(unknown.param, message);
    },

    /** Occurrences in [from, to) the viewer may see, cancelled ones left out, sorted by start. */
    async occurrences(viewer: Viewer, from: DateTime, to: DateTime, f: CalendarFilters) {
      return cacheFor(f).get(keyOf('occurrences', viewerClass(viewer), from.toISO(), to.toISO(), f), () => this.buildOccurrences(viewer, from, to, f));
    },

    /**
     * The `/api/occurrences` answer as UTF-8 JSON, kept under the same version as the occurrences: a state's month
     * is a megabyte of JSON (events with their topics, provider and locations), which serialising again for every
     * request of a website's calendar page cost more than the rest of the request.
     */
    async occurrencesJson(viewer: Viewer, from: DateTime, to: DateTime, f: CalendarFilters): Promise<Buffer> {
      return cacheFor(f).get(keyOf('occurrences-json', viewerClass(viewer), from.toISO(), to.toISO(), f), async () => {
        const data = await this.occurrences(viewer, from, to, f);
        const meta = { from: from.toUTC().toISO(), to: to.toUTC().toISO(), zone: calendarZone(), total: data.length };
        return Buffer.from(JSON.stringify({ data, meta }), 'utf8');
      });
    },

    async buildOccurrences(viewer: Viewer, from: DateTime, to: DateTime, f: CalendarFilters) {
      // candidates: every series that has begun by `to` (a moved occurrence may precede
      // its original by weeks: 31 days of slack), and single events that may overlap
      const candidates = await published(
        filtersFor(viewer, f, [
          { start: { $lte: to.plus({ days: 31 }).toISO() } },
          { $or: [{ rrule: { $notNull: true, $ne: '' } }, { start: { $gte: from.minus({ days: 31 }).toISO() } }, { end: { $gte: from.toISO() } }] },
        ]),
      );
      const out: { event: ReturnType<typeof eventSummary>; start: string; end: string; originalStart: string; moved?: boolean; note?: string; location?: Location; locations?: Location[] }[] = [];
      for (const e of candidates) {
        if (e.cancelled) continue;
        const summary = eventSummary(e);
        // `location` as API.md names it (the first), and `locations`: all of them, for events held at several
        const locations = locationsOf(e);
        const where = locations.length ? { location: locations[0], locations } : {};
        for (const o of expand(e, from.toJSDate(), to.toJSDate())) {
          if (o.cancelled) continue;
          out.push({ event: summary, start: o.start, end: o.end, originalStart: o.originalStart, ...(o.moved ? { moved: true } : {}), ...(o.note ? { note: o.note } : {}), ...where });
        }
      }
      return out.sort((a, b) => a.start.localeCompare(b.start) || a.event.title.localeCompare(b.event.title));
    },

    /** Public calendar: public events only, whoever asks. */
    async publicFeed(f: CalendarFilters): Promise<BuiltFeed> {
      return cacheFor(f).get(keyOf('public-feed', f), async () => {
        const list = await published(filtersFor(ANON, { ...f, audience: undefined }));
        return buildCalendar(list, { name: 'Library Learning', description: 'Continuing education and networking events for Illinois libraries' });
      });
    },

    /** One event for this viewer, or null when it does not exist or is hidden. */
    async eventFeed(documentId: string, viewer: Viewer): Promise<BuiltFeed | null> {
      return cache.get(keyOf('event-feed', viewerClass(viewer), documentId), async () => {
        const [e] = await published(filtersFor(viewer, {}, [{ documentId }]));
        return e ? buildCalendar([e], { name: e.title }) : null;
      });
    },

    /** One networking group's meetings (public ones: the feed is anonymous). */
    async groupFeed(documentId: string): Promise<BuiltFeed | null> {
      return cache.get(keyOf('group-feed', documentId), async () => {
        const group = (await strapi.documents('api::networking-group.networking-group').findFirst({ filters: bySlugOrId(documentId) } as never)) as any;
        if (!group) return null;
        const list = await published(filtersFor(ANON, { group: group.documentId }));
        return buildCalendar(list, { name: `${group.name} (Library Learning)` });
      });
    },

    /** The person's registered occurrences, by their private calendar token. */
    async personalFeed(token: string): Promise<BuiltFeed | null> {
      if (!token || token.length < 20) return null;
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { calendarToken: hashToken(token), blocked: false } });
      if (!user) return null;
      const regs = await rowsOfUser(strapi, user.id, 'registrations', {
        where: { status: { $in: ACTIVE_REGISTRATION } },
        populate: { event: { select: ['documentId'] } },
      });
      const ids = [...new Set(regs.map((r: any) => r.eventDocumentId || r.event?.documentId).filter(Boolean))] as string[];
      const byId = new Map((ids.length ? await published({ documentId: { $in: ids } }) : []).map((e) => [e.documentId, e]));
      const items: FeedEvent[] = [];
      const seen = new Set<string>();
      for (const r of regs as any[]) {
        const found = byId.get(r.eventDocumentId || r.event?.documentId);
        if (!found) continue;
        // A waitlisted person has no seat but may get one: the date stays in their calendar (a seat can open up to
        // the last day) as TENTATIVE, Outlook's "Tentative" too, and its title says so, because Google Calendar
        // shows subscribed events alike whatever their STATUS. Promoted, the same UID turns CONFIRMED.
        // A seat held for a fee not yet paid is no registration either ("you will not be registered until you verify
        // payment", L2): tentative until checkout, and gone if the hold runs out.
        const e =
          r.status === 'waitlisted' ? { ...found, title: `Waitlisted: ${found.title}`, tentative: true }
          : r.status === 'pending-payment' ? { ...found, title: `Payment needed: ${found.title}`, tentative: true }
          : found;
        if (!isRecurring(e)) {
          if (!seen.has(e.documentId)) items.push(e);
          seen.add(e.documentId);
          continue;
        }
        // one registration is for one occurrence: write that occurrence alone, with its own UID
        const occ = findOccurrence(e, r.occurrence);
        if (!occ) continue;
        const stamp = DateTime.fromISO(occ.originalStart).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
        if (seen.has(`${e.documentId}-${stamp}`)) continue;
        seen.add(`${e.documentId}-${stamp}`);
        items.push({ ...e, uid: `${e.documentId}-${stamp}`, rrule: null, exdates: null, rdates: null, occurrenceChanges: null, start: occ.start, end: occ.end, cancelled: e.cancelled || occ.cancelled });
      }
      return buildCalendar(items, { name: 'My Library Learning events' });
    },

    /** A new secret token (only its hash is stored): the old feed address stops working. */
    async resetCalendarToken(userId: number): Promise<string> {
      const token = crypto.randomBytes(24).toString('base64url');
      await strapi.db.query('plugin::users-permissions.user').update({ where: { id: userId }, data: { calendarToken: hashToken(token) } });
      return token;
    },

    /** Newest published public events, for RSS. */
    async newestPublic(limit = 50): Promise<EventDoc[]> {
      return cache.get(keyOf('newest', limit), () => published(filtersFor(ANON, {}), { sort: [{ publishedAt: 'desc' }, { id: 'desc' }], limit }));
    },
  };
};
