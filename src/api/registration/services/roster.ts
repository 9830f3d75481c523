import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { occurrenceKey } from '../keys';
import { HOLDING } from './capacity';
import { fieldError, forbiddenError } from '../../../utils/errors';

const REG = 'api::registration.registration';
const EVENT = 'api::event.event';

/** Admin permission actions (registered by src/plugins/rosters): every event's roster, not only one's provider's. */
export const ROSTER_ACTIONS = { read: 'plugin::rosters.read', attendance: 'plugin::rosters.mark-attendance' } as const;

interface AdminCaller {
  user: { id: number };
  ability?: { can: (action: string) => boolean };
}

/** How far ahead the Seats column looks for a recurring event's next date (the occurrences API's limit). */
const NEXT_DATE_DAYS = 400;

export interface SeatFigure {
  /** the date counted: a one-off event's start, a recurring event's current or next date (null: none ahead) */
  occurrence: string | null;
  recurring: boolean;
  registrationMode: string | null;
  /** seats held (confirmed + pending payment) at that date */
  used: number;
  /** seats offered: the event capacity, capped by the locations' seats when every location has a limit; null = no limit */
  total: number | null;
}

const nameOf = (u: any) => (u ? [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username || u.email : null);

export const ROSTER_COLUMNS = [
  ['list', 'List'],
  ['position', 'Waitlist position'],
  ['occurrence', 'Occurrence'],
  ['name', 'Name'],
  ['email', 'Email'],
  ['registeredBy', 'Registered by'],
  ['location', 'Location'],
  ['emergencyPhone', 'Emergency phone'],
  ['specialNeeds', 'Special needs'],
  ['attended', 'Attended'],
  ['pdhEarned', 'PD hours'],
  ['registeredAt', 'Registered at'],
] as const;

/** One CSV cell: always quoted (quotes doubled); a leading formula character is neutralised for spreadsheets. */
const cell = (value: unknown) => {
  let s = value == null ? '' : String(value);
  if (/^[=@\t\r]/.test(s) || /^[+-](?![\d\s(])/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};

/** The one roster access rule: staff holding the action's permission act on every event, a provider's admin users on its events. */
function mayAct(caller: AdminCaller, event: { provider?: { adminUsers?: { id: number }[] } | null }, action: keyof typeof ROSTER_ACTIONS): boolean {
  return !!caller.ability?.can(ROSTER_ACTIONS[action]) || (event.provider?.adminUsers ?? []).some((u) => u.id === caller.user.id);
}

/**
 * Event rosters for staff: who holds a seat, who waits (in order), who
 * cancelled, with the private details only staff and the event's provider see.
 * Access: admins holding `plugin::rosters.read` (Super Admin, System Staff) see
 * every event; admin users listed on the event's provider see its events only.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The event (published version first) and whether the admin caller may act on it; 404 / 403 otherwise. */
  async authorize(caller: AdminCaller, eventDocumentId: string, action: keyof typeof ROSTER_ACTIONS) {
    const event =
      (await strapi.db.query(EVENT).findOne({ where: { documentId: eventDocumentId, publishedAt: { $notNull: true } }, populate: { provider: { populate: { adminUsers: { select: ['id'] } } }, locations: true } })) ??
      (await strapi.db.query(EVENT).findOne({ where: { documentId: eventDocumentId }, populate: { provider: { populate: { adminUsers: { select: ['id'] } } }, locations: true } }));
    if (!event) throw new errors.NotFoundError('Event not found');
    if (mayAct(caller, event, action)) return event;
    throw forbiddenError(
      event.provider
        ? `Only staff and the administrators of ${event.provider.name} may ${action === 'read' ? 'read this roster' : 'mark attendance'} for this event`
        : `Only staff may ${action === 'read' ? 'read this roster' : 'mark attendance'} for this event`,
    );
  },

  /**
   * Seats used over seats offered for a page of events (the content manager's "Seats" column), in one
   * grouped count. Counts what capacity.ts counts: held registrations of the slots event|occurrence|*.
   * Events whose roster the caller may not read (see authorize) are left out of the answer.
   */
  async seatFigures(caller: AdminCaller, eventDocumentIds: string[], now = new Date()): Promise<Record<string, SeatFigure>> {
    const ids = [...new Set(eventDocumentIds)];
    if (!ids.length) return {};
    const rows = await strapi.db.query(EVENT).findMany({
      where: { documentId: { $in: ids } },
      select: ['id', 'documentId', 'publishedAt', 'start', 'end', 'rrule', 'exdates', 'rdates', 'cancelled', 'capacity', 'registrationMode'],
      populate: { provider: { select: ['id'], populate: { adminUsers: { select: ['id'] } } }, locations: true, occurrenceChanges: true },
    });
    // registrations are taken on the published version; a draft-only event shows its draft's capacity
    const events = new Map<string, any>();
    for (const row of rows) if (!events.has(row.documentId) || row.publishedAt) events.set(row.documentId, row);
    const readable = [...events.values()].filter((e) => mayAct(caller, e, 'read'));
    if (!readable.length) return {};

    const recurrence = strapi.service('api::event.recurrence');
    const until = new Date(now.getTime() + NEXT_DATE_DAYS * 86_400_000);
    const dateOf = (e: any): string | null => {
      if (!recurrence.isRecurring(e)) return e.start ? occurrenceKey(e.start) : null;
      const next = recurrence.expand(e, now, until).find((o: { cancelled?: boolean }) => !o.cancelled);
      return next ? occurrenceKey(next.originalStart) : null; // registrations are stored under the original start
    };

    // one query for the page: held seats per slot (event|occurrence|location), summed per event|occurrence below
    const meta = strapi.db.metadata.get(REG);
    const column = (name: string) => (meta.attributes[name] as { columnName?: string }).columnName ?? name;
    const held: { slot: string; n: number | string }[] = await strapi.db
      .getConnection(meta.tableName)
      .select({ slot: column('slotKey') })
      .count({ n: '*' })
      .whereIn(column('eventDocumentId'), readable.map((e) => e.documentId))
      .whereIn(column('status'), HOLDING)
      .groupBy(column('slotKey'));

    const figures: Record<string, SeatFigure> = {};
    for (const e of readable) {
      const occurrence = dateOf(e);
      const prefix = occurrence ? `${e.documentId}|${occurrence}|` : null;
      const used = prefix ? held.filter((h) => h.slot?.startsWith(prefix)).reduce((sum, h) => sum + Number(h.n), 0) : 0;
      const locations: { capacity?: number | null }[] = e.locations ?? [];
      const bySeats = locations.length && locations.every((l) => l.capacity != null) ? locations.reduce((sum, l) => sum + Number(l.capacity), 0) : null;
      const limits = [e.capacity, bySeats].filter((v): v is number => v != null);
      figures[e.documentId] = {
        occurrence,
        recurring: recurrence.isRecurring(e),
        registrationMode: e.registrationMode ?? null,
        used,
        total: limits.length ? Math.min(...limits) : null,
      };
    }
    return figures;
  },

  /** The roster of an event (one occurrence, or all): confirmed, pending payment, waitlist in order, cancelled. */
  async roster(event: any, query: { occurrence?: unknown } = {}) {
    let occurrence: string | null = null;
    if (query.occurrence != null && query.occurrence !== '') {
      const when = typeof query.occurrence === 'string' ? new Date(query.occurrence) : new Date(NaN);
      if (Number.isNaN(when.getTime())) throw fieldError('occurrence', 'occurrence must be an ISO date-time (the start of one date of the event)');
      occurrence = occurrenceKey(when);
    }
    const who = { select: ['id', 'documentId', 'firstName', 'lastName', 'username', 'email'] };
    const rows = await strapi.db.query(REG).findMany({
      where: { eventDocumentId: event.documentId, ...(occurrence ? { occurrence: new Date(occurrence) } : {}) },
      populate: { user: who, registeredBy: who },
      orderBy: [{ occurrence: 'asc' }, { id: 'asc' }],
    });
    const locationName = new Map<string, string>((event.locations ?? []).map((l: { key: string; name: string }) => [l.key, l.name]));
    const entry = (r: any) => ({
      documentId: r.documentId,
      occurrence: occurrenceKey(r.occurrence),
      status: r.status,
      waitlistPosition: r.waitlistPosition ?? null,
      name: nameOf(r.user),
      email: r.user?.email ?? null,
      registeredBy: r.registeredBy && r.registeredBy.id !== r.user?.id ? { name: nameOf(r.registeredBy), email: r.registeredBy.email } : null,
      location: r.location ? { key: r.location, name: locationName.get(r.location) ?? r.location } : null,
      emergencyPhone: r.emergencyPhone ?? null,
      specialNeeds: r.specialNeeds ?? null,
      attended: !!r.attended,
      pdhEarned: r.pdhEarned != null ? Number(r.pdhEarned) : null,
      holdExpiresAt: r.holdExpiresAt ? new Date(r.holdExpiresAt).toISOString() : null,
      registeredAt: r.createdAt ? new Date(r.createdAt).toISOString() : null,
      cancelledAt: r.cancelledAt ? new Date(r.cancelledAt).toISOString() : null,
    });
    const list = (status: string) => rows.filter((r: any) => r.status === status).map(entry);
    const waitlist = list('waitlisted').sort((a: any, b: any) => a.occurrence.localeCompare(b.occurrence) || a.waitlistPosition - b.waitlistPosition);
    const data = {
      event: { documentId: event.documentId, title: event.title, start: event.start ? new Date(event.start).toISOString() : null, capacity: event.capacity ?? null, pdhHours: event.pdhHours != null ? Number(event.pdhHours) : null },
      occurrence,
      confirmed: list('confirmed'),
      pendingPayment: list('pending-payment'),
      waitlist,
      cancelled: list('cancelled'),
    };
    return { data, meta: { counts: { confirmed: data.confirmed.length, pendingPayment: data.pendingPayment.length, waitlist: waitlist.length, cancelled: data.cancelled.length } } };
  },

  /** The roster as CSV (RFC 4180, CRLF, header row; a BOM so spreadsheets read UTF-8). */
  toCsv(roster: { data: Record<string, any> }) {
    const sections: [string, any[]][] = [
      ['confirmed', roster.data.confirmed],
      ['pending payment', roster.data.pendingPayment],
      ['waitlist', roster.data.waitlist],
      ['cancelled', roster.data.cancelled],
    ];
    const lines = [ROSTER_COLUMNS.map(([, header]) => cell(header)).join(',')];
    for (const [list, rows] of sections) {
      for (const r of rows) {
        const values: Record<string, unknown> = {
          ...r,
          list,
          position: r.waitlistPosition ?? '',
          registeredBy: r.registeredBy ? `${r.registeredBy.name} <${r.registeredBy.email}>` : '',
          location: r.location?.name ?? '',
          attended: r.attended ? 'yes' : 'no',
          pdhEarned: r.pdhEarned ?? '',
        };
        lines.push(ROSTER_COLUMNS.map(([key]) => cell(values[key])).join(','));
      }
    }
    return `\uFEFF${lines.join('\r\n')}\r\n`;
  },

  /** A safe file name for the export. */
  fileName(event: { slug?: string | null; documentId: string }, occurrence: string | null) {
    const base = (event.slug || event.documentId).replace(/[^A-Za-z0-9-]+/g, '-');
    return `roster-${base}${occurrence ? `-${occurrence.slice(0, 10)}` : ''}.csv`;
  },

  /** The event a registration belongs to (for the attendance route's access check). */
  async eventOfRegistration(registrationDocumentId: string): Promise<string> {
    const reg = await strapi.db.query(REG).findOne({ where: { documentId: registrationDocumentId }, select: ['eventDocumentId'] });
    if (!reg?.eventDocumentId) throw new errors.NotFoundError('Registration not found');
    return reg.eventDocumentId;
  },
});
