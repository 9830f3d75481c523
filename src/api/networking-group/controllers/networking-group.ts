import { factories } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { publicUrl } from '../../event/feeds/ics';
import { calendarZone } from '../../event/recurrence/rule';

/**
 * A group's page links, computed (nothing stored): its meetings on the calendar
 * (the occurrences API filtered by the group, the coming twelve months) and its
 * iCal feed.
 */
export function groupLinks(documentId: string) {
  const today = DateTime.now().setZone(calendarZone()).startOf('day');
  const id = encodeURIComponent(documentId);
  const icsUrl = `${publicUrl()}/api/networking-groups/${id}/ics`;
  return {
    calendarUrl: `${publicUrl()}/api/occurrences?group=${id}&from=${today.toISODate()}&to=${today.plus({ days: 365 }).toISODate()}`,
    icsUrl,
    webcalUrl: icsUrl.replace(/^https?:/, 'webcal:'),
  };
}

const withLinks = (g: unknown) => (g && typeof g === 'object' && 'documentId' in g ? { ...(g as object), ...groupLinks(String((g as { documentId: string }).documentId)) } : g);

/**
 * API.md: the groups come with their contacts; a group page also names its library system (README). Strapi
 * leaves components and relations out unless asked, so contacts and the system's name and code are the default
 * when the caller names no populate (ctx.query is the cached parsed object: changed in place).
 */
const contactsByDefault = (ctx: { query: Record<string, unknown> }) => {
  if (ctx.query.populate === undefined) ctx.query.populate = { contacts: true, system: { fields: ['name', 'code'] } };
};

export default factories.createCoreController('api::networking-group.networking-group', () => ({
  async find(ctx) {
    contactsByDefault(ctx);
    const res = (await super.find(ctx)) as { data?: unknown[] } | undefined;
    if (res && Array.isArray(res.data)) res.data = res.data.map(withLinks);
    return res;
  },
  async findOne(ctx) {
    contactsByDefault(ctx);
    const res = (await super.findOne(ctx)) as { data?: unknown } | undefined;
    if (res?.data) res.data = withLinks(res.data);
    return res;
  },
}));
