import { factories } from '@strapi/strapi';
import { YEAR_RULE, inDateWindow, isCalendarDate } from '../../../utils/input-limits';
import { assertKnownFields, fieldError } from '../../../utils/errors';

export default factories.createCoreController('api::site-visit.site-visit', ({ strapi }) => ({
  /** POST /api/site-visits — a director asks for a visit or a call. */
  async create(ctx) {
    const data = (ctx.request.body as { data?: Record<string, unknown> } | undefined)?.data;
    if (!data || typeof data !== 'object') throw fieldError('data', 'Send { "data": { building, kind, topic, preferredDates } }');
    assertKnownFields(data, ['building', 'kind', 'topic', 'preferredDates'], 'or read-only field(s)');
    if (typeof data.building !== 'string' || !data.building) throw fieldError('building', 'building must be a building documentId');
    const kind = data.kind ?? 'visit';
    if (kind !== 'visit' && kind !== 'call') throw fieldError('kind', 'kind must be "visit" or "call"');
    if (typeof data.topic !== 'string' || !data.topic.trim() || data.topic.length > 2000) throw fieldError('topic', 'topic is required (at most 2000 characters)');
    const dates = data.preferredDates ?? [];
    if (!Array.isArray(dates) || dates.length > 10 || dates.some((d) => !isCalendarDate(d))) {
      throw fieldError('preferredDates', 'preferredDates must be a list of up to 10 dates YYYY-MM-DD');
    }
    const far = dates.find((d) => !inDateWindow(d));
    if (far) throw fieldError('preferredDates', `preferredDates: ${far} ${YEAR_RULE}`);
    const visit = await strapi.service('api::site-visit.visits').request(ctx.state.user.id, { building: data.building, kind, topic: data.topic.trim(), preferredDates: dates });
    ctx.status = 201;
    ctx.body = { data: { documentId: visit.documentId, kind: visit.kind, topic: visit.topic, preferredDates: visit.preferredDates, status: visit.status }, meta: {} };
  },

  /** GET /api/site-visits — the caller's own requests. */
  async find(ctx) {
    ctx.body = { data: await strapi.service('api::site-visit.visits').mine(ctx.state.user.id), meta: {} };
  },
}));
