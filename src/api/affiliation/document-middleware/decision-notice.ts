import type { Core } from '@strapi/strapi';
import { withDecisionLock } from '../services/approvals';

const AFFILIATION = 'api::affiliation.affiliation';

/**
 * A decision on an affiliation (approved or rejected, from pending or correcting an earlier one) emails the
 * person, whether staff used the approvals queue or edited the status in the content manager.
 */
export function registerDecisionNotice(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== AFFILIATION || ctx.action !== 'update') return next();
    const documentId = (ctx.params as { documentId?: string }).documentId;
    if (!documentId) return next();
    // status before and after read under the affiliation's lock: of two decisions saved at once (queue or
    // content manager, any process) only the one that found it pending sends an email
    return withDecisionLock(strapi, documentId, async () => {
      const before = await strapi.db.query(AFFILIATION).findOne({ where: { documentId }, select: ['id', 'status'] });
      const result = await next();
      if (!before) return result;
      const after = await strapi.db.query(AFFILIATION).findOne({ where: { id: before.id }, select: ['status', 'decidedAt'] });
      if (after && after.status !== before.status && (after.status === 'approved' || after.status === 'rejected')) {
        // a first decision keeps the time the queue recorded; a corrected one (rejected, then approved) is decided now
        if (!after.decidedAt || before.status !== 'pending') await strapi.db.query(AFFILIATION).update({ where: { id: before.id }, data: { decidedAt: new Date() } });
        await strapi.service('api::affiliation.approvals').sendDecision(before.id);
      }
      return result;
    });
  });
}
