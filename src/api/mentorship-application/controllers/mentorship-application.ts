import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { validateApplication } from './validation';
import { fieldPaths, UnprocessableError } from '../../../utils/errors';

export default factories.createCoreController('api::mentorship-application.mentorship-application', ({ strapi }) => ({
  /** POST /api/mentorship-applications — the caller applies as mentor or mentee. */
  async create(ctx) {
    const input = validateApplication((ctx.request.body as { data?: unknown } | undefined)?.data);
    const result = await strapi.service('api::mentorship-application.applications').apply(ctx.state.user.id, input);
    if ('unmet' in result) {
      const { rule, fields } = result.unmet;
      // the fields the rule is about, where a 400 names its field (paths as the body's fields, like the 400s here)
      throw new UnprocessableError(rule, { rule, role: input.role, errors: fieldPaths('UnprocessableEntityError', fields, rule) });
    }
    ctx.status = 201;
    ctx.body = { data: result.application, meta: {} };
  },

  /** GET /api/me/mentorship — the caller's applications and pairings. */
  async mine(ctx) {
    ctx.body = { data: await strapi.service('api::mentorship-application.applications').overviewFor(ctx.state.user.id), meta: {} };
  },

  async find() {
    throw new errors.NotFoundError('Use /api/me/mentorship');
  },
}));
