import type { Core } from '@strapi/strapi';
import { withNamedLocks } from '../../../utils/advisory-lock';
import { decisionOf } from '../services/notices';

const APPLICATION = 'api::mentorship-application.mentorship-application';

/**
 * Staff accept or decline applications in the admin panel (or a script does): the applicant is emailed the decision
 * whatever screen recorded it, once per change (decisionOf), as affiliation decisions are.
 */
export function registerApplicationDecisionNotice(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== APPLICATION || ctx.action !== 'update') return next();
    const documentId = (ctx.params as { documentId?: string }).documentId;
    if (!documentId) return next();
    // status before and after read under the application's lock: two staff saving one decision at once (any
    // process) send one email, not two
    return withNamedLocks(strapi, [`mentorship:application-decision:${documentId}`], async () => {
      const before = await strapi.db.query(APPLICATION).findOne({ where: { documentId }, select: ['id', 'status'] });
      const result = await next();
      if (!before) return result;
      const after = await strapi.db.query(APPLICATION).findOne({ where: { id: before.id }, select: ['status'] });
      const decision = decisionOf(before.status, after?.status);
      if (decision) await strapi.service('api::mentorship-application.notices').sendDecision(before.id, decision);
      return result;
    });
  });
}
