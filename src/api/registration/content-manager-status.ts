import type { Core } from '@strapi/strapi';

const CM_REGISTRATION = /^\/content-manager\/collection-types\/api::registration\.registration(\/|$)/;
const DOCUMENT_STATUSES = ['draft', 'published'];

/**
 * Strapi 5's content manager reads a `status` in the request body as the
 * document's draft/published status and refuses any other value ("Invalid
 * status"), so the registration form — whose `status` is confirmed /
 * waitlisted / pending-payment / cancelled — could not be saved. This koa
 * middleware (registered in bootstrap, so after the body parser and before
 * the router) takes the registration status out of the body and keeps it on
 * the request; `formStatus()` hands it back to the document-service
 * middleware, which puts it into the data again. Answers get it back too.
 */
export function registerContentManagerStatus(strapi: Core.Strapi) {
  strapi.server.use(async (ctx, next) => {
    if ((ctx.method === 'POST' || ctx.method === 'PUT') && CM_REGISTRATION.test(ctx.path)) {
      const body = (ctx.request as { body?: Record<string, unknown> }).body;
      if (body && typeof body === 'object' && typeof body.status === 'string' && !DOCUMENT_STATUSES.includes(body.status)) {
        ctx.state.registrationStatus = body.status;
        delete body.status;
      }
    }
    await next();
    // ... and answers carry the registration status again (the content manager leaves it out), so the form shows it
    if (CM_REGISTRATION.test(ctx.path) && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as { data?: Record<string, any>; results?: Record<string, any>[] };
      const docs = [...(Array.isArray(body.results) ? body.results : []), ...(body.data && typeof body.data === 'object' && !Array.isArray(body.data) ? [body.data] : [])]
        .filter((d) => d && typeof d.documentId === 'string' && (d.status == null || DOCUMENT_STATUSES.includes(d.status)));
      if (docs.length) {
        const rows = await strapi.db.query('api::registration.registration').findMany({ where: { documentId: { $in: docs.map((d) => d.documentId) } }, select: ['documentId', 'status'] });
        const byId = new Map(rows.map((r: { documentId: string; status: string }) => [r.documentId, r.status]));
        for (const d of docs) if (byId.has(d.documentId)) d.status = byId.get(d.documentId);
      }
    }
  });
}

/** The registration status the admin panel's form sent, if the current request is one. */
export function formStatus(strapi: Core.Strapi): string | undefined {
  const ctx = strapi.requestContext.get() as { state?: { registrationStatus?: string } } | undefined;
  return ctx?.state?.registrationStatus;
}
