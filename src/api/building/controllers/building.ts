import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { forbiddenError } from '../../../utils/errors';

/**
 * PUT /api/buildings/:documentId is the director's Update form: only a director
 * or directory editor of that building, only the editable fields.
 */
export default factories.createCoreController('api::building.building', ({ strapi }) => ({
  async update(ctx) {
    const { id: documentId } = ctx.params;
    const directory = strapi.service('api::building.directory');
    const exists = await strapi.db.query('api::building.building').findOne({ where: { documentId }, select: ['id'] });
    if (!exists) throw new errors.NotFoundError('Building not found');
    if (!(await directory.canEdit(ctx.state.user.id, documentId))) {
      throw forbiddenError('Only a director or directory editor of this building can edit it');
    }
    const body = ctx.request.body as { data?: unknown } | undefined;
    const edit = directory.validateEdit(body?.data);
    const updated = await directory.updateByDirector(documentId, edit);
    const sanitized = await this.sanitizeOutput(updated, ctx);
    return this.transformResponse(sanitized);
  },
}));
