import type { Core } from '@strapi/strapi';

const EVENT = 'api::event.event';
const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

/**
 * Event submissions, whatever screen staff use (admin panel, scripts):
 *  - drafts stay with staff: reads made for a content-API request (REST
 *    `?status=draft`, GraphQL `status: DRAFT`, of events or of any type
 *    populating events) always read published versions, with no
 *    `publicationFilter` (its cohorts tell which events have unpublished
 *    edits); GraphQL relations inherit the root query's arguments past the
 *    document service, so those are reset too (relations to events also
 *    require published rows themselves: `api::event.visibility`);
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
      const asked = params as { publicationFilter?: unknown; hasPublishedVersion?: unknown };
      // (the document service reads any status but 'published' as draft)
      const draft = params.status !== undefined && params.status !== 'published';
      if ((draft || asked.publicationFilter !== undefined || asked.hasPublishedVersion !== undefined) && (await strapi.service('api::event.visibility').requestViewer())) {
        if (draft) params.status = 'published';
        delete asked.publicationFilter;
        delete asked.hasPublishedVersion;
      }
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

  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  graphql.service('extension').use(() => {
    const naming = graphql.service('utils').naming;
    // the arguments Strapi keeps for the relations of this root query (read by its association resolver)
    const publishedOnly = async (next: any, parent: any, args: any, context: any, info: any) => {
      const inherited = context?.rootQueryArgsByPath?.get(info.path.key);
      if (inherited && (await strapi.service('api::event.visibility').requestViewer())) {
        inherited.status = 'published';
        delete inherited.publicationFilter;
        delete inherited.hasPublishedVersion;
      }
      return next(parent, args, context, info);
    };
    const resolversConfig: Record<string, { middlewares: unknown[] }> = {};
    for (const [uid, model] of Object.entries(strapi.contentTypes)) {
      if (!uid.startsWith('api::') || (model as { kind?: string }).kind !== 'collectionType') continue;
      for (const name of [naming.getFindQueryName(model), naming.getFindOneQueryName(model), naming.getFindConnectionQueryName(model)]) {
        resolversConfig[`Query.${name}`] = { middlewares: [publishedOnly] };
      }
    }
    return { resolversConfig };
  });
}
