import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { YEAR_RULE, inDateWindow, isCalendarDate } from '../../../utils/input-limits';

export default factories.createCoreController('api::site-visit.site-visit', ({ strapi }) => ({
  /** POST /api/site-visits — a director asks for a visit or a call. */
  async create(ctx) {
    const data = (ctx.request.body as { data?: Record<string, unknown> } | undefined)?.data;
    if (!data || typeof data !== 'object') throw new errors.ValidationError('Send { "data": { building, kind, topic, preferredDates } }', { field: 'data' });
    const unknown = Object.keys(data).filter((k) => !['building', 'kind', 'topic', 'preferredDates'].includes(k));
    if (unknown.length) throw new errors.ValidationError(`Unknown or read-only field(s): ${unknown.join(', ')}`, { field: unknown[0] });
    if (typeof data.building !== 'string' || !data.building) throw new errors.ValidationError('building must be a building documentId', { field: 'building' });
    const kind = data.kind ?? 'visit';
    if (kind !== 'visit' && kind !== 'call') throw new errors.ValidationError('kind must be "visit" or "call"', { field: 'kind' });
    if (typeof data.topic !== 'string' || !data.topic.trim() || data.topic.length > 2000) throw new errors.ValidationError('topic is required (at most 2000 characters)', { field: 'topic' });
    const dates = data.preferredDates ?? [];
    if (!Array.isArray(dates) || dates.length > 10 || dates.some((d) => !isCalendarDate(d))) {
      throw new errors.ValidationError('preferredDates must be a list of up to 10 dates YYYY-MM-DD', { field: 'preferredDates' });
    }
    const far = dates.find((d) => !inDateWindow(d));
    if (far) throw new errors.ValidationError(`preferredDates: ${far} ${YEAR_RULE}`, { field: 'preferredDates' });
    const visit = await strapi.service('api::site-visit.visits').request(ctx.state.user.id, { building: data.building, kind, topic: data.topic.trim(), preferredDates: dates });
    ctx.status = 201;
    ctx.body = { data: { documentId: visit.documentId, kind: visit.kind, topic: visit.topic, preferredDates: visit.preferredDates, status: visit.status }, meta: {} };
  },

  /** GET /api/site-visits — the caller's own requests. */
  async find(ctx) {
    ctx.body = { data: await strapi.service('api::site-visit.visits').mine(ctx.state.user.id), meta: {} };
  },
}));
