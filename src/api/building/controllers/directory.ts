import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { maxPageSize, pageOf } from '../../../utils/pagination';
import { YEAR_RULE, inDateWindow, isCalendarDate } from '../../../utils/input-limits';
import { assertKnownFields, assertNoFormFields, fieldError, forbiddenError } from '../../../utils/errors';

const FEE_METHODS = ['tax-bill', 'alternative-formula', 'not-applicable'];
const NOTES_MAX = 2000;
const LIBRARY_TYPES = ['public', 'academic', 'school', 'special'];
const isDate = (v: unknown) => v === undefined || v === null || isCalendarDate(v);

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/directory/search?q=&system=&type=&county=&city= */
  async search(ctx) {
    const { q, system, type, county, city } = ctx.query as Record<string, string | undefined>;
    const { page, pageSize } = pageOf(ctx.query, maxPageSize(strapi));
    for (const [field, value] of Object.entries({ q, system, type, county, city })) {
      if (value !== undefined && typeof value !== 'string') throw fieldError(field, `${field} must be given once, as text`);
    }
    if (!q?.trim() && !system && !type && !county && !city) {
      throw fieldError('q', 'Give a search query q (a library or building name, city or county) or a filter');
    }
    if (q && q.length > 200) throw fieldError('q', 'q is longer than 200 characters');
    if (type && !LIBRARY_TYPES.includes(type)) throw fieldError('type', `type must be one of ${LIBRARY_TYPES.join(', ')}`);
    const result = await strapi.service('api::building.search').search(q ?? '', { system, type, county, city }, page, pageSize);
    ctx.body = { data: result.results, meta: { pagination: result.pagination } };
  },

  /** GET /api/buildings/:documentId/history — the building's director sees who changed what. */
  async history(ctx) {
    const { documentId } = ctx.params;
    await assertDirector(strapi, ctx.state.user.id, documentId);
    ctx.body = { data: await strapi.service('api::building.directory').history(documentId), meta: {} };
  },

  /** POST /api/buildings/:documentId/resource-sharing/policy — multipart field "file": PDF or Word, ≤ 32 MB. */
  async uploadPolicy(ctx) {
    const { documentId } = ctx.params;
    await assertDirector(strapi, ctx.state.user.id, documentId);
    const files = (ctx.request as { files?: Record<string, unknown> }).files ?? {};
    const file = (files.file ?? files.files) as unknown;
    if (Array.isArray(file)) throw fieldError('file', 'Attach one policy document');
    // the form's text parts: none is read (a caption, a title), so each is refused, not silently dropped
    assertNoFormFields(ctx.request.body);
    const stored = await strapi.service('api::building.policy-document').attach(documentId, file as never);
    ctx.status = 201;
    ctx.body = { data: stored, meta: {} };
  },

  /** PUT /api/buildings/:documentId/nonresident-card — the year's nonresident card decision. */
  async setNonresidentCard(ctx) {
    const { documentId } = ctx.params;
    await assertDirector(strapi, ctx.state.user.id, documentId);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const allowed = ['fiscalYear', 'participates', 'feeMethod', 'actionDate', 'effectiveDate', 'notes'];
    assertKnownFields(body, allowed);
    if (!Number.isInteger(body.fiscalYear) || (body.fiscalYear as number) < 2000 || (body.fiscalYear as number) > 2100) {
      throw fieldError('fiscalYear', 'fiscalYear must be a year such as 2027');
    }
    if (typeof body.participates !== 'boolean') throw fieldError('participates', 'participates must be true or false');
    if (body.feeMethod !== undefined && !FEE_METHODS.includes(body.feeMethod as string)) {
      throw fieldError('feeMethod', `feeMethod must be one of ${FEE_METHODS.join(', ')}`);
    }
    for (const field of ['actionDate', 'effectiveDate']) {
      if (!isDate(body[field])) throw fieldError(field, `${field} must be a date YYYY-MM-DD`);
      if (!inDateWindow(body[field])) throw fieldError(field, `${field} ${YEAR_RULE}`);
    }
    // bounded as every other free text is (notes of 300,000 characters were stored whole)
    if (body.notes !== undefined && (typeof body.notes !== 'string' || body.notes.length > NOTES_MAX)) {
      throw fieldError('notes', `notes must be text of at most ${NOTES_MAX} characters`);
    }
    const updated = (await strapi.service('api::building.directory').setNonresidentStatus(documentId, body)) as { nonresidentCards?: unknown[] };
    ctx.body = { data: { documentId, nonresidentCards: (updated.nonresidentCards ?? []).map(({ id: _id, ...rest }: Record<string, unknown>) => rest) }, meta: {} };
  },
});

async function assertDirector(strapi: Core.Strapi, userId: number, documentId: string) {
  const exists = await strapi.db.query('api::building.building').findOne({ where: { documentId }, select: ['id'] });
  if (!exists) throw new errors.NotFoundError('Building not found');
  if (!(await strapi.service('api::building.directory').canEdit(userId, documentId))) {
    throw forbiddenError('Only a director or directory editor of this building can do this');
  }
}
