import type { Core } from '@strapi/strapi';

const EVENT = 'api::event.event';
const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

/**
 * Event submissions, whatever screen staff use (admin panel, scripts):
 *  - drafts stay with staff: reads made for a content-API request (REST
 *    `?status=draft`, GraphQL `status: DRAFT`, of events or of any type
 *    populating events) always read published versions;
 *  - the first publish of a submitted event marks it approved and emails the
 *    submitter; setting submissionState to "rejected" emails the submitter the
 *    reviewNote.
 */
export function registerSubmissionMiddleware(strapi: Core.Strapi) {
  const submissions = () => strapi.service('api::event-submission.submissions');

  strapi.documents.use(async (ctx, next) => {
    const params = (ctx.params ?? {}) as { status?: string; documentId?: string; data?: Record<string, unknown> };
    if (READS.has(ctx.action)) {
      // any content type: a draft status on the parent query would reach populated events too
      if (params.status === 'draft' && (await strapi.service('api::event.visibility').requestViewer())) params.status = 'published';
      return next();
    }
    if (ctx.uid !== EVENT) return next();

    const publishing = ctx.action === 'publish' || (ctx.action === 'update' && params.status === 'published');
    if ((ctx.action !== 'update' && !publishing) || !params.documentId) return next();
    const documentId = params.documentId;
    const before = await strapi.db.query(EVENT).findOne({ where: { documentId, publishedAt: null }, select: ['id', 'submissionState'], populate: { submittedBy: { select: ['id'] } } });
    if (!before?.submittedBy) return next(); // not a member's submission
    const wasPublished = (await strapi.db.query(EVENT).count({ where: { documentId, publishedAt: { $notNull: true } } })) > 0;

    const result = await next();

    const after = await strapi.db.query(EVENT).findOne({ where: { documentId, publishedAt: null }, select: ['submissionState'] });
    const nowPublished = (await strapi.db.query(EVENT).count({ where: { documentId, publishedAt: { $notNull: true } } })) > 0;
    if (publishing && !wasPublished && nowPublished && after?.submissionState !== 'rejected') {
      await submissions().decide(documentId, 'approved');
    } else if (after?.submissionState === 'rejected' && before.submissionState !== 'rejected') {
      await submissions().decide(documentId, 'rejected');
    }
    return result;
  });
}
